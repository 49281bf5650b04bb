"""作业检查: homework audits, one row per teacher × class × subject inspection."""
