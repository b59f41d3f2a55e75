"""Indexes for the dashboard's follow-up lists and counts, found by bench/dashboard.py on 100,000
mentees: each is partial, holding only the few rows the dashboard asks about."""


def up(migrator, db):
    migrator.migrate(migrator.drop_index('mentee_profile', 'mentee_profile_first_requested_at_created_at'))
    db.execute_sql("CREATE INDEX mentee_profile_quiet_signup ON mentee_profile (created_at) "
                   "WHERE first_requested_at IS NULL AND deactivated_at IS NULL")
    db.execute_sql("CREATE INDEX mentoring_session_planned_or_held ON mentoring_session (relationship_id) "
                   "WHERE status IN ('proposed', 'confirmed', 'held')")
    db.execute_sql('CREATE INDEX user_invited ON "user" (created_at) WHERE password_hash IS NULL')


def down(migrator, db):
    for name in ("user_invited", "mentoring_session_planned_or_held", "mentee_profile_quiet_signup"):
        db.execute_sql(f"DROP INDEX {name}")
    migrator.migrate(migrator.add_index('mentee_profile', ('first_requested_at', 'created_at')))
