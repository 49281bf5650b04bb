"""The record kinds: one registry, how a file's kind is recognised, and each kind's report."""
