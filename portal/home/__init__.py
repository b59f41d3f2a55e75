"""The home page of each role, and the pages for everyone: raising a concern, resources, health."""
