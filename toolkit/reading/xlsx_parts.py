"""What an .xlsx says in its XML that python-calamine does not tell us.

calamine gives values only: it reads error values and formulas without a cached result as blank
cells, and does not say which rows are hidden. This module scans each worksheet's XML once with
byte-level regular expressions — cheap next to calamine's own parse, and skipped entirely for a
sheet whose XML holds no hidden row, error or formula — rather than parsing it a second time
with openpyxl, which would cost more than the read itself.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from toolkit.base.text import column_letter
from toolkit.reading.faults import CellFault, ExcelError, UncomputedFormula

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)


# calamine builds a dense grid from A1 to the farthest filled cell, 32 bytes a cell: one value
# in XFD1048576 asks for 512 GiB and aborts the process. A sheet whose filled cells span more
# than this is refused before calamine is asked for it.
MAX_GRID_CELLS = 20_000_000
# A cell reference far enough out (column AAA+, or row 100,000+) to make the grid worth sizing.
# Any r="…" attribute of that form, not only a cell's: the pattern then starts with a literal
# that re finds in C (0.3 s where anchoring it on <c took 1.7 s, at 120,000 rows); a match that
# is not a cell only costs the bound below.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{6})')


@dataclass
class SheetFacts:
    """Per worksheet: hidden rows (0-based), faulty cells by (row, col), both 0-based, and the
    grid's extent (rows, columns) when it is too large to read."""

    hidden_rows: set[int] = field(default_factory=set)
    faults: dict[tuple[int, int], CellFault] = field(default_factory=dict)
    too_large: tuple[int, int] | None = None


def sheet_facts(path: Path, names: Collection[str] | None = None) -> dict[str, SheetFacts]:
    """Facts per sheet name (of ``names``, or all) of an .xlsx/.xlsm; empty for other formats
    or unreadable XML."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            facts = {}
            for name, part in _sheet_parts(archive).items():
                if names is not None and name not in names:
                    continue
                found = _scan(archive.read(part))
                if found.hidden_rows or found.faults or found.too_large:
                    facts[name] = found
            return facts
    except Exception:  # zlib.error, BadZipFile, ParseError …: calamine reports the damage
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PACKAGE_REL}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(part)
    return parts


def _scan(xml: bytes) -> SheetFacts:
    facts = SheetFacts()
    if _FAR_REF.search(xml):
        facts.too_large = _oversized_extent(xml)
    if b"hidden=" in xml:
        for match in _ROW.finditer(xml):
            attrs = match.group(1)
            if _HIDDEN.search(attrs) and (number := _ROW_NUMBER.search(attrs)):
                facts.hidden_rows.add(int(number.group(1)) - 1)
    if b't="e"' not in xml and b"<f" not in xml and b":f" not in xml:
        return facts
    for match in _CELL.finditer(xml):
        attrs, inner = match.group(1), match.group(2) or b""
        kind = _TYPE.search(attrs)
        fault = _fault(kind.group(1) if kind else b"n", inner)
        ref = _REF.search(attrs)
        if fault is not None and ref:
            facts.faults[(int(ref.group(2)) - 1, _column(ref.group(1)))] = fault
    return facts


# A row's number, found in C for a bound before the exact scan.
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]+)"')


def _oversized_extent(xml: bytes) -> tuple[int, int] | None:
    """The (rows, columns) spanned by cells holding a value, when over :data:`MAX_GRID_CELLS`."""
    # A bound first: no cell further right than the limit allows at the last row. A platform
    # export of 120,000 rows is far under the limit, and the exact scan below is a Python loop
    # over every cell (about 18 s there); the bound is a count and one search, in C. Only when
    # every row and cell says where it is (r is optional in the format; a cell naming it after
    # other attributes, or a prefixed <x:c>, is left to the exact scan).
    numbers = _ROW_NUMBERS.findall(xml)
    rows_all = xml.count(b"<row ") + xml.count(b"<row>")
    cells_all = xml.count(b"<c ") + xml.count(b"<c>")
    if numbers and len(numbers) == rows_all and xml.count(b'<c r="') == cells_all:
        allowed = MAX_GRID_CELLS // max(map(int, numbers))  # columns the last row may fill
        if allowed >= MAX_COLUMNS or (allowed and not _columns_beyond(allowed).search(xml)):
            return None
    rows: list[int] = []
    cols: list[int] = []
    for match in _CELL.finditer(xml):
        inner = match.group(2) or b""
        ref = _REF.search(match.group(1))
        if ref and (b"<v" in inner or b"<is" in inner or b":v" in inner or b":is" in inner):
            rows.append(int(ref.group(2)))
            cols.append(_column(ref.group(1)) + 1)
    if not rows:
        return None
    # calamine's grid starts at the first filled cell when asked for the used area, but the
    # reader anchors it at A1, so the grid is as large as the farthest cell.
    extent = (max(rows), max(cols))
    return extent if extent[0] * extent[1] > MAX_GRID_CELLS else None


MAX_COLUMNS = 16_384  # XFD: no reference goes further right


def _columns_beyond(allowed: int) -> re.Pattern[bytes]:
    """A pattern for a reference (r="…") to a column after the first ``allowed``: letters
    longer than the last allowed column's, or as long and after them (same-length column
    letters order as numbers do)."""
    last = column_letter(allowed - 1)
    parts = [f"[A-Z]{{{len(last) + 1},}}"]
    for i, letter in enumerate(last):
        if letter != "Z":
            rest = "[A-Z]" * (len(last) - i - 1)
            parts.append(f"{last[:i]}[{chr(ord(letter) + 1)}-Z]{rest}")
    return re.compile(f'r="(?:{"|".join(parts)})[0-9]'.encode())


def _fault(kind: bytes, inner: bytes) -> CellFault | None:
    value = _VALUE.search(inner)
    cached = value.group(1) if value else b""
    if kind == b"e":
        return ExcelError(_text(cached) or "#错误")
    if cached or kind in (b"s", b"inlineStr") or (kind == b"str" and value is not None):
        return None  # a result is cached (an empty text result is a real result)
    formula = _FORMULA.search(inner)
    if formula is None:
        return None
    text = _text(formula.group(1) or b"")
    return UncomputedFormula(f"={text}" if text else "=（共享公式）")


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace")).strip()


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1
