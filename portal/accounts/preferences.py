"""What a mentee says suits them, so the directory can put the mentors who fit them best first: kinds of
time away beyond their sign-up reason, how and when they like to meet, places they can get to."""
from portal.core import audit
from portal.models import MenteeProfile, User


def form_data(mentee: MenteeProfile) -> dict:
    return {"time_away": mentee.away_tags, "meet_mode": mentee.meet_mode, "usual_days": mentee.usual_days,
            "can_reach": mentee.can_reach}


def save(mentee: MenteeProfile, by: User, form) -> None:
    MenteeProfile.update(away_tags=form.time_away.data or [], meet_mode=form.meet_mode.data or "",
                         usual_days=form.usual_days.data or [], can_reach=form.can_reach.data or "").where(
        MenteeProfile.id == mentee.id).execute()
    audit.record(by, "saved_matching_preferences", mentee)
