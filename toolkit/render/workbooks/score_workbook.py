"""The score analysis workbook (成绩分析.xlsx): summaries, charts, students, 临界生, 关爱学生."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.base.rows import rows_checked
from toolkit.present import GRADE_LABEL, ChartSpec, internal, show_keys
from toolkit.reading.workbook import is_report
from toolkit.render.output import TEXT_ONLY, check_target, paused_gc, write_atomically
from toolkit.render.xlsx.charts import CHART_HEIGHT, CHART_WIDTH, Series, column_chart, make_chart
from toolkit.render.xlsx.explain import write_definitions
from toolkit.render.xlsx.problem_sheet import write_problems
from toolkit.render.xlsx.report_book import mark_as_report
from toolkit.render.xlsx.styles import (
    CHART_OFFSETS,
    Drawn,
    Styles,
    a4_landscape,
    column_width,
    last_printed_column,
    print_charts_whole,
)
from toolkit.render.xlsx.tables import TableLayout, write_cell, write_table
from toolkit.scores.definitions import SCORE_DEFINITIONS, SCORE_DISTRICT_DEFINITIONS
from toolkit.scores.metrics import DISTRICT_LABEL, LEVELS, level_counts, school_order
from toolkit.scores.report import ScoreReport

SUMMARY_SHEET_COLUMNS = [
    "年级", "班级", "学科", "应考人数", "实考人数", "缺考人数", "平均分", "最高分", "最低分",
    "标准差", "优秀人数", "优秀率", "良好率", "及格人数", "及格率", "低分人数", "低分率",
    "超均率", "综合分", "名次",
]  # fmt: skip
GRADE_ROW_LABEL = GRADE_LABEL
# Rates compared with the grade's own: a class this far below (or, for 低分率, above) is red.
RATE_ALERT_GAP = 0.05
ABSENT_TEXT = "缺考"
LARGE_SHEET_ROWS = 50_000  # beyond this, stream rows (xlsxwriter constant-memory mode)
# Schools on a grade's chart sheet are horizontal bars (room for long names), the chart as tall
# as its bars need: BAR_PIXELS per bar, CATEGORY_GAP_PIXELS between schools, CHART_MARGIN_PIXELS
# for title, axis and legend; capped so that 50 schools stay one scroll, not a poster.
BAR_PIXELS, CATEGORY_GAP_PIXELS, CHART_MARGIN_PIXELS = 10, 14, 100
SCHOOL_CHART_WIDTH, SCHOOL_CHART_MAX_HEIGHT = 720, 2400
LABELLED_BARS = 40  # data labels only while the bars are few enough to carry them
ROW_PIXELS = 20  # Excel's default row height (15 pt)


def role(column: str) -> str:
    """Number format role of a column by its name."""
    if column == "等级变化":  # the subjects whose level changed, in words
        return "text"
    if column == "超均率" or (column.endswith("率变化")):
        return "signed_percent"
    if column.endswith("率"):
        return "percent"
    if column in ("平均分", "标准差", "综合分"):
        return "decimal"
    if column.endswith("变化") and column != "名次变化":
        return "signed"
    if column in ("进退步", "名次变化", "等级进退"):
        return "signed_int"
    if column.endswith("人数") or column.endswith("名次") or column == "名次" or column in LEVELS:
        return "int"
    if column in ("年级", "班级", "学科", "学号", "姓名", "学校", "类别", "缺考科目"):
        return "text"
    return "score"


def write_score_workbook(report: ScoreReport, target: Path) -> Path:
    """Write the workbook atomically; refuses to overwrite an input file."""
    from toolkit.scores.report import fill_pupils

    # A summary of ours among the inputs was noted as such when read, and may be replaced.
    check_target(target, _inputs(report))
    fill_pupils(report)
    return write_atomically(target, lambda path: _write(report, path))


# A district's per-school workbooks go into this folder beside the district's own.
SCHOOLS_FOLDER = "各校"
_NOT_IN_FILE_NAMES = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))


def write_district_workbooks(
    report: ScoreReport, target: Path, workers: int | None = None
) -> list[Path]:
    """A district's results: ``target`` holds the comparison (班级汇总, 学校对比, 等级分布,
    charts, 分数段, 数据问题, 口径说明) and ``各校/<学校>.xlsx`` beside it each school's full
    analysis with the 全区 reference (全区对照), written on ``workers`` processes (default: the
    usable cores, capped by XUEQING_WORKERS). Returns the district's workbook, then the schools'.
    """
    from toolkit.reading.parallel import map_in_workers, usable_cores
    from toolkit.scores.report import SchoolRows, fill_pupils, school_report

    schools = report.schools
    inputs = _inputs(report)
    folder = target.parent / SCHOOLS_FOLDER
    paths = {school: folder / f"{school.translate(_NOT_IN_FILE_NAMES)}.xlsx" for school in schools}
    for path in [target, *paths.values()]:
        check_target(path, inputs)

    rows = SchoolRows()

    def job(school: str | None) -> tuple[ScoreReport, Path, bool]:
        # made when a worker is about to be free: one school's slice at a time, not fifty
        if school is None:
            return _as_written(report, district=True), target, True
        # Analysed without them (run_scores): made here, while a worker writes the comparison.
        fill_pupils(report)
        return _as_written(school_report(report, school, rows)), paths[school], False

    return map_in_workers(_write_job, [None, *schools], workers or usable_cores(), job)


def _as_written(report: ScoreReport, district: bool = False) -> ScoreReport:
    """The report less what its workbook does not show: the marks the tables were computed
    from, and each student's columns but 学校 and 年级 (which say the schools and whether a
    grade ranks); a district's comparison shows no student at all. A job is copied into its
    worker, and these are most of a district's memory (docs/scale.md)."""
    students = report.records.students[["学校", "年级"]]
    records = replace(report.records, students=students, marks=report.records.marks.iloc[:0])
    if not district:
        return replace(report, records=records)
    progress = report.progress
    if progress is not None:
        progress = replace(progress, students=progress.students.iloc[:0])
    return replace(
        report,
        records=records,
        students=None,
        critical=None,
        care=None,
        progress=progress,
    )


def _write_job(job: tuple[ScoreReport, Path, bool]) -> Path:
    """One workbook of a district's (module level: a worker process runs it)."""
    report, target, district = job
    return write_atomically(target, lambda path: _write(report, path, district=district))


def _inputs(report: ScoreReport) -> list[Path]:
    # A summary of ours among the inputs was noted as such when read, and may be replaced.
    return [f.path for f in report.files if not is_report(report.problems, f)]


def _write(report: ScoreReport, path: Path, district: bool = False) -> None:
    """The workbook; ``district``: the district's comparison only, the students being in each
    school's own workbook."""
    with paused_gc():  # a cell object per cell, kept until close: see paused_gc
        _write_sheets(report, path, district)


def _write_sheets(report: ScoreReport, path: Path, district: bool) -> None:
    from toolkit.render.xlsx.cells_xml import Workbook

    assert report.summary is not None and (district or report.students is not None)
    large = not district and len(report.students) > LARGE_SHEET_ROWS  # type: ignore[arg-type]
    # A school's workbook is assembled in memory, not from a temporary file per part (13% of
    # writing one); a large one streams its rows, and a district's comparison (a million
    # cells) would hold its XML twice, so both keep xlsxwriter's files (docs/scale.md).
    options = {**TEXT_ONLY, "constant_memory": large, "in_memory": not (large or district)}
    workbook = Workbook(str(path), options)
    title = report.title.removesuffix("成绩分析") + ("全区汇总" if district else "成绩分析")
    workbook.set_properties({"title": title, "comments": "由 xueqing 生成"})
    styles = Styles(workbook)
    multi = len(report.schools) > 1
    _summary_sheet(workbook, styles, report, multi)
    if report.school_summary is not None:
        _school_sheet(workbook, styles, report)
    if report.reference is not None:
        _reference_sheet(workbook, styles, report)
    _levels_sheet(workbook, styles, report, multi)
    for grade in sorted(report.summary["年级"].unique()):
        _grade_chart_sheet(workbook, styles, report, int(grade))
    if not district:
        _students_sheet(workbook, styles, report, multi)
    _bands_sheet(workbook, styles, report, multi)
    if not district:
        _critical_sheet(workbook, styles, report, multi)
        _care_sheet(workbook, styles, report, multi)
    if report.progress is not None and not district:
        _progress_sheet(workbook, styles, report, multi)
    if len(report.problems):  # notes too: every skipped row is accounted for somewhere
        write_problems(workbook, styles, report.problems, title=f"{report.title} · 数据问题")
    write_definitions(workbook, styles, definitions(report), title=f"{report.title} · 口径说明")
    mark_as_report(workbook)
    workbook.close()


def _display(frame: pd.DataFrame, multi: bool) -> pd.DataFrame:
    """年级/班级 numbers → names as a school writes them; 学校 kept only for several schools."""
    shown, _ = show_keys(frame)
    if not multi and "学校" in shown:
        shown = shown.drop(columns=["学校"])
    return shown


def _roles(frame: pd.DataFrame) -> dict[str, str]:
    return {column: role(column) for column in frame.columns}


def _subtitle(report: ScoreReport) -> str:
    rules = sorted(
        {
            (s, report.config.rule(int(g), s).full_mark)
            for g, s in report.summary[["年级", "学科"]].drop_duplicates().itertuples(index=False)
        },
        key=lambda x: report.config.subject_order(x[0]),
    )
    marks = "、".join(f"{s}{m:g}" for s, m in rules)
    return f"满分：{marks}。比率以实考人数为分母，缺考不计入平均分和各率。详见“口径说明”。"


def _summary_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    summary = report.summary
    columns = (["学校"] if multi else []) + SUMMARY_SHEET_COLUMNS
    if not report.config.class_ranking:  # 班级排名 = 否: no 名次 among classes
        columns = [c for c in columns if c != "名次"]
    shown = _display(summary, multi)[columns]
    layout = write_table(
        workbook,
        styles,
        "班级汇总",
        shown,
        _roles(shown),
        title=f"{report.title} · 班级汇总",
        subtitle=_subtitle(report),
        emphasis=summary["班级"].isna().tolist(),
        freeze_columns=3 + multi,
    )
    _alert_formats(layout, shown, summary["班级"].isna().to_numpy(), styles)


def _levels_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    """等级分布: per class and subject (and the grade), the students at each level."""
    levels = report.levels
    assert levels is not None
    shown = _display(levels, multi)
    write_table(
        workbook,
        styles,
        "等级分布",
        shown,
        _roles(shown),
        title=f"{report.title} · 等级分布",
        subtitle="等级按满分的比例划定：优秀 ≥ 优秀线、良好 ≥ 良好线、合格 ≥ 及格线，"
        "其余为待合格（学校配置“学科”表可改）；优良率 = (优秀 + 良好) ÷ 实考，"
        "合格率 = (实考 − 待合格) ÷ 实考。详见“口径说明”。",
        emphasis=levels["班级"].isna().tolist(),
        freeze_columns=3 + multi,
    )


def _school_sheet(workbook: Any, styles: Styles, report: ScoreReport) -> None:
    """学校对比: per grade × subject each school's figures, then the 全区 row in bold."""
    assert report.school_summary is not None
    _schools_table(
        workbook,
        styles,
        report.school_summary,
        "学校对比",
        f"{report.title} · 学校对比",
        "各校同年级同学科比较，每校计该年级全体学生；全区行为全区该年级全体学生。"
        "超均率 =（学校平均分 − 全区平均分）/ 全区平均分；名次为各校按综合分排名。"
        "详见“口径说明”。",
    )


def _reference_sheet(workbook: Any, styles: Styles, report: ScoreReport) -> None:
    """全区对照 in one school's workbook of a district's: its 学校对比 rows and the 全区's."""
    assert report.reference is not None
    _schools_table(
        workbook,
        styles,
        report.reference,
        "全区对照",
        f"{report.title} · 全区对照",
        "本校各年级各学科与全区的比较（全区行为全区该年级全体学生）；超均率 =（本校平均分 − "
        "全区平均分）/ 全区平均分，名次为本校在全区各校中按综合分的名次。详见“口径说明”。",
    )


def _schools_table(
    workbook: Any, styles: Styles, schools: pd.DataFrame, name: str, title: str, subtitle: str
) -> None:
    columns = ["学校", *(c for c in SUMMARY_SHEET_COLUMNS if c != "班级")]
    shown = _display(schools, True)[columns]
    district_rows = (schools["学校"] == DISTRICT_LABEL).to_numpy()
    layout = write_table(
        workbook,
        styles,
        name,
        shown,
        _roles(shown),
        title=title,
        subtitle=subtitle,
        emphasis=district_rows.tolist(),
        freeze_columns=3,
    )
    _alert_formats(layout, shown, district_rows, styles, unit="学校")


def _alert_formats(
    layout: TableLayout,
    table: pd.DataFrame,
    total_rows: Sequence[bool],
    styles: Styles,
    unit: str = "班级",
) -> None:
    """Per grade × subject block (its rows, then its total row): rates well below the total's
    red, the first-ranked ``unit`` (class or school) green.

    The thresholds are the block's own numbers, written as values: xlsxwriter runs ~150
    regular expressions over every formula rule, and a district has thousands of blocks.
    The columns are taken out of the frame once, as lists of the values a row of it holds
    (a district's thousands of blocks, sliced in pandas, cost more than writing the rules).
    """
    from xlsxwriter.utility import xl_rowcol_to_cell

    sheet, cols = layout.sheet, layout.columns
    bad, good = styles.conditional("bad"), styles.conditional("good")
    rates = (("优秀率", False), ("良好率", False), ("及格率", False), ("低分率", True))
    ranked = "名次" in cols
    measured = [column for column, _ in rates] + (["名次", "综合分"] if ranked else [])
    values = {column: table[column].tolist() for column in measured}
    filled = {column: table[column].notna().to_numpy() for column in [*measured, "超均率"]}
    is_first = (
        (table["名次"] == 1).to_numpy(dtype=bool, na_value=False)
        if ranked
        else np.zeros(len(table), dtype=bool)
    )
    start = 0
    for i, total_row in enumerate(total_rows):
        if not total_row:
            continue
        first, last = layout.first_row + start, layout.first_row + i - 1
        block = slice(start, i)
        start = i + 1
        if last < first:
            continue
        for column, above in rates:
            total = values[column][i]
            if pd.isna(total):
                continue
            rule = (
                {"criteria": ">", "value": total + RATE_ALERT_GAP}
                if above
                else {"criteria": "<", "value": total - RATE_ALERT_GAP}
            )
            _number_rule(sheet, first, cols[column], filled[column][block], rule | {"format": bad})
        _number_rule(
            sheet,
            first,
            cols["超均率"],
            filled["超均率"][block],
            {"criteria": "<", "value": -RATE_ALERT_GAP, "format": bad},
        )
        if not ranked:
            continue
        first_ranked = {"criteria": "==", "value": 1, "format": good}
        _number_rule(sheet, first, cols["名次"], filled["名次"][block], first_ranked)
        # The first-ranked's 综合分 (ranks compare rounded 综合分, so ties are ranked alike).
        scores = zip(values["综合分"][block], filled["综合分"][block], is_first[block], strict=True)
        best = min((score for score, has_value, one in scores if has_value and one), default=None)
        if best is not None:
            top = {"criteria": ">=", "value": best, "format": good}
            _number_rule(sheet, first, cols["综合分"], filled["综合分"][block], top)
        c = cols[unit]
        rank_cell = xl_rowcol_to_cell(first, cols["名次"], col_abs=True)
        sheet.conditional_format(
            first,
            c,
            last,
            c,
            {"type": "formula", "criteria": f"={rank_cell}=1", "format": good},
        )


def _number_rule(
    sheet: Any, first: int, col: int, filled: np.ndarray, rule: dict[str, Any]
) -> None:
    """A cell-value rule over the block's column, leaving out blank cells (``filled`` false:
    a rate with no student sitting the exam), which Excel would compare as 0."""
    from xlsxwriter.utility import xl_range

    runs: list[tuple[int, int]] = []
    for offset, has_value in enumerate(filled.tolist()):
        if not has_value:
            continue
        if runs and runs[-1][1] == offset - 1:
            runs[-1] = (runs[-1][0], offset)
        else:
            runs.append((offset, offset))
    if not runs:
        return
    options = {"type": "cell", **rule}
    if len(runs) > 1:
        options["multi_range"] = " ".join(xl_range(first + a, col, first + b, col) for a, b in runs)
    a, b = runs[0]
    sheet.conditional_format(first + a, col, first + b, col, options)


@dataclass(frozen=True)
class _Compared:
    """What a grade's chart sheet compares: the school's classes, or the district's schools."""

    unit: str  # header of the label column: 班级 or 学校
    word: str  # in headings and chart titles: 各班 or 各校
    labels: list[str]  # one per table row; the last is the total (全年级 or 全区)
    rows: dict[tuple[str, str], dict[str, Any]]  # (label, 学科) → that row of the summary

    def value(self, column: str, subject: str, label: str) -> Any:
        row = self.rows.get((label, subject))
        return None if row is None else row[column]


def _levels_of(compared: _Compared, subject: str, label: str) -> list[int | None]:
    """Students per level of one class (or school) in ``subject``; blanks where it has none."""
    row = compared.rows.get((label, subject))
    return [None] * len(LEVELS) if row is None else level_counts(row)


def _compared(report: ScoreReport, grade: int) -> _Compared:
    if report.school_summary is not None:
        # Several schools: their 班级 numbers repeat, so the chart compares schools.
        rows = report.school_summary[report.school_summary["年级"] == grade]
        order = school_order(s for s in rows["学校"] if s != DISTRICT_LABEL)
        labels = [*sorted(order, key=order.__getitem__), DISTRICT_LABEL]
        keys = list(rows["学校"])
        return _Compared("学校", "各校", labels, _by_label(rows, keys))
    rows = report.summary[report.summary["年级"] == grade]
    classes = [c for c in dict.fromkeys(rows["班级"]) if pd.notna(c)]
    labels = [class_name(grade, int(c)) for c in classes] + [GRADE_ROW_LABEL]
    keys = [GRADE_ROW_LABEL if pd.isna(c) else class_name(grade, int(c)) for c in rows["班级"]]
    return _Compared("班级", "各班", labels, _by_label(rows, keys))


def _by_label(rows: pd.DataFrame, labels: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    # Each row as a dict of the values iterrows() would give (a Series per row cost more than
    # the sheet's cells).
    columns = list(rows.columns)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for label, values in zip(labels, rows.to_numpy(), strict=True):
        row = dict(zip(columns, values, strict=True))
        found.setdefault((label, row["学科"]), row)  # the first, as a lookup would
    return found


def _grade_chart_sheet(workbook: Any, styles: Styles, report: ScoreReport, grade: int) -> None:
    """Per grade: class (or, for several schools, school) averages by subject, and per subject
    the three rates, each a small table with its chart beside it."""
    compared = _compared(report, grade)
    multi = compared.unit == "学校"
    grade_rows = report.summary[report.summary["年级"] == grade]
    name = f"{grade_name(grade)}图表"
    sheet = workbook.add_worksheet(name)
    title = f"{report.title} · {grade_name(grade)}"
    sheet.set_row(0, 28)
    subjects = sorted(grade_rows["学科"].unique(), key=report.config.subject_order)
    labels = compared.labels
    n = len(labels)
    label_width = max([10, *(column_width(label, []) for label in labels)]) if multi else 10
    widths = [label_width, *[9] * max(len(subjects), 3)]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    placed: list[Drawn] = []
    chart_width = SCHOOL_CHART_WIDTH if multi else CHART_WIDTH
    # The title over the printed width only (written first: large workbooks stream their rows).
    last_col = last_printed_column(widths, [Drawn(0, len(subjects) + 2, chart_width, 1)])
    sheet.merge_range(0, 0, 0, last_col, title, styles.title)

    def block(top: int, heading: str, header: list[str], values: list[list[Any]], fmt: str) -> int:
        sheet.write_string(top, 0, heading, styles.get("text", bold=True, border=0))
        for c, text in enumerate(header):
            sheet.write_string(top + 1, c, text, styles.header)
        for r, row in enumerate(values):
            grade_row = r == len(values) - 1
            write_cell(sheet, top + 2 + r, 0, labels[r], styles.get("text", grade_row=grade_row))
            for c, value in enumerate(row, start=1):
                write_cell(sheet, top + 2 + r, c, value, styles.get(fmt, grade_row=grade_row))
        return top + 1

    def chart(header_row: int, columns: int, spec: ChartSpec) -> tuple[Any, int]:
        """The chart over the block's rows (not its total row: it compares classes or
        schools), and how many sheet rows it covers."""
        categories = (header_row + 1, 0, header_row + n - 1, 0)
        series = [
            Series((header_row, c), (header_row + 1, c, header_row + n - 1, c))
            for c in range(1, columns + 1)
        ]
        if not multi and spec.kind != "column":
            drawn = make_chart(workbook, spec, name, categories, series)
            placed.append(Drawn(header_row - 1, len(subjects) + 2, CHART_WIDTH, CHART_HEIGHT))
            return drawn, 18
        if not multi:
            drawn = column_chart(
                workbook,
                name,
                categories,
                series,
                title=spec.title,
                y_title=spec.y_title,
                percent=spec.percent,
                y_max=spec.y_max,
            )
            placed.append(Drawn(header_row - 1, len(subjects) + 2, CHART_WIDTH, CHART_HEIGHT))
            return drawn, 18
        schools = n - 1
        height = CHART_MARGIN_PIXELS + schools * (columns * BAR_PIXELS + CATEGORY_GAP_PIXELS)
        height = min(max(height, 320), SCHOOL_CHART_MAX_HEIGHT)
        sideways = "percent_stacked_bar" if spec.kind == "percent_stacked" else "bar"
        spec = replace(spec, kind=sideways, labels=schools * columns <= LABELLED_BARS)
        drawn = make_chart(workbook, spec, name, categories, series)
        drawn.set_size({"width": SCHOOL_CHART_WIDTH, "height": height})
        placed.append(Drawn(header_row - 1, len(subjects) + 2, SCHOOL_CHART_WIDTH, height))
        return drawn, math.ceil(height / ROW_PIXELS) + 2

    top = 2

    def section(
        heading: str, header: list[str], values: list[list[Any]], fmt: str, spec: ChartSpec
    ) -> None:
        """A small table with its chart beside it, then room for the next."""
        nonlocal top
        header_row = block(top, heading, header, values, fmt)
        drawn, rows = chart(header_row, len(header) - 1, spec)
        sheet.insert_chart(top, len(subjects) + 2, drawn, CHART_OFFSETS)
        top += max(n + 4, rows)

    section(
        f"{compared.word}平均分",
        [compared.unit, *subjects],
        [[compared.value("平均分", s, k) for s in subjects] for k in labels],
        "decimal",
        ChartSpec(
            "column",
            f"{grade_name(grade)}{compared.word}各科平均分",
            "平均分",
            y_max=max(report.config.rule(grade, s).full_mark for s in subjects),
        ),
    )
    rates = ("优秀率", "及格率", "低分率")
    for subject in subjects:
        section(
            f"{subject}三率",
            [compared.unit, *rates],
            [[compared.value(r, subject, k) for r in rates] for k in labels],
            "percent",
            ChartSpec(
                "column",
                f"{grade_name(grade)}{subject}{compared.word}优秀率、及格率、低分率",
                "比率",
                percent=True,
            ),
        )
    for subject in subjects:
        section(
            f"{subject}等级分布",
            [compared.unit, *LEVELS],
            [_levels_of(compared, subject, k) for k in labels],
            "int",
            ChartSpec(
                "percent_stacked",
                f"{grade_name(grade)}{subject}{compared.word}等级分布",
                "人数占比",
                percent=True,
                number_format="0",  # the labels are students, the axis their share
            ),
        )
    sheet.freeze_panes(1, 0)
    a4_landscape(sheet, None, title)
    print_charts_whole(sheet, widths, {0: 28}, placed, top)


def _students_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    table = report.students.copy()
    for subject in report.subjects:
        absent = table["缺考科目"].str.split("、").apply(lambda s, x=subject: x in s)
        table[subject] = table[subject].astype(object).where(~absent, ABSENT_TEXT)
    ranked = report.ranks_students
    # 学生排名 = 不排名 (docs/口径.md): no 名次 column at all, 进退步 by level.
    columns = ["学校", "年级", "班级", "学号", "姓名", *report.subjects, "总分"]
    columns += ["班级名次", "年级名次"] if ranked else []
    if report.progress is not None:
        table = table.join(report.progress.students)
        columns += ["上次年级名次", "进退步"] if ranked else []
        columns += [c for c in ("等级变化", "等级进退") if c in table]
    columns.append("缺考科目")
    shown = _display(table[columns], multi)
    if ranked:
        note = "总分为各科有效分数之和（由工具重新计算）；有缺考科目的学生不参与名次排名。"
    else:
        note = (
            "总分为各科有效分数之和（由工具重新计算）；按学校配置“学生排名”，不排学生名次，"
            "进退步看各科等级的升降（等级进退 = 升的级数 − 降的级数）。"
        )
    write_table(
        workbook,
        styles,
        "学生成绩",
        shown,
        _roles(shown),
        title=internal(f"{report.title} · 学生成绩"),
        subtitle=note,
        freeze_columns=4 + multi,
    )


def _bands_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    bands = report.bands
    shown = _display(bands, multi)
    roles = {c: "int" for c in shown.columns} | {
        "年级": "text",
        "班级": "text",
        "学科": "text",
        "学校": "text",
    }
    write_table(
        workbook,
        styles,
        "分数段",
        shown,
        roles,
        title=f"{report.title} · 分数段",
        subtitle=(
            f"每段 {report.config.band_width:g} 分，含下限不含上限，最高段含满分；人数为实考人数。"
        ),
        emphasis=bands["班级"].isna().tolist(),
        freeze_columns=3 + multi,
    )


def _critical_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    shown = _display(report.critical, multi)
    write_table(
        workbook,
        styles,
        "临界生",
        shown,
        _roles(shown) | {"差距": "score", "分数线": "score"},
        title=internal(f"{report.title} · 临界生"),
        subtitle=(
            f"低于及格线或优秀线 {report.config.critical_margin:g} 分以内的学生："
            "拟合格（及格线下）、拟优（优秀线下）。"
        ),
        freeze_columns=5 + multi,
    )


def _care_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    if report.care is None:
        return
    shown = _display(report.care, multi)
    share = f"{report.config.bottom_share:.0%}"
    write_table(
        workbook,
        styles,
        "关爱学生",
        shown,
        _roles(shown),
        title=internal(f"{report.title} · 关爱学生"),
        subtitle=(
            f"每班每科实考分数最低的 {share} 的学生（人数向上取整，与最后一名同分的也列入），"
            "供任课教师个别辅导；按学号列出，不排序、不公布。按等级评价的学科不列。"
        ),
        freeze_columns=5 + multi,
    )


def _progress_sheet(workbook: Any, styles: Styles, report: ScoreReport, multi: bool) -> None:
    classes = report.progress.classes
    shown = _display(classes, multi)
    write_table(
        workbook,
        styles,
        "进退步",
        shown,
        _roles(shown) | {"上次名次": "int", "名次变化": "signed_int"},
        title=internal(f"{report.title} · 与{report.previous_exam}对比"),
        subtitle=(
            "变化 = 本次 − 上次；名次变化 = 上次名次 − 本次名次，正数为进步。"
            "学生名次进退步见“学生成绩”。"
        ),
        emphasis=classes["班级"].isna().tolist(),
        freeze_columns=3 + multi,
    )


def definitions(report: ScoreReport) -> list[tuple[str, str, str]]:
    """口径说明 rows: what each number means and the values this run used."""
    config = report.config
    summary = report.summary
    pairs = summary[["年级", "学科"]].drop_duplicates().itertuples(index=False)
    rule_lines = []
    for grade, subject in pairs:
        rule = config.rule(int(grade), subject)
        points = [rule.points(k) for k in ("excellent", "good", "passing", "low")]
        rule_lines.append(
            f"{grade_name(int(grade))}{subject}：满分 {rule.full_mark:g}，优秀 {points[0]:g}，"
            f"良好 {points[1]:g}，及格 {points[2]:g}，低分 <{points[3]:g}"
        )
    w = config.weights
    totals = report.row_totals()
    ranking = "中国式排名（1,2,2,3）" if config.dense_rank else "Excel RANK.EQ（1,2,2,4）"
    source = config.source or "未提供（使用默认值）"
    rows = SCORE_DEFINITIONS.sheet_rows(
        {
            "数据来源": f"{len(report.files)} 个文件；学校配置：{source}",
            "行数核对": rows_checked(totals),
            "满分与分数线": "\n".join(rule_lines),
            "缺考人数": "缺考计零" if config.absent_as_zero else "缺考不计零",
            "综合分（三率一分）": f"权重：平均分 {w[0]:g}，及格率 {w[1]:g}，优秀率 {w[2]:g}",
            "名次": ranking,
            "分数段": f"每段 {config.band_width:g} 分",
            "临界生": f"临界分差 {config.critical_margin:g} 分",
            "关爱学生": f"后 {config.bottom_share:.0%}",
            "进退步": report.previous_exam or "未提供上次考试",
            "名次变化": report.previous_exam or "未提供上次考试",
        }
    )
    compared = report.school_summary if report.school_summary is not None else report.reference
    if compared is not None:  # the 学校对比 (or 全区对照) rows follow 名次
        schools = compared.loc[compared["学校"] != DISTRICT_LABEL, "学校"].nunique()
        if report.reference is not None:
            schools = report.reference_schools or schools
        after = [name for name, _, _ in rows].index("名次") + 1
        rows[after:after] = SCORE_DISTRICT_DEFINITIONS.sheet_rows(
            {"学校": f"{schools} 所学校", "名次（学校对比）": ranking}
        )
    return rows
