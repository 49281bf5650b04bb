"""薄弱点台账: the weak-point ledger, one row per weak point of one class."""
