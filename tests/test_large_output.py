"""A district's workbook is streamed (xlsxwriter constant-memory mode) and still complete.

In constant-memory mode xlsxwriter flushes a row once a later row is written; a cell written
out of order afterwards is silently dropped (as ``DataFrame.to_excel`` does there). So the same
report written streamed and in memory must hold the same cells on every sheet, and a
50,001-student report must hold every student.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.render.workbooks import score_workbook
from toolkit.scores.read import MARK_COLUMNS, STUDENT_COLUMNS, ScoreRecords
from toolkit.scores.report import ScoreReport, compute

pytestmark = pytest.mark.slow

SUBJECTS = ("语文", "数学")


def district_report(students: int, schools: int = 3, seed: int = 5) -> ScoreReport:
    """``students`` spread over schools × grades 3–4 × 4 classes, with scores and 缺考."""
    rng = np.random.default_rng(seed)
    rows = []
    marks = []
    for sid in range(students):
        school, grade, klass = sid % schools, 3 + sid // 7 % 2, 1 + sid // 3 % 4
        student_id = f"{2026_000_000 + sid}"
        name = f"第{school + 1}小学"
        where = (f"{name}.xlsx", "Sheet1", sid + 3, f"B{sid + 3}")
        rows.append((name, grade, klass, student_id, f"学生{sid}", student_id, None, "", *where))
        for c, subject in enumerate(SUBJECTS):
            if rng.random() < 0.01:
                marks.append(
                    (sid, subject, np.nan, "absent", "", "缺考", 100.0, "config", f"C{sid + 3}", "")
                )
            else:
                score = float(rng.integers(20, 101))
                marks.append(
                    (
                        sid,
                        subject,
                        score,
                        "valid",
                        "",
                        score,
                        100.0,
                        "config",
                        f"{'CD'[c]}{sid}",
                        "",
                    )
                )
    frame = pd.DataFrame(rows, columns=STUDENT_COLUMNS)
    frame.index.name = "sid"
    records = ScoreRecords(frame, pd.DataFrame(marks, columns=MARK_COLUMNS), students, 0)
    report = ScoreReport(SchoolConfig(), ProblemReport(), [], records, "期末")
    compute(report)
    return report


def sheets_of(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def streamed(path: Path) -> bool:
    """Whether xlsxwriter wrote the sheets streamed: it then writes strings inline."""
    with zipfile.ZipFile(path) as zf:
        return b"<is><t>" in zf.read("xl/worksheets/sheet1.xml")


def test_streamed_workbook_holds_the_same_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = district_report(600)
    in_memory = score_workbook.write_score_workbook(report, tmp_path / "内存.xlsx")
    monkeypatch.setattr(score_workbook, "LARGE_SHEET_ROWS", 100)
    on_disk = score_workbook.write_score_workbook(report, tmp_path / "流式.xlsx")
    assert streamed(on_disk) and not streamed(in_memory)
    expected, got = sheets_of(in_memory), sheets_of(on_disk)
    assert list(got) == list(expected)
    for name, rows in expected.items():
        assert got[name] == rows, name


def test_district_student_sheet_is_complete(tmp_path: Path) -> None:
    students = score_workbook.LARGE_SHEET_ROWS + 1
    report = district_report(students)
    path = score_workbook.write_score_workbook(report, tmp_path / "全区.xlsx")
    assert streamed(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("学生成绩").to_python()
    header = sheet[2]
    body = sheet[3:]
    assert len(body) == students
    ids = [row[header.index("学号")] for row in body]
    assert sorted(ids) == [f"{2026_000_000 + sid}" for sid in range(students)]
    # Every score as recorded: the sheet's 语文 column against the records, student by student.
    marks = report.records.marks
    chinese = marks[marks["学科"] == "语文"].set_index("sid")
    by_id = dict(zip(report.records.students["学号"], report.records.students.index, strict=True))
    for row in body:
        mark = chinese.loc[by_id[row[header.index("学号")]]]
        cell = row[header.index("语文")]
        assert cell == ("缺考" if mark["状态"] == "absent" else mark["分数"])
