"""The shared frame of every summary workbook: typed tables, per-grade overview sheets made of
small tables with a native chart beside each, and the closing 数据问题 and 口径说明 sheets.

Each report module (homework, observation, weak points, items) says *what* goes where; this
module owns *how* it is written, so every workbook looks and prints the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.base.text import display_width
from toolkit.present import GRADE_LABEL, SCHOOL_LABEL, Block, show_keys
from toolkit.reading.workbook import MARKER_SHEET, MARKER_TAG, REPORT_KIND
from toolkit.render.output import TEXT_ONLY, check_target, write_atomically
from toolkit.render.xlsx.charts import CHART_HEIGHT, CHART_WIDTH, Series, make_chart
from toolkit.render.xlsx.explain import write_definitions
from toolkit.render.xlsx.problem_sheet import write_problems
from toolkit.render.xlsx.styles import (
    CHART_OFFSETS,
    Drawn,
    Styles,
    a4_landscape,
    last_printed_column,
    print_charts_whole,
    wrapped_lines,
)
from toolkit.render.xlsx.tables import TableLayout, settle_role, write_cell, write_table

FREE_TEXT = {
    "存在问题", "整改要求", "亮点", "改进建议", "问题表现", "原因分析", "改进措施", "课题",
    "知识点", "涉及班级", "任教班级",
}  # fmt: skip
WRAP_WIDTH = 30
_INT_NAMES = {
    "布置次数", "基础巩固", "能力提升", "实践探究", "新增", "销号", "净增", "合计", "整改项",
    "待整改", "整改中", "已销号", "未整改", "已整改", "逾期天数", "已过天数", "超期未整改",
    "推门课", "公开课", "研讨课", "示范课", "汇报课", "教导处", "年级组", "教研组",
}  # fmt: skip


def column_role(name: str) -> str:
    """Number-format role of a summary column, by its name (see ``styles.NUMBER_FORMATS``)."""
    if name in FREE_TEXT:
        return "wrap"
    if "日期" in name:
        return "date"
    if name.endswith("变化"):  # before 平均/率: 平均分变化 is a change, not an average
        if "名次" in name:
            return "signed_int"
        return "signed_percent" if "率" in name else "signed"
    if name == "超均率":
        return "signed_percent"
    if name.endswith("名次") or name in ("拟合格", "拟优", "记录"):
        return "int"
    if name in ("最高分", "最低分"):
        return "score"
    if name in ("综合分", "标准差"):
        return "decimal"
    if name in _INT_NAMES:  # before the suffix rules: 能力提升 is a count, not a 提升
        return "int"
    if name.endswith("提升"):
        return "signed_percent"
    if name.endswith("率") or name.endswith("占比"):
        return "percent"
    if name in ("难度", "区分度"):
        return "decimal"
    if name in _INT_NAMES or name.endswith("数") or name.endswith("节数"):
        return "int"
    if name in ("年级", "班级", "学科", "月份", "题号"):
        return "text"
    if any(word in name for word in ("平均", "均分", "得分", "总分", "时长", "分钟", "满分")):
        return "decimal"
    if name in ("学生投入度", "教学环节落实", "课堂反馈实效", "时长上限"):
        return "decimal"
    return "text"


class ReportBook:
    """One summary workbook under construction (xlsxwriter)."""

    def __init__(self, path: Path, title: str) -> None:
        from toolkit.render.xlsx.cells_xml import Workbook

        self.workbook = Workbook(str(path), TEXT_ONLY)
        self.workbook.set_properties({"title": title, "comments": "由 xueqing 生成"})
        self.styles = Styles(self.workbook)
        self.title = title
        self.error_effect = "有错误的行未计入"  # what --skip-invalid did with an error

    # -- tables -------------------------------------------------------------------------------

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        heading: str,
        subtitle: str = "",
        roles: Mapping[str, str] | None = None,
        freeze_columns: int = 0,
    ) -> TableLayout:
        """A detail sheet: ``frame`` with keys shown as names, rollup rows in bold, free text
        wrapped (rows grown to fit), numbers in their formats."""
        shown, emphasis = show_keys(frame)
        shown = shown.astype(object).where(shown.notna(), None)
        all_roles = {c: column_role(str(c)) for c in shown.columns} | dict(roles or {})
        widths = {c: WRAP_WIDTH for c, r in all_roles.items() if r == "wrap"}
        layout = write_table(
            self.workbook,
            self.styles,
            name,
            shown,
            all_roles,
            title=f"{self.title} · {heading}",
            subtitle=subtitle,
            emphasis=emphasis,
            freeze_columns=freeze_columns,
            widths=widths,
        )
        wrapped = [shown.columns.get_loc(c) for c, r in all_roles.items() if r == "wrap"]
        if wrapped:
            _fit_row_heights(layout, shown, wrapped)
        return layout

    # -- overview sheets ----------------------------------------------------------------------

    def overview(self, name: str, heading: str, blocks: Sequence[Block], note: str = "") -> None:
        """A sheet of small tables, each with its chart to the right, one under another."""
        sheet = self.workbook.add_worksheet(name)
        title = f"{self.title} · {heading}"
        sheet.set_row(0, 28)
        if note:
            sheet.write_string(1, 0, note, self.styles.subtitle)
        widest = max((len(b.frame.columns) for b in blocks), default=1)
        first_width = max(
            [10, *(display_width(str(v)) + 2 for b in blocks for v in b.frame.iloc[:, 0])]
        )
        widths = [min(first_width, 40), *[11] * max(widest - 1, 1)]
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        charted = [
            Drawn(0, len(b.frame.columns) + 1, CHART_WIDTH, 1)
            for b in blocks
            if b.chart is not None
        ]
        # The title over the printed width only, shrunk if it is longer still.
        sheet.merge_range(0, 0, 0, last_printed_column(widths, charted), title, self.styles.title)
        top = 3
        drawn: list[Drawn] = []
        heights: dict[int, float] = {0: 28}
        for block in blocks:
            note_row = top + len(block.frame) + 2  # right under the table, in the block's rows
            # Each chart beside its own table: a wide table elsewhere on the sheet (no chart)
            # does not push every chart off the printed page.
            top = self._block(sheet, name, top, block, len(block.frame.columns) + 1, drawn)
            if block.note:
                self._note_below(sheet, note_row, block, widths, heights)
        if not blocks:
            sheet.write_string(top, 0, "本期没有记录。", self.styles.get("text", border=0))
        sheet.freeze_panes(1, 0)
        a4_landscape(sheet, None, title)
        print_charts_whole(sheet, widths, heights, drawn, top)

    def _note_below(
        self,
        sheet: Any,
        row: int,
        block: Block,
        widths: Sequence[float],
        heights: dict[int, float],
    ) -> None:
        """A block's finding under its table, wrapped over the table's width: on one line beside
        the heading it ran past the printed page (issue 16)."""
        columns = max(len(block.frame.columns), 4)
        width = sum(widths[c] if c < len(widths) else 8.43 for c in range(columns))
        height = 15.0 * wrapped_lines(block.note, width)
        sheet.merge_range(row, 0, row, columns - 1, block.note, self.styles.get("wrap", border=0))
        sheet.set_row(row, height)
        heights[row] = height

    def _block(
        self, sheet: Any, name: str, top: int, block: Block, chart_col: int, drawn: list[Drawn]
    ) -> int:
        styles = self.styles
        sheet.write_string(top, 0, block.heading, styles.get("text", bold=True, border=0))
        frame = block.frame
        header = top + 1
        columns = [str(c) for c in frame.columns]
        for c, text in enumerate(columns):
            sheet.write_string(header, c, text, styles.header)
        roles = {c: column_role(c) for c in columns}
        if block.chart is not None and block.chart.percent:
            # Columns named by a class or grade (四(1)班, 全校) hold the chart's rates.
            roles = {c: "percent" if r == "text" else r for c, r in roles.items()}
        roles |= dict(block.roles or {})
        roles[columns[0]] = "text"
        roles = {c: settle_role(roles[c], frame.iloc[:, i]) for i, c in enumerate(columns)}
        for r, row in enumerate(frame.itertuples(index=False, name=None)):
            bold = str(row[0]) in (SCHOOL_LABEL, GRADE_LABEL)
            for c, value in enumerate(row):
                role = roles[columns[c]]
                fmt = styles.get("text" if role == "wrap" else role, grade_row=bold)
                write_cell(sheet, header + 1 + r, c, _plain(value), fmt)
        n = len(frame)
        if block.chart is not None and n:
            spec = block.chart
            names = spec.series or tuple(columns[1:])
            if not spec.number_format and all(roles[c] == "int" for c in names):
                spec = replace(spec, number_format="0;-0;;@")  # counts: no 0.0, no zero labels
            if not spec.signed and spec.kind != "scatter" and _any_negative(frame, names):
                spec = replace(spec, signed=True)  # an axis pinned at 0 would hide them
            # A chart compares classes or months: the 全年级/全校 row stays in the table only.
            last = header + n
            if spec.kind != "radar" and str(frame.iloc[-1, 0]) in (SCHOOL_LABEL, GRADE_LABEL):
                last -= 1
            if last > header:
                if spec.kind == "scatter":
                    x_col = columns.index(names[0])
                    series = [
                        Series(
                            (header, columns.index(y)),
                            (header + 1, columns.index(y), last, columns.index(y)),
                        )
                        for y in names[1:]
                    ]
                    categories = (header + 1, x_col, last, x_col)
                else:
                    series = [
                        Series(
                            (header, columns.index(s)),
                            (header + 1, columns.index(s), last, columns.index(s)),
                        )
                        for s in names
                    ]
                    categories = (header + 1, 0, last, 0)
                point_names = (name, header + 1, 0, last, 0)
                chart = make_chart(self.workbook, spec, name, categories, series, point_names)
                sheet.insert_chart(top, chart_col, chart, CHART_OFFSETS)
                drawn.append(Drawn(top, chart_col, CHART_WIDTH, CHART_HEIGHT))
        return top + max(n + 4, 18 if block.chart is not None else 0)

    # -- closing sheets -----------------------------------------------------------------------

    def close(self, problems: ProblemReport, definitions: Sequence[tuple[str, str, str]]) -> None:
        if len(problems):  # notes too: every skipped row is accounted for somewhere
            write_problems(
                self.workbook,
                self.styles,
                problems,
                title=f"{self.title} · 数据问题",
                error_effect=self.error_effect,
            )
        write_definitions(self.workbook, self.styles, definitions, title=f"{self.title} · 口径说明")
        mark_as_report(self.workbook)
        self.workbook.close()


def mark_as_report(workbook: Any) -> None:
    """The same hidden marker as a template's, so a summary saved among the inputs is
    recognised and skipped on the next run instead of failing as a bad sheet."""
    marker = workbook.add_worksheet(MARKER_SHEET)
    marker.write_string(0, 0, MARKER_TAG)
    marker.write_string(0, 1, REPORT_KIND)
    marker.write_number(0, 2, 1)
    marker.hide()


def write_report_book(target: Path, report: Any, build: Any) -> Path:
    """Write ``build(book)``'s sheets to ``target`` atomically; never over an input file.

    ``report`` (a records or item report) gives the inputs found when read, the title and the
    problems: a summary of ours among the inputs was noted as such when read, and may be replaced.
    """
    from toolkit.reading.workbook import is_report

    check_target(target, [f.path for f in report.files if not is_report(report.problems, f)])

    def write(path: Path) -> None:
        build(ReportBook(path, report.title))

    return write_atomically(target, write)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _fit_row_heights(layout: TableLayout, shown: pd.DataFrame, wrapped: list[int]) -> None:
    """Wrapped text does not grow its row when the file is opened; size each row here."""
    # Only the wrapped columns are taken row by row: a class-by-item sheet has 2,700 others.
    texts = shown.iloc[:, wrapped]
    for offset, row in enumerate(texts.itertuples(index=False, name=None)):
        lines = max(wrapped_lines("" if value is None else str(value), WRAP_WIDTH) for value in row)
        if lines > 1:
            layout.sheet.set_row(layout.first_row + offset, 15 * min(lines, 20))


def _any_negative(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    values = pd.to_numeric(frame[list(columns)].stack(), errors="coerce")
    return bool((values < 0).any())
