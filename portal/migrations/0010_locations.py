"""One word, one meaning: "place" is a mentor's capacity only; where people meet is a location. A session's
place becomes its location, and the directory's place options become location options."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.rename_column('mentoring_session', 'place', 'location'))
    db.execute_sql("UPDATE mentor_option SET kind = 'location' WHERE kind = 'place'")


def down(migrator, db):
    db.execute_sql("UPDATE mentor_option SET kind = 'place' WHERE kind = 'location'")
    migrator.migrate(migrator.rename_column('mentoring_session', 'location', 'place'))
