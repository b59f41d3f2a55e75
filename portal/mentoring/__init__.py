"""Mentoring: relationships from the mentor's yes to their end, and the sessions within them."""
