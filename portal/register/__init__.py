"""The mentor register: profiles, headshots, a mentor's availability, and importing mentors from CSV."""
