"""Is an existing file one of our own earlier outputs? Only those are ever replaced.

A user who types ``-o 工作总结.docx`` or points ``-o`` at a colleague's workbook must not lose
it (README "用法"). Every output carries a mark: a workbook, document or deck names xueqing as
the one who last modified it, or leaves that empty under our description (Excel, WPS and
LibreOffice put the user's name there on saving, so a template a teacher filled in, or a report
someone edited, is no longer ours); a PNG chart has a ``Software`` text chunk; a PDF converted
from our document keeps its author. Only the standard library is used, so that the command line
can check ``-o`` before any work.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MARK = "xueqing"
_ZIPPED = {".xlsx", ".xlsm", ".docx", ".pptx"}
_LAST_MODIFIED_BY = re.compile(r"<cp:lastModifiedBy>([^<]*)</cp:lastModifiedBy>")
# The workbooks' description since the first version; they leave "last modified by" empty.
_DESCRIPTION = "由 xueqing 生成"
_LEGACY_PNG_SIZE = (2000).to_bytes(4, "big") + (1125).to_bytes(4, "big")  # IHDR width, height
_TAIL = 256 * 1024  # a PDF's document information sits near its end


def is_our_output(path: Path) -> bool:
    """True when ``path`` is a file xueqing wrote (and so may be written again)."""
    suffix = path.suffix.lower()
    try:
        if suffix in _ZIPPED:
            with zipfile.ZipFile(path) as book:
                core = book.read("docProps/core.xml").decode("utf-8", errors="replace")
            return _ours(core)
        if suffix == ".png":
            with path.open("rb") as image:
                head = image.read(4096)
            if not head.startswith(b"\x89PNG"):
                return False
            # Charts of versions before the mark: 2000×1125 and no Software chunk at all.
            legacy = head[16:24] == _LEGACY_PNG_SIZE and b"Software\x00" not in head
            return b"Software\x00" + MARK.encode() in head or legacy
        if suffix == ".pdf":
            with path.open("rb") as document:
                size = document.seek(0, 2)
                document.seek(max(0, size - _TAIL))
                tail = document.read()
            # LibreOffice writes the author as UTF-16 in hex: <FEFF0078 0075 …>
            utf16_hex = MARK.encode("utf-16-be").hex().upper().encode()
            return MARK.encode() in tail or utf16_hex in tail.upper()
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def _ours(core: str) -> bool:
    """A package's core properties name us as the last to modify it, or leave that empty and
    carry our description (a workbook no one has saved since we wrote it)."""
    match = _LAST_MODIFIED_BY.search(core)
    last = match.group(1).strip() if match else ""
    return last == MARK or (not last and _DESCRIPTION in core)
