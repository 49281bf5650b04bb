"""The 小题分 template: a header row of items under a 学科/考试/年级 line, then the 满分 and
知识点 rows of the item-score layout (README, 小题分), then one row per student."""

from __future__ import annotations

from typing import Any

from toolkit.base.classnames import class_name, grade_name
from toolkit.base.text import column_letter
from toolkit.config.model import SchoolConfig
from toolkit.render.templates.book import (
    Column,
    DataSheet,
    Instruction,
    TemplateBook,
    list_validation,
    number_validation,
    prompt_only,
    score_validation,
)
from toolkit.render.templates.columns import grade_choices, subject_choices, template_title
from toolkit.render.templates.instructions import general_lines
from toolkit.render.templates.scores import ABSENT_CHOICES, identity_columns

KIND = "items"
TITLE = "小题分"
ITEMS = 30
HEADER_ROW = 2
FULL_ROW, POINT_ROW = HEADER_ROW + 1, HEADER_ROW + 2
FIRST_DATA = HEADER_ROW + 3
IDENTITY = 3  # 班级, 学号, 姓名


def write_item_template(path: str, config: SchoolConfig, items: int = ITEMS) -> None:
    book = TemplateBook(path, KIND, template_title(config, TITLE))
    rows = [
        Instruction(
            "学科 / 考试 / 年级",
            True,
            "表格第 2 行：本表的学科、考试名称和年级",
            "学科从列表选择",
            "数学 / 期末 / 三年级",
        ),
        Instruction("班级", True, "学生所在班级", "三(2)班、2班 等写法", "三(2)班"),
        Instruction("学号", False, "学号或考号", "", "20230201"),
        Instruction("姓名", True, "学生姓名", "", "张子涵"),
        Instruction(
            "1、2、3…（题号）", True, "每题一列。表头是题号，可改成 13(1) 这样的小题号", "", "13(1)"
        ),
        Instruction("满分（第 4 行）", True, "每题的满分；有得分的题必须填写", "大于 0 的数", 4),
        Instruction(
            "知识点（第 5 行）", False, "每题考查的知识点，用于知识点得分率", "", "分数的意义"
        ),
        Instruction(
            "得分（第 6 行起）",
            True,
            "学生每题的得分",
            f"0–该题满分，或 {'、'.join(ABSENT_CHOICES)}",
            3,
        ),
    ]
    notes = [
        "一张表是一个年级一个学科的一次考试；不同学科请分开填写（另存一份）。",
        "用不到的题号列留空即可；整列为空的题不计入分析。",
    ]
    book.instructions(f"{TITLE} 填写说明", general_lines("一名学生", notes), rows)
    grades = config.grades
    first = None
    for grade in grades or [None]:
        sheet = _sheet(book, config, grade, items)
        first = first or sheet
    first.activate()
    book.close()


def _sheet(book: TemplateBook, config: SchoolConfig, grade: int | None, items: int) -> Any:
    students = [s for s in config.roster if s.grade == grade] if grade else []
    classes = [class_name(s.grade, s.number) for s in students]
    columns = [
        Column(
            "班级",
            "text",
            10,
            values=classes,
            validation=prompt_only("班级", "如 三(2)班；也可写 2班"),
        ),
        *identity_columns([s.student_id for s in students], [s.name for s in students]),
    ]
    full_cells: list[tuple[object, dict[str, Any] | None]] = [(None, None)] * IDENTITY
    point_cells: list[tuple[object, dict[str, Any] | None]] = [(None, None)] * IDENTITY
    for k in range(items):
        col = IDENTITY + k
        letter = column_letter(col)
        columns.append(
            Column(
                str(k + 1),
                "score",
                6,
                validation=score_validation(
                    f"{letter}{FIRST_DATA + 1}",
                    f"第{k + 1}题得分",
                    f"{letter}${FULL_ROW + 1}",
                    ABSENT_CHOICES,
                ),
                header_validation=prompt_only("题号", "可改成 13(1) 这样的小题号"),
            )
        )
        full_cells.append((None, number_validation("满分", 0.5, 200, whole=False)))
        point_cells.append((None, prompt_only("知识点", "本题考查的知识点")))
    subject_list = list_validation(book.list_source(subject_choices(config)), "学科", "请选择学科")
    grade_list = list_validation(book.list_source(grade_choices(config)), "年级", "请选择年级")
    info = [
        ("学科", "", subject_list),
        ("考试", "", prompt_only("考试", "如 期末、期中、第三单元检测")),
        ("年级", grade_name(grade) if grade else "", grade_list),
    ]
    label = grade_name(grade) if grade else TITLE
    blank = 10 if students else 60
    return book.data_sheet(
        DataSheet(
            name=label,
            title=template_title(config, f"{label} {TITLE}" if grade else TITLE),
            hint="先在左边选学科、填考试；再在第 4 行填各题满分；得分从第 6 行起填。",
            columns=columns,
            header_row=HEADER_ROW,
            blank_rows=blank,
            validated_rows=len(students) + blank,
            extra_header=[("满分", full_cells), ("知识点", point_cells)],
            info=info,
        )
    )
