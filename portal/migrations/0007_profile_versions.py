"""A version for each mentor profile, so a save from a form opened before someone else's save is
noticed instead of undoing it; the change history notes the version each save made."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('mentor_profile', 'profile_version', IntegerField(default=1)))
    migrator.migrate(migrator.add_column('profile_change', 'version', IntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('profile_change', 'version'))
    migrator.migrate(migrator.drop_column('mentor_profile', 'profile_version'))
