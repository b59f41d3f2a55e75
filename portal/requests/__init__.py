"""Requests for a mentor: asking, answering (in the portal or from the emailed link), deadlines,
reminders and expiry; the places they hold, the waiting list, and mentees who have not chosen yet."""
