"""乐考汇总.xlsx: per-grade overviews (each station's and each subject's level distribution as
100% stacked charts), then 项目等级分布, 学科等级 and, for teachers only, 学生等级 per grade."""

from __future__ import annotations

from toolkit.base.classnames import grade_name
from toolkit.lekao.definitions import LEKAO_DEFINITIONS
from toolkit.lekao.metrics import COUNT_COLUMNS, LekaoSummary
from toolkit.lekao.schema import LEVELS, NOT_ASSESSED, lekao_grades, stations_for
from toolkit.present import (
    Block,
    Book,
    ChartSpec,
    grade_block,
    grade_sheet_name,
    grades_of,
    internal,
    period_text,
    source_rows,
)
from toolkit.records.report import RecordReport

# Counts, whatever a percent chart beside them would make of a column named 优秀.
COUNT_ROLES = {name: "int" for name in (*LEVELS, NOT_ASSESSED, "实测人数")}
NO_RANK = "乐考按等级评价，不排名、不计算名次。"


def build(book: Book, report: RecordReport) -> None:
    summary: LekaoSummary = report.summary
    note = f"{period_text(report)}。{NO_RANK}"
    for grade in grades_of(summary.stations):
        book.overview(
            grade_sheet_name(grade), f"{grade_name(grade)}乐考", _blocks(summary, grade), note
        )
    book.table(
        "项目等级分布",
        summary.stations,
        heading="各班各项目等级分布",
        subtitle=(
            f"{period_text(report)}。★★★ 计为优秀、★★ 良好、★ 合格，过关计为合格、未过关计为"
            "待合格；空白为未测，不计入实测人数和各率。"
        ),
        roles=COUNT_ROLES,
        freeze_columns=4,
    )
    book.table(
        "学科等级",
        summary.subjects,
        heading="各班各学科总评等级分布",
        subtitle=f"{period_text(report)}。{_rule_text(summary)}",
        roles=COUNT_ROLES,
        freeze_columns=3,
    )
    for grade, students in summary.students.items():
        book.table(
            f"{grade_name(grade)}学生等级",
            students,
            heading=internal(f"{grade_name(grade)}学生乐考等级"),
            subtitle=(
                "每名学生各项目的结果和各学科总评，供教师了解学生、单独告知家长；"
                f"不得公布或张贴。{NO_RANK}"
            ),
            freeze_columns=4,
        )


def _rule_text(summary: LekaoSummary) -> str:
    excellent, good, passing = summary.lines
    return (
        "学科总评：该学科已测项目的等级折为 优秀 4、良好 3、合格 2、待合格 1 取平均，"
        f"≥{excellent:g} 为优秀，≥{good:g} 为良好，≥{passing:g} 为合格，其余为待合格"
        "（折分只用于评定，不对外呈现）。"
    )


def _blocks(summary: LekaoSummary, grade: int) -> list[Block]:
    stations = summary.stations
    rows = stations[(stations["年级"] == grade) & stations["班级"].isna()]
    by_station = rows[["项目", "学科", *COUNT_COLUMNS]].reset_index(drop=True)
    name = grade_name(grade)
    blocks = [
        Block(
            "各项目等级分布（全年级）",
            by_station,
            levels_chart(f"{name}各项目等级分布"),
            roles=COUNT_ROLES,
        )
    ]
    subjects = summary.subjects
    for subject in dict.fromkeys(subjects.loc[subjects["年级"] == grade, "学科"]):
        frame = grade_block(subjects[subjects["学科"] == subject], grade, "班级", COUNT_COLUMNS)
        blocks.append(
            Block(
                f"{subject}总评等级（各班）",
                frame,
                levels_chart(f"{name}各班{subject}总评等级分布"),
                roles=COUNT_ROLES,
            )
        )
    return blocks


def levels_chart(title: str) -> ChartSpec:
    """A 100% stacked chart of the four levels (the packs draw it too)."""
    return ChartSpec(
        "percent_stacked",
        title,
        "人数占比",
        series=LEVELS,
        percent=True,
        number_format="0",  # the labels are students, the axis their share
    )


def _stations_text(report: RecordReport) -> str:
    config = report.config
    parts = []
    for grade in lekao_grades(config):
        stations = stations_for(config, grade)
        listed = "、".join(f"{s.name}（{s.subject}，{s.scoring}）" for s in stations)
        parts.append(f"{grade_name(grade)}：{listed}")
    own = {s.grade for s in config.lekao_stations}
    source = "学校配置“乐考项目”表" if own else "默认项目（学校配置没有“乐考项目”表）"
    return f"{'；'.join(parts)}。来自{source}"


def definitions(report: RecordReport) -> list[tuple[str, str, str]]:
    summary: LekaoSummary = report.summary
    excellent, good, passing = summary.lines
    return [
        *source_rows(report, len(report.table.files)),
        *LEKAO_DEFINITIONS.sheet_rows(
            {
                "统计范围": period_text(report),
                "项目": _stations_text(report),
                "学科总评": f"优秀线 {excellent:g}、良好线 {good:g}、合格线 {passing:g}",
            }
        ),
    ]
