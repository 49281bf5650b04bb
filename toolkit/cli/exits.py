"""The exit codes of every command: 0 done, 1 the data have errors, 2 the command could not run."""

EXIT_OK, EXIT_DATA_ERRORS, EXIT_FAILURE = 0, 1, 2
