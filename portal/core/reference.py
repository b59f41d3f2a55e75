"""Reference lists offered in forms. People may type a trust that is not listed."""

GRADES = [
    "F1", "F2", "CT1", "CT2", "CT3", "ST1", "ST2", "ST3", "ST4", "ST5", "ST6", "ST7", "ST8",
    "DFT", "DCT1", "DCT2", "DCT3", "StR (dental)", "Other",
]

SCHOOLS = [
    "Anaesthesia", "Dentistry", "Emergency Medicine", "Foundation", "General Practice",
    "Medicine", "Obstetrics and Gynaecology", "Ophthalmology", "Paediatrics", "Pathology",
    "Psychiatry", "Public Health", "Radiology", "Surgery", "Other",
]

TRUSTS = [
    "Airedale NHS Foundation Trust",
    "Barnsley Hospital NHS Foundation Trust",
    "Bradford District Care NHS Foundation Trust",
    "Bradford Teaching Hospitals NHS Foundation Trust",
    "Calderdale and Huddersfield NHS Foundation Trust",
    "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust",
    "Harrogate and District NHS Foundation Trust",
    "Hull University Teaching Hospitals NHS Trust",
    "Humber Teaching NHS Foundation Trust",
    "Leeds and York Partnership NHS Foundation Trust",
    "Leeds Community Healthcare NHS Trust",
    "Leeds Teaching Hospitals NHS Trust",
    "Mid Yorkshire Teaching NHS Trust",
    "Northern Lincolnshire and Goole NHS Foundation Trust",
    "Rotherham Doncaster and South Humber NHS Foundation Trust",
    "Sheffield Children's NHS Foundation Trust",
    "Sheffield Health and Social Care NHS Foundation Trust",
    "Sheffield Teaching Hospitals NHS Foundation Trust",
    "South West Yorkshire Partnership NHS Foundation Trust",
    "Tees, Esk and Wear Valleys NHS Foundation Trust",
    "The Rotherham NHS Foundation Trust",
    "York and Scarborough Teaching Hospitals NHS Foundation Trust",
    "Yorkshire Ambulance Service NHS Trust",
    "General practice (GP training)",
]

GENDERS = ["Woman", "Man", "Non-binary", "Another identity", "Prefer not to say"]

DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
        "sat": "Saturday", "sun": "Sunday"}
PARTS_OF_DAY = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}
# "mon-morning", "mon-afternoon" ... in week order.
SLOTS = [f"{day}-{part}" for day in DAYS for part in PARTS_OF_DAY]

PLATFORMS = {
    "teams": "Microsoft Teams",
    "zoom": "Zoom",
    "meet": "Google Meet",
    "whatsapp": "WhatsApp video",
    "facetime": "FaceTime",
    "phone": "Telephone",
}
# A session can be on a platform the mentor does not list, if the two of them agree one.
OTHER_PLATFORM = "other"

MEETING_MODES = {"in_person": "Face to face", "online": "Video or phone"}

# Kinds of time away from training, as tags: a mentor chooses the ones that are part of their story, a
# mentee's reason for being out of training is one of them (rules/matching.py) and they may add others.
TIME_AWAY = {
    "parental_leave": "Parental leave",
    "sick_leave": "Sick leave or a health condition",
    "out_of_programme": "Out of programme (research, experience, training or a career break)",
    "suspension": "Suspension, or a GMC or GDC process",
    "caring": "Caring responsibilities",
    "ltft": "A less-than-full-time return",
    "phased_return": "A phased return",
    "adjustments": "Reasonable adjustments",
}
