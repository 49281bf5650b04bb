"""Sheets of a record kind → one tidy frame, one row per record, every value typed.

Shared by every row-per-record kind (作业检查, 听评课, 薄弱点台账 and the config's tables). The
header is found by content; each cell is parsed by its field's type; each row keeps the file,
sheet and row it came from, and each table its column layout, so any later finding can name
the cell the user typed. Nothing here judges ranges (that is ``validate.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from toolkit.base.classnames import ClassId
from toolkit.base.problems import Problem, ProblemReport
from toolkit.base.rows import row_totals
from toolkit.base.text import cell_ref, is_blank, normalize
from toolkit.reading.context import (
    SheetContext,
    read_stacked_tables,
    reasons_given,
    report_nothing_read,
)
from toolkit.reading.discover import InputFile
from toolkit.reading.header import (
    MAX_HEADER_SCAN,
    HeaderMatch,
    header_key,
    locate_header,
    report_duplicates,
    report_unused,
)
from toolkit.reading.walker import TableRows, walk_rows
from toolkit.reading.workbook import Sheet, is_report, read_sheets
from toolkit.records.cells import parse_cell
from toolkit.records.fields import KIND_TITLES, RecordKind, WideForm

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig

META_COLUMNS = ["文件", "工作表", "行", "表", "问题"]
# A row whose first cells start with one of these totals the rows above it.


@dataclass
class TableLayout:
    """One table read: where it is and which column holds each field."""

    file: str
    sheet: str
    columns: dict[str, int]


@dataclass
class FileRows:
    """What one file yielded (files are read independently, so possibly in parallel)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    layouts: list[TableLayout] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    template: str = ""  # the kind named by the file's template marker, if any


@dataclass
class RecordTable:
    """Every record of one kind as a frame, with the layouts to locate each value's cell."""

    kind: RecordKind
    frame: pd.DataFrame
    layouts: list[TableLayout]
    rows_read: int = 0
    rows_skipped: int = 0
    files: list[str] = field(default_factory=list)

    def cell(self, index: Any, name: str) -> str:
        """The A1 reference of field ``name`` in record ``index`` ("" if it had no column)."""
        row = self.frame.loc[index]
        column = self.layouts[int(row["表"])].columns.get(name)
        return "" if column is None else cell_ref(int(row["行"]) - 1, column)

    def row_totals(self) -> dict[str, int]:
        counted = rows_of(self.kind, self.valid) if len(self.frame) else 0
        return row_totals(self.rows_read, counted)

    @property
    def valid(self) -> pd.DataFrame:
        """Records with no error."""
        return self.frame[self.frame["问题"] == ""]


def rows_of(kind: RecordKind, records: pd.DataFrame) -> int:
    """How many sheet rows ``records`` came from: one each, but a row of the wide form gave a
    record per item cell (读取 = 计入 + 跳过 counts rows)."""
    if kind.wide is None or not {"文件", "工作表", "行"} <= set(records.columns):
        return len(records)
    return len(records[["文件", "工作表", "行"]].drop_duplicates())


def read_records(
    kind: RecordKind, files: Sequence[InputFile], config: SchoolConfig, report: ProblemReport
) -> RecordTable:
    """Read every file as ``kind``; problems go to ``report`` in file order."""
    return combine(kind, [read_record_file(kind, f, config) for f in files], files, report)


def read_record_sheets(
    kind: RecordKind, sheets: Iterable[Sheet], config: SchoolConfig, report: ProblemReport
) -> RecordTable:
    """Read already-opened sheets (the config workbook reads its sheets once)."""
    out = FileRows()
    sheet_report = ProblemReport()
    for sheet in sheets:
        _read_sheet(kind, sheet, config, sheet_report, out)
    out.problems = list(sheet_report)
    return combine(kind, [out], [], report)


def combine(
    kind: RecordKind,
    results: Iterable[FileRows],
    files: Sequence[InputFile],
    report: ProblemReport,
) -> RecordTable:
    rows: list[dict[str, Any]] = []
    layouts: list[TableLayout] = []
    read = skipped = 0
    for result in results:
        offset = len(layouts)
        layouts.extend(result.layouts)
        rows.extend({**row, "表": row["表"] + offset} for row in result.rows)
        report.extend(result.problems)
        read += result.rows_read
        skipped += result.rows_skipped
    frame = _typed_frame(kind, rows)
    return RecordTable(kind, frame, layouts, read, skipped, [f.display for f in files])


def read_record_file(kind: RecordKind, file: InputFile, config: SchoolConfig) -> FileRows:
    report = ProblemReport()
    out = FileRows()
    tables = 0
    for sheet in read_sheets(file, report):
        if sheet.template is not None:
            out.template = sheet.template.kind
            if out.template != kind.key:
                found = KIND_TITLES.get(out.template, out.template)
                report.add(
                    "error", "file.wrong_kind", file=file.display, found=found, kind=kind.title
                )
                break
        tables += _read_sheet(kind, sheet, config, report, out)
    if tables == 0 and not report.errors and not is_report(report, file):
        report.add("error", "file.no_records", file=file.display, kind=kind.title)
    out.problems = list(report)
    return out


# ---------------------------------------------------------------------------------------------


def find_header(
    kind: RecordKind,
    rows: Sequence[Sequence[object]],
    start: int = 0,
    config: SchoolConfig | None = None,
) -> HeaderMatch | None:
    """The first header of ``kind`` at or below ``start``; for a kind with a wide form, either
    form's (the wide one's item columns are its ``groups``, as a score sheet's subjects are)."""
    if kind.wide is None:
        return locate_header(
            rows,
            kind.matcher,
            lambda _: None,
            anchor=kind.anchor,
            min_groups=0,
            min_fields=kind.min_fields,
            start=start,
        )
    from toolkit.config.model import SchoolConfig

    wide = kind.wide
    item_of = _item_lookup(tuple(wide.items(config or SchoolConfig())))
    end = min(len(rows), start + MAX_HEADER_SCAN)
    r = start
    while r < end:
        found = locate_header(
            rows, kind.matcher, item_of, anchor=kind.anchor, min_groups=0, start=r, scan=end - r
        )
        if found is None:
            return None
        if wide.item in found.fields and wide.value in found.fields:
            if len(found.fields) >= kind.min_fields:
                found.groups.clear()  # the long form: its items are cells, not columns
                return found
        elif len(found.groups) >= wide.min_items:
            return found
        r = found.first_row + 1
    return None


@lru_cache(maxsize=16)
def _item_lookup(items: tuple[str, ...]) -> Callable[[object], str | None]:
    """A header (or a long row's item cell) → the item it names, compared as headers are."""
    keys = {header_key(name): name for name in items}
    return lambda value: keys.get(header_key(value))


def _read_sheet(
    kind: RecordKind, sheet: Sheet, config: SchoolConfig, report: ProblemReport, out: FileRows
) -> int:
    """Read every table of ``kind`` on the sheet; returns how many were found."""
    rows = sheet.rows
    header = find_header(kind, rows, config=config)
    if header is None:
        if any(any(not is_blank(v) for v in row) for row in rows):
            report.add(
                "note",
                "sheet.no_records",
                file=sheet.file.display,
                sheet=sheet.name,
                kind=kind.title,
            )
        return 0
    block_cols = {c for name, c in header.fields.items() if kind.field(name).fill_down}
    before, reasons = out.rows_read, reasons_given(report)
    tables = read_stacked_tables(
        sheet,
        header,
        block_cols,
        lambda start: find_header(kind, rows, start, config),
        lambda table, ctx: _read_table(kind, sheet, table, ctx, config, report, out),
    )
    if out.rows_read == before and reasons_given(report) == reasons:
        anchor = header.fields[kind.anchor]
        report_nothing_read(
            sheet, header, anchor, lambda v: kind.matcher(v) == kind.anchor, kind.title, report
        )
    return tables


def _read_table(
    kind: RecordKind,
    sheet: Sheet,
    header: HeaderMatch,
    ctx: SheetContext,
    config: SchoolConfig,
    report: ProblemReport,
    out: FileRows,
) -> int | None:
    where = {"file": sheet.file.display, "sheet": sheet.name}
    cols = header.fields
    # The wide form (a column per item: 乐考's 项目) is read here rather than by a reader of the
    # kind's own: the walk, the class context, summary and skipped rows and every cell reference
    # stay those of the long form, and each row is melted into a record per item cell below.
    wide = kind.wide if header.groups else None
    report_duplicates(header, report, **where)
    report_unused(sheet.rows, header, (), report, where)
    identity = kind.has_identity
    missing = [
        f.label
        for f in kind.fields
        if f.required
        and f.name not in cols
        and not (identity and f.name in ("年级", "班级"))
        and not (wide and f.name in (wide.item, wide.value))
    ]
    if identity and "班级" not in cols and ctx.number is None:
        missing.append("班级")
    if missing:
        report.add(
            "error",
            "header.missing",
            cell=cell_ref(header.first_row, min(cols.values())),
            columns="、".join(missing),
            **where,
        )
        return None
    if identity and "班级" not in cols:
        report.add("note", "class.source", source=ctx.source, text=ctx.label, **where)
    table_id = len(out.layouts)
    items: dict[int, tuple[str, int]] = {}  # item column → (item, its layout): the wide form
    if wide is None:
        out.layouts.append(TableLayout(sheet.file.display, sheet.name, dict(cols)))
        first_col = min(cols.values())
        table = TableRows(
            sheet,
            start=header.last_row + 1,
            columns=sorted(cols.values()),
            label_cols=range(first_col, first_col + 2),
            lone_cell_is_note=True,
        )
    else:
        # One layout per item column: a melted record's item and value are the cell it came from.
        for c, name in sorted(header.groups.items()):
            items[c] = (name, len(out.layouts))
            columns = {**cols, wide.item: c, wide.value: c}
            out.layouts.append(TableLayout(sheet.file.display, sheet.name, columns))
        name_col = cols[kind.anchor]
        table = TableRows(
            sheet,
            start=header.last_row + 1,
            columns=sorted({*cols.values(), *items}),
            label_cols=range(0, name_col + 2),
            anchor_col=name_col,  # a row of marks without a name is skipped, as on score sheets
            data_cols=sorted(items),
        )

    def read_row(r: int, row: Sequence[object]) -> None:
        if wide is not None:
            base = _read_row(kind, row, r, cols, ctx, table_id, config, report, where)
            out.rows.extend(_melt(kind, wide, items, base, row, r, config, report, where))
            return
        record = _read_row(kind, row, r, cols, ctx, table_id, config, report, where)
        if kind.wide is not None:
            _name_item(kind, kind.wide, record, row, r, cols, config, report, where)
        out.rows.append(record)

    return walk_rows(
        table,
        # Another table's header, its columns possibly in another order.
        starts_table=lambda row: find_header(kind, [row], config=config) is not None,
        next_table_at=lambda r: find_header(kind, sheet.rows, r, config) is not None,
        read_row=read_row,
        tally=out,
        report=report,
    )


def _melt(
    kind: RecordKind,
    wide: WideForm,
    items: dict[int, tuple[str, int]],
    base: dict[str, Any],
    row: Sequence[object],
    r: int,
    config: SchoolConfig,
    report: ProblemReport,
    where: dict[str, str],
) -> list[dict[str, Any]]:
    """One wide row → a record per item column, each pointing at its own cell (``表``). A
    problem of the row (its class) was reported once and marks every record of it."""
    value_field = kind.field(wide.value)
    records = []
    for c, (name, table_id) in items.items():
        record = {**base, wide.item: name, "表": table_id}
        raw = row[c] if c < len(row) else None
        parsed = parse_cell(value_field, raw, config)
        record[wide.value] = parsed.value
        code = ""
        if parsed.reason:
            code = parsed.code
            report.add(
                "error",
                code,
                cell=cell_ref(r, c),
                value=raw,
                field=f"{name}{value_field.label}",
                expected=parsed.reason,
                **where,
            )
        elif parsed.blank and value_field.required:
            code = "field.missing"
            report.add(
                "error", code, cell=cell_ref(r, c), field=f"{name}{value_field.label}", **where
            )
        if code and not record["问题"]:
            record["问题"] = code
        records.append(record)
    return records


def _name_item(
    kind: RecordKind,
    wide: WideForm,
    record: dict[str, Any],
    row: Sequence[object],
    r: int,
    cols: dict[str, int],
    config: SchoolConfig,
    report: ProblemReport,
    where: dict[str, str],
) -> None:
    """A long row of a kind with a wide form names its item as the config spells it; an item the
    config does not have is an error at its cell (its subject, its marking are unknown)."""
    typed = record.get(wide.item)
    if typed is None or typed == "" or wide.item not in cols:
        return
    items = tuple(wide.items(config))
    found = _item_lookup(items)(typed)
    if found is not None:
        record[wide.item] = found
        return
    col = cols[wide.item]
    report.add(
        "error",
        "field.unknown_item",
        cell=cell_ref(r, col),
        value=row[col] if col < len(row) else typed,
        field=kind.field(wide.item).label,
        setting=wide.setting,
        allowed="、".join(items),
        **where,
    )
    if not record["问题"]:
        record["问题"] = "field.unknown_item"


def _read_row(
    kind: RecordKind,
    row: Sequence[object],
    r: int,
    cols: dict[str, int],
    ctx: SheetContext,
    table_id: int,
    config: SchoolConfig,
    report: ProblemReport,
    where: dict[str, str],
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "文件": where["file"],
        "工作表": where["sheet"],
        "行": r + 1,
        "表": table_id,
        "问题": "",
    }

    def fail(code: str, col: int, value: object = None, **params: Any) -> None:
        report.add("error", code, cell=cell_ref(r, col), value=value, **params, **where)
        if not record["问题"]:
            record["问题"] = code

    identity = kind.has_identity
    parsed_cells = []
    for f in kind.fields:
        col = cols.get(f.name)
        raw = row[col] if col is not None and col < len(row) else None
        parsed = parse_cell(f, raw, config)
        record[f.name] = parsed.value
        parsed_cells.append((f, col, raw, parsed))
    for f, col, raw, parsed in parsed_cells:  # after the row is parsed: ``draft`` needs 状态
        if col is None:
            continue
        if parsed.reason:
            fail(parsed.code, col, raw, field=f.label, expected=parsed.reason)
        elif (
            parsed.blank
            and f.required
            and not (identity and f.name in ("年级", "班级"))
            and not kind.may_be_blank(f.name, record)
        ):
            fail("field.missing", col, field=f.label)
    if identity:
        _resolve_class(record, row, r, cols, ctx, fail)
    return record


def _resolve_class(record, row, r, cols, ctx, fail) -> None:  # type: ignore[no-untyped-def]
    """年级 and 班级 of one record, from its cells or else from the sheet's context."""
    found: ClassId | None = record.get("班级")
    grade_cell: int | None = record.get("年级")
    class_col, grade_col = cols.get("班级"), cols.get("年级")
    anchor = class_col if class_col is not None else min(cols.values())
    if class_col is not None and is_blank(row[class_col] if class_col < len(row) else None):
        fail("field.missing", class_col, field="班级")
        found = None
    elif class_col is None:
        found = ClassId(ctx.grade, ctx.number)
    grade = found.grade if isinstance(found, ClassId) else None
    if grade is not None and grade_cell is not None and grade != grade_cell:
        fail(
            "class.grade_conflict",
            grade_col,
            row[grade_col],
            class_text=normalize(row[class_col]) if class_col is not None else "",
        )
    grade = grade or grade_cell or ctx.grade
    if isinstance(found, ClassId) and grade is None and not record["问题"]:
        fail("class.grade_missing", anchor, row[anchor] if anchor < len(row) else None)
    record["年级"] = grade
    record["班级"] = found.number if isinstance(found, ClassId) else None


_DTYPES = {
    "int": "Int64",
    "grade": "Int64",
    "class": "Int64",
    "decimal": "float64",
    "percent": "float64",
    "yesno": "boolean",
}


def _typed_frame(kind: RecordKind, rows: list[dict[str, Any]]) -> pd.DataFrame:
    names = [f.name for f in kind.fields]
    extra = ["年级"] if kind.has_identity and "年级" not in names else []
    frame = pd.DataFrame(rows, columns=[*names, *extra, *META_COLUMNS])
    for f in kind.fields:
        if f.type == "date":
            frame[f.name] = pd.to_datetime(frame[f.name])
        elif f.type in _DTYPES:
            frame[f.name] = frame[f.name].astype(_DTYPES[f.type])
        else:
            frame[f.name] = frame[f.name].astype(object).where(frame[f.name].notna(), None)
    if extra:
        frame["年级"] = frame["年级"].astype("Int64")
    frame["行"] = frame["行"].astype("int64")
    frame["表"] = frame["表"].astype("int64")
    frame["问题"] = frame["问题"].astype(object)
    return frame


__all__ = [
    "META_COLUMNS",
    "FileRows",
    "RecordTable",
    "TableLayout",
    "combine",
    "find_header",
    "read_record_file",
    "read_record_sheets",
    "read_records",
    "rows_of",
]
