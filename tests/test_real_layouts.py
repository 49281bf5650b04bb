"""The fixture corpus of issue 17 (``tests/data/real-layouts/``): score workbooks in the shapes
marking platforms export and exam offices keep. Each is read right — every class × subject's
应考, 实考, 缺考, mean and 及格率 as computed here from ``truth.csv`` — or refused with its
reason; no run, with or without ``--skip-invalid``, gives other figures."""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

import pytest

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.pack.load import load_term
from toolkit.scores.report import analyze

CORPUS = Path(__file__).parent / "data" / "real-layouts"
Key = tuple[int, int, str]  # 年级, 班级, 学科


def truth(layout: str, exam: str | None = None) -> list[dict[str, str]]:
    with (CORPUS / layout / "truth.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if exam is None or r["考试"] == exam]


def expected(rows: list[dict[str, str]], full: dict[str, float]) -> dict[Key, dict[str, float]]:
    """Per class and subject, the figures as DESIGN.md defines them, computed by hand."""
    cells: dict[Key, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        cells[(int(r["年级"]), int(r["班级"]), r["学科"])].append(r)
    out = {}
    for key, marks in cells.items():
        taking = [m for m in marks if m["类别"] != "not_taking"]
        scores = [float(m["分数"]) for m in taking if m["类别"] == "score"]
        line = 0.6 * full.get(key[2], 100.0)
        out[key] = {
            "应考人数": len(taking),
            "实考人数": len(scores),
            "缺考人数": sum(m["类别"] in ("absent", "excluded") for m in taking),
            "平均分": statistics.fmean(scores),
            "及格率": sum(s >= line for s in scores) / len(scores),
        }
    return out


def assert_figures(summary, want: dict[Key, dict[str, float]]) -> None:  # type: ignore[no-untyped-def]
    classes = summary[summary["班级"].notna()]
    got = {(int(r["年级"]), int(r["班级"]), r["学科"]): r for _, r in classes.iterrows()}
    assert set(got) == set(want)
    for key, figures in want.items():
        for name, value in figures.items():
            assert got[key][name] == pytest.approx(value), (key, name)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    code = main(args)
    capsys.readouterr()
    return code


# --- read right ------------------------------------------------------------------------------


def test_sheet_per_subject_export_is_one_student_per_row(tmp_path: Path) -> None:
    problems = ProblemReport()
    report = analyze(
        [CORPUS / "sheet-per-subject" / "input"], config=SchoolConfig(), problems=problems
    )
    assert not problems.has_errors, [str(p) for p in problems.errors]
    rows = truth("sheet-per-subject")
    assert len(report.records.students) == len({r["考号"] for r in rows})
    assert_figures(report.summary, expected(rows, {}))
    views = [p for p in problems if p.code == "sheet.view"]
    assert {p.sheet for p in views} == {"数学", "英语"}
    totals = report.row_totals()
    assert totals["读取"] == totals["计入"] + totals["跳过"] == 3 * totals["计入"]


def test_all_sheet_and_class_sheets_count_each_student_once() -> None:
    problems = ProblemReport()
    report = analyze(
        [CORPUS / "all-and-classes" / "input"], config=SchoolConfig(), problems=problems
    )
    assert not problems.has_errors
    rows = truth("all-and-classes")
    students = {r["考号"] for r in rows}
    assert len(report.records.students) == len(students)
    assert_figures(report.summary, expected(rows, {}))
    assert report.row_totals() == {
        "读取": 2 * len(students),
        "计入": len(students),
        "跳过": len(students),
    }
    assert {p.sheet for p in problems if p.code == "sheet.view"} == {"1班", "2班", "3班"}


def test_comprehensive_table_of_text_numbers_with_markers_and_stated_full_marks() -> None:
    problems = ProblemReport()
    config = SchoolConfig()
    report = analyze([CORPUS / "comprehensive-text" / "input"], config=config, problems=problems)
    assert not problems.has_errors, [str(p) for p in problems.errors]
    rows = truth("comprehensive-text")
    full = {"语文": 120.0, "数学": 120.0, "英语": 120.0, "物理": 70.0}
    assert_figures(report.summary, expected(rows, full))  # by 新班级, the class it names
    codes = [p.code for p in problems]
    assert codes.count("score.excluded") == sum(r["类别"] == "excluded" for r in rows)
    assert "class.column_chosen" in codes
    unused = next(p for p in problems if p.code == "header.unused")
    assert "原班级" in unused.params["columns"] and "第一高分" in unused.params["columns"]


def test_office_workbook_reads_the_one_row_per_student_view() -> None:
    problems = ProblemReport()
    report = analyze([CORPUS / "office-views" / "input"], config=SchoolConfig(), problems=problems)
    assert not problems.has_errors
    rows = truth("office-views")
    assert len(report.records.students) == len({r["考号"] for r in rows})
    assert "赋分" not in set(report.records.students["姓名"])
    assert_figures(report.summary, expected(rows, {}))
    assert any(p.code == "row.sub_row" for p in problems)
    assert any(p.code == "sheet.no_table" and p.sheet == "班级分析" for p in problems)


def test_a_sheet_per_exam_is_two_exams(tmp_path: Path) -> None:
    folder = CORPUS / "exam-per-sheet" / "input"
    problems = ProblemReport()
    report = analyze([folder], config=SchoolConfig(), problems=problems, exam="期中")
    assert not problems.has_errors
    assert_figures(report.summary, expected(truth("exam-per-sheet", "期中"), {}))
    assert {p.sheet for p in problems if p.code == "sheet.other_exam"} == {"12月月考"}

    term = load_term([folder], config=SchoolConfig())
    assert set(term.scores) == {"12月月考", "期中"}
    for exam in term.scores:
        records = term.scores[exam]
        assert len(records.students) == len({r["考号"] for r in truth("exam-per-sheet", exam)})
        assert not records.students.duplicated(["年级", "班级", "识别"]).any()


# --- refused with the reason -----------------------------------------------------------------


def test_a_sheet_per_exam_without_exam_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = CORPUS / "exam-per-sheet" / "input"
    code = run(["scores", str(folder), "-o", str(tmp_path / "x.xlsx")], capsys)
    assert code != 0 and not (tmp_path / "x.xlsx").exists()
    problems = ProblemReport()
    analyze([folder], config=SchoolConfig(), problems=problems)
    (error,) = problems.errors
    assert error.code == "file.several_exams" and "12月月考" in str(error) and "期中" in str(error)


def test_guessed_full_mark_is_one_error_per_subject_and_never_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = CORPUS / "platform-two-row" / "input"
    rows = truth("platform-two-row")
    problems = ProblemReport()
    analyze([folder], config=SchoolConfig(), problems=problems)
    errors = problems.errors
    assert sorted(p.params["subject"] for p in errors) == ["数学", "语文"]
    assert all(p.code == "score.full_mark_guess" for p in errors)
    for p in errors:
        scores = [float(r["分数"]) for r in rows if r["学科"] == p.params["subject"] and r["分数"]]
        assert p.params["top"] == max(scores)
        assert p.params["count"] == sum(s > 100 for s in scores)
        assert p.params["proposal"] == 150
        assert "学校配置" in str(p) and "init --from" in str(p)

    code = run(["check", str(folder)], capsys)
    assert code != 0
    out = tmp_path / "成绩分析.xlsx"
    code = run(["scores", str(folder), "--skip-invalid", "-o", str(out)], capsys)
    assert code != 0 and not out.exists()


def test_init_from_proposes_a_config_that_makes_the_run_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = CORPUS / "platform-two-row" / "input"
    config_path = tmp_path / "学校配置.xlsx"
    assert main(["init", "--from", str(folder), "-o", str(config_path)]) == 0
    printed = capsys.readouterr().out.replace("\n", "")
    assert "待确认" in printed and "语文" in printed

    problems = ProblemReport()
    config = load_config(config_path, problems)
    assert not problems.has_errors
    assert config.rule(9, "语文").full_mark == 150 and config.rule(9, "数学").full_mark == 150
    assert config.rule(9, "英语").full_mark == 100
    assert sorted((c.grade, c.number, c.size) for c in config.classes) == [
        (9, k, 14) for k in (1, 2, 3)
    ]

    out = tmp_path / "成绩分析.xlsx"
    code = run(["scores", str(folder), "-c", str(config_path), "-o", str(out)], capsys)
    assert code == 0 and out.exists()
    report = analyze([folder], config=load_config(config_path, ProblemReport()))
    full = {"语文": 150.0, "数学": 150.0, "英语": 100.0}
    assert_figures(report.summary, expected(truth("platform-two-row"), full))


def test_init_from_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "学校配置.xlsx"
    target.write_bytes(b"teacher's own")
    assert main(["init", "--from", str(CORPUS / "office-views" / "input"), "-o", str(target)]) != 0
    assert target.read_bytes() == b"teacher's own"
