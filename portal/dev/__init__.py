"""Development only: `make run`'s launcher, the demo data, and the mailbox page shown without SMTP."""
