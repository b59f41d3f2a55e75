"""The database's promises, checked in SQL after a load, a sweep or a soak: no mentor over capacity,
every place counted, every request and relationship in a legal state.

`problems(cursor)` returns what is wrong, in words (an empty list when all is well). PostgreSQL and
SQLite alike: the SQL is plain.
"""

REQUEST_STATES = ("pending", "accepted", "declined", "cancelled", "expired", "closed")
RELATIONSHIP_STATES = ("active", "closed", "withdrawn")
SESSION_STATES = ("proposed", "confirmed", "held", "not_held", "cancelled", "replaced")

_in = lambda values: "(" + ", ".join(f"'{v}'" for v in values) + ")"  # noqa: E731

CHECKS = [
    ("mentors holding more places than their capacity",
     "SELECT COUNT(*) FROM mentor_profile WHERE places_taken > capacity"),
    ("mentors whose places_taken is not their active matches + waiting requests + places held on the waiting list",
     """
        SELECT COUNT(*) FROM mentor_profile m WHERE m.places_taken <>
            (SELECT COUNT(*) FROM relationship r WHERE r.mentor_id = m.id AND r.status = 'active')
          + (SELECT COUNT(*) FROM mentor_request q WHERE q.mentor_id = m.id AND q.status = 'pending')
          + (SELECT COUNT(*) FROM waitlist_entry w WHERE w.mentor_id = m.id AND w.status = 'offered')"""),
    ("requests in an unknown state", f"SELECT COUNT(*) FROM mentor_request WHERE status NOT IN {_in(REQUEST_STATES)}"),
    ("waiting requests with a decision recorded",
     "SELECT COUNT(*) FROM mentor_request WHERE status = 'pending' "
     "AND (decided_at IS NOT NULL OR decided_by IS NOT NULL)"),
    ("finished requests with no decision time",
     "SELECT COUNT(*) FROM mentor_request WHERE status <> 'pending' AND decided_at IS NULL"),
    ("mentees with more than one waiting request", """
        SELECT COUNT(*) FROM (SELECT mentee_id FROM mentor_request WHERE status = 'pending'
                              GROUP BY mentee_id HAVING COUNT(*) > 1) x"""),
    ("mentees with a waiting request and an active match", """
        SELECT COUNT(*) FROM mentor_request q JOIN relationship r ON r.mentee_id = q.mentee_id
        WHERE q.status = 'pending' AND r.status = 'active'"""),
    ("accepted requests without their relationship", """
        SELECT COUNT(*) FROM mentor_request q LEFT JOIN relationship r ON r.request_id = q.id
        WHERE q.status = 'accepted' AND r.id IS NULL"""),
    ("relationships whose request was not accepted", """
        SELECT COUNT(*) FROM relationship r JOIN mentor_request q ON q.id = r.request_id
        WHERE q.status <> 'accepted' OR q.mentee_id <> r.mentee_id OR q.mentor_id <> r.mentor_id"""),
    ("relationships in an unknown state",
     f"SELECT COUNT(*) FROM relationship WHERE status NOT IN {_in(RELATIONSHIP_STATES)}"),
    ("mentees with more than one active match", """
        SELECT COUNT(*) FROM (SELECT mentee_id FROM relationship WHERE status = 'active'
                              GROUP BY mentee_id HAVING COUNT(*) > 1) x"""),
    ("ended relationships with no end time",
     "SELECT COUNT(*) FROM relationship WHERE status <> 'active' AND closed_at IS NULL"),
    ("sessions in an unknown state",
     f"SELECT COUNT(*) FROM mentoring_session WHERE status NOT IN {_in(SESSION_STATES)}"),
    ("sessions still planned in ended mentoring", """
        SELECT COUNT(*) FROM mentoring_session s JOIN relationship r ON r.id = s.relationship_id
        WHERE r.status <> 'active' AND s.status IN ('proposed', 'confirmed')"""),
    ("waiting requests to a mentee who is deactivated", """
        SELECT COUNT(*) FROM mentor_request q JOIN mentee_profile p ON p.id = q.mentee_id
        WHERE q.status = 'pending' AND p.deactivated_at IS NOT NULL"""),
    ("outbox rows given up on", "SELECT COUNT(*) FROM email WHERE status = 'failed'"),
]


def problems(cursor, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for what, sql in CHECKS:
        if what in skip:
            continue
        cursor.execute(sql)
        count = cursor.fetchone()[0]
        if count:
            found.append(f"{count:,} {what}")
    return found
