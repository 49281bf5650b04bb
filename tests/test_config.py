"""The school config 学校配置.xlsx (toolkit.config.read.load_config) and its defaults."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.base.problems import ProblemReport
from toolkit.config.model import Lines, SchoolConfig, SubjectRule
from toolkit.config.read import load_config

Rows = Sequence[Sequence[object]]

SUBJECT_HEADER = ["年级", "学科", "满分", "优秀线", "良好线", "及格线", "低分线"]
INFO = [["项目", "值"], ["学校", "博山区实验小学"], ["学年", "2025-2026"], ["学期", "第二学期"]]
SUBJECTS = [
    SUBJECT_HEADER,
    ["七年级", "数学", 120, 108, None, 72, 48],  # lines above 1 are points
    [None, "英语", None, 0.85, None, None, None],  # lines up to 1 are fractions
]
PARAMETERS = [
    ["项目", "值"],
    ["综合分权重-平均分", 0.5],
    ["临界分差", 3],
    ["排名方式", "中国式"],
    ["缺考计零", "否"],
]


def write_config(path: Path, sheets: dict[str, Rows]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def load(path: Path | None) -> tuple[SchoolConfig, ProblemReport]:
    report = ProblemReport()
    return load_config(path, report), report


@pytest.fixture
def good_config(tmp_path: Path) -> Path:
    return write_config(
        tmp_path / "学校配置.xlsx", {"基本信息": INFO, "学科": SUBJECTS, "参数": PARAMETERS}
    )


def test_defaults_without_a_config() -> None:
    config, report = load(None)
    assert len(report) == 0
    assert config.weights == (0.4, 0.3, 0.3)
    assert config.critical_margin == 5
    assert config.dense_rank is False
    assert config.absent_as_zero is False
    assert config.band_width == 10
    assert config.bottom_share == 0.2
    rule = config.rule(3, "语文")
    assert rule.full_mark == 100
    assert rule.lines == Lines(excellent=0.9, good=0.8, passing=0.6, low=0.4)
    assert (rule.points("excellent"), rule.points("passing"), rule.points("low")) == (
        pytest.approx(90),
        pytest.approx(60),
        pytest.approx(40),
    )


def test_basic_information(good_config: Path) -> None:
    config, report = load(good_config)
    assert report.errors == []
    assert (config.school, config.year, config.term) == ("博山区实验小学", "2025-2026", "第二学期")
    assert config.source == "学校配置.xlsx"


def test_subject_rule_in_points_becomes_fractions(good_config: Path) -> None:
    config, _ = load(good_config)
    rule = config.rule(7, "数学")
    assert rule.full_mark == 120
    assert rule.lines.excellent == pytest.approx(108 / 120)  # 0.9
    assert rule.lines.good == pytest.approx(0.8)  # blank → default
    assert rule.lines.passing == pytest.approx(72 / 120)  # 0.6
    assert rule.lines.low == pytest.approx(48 / 120)  # 0.4
    assert rule.points("excellent") == pytest.approx(108)
    assert rule.points("good") == pytest.approx(0.8 * 120)
    assert rule.points("passing") == pytest.approx(72)
    assert rule.points("low") == pytest.approx(48)


def test_rule_applies_only_to_its_grade(good_config: Path) -> None:
    config, _ = load(good_config)
    # 数学 is 120 in grade 7 only; a primary school's 数学 stays 100.
    assert config.rule(3, "数学") == SubjectRule()
    assert config.rule(8, "数学").full_mark == 100


def test_rule_without_grade_applies_to_every_grade(good_config: Path) -> None:
    config, _ = load(good_config)
    for grade in (3, 7, None):
        rule = config.rule(grade, "英语")
        assert rule.full_mark == 100
        assert rule.lines.excellent == pytest.approx(0.85)
        assert rule.lines.passing == pytest.approx(0.6)


def test_parameters(good_config: Path) -> None:
    config, _ = load(good_config)
    assert config.weights == (0.5, 0.3, 0.3)  # only the mean weight was set
    assert config.weights[0] == 0.5
    assert config.critical_margin == 3
    assert config.dense_rank is True
    assert config.absent_as_zero is False


def test_parameters_in_other_spellings(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {
            "基本信息": INFO,
            "学科": [SUBJECT_HEADER],
            "参数": [
                ["参数", "取值"],  # synonyms of 项目 / 值
                ["综合分权重-及格率", "35%"],
                ["排名方式", "RANK.EQ"],
                ["缺考计零", "是"],
                ["分数段宽度", 20],
                ["关爱学生比例", "10%"],
                ["不认识的参数", "随便"],  # ignored
            ],
        },
    )
    config, report = load(path)
    assert report.errors == []
    assert config.weights == (0.4, pytest.approx(0.35), 0.3)
    assert config.dense_rank is False
    assert config.absent_as_zero is True
    assert config.band_width == 20
    assert config.bottom_share == pytest.approx(0.1)


def test_percent_line_and_extra_subject(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {
            "基本信息": INFO,
            "学科": [SUBJECT_HEADER, ["三年级", "心理健康", 50, "90%", None, None, None]],
            "参数": PARAMETERS[:1],
        },
    )
    config, report = load(path)
    assert report.errors == []
    assert "心理健康" in config.extra_subjects
    rule = config.rule(3, "心理健康")
    assert rule.full_mark == 50
    assert rule.points("excellent") == pytest.approx(0.9 * 50)
    assert rule.points("passing") == pytest.approx(0.6 * 50)


def test_bad_full_mark_points_at_its_cell(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {
            "基本信息": INFO,
            "学科": [*SUBJECTS[:2], ["八年级", "数学", "一百", None, None, None, None]],
            "参数": PARAMETERS,
        },
    )
    config, report = load(path)
    assert len(report.errors) == 1
    problem = report.errors[0]
    assert problem.code == "config.invalid"
    # Header in row 1, 七年级 in row 2, the bad row is row 3; 满分 is the third column.
    assert (problem.file, problem.sheet, problem.cell) == ("学校配置.xlsx", "学科", "C3")
    assert problem.value == "一百"
    assert "一百" in str(problem)
    # The bad row falls back to the default; the good row still counts.
    assert config.rule(8, "数学").full_mark == 100
    assert config.rule(7, "数学").full_mark == 120


@pytest.mark.parametrize(
    ("row", "cell"),
    [
        (["八年级", "数学", 0, None, None, None, None], "C2"),  # 满分 must be positive
        (["八年级", "数学", 100, "很高", None, None, None], "D2"),
        (["八年级", "数学", 100, None, None, 130, None], "F2"),  # above 满分
        (["某年级", "数学", 100, None, None, None, None], "A2"),
        (["八年级", "数学", 100, 50, None, 60, None], "F2"),  # 及格线 above 优秀线
    ],
)
def test_bad_subject_cells(tmp_path: Path, row: list[object], cell: str) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {"基本信息": INFO, "学科": [SUBJECT_HEADER, row], "参数": PARAMETERS[:1]},
    )
    config, report = load(path)
    assert [(p.code, p.sheet, p.cell) for p in report.errors] == [("config.invalid", "学科", cell)]
    assert config.rule(8, "数学") == SubjectRule()


def test_bad_parameters_are_all_reported(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {
            "基本信息": INFO,
            "学科": [SUBJECT_HEADER],
            "参数": [
                ["项目", "值"],
                ["临界分差", "五分"],  # B2
                ["排名方式", "随便"],  # B3
                ["缺考计零", "也许"],  # B4
                ["关爱学生比例", 3],  # B5: a share above 100%
            ],
        },
    )
    config, report = load(path)
    assert [(p.sheet, p.cell) for p in report.errors] == [
        ("参数", "B2"),
        ("参数", "B3"),
        ("参数", "B4"),
        ("参数", "B5"),
    ]
    # Defaults stand in for the bad values.
    assert config.critical_margin == 5
    assert config.dense_rank is False
    assert config.absent_as_zero is False
    assert config.bottom_share == 0.2


def test_missing_sheet_is_a_warning(tmp_path: Path) -> None:
    path = write_config(tmp_path / "学校配置.xlsx", {"基本信息": INFO, "学科": SUBJECTS})
    config, report = load(path)
    assert report.errors == []
    assert [(p.code, p.params) for p in report.of("warning")] == [
        ("config.missing_sheet", {"sheet_name": "参数"})
    ]
    assert config.rule(7, "数学").full_mark == 120
    assert config.weights == (0.4, 0.3, 0.3)


def test_unreadable_config_is_an_error_and_defaults_stand(tmp_path: Path) -> None:
    path = tmp_path / "学校配置.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    config, report = load(path)
    assert [p.code for p in report.errors] == ["file.unreadable"]
    assert config.rules == {}


# Regression (was a bug): a 年级 typed as a number (7) is read by calamine as 7.0; normalize
# gives '7.0', which neither find_grade nor cn_number accepts, so the row was rejected with
# '不是可识别的年级（如 三年级、3、初一）' although the message itself offers 3 as valid.
def test_grade_typed_as_a_number(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {"基本信息": INFO, "学科": [SUBJECT_HEADER, [7, "数学", 120, None, None, None, None]]},
    )
    config, report = load(path)
    assert report.errors == []
    assert config.rule(7, "数学").full_mark == 120


# Regression (was a bug): 缺考计零 typed as the number 1 (or 0) is read as 1.0; normalize gives
# '1.0', which is not in _YES/_NO ({'1', '0', …}), so it is an error and the option stays off
def test_yes_no_parameter_typed_as_a_number(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "学校配置.xlsx",
        {"基本信息": INFO, "学科": [SUBJECT_HEADER], "参数": [["项目", "值"], ["缺考计零", 1]]},
    )
    config, report = load(path)
    assert report.errors == []
    assert config.absent_as_zero is True
