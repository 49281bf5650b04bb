"""The command line: the parser, the commands and their one finish path, the console."""
