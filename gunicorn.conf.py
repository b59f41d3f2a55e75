"""gunicorn's settings for the portal: `gunicorn -c gunicorn.conf.py app:app` (the Procfile's web).

It listens on 127.0.0.1:8000, or on every address at $PORT when PORT is set (gunicorn's own rule);
GUNICORN_CMD_ARGS or the command line override anything here."""
import os

# Processes times threads: a page spends much of its time waiting for PostgreSQL or Redis, so each
# process runs a few at once, and a second process keeps the portal answering while one restarts.
# Two of four suit the two cores the portal is sized for; WEB_CONCURRENCY is the usual name for it.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"

# A worker silent for this long is stuck, and is replaced.
timeout = 30
# On a restart or a deploy, requests under way have this long to finish.
graceful_timeout = 30
# Longer than a load balancer's idle timeout (60 seconds on the common ones), so that the balancer
# closes an idle connection first and never sends a request down one that we have just closed.
keepalive = 75

# The app is loaded once, before the workers are forked: they start faster, and the static files are
# built once. Safe, as loading it opens no connection (the database and Redis are reached on first use,
# in each worker).
preload_app = True

# gunicorn's access log would repeat the portal's own line for each request, and would write the raw
# path, which may hold an emailed link's token (portal/core/logs.py writes the route instead).
accesslog = None
errorlog = "-"

# gunicornc's control socket is one path for every gunicorn of the user: a second gunicorn on the
# machine (staging beside production, a test beside `make run`) would take it over. Not used.
control_socket_disable = True
