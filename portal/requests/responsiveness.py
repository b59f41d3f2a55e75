"""How quickly a mentor usually answers: the median of their working days to answer over the last
ANSWER_TIME_MONTHS, once they have answered ANSWERS_NEEDED requests themselves (an answer the team gave
for them, or a request that ran out of time, is not theirs). For the directory's cards, a profile and
the mentor's own page: one query for any number of mentors."""
from collections import defaultdict
from datetime import datetime

from dateutil.relativedelta import relativedelta

from portal.models import MentorRequest
from portal.rules import requests as rules
from portal.rules import workdays
from portal.rules.requests import RequestStatus


def usual_answer_days(mentor_ids: list[int], now: datetime) -> dict[int, int]:
    """mentor id -> working days they usually answer within, for those with enough answers."""
    if not mentor_ids:
        return {}
    days = defaultdict(list)
    for mentor_id, asked, answered in MentorRequest.select(
            MentorRequest.mentor, MentorRequest.created_at, MentorRequest.decided_at).where(
            MentorRequest.mentor.in_(mentor_ids)
            & MentorRequest.status.in_([RequestStatus.ACCEPTED, RequestStatus.DECLINED])
            & (MentorRequest.decided_by == rules.MENTOR)
            & (MentorRequest.decided_at >= now - relativedelta(months=rules.ANSWER_TIME_MONTHS))).tuples():
        days[mentor_id].append(workdays.working_days_left(asked, answered))
    found = {mentor_id: rules.usual_answer_days(answers) for mentor_id, answers in days.items()}
    return {mentor_id: usual for mentor_id, usual in found.items() if usual is not None}
