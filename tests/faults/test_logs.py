"""The logs of a whole journey, as the real processes write them (gunicorn, `flask worker`, `flask cron`,
started from the Procfile): a line for each request, each job and each sweep, in one form, and not one
email address, name, emailed token, request note, message or password in any line."""
import re

from tests.support.factories import make_mentor
from tests.support.forms import signup_form
from tests.support.logs import REQUEST_LINE
from tests.support.mentoring import NOTE
from tests.support.portal import portal_here, production_environ
from tests.support.processes import Visitor, eventually
from tests.support.servers import SmtpServer, text_of

JOB_LINE = re.compile(r" (INFO|WARNING) jobs request_id=\S+ route=(?P<route>(job|sweep):\w+) status=\w+ ")
CONCERN = "My supervisor keeps asking what I talk about in my sessions."
WELCOME = "Delighted to help you settle back into nights."


def link(message, path: str) -> str:
    return re.search(rf"http://portal\.test({path}/\S+)", text_of(message)).group(1)


def test_a_journey_logs_each_request_job_and_sweep_and_nothing_personal(database_url, redis_server, processes):
    smtp = SmtpServer()
    try:
        environ = production_environ(database_url, redis_server.url, smtp.url, SWEEP_SCHEDULE="* * * * * */2")
        processes.environ.update(environ)
        app = portal_here(environ)
        with app.app_context():
            mentor = make_mentor("priya.shah@example.org", "Priya Shah")
            profile = f"/mentors/{mentor.id}"
        port = processes.web()
        processes.worker()
        processes.cron()

        jo = Visitor(port)
        form = signup_form(name="Jo Bloggs", email="jo.bloggs@example.org")
        assert jo.submit("/signup", form, jo.get("/signup").token).status == 302
        confirm = link(smtp.mailbox.wait_for("jo.bloggs@example.org", "Confirm your email address", 60), "/confirm")
        assert jo.submit(confirm, {}, jo.get(confirm).token).status == 302
        jo.login("jo.bloggs@example.org", form["password"])
        for path in ("/", "/mentors/", profile):
            assert jo.get(path).status == 200
        assert jo.submit(f"{profile}/request", {"note": NOTE}).status == 302

        respond = link(smtp.mailbox.wait_for("priya.shah@example.org", "would like you as their mentor", 60),
                       "/respond")
        priya = Visitor(port)
        answer = priya.submit(respond, {"action": "accept", "message": WELCOME}, priya.get(respond).token)
        assert answer.status in (200, 302), answer.words[:300]
        assert jo.submit("/concern", {"name": "Jo Bloggs", "email": "jo.bloggs@example.org",
                                      "message": CONCERN}).status == 200
        smtp.mailbox.wait_for("jo.bloggs@example.org", "will be your mentor", 60)
        eventually(lambda: "route=sweep:" in processes.log("worker"), timeout=60, what="a sweep's line")
    finally:
        processes.stop()  # everything they had to say is written
        smtp.close()

    written = {name: processes.log(name) for name in ("web", "worker", "cron")}
    requests = [REQUEST_LINE.search(line) for line in written["web"].splitlines() if " portal.requests " in line]
    routes = {(found["method"], found["route"]) for found in requests if found}
    assert {("POST", "/signup"), ("GET", "/confirm/<token>"), ("POST", "/confirm/<token>"), ("POST", "/login"),
            ("GET", "/mentors/"), ("GET", "/mentors/<int:mentor_id>"), ("POST", "/mentors/<int:mentor_id>/request"),
            ("GET", "/respond/<token>"), ("POST", "/respond/<token>"), ("POST", "/concern")} <= routes, routes
    assert all(requests), "every request line is in the one form"
    jobs = {found["route"] for found in map(JOB_LINE.search, written["worker"].splitlines()) if found}
    assert {"job:deliver", "sweep:requeue_emails", "sweep:expire_requests"} <= jobs, jobs
    assert "Job OK" not in written["worker"] and "Successfully completed" not in written["worker"]

    tokens = [confirm.rsplit("/", 1)[1], respond.rsplit("/", 1)[1]]
    personal = ["jo.bloggs@example.org", "priya.shah@example.org", "Bloggs", "Shah", NOTE[:30], WELCOME[:30],
                CONCERN[:30], form["password"], *tokens]
    everything = "\n".join(written.values())
    assert [word for word in personal if word.lower() in everything.lower()] == []
    assert "@" not in everything
