"""The life of a mentoring relationship: it opens when a mentor accepts (portal/requests/), and ends by
closing (the allowance used, or both agree) or by a withdrawal through the admin team."""
from portal.core.roles import ADMIN, MENTEE, MENTOR, SYSTEM
from portal.rules.moves import Move, move

ACTIVE, ENDED, WITHDRAWN = "active", "closed", "withdrawn"

RELATIONSHIP_MOVES = {
    (ACTIVE, "close"): (ENDED, {MENTOR, MENTEE, ADMIN, SYSTEM}),
    (ACTIVE, "withdraw"): (WITHDRAWN, {ADMIN}),
}


def relationship_move(state: str, action: str, by: str) -> Move:
    return move(RELATIONSHIP_MOVES, state, action, by)
