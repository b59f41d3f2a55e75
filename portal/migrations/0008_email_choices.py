"""Emails people can live with: each person's choices (news as it happens, in a daily summary or not at
all; an admin's copy of the weekly summary), news held in the outbox for a summary, the one-click
unsubscribe of each message, and lasting links (a calendar address, a link to stop emails) with no expiry."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Email(Model):
        class Meta:
            database = db
            table_name = 'email'

    class EmailPreference(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        news = CharField(max_length=10, default='at_once')
        summary_hour = IntegerField(default=8)
        weekly_summary = BooleanField(default=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'email_preference'
    db.create_tables([EmailPreference])

    migrator.migrate(
        migrator.add_column('email', 'held_body', TextField(default='')),
        migrator.add_column('email', 'summary_id', ForeignKeyField(Email, field=Email.id, null=True,
                                                                   on_delete='SET NULL')),
        migrator.add_column('email', 'unsubscribe_url', CharField(max_length=300, null=True)),
        migrator.add_index('email', ('user_id', 'status')),
        migrator.drop_not_null('action_link', 'expires_at'),
    )


def down(migrator, db):
    db.execute_sql("DELETE FROM action_link WHERE expires_at IS NULL")
    migrator.migrate(
        migrator.add_not_null('action_link', 'expires_at'),
        migrator.drop_index('email', 'email_user_id_status'),
        migrator.drop_column('email', 'unsubscribe_url'),
        migrator.drop_column('email', 'summary_id'),
        migrator.drop_column('email', 'held_body'),
        migrator.drop_table('email_preference'),
    )
