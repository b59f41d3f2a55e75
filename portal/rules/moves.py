"""A state machine's move: from a state, by an action, to a new state, allowed to some people only."""
from dataclasses import dataclass

from portal.core.refused import Refused


class MoveRefused(Refused):
    """A move that is not allowed, with the reason in words."""


@dataclass(frozen=True)
class Move:
    before: str
    action: str
    after: str
    by: str


def move(moves: dict, state: str, action: str, by: str, finished_words: dict | None = None) -> Move:
    if (state, action) not in moves:
        done = (finished_words or {}).get(state, state)
        raise MoveRefused(f"It has already been {done}" if finished_words else f"It is {state} already")
    after, allowed = moves[(state, action)]
    if by not in allowed:
        raise MoveRefused(f"Only the {' or '.join(sorted(allowed))} can {action} it")
    return Move(state, action, after, by)
