"""Reading: the only layer that opens input files. Workbooks become grids with their origin."""
