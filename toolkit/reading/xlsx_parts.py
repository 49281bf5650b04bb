"""What an .xlsx says in its XML that python-calamine does not tell us.

calamine gives values only: it reads error values and formulas without a cached result as blank
cells, and does not say which rows are hidden; and a grid too large to hold aborts it. This
module reads each worksheet's XML with byte-level regular expressions: before calamine, whether
the grid is too large (:func:`grid_extent`); while calamine parses it, the hidden rows and
faulty cells (:func:`cell_facts`, skipped for a sheet whose XML holds no hidden row, error or
formula). Parsing the XML a second time with openpyxl would cost more than the read itself.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
import threading
import zipfile
from collections.abc import Iterable
from concurrent.futures import Future
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


@dataclass
class SheetFacts:
    """Per worksheet: hidden rows (0-based), and faulty cells by (row, col), both 0-based."""

    hidden_rows: set[int] = field(default_factory=set)
    faults: dict[tuple[int, int], CellFault] = field(default_factory=dict)


class SheetXml:
    """A workbook's worksheet XML by sheet name: the parts found once, each read when asked.
    Nothing for other formats or a damaged package (calamine reports the damage)."""

    def __init__(self, path: Path) -> None:
        self._archive: zipfile.ZipFile | None = None
        self._parts: dict[str, str] = {}
        self._identity: _Identity | None = None
        if path.suffix.lower() not in _PACKAGES:
            return
        try:
            self._archive = zipfile.ZipFile(path)
            self._parts = _sheet_parts(self._archive)
            self._identity = _identity(path)
        except Exception:  # zlib.error, BadZipFile, ParseError …
            self.close()

    def read(self, name: str) -> bytes | None:
        if self._archive is None or name not in self._parts:
            return None
        part = self._parts[name]
        ahead = _taken(self._identity, part) if self._identity is not None else None
        if ahead is not None:
            return ahead
        try:
            return self._archive.read(part)
        except Exception:  # a damaged part, as above
            return None

    def part(self, name: str) -> str | None:
        """The package part holding sheet ``name``'s XML."""
        return self._parts.get(name)

    def worksheet_parts(self) -> set[str]:
        return set(self._parts.values())

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        self._archive, self._parts = None, {}

    def __enter__(self) -> SheetXml:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PACKAGES = {".xlsx", ".xlsm"}
# A worksheet part worth inflating ahead (smaller ones take milliseconds), and at most this much
# XML held until the reader takes it.
_AHEAD_MIN_BYTES = 16 << 20
_AHEAD_MAX_BYTES = 512 << 20

_Identity = tuple[str, int, int]  # a file's resolved path, modification time and size
_ahead: dict[_Identity, Future[dict[str, bytes]]] = {}
_ahead_lock = threading.Lock()


def inflate_ahead(paths: Iterable[Path]) -> None:
    """Begin inflating the large worksheets of the first workbook among ``paths``, on a thread,
    for :class:`SheetXml` to take when the reader asks for them.

    A platform's export is one package whose sheet inflates to 178 MB of XML (120,000 × 45):
    0.4 s in zlib, which holds no GIL, while a command spends 0.3 s importing pandas and the
    analysis before it reads (docs/scale.md). A file changed meanwhile is read anew."""
    first = next((p for p in paths if p.suffix.lower() in _PACKAGES and p.is_file()), None)
    identity = _identity(first) if first is not None else None
    if first is None or identity is None:
        return
    future: Future[dict[str, bytes]] = Future()
    with _ahead_lock:
        if identity in _ahead:
            return
        _ahead[identity] = future
    threading.Thread(target=_inflate, args=(first, future), name="inflate", daemon=True).start()


def _inflate(path: Path, future: Future[dict[str, bytes]]) -> None:
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
            held = 0
            for part in dict.fromkeys(_sheet_parts(archive).values()):
                size = sizes.get(part, 0)
                if size >= _AHEAD_MIN_BYTES and held + size <= _AHEAD_MAX_BYTES:
                    found[part] = archive.read(part)
                    held += size
    except Exception:  # the reader opens the file itself, and says what is wrong with it
        found = {}
    future.set_result(found)


def _taken(identity: _Identity, part: str) -> bytes | None:
    """Part ``part`` of the file, when it was inflated ahead (waiting for it to be); it is
    handed out once."""
    with _ahead_lock:
        future = _ahead.get(identity)
    if future is None:
        return None
    parts = future.result()
    with _ahead_lock:
        data = parts.pop(part, None)
        if not parts:
            _ahead.pop(identity, None)
    return data


def _identity(path: Path) -> _Identity | None:
    try:
        stat = path.stat()
        return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None


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


def cell_facts(xml: bytes) -> SheetFacts:
    """One worksheet's hidden rows and faulty cells."""
    facts = SheetFacts()
    if _holds(xml, b"hidden="):
        for match in _ROW.finditer(xml):
            attrs = match.group(1)
            if _HIDDEN.search(attrs) and (number := _ROW_NUMBER.search(attrs)):
                facts.hidden_rows.add(int(number.group(1)) - 1)
    if not any(_holds(xml, needle) for needle in (b't="e"', b"<f", b":f")):
        return facts
    for match in _CELL.finditer(xml):
        attrs, inner = match.group(1), match.group(2) or b""
        kind = _TYPE.search(attrs)
        fault = _fault(kind.group(1) if kind else b"n", inner)
        ref = _REF.search(attrs)
        if fault is not None and ref:
            facts.faults[(int(ref.group(2)) - 1, _column(ref.group(1)))] = fault
    return facts


# A search of this much of a sheet's XML holds the GIL for about a millisecond.
_STRETCH = 1 << 20


def _holds(xml: bytes, needle: bytes) -> bool:
    """Whether ``needle`` occurs in ``xml``, searched a stretch at a time. One search of a
    large sheet holds the GIL throughout (0.15 s at 120,000 rows), and the threads that start
    calamine's parse of the sheet's parts, meanwhile, need it for a moment (docs/scale.md)."""
    reach = len(needle) - 1  # a needle across a stretch's end is found from its start
    return any(
        xml.find(needle, start, start + _STRETCH + reach) >= 0
        for start in range(0, len(xml), _STRETCH)
    )


# The last row's number, for a bound before the exact scan.
_ROW_NUMBER_AT = re.compile(rb'<row r="([0-9]+)"')


def grid_bound(xml: bytes) -> re.Pattern[bytes] | None:
    """A pattern for a reference outside a bound that keeps the grid within
    :data:`MAX_GRID_CELLS`: below the last row tag's number, or further right than the limit
    allows at that row. None when the sheet names no row, so that there is no bound to hold.

    Any row number would do for the bound, since every cell's reference is held to it; the
    last row's is the one that holds for a sheet in order, and it is found at once. Like the
    exact scan of :func:`grid_extent`, the bound goes by the references: a cell without one (r
    is optional) is placed by calamine after the cell before it, and is not sized here."""
    number = _ROW_NUMBER_AT.match(xml, max(xml.rfind(b'<row r="'), 0))
    last = int(number.group(1)) if number else 0
    allowed = min(MAX_GRID_CELLS // last, MAX_COLUMNS) if last else 0  # the last row's columns
    return _beyond(allowed, last) if allowed else None


def grid_extent(xml: bytes) -> tuple[int, int] | None:
    """The (rows, columns) spanned by cells holding a value, when over :data:`MAX_GRID_CELLS`."""
    # The bound first, one pass in C. The exact scan below is a Python loop over every cell
    # (about 18 s at 120,000 rows), left for a sheet outside the bound or without row numbers
    # (prefixed, <x:row>).
    bound = grid_bound(xml)
    if bound is not None and not bound.search(xml):
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


def _beyond(allowed: int, last: int) -> re.Pattern[bytes]:
    """A pattern for a reference (r="…") to a column after the first ``allowed``, or to a
    row after ``last``."""
    columns = _after(column_letter(allowed - 1), "[A-Z]", "A", "Z")
    rows = _after(str(last), "[1-9]", "0", "9")
    # Every cell's reference is tried, so a try should end soon: a row number shorter than
    # ``last`` is left at once (the lookahead), and the letters and zeros are taken once
    # where Python has possessive quantifiers (3.11).
    digits, once = len(str(last)), _POSSESSIVE
    return re.compile(
        f'r="(?:(?:{columns})[0-9]|[A-Z]+{once}(?=[0-9]{{{digits}}})0*{once}(?:{rows})")'.encode()
    )


_POSSESSIVE = "+" if sys.version_info >= (3, 11) else ""


def _after(last: str, lead: str, low: str, high: str) -> str:
    """A pattern for the numerals after ``last``, written in the digits ``low``–``high``
    (column letters A–Z, row numbers 0–9) with ``lead`` first: longer, or as long and after it
    (numerals of the same length order as their text does)."""
    digit = f"[{low}-{high}]"
    parts = [f"{lead}{digit}{{{len(last)},}}"]
    for i, symbol in enumerate(last):
        if symbol != high:
            parts.append(f"{last[:i]}[{chr(ord(symbol) + 1)}-{high}]{digit}{{{len(last) - i - 1}}}")
    return "|".join(parts)


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
