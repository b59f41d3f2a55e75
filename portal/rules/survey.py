"""The evaluation survey's questions, checking answers, and reporting them without exposing anyone."""
import random

SCALE_USEFUL = [("1", "Not useful"), ("2", "A little useful"), ("3", "Quite useful"), ("4", "Very useful"),
                ("5", "Extremely useful")]
SCALE_EASY = [("1", "Very hard"), ("2", "Hard"), ("3", "Neither"), ("4", "Easy"), ("5", "Very easy")]

QUESTIONS = [
    {"key": "useful", "text": "How useful was peer mentoring to you?", "options": SCALE_USEFUL},
    {"key": "choosing", "text": "How easy was it to choose a mentor?", "options": SCALE_EASY},
    {"key": "sessions", "text": "Did the number of sessions suit you?",
     "options": [("too_few", "Too few"), ("right", "About right"), ("too_many", "More than I needed")]},
    {"key": "met", "text": "How did you mostly meet?",
     "options": [("video", "By video or phone"), ("in_person", "Face to face"), ("both", "Both")]},
    {"key": "recommend", "text": "Would you recommend the scheme to a colleague?",
     "options": [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No")]},
    {"key": "better", "text": "What would make the scheme better? (optional)", "free_text": True},
]
FREE_TEXT_LIMIT = 1000


def check(form: dict) -> tuple[dict, dict]:
    """(answers, problems) from submitted values: every choice question answered with one of its
    options; the free text optional and not too long."""
    answers, problems = {}, {}
    for question in QUESTIONS:
        value = (form.get(question["key"]) or "").strip()
        if question.get("free_text"):
            if len(value) > FREE_TEXT_LIMIT:
                problems[question["key"]] = f"Your answer must be {FREE_TEXT_LIMIT:,} characters or fewer"
            elif value:
                answers[question["key"]] = value
        elif value not in {option for option, _ in question["options"]}:
            problems[question["key"]] = f"Choose an answer to: {question['text']}"
        else:
            answers[question["key"]] = value
    return answers, problems


def summarise(responses: list[dict], smallest: int, shuffle=random.shuffle) -> dict:
    """Counts per answer for each question, and the free-text answers. Nothing is shown until
    `smallest` people have answered; a count below `smallest` is shown only as "fewer than"; free
    text appears once there are `smallest` answers, in a random order each time."""
    total = len(responses)
    summary = {"total": total, "shown": total >= smallest, "questions": []}
    if not summary["shown"]:
        return summary
    for question in QUESTIONS:
        if question.get("free_text"):
            texts = [r[question["key"]] for r in responses if r.get(question["key"])]
            if len(texts) >= smallest:
                shuffle(texts)
            summary["questions"].append({"question": question, "texts": texts if len(texts) >= smallest else [],
                                         "text_count_hidden": 0 < len(texts) < smallest})
            continue
        counts = []
        for value, label in question["options"]:
            count = sum(1 for r in responses if r.get(question["key"]) == value)
            counts.append({"label": label, "count": count if count >= smallest else None, "hidden": 0 < count < smallest})
        summary["questions"].append({"question": question, "counts": counts})
    return summary
