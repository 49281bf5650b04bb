"""Fill-in templates (填报模板): one workbook per record kind, built from the school config."""
