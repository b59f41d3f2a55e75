"""The directory: mentees searching and filtering the register, a mentor's profile, and asking or
joining a waiting list from it."""
