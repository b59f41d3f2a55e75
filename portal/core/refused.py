"""Refused: something a person asked for that the portal will not do, with the reason in words for them.

Plain Python, so the rules can raise it too. Each subject names its own kind (SessionRefused,
RequestRefused, ...) where its callers need to tell them apart; views catch only Refused, and show
it with partials.refusal_shown.
"""


class Refused(ValueError):
    """Why something cannot be done, in words for the person trying."""
