"""小题分: item scores, one row per student, one column per item with its 满分 and 知识点."""
