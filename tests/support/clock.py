"""Stopping the portal's clock at a moment, so that dates in pages and emails are known."""
from datetime import datetime

from portal.core import clock


def at(moment: str):
    """Run a block at this UTC time, with the clock stopped."""
    return clock.frozen(datetime.fromisoformat(moment))
