"""质量监测成绩: score sheets read (read, views, full_marks), validated (schema, validate),
analysed (metrics, definitions) and reported (report: ``analyze``, the entry point)."""
