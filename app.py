"""Entry point: `flask --app app ...` and `gunicorn app:app`."""
from portal import create_app

app = create_app()
