"""Finding a score sheet's header by content (toolkit.reading.header)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from toolkit.config.model import SchoolConfig
from toolkit.reading.header import FieldMatcher, HeaderMatch, header_key, locate_header
from toolkit.scores.schema import FIELDS

Grid = Sequence[Sequence[object]]


def find(rows: Grid, *, min_groups: int = 1, start: int = 0, scan: int = 40) -> HeaderMatch | None:
    """The score-sheet header as the score reader looks for it."""
    return locate_header(
        rows,
        FIELDS,
        SchoolConfig().subject_of,
        anchor="姓名",
        min_groups=min_groups,
        start=start,
        scan=scan,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("姓 名", "姓名"),
        ("姓\u3000名", "姓名"),
        ("数学（100分）", "数学"),
        ("数学(120分)", "数学"),
        ("语文[卷面]", "语文"),
        ("*姓名", "姓名"),
        ("总分：", "总分"),
        ("No.", "no."),
        (None, ""),
    ],
)
def test_header_key(text: object, expected: str) -> None:
    assert header_key(text) == expected


def test_field_matcher_synonyms() -> None:
    assert FIELDS("学生姓名") == "姓名"
    assert FIELDS("考 号") == "学号"
    assert FIELDS("班别") == "班级"
    assert FIELDS("总成绩") == "总分"
    assert FIELDS("年级排名") == "名次"
    assert FIELDS("数学") is None

    own = FieldMatcher({"项目": ("参数",), "值": ()})
    assert own("参 数") == "项目"
    assert own("值") == "值"
    assert own("备注") is None


@pytest.mark.parametrize(
    ("header", "subject"),
    [
        ("语文", "语文"),
        ("数学（100分）", "数学"),
        ("英语成绩", "英语"),
        ("外语", "英语"),
        ("道法", "道德与法治"),
        ("科学分数", "科学"),
        ("姓名", None),
        ("成绩", None),
        ("总分", None),
    ],
)
def test_subject_of(header: str, subject: str | None) -> None:
    assert SchoolConfig().subject_of(header) == subject


def test_subject_of_extra_subject_from_config() -> None:
    assert SchoolConfig().subject_of("心理健康") is None
    assert SchoolConfig(extra_subjects=["心理健康"]).subject_of("心理健康") == "心理健康"


def test_header_under_title_rows() -> None:
    rows = [
        ["博山区实验小学2025-2026学年第二学期期末三年级(2)班成绩", "", "", "", ""],
        ["班主任：王老师", "", "", "填表日期：2026.6.28", ""],
        ["", "", "", "", ""],
        ["序号", "姓名", "语文", "数学", "英语"],
        [1, "张三", 95, 88, 90],
    ]
    match = find(rows)
    assert match is not None
    assert (match.first_row, match.last_row) == (3, 3)
    assert match.fields == {"序号": 0, "姓名": 1}
    assert match.groups == {2: "语文", 3: "数学", 4: "英语"}
    assert match.duplicates == []


def test_header_with_spaces_and_full_width_decorations() -> None:
    rows = [
        ["三年级二班期末成绩"],
        ["学 号", "姓 名", "语文（100分）", "数学（100分）", "总 分"],
        ["301", "李四", 90, 80, 170],
    ]
    match = find(rows)
    assert match is not None
    assert match.first_row == 1
    assert match.fields == {"学号": 0, "姓名": 1, "总分": 4}
    assert match.groups == {2: "语文", 3: "数学"}
    # Labels keep what the teacher typed, for messages.
    assert match.labels[1] == "姓 名"
    assert match.labels[3] == "数学（100分）"


def test_two_row_header() -> None:
    rows = [
        ["学号", "姓名", "成绩", "成绩", "总分"],  # 成绩 merged over the subjects
        ["", "", "语文", "数学", ""],
        ["301", "张三", 95, 88, 183],
    ]
    match = find(rows)
    assert match is not None
    assert (match.first_row, match.last_row) == (0, 1)
    assert match.fields == {"学号": 0, "姓名": 1, "总分": 4}
    assert match.groups == {2: "语文", 3: "数学"}
    assert match.labels[2] == "语文"


def test_second_row_of_data_is_not_folded_into_the_header() -> None:
    rows = [
        ["姓名", "语文", "数学"],
        ["张三", 95, 88],
    ]
    match = find(rows)
    assert match is not None
    assert (match.first_row, match.last_row) == (0, 0)


def test_no_header() -> None:
    rows = [
        ["三年级二班期末成绩"],
        ["说明：请各班主任于6月30日前上交"],
        ["张三", 95, 88],
    ]
    assert find(rows) is None
    assert find([]) is None


def test_name_column_without_any_subject_is_not_a_score_header() -> None:
    rows = [["姓名", "性别", "备注"], ["张三", "男", ""]]
    assert find(rows) is None
    # ... unless the caller asks for no group columns at all.
    match = find(rows, min_groups=0)
    assert match is not None
    assert match.fields == {"姓名": 0, "性别": 1, "备注": 2}


def test_header_below_the_scan_window_is_not_found() -> None:
    rows: list[list[object]] = [[""] for _ in range(5)] + [["姓名", "语文"]]
    assert find(rows, scan=5) is None
    match = find(rows, scan=6)
    assert match is not None
    assert match.first_row == 5


def test_start_finds_the_next_stacked_table() -> None:
    rows = [
        ["姓名", "语文"],
        ["张三", 95],
        ["三年级3班"],
        ["姓名", "语文"],
        ["李四", 80],
    ]
    first = find(rows)
    second = find(rows, start=2)
    assert first is not None
    assert second is not None
    assert (first.first_row, second.first_row) == (0, 3)


def test_duplicated_subject_column_is_reported() -> None:
    rows = [["姓名", "语文", "数学", "语文（100分）"], ["张三", 95, 88, 95]]
    match = find(rows)
    assert match is not None
    assert match.groups == {1: "语文", 2: "数学"}  # the first column is the one read
    assert match.duplicates == [("语文", 1, 3)]


def test_duplicated_field_column_is_reported() -> None:
    rows = [["学号", "姓名", "语文", "考号"], ["301", "张三", 95, "301"]]
    match = find(rows)
    assert match is not None
    assert match.fields["学号"] == 0
    assert match.duplicates == [("学号", 0, 3)]
