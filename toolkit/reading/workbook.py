"""Open a workbook with python-calamine and hand out its sheets as plain grids.

calamine is used directly rather than through ``pandas.read_excel``: we need the grid anchored
at A1 (so every value keeps its cell reference), the merged ranges and sheet visibility, none
of which ``read_excel`` exposes, and skipping pandas' per-sheet frame building is faster.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.base.problems import ProblemReport
from toolkit.base.text import cell_ref
from toolkit.reading.csv_sheet import CSV_SUFFIX, CsvError, read_csv_rows
from toolkit.reading.discover import InputFile
from toolkit.reading.faults import CELL_TEXT_LIMIT
from toolkit.reading.sheet_parts import MergedRange, PartFiles, part_count, split_sheet
from toolkit.reading.xlsx_parts import SheetFacts, SheetXml, cell_facts, grid_extent

Cell = Any

# Sheets a toolkit template carries besides its data: the hidden kind marker, the hidden lists
# its dropdowns draw on, and the instructions. They are never read as data.
MARKER_SHEET = "_xueqing"
LISTS_SHEET = "_下拉选项"
INSTRUCTIONS_SHEET = "填写说明"
MARKER_TAG = "xueqing-template"
REPORT_KIND = "report"  # the marker kind of a summary workbook the toolkit wrote
# The first sheet of an annotated return (``check --annotate``), recognised by its A1 title.
ANNOTATION_SHEET = "问题清单"
ANNOTATION_TITLE = "问题清单（xueqing 标注版回执）"


def is_report(report: ProblemReport, file: InputFile) -> bool:
    """Whether ``file`` was skipped as one of the toolkit's own reports."""
    return any(p.code == "file.report" and p.file == file.display for p in report)


# The header of the per-column table on a template's 填写说明 sheet. Its rows name the columns
# one per row (姓名, 语文, …) beside an example, so a score or item reader would take them for
# a table: the sheet is recognised by this header even when the marker sheet was deleted.
INSTRUCTIONS_HEADER = ("列名", "必填", "填写说明", "可填的值", "示例")
_INSTRUCTIONS_SCAN = 40  # rows searched for that header (the general lines come first)


@dataclass(frozen=True)
class TemplateMarker:
    """What a template says it is: its record kind and the template version."""

    kind: str
    version: int


@dataclass
class Sheet:
    """One worksheet: rows from A1 (0-based), merged ranges, and where it came from."""

    file: InputFile
    name: str
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)
    template: TemplateMarker | None = None  # set when the workbook is a toolkit template

    def fill_merged(self, *, rows: range | None = None, cols: set[int] | None = None) -> None:
        """Copy each merged range's value into every cell it covers.

        Restricted to ranges starting in ``rows`` and, for ranges spanning several rows,
        lying in ``cols``: a merged class column means one class, but a name merged across
        two data rows must not become two students.
        """
        for (r0, c0), (r1, c1) in self.merged:
            if rows is not None and r0 not in rows:
                continue
            if r1 > r0 and cols is not None and not set(range(c0, c1 + 1)) <= cols:
                continue
            if r0 >= len(self.rows) or c0 >= len(self.rows[r0]):
                continue
            value = self.rows[r0][c0]
            for r in range(r0, min(r1, len(self.rows) - 1) + 1):
                row = self.rows[r]
                for c in range(c0, min(c1, len(row) - 1) + 1):
                    row[c] = value


def read_sheets(file: InputFile, report: ProblemReport) -> Iterator[Sheet]:
    """Yield the visible sheets of ``file``; unreadable files and hidden sheets are reported."""
    import python_calamine

    if file.path.suffix.lower() == CSV_SUFFIX:
        yield from _csv_sheet(file, report)
        return

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(file.path))
    except Exception as exc:  # calamine raises several types; all mean "cannot open"
        report.add("error", "file.unreadable", file=file.display, reason=_why_unreadable(file, exc))
        return
    parts = SheetXml(file.path)
    # calamine parses a sheet without holding the GIL: the XML scan for what it does not report
    # runs here meanwhile, on the other core (docs/scale.md).
    loader = ThreadPoolExecutor(1, thread_name_prefix="calamine")
    try:
        marker = _marker(workbook, parts)
        if marker is not None and marker.kind == REPORT_KIND:
            # Our own output saved among the inputs (-o 作业检查/汇总.xlsx): not a teacher's sheet.
            report.add("note", "file.report", file=file.display)
            return
        for meta in workbook.sheets_metadata:
            if file.sheets is not None and meta.name.strip() not in file.sheets:
                continue  # another exam's sheet of this workbook, read with that exam
            if meta.name in (MARKER_SHEET, LISTS_SHEET) or (
                marker is not None and meta.name == INSTRUCTIONS_SHEET
            ):
                continue
            hidden = str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1] != "Visible"
            xml = parts.read(meta.name)
            # A sheet cut in parts is held to the grid guard's bound part by part, as calamine
            # parses them (sheet_parts); any other is measured whole before calamine sees it.
            split = _parts_of(file.path, meta.name, parts, xml)
            if split is None and _too_large(xml, report, file, meta.name):
                continue
            loading = loader.submit(_load_sheet, workbook, meta.name, split)
            facts = cell_facts(xml) if xml is not None else None
            del xml  # not held while calamine's rows become Python objects (the peak)
            try:
                loaded = loading.result()
                if loaded is None:  # a part outside the bound: measured whole, then read whole
                    if _too_large(parts.read(meta.name), report, file, meta.name):
                        continue
                    loaded = _load_sheet(workbook, meta.name, None)
            except Exception as exc:
                report.add(
                    "error",
                    "file.unreadable",
                    file=file.display,
                    sheet=meta.name,
                    reason=f"工作表无法读取（{exc}）",
                )
                continue
            assert loaded is not None
            rows, merged = loaded
            if hidden:
                if not all(blank_row(row) for row in rows):
                    report.add("warning", "sheet.hidden", file=file.display, sheet=meta.name)
                continue
            if meta.name.strip() == INSTRUCTIONS_SHEET and _is_instructions(rows):
                continue  # a template's instructions whose marker sheet was deleted
            if _is_annotation(meta.name, rows):
                continue  # the problem list of an annotated return sent in again
            where = {"file": file.display, "sheet": meta.name}
            _cap_long_text(rows, report, where)
            _restore_faults(rows, facts, report, where)
            yield Sheet(file, meta.name, rows, merged, marker)
    finally:
        loader.shutdown()
        parts.close()
        workbook.close()


def _too_large(xml: bytes | None, report: ProblemReport, file: InputFile, sheet: str) -> bool:
    """Whether the sheet's grid is too large for calamine to hold (reported as such)."""
    extent = grid_extent(xml) if xml is not None else None
    if extent is not None:
        report.add(
            "error",
            "sheet.too_large",
            file=file.display,
            sheet=sheet,
            cell=cell_ref(extent[0] - 1, extent[1] - 1),
            rows=extent[0],
            columns=extent[1],
        )
    return extent is not None


def _parts_of(path: Path, name: str, parts: SheetXml, xml: bytes | None) -> PartFiles | None:
    """A large sheet written out in parts, to be read on several cores (docs/scale.md)."""
    count = part_count(xml) if xml is not None else 1
    part = parts.part(name)
    if xml is None or count < 2 or part is None:
        return None
    return split_sheet(path, name, part, parts.worksheet_parts(), xml, count)


def _load_sheet(
    workbook: Any, name: str, split: PartFiles | None
) -> tuple[list[list[Cell]], list[MergedRange]] | None:
    """The sheet's grid and merged ranges, read in parts when cut; None when a part was not
    held within the grid guard's bound, and the whole sheet is to be measured first."""
    if split is not None:
        read = split.read()
        if read is not None:
            return read
        if not split.bounded:
            return None
    sheet = workbook.get_sheet_by_name(name)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


def blank_row(row: list[Cell]) -> bool:
    """Whether a grid row has no content; list.count runs in C, and a sheet "formatted to the
    end" has a million such rows. A filled last cell settles it first: a record row's usually is."""
    if row and row[-1] is not None and row[-1] != "":
        return False
    return row.count("") + row.count(None) == len(row)


def _is_annotation(name: str, rows: list[list[Cell]]) -> bool:
    return name.startswith(ANNOTATION_SHEET) and bool(rows) and rows[0][:1] == [ANNOTATION_TITLE]


def _cap_long_text(rows: list[list[Cell]], report: ProblemReport, where: dict[str, str]) -> None:
    """Cut text beyond Excel's own cell limit: only a program or a fault writes more, and a
    100 MB name would otherwise flow through every step and into every output."""
    for r, row in enumerate(rows):
        if blank_row(row):
            continue
        for c, value in enumerate(row):
            if type(value) is str and len(value) > CELL_TEXT_LIMIT:
                row[c] = value[:CELL_TEXT_LIMIT]
                cell = cell_ref(r, c)
                report.add("warning", "cell.too_long", cell=cell, length=len(value), **where)


def _restore_faults(
    rows: list[list[Cell]], facts: SheetFacts | None, report: ProblemReport, where: dict[str, str]
) -> None:
    """Put error values and uncomputed formulas back where calamine left blanks; say which
    rows with content are hidden (they are read like any other row)."""
    if facts is None:
        return
    for (r, c), fault in facts.faults.items():
        while len(rows) <= r:
            rows.append([""] * (len(rows[0]) if rows else 0))
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        if row[c] in ("", None):
            row[c] = fault
    hidden = sorted(r for r in facts.hidden_rows if r < len(rows) and not blank_row(rows[r]))
    if hidden:
        shown = "、".join(str(r + 1) for r in hidden[:10]) + ("……" if len(hidden) > 10 else "")
        report.add(
            "warning",
            "sheet.hidden_rows",
            cell=cell_ref(hidden[0], 0),
            count=len(hidden),
            rows=shown,
            **where,
        )


def _is_instructions(rows: list[list[Cell]]) -> bool:
    """Whether a 填写说明 sheet is a template's: it has the per-column table's header."""
    width = len(INSTRUCTIONS_HEADER)
    return any(
        tuple(str(v).strip() for v in row[:width]) == INSTRUCTIONS_HEADER
        for row in rows[:_INSTRUCTIONS_SCAN]
    )


def read_marker(file: InputFile) -> TemplateMarker | None:
    """The template marker of ``file``, or None (not a template, or unreadable)."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(file.path))
    except Exception:  # unreadable files are reported by whoever reads them
        return None
    try:
        with SheetXml(file.path) as parts:
            return _marker(workbook, parts)
    finally:
        workbook.close()


def _marker(workbook: Any, parts: SheetXml) -> TemplateMarker | None:
    if MARKER_SHEET not in workbook.sheet_names:
        return None
    xml = parts.read(MARKER_SHEET)
    if xml is not None and grid_extent(xml) is not None:
        return None
    try:
        rows = workbook.get_sheet_by_name(MARKER_SHEET).to_python(skip_empty_area=False)
    except Exception:
        return None
    first = [*rows[0], "", "", ""][:3] if rows else ["", "", ""]
    if str(first[0]).strip() != MARKER_TAG or not str(first[1]).strip():
        return None
    try:
        version = int(float(first[2]))
    except (TypeError, ValueError, OverflowError):
        version = 0
    return TemplateMarker(str(first[1]).strip(), version)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted OOXML workbook keeps inside its OLE container, as UTF-16 text.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# What else a renamed file is, by the part that names its application inside the zip.
_OTHER_OFFICE = {"word/": "Word 文档", "ppt/": "PowerPoint 演示文稿"}
_SAVE_AS = "请在 Excel/WPS 中打开原表后另存为 .xlsx 再提交"


def sheet_names(path: Path) -> list[str]:
    """Sheet names in order, without reading the sheets (an .xlsx's workbook part only: opening
    it with calamine would load its shared strings, a cost per file on a district's files)."""
    import html
    import re
    import zipfile

    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            with zipfile.ZipFile(path) as archive:
                part = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
            found = re.findall(r'<sheet\b[^>]*?name="([^"]*)"', part)
            return [html.unescape(n).strip() for n in found]
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            return [name.strip() for name in book.sheet_names]
        finally:
            book.close()
    except Exception:  # unreadable: the readers say why
        return []


def _csv_sheet(file: InputFile, report: ProblemReport) -> Iterator[Sheet]:
    """A CSV file as one sheet named after the file (its name may say the class: 四(1)班)."""
    try:
        rows: list[list[Cell]] = list(read_csv_rows(file.path))
    except (CsvError, OSError) as exc:
        reason = str(exc) if isinstance(exc, CsvError) else exc.strerror or str(exc)
        report.add("error", "file.unreadable", file=file.display, reason=reason)
        return
    name = file.path.stem
    _cap_long_text(rows, report, {"file": file.display, "sheet": name})
    yield Sheet(file, name, rows)


def _why_unreadable(file: InputFile, exc: Exception) -> str:
    """A reason a school office can act on, from what the file's bytes really are."""
    text = str(exc)
    path = file.path
    if path.stat().st_size == 0:
        return "文件是空的（0 字节），可能没有保存完整或传输失败，请让填表人重新发送"
    with path.open("rb") as handle:
        head = handle.read(8)
    if "password" in text.lower() or "encrypt" in text.lower() or _is_encrypted(path, head):
        return "文件有密码保护，请去掉密码后再提交（Excel：文件 › 信息 › 保护工作簿）"
    renamed = f"不是 Excel 表格（扩展名被改成了{path.suffix}）"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if names:
        for prefix, what in _OTHER_OFFICE.items():
            if any(name.startswith(prefix) for name in names):
                return f"这是 {what}，{renamed}"
        if not any(name.startswith("xl/") for name in names):
            return f"这是一个压缩包，{renamed}，请解压后提交其中的表格"
    if head.startswith(b"%PDF"):
        return f"这是 PDF 文件，{renamed}。{_SAVE_AS}"
    if head[:2] == b"PK" or (path.suffix.lower() in {".xlsx", ".xlsm"} and head != _OLE_MAGIC):
        if _looks_like_text(path):
            return f"这是文本文件（如 CSV），{renamed}。{_SAVE_AS}"
        return "文件已损坏（Excel 文件不完整，可能是传输中断），请让填表人重新发送"
    first = text.splitlines()[0] if text else type(exc).__name__
    return f"文件已损坏或格式不受支持（{first}），请让填表人重新发送"


def _is_encrypted(path: Path, head: bytes) -> bool:
    """An OOXML workbook saved with a password is an OLE file holding an EncryptedPackage."""
    if head != _OLE_MAGIC:
        return False
    with path.open("rb") as handle:
        return _ENCRYPTED_PACKAGE in handle.read(1 << 20)


def _looks_like_text(path: Path) -> bool:
    """Whether the file's start decodes as text (a CSV or TXT given an Excel name)."""
    with path.open("rb") as handle:
        sample = handle.read(4096)
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            decoded = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ch in decoded for ch in "\x00\x01\x02\x03\x04")
    return False
