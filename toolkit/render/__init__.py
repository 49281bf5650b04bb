"""Rendering: the only layer that writes output files (xlsx via xlsxwriter, PNG, …)."""
