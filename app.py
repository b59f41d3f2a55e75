"""Entry point: `flask --app app ...` and `gunicorn -c gunicorn.conf.py app:app`."""
import os

from portal import create_app
from portal.core import logs

# Before the app, so that its first lines are in the same form as the rest (portal/core/logs.py).
logs.configure(os.environ.get("LOG_LEVEL", "INFO").upper())
app = create_app()
