"""合规提示 (pack/rules.py): a term's exams beyond the rules on everyday exams are one warning per
grade, never an error; quality monitoring is not flagged; the config can switch it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SamplePacks

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.pack.collect import FoundFile, TermFiles
from toolkit.pack.rules import exam_rule_warnings
from toolkit.reading.discover import InputFile


def _found(*held: tuple[str, int]) -> TermFiles:
    """Score files of (exam, grade), one class each."""
    return TermFiles(
        [
            FoundFile(InputFile(Path(f"{exam}{grade}.xlsx"), f"{exam}{grade}.xlsx"), "scores",
                      "表头", exam=exam, classes={(grade, 1, "")})
            for exam, grade in held
        ]
    )  # fmt: skip


def _warned(found: TermFiles, config: SchoolConfig | None = None) -> list[tuple[str, str]]:
    problems = ProblemReport()
    exam_rule_warnings(found, config or SchoolConfig(), problems)
    assert not problems.errors  # a hint for the office, never a refusal
    return [(p.code, p.message) for p in problems]


def test_one_exam_a_term_in_primary_grades_is_quiet() -> None:
    assert _warned(_found(("期末", 3), ("期末", 6), ("期中", 7), ("期末", 7))) == []


def test_each_rule_is_one_warning_for_its_grade() -> None:
    warned = _warned(
        _found(
            ("期末", 1),  # grades 1–2: no paper exam at all
            ("期中", 4), ("期末", 4), ("期中", 4),  # the same exam twice is one exam
            ("3月月考", 8), ("期中", 8), ("期末", 8),
            ("区统考", 5), ("期末", 5),
            ("区质量监测（统考）", 3),  # monitoring goes on
            ("一模", 9), ("二模", 9), ("期中", 9), ("期末", 9),  # a graduating grade's mocks
        )
    )  # fmt: skip
    codes = [code for code, _ in warned]
    assert codes == [
        "rules.paper_exam", "rules.primary_exams", "rules.primary_exams", "rules.cross_school",
        "rules.middle_exams",
    ]  # fmt: skip
    messages = dict(zip(["一", "四", "五", "五区", "八"], [m for _, m in warned], strict=True))
    assert "一年级本学期有 1 次纸笔考试（期末）" in messages["一"]
    assert "四年级本学期有 2 次考试（期中、期末）" in messages["四"]
    assert "五年级的“区统考”" in messages["五区"]
    assert "八年级本学期有 3 次考试（3月月考、期中、期末）" in messages["八"]


def test_the_config_switches_the_hints_off() -> None:
    config = SchoolConfig()
    config.exam_rule_notes = False
    assert _warned(_found(("期中", 4), ("期末", 4)), config) == []


def test_check_gives_the_hints_for_the_demo_term_and_exits_by_its_errors_alone(
    sample_packs: SamplePacks, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's primary grades sit 3月月考, 期中 and 期末: three exams where one is allowed.
    scores = sample_packs.truth.folder / "成绩"
    assert main(["check", str(scores), "-c", str(sample_packs.config_path), "--json"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    hints = [p["message"] for p in problems if p["code"] == "rules.primary_exams"]
    grades = ("三", "四", "五", "六")
    assert [h[5:8] for h in hints] == [f"{g}年级" for g in grades]
    assert all("3 次考试（3月月考、期中、期末）" in h for h in hints)


def test_the_term_befores_exam_is_kept_for_comparison_not_counted() -> None:
    from toolkit.pack.exams import held_by, order_exams
    from toolkit.reading.exam_names import exam_in

    # Its name keeps the words: never merged with this term's 期末.
    assert exam_in("成绩/上学期期末/四年级.xlsx") == "上学期期末"
    assert exam_in("成绩/期末/四年级.xlsx") == "期末"
    ordered = order_exams(["期末", "上学期期末", "期中"], "spring")
    assert [e.name for e in ordered] == ["上学期期末", "期中", "期末"]
    assert not held_by(ordered[0], 5)  # no exam of this term's May meeting
    # A primary grade with last term's 期末 and this term's one 期末 is within the rules.
    assert _warned(_found(("上学期期末", 3), ("期末", 3))) == []
