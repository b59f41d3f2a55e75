"""The life of a mentoring relationship: it opens when a mentor accepts (portal/requests/), and ends by
closing (the allowance used, or both agree) or by a withdrawal through the admin team."""
from enum import StrEnum

from portal.core.roles import ADMIN, MENTEE, MENTOR, SYSTEM
from portal.rules.moves import Move, move


class RelationshipStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


RELATIONSHIP_MOVES = {
    (RelationshipStatus.ACTIVE, "close"): (RelationshipStatus.CLOSED, {MENTOR, MENTEE, ADMIN, SYSTEM}),
    (RelationshipStatus.ACTIVE, "withdraw"): (RelationshipStatus.WITHDRAWN, {ADMIN}),
}


def relationship_move(state: str, action: str, by: str) -> Move:
    return move(RELATIONSHIP_MOVES, state, action, by)
