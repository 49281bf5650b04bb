"""Apply the score rules to read records: every failure is a located problem, none is raised.

Invalid marks are kept (status ``invalid``, no score) so they still count in 应考人数 when the
user chooses ``--skip-invalid``; a duplicated student's second row is dropped.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.base.classnames import class_name
from toolkit.base.problems import Problem, ProblemReport
from toolkit.base.validation import problems_from
from toolkit.scores.full_marks import contradicted_guesses
from toolkit.scores.read import ScoreRecords
from toolkit.scores.schema import mark_schema, student_schema, total_schema


def _levels_among_scores(marks: pd.DataFrame) -> pd.Series:
    """Level cells of a grade's subject where levels are not the most. A subject with more levels
    than scores is marked in levels (its scores are taken by the lines, docs/口径.md 等级); where
    levels are the few, each is an error at its cell, never a silent change of how the subject is
    analysed."""
    is_level = marks["状态"].eq("level")
    if not is_level.any():
        return is_level
    counts = (
        marks.assign(_level=is_level, _score=marks["状态"].eq("valid"))
        .groupby(["年级", "学科"])[["_level", "_score"]]
        .transform("sum")
    )
    return is_level & (counts["_level"] <= counts["_score"])


def validate_scores(records: ScoreRecords, report: ProblemReport) -> ScoreRecords:
    """Check marks, students and totals; return records with failures marked or removed."""
    students = records.students
    marks = records.marks.join(students[["文件", "工作表", "年级"]], on="sid")

    # A default 满分 the data contradict as a whole: one error per subject, its marks left out.
    left_out = contradicted_guesses(marks, report)
    # A student missing a subject left out has no total to compare with the typed one.
    incomplete = set(marks.loc[left_out, "sid"])
    marks = marks.drop(index=left_out)

    # A level (良, B, ★★) among a subject's scores is a slip, not a subject marked in levels.
    stray = _levels_among_scores(marks)
    marks.loc[stray, ["状态", "问题"]] = ["invalid", "score.level_among_scores"]

    # Cells that were not numbers at all (letters, dates), found while reading.
    unreadable = marks[marks["状态"] == "invalid"]
    report.extend(_mark_problem(row, row["问题"]) for _, row in unreadable.iterrows())

    # Numbers outside 0..满分.
    numbers = marks[marks["状态"] == "valid"]
    found, bad = problems_from(
        mark_schema(), numbers, "error", _locate_mark, checked=["分数", "满分"]
    )
    report.extend(found)
    marks.loc[list(bad), ["状态", "分数"]] = ["invalid", float("nan")]
    marks.loc[list(bad), "问题"] = pd.Series(bad)

    # Each student once per class; the later rows are the duplicates.
    found, duplicates = problems_from(
        student_schema(),
        students,
        "error",
        lambda row, _column: _locate_duplicate(row, students),
        codes={"multiple_fields_uniqueness": "student.duplicate"},
    )
    report.extend(found)
    students = students.drop(index=list(duplicates))
    marks = marks[marks["sid"].isin(students.index)]

    # A typed 总分 that disagrees with the sum of the subjects (a warning: it is recomputed).
    sums = marks[marks["状态"] == "valid"].groupby("sid")["分数"].sum()
    complete = ~marks["状态"].eq("invalid").groupby(marks["sid"]).any()
    totals = students.assign(计算总分=sums.reindex(students.index).fillna(0.0))
    totals = totals[complete.reindex(totals.index).fillna(False).astype(bool)]
    totals = totals[~totals.index.isin(incomplete)]
    found, _ = problems_from(total_schema(), totals, "warning", _locate_total)
    report.extend(found)

    return ScoreRecords(
        students,
        marks.drop(columns=["文件", "工作表", "年级"]),
        records.rows_read,
        records.rows_skipped + len(duplicates),
        records.files,
    )


def _mark_problem(row: pd.Series, code: str) -> Problem:
    where = _locate_mark(row, "分数")
    return Problem(
        "error",
        code,
        where.pop("file"),
        where.pop("sheet"),
        where.pop("cell"),
        where.pop("value"),
        where,
    )


def _locate_mark(row: pd.Series, _column: str) -> dict[str, Any]:
    return {
        "file": row["文件"],
        "sheet": row["工作表"],
        "cell": row["单元格"],
        "value": row["原值"],
        "subject": row["学科"],
        "full_mark": row["满分"],
    }


def _locate_duplicate(row: pd.Series, students: pd.DataFrame) -> dict[str, Any]:
    same = students[
        (students["学校"] == row["学校"])
        & (students["年级"] == row["年级"])
        & (students["班级"] == row["班级"])
        & (students["识别"] == row["识别"])
    ]
    first = same.iloc[0]
    return {
        "file": row["文件"],
        "sheet": row["工作表"],
        "cell": row["姓名单元格"],
        "value": row["姓名"],
        "name": row["姓名"] + (f"（学号 {row['学号']}）" if row["学号"] else ""),
        "class_name": class_name(int(row["年级"]), int(row["班级"])),
        "other": " › ".join([first["文件"], first["工作表"], first["姓名单元格"]]),
    }


def _locate_total(row: pd.Series, _column: str) -> dict[str, Any]:
    return {
        "file": row["文件"],
        "sheet": row["工作表"],
        "cell": row["总分单元格"],
        "value": row["原总分"],
        "expected": row["计算总分"],
    }
