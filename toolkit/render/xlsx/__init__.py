"""The xlsx machinery every workbook shares: styles, typed tables, native charts, the overview
book, the 数据问题 and 口径说明 sheets."""
