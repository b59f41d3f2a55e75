"""Demonstration people for `make run`: an admin, three mentees and six mentors with every profile
field filled in, loaded into an empty database, and a year of the scheme behind them (portal/dev/history.py).
Their headshots are drawn here: initials on a colour. One mentee is waiting for an answer (the email with
the answer buttons is in the development mailbox), one is matched with a session booked, and one has yet
to choose: so every page has something on it. For the one yet to choose, the directory's best fit is
plain to see: Priya shares her parental leave, her school, her trust and her Monday evenings."""
import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont

from portal.accounts import logins
from portal.core import clock, content, inbox
from portal.core.db import database
from portal.core.roles import MENTOR
from portal.dev import history
from portal.mentoring import sessions
from portal.models import MenteeProfile, MentorProfile, User
from portal.register import photos, profiles
from portal.requests import mentor_requests

PASSWORD = "demo pass phrase"

ADMIN = ("admin@example.org", "Alex Admin")
MENTEE = ("mentee@example.org", "Morgan Mentee")
WAITING = ("sam.rivers@example.org", "Sam Rivers")
MATCHED = ("jordan.lee@example.org", "Jordan Lee")

WEEKDAY_EVENINGS = [f"{day}-evening" for day in ("mon", "tue", "wed", "thu", "fri")]
MENTORS = [
    {
        "email": "priya.shah@example.org", "name": "Priya Shah", "colour": "#0b4f9c",
        "grade": "ST5", "school": "Paediatrics", "specialty": "Neonatology", "trust": "Leeds Teaching Hospitals NHS Trust",
        "gender": "Woman", "pronouns": "she/her",
        "experience_rtt": "I came back after a year of parental leave and used the return to training scheme's "
                          "refresher days and a phased return.",
        "experience_away": "Two periods of parental leave, the second with twins.",
        "why_mentor": "Coming back felt lonely at first. Talking to someone who had done it made all the difference, "
                      "and I would like to be that person for someone else.",
        "slots": WEEKDAY_EVENINGS + ["sat-morning"], "availability_notes": "Not during school holidays.",
        "meets_online": True, "platforms": ["teams", "zoom"], "meets_in_person": True, "locations": "Leeds, Harrogate",
        "interests": "Fell walking, baking bread, and a slightly competitive book club.",
        "contact_details": "07700 900101, or priya.shah@example.org",
        "time_away": ["parental_leave", "phased_return"],
    },
    {
        "email": "tom.oconnell@example.org", "name": "Tom O'Connell", "colour": "#00703c",
        "grade": "ST7", "school": "Anaesthesia", "specialty": "Intensive care", "trust": "Sheffield Teaching Hospitals NHS Foundation Trust",
        "gender": "Man", "pronouns": "he/him",
        "experience_rtt": "Returned after eighteen months out of programme doing research, with a supervised "
                          "return to theatre lists.",
        "experience_away": "Out of programme for research, then six weeks of sick leave after an injury.",
        "why_mentor": "I learned a lot about asking for help. Happy to share what worked and what did not.",
        "slots": ["tue-morning", "thu-morning", "sat-morning", "sun-afternoon"], "availability_notes": "Early starts suit me best.",
        "meets_online": True, "platforms": ["zoom", "phone"], "meets_in_person": True, "locations": "Sheffield",
        "interests": "Cycling, five-a-side football, learning Irish.",
        "contact_details": "07700 900102",
        "time_away": ["out_of_programme", "sick_leave"],
    },
    {
        "email": "grace.adeyemi@example.org", "name": "Grace Adeyemi", "colour": "#6b2c91",
        "grade": "ST4", "school": "Psychiatry", "specialty": "General adult psychiatry", "trust": "Leeds and York Partnership NHS Foundation Trust",
        "gender": "Woman", "pronouns": "she/her",
        "experience_rtt": "Used the scheme's coaching and a keep-in-touch day before coming back part-time.",
        "experience_away": "Maternity leave and then a year less than full time.",
        "why_mentor": "Everyone's return is different. I want to listen and help you find what works for you.",
        "slots": ["mon-afternoon", "wed-afternoon", "fri-morning"], "availability_notes": "School runs at 3pm.",
        "meets_online": True, "platforms": ["teams", "meet", "whatsapp"], "meets_in_person": False, "locations": "",
        "interests": "Gospel choir and gardening.",
        "contact_details": "grace.adeyemi@example.org",
        "time_away": ["parental_leave", "ltft"],
    },
    {
        "email": "daniel.lewis@example.org", "name": "Daniel Lewis", "colour": "#b35900",
        "grade": "CT2", "school": "Medicine", "specialty": "Acute medicine", "trust": "Hull University Teaching Hospitals NHS Trust",
        "gender": "Non-binary", "pronouns": "they/them",
        "experience_rtt": "Came back to core training after time off for my own health, with adjusted rotas.",
        "experience_away": "Seven months of sick leave.",
        "why_mentor": "I know how daunting the first week back can be, and that it gets better.",
        "slots": WEEKDAY_EVENINGS, "availability_notes": "Evenings after 7pm.",
        "meets_online": True, "platforms": ["zoom", "facetime"], "meets_in_person": True, "locations": "Hull, Beverley",
        "interests": "Board games, running (slowly), film photography.",
        "contact_details": "07700 900104",
        "time_away": ["sick_leave", "adjustments"],
    },
    {
        "email": "hannah.kowalski@example.org", "name": "Hannah Kowalski", "colour": "#005a5b",
        "grade": "DCT2", "school": "Dentistry", "specialty": "Oral surgery", "trust": "Bradford Teaching Hospitals NHS Foundation Trust",
        "gender": "Woman", "pronouns": "she/her",
        "experience_rtt": "Returned to dental core training after a career break abroad.",
        "experience_away": "A year out of programme working overseas.",
        "why_mentor": "Dentists returning to training sometimes feel the schemes are built for doctors. I would like "
                      "to help change that.",
        "slots": ["sat-morning", "sat-afternoon", "sun-morning"], "availability_notes": "Weekends only.",
        "meets_online": True, "platforms": ["teams"], "meets_in_person": True, "locations": "Bradford, Leeds",
        "interests": "Climbing and Polish cooking.",
        "contact_details": "hannah.kowalski@example.org",
        "time_away": ["out_of_programme"],
    },
    {
        "email": "sam.whitaker@example.org", "name": "Sam Whitaker", "colour": "#8a1538",
        "grade": "ST3", "school": "General Practice", "specialty": "General practice", "trust": "General practice (GP training)",
        "gender": "Prefer not to say", "pronouns": "he/him",
        "experience_rtt": "Moved from hospital rotations into practice straight after shared parental leave.",
        "experience_away": "Shared parental leave, six months.",
        "why_mentor": "Practical help with the logistics of coming back: rotas, childcare, less than full time.",
        "slots": ["mon-morning", "tue-morning", "wed-morning", "thu-morning", "fri-morning"], "availability_notes": "Mornings before clinic starts.",
        "meets_online": True, "platforms": ["phone", "teams"], "meets_in_person": True, "locations": "York",
        "interests": "Allotment, parkrun, folk music.",
        "contact_details": "07700 900106",
        "time_away": ["parental_leave", "ltft"],
    },
]


def headshot(name: str, colour: str) -> photos.Photo:
    """A stand-in headshot: the mentor's initials on a colour, processed like any upload."""
    image = Image.new("RGB", (600, 600), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text((300, 300), initials, fill="white", anchor="mm", font=ImageFont.load_default(size=220))
    out = io.BytesIO()
    image.save(out, "PNG")
    return photos.process(out.getvalue(), "headshot.png")


def _mentee(email: str, name: str, password: str, now, **values) -> User:
    user = User.create(email=email, name=name, password_hash=password, email_confirmed_at=now)
    MenteeProfile.create(user=user, trust="Leeds Teaching Hospitals NHS Trust", eligibility="out_now",
                         expected_return=(now + timedelta(days=120)).date(),
                         agreement_version=content.current("agreement").version, agreement_accepted_at=now, **values)
    return user


def load() -> bool:
    """Create the demo people; False (and nothing changed) when anyone exists already."""
    if User.select().exists():
        return False
    now = clock.now()
    password = logins.hash_password(PASSWORD)
    with database.atomic():
        admin = User.create(email=ADMIN[0], name=ADMIN[1], password_hash=password, is_admin=True,
                            email_confirmed_at=now)
        named = []
        for person in MENTORS:
            values = {k: v for k, v in person.items() if k not in ("email", "name", "colour")}
            key = profiles.keep_photo(headshot(person["name"], person["colour"]))
            mentor = profiles.create(admin, name=person["name"], email=person["email"], values=values, photo_key=key)
            User.update(password_hash=password, email_confirmed_at=now).where(User.id == mentor.user_id).execute()
            named.append(MentorProfile.get_by_id(mentor.id))
        history.load(admin, password, named)
        _mentee(*MENTEE, password, now, grade="ST3", school="Paediatrics", specialty="Paediatrics",
                reason="parental_leave", meet_mode="in_person", usual_days=["mon", "sat"], can_reach="Leeds")
        waiting = _mentee(*WAITING, password, now, grade="CT2", school="Medicine", reason="sick_leave")
        matched = _mentee(*MATCHED, password, now, grade="ST5", school="Surgery", specialty="General surgery",
                          reason="out_of_programme")
        first, second = named[0], named[1]
        mentor_requests.make_request(waiting, first, "I am off sick and would like to talk about planning my return.")
        mentor_request = mentor_requests.make_request(matched, second, "I am finishing a research degree and want to plan "
                                                         "my way back to theatre.")
        relationship = mentor_requests.decide(mentor_request, "accept", second.user, MENTOR).relationships.get()
        booked = sessions.propose(relationship, matched, {
            "starts_at": (now + timedelta(days=7)).replace(hour=18, minute=30, second=0, microsecond=0),
            "length_minutes": 60, "mode": "video", "platform": "teams", "joining_link": "", "location": ""})
        sessions.confirm(booked, second.user)
        inbox.raise_item("interest", name="Casey Morgan", email="casey.morgan@example.org",
                         message="I came back to training last year and would like to mentor others.")
    return True


def print_logins() -> None:
    if not User.select().where(User.email == ADMIN[0]).exists():
        return
    print(f"\nDemo logins (password for each: {PASSWORD!r}):")
    print(f"  admin   {ADMIN[0]}")
    print(f"  mentees {MENTEE[0]} (yet to choose), {WAITING[0]} (waiting), {MATCHED[0]} (matched)")
    print(f"  mentors {', '.join(person['email'] for person in MENTORS[:2])} ... ({len(MENTORS)} in all)")
