"""A district's run (issue 20): the comparison in the named workbook, each school's full analysis
in 各校/<学校>.xlsx written by worker processes — the same cells as one process writes, every
student in exactly one school's workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_district import MATHS, SCHOOLS, write_scores

from toolkit.cli.parser import main
from toolkit.reading.parallel import WORKERS_ENV
from toolkit.render.workbooks.score_workbook import write_district_workbooks
from toolkit.scores.report import analyze

HEADER_ROW = 3
Runs = tuple[Path, Path, Path]  # on workers, in one process, with every table analysed


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    found = {
        sheet.title: [tuple((c.value, c.number_format) for c in row) for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }
    book.close()
    return found


def _table(path: Path, name: str) -> list[dict[str, Any]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))[HEADER_ROW - 1 :]
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The district run on worker processes, the same run in one process, and the workbooks
    of a report analysed with every table at once (the command leaves the pupil tables to
    the writer)."""
    root = tmp_path_factory.mktemp("district")
    inputs = write_scores(root / "全区", SCHOOLS)
    runs = []
    for name, workers in (("parallel", "2"), ("single", "1")):
        out = root / name / "全区汇总.xlsx"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(WORKERS_ENV, workers)
            assert main(["scores", *map(str, inputs), "-o", str(out), "-q"]) == 0
        runs.append(out)
    report = analyze(inputs)
    assert report.students is not None and report.care is not None
    written = write_district_workbooks(report, root / "whole" / "全区汇总.xlsx", workers=1)
    return runs[0], runs[1], written[0]


def test_the_district_workbook_compares_and_lists_no_pupil(district: Runs) -> None:
    book = openpyxl.load_workbook(district[0])
    assert book.sheetnames[:4] == ["班级汇总", "学校对比", "等级分布", "四年级图表"]
    assert {"分数段", "口径说明"} <= set(book.sheetnames)
    assert not {"学生成绩", "临界生"} & set(book.sheetnames)


def test_every_student_is_in_exactly_one_schools_workbook(district: Runs) -> None:
    folder = district[0].parent / "各校"
    assert sorted(p.stem for p in folder.glob("*.xlsx")) == sorted(SCHOOLS)
    seen = []
    for school in SCHOOLS:
        rows = _table(folder / f"{school}.xlsx", "学生成绩")
        seen += [(school, r["学号"]) for r in rows]
        expected = sum(len(scores) for scores in MATHS[school].values())
        assert len(rows) == expected, school
    assert len(seen) == len(set(seen))


def test_a_schools_workbook_is_its_part_of_the_district_with_the_reference(
    district: Runs,
) -> None:
    school = SCHOOLS[1]
    own = district[0].parent / "各校" / f"{school}.xlsx"
    classes = [r for r in _table(district[0], "班级汇总") if r["学校"] == school]
    mine = _table(own, "班级汇总")
    assert [(r["班级"], r["学科"], r["平均分"]) for r in mine] == [
        (r["班级"], r["学科"], r["平均分"]) for r in classes
    ]
    reference = _table(own, "全区对照")
    compared = _table(district[0], "学校对比")
    assert reference == [r for r in compared if r["学校"] in (school, "全区")]


def _assert_same_workbooks(district: Path, other: Path) -> None:
    """The comparison and every school's workbook of two runs: the same cells."""
    assert _cells(district) == _cells(other)
    for school in SCHOOLS:
        name = f"各校/{school}.xlsx"
        cells = _cells(district.parent / name)
        assert cells == _cells(other.parent / name), school
        assert cells["学生成绩"] and cells["关爱学生"], school


def test_worker_processes_write_the_same_cells_as_one_process(district: Runs) -> None:
    parallel, single, _ = district
    _assert_same_workbooks(parallel, single)


def test_pupil_tables_made_while_writing_are_the_ones_analysis_makes(district: Runs) -> None:
    _, deferred, whole = district
    _assert_same_workbooks(deferred, whole)
