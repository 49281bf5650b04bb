"""The analysis workbooks: scores, item scores, every routine kind (one writer), the school
config."""
