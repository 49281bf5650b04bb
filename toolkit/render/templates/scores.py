"""The 质量监测成绩 template: one sheet per class (pre-filled from the config's 名单), or one
sheet with a 班级 column when the config lists no classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from toolkit.base.classnames import class_name
from toolkit.base.text import column_letter
from toolkit.config.model import SchoolConfig
from toolkit.records.fields import CLASS
from toolkit.render.templates.book import (
    Column,
    DataSheet,
    Instruction,
    TemplateBook,
    list_validation,
    prompt_only,
    score_validation,
)
from toolkit.render.templates.columns import subject_choices, template_title
from toolkit.render.templates.instructions import general_lines

KIND = "scores"
TITLE = "质量监测成绩"
ABSENT_CHOICES = ("缺考", "缺", "免考", "请假")
GENERIC_SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治")
HEADER_ROW = 2
FIRST_DATA = HEADER_ROW + 1


def write_score_template(path: str, config: SchoolConfig) -> None:
    book = TemplateBook(path, KIND, template_title(config, TITLE))
    classes = [(g, n) for g in config.grades for n in config.class_numbers(g)]
    subjects = {g for g, _ in classes}
    _instructions(book, config, sorted(subjects), per_class=bool(classes))
    first = None
    if classes:
        for grade, number in classes:
            sheet = _class_sheet(book, config, grade, number)
            first = first or sheet
    else:
        first = _generic_sheet(book, config)
    first.activate()
    book.close()


def _instructions(
    book: TemplateBook, config: SchoolConfig, grades: list[int], *, per_class: bool
) -> None:
    rows = []
    if not per_class:
        rows.append(Instruction("班级", True, CLASS.help, "", CLASS.example))
    rows += [
        Instruction("学号", False, "学生的学号或考号（用于与上次考试对照进退步）", "", "20230201"),
        Instruction("姓名", True, "学生姓名", "", "张子涵"),
    ]
    subjects = (
        sorted({s for g in grades for s in config.subjects_for(g)}, key=config.subject_order)
        if grades
        else list(GENERIC_SUBJECTS)
    )
    for subject in subjects:
        fulls = sorted({config.rule(g, subject).full_mark for g in grades} or {100.0})
        full = "、".join(f"{f:g}" for f in fulls)
        rows.append(
            Instruction(
                subject,
                True,
                f"{subject}成绩（满分 {full}）",
                f"0–{full} 的分数，或 {'、'.join(ABSENT_CHOICES)}",
                92,
            )
        )
    notes = [
        "每班一张工作表，学号、姓名已按学校名单填好；只需填写各科成绩。"
        if per_class
        else "可以一个班一张表，也可以全年级填在一张表里（用“班级”列区分）。",
        "缺考的学生填“缺考”（不要填 0，0 分会计入平均分）；总分和名次不用填，工具会重新计算。",
        "没有考的学科整列留空即可，整列为空的学科不计入分析。",
    ]
    if not per_class:
        notes.append("学科列的表头可以从下拉列表换成其他学科。")
    book.instructions(f"{TITLE} 填写说明", general_lines("一名学生", notes), rows)


def _score_column(
    book: TemplateBook, subject: str, full: float, col: int, *, editable: bool, config: SchoolConfig
) -> Column:
    cell = f"{column_letter(col)}{FIRST_DATA + 1}"
    header_validation = None
    if editable:
        header_validation = list_validation(
            book.list_source(subject_choices(config)), "学科", "可从列表换成其他学科", strict=False
        )
    return Column(
        header=subject,
        role="score",
        width=9,
        validation=score_validation(cell, f"{subject}成绩", full, ABSENT_CHOICES),
        header_validation=header_validation,
    )


def identity_columns(ids: list[str], names: list[str]) -> list[Column]:
    """学号 and 姓名, pre-filled from the roster when there is one (score and item sheets)."""
    return [
        Column(
            "学号",
            "text",
            12,
            required=False,
            values=ids,
            validation=prompt_only("学号", "学号或考号"),
        ),
        Column("姓名", "text", 10, values=names, validation=prompt_only("姓名", "学生姓名")),
    ]


def _class_sheet(book: TemplateBook, config: SchoolConfig, grade: int, number: int):  # type: ignore[no-untyped-def]
    def scores(columns: list[Column]) -> list[Column]:
        added: list[Column] = []
        for subject in config.subjects_for(grade):
            full = config.rule(grade, subject).full_mark
            at = len(columns) + len(added)
            added.append(_score_column(book, subject, full, at, editable=False, config=config))
        return added

    hint = "成绩填数字，缺考填“缺考”。总分、名次不用填。说明见“填写说明”表。"
    return roster_sheet(book, config, (grade, number), TITLE, hint, scores)


def roster_sheet(
    book: TemplateBook,
    config: SchoolConfig,
    klass: tuple[int, int],
    title: str,
    hint: str,
    more: Callable[[list[Column]], list[Column]],
) -> Any:
    """A class's sheet (score and 乐考 templates): 学号 and 姓名 pre-filled from the 名单, then
    the columns ``more`` adds after them; rows to fill for a class the 名单 does not list."""
    grade, number = klass
    students = [s for s in config.roster if s.grade == grade and s.number == number]
    size = next((c.size for c in config.classes if (c.grade, c.number) == klass), None)
    columns = identity_columns([s.student_id for s in students], [s.name for s in students])
    columns += more(columns)
    label = class_name(grade, number)
    blank = 5 if students else max(size or 0, 45) + 5
    return book.data_sheet(
        DataSheet(
            name=label,
            title=template_title(config, f"{title} {label}"),
            hint=hint,
            columns=columns,
            header_row=HEADER_ROW,
            blank_rows=blank,
            validated_rows=len(students) + blank,
        )
    )


def _generic_sheet(book: TemplateBook, config: SchoolConfig):  # type: ignore[no-untyped-def]
    columns = [
        Column("班级", "text", 10, validation=prompt_only("班级", CLASS.help)),
        *identity_columns([], []),
    ]
    for subject in GENERIC_SUBJECTS:
        full = config.rule(None, subject).full_mark
        columns.append(
            _score_column(book, subject, full, len(columns), editable=True, config=config)
        )
    return book.data_sheet(
        DataSheet(
            name="成绩",
            title=template_title(config, TITLE),
            hint="一行一名学生。成绩填数字，缺考填“缺考”。学科表头可从下拉列表更换。",
            columns=columns,
            header_row=HEADER_ROW,
        )
    )
