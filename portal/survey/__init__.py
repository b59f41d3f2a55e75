"""The evaluation survey: inviting mentees when their mentoring ends, and anonymous answers."""
