"""People change their own email address: the address asked for waits beside the one in use
until the link sent to it is pressed."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'pending_email', CharField(max_length=254, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'pending_email'))
