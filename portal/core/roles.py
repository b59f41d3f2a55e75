"""The names of the roles a login can hold, defined once: access checks them, the request and
mentoring rules record who acted by them, and the admin pages label them."""

MENTEE, MENTOR, ADMIN = "mentee", "mentor", "admin"
# Not a role: the portal itself, recorded as having acted when a deadline or a sweep moves something.
SYSTEM = "system"
