"""Write docs/口径.md from the 口径 tables in the code (run after changing a definition)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # a fresh clone: import toolkit from the working tree
    sys.path.insert(0, str(ROOT))

from toolkit.render.definitions_doc import DOC, definitions_doc  # noqa: E402

if __name__ == "__main__":
    (ROOT / DOC).write_text(definitions_doc(), encoding="utf-8")
    print(f"wrote {DOC}")
