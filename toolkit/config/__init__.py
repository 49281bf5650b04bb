"""The school config (学校配置.xlsx): the model (pure), how it is read, and its tables."""
