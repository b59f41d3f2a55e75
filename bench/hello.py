"""The bare Flask app: one route answering "hello", served by the same gunicorn settings as the portal
(bench.harness.gunicorn, app="bench.hello:app"). The ceiling for this stack on this machine."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello", 200, {"Content-Type": "text/plain"}
