"""Accounts: signing up, logging in, passwords, invitations, the roles a login holds, the mentoring
agreement, and interest in becoming a mentor."""
