"""试题分析.xlsx: per exam an overview (难度–区分度 scatter, 知识点得分率 by class), then item
quality, per-class 得分率, knowledge points and the suggested weak-point ledger; plus the
suggested ledger as a fillable 薄弱点台账 template beside it."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from toolkit.base.classnames import class_name, grade_name
from toolkit.items.definitions import ITEM_DEFINITIONS, ITEM_DISTRICT_DEFINITIONS
from toolkit.items.metrics import D_BANDS, EXAM_KEYS, GROUP_SHARE, P_BANDS, ItemAnalysis
from toolkit.items.report import ItemReport
from toolkit.present import GRADE_LABEL, Block, ChartSpec, source_rows
from toolkit.render.output import check_target, write_atomically
from toolkit.render.xlsx.report_book import ReportBook, write_report_book
from toolkit.render.xlsx.tables import TableLayout

LEDGER_SUFFIX = "_建议薄弱点台账.xlsx"
DISTRICT_LABEL = "全区"
DISTRICT_RATE = "全区得分率"  # the whole input's column when it holds several schools
# Columns of the wide tables that are not a 得分率 (everything after them is one).
WIDE_KEYS = {*EXAM_KEYS, "题号", "满分", "知识点"}


def ledger_path(target: Path) -> Path:
    """Where the suggested ledger goes: beside the workbook, named after it."""
    return target.with_name(f"{target.stem}{LEDGER_SUFFIX}")


def write_item_workbook(report: ItemReport, target: Path) -> Path:
    return write_report_book(target, report, lambda b: _build(b, report))


def write_suggested_ledger(report: ItemReport, target: Path) -> Path:
    """The suggested weak points as a pre-filled 薄弱点台账 template (dropdowns and all)."""
    from toolkit.kinds.registry import RECORD_KINDS
    from toolkit.render.templates.records import write_record_template

    assert report.analysis is not None
    check_target(target, [f.path for f in report.files])
    rows = report.analysis.suggestions
    return write_atomically(
        target,
        lambda path: write_record_template(
            str(path),
            RECORD_KINDS["weakpoints"],
            report.config,
            rows,
            what="薄弱点台账（据试题分析建议）",
        ),
    )


def _exam_name(key: tuple[int, str, str]) -> str:
    grade, subject, exam = key
    return f"{grade_name(int(grade))}{subject}{exam}"


def _exams(analysis: ItemAnalysis) -> list[tuple[int, str, str]]:
    return list(dict.fromkeys(analysis.items[EXAM_KEYS].itertuples(index=False, name=None)))


def _build(book: ReportBook, report: ItemReport) -> None:
    analysis = report.analysis
    assert analysis is not None
    book.error_effect = "该题得分按缺失处理"
    exams = _exams(analysis)
    for key in exams:
        name = _exam_name(key)
        book.overview(name[:31], f"{name}试题分析", _blocks(analysis, key), note=_note(analysis))
    book.table(
        "试题质量",
        analysis.items,
        heading="各题难度与区分度",
        subtitle=(
            f"难度 P = 平均分 ÷ 满分；区分度 D = (高分组均分 − 低分组均分) ÷ 满分，"
            f"高、低分组各取总分前、后 {GROUP_SHARE:.0%}。"
        ),
        freeze_columns=4,
    )
    wide = _wide_items(analysis)
    layout = book.table(
        "各班小题得分率",
        wide,
        roles=_rate_roles(wide),
        heading="各班各题得分率",
        subtitle=(
            f"得分率 = 平均分 ÷ 满分；低于 {analysis.line:.0%} 标红。{_schools_note(analysis)}"
        ),
        freeze_columns=4,
    )
    _mark_below(book, layout, wide, analysis.line)
    wide = _wide_points(analysis)
    layout = book.table(
        "知识点得分率",
        wide,
        roles=_rate_roles(wide),
        heading="各班知识点得分率",
        subtitle=(
            f"知识点得分率 = 该知识点各题得分之和 ÷ 满分之和；低于 {analysis.line:.0%} 标红。"
            f"{_schools_note(analysis)}"
        ),
        freeze_columns=4,
    )
    _mark_below(book, layout, wide, analysis.line)
    book.table(
        "建议薄弱点",
        _suggestions_view(analysis),
        heading="建议列入薄弱点台账的知识点",
        subtitle=(
            f"班级知识点得分率低于 {analysis.line:.0%}，"
            f"或比{'本校' if analysis.multi_school else ''}年级低 {analysis.gap:.0%} 以上。"
            "已另存为可填写的薄弱点台账（见命令输出），请补全原因、措施后交回。"
        ),
        freeze_columns=4 + analysis.multi_school,
    )
    book.close(report.problems, definitions(report))


def _schools_note(analysis: ItemAnalysis) -> str:
    if not analysis.multi_school:
        return ""
    return (
        f"学校列为该校全体学生的得分率，{DISTRICT_RATE}为全区全体学生的；"
        "不同学校的同名班级分列（学校 班级）。"
    )


def _note(analysis: ItemAnalysis) -> str:
    return (
        f"难度 ≥{P_BANDS[0][0]:g} 容易、≥{P_BANDS[1][0]:g} 中等；"
        f"区分度 ≥{D_BANDS[0][0]:g} 很好、≥{D_BANDS[1][0]:g} 良好、≥{D_BANDS[2][0]:g} 尚可，"
        "以下需改进"
    )


def _of_exam(frame: pd.DataFrame, key: tuple[int, str, str]) -> pd.DataFrame:
    mask = (frame["年级"] == key[0]) & (frame["学科"] == key[1]) & (frame["考试"] == key[2])
    return frame[mask]


def _blocks(analysis: ItemAnalysis, key: tuple[int, str, str]) -> list[Block]:
    name = _exam_name(key)
    items = _of_exam(analysis.items, key)
    scatter = items[["题号", "难度", "区分度"]].copy()
    scatter["题号"] = scatter["题号"].astype(str)
    bands = items["区分度评价"].value_counts()
    quality = pd.DataFrame(
        {"区分度评价": [b for _, b in D_BANDS], "题数": [int(bands.get(b, 0)) for _, b in D_BANDS]}
    )
    points = _of_exam(_wide_points(analysis), key).drop(columns=[*EXAM_KEYS, "题号"])
    points = points.dropna(axis=1, how="all").reset_index(drop=True)
    roles = None
    if analysis.multi_school and len(points):
        # A district's classes are too many for one chart: it compares the schools, one bar
        # group per school (the 全区 last) and a colour per 知识点 (few, so colours stay apart).
        rates = [c for c in [*analysis.schools, DISTRICT_RATE] if c in points]
        points = points.set_index("知识点")[rates].T.rename_axis("学校").reset_index()
        points["学校"] = points["学校"].replace({DISTRICT_RATE: DISTRICT_LABEL})
        points.columns = [str(c) for c in points.columns]
        roles = {c: "percent" for c in points.columns[1:]}
    units = "各校" if analysis.multi_school else "各班"
    blocks = [
        Block(
            "各题难度与区分度",
            scatter.reset_index(drop=True),
            ChartSpec(
                "scatter",
                f"{name}各题难度–区分度",
                "区分度 D",
                x_title="难度 P",
                series=("难度", "区分度"),
            ),
        ),
        Block(
            "区分度评价",
            quality,
            ChartSpec("column", f"{name}区分度评价", "题数"),
        ),
    ]
    if len(points):
        blocks.append(
            Block(
                f"{units}知识点得分率",
                points,
                ChartSpec(
                    # schools side by side across the chart's long side
                    "column" if analysis.multi_school else "bar",
                    f"{name}{units}知识点得分率",
                    "得分率",
                    percent=True,
                    labels=False,
                ),
                roles=roles,
            )
        )
    return blocks


def _class_label(analysis: ItemAnalysis, school: str, grade: int, klass: int) -> str:
    """四(1)班, or with several schools 第1小学 四(1)班 (their class numbers repeat)."""
    name = class_name(int(grade), int(klass))
    return f"{school} {name}" if analysis.multi_school else name


def _class_columns(frame: pd.DataFrame, analysis: ItemAnalysis) -> pd.DataFrame:
    """学校 and 班级 → class labels (三(2)班), the grade rows → 全年级."""
    out = frame.copy()
    # Once per class: the frame has a row per class and item (100,000 for a city's grade).
    label = functools.cache(lambda s, g, c: _class_label(analysis, s, g, c))
    keys = (out[key].tolist() for key in ("学校", "年级", "班级"))  # lists: iterated at C speed
    out["班别"] = [
        GRADE_LABEL if c is None or pd.isna(c) else label(s, g, c)
        for s, g, c in zip(*keys, strict=True)
    ]
    return out


def _class_labels(frame: pd.DataFrame, analysis: ItemAnalysis) -> list[str]:
    """The class columns of a wide table, in school order then class number."""
    position = {school: i for i, school in enumerate(analysis.schools)}
    classes = frame[frame["班级"].notna()][["学校", "年级", "班级"]].drop_duplicates()
    ordered = sorted(
        classes.itertuples(index=False), key=lambda r: (position.get(r[0], -1), r[1], r[2])
    )
    return list(dict.fromkeys(_class_label(analysis, s, g, c) for s, g, c in ordered))


def _school_labels(analysis: ItemAnalysis) -> list[str]:
    return list(analysis.schools) if analysis.multi_school else []


def _grade_rate(analysis: ItemAnalysis) -> str:
    """The whole input's column: the grade's (one school) or the district's."""
    return DISTRICT_RATE if analysis.multi_school else "年级得分率"


def _wide_items(analysis: ItemAnalysis) -> pd.DataFrame:
    per_class = _class_columns(analysis.item_classes, analysis)
    index = [*EXAM_KEYS, "题号"]
    wide = per_class.pivot_table(index=index, columns="班别", values="得分率", sort=False)
    classes = _class_labels(per_class, analysis)
    base = analysis.items[[*index, "满分", "知识点", "难度"]].rename(
        columns={"难度": _grade_rate(analysis)}
    )
    table = base.join(wide.reindex(columns=classes), on=index)
    schools = _school_labels(analysis)
    if schools:
        assert analysis.item_schools is not None
        by_school = analysis.item_schools.pivot_table(
            index=index, columns="学校", values="得分率", sort=False
        )
        table = table.join(by_school.reindex(columns=schools), on=index)
        return table[[*index, "满分", "知识点", *schools, DISTRICT_RATE, *classes]]
    return table[[*index, "满分", "知识点", *classes, "年级得分率"]]


def _wide_points(analysis: ItemAnalysis) -> pd.DataFrame:
    points = _class_columns(analysis.points, analysis)
    index = [*EXAM_KEYS, "知识点", "题号"]
    if points.empty:
        return pd.DataFrame(columns=index)
    wide = points.pivot_table(index=index, columns="班别", values="得分率", sort=False)
    classes = _class_labels(points, analysis)
    grade_rate = _grade_rate(analysis)
    wide = wide.rename(columns={GRADE_LABEL: grade_rate})
    schools = _school_labels(analysis)
    if schools:
        assert analysis.point_schools is not None
        by_school = analysis.point_schools.pivot_table(
            index=index, columns="学校", values="得分率", sort=False
        )
        wide = wide.join(by_school.reindex(columns=schools))
        return wide[[*schools, grade_rate, *classes]].reset_index()
    return wide[[*classes, grade_rate]].reset_index()


def _rate_roles(wide: pd.DataFrame) -> dict[str, str]:
    """Every column after the keys (classes, schools, the grade) holds 得分率."""
    return {str(c): "percent" for c in _rate_columns(wide)}


def _rate_columns(wide: pd.DataFrame) -> list[str]:
    return [str(c) for c in wide.columns if c not in WIDE_KEYS]


def _suggestions_view(analysis: ItemAnalysis) -> pd.DataFrame:
    columns = ["年级", "班级", "学科", "知识点", "问题表现", "错误率", "涉及人数", "责任教师"]
    if analysis.multi_school:
        columns = ["学校", *columns]
    return analysis.suggestions[columns]


def _mark_below(book: ReportBook, layout: TableLayout, wide: pd.DataFrame, line: float) -> None:
    """Rates under the weak-point line in red, as the eye should find them."""
    rate_columns = [layout.columns[name] for name in _rate_columns(wide)]
    if layout.last_row < layout.first_row or not rate_columns:
        return
    bad = book.styles.conditional("bad")
    layout.sheet.conditional_format(
        layout.first_row,
        min(rate_columns),
        layout.last_row,
        max(rate_columns),
        {"type": "cell", "criteria": "<", "value": line, "format": bad},
    )


def definitions(report: ItemReport) -> list[tuple[str, str, str]]:
    analysis = report.analysis
    assert analysis is not None
    config = report.config
    rows = ITEM_DEFINITIONS.sheet_rows(
        {
            "建议薄弱点": f"预警线 {analysis.line:.0%}，差距 {analysis.gap:.0%}"
            "（学校配置“参数”可改）",
            "登记日期、计划完成日期": f"{report.today:%Y-%m-%d}，{config.follow_up_days:g} 天",
        },
        fill={"本校": "本校" if analysis.multi_school else ""},
    )
    if analysis.multi_school:  # the school rows follow 班级得分率
        after = [name for name, _, _ in rows].index("班级得分率") + 1
        rows[after:after] = ITEM_DISTRICT_DEFINITIONS.sheet_rows(
            {"学校": f"{len(analysis.schools)} 所学校"}
        )
    return [
        *source_rows(report, len(report.records.files), "读取的学生行 = 计入 + 跳过（汇总行等）"),
        *rows,
    ]
