"""Compare two output folders part by part: every workbook, document and deck, XML part by XML part.

Used when code moves without meaning to change what it writes (issue 18: the demo's outputs stay
cell-for-cell the same). Parts that carry the time of writing (docProps/core.xml) are skipped;
images are compared by bytes. Run ``python scripts/compare_outputs.py BEFORE AFTER``.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ZIPPED = {".xlsx", ".docx", ".pptx"}
# Parts that differ between two runs of the same code: the write time and the generated-on date.
TIME_PARTS = {"docProps/core.xml"}
STAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?")


def _parts(path: Path) -> dict[str, bytes]:
    if path.suffix not in ZIPPED or not zipfile.is_zipfile(path):
        return {"": path.read_bytes()}
    with zipfile.ZipFile(path) as archive:
        return {
            name: STAMP.sub(b"<time>", archive.read(name))
            for name in archive.namelist()
            if name not in TIME_PARTS
        }


def compare(before: Path, after: Path) -> list[str]:
    """What differs between the two folders, one line per file or part."""
    differences = []
    old = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    new = {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    differences += [f"only before: {p}" for p in sorted(old - new)]
    differences += [f"only after: {p}" for p in sorted(new - old)]
    for name in sorted(old & new):
        first, second = _parts(before / name), _parts(after / name)
        for part in sorted(set(first) | set(second)):
            if first.get(part) != second.get(part):
                differences.append(f"differs: {name} {part}")
    return differences


def main(argv: list[str]) -> int:
    before, after = (Path(arg) for arg in argv)
    differences = compare(before, after)
    print("\n".join(differences) or "the same, part by part")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
