"""Shared machinery for row-per-record kinds: declarations, cell parsing, reading, validation."""
