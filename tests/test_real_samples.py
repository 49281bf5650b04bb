"""Files saved by a real office suite (LibreOffice) read back to the values they hold."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.reading.discover import discover
from toolkit.scores.read import read_score_files
from toolkit.scores.validate import validate_scores

DATA = Path(__file__).parent / "data"


def truth() -> dict[str, dict[str, str]]:
    with (DATA / "四(1)班期末成绩_truth.csv").open(encoding="utf-8") as handle:
        return {row["学号"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("name", ["四(1)班期末成绩.xls", "四(1)班期末成绩.ods"])
def test_sample_reads_to_its_truth(name: str) -> None:
    report = ProblemReport()
    records = validate_scores(
        read_score_files(discover([DATA / name], report), SchoolConfig(), report), report
    )
    assert not report.has_errors, [str(p) for p in report.errors]
    assert {p.code for p in report} == {"class.source", "row.summary"}
    expected = truth()
    students = records.students
    assert sorted(students["学号"]) == sorted(expected)
    assert set(zip(students["年级"], students["班级"], strict=True)) == {(4, 1)}
    marks = records.marks.join(students[["学号", "姓名"]], on="sid")
    for mark in marks.itertuples():
        row = expected[mark.学号]
        assert mark.姓名 == row["姓名"]
        if row[mark.学科] == "":
            assert mark.状态 == "absent"
        else:
            assert mark.状态 == "valid" and mark.分数 == float(row[mark.学科])
