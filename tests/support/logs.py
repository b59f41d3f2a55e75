"""What the portal logs, read as its own handler writes it (portal/core/logs.py)."""
import contextlib
import io
import logging
import re

from portal.core.logs import line_handler

REQUEST_LINE = re.compile(r"request_id=(?P<id>\S+) method=(?P<method>\S+) route=(?P<route>\S+) status=(?P<status>\S+) "
                          r"duration_ms=(?P<ms>\d+\.\d)$")


@contextlib.contextmanager
def written_lines():
    """Everything logged at INFO or above meanwhile: a function giving the lines so far."""
    root = logging.getLogger()
    written = io.StringIO()
    handler = line_handler(written)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: written.getvalue().splitlines()
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
