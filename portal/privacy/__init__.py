"""A person's data rights (UK GDPR): a copy of their data, erasure, and the retention purge."""
