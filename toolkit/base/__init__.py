"""Shared machinery below every layer: problems as data, text, class and school names, file
ownership."""
