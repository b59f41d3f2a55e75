"""What every subject shares: the database and the clock, the outbox mail, signed links, the team's inbox,
the texts the scheme owns, htmx helpers, paging, formatting, calendar entries, and who may do what."""
