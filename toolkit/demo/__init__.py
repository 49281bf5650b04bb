"""The demo school: a term of realistic files written as teachers send them, and the demo run."""
