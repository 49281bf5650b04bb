"""The 乐考 template, in the wide form teachers fill: one sheet per class of the 乐考 grades
(学号 and 姓名 pre-filled from the config's 名单), one column per station of the class's grade
with a dropdown of the marks of its 记分方式. Without classes in the config, one sheet per grade
with a 班级 column. The sheets are made as the score template's are (``scores.py``): the same
identity columns, the same data sheet of ``book.py``."""

from __future__ import annotations

from typing import Any

from toolkit.base.classnames import grade_name
from toolkit.base.text import display_width
from toolkit.config.model import LekaoStation, SchoolConfig
from toolkit.lekao.schema import LEKAO, LEVEL_OF_MARK, SCORING, lekao_grades, stations_for
from toolkit.records.fields import CLASS
from toolkit.render.templates.book import (
    Column,
    DataSheet,
    Instruction,
    TemplateBook,
    list_validation,
    prompt_only,
)
from toolkit.render.templates.columns import template_title
from toolkit.render.templates.instructions import general_lines
from toolkit.render.templates.scores import identity_columns, roster_sheet

TITLE = "乐考"
HEADER_ROW = 2
NOTE = LEKAO.field("评语")


def write_lekao_template(path: str, config: SchoolConfig) -> None:
    book = TemplateBook(path, LEKAO.key, template_title(config, f"{TITLE}记录表"))
    grades = lekao_grades(config)
    classes = [(g, n) for g in grades for n in config.class_numbers(g)]
    _instructions(book, config, grades, per_class=bool(classes))
    if classes:
        sheets = [_class_sheet(book, config, grade, number) for grade, number in classes]
    else:
        sheets = [_grade_sheet(book, config, grade) for grade in grades]
    sheets[0].activate()
    book.close()


def marks_of(station: LekaoStation) -> tuple[str, ...]:
    """The marks a station is given (its 记分方式's; 等级 when the config names another)."""
    return SCORING.get(station.scoring, SCORING["等级"])


def _instructions(
    book: TemplateBook, config: SchoolConfig, grades: list[int], *, per_class: bool
) -> None:
    rows = []
    if not per_class:
        rows.append(Instruction("班级", True, CLASS.help, "", "1班"))
    rows += [
        Instruction("学号", False, "学生的学号（同名学生靠它区分）", "", "20250101"),
        Instruction("姓名", True, "学生姓名", "", "张子涵"),
    ]
    by_name: dict[str, list[tuple[int, LekaoStation]]] = {}
    for grade in grades:
        for station in stations_for(config, grade):
            by_name.setdefault(station.name, []).append((grade, station))
    for name, uses in by_name.items():
        meaning = "；".join(f"{grade_name(g)}{s.subject}项目（{s.scoring}）" for g, s in uses)
        marks = list(dict.fromkeys(m for _, s in uses for m in marks_of(s)))
        rows.append(Instruction(name, False, meaning, "、".join(marks) + "；未测留空", marks[0]))
    rows.append(Instruction(NOTE.label, False, NOTE.help, "", NOTE.example))
    counted = "、".join(
        f"{mark} 计为{level}" for mark, level in LEVEL_OF_MARK.items() if mark != level
    )
    notes = [
        "每班一张工作表，学号、姓名已按学校名单填好；只需从下拉列表选择各项目的结果。"
        if per_class
        else "每个年级一张工作表，一行一名学生，“班级”列写 1班、2班 或 一(1)班。",
        "每个项目一列，表头是学校配置“乐考项目”表中的项目（没有配置时为默认项目）；"
        "请不要改动表头，改项目请改学校配置后重新生成模板。",
        "未测的项目留空，汇总中计为未测（不算待合格）。",
        f"汇总按等级统计：{counted}。",
        "乐考结果只告知学生和家长本人，不排名、不公布。",
    ]
    book.instructions(
        f"{TITLE}记录表 填写说明", general_lines("一名学生（每个项目一列）", notes), rows
    )


def _station_column(book: TemplateBook, station: LekaoStation) -> Column:
    marks = marks_of(station)
    prompt = f"{station.subject}项目（{station.scoring}）：{'、'.join(marks)}；未测留空。"
    return Column(
        header=station.name,
        role="text",
        width=max(10, display_width(station.name) + 4),
        validation=list_validation(book.list_source(list(marks)), station.name, prompt),
    )


def _note_column() -> Column:
    return Column(
        NOTE.label, "text", 30, required=False, validation=prompt_only(NOTE.label, NOTE.help)
    )


def _class_sheet(book: TemplateBook, config: SchoolConfig, grade: int, number: int) -> Any:
    def stations(_: list[Column]) -> list[Column]:
        return [*(_station_column(book, s) for s in stations_for(config, grade)), _note_column()]

    hint = "一行一名学生，每个项目一列：从下拉列表选择结果，未测的留空。说明见“填写说明”表。"
    return roster_sheet(book, config, (grade, number), TITLE, hint, stations)


def _grade_sheet(book: TemplateBook, config: SchoolConfig, grade: int) -> Any:
    # Only without classes in the config: nothing to offer in a dropdown.
    validation = prompt_only("班级", "如 1班、一(1)班")
    columns = [Column("班级", "text", 10, validation=validation), *identity_columns([], [])]
    columns += [_station_column(book, s) for s in stations_for(config, grade)]
    columns.append(_note_column())
    label = grade_name(grade)
    return book.data_sheet(
        DataSheet(
            name=label,
            title=template_title(config, f"{TITLE} {label}"),
            hint="一行一名学生，每个项目一列：从下拉列表选择结果，未测的留空。说明见“填写说明”表。",
            columns=columns,
            header_row=HEADER_ROW,
        )
    )
