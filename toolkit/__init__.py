"""xueqing (学情): school Excel sheets in, meeting-ready summary workbooks and charts out.

Kept import-free so that ``xueqing --help`` starts fast; heavy modules load per command.
"""

__version__ = "0.1.0"
