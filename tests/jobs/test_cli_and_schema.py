"""Commands an operator runs, and the migrations keeping step with the models."""
from playhouse.schema_diff import diff_models

from jobs.schedule import scheduler
from jobs.sweeps import DAILY, EVERY_MINUTE
from portal.core import clock, db
from portal.dev import history
from portal.models import (MODELS, InboxItem, MentoringSession, MentorProfile, MentorRequest, Relationship, SweepRun,
                           User)
from tests.support.factories import make_mentor, make_user
from tests.support.jobs import work
from tests.support.web import Web


def test_migrations_build_exactly_the_models(app):
    assert db.upgrade() == []  # already applied: running again changes nothing
    assert not diff_models(db.database.obj, MODELS)


def test_create_the_first_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["admin", "create", "Ada@Example.org", "--name", "Ada Admin"],
                           input="lantern meadow crisp\nlantern meadow crisp\n")
    assert result.exit_code == 0, result.output
    ada = User.get(User.email == "ada@example.org")
    assert ada.is_admin and ada.email_confirmed_at
    Web(app.test_client()).login("ada@example.org", "lantern meadow crisp")


def test_admin_create_refuses_a_weak_password_or_a_bad_address(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["admin", "create", "ada@example.org", "--name", "Ada"], input="short\nshort\n")
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    bad = runner.invoke(args=["admin", "create", "not-an-address", "--name", "Ada"],
                        input="lantern meadow crisp\nlantern meadow crisp\n")
    assert bad.exit_code != 0 and "Invalid value" in bad.output
    assert not User.select().exists()


def test_admin_create_asks_for_a_name_when_not_given(app):
    result = app.test_cli_runner().invoke(args=["admin", "create", "ada@example.org"],
                                          input="lantern meadow crisp\nlantern meadow crisp\nAda Admin\n")
    assert result.exit_code == 0, result.output
    assert User.get().name == "Ada Admin"


def test_demo_data_loads_once(app):
    runner = app.test_cli_runner()
    assert "Demo data loaded." in runner.invoke(args=["demo", "load"]).output
    count = User.select().count()
    assert "nothing loaded" in runner.invoke(args=["demo", "load"]).output
    assert User.select().count() == count == 10 + history.MENTEES + history.MORE_MENTORS  # and a year behind them
    # Something on every page: a request waiting, a match with a session booked, an item in the inbox,
    # six named mentors with every field and a photo.
    sam, jordan = (User.get(User.email == email) for email in ("sam.rivers@example.org", "jordan.lee@example.org"))
    waiting = MentorRequest.get(MentorRequest.mentee == sam.mentee)
    assert (waiting.status, waiting.mentor.user.email) == ("pending", "priya.shah@example.org")
    matched = Relationship.get(Relationship.mentee == jordan.mentee)
    assert matched.mentor.user.email == "tom.oconnell@example.org" and matched.status == "active"
    assert MentoringSession.get(MentoringSession.relationship == matched).status == "confirmed"
    assert InboxItem.get().kind == "interest"
    named = list(MentorProfile.select().where(MentorProfile.photo.is_null(False)))
    assert len(named) == 6 and all(m.why_mentor and m.trust and m.pronouns and m.listed for m in named)


def test_every_sweep_is_scheduled(app_context):
    cron = {job.func_name: job.cron for job in scheduler("portal-tests").get_jobs()}
    assert cron == {**{f"jobs.sweeps.{s.__name__}": "* * * * *" for s in EVERY_MINUTE},
                    **{f"jobs.sweeps.{s.__name__}": "17 3 * * *" for s in DAILY}}


def test_the_sweeps_cron_queues_carry_this_portal_and_run(app, app_context):
    from portal.core.queue import queue, redis_connection
    deployment = app.config["DEPLOYMENT_ID"]
    jobs = scheduler(app.config["RQ_QUEUE"]).get_jobs()
    for job in jobs:
        assert job.name == f"{deployment}:{job.func_name.rsplit('.', 1)[1]}"  # its history is this portal's
    requeue = next(job for job in jobs if job.func_name == "jobs.sweeps.requeue_emails")
    queued = requeue.enqueue(redis_connection())
    assert queued.meta == {"deployment": deployment} and queued.origin == queue().name
    work(app)  # not refused as another portal's
    assert SweepRun.get(SweepRun.name == "requeue_emails").last_result == 0


def test_the_locations_migration_renames_a_sessions_place_and_the_directory_options_both_ways(app, app_context):
    """0010: "place" means a mentor's capacity only; what was a place to meet is kept as a location."""
    mentor = make_mentor(locations="York")
    mentee = make_user("mina@example.org", "Mina Mentee", mentee=True).mentee
    mentor_request = MentorRequest.create(mentee=mentee, mentor=mentor, note="Coming back", deadline=clock.now())
    relationship = Relationship.create(mentor_request=mentor_request, mentee=mentee, mentor=mentor)
    MentoringSession.create(relationship=relationship, starts_at=clock.now(), length_minutes=60, mode="in_person",
                            location="The library, York", proposed_by="mentee")

    def stored(column):
        return (db.database.execute_sql(f"SELECT {column} FROM mentoring_session").fetchone()[0],
                db.database.execute_sql("SELECT value FROM mentor_option WHERE kind = 'location'").fetchall(),
                db.database.execute_sql("SELECT value FROM mentor_option WHERE kind = 'place'").fetchall())

    assert stored("location") == ("The library, York", [("york",)], [])
    assert db.migrator_runner().down(target="0010_locations") == [
        "0013_inbox_reply_words", "0012_email_change", "0011_accessibility_statement", "0010_locations"]
    assert stored("place") == ("The library, York", [], [("york",)])
    assert db.upgrade() == ["0010_locations", "0011_accessibility_statement", "0012_email_change",
                            "0013_inbox_reply_words"]
    assert stored("location") == ("The library, York", [("york",)], [])
    assert not diff_models(db.database.obj, MODELS)
