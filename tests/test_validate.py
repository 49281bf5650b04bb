"""Score rules applied to read records (toolkit.scores.validate, toolkit.base.validation)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from builders import NAN, student
from openpyxl import Workbook

from toolkit.base.problems import Problem, ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.reading.discover import InputFile
from toolkit.scores.read import (
    MARK_COLUMNS,
    STUDENT_COLUMNS,
    FileRecords,
    ScoreRecords,
    combine,
    read_score_files,
)
from toolkit.scores.validate import validate_scores


def mark(
    sid: int, subject: str, raw: float | str, cell: str, full: float = 100.0, status: str = "valid"
) -> tuple[Any, ...]:
    score = float(raw) if status == "valid" else NAN
    problem = "score.invalid" if status == "invalid" else ""
    return (sid, subject, score, status, problem, raw, full, "config", cell, "")


def records(students: Sequence[tuple[Any, ...]], marks: Sequence[tuple[Any, ...]]) -> ScoreRecords:
    frame = pd.DataFrame(list(students), columns=STUDENT_COLUMNS)
    frame.index.name = "sid"
    return ScoreRecords(
        frame, pd.DataFrame(list(marks), columns=MARK_COLUMNS), rows_read=len(frame)
    )


def validate(data: ScoreRecords) -> tuple[ScoreRecords, ProblemReport]:
    report = ProblemReport()
    return validate_scores(data, report), report


def located(problems: Sequence[Problem]) -> list[tuple[str, str, str, str]]:
    return [(p.code, p.file, p.sheet, p.cell) for p in problems]


def test_clean_records_pass() -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=2, total=90 + 80)],
        [mark(0, "语文", 90, "C2"), mark(0, "数学", 80, "D2")],
    )
    checked, report = validate(data)
    assert len(report) == 0
    pd.testing.assert_frame_equal(checked.students, data.students)
    assert checked.marks["状态"].tolist() == ["valid", "valid"]


def test_negative_score() -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=2)],
        [mark(0, "语文", -3, "C2"), mark(0, "数学", 0, "D2")],  # 0 is a real score
    )
    checked, report = validate(data)
    assert located(report.errors) == [("score.negative", "a.xlsx", "Sheet1", "C2")]
    problem = report.errors[0]
    assert problem.value == -3
    assert problem.params == {"subject": "语文", "full_mark": 100}
    assert str(problem) == "a.xlsx › Sheet1 › C2: -3 不是有效分数：分数不能为负（语文满分 100）"
    # The bad mark is kept as invalid (still listed), with no score.
    first = checked.marks.iloc[0]
    assert (first["状态"], first["问题"]) == ("invalid", "score.negative")
    assert math.isnan(first["分数"])
    assert checked.marks.iloc[1]["状态"] == "valid"


def test_above_full_mark_uses_each_marks_full_mark() -> None:
    data = records(
        [
            student(7, 1, "701", "甲", file="七1.xlsx", row=2),
            student(7, 1, "702", "乙", file="七1.xlsx", row=3),
            student(3, 1, "301", "丙", file="三1.xlsx", row=2),
        ],
        [
            mark(0, "数学", 115, "C2", full=120),  # fine in a 120 subject
            mark(1, "数学", 121, "C3", full=120),  # one above 120
            mark(1, "语文", 120, "D3", full=120),  # exactly 满分 is fine
            mark(2, "数学", 105, "C2", full=100),  # a middle-school 105 in a primary school
        ],
    )
    checked, report = validate(data)
    assert located(report.errors) == [
        ("score.above_full", "七1.xlsx", "Sheet1", "C3"),
        ("score.above_full", "三1.xlsx", "Sheet1", "C2"),
    ]
    assert [p.params["full_mark"] for p in report.errors] == [120, 100]
    assert "超过数学满分 120" in report.errors[0].message
    assert checked.marks["状态"].tolist() == ["valid", "invalid", "valid", "invalid"]
    assert checked.marks["问题"].tolist() == ["", "score.above_full", "", "score.above_full"]


def test_unreadable_cells_found_while_reading_are_reported() -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=8)],
        [mark(0, "数学", "良", "D8", status="invalid")],
    )
    _, report = validate(data)
    assert len(report.errors) == 1
    assert str(report.errors[0]) == "a.xlsx › Sheet1 › D8: “良” 不是有效分数（数学满分 100）"


def test_duplicate_student_reported_once_on_the_second_row() -> None:
    data = records(
        [
            student(3, 1, "301", "张三", file="三1班.xlsx", row=2),
            student(3, 1, "302", "李四", file="三1班.xlsx", row=3),
            student(3, 1, "301", "张三", file="三1班(1).xlsx", row=5),  # same 学号 again
            student(3, 2, "301", "张三", file="三2班.xlsx", row=2),  # another class: fine
        ],
        [mark(sid, "语文", 80, f"C{sid}") for sid in range(4)],
    )
    checked, report = validate(data)
    assert located(report.errors) == [("student.duplicate", "三1班(1).xlsx", "Sheet1", "B5")]
    problem = report.errors[0]
    assert problem.params["other"] == "三1班.xlsx › Sheet1 › B2"
    assert "另见 三1班.xlsx › Sheet1 › B2" in problem.message
    assert "三(1)班" in problem.message
    # The second row and its marks are dropped.
    assert checked.students.index.tolist() == [0, 1, 3]
    assert sorted(checked.marks["sid"]) == [0, 1, 3]
    assert checked.rows_skipped == data.rows_skipped + 1


def test_duplicate_without_student_id_is_matched_by_name() -> None:
    data = records(
        [
            student(3, 1, "", "王五", file="a.xlsx", row=2),
            student(3, 1, "", "王五", file="a.xlsx", row=9),
        ],
        [mark(0, "语文", 80, "C2"), mark(1, "语文", 70, "C9")],
    )
    _, report = validate(data)
    assert located(report.errors) == [("student.duplicate", "a.xlsx", "Sheet1", "B9")]
    assert report.errors[0].params["other"] == "a.xlsx › Sheet1 › B2"


def test_total_mismatch_is_a_warning() -> None:
    data = records(
        [
            student(3, 1, "301", "张三", file="a.xlsx", row=2, total=80 + 90),  # right
            student(3, 1, "302", "李四", file="a.xlsx", row=3, total=175),  # 70 + 90 = 160
            student(3, 1, "303", "王五", file="a.xlsx", row=4, total=80),  # absent in 数学
        ],
        [
            mark(0, "语文", 80, "C2"),
            mark(0, "数学", 90, "D2"),
            mark(1, "语文", 70, "C3"),
            mark(1, "数学", 90, "D3"),
            mark(2, "语文", 80, "C4"),
            mark(2, "数学", "缺考", "D4", status="absent"),
        ],
    )
    _, report = validate(data)
    assert report.errors == []
    assert located(report.of("warning")) == [("total.mismatch", "a.xlsx", "Sheet1", "F3")]
    warning = report.of("warning")[0]
    assert warning.value == 175
    assert warning.params["expected"] == 70 + 90
    assert "与各科之和 160 不一致" in warning.message


def test_total_not_checked_when_a_mark_is_invalid() -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=2, total=200)],
        [mark(0, "语文", 80, "C2"), mark(0, "数学", 120, "D2")],  # 120 > 100: invalid
    )
    _, report = validate(data)
    assert [p.code for p in report] == ["score.above_full"]


def test_every_problem_is_collected() -> None:
    data = records(
        [
            student(3, 1, "301", "张三", file="a.xlsx", row=2, total=999),
            student(3, 1, "302", "李四", file="a.xlsx", row=3),
            student(3, 1, "301", "张三", file="a.xlsx", row=4),
            student(3, 1, "304", "赵六", file="a.xlsx", row=5, total=100),
        ],
        [
            mark(0, "语文", 80, "C2"),
            mark(1, "语文", -1, "C3"),
            mark(1, "数学", 101, "D3"),
            mark(2, "语文", 80, "C4"),
            mark(3, "语文", "良", "C5", status="invalid"),
            mark(3, "数学", -5, "D5"),
        ],
    )
    _, report = validate(data)
    found = sorted((p.code, p.cell) for p in report)
    assert found == sorted(
        [
            ("score.invalid", "C5"),
            ("score.negative", "C3"),
            ("score.above_full", "D3"),
            ("score.negative", "D5"),
            ("student.duplicate", "B4"),
            ("total.mismatch", "F2"),  # 999 vs 80
        ]
    )
    assert len(report.errors) == 5
    assert len(report.of("warning")) == 1


def test_combine_offsets_sids_across_files() -> None:
    first = FileRecords(
        students=[student(3, 1, "301", "张三", file="a.xlsx", row=2)],
        marks=[mark(0, "语文", 90, "C2")],
        rows_read=1,
    )
    second = FileRecords(
        students=[
            student(3, 2, "", "李四", file="b.xlsx", row=2),
            student(3, 2, "", "王五", file="b.xlsx", row=3),
        ],
        marks=[mark(0, "语文", 300, "C2"), mark(1, "语文", 70, "C3")],
        rows_read=2,
        rows_skipped=1,
    )
    report = ProblemReport()
    data = combine([first, second], ["a.xlsx", "b.xlsx"], report)
    assert data.students.index.name == "sid"
    assert data.students["姓名"].tolist() == ["张三", "李四", "王五"]
    assert data.marks["sid"].tolist() == [0, 0 + 1, 1 + 1]
    assert (data.rows_read, data.rows_skipped, data.files) == (3, 1, ["a.xlsx", "b.xlsx"])
    checked = validate_scores(data, report)
    # 300 belongs to 李四 (b.xlsx), not to 张三, whose local sid was also 0.
    assert located(report.errors) == [("score.above_full", "b.xlsx", "Sheet1", "C2")]
    assert checked.marks.set_index("sid").loc[1, "状态"] == "invalid"


@pytest.mark.parametrize(("score", "ok"), [(0, True), (100, True), (100.5, False), (-0.5, False)])
def test_range_edges(score: float, ok: bool) -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=2)], [mark(0, "语文", score, "C2")]
    )
    _, report = validate(data)
    assert (len(report) == 0) == ok


def test_third_copy_points_at_the_first() -> None:
    data = records(
        [student(3, 1, "301", "张三", file="a.xlsx", row=r) for r in (2, 3, 4)],
        [mark(sid, "语文", 80, f"C{sid + 2}") for sid in range(3)],
    )
    _, report = validate(data)
    assert [(p.cell, p.params["other"]) for p in report.errors] == [
        ("B3", "a.xlsx › Sheet1 › B2"),
        ("B4", "a.xlsx › Sheet1 › B2"),
    ]


def test_read_then_validate_a_teachers_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in [
        ["博山区实验小学2025-2026学年第二学期期末三年级(2)班成绩"],
        ["班主任：王老师", None, None, "填表日期：2026.6.28"],
        [],
        ["学号", "姓 名", "语文", "数学（100分）", "总分"],  # row 4
        [301, "张三", 95, 88, 183],  # row 5
        [302, "李四", "缺考", 90, 90],
        [303, "王五", "良", 105, 190],  # row 7: two bad cells
        [301, "张三", 80, 80, 160],  # row 8: duplicate of row 5
        [304, "赵六", "７０", "80分", 160],  # row 9: 70 + 80 = 150
        [None, "平均分", 85, 85, None],  # summary row
    ]:
        sheet.append(row)
    path = tmp_path / "三2班.xlsx"
    book.save(path)

    report = ProblemReport()
    data = read_score_files([InputFile(path, "三2班.xlsx")], SchoolConfig(), report)
    checked = validate_scores(data, report)

    assert data.students["姓名"].tolist() == ["张三", "李四", "王五", "张三", "赵六"]
    assert set(zip(data.students["年级"], data.students["班级"], strict=True)) == {(3, 2)}
    assert data.students["学号"].tolist() == ["301", "302", "303", "301", "304"]
    errors = [(p.code, p.cell) for p in report.errors]
    assert errors == [
        ("score.level_among_scores", "C7"),  # 良: a level among 语文's scores
        ("score.above_full", "D7"),
        ("student.duplicate", "B8"),
    ]
    assert report.errors[2].params["other"] == "三2班.xlsx › Sheet1 › B5"
    assert [(p.code, p.cell) for p in report.of("warning")] == [("total.mismatch", "E9")]
    assert ("row.summary", "B10") in [(p.code, p.cell) for p in report.of("note")]
    marks = checked.marks.set_index(["sid", "学科"])
    assert marks.loc[(4, "语文"), "分数"] == 70  # full-width digits
    assert marks.loc[(4, "数学"), "分数"] == 80  # 80分
    assert marks.loc[(1, "语文"), "状态"] == "absent"
    assert 3 not in checked.students.index


def test_warm_up_checks_an_example_on_a_thread_of_its_own() -> None:
    import threading

    from toolkit.base.validation import warm_up
    from toolkit.scores.schema import mark_schema

    built: list[str] = []

    def schema() -> Any:
        built.append(threading.current_thread().name)
        return mark_schema()

    warm_up(schema, {"分数": [1.0], "满分": [2.0]}).join()
    assert built == ["pandera-warm-up"]

    def broken() -> Any:
        raise RuntimeError("no schema")

    warm_up(broken, {}).join()  # nothing raised here: the real check says what is wrong
