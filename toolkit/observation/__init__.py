"""听评课: lesson observations, one row per observed lesson."""
