"""A class's 个人学情反馈单 as a workbook: one row per student (学号, 姓名, each subject's level,
the knowledge points, the suggestion and the 评语), for schools that send results one by one
through a home-school app. It lists pupils by name, so its title says 内部资料 请勿外传."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.feedback.slips import TITLE, ClassSlips, PointRate, percent
from toolkit.present import internal
from toolkit.render.output import write_atomically
from toolkit.render.xlsx.report_book import ReportBook

SHEET = "反馈单"
WRAPPED = ("掌握较好", "需要加强", "建议", "评语")


def slip_frame(slips: ClassSlips) -> pd.DataFrame:
    """One row per student of the class, in the order of the slips."""
    items = slips.items
    level_column = {i: i if slips.row_label != "学科" else f"{i}等级" for i in items}
    columns = ["学号", "姓名"]
    for item in items:
        columns.append(level_column[item])
        if slips.show_scores:
            columns.append(f"{item}分数")
    columns += list(WRAPPED)
    rows = []
    for slip in slips.slips:
        row: dict[str, object] = {"学号": slip.student_id, "姓名": slip.name}
        for line in slip.rows:
            row[level_column[line.item]] = line.level
            if slips.show_scores:
                row[f"{line.item}分数"] = line.score
        row["掌握较好"] = _points(slip.mastered)
        row["需要加强"] = _points(slip.to_work_on)
        row["建议"] = slip.suggestion
        row["评语"] = slip.comment
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _points(points: Sequence[PointRate]) -> str:
    several = len({p.subject for p in points}) > 1
    return "、".join(
        f"{p.subject + ' ' if several else ''}{p.point} {percent(p.rate)}" for p in points
    )


def write_slip_workbook(
    slips: ClassSlips, target: Path, definitions: Sequence[tuple[str, str, str]] = ()
) -> Path:
    """Write the class's workbook to ``target`` atomically: the 反馈单 sheet and 口径说明."""
    title = "".join(p for p in (slips.school, slips.term, slips.exam, slips.class_label) if p)
    frame = slip_frame(slips)
    roles = {c: "wrap" for c in WRAPPED} | {"学号": "text", "姓名": "text"}

    def write(path: Path) -> None:
        book = ReportBook(path, f"{title}{TITLE}")
        book.table(SHEET, frame, heading=internal("逐人反馈"), roles=roles, freeze_columns=2)
        book.close(ProblemReport(), definitions)

    return write_atomically(target, write)
