"""The drafted text says what the tables show, calls a change a change only when it is one, and
never leaves the largest changes out (issue 16, "The drafted narrative")."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd
import pytest

from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.pack import narrative
from toolkit.pack import wording as say
from toolkit.pack.narrative import Routine, Worth
from toolkit.render.documents.word_doc import _cell_text

NAN = float("nan")


def summary_rows(rows: list[tuple[object, str, float, float, float]]) -> pd.DataFrame:
    """年级 5; (班级 or None for the grade row, 学科, 平均分, 优秀率, 及格率)."""
    return pd.DataFrame(
        [
            {"年级": 5, "班级": k, "学科": s, "平均分": m, "优秀率": e, "及格率": p, "低分率": 0.0}
            for k, s, m, e, p in rows
        ]
    )


def change_rows(rows: list[tuple[object, str, float, float, float]]) -> pd.DataFrame:
    """(班级 or None, 学科, 平均分变化, 优秀率变化, 及格率变化)."""
    return pd.DataFrame(
        [
            {"年级": 5, "班级": k, "学科": s, "平均分变化": m, "优秀率变化": e, "及格率变化": p}
            for k, s, m, e, p in rows
        ]
    )


# Two classes of 五年级: 英语 in 五(2)班 lost 15.4 points of 优秀率; 语文 dipped 0.10 overall.
SUMMARY = summary_rows(
    [
        (1.0, "语文", 76.0, 0.10, 0.95),
        (2.0, "语文", 75.0, 0.08, 0.96),
        (None, "语文", 75.5, 0.09, 0.955),
        (1.0, "英语", 80.0, 0.30, 0.97),
        (2.0, "英语", 79.6, 0.15, 0.96),
        (None, "英语", 79.8, 0.225, 0.965),
    ]
)
CLASS_CHANGES = change_rows(
    [
        (1.0, "语文", -0.08, 0.0, 0.01),
        (2.0, "语文", -0.12, -0.0004, 0.02),
        (1.0, "英语", 0.40, 0.02, 0.0),
        (2.0, "英语", -0.50, -0.154, -0.01),
    ]
)
GRADE_CHANGES = change_rows(
    [(None, "语文", -0.10, -0.0002, 0.015), (None, "英语", -0.05, -0.067, -0.005)]
)


DEFAULT = Worth()


def problems(worth: Worth = DEFAULT) -> list[str]:
    return narrative.problems(
        5, SUMMARY, GRADE_CHANGES, "期中", None, 0.6, Routine(), CLASS_CHANGES, worth
    )


def test_a_tiny_change_is_no_problem_unless_the_threshold_says_so() -> None:
    told = " ".join(problems())
    assert "语文平均分较期中下降 0.10 分" not in told
    lowered = " ".join(problems(Worth(score=0.05, points=3.0)))
    assert "五年级语文平均分较期中下降 0.10 分。" in lowered
    # The subject's own paragraph still gives the figure, as 基本持平.
    assert Worth().mean(-0.10) == "基本持平（下降 0.10 分）"
    assert Worth(score=0.05).mean(-0.10) == "下降 0.10 分"
    assert Worth().mean(0.001) == "持平"
    assert Worth().rate(-0.0006) == "基本持平（下降 0.1 个百分点）"


def test_the_largest_fall_of_a_class_is_never_left_out() -> None:
    told = problems()
    assert "五(2)班英语优秀率较期中下降 15.4 个百分点（现 15.0%）。" in told
    lines = narrative.comparison(5, "期中", GRADE_CHANGES, pd.DataFrame(), CLASS_CHANGES, Worth())
    largest = [line for line in lines if line.startswith("变化最大的班级学科")]
    assert largest == ["变化最大的班级学科：五(2)班英语优秀率下降 15.4 个百分点。"]
    # A lower threshold names the largest 平均分 moves too, the rise and the fall.
    lines = narrative.comparison(
        5, "期中", GRADE_CHANGES, pd.DataFrame(), CLASS_CHANGES, Worth(score=0.3)
    )
    assert (
        "五(1)班英语平均分提高 0.40 分" in lines[-1]
        and "五(2)班英语平均分下降 0.50 分" in lines[-1]
    )


def test_a_stated_gap_is_the_difference_of_the_displayed_rates() -> None:
    value, reference = 0.23251, 0.32249  # shown as 23.3% and 32.2%; unrounded 9.0 apart
    assert (say.rate(value), say.rate(reference)) == ("23.3%", "32.2%")
    assert say.versus(value, reference) == "低于年级 8.9 个百分点"
    assert say.rate_gap(value, reference) == pytest.approx(-8.9)


def test_no_signed_zero_anywhere() -> None:
    assert say.signed_rate(-0.0001) == "0.0%"
    assert say.signed_rate(0.027) == "+2.7%"
    assert say.rate(-0.00001) == "0.0%"
    assert say.score(-0.001) == "0.00"
    assert say.rate_change(-0.0002) == "持平"
    assert _cell_text(-0.0002, "{:+.1%}") == "0.0%"
    assert _cell_text(-0.001, "{:+.2f}") == "0.00"
    assert _cell_text(-0.02, "{:+.1%}") == "-2.0%"


def test_weak_points_are_quoted_the_chinese_way() -> None:
    weak = pd.DataFrame(
        [
            {
                "班级": "五(1)班",
                "学科": "数学",
                "知识点": "运算定律",
                "得分率": 0.39,
                "年级得分率": 0.66,
            }
        ]
    )
    told = narrative.problems(5, SUMMARY, None, "期中", weak, 0.6, Routine())
    assert "数学知识点“运算定律”五(1)班得分率 39.0%（年级 66.0%）。" in told
    measures = narrative.measures(SUMMARY, pd.DataFrame(), weak, Routine())
    assert any("“运算定律”" in m for m in measures)


# --------------------------------------------------------------------------- the Word reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from toolkit.demo.school import make_school
    from toolkit.demo.term import TERM_FOLDER, write_term_folder

    root = tmp_path_factory.mktemp("term")
    write_term_folder(make_school(), SchoolConfig(), root)
    out = root / "期末质量分析"
    assert main(["term", str(root / TERM_FOLDER), "-o", str(out), "-q"]) == 0
    monthly = root / "学情研判"
    assert main(["monthly", str(root / TERM_FOLDER), "--month", "2026-05", "-o", str(monthly)]) == 0
    return sorted(out.glob("*.docx")) + sorted(monthly.glob("*.pptx"))


CHINESE_NUMBERS = "一二三四五六七八九十"


def test_headings_keep_their_numbering(reports: list[Path]) -> None:
    with_points = 0
    documents = [p for p in reports if p.suffix == ".docx"]
    assert len(documents) == 4
    for path in documents:
        document = docx.Document(str(path))
        level2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        numbers = [re.match(r"（(.+?)）", text) for text in level2]
        assert all(numbers), level2
        assert [m[1] for m in numbers] == list(CHINESE_NUMBERS[: len(level2)]), level2
        with_points += any("知识点" in text for text in level2)
    assert with_points >= 1  # the demo's 四年级 has 小题分


def test_monthly_attention_lists_only_falls_worth_a_sentence(reports: list[Path]) -> None:
    from pptx import Presentation

    falls = []
    for path in (p for p in reports if p.suffix == ".pptx"):
        for slide in Presentation(str(path)).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    falls += re.findall(r"下降 (\d+\.\d) 个百分点", shape.text_frame.text)
    assert falls, "the demo term has classes whose rates fell"
    assert all(float(points) >= 3.0 for points in falls), falls


def test_report_text_has_no_signed_zero_and_chinese_quotes(reports: list[Path]) -> None:
    for path in (p for p in reports if p.suffix == ".docx"):
        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            texts += [cell.text for row in table.rows for cell in row.cells]
        for text in texts:
            assert not re.search(r"[+-]0\.0+%?(?!\d)", text), (path.name, text)
            assert "「" not in text and "」" not in text and '"' not in text, (path.name, text)
