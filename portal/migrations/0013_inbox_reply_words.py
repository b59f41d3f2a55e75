"""The words of a reply from the inbox, kept with the reply so the team can follow an item (the outbox's copy
is purged after a while). Earlier replies have none: their words were only ever in the outbox."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('inbox_reply', 'message', TextField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('inbox_reply', 'message'))
