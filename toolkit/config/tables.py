"""The school config's tables: 班级, 任课, 名单 and 乐考项目, declared as record kinds.

They are read by the same reader as teachers' sheets, so a bad config cell is reported with its
file › sheet › cell like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from toolkit.base.classnames import ClassId
from toolkit.base.problems import ProblemReport
from toolkit.base.text import clean_name
from toolkit.config.model import ClassInfo, LekaoStation, RosterEntry, Teaching
from toolkit.reading.workbook import Sheet
from toolkit.records.fields import CLASS, GRADE, SUBJECT, Field, RecordKind
from toolkit.records.read import RecordTable, read_record_sheets
from toolkit.records.validate import validate_records

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig


_OPTIONAL_GRADE = Field("年级", "grade", required=False, help=GRADE.help, example="三年级")

CLASSES = RecordKind(
    key="config.classes",
    title="班级",
    unit="一个班",
    anchor="班级",
    min_fields=2,
    fields=(
        _OPTIONAL_GRADE,
        CLASS,
        Field("班主任", "person", synonyms=("班主任姓名",), required=False, example="赵敏"),
        Field(
            "人数",
            "int",
            synonyms=("学生人数", "班额"),
            required=False,
            example=42,
            minimum=1,
            maximum=120,
            unit="人",
        ),
    ),
)
TEACHING = RecordKind(
    key="config.teaching",
    title="任课",
    unit="一位教师在一个年级的一个学科",
    anchor="教师",
    min_fields=2,
    fields=(
        Field("教师", "person", synonyms=("任课教师", "教师姓名", "姓名", "老师"), example="王丽"),
        SUBJECT,
        Field("年级", "grade", required=False, example="三年级"),
        Field(
            "班级",
            "classes",
            synonyms=("任教班级", "班别"),
            required=False,
            help="一个或几个班，如 1班、2班；留空表示该年级所有班",
            example="1班、2班",
        ),
    ),
)
ROSTER = RecordKind(
    key="config.roster",
    title="名单",
    unit="一名学生",
    anchor="姓名",
    min_fields=2,
    fields=(
        _OPTIONAL_GRADE,
        CLASS,
        Field("学号", synonyms=("考号", "学籍号", "学生编号"), required=False, example="20230201"),
        Field("姓名", "person", synonyms=("学生姓名",), example="张子涵"),
    ),
)
# 乐考 stations of grades 1–2 (toolkit/lekao): the names a 乐考 sheet's columns carry.
LEKAO_SCORING = ("等级", "星级", "过关")
LEKAO_SCORING_SPELLINGS = {
    "等第": "等级", "等级制": "等级", "星": "星级", "星星": "星级", "星级制": "星级",
    "过关制": "过关", "闯关": "过关", "是否过关": "过关",
}  # fmt: skip
LEKAO_STATIONS = RecordKind(
    key="config.lekao",
    title="乐考项目",
    unit="一个年级的一个乐考项目",
    anchor="项目",
    min_fields=2,
    fields=(
        Field("年级", "grade", required=False, help="留空表示一、二年级都有", example="一年级"),
        Field("项目", synonyms=("乐考项目", "项目名称", "测评项目"), example="识字大闯关"),
        Field(
            "学科",
            "subject",
            synonyms=("科目", "所属学科"),
            help="项目所属学科；不属于某一学科的填 综合",
            example="语文",
        ),
        Field(
            "记分方式",
            "choice",
            synonyms=("计分方式", "评价方式", "记分"),
            required=False,
            choices=LEKAO_SCORING,
            aliases=LEKAO_SCORING_SPELLINGS,
            help="等级（优秀…待合格）、星级（★★★…★）或 过关（过关/未过关）；留空为等级",
            example="等级",
        ),
    ),
)


def read_config_tables(
    sheets: dict[str, Sheet], config: SchoolConfig, report: ProblemReport
) -> None:
    """Fill ``config.classes``, ``teaching`` and ``roster`` from their sheets, when present."""
    if "班级" in sheets:
        table = _read(CLASSES, sheets["班级"], config, report)
        for row in table.valid.itertuples(index=False):
            config.classes.append(
                ClassInfo(int(row.年级), int(row.班级), row.班主任 or "", _int(row.人数))
            )
    if "名单" in sheets:
        table = _read(ROSTER, sheets["名单"], config, report)
        seen: dict[tuple[int, int, str], int] = {}
        for index, row in table.valid.iterrows():
            key = (int(row["年级"]), int(row["班级"]), row["学号"] or f"姓名:{row['姓名']}")
            if key in seen:
                report.add(
                    "error",
                    "config.duplicate_student",
                    file=row["文件"],
                    sheet=row["工作表"],
                    cell=table.cell(index, "姓名"),
                    value=row["姓名"],
                    other=table.cell(seen[key], "姓名"),
                )
                continue
            seen[key] = index
            config.roster.append(RosterEntry(key[0], key[1], row["学号"] or "", row["姓名"]))
    if "任课" in sheets:
        _teaching(_read(TEACHING, sheets["任课"], config, report), config, report)
    if "乐考项目" in sheets:
        _lekao(_read(LEKAO_STATIONS, sheets["乐考项目"], config, report), config, report)


def _lekao(table: RecordTable, config: SchoolConfig, report: ProblemReport) -> None:
    """乐考项目 rows → stations; a blank 年级 is both 一、二年级; a station named twice for a
    grade is an error at its second row."""
    seen: set[tuple[int, str]] = set()
    for index, row in table.valid.iterrows():
        name = str(row["项目"]).strip()
        grades = [int(row["年级"])] if not pd.isna(row["年级"]) else [1, 2]
        if any((grade, name) in seen for grade in grades):
            report.add(
                "error",
                "config.invalid",
                file=row["文件"],
                sheet=row["工作表"],
                cell=table.cell(index, "项目"),
                value=name,
                reason="同一年级的乐考项目重复",
            )
            continue
        for grade in grades:
            seen.add((grade, name))
            station = LekaoStation(grade, name, row["学科"], row["记分方式"] or "等级")
            config.lekao_stations.append(station)


def _read(
    kind: RecordKind, sheet: Sheet, config: SchoolConfig, report: ProblemReport
) -> RecordTable:
    table = read_record_sheets(kind, [sheet], config, report)
    return validate_records(table, config, report)


def _int(value: object) -> int | None:
    # pd.isna, not ``value != value``: a blank cell of an Int64 column is pd.NA, whose
    # comparisons are NA and raise when taken as a bool.
    return None if pd.isna(value) else int(value)  # type: ignore[arg-type]


def _teaching(table: RecordTable, config: SchoolConfig, report: ProblemReport) -> None:
    classes_of = {}
    for info in config.classes:
        classes_of.setdefault(info.grade, []).append(info.number)
    for index, row in table.valid.iterrows():
        grade = _int(row["年级"])
        listed: list[ClassId] = row["班级"] or []
        if not listed:
            if grade is None or grade not in classes_of:
                report.add(
                    "error",
                    "config.teaching_classes",
                    file=row["文件"],
                    sheet=row["工作表"],
                    cell=table.cell(index, "班级") or table.cell(index, "教师"),
                    value=row["教师"],
                )
                continue
            listed = [ClassId(grade, n) for n in classes_of[grade]]
        for found in listed:
            found_grade = found.grade or grade
            if found_grade is None:
                report.add(
                    "error",
                    "class.grade_missing",
                    file=row["文件"],
                    sheet=row["工作表"],
                    cell=table.cell(index, "班级"),
                    value=row["班级"],
                )
                break
            config.teaching.append(
                Teaching(clean_name(row["教师"]), row["学科"], found_grade, int(found.number or 0))
            )
