"""The scheme's rules as plain Python: no Flask, no database, callable from any test."""
