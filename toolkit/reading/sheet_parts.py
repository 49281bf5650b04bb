"""A large worksheet read by calamine in parts, one part per core.

calamine parses a sheet on one core, without holding the GIL, and a platform's 120,000-row
export takes it most of the run's reading time (docs/scale.md). A worksheet's rows stand one
after another in its XML, so the rows between two ``<row r="…">`` tags can be handed to calamine
as a sheet of their own: a copy of the package, uncompressed in a temporary folder, whose only
worksheet data is that stretch of rows. Each part is parsed on a thread of its own, and the
parts' grids are put back together as the one grid calamine would have returned (anchored at A1,
as wide as the widest row, empty cells ``""``).

Everything calamine reads besides the sheet's rows (shared strings, styles and so dates, the
1904 flag, merged ranges) is the original's, copied unchanged. A part starts at a row that
names its number, so calamine numbers every row of it as it would in the whole sheet; and when
the parts' rows overlap (rows out of order, a cell addressed outside its row) the sheet is read
whole instead, as it is for any other surprise (:func:`split_sheet` or :meth:`PartFiles.read`
returns None).
"""

from __future__ import annotations

import multiprocessing
import re
import tempfile
import zipfile
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.reading.parallel import usable_cores
from toolkit.reading.xlsx_parts import grid_bound

# A sheet's XML is read in parts of at least this size (about 1,500 rows of 25 cells): a 2 MB
# sheet read in two parts takes four fifths of the time, a 5 MB one three fifths, the copy
# included (docs/scale.md).
PART_MIN_BYTES = 1 << 20
# Every part parses the workbook's shared strings and styles anew, and the parts' Python values
# are made and joined one after another: past a few parts, more cores add that cost, not speed.
MAX_PARTS = 4

_OPEN = b"<sheetData>"
_CLOSE = b"</sheetData>"
_ROW_START = b'<row r="'
# What every worksheet of a part's package but the one read holds: calamine opens only the
# sheet it is asked for, and copying the others would cost as much as the sheet itself.
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)

Grid = list[list[Any]]
MergedRange = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), inclusive


def part_count(xml: bytes) -> int:
    """How many parts a sheet of this XML is read in: 1 (whole) when small, on one core, or
    in a worker process (the cores are already shared among the workers reading the files)."""
    if multiprocessing.parent_process() is not None:
        return 1
    return max(1, min(usable_cores(), MAX_PARTS, len(xml) // PART_MIN_BYTES))


class PartFiles:
    """A sheet to be read in parts: :meth:`read` holds each stretch of its rows to the grid
    guard's bound, writes it as a package of its own and has calamine parse it, on a thread
    per part."""

    def __init__(
        self,
        sheet: str,
        part: str,
        others: dict[str, bytes],
        xml: bytes,
        cuts: list[int],
        bound: re.Pattern[bytes],
    ) -> None:
        self.sheet, self._part, self._others = sheet, part, others
        self._xml: bytes | None = xml
        self._cuts, self._bound = cuts, bound
        self._within = 0  # the parts found within the bound

    @property
    def bounded(self) -> bool:
        """Whether every part was found within the bound, and so the whole sheet is."""
        return self._within == len(self._cuts) - 1

    def read(self) -> tuple[Grid, list[MergedRange]] | None:
        """The sheet's grid and merged ranges as calamine gives them for the whole sheet; None
        when it is to be read whole (after the whole sheet is measured, unless
        :attr:`bounded`).

        The parts are checked and written one after another on this thread, each handed to
        calamine on a thread of its own as soon as it is written: the next part's check (in
        Python, holding the GIL) runs while calamine parses the one before (without it)."""
        count = len(self._cuts) - 1
        try:
            with (
                tempfile.TemporaryDirectory(prefix="xueqing-") as folder,
                ThreadPoolExecutor(count, thread_name_prefix="calamine") as pool,
            ):
                parsing = []
                for k in range(count):
                    target = Path(folder) / f"{k}.xlsx"
                    self._check(k)
                    self._write(k, target)
                    parsing.append(pool.submit(self._parse, k, target))
                self._xml = None  # written: not held while the parts become Python objects
                read = [part.result() for part in parsing]
        except Exception:  # a part calamine would not take: the whole sheet says what is wrong
            return None
        finally:
            self._xml = None
        grid = _joined([piece for piece, _ in read])
        return (grid, read[0][1]) if grid is not None else None

    def _check(self, k: int) -> None:
        """Part ``k`` held to the bound before calamine may see it (a grid too large aborts
        calamine)."""
        xml, cuts = self._xml, self._cuts
        assert xml is not None
        start = 0 if k == 0 else cuts[k]  # the first and last parts carry what is around
        end = len(xml) if k == len(cuts) - 2 else cuts[k + 1]  # the rows (no cell is there)
        if self._bound.search(xml, start, end):
            raise OutOfBound(self.sheet)
        self._within += 1

    def _write(self, k: int, target: Path) -> None:
        xml, cuts = self._xml, self._cuts
        assert xml is not None
        # Stored, not deflated: calamine reads it once, straight after.
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for name, data in self._others.items():
                out.writestr(name, data)
            with out.open(self._part, "w", force_zip64=True) as sheet, memoryview(xml) as view:
                sheet.write(view[: cuts[0]])
                sheet.write(view[cuts[k] : cuts[k + 1]])
                sheet.write(view[cuts[-1] :])

    def _parse(self, k: int, target: Path) -> tuple[_Piece | None, list[MergedRange]]:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(target))
        try:
            found = book.get_sheet_by_name(self.sheet)
            merged = list(found.merged_cell_ranges or []) if k == 0 else []
            if found.start is None:
                return None, merged
            (top, left), (_, right) = found.start, found.end
            if k == 0:  # the first part anchored at A1, as the whole sheet is read
                return _Piece(found.to_python(skip_empty_area=False), 0, 0, right), merged
            return _Piece(found.to_python(skip_empty_area=True), top, left, right), merged
        finally:
            book.close()


class OutOfBound(Exception):
    """A part of the sheet holds a reference outside the grid guard's bound."""


def split_sheet(
    path: Path, sheet: str, part: str, worksheets: Collection[str], xml: bytes, parts: int
) -> PartFiles | None:
    """Sheet ``sheet`` (its XML ``xml``, the part ``part`` of the package at ``path``, whose
    worksheet parts are ``worksheets``) cut into ``parts`` stretches of rows; None when it is
    to be read whole (after the grid guard)."""
    cuts = _cuts(xml, parts)
    bound = grid_bound(xml)
    if cuts is None or bound is None:
        return None
    try:
        with zipfile.ZipFile(path) as source:
            others = {
                info.filename: _EMPTY_SHEET
                if info.filename in worksheets
                else source.read(info.filename)
                for info in source.infolist()
                if info.filename != part
            }
    except Exception:  # calamine says what is wrong with the package
        return None
    return PartFiles(sheet, part, others, xml, cuts, bound)


def _cuts(xml: bytes, parts: int) -> list[int] | None:
    """Where the parts begin and end: the start of the rows, a row tag that names its number
    near the end of each part's share, and the end of the rows."""
    opened = xml.find(_OPEN)
    closed = xml.rfind(_CLOSE)
    if opened < 0 or closed < opened or parts < 2:
        return None
    start = opened + len(_OPEN)
    shares = [_SHRINK**k for k in range(parts)]
    cuts = [start]
    for k in range(1, parts):
        near = start + int(sum(shares[:k]) / sum(shares) * (closed - start))
        at = xml.find(_ROW_START, near, closed)
        if at > cuts[-1]:
            cuts.append(at)
    cuts.append(closed)
    return cuts if len(cuts) > 2 else None


# A part reaches calamine once the parts before it are checked and written, one after another,
# so each part is smaller than the one before, for all of them to be parsed by about the same
# time: parsing a stretch costs calamine about four times what checking and writing it costs
# (2.7 s against 0.7 s for the 120,000-row sheet, docs/scale.md), so each part is 4/5 of the
# one before (two parts: 56% and 44%).
_SHRINK = 0.8


@dataclass
class _Piece:
    """One part's grid: its rows from ``top`` (``left`` the column of their first cell)."""

    rows: Grid
    top: int
    left: int
    right: int  # the last column, inclusive


def _joined(pieces: list[_Piece | None]) -> Grid | None:
    """The parts' grids as one, from A1: rows between parts blank, every row as wide as the
    widest; None when the parts' rows overlap."""
    filled = [piece for piece in pieces if piece is not None]
    if not filled:
        return []
    width = max(piece.right for piece in filled) + 1
    grid: Grid = []
    for piece in filled:
        if piece.top < len(grid):
            return None  # rows out of order, or a cell outside its row's stretch
        grid.extend([""] * width for _ in range(piece.top - len(grid)))
        for row in piece.rows:
            if piece.left:
                row[:0] = [""] * piece.left
            if len(row) < width:
                row.extend([""] * (width - len(row)))
        grid.extend(piece.rows)
    return grid
