"""Issue 5: the monthly 学情研判 pack and the term-end 期末质量分析 on the sample term.

The sample term (``toolkit.demo.term``) is written once per module and both commands run once
on it through ``cli.parser.main``. Every number is checked against a value computed here from
the sample's truth (``term_exams``) or from the raw records with plain pandas, never against what
the toolkit printed elsewhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PACK_AS_OF, PACK_MONTH, SamplePacks
from openpyxl import Workbook, load_workbook

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.demo.school import SUBJECTS_BY_GRADE, SampleSchool, make_school
from toolkit.demo.term import CORRUPT_FILE, TermTruth, term_exams
from toolkit.pack.collect import collect
from toolkit.pack.exams import describe, held_by, order_exams
from toolkit.pack.load import TermData, load_term
from toolkit.pack.monthly import GradeMonth, MonthlyPack, build_monthly
from toolkit.pack.term import GradeTerm, TermAnalysis, build_term
from toolkit.reading.exam_names import exam_in

pytestmark = pytest.mark.slow

MONTH = "2026-05"
AS_OF = "2026-05-31"
GRADE_WORDS = "一二三四五六"
# The sample's lines (config defaults, full mark 100): 优秀 ≥ 90, 及格 ≥ 60, 低分 < 40; a
# 拟合格 student is at most 5 points under the pass line.
EXCELLENT, PASS, LOW, MARGIN = 90.0, 60.0, 40.0, 5.0


def grade_label(grade: int) -> str:
    return f"{GRADE_WORDS[grade - 1]}年级"


def class_label(grade: int, number: int) -> str:
    return f"{GRADE_WORDS[grade - 1]}({number})班"


# --------------------------------------------------------------------------- the sample term


@dataclass
class Term:
    root: Path
    config_path: Path
    truth: TermTruth
    exams: dict[str, SampleSchool]
    monthly_rc: int
    term_rc: int
    monthly_dir: Path
    term_dir: Path
    data: TermData
    pack: MonthlyPack
    analysis: TermAnalysis

    @property
    def folder(self) -> Path:
        return self.truth.folder

    def grade_month(self, grade: int) -> GradeMonth:
        return next(g for g in self.pack.grades if g.grade == grade)

    def grade_term(self, grade: int) -> GradeTerm:
        return next(g for g in self.analysis.grades if g.grade == grade)


@pytest.fixture(scope="module")
def term(sample_packs: SamplePacks) -> Term:
    assert (MONTH, AS_OF) == (PACK_MONTH, PACK_AS_OF)
    packs = sample_packs
    data = load_term([packs.truth.folder], config_path=packs.config_path)
    return Term(
        root=packs.root,
        config_path=packs.config_path,
        truth=packs.truth,
        exams=term_exams(make_school()),
        monthly_rc=packs.monthly_rc,
        term_rc=packs.term_rc,
        monthly_dir=packs.monthly_dir,
        term_dir=packs.term_dir,
        data=data,
        pack=build_monthly(data, MONTH),
        analysis=build_term(data, as_of=dt.date.fromisoformat(AS_OF)),
    )


def scores_of(sample: SampleSchool) -> pd.DataFrame:
    """The truth with every absent (学号, 学科) blanked: absent students are not in any mean."""
    scores = sample.truth.copy()
    for sid, subject in zip(sample.absent["学号"], sample.absent["学科"], strict=True):
        scores.loc[scores["学号"] == sid, subject] = np.nan
    return scores


def truth_means(sample: SampleSchool, grade: int) -> tuple[pd.DataFrame, pd.Series]:
    """Class means (index 班级, one column per subject) and the grade's means."""
    scores = scores_of(sample)
    mine = scores[scores["年级"] == grade]
    subjects = SUBJECTS_BY_GRADE[grade]
    return mine.groupby("班级")[subjects].mean(), mine[subjects].mean()


def truth_scores(sample: SampleSchool, grade: int, subject: str, number: int | None) -> pd.Series:
    scores = scores_of(sample)
    rows = scores[(scores["年级"] == grade) & (number is None or scores["班级"] == number)]
    return rows[subject].dropna()


def share(values: pd.Series, test: pd.Series) -> float:
    return float(test.sum()) / len(values)


# --------------------------------------------------------------------------- workbook helpers


def rows_from(ws, header_row: int) -> pd.DataFrame:
    """The table whose header is ``header_row``, down to the first row with column A empty."""
    header = [c.value for c in ws[header_row]]
    while header and header[-1] is None:
        header.pop()
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1, max_col=len(header), values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return pd.DataFrame(rows, columns=header)


def block(ws, heading: str) -> pd.DataFrame:
    """The table under the cell in column A reading ``heading`` (an overview sheet's block)."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == heading:
            return rows_from(ws, cell.row + 1)
    raise AssertionError(f"no block {heading!r} in sheet {ws.title}")


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_score_book(
    path: Path, grade: int = 4, *, exam_column: str = "", exam_line: str = "", students: int = 6
) -> Path:
    """A small score sheet as a teacher types it: 学号, 姓名, 班级 (, 考试), 语文, 数学."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if exam_line:
        ws.append([exam_line])
    ws.append(["学号", "姓名", "班级", *(["考试"] if exam_column else []), "语文", "数学"])
    names = ["王子涵", "李雨晨", "张浩宇", "刘欣怡", "陈思远", "杨佳琪", "赵梓轩", "周雅静"]
    for k in range(students):
        exam = [exam_column] if exam_column else []
        ws.append([f"2022010{k + 1}", names[k], class_label(grade, 1), *exam, 70 + k, 80 + k])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# =========================================================================== 1. recognition


def test_found_table_gives_every_file_its_kind_and_exam(term: Term) -> None:
    table = term.data.found.table()
    on_disk = sorted(
        str(p.relative_to(term.folder))
        for p in term.folder.rglob("*")
        if p.suffix in (".xlsx", ".xls")
    )
    assert sorted(table["文件"]) == on_disk  # every spreadsheet, once
    by_file = table.set_index("文件")
    kinds = {"成绩": "质量监测成绩", "小题分": "小题分", "作业检查": "作业检查"}
    kinds |= {"听评课": "听评课记录", "薄弱点台账": "薄弱点台账"}
    for name in on_disk:
        top = name.split("/")[0]
        if name == CORRUPT_FILE:
            continue
        row = by_file.loc[name]
        assert row["类型"] == kinds[top], name
        if top in ("成绩", "小题分"):
            assert row["考试"] == name.split("/")[1], name  # the sub-folder it was written to
        else:
            assert row["考试"] == "", name
    # Each score file holds the students of the classes it names (counted from the truth).
    truth = term.exams["期中"].truth
    for name in on_disk:
        if not name.startswith("成绩/期中/"):
            continue
        stem = Path(name).stem
        match = re.match(r"([一二三四五六])\((\d)\)班", stem)
        if match:
            grade, number = GRADE_WORDS.index(match[1]) + 1, int(match[2])
            expected = int(((truth["年级"] == grade) & (truth["班级"] == number)).sum())
        else:
            grade = GRADE_WORDS.index(stem[0]) + 1
            expected = int((truth["年级"] == grade).sum())
        assert by_file.loc[name, "记录"] == expected, name


def test_corrupt_file_is_listed_unrecognised_with_an_error(term: Term) -> None:
    table = term.data.found.table()
    row = table[table["文件"] == CORRUPT_FILE]
    assert len(row) == 1
    assert row.iloc[0]["类型"] == "未识别"
    assert row.iloc[0]["考试"] == "" and row.iloc[0]["记录"] == 0
    found = next(f for f in term.data.found.files if f.file.display == CORRUPT_FILE)
    assert found.kind == ""
    unreadable = [p for p in term.data.problems if p.code == "file.unreadable"]
    assert [(p.severity, p.file) for p in unreadable] == [("error", CORRUPT_FILE)]


def test_exams_are_ordered_as_sat(term: Term) -> None:
    assert [e.name for e in term.data.exams] == ["3月月考", "期中", "期末"]
    assert [e.month for e in term.data.exams] == [3, 4, 6]


@pytest.mark.parametrize(
    "how", ["column", "line"], ids=["考试 column", "考试：期中 above the table"]
)
def test_exam_read_from_the_sheet_when_names_carry_none(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "收到的表格"
    if how == "column":
        write_score_book(folder / "四年级成绩.xlsx", exam_column="期中")
    else:
        write_score_book(folder / "四年级成绩.xlsx", exam_line="考试：期中")
    problems = ProblemReport()
    found = collect([folder], problems)
    assert [(f.kind, f.exam, f.exam_from) for f in found.files] == [("scores", "期中", "考试列")]
    assert found.exams() == ["期中"]
    assert not [p for p in problems if p.code == "exam.unknown"]


def test_file_with_no_exam_and_no_sibling_is_reported(tmp_path: Path) -> None:
    alone = write_score_book(tmp_path / "其他" / "四年级成绩.xlsx")
    # Beside a file that names its exam, the same kind of file takes that exam instead.
    write_score_book(tmp_path / "一起" / "四年级期中成绩.xlsx")
    write_score_book(tmp_path / "一起" / "五年级成绩.xlsx", grade=5)
    problems = ProblemReport()
    found = collect([tmp_path / "其他", tmp_path / "一起"], problems)
    exams = {f.file.path.name: (f.kind, f.exam, f.exam_from) for f in found.files}
    assert exams == {
        "四年级成绩.xlsx": ("scores", "", ""),
        "四年级期中成绩.xlsx": ("scores", "期中", "路径"),
        "五年级成绩.xlsx": ("scores", "期中", "同文件夹"),
    }
    unknown = [p for p in problems if p.code == "exam.unknown"]
    assert [(p.severity, p.file) for p in unknown] == [("warning", alone.name)]


@pytest.mark.parametrize(
    ("text", "exam"),
    [
        ("成绩/三月月考/四年级.xlsx", "3月月考"),
        ("成绩/期中/四年级/四(1)班期中成绩.xlsx", "期中"),
        ("期中成绩/四(1)班期末成绩.xlsx", "期末"),  # the file name beats its folder
        ("十二月月考/五年级.xlsx", "12月月考"),
        ("4月份月考成绩.xlsx", "4月月考"),
        ("质量监测成绩.xlsx", ""),
        ("2025-2026学年第二学期/五年级成绩.xlsx", ""),
    ],
)
def test_exam_in(text: str, exam: str) -> None:
    assert exam_in(text) == exam


def test_order_exams_spring_and_autumn() -> None:
    spring = order_exams(["期末", "期中", "4月月考", "3月月考", "单元检测"], "spring")
    assert [e.name for e in spring] == ["单元检测", "3月月考", "4月月考", "期中", "期末"]
    assert [e.month for e in spring] == [None, 3, 4, 4, 6]
    # Autumn runs September → January: 期中 in November, 期末 in January after 12月月考.
    autumn = order_exams(["期末", "12月月考", "期中", "10月月考", "9月月考"], "autumn")
    assert [e.name for e in autumn] == ["9月月考", "10月月考", "期中", "12月月考", "期末"]
    assert [e.month for e in autumn] == [9, 10, 11, 12, 1]


def test_held_by() -> None:
    midterm = describe("期中", "spring")
    assert [held_by(midterm, m) for m in (3, 4, 5, 6)] == [False, True, True, True]
    final = describe("期末", "autumn")  # January, after December of the school year
    assert [held_by(final, m) for m in (9, 12, 1, 2)] == [False, False, True, True]
    assert held_by(describe("单元检测", "spring"), 2)  # no month: taken as sat


def test_two_unit_tests_stay_two_exams(tmp_path: Path) -> None:
    write_score_book(tmp_path / "第一单元检测" / "四年级成绩.xlsx")
    write_score_book(tmp_path / "第二单元检测" / "四年级成绩.xlsx")
    found = collect([tmp_path], ProblemReport())
    assert len(found.exams()) == 2


# =========================================================================== 2. monthly numbers


def _in_may(dates: pd.Series) -> pd.Series:
    return (dates.dt.year == 2026) & (dates.dt.month == 5)


def panel(grade: GradeMonth, name: str):
    return next(p for p in grade.panels if p.name == name)


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_homework_panel_equals_may_records(term: Term, grade: int) -> None:
    valid = term.data.records["homework"].valid
    may = valid[_in_may(pd.to_datetime(valid["检查日期"])) & (valid["年级"] == grade)]
    means = may.groupby("班级")["得分"].mean()
    shown = panel(term.grade_month(grade), "作业检查得分")
    frame = shown.frame.set_index("班级")["平均得分"]
    expected = {class_label(grade, int(n)): v for n, v in means.items()}
    expected["全年级"] = may["得分"].mean()
    assert list(frame.index) == list(expected)
    assert np.allclose(list(frame), list(expected.values()))
    assert f"本月检查作业 {len(may)} 次" in shown.finding
    assert f"年级平均得分 {may['得分'].mean():.2f}" in shown.finding
    # The five 落实率: 是 over the filled cells of the grade's May records.
    checks = panel(term.grade_month(grade), "作业落实率").frame.set_index("项目")["全年级"]
    for column in ("有批", "有改", "有评", "有追踪", "错题再学习"):
        filled = may[column].dropna().astype(bool)
        assert checks[column] == pytest.approx(filled.mean())


def test_homework_sheet_of_the_written_pack(term: Term) -> None:
    valid = term.data.records["homework"].valid
    may = valid[_in_may(pd.to_datetime(valid["检查日期"])) & (valid["年级"] == 4)]
    ws = load_workbook(term.monthly_dir / "四年级学情研判.xlsx", read_only=True)["作业检查"]
    sheet = rows_from(ws, 3).set_index("班级")
    for number, rows in may.groupby("班级"):
        label = class_label(4, int(number))
        assert sheet.loc[label, "检查次数"] == len(rows)
        assert sheet.loc[label, "平均得分"] == pytest.approx(rows["得分"].mean())
    assert sheet.loc["全年级", "检查次数"] == len(may)


def overdue_points(term: Term, grade: int) -> pd.DataFrame:
    """Weak points still open at the month's end and past their planned date."""
    valid = term.data.valid("weakpoints")
    end = pd.Timestamp(AS_OF)
    rows = valid[(valid["年级"] == grade) & (valid["登记日期"] <= end)].copy()
    rows = rows[(rows["状态"] != "已销号") & (rows["计划完成日期"] < end)]
    rows["逾期天数"] = (end - rows["计划完成日期"]).dt.days
    return rows


def test_weak_point_panel_counts(term: Term) -> None:
    valid = term.data.valid("weakpoints")
    mine = valid[valid["年级"] == 4]
    overdue = overdue_points(term, 4)
    frame = panel(term.grade_month(4), "薄弱点台账").frame.set_index("班级")
    for number in (1, 2, 3):
        rows = mine[mine["班级"] == number]
        label = class_label(4, number)
        assert frame.loc[label, "本月新增数"] == int(_in_may(rows["登记日期"]).sum())
        assert frame.loc[label, "未销号数"] == int((rows["状态"] != "已销号").sum())
        assert frame.loc[label, "逾期未销号数"] == int((overdue["班级"] == number).sum())
    assert frame.loc["全年级", "本月新增数"] == int(_in_may(mine["登记日期"]).sum())
    assert frame.loc["全年级", "逾期未销号数"] == len(overdue) > 0


def test_exam_panels_use_midterm_against_march(term: Term) -> None:
    assert (term.pack.exam.name, term.pack.previous.name) == ("期中", "3月月考")
    grade = term.grade_month(4)
    means, grade_means = truth_means(term.exams["期中"], 4)
    shown = panel(grade, "成绩平均分")
    assert shown.heading.startswith("期中")
    frame = shown.frame.set_index("学科")
    for subject in SUBJECTS_BY_GRADE[4]:
        for number in (1, 2, 3):
            assert frame.loc[subject, class_label(4, number)] == pytest.approx(
                means.loc[number, subject]
            )
        assert frame.loc[subject, "全年级"] == pytest.approx(grade_means[subject])
        assert f"{subject} {grade_means[subject]:.2f}" in shown.finding

    before, _ = truth_means(term.exams["3月月考"], 4)
    change = panel(grade, "成绩变化")
    assert change.heading == "期中较3月月考：各班平均分变化"
    frame = change.frame.set_index("学科")
    assert list(frame.columns) == [class_label(4, n) for n in (1, 2, 3)]
    for subject in SUBJECTS_BY_GRADE[4]:
        for number in (1, 2, 3):
            expected = means.loc[number, subject] - before.loc[number, subject]
            assert frame.loc[subject, class_label(4, number)] == pytest.approx(expected)


# =========================================================================== 3. narrative


CLASS = r"[一二三四五六]\((\d+)\)班"
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _class(group: str) -> str:
    return rf"[一二三四五六]\((?P<{group}>\d+)\)班"


def paragraph_pattern(grade: int, subject: str, previous: str) -> re.Pattern[str]:
    return re.compile(
        rf"{grade_label(grade)}{subject}平均分 (?P<mean>\d+\.\d\d)"
        rf"(?:，较{previous}(?P<steady>基本持平（)?"
        r"(?:(?P<way>提高|下降) (?P<change>\d+\.\d\d) 分|持平)(?(steady)）))?"
        r"；优秀率 (?P<excellent>[\d.]+%)，及格率 (?P<pass>[\d.]+%)，低分率 (?P<low>[\d.]+%)。"
        rf"{_class('best')}平均分最高"
        r"（(?P<best_mean>\d+\.\d\d)，超均率 (?P<above>[+-][\d.]+%)）"
        rf"(?:；{_class('weak')}及格率 (?P<weak_pass>[\d.]+%)，"
        r"低于年级 (?P<gap>[\d.]+) 个百分点，拟合格学生 (?P<near>\d+) 人)?。"
    )


def table_numbers(subject_term, previous_change: float | None) -> set[str]:
    """Every way the grade's tables print a number that the paragraph may quote."""
    table = subject_term.table
    grade_row = table.iloc[-1]
    allowed: set[str] = set()
    for _, row in table.iterrows():
        allowed.add(f"{row['平均分']:.2f}")
        allowed |= {pct(row[c]) for c in ("优秀率", "及格率", "低分率")}
        if pd.notna(row["超均率"]):
            allowed.add(f"{row['超均率'] * 100:+.1f}%")
        allowed.add(str(int(row["拟合格"])))
        # A gap is the difference of the two rates as printed (issue 16).
        gap = round(round(row["及格率"] * 100, 1) - round(grade_row["及格率"] * 100, 1), 1)
        allowed.add(f"{abs(gap):.1f}")
    if previous_change is not None:
        allowed.add(f"{abs(previous_change):.2f}")
    return allowed


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_subject_paragraphs_quote_the_tables(term: Term, grade: int) -> None:
    analysis = term.analysis
    assert (analysis.exam.name, analysis.previous.name) == ("期末", "期中")
    final, before = term.exams["期末"], term.exams["期中"]
    critical = analysis.scores.critical
    near_pass = critical[(critical["年级"] == grade) & (critical["类别"] == "拟合格")]
    means, grade_means = truth_means(final, grade)
    _, before_means = truth_means(before, grade)
    result = term.grade_term(grade)
    assert [s.subject for s in result.subjects] == SUBJECTS_BY_GRADE[grade]
    for subject_term in result.subjects:
        subject, text = subject_term.subject, subject_term.paragraph
        match = paragraph_pattern(grade, subject, "期中").fullmatch(text)
        assert match, text
        # Every number in the sentence is one of the tables' numbers, as the tables print it.
        changes = subject_term.changes
        change = changes.iloc[-1]["平均分变化"]
        quoted = NUMBER.findall(re.sub(CLASS, "", text))
        assert quoted and set(quoted) <= table_numbers(subject_term, change), text
        # … and each is the value the truth gives.
        everyone = truth_scores(final, grade, subject, None)
        assert match["mean"] == f"{grade_means[subject]:.2f}"
        assert match["mean"] == f"{subject_term.table.iloc[-1]['平均分']:.2f}"
        delta = grade_means[subject] - before_means[subject]
        assert change == pytest.approx(delta)
        if f"{abs(delta):.2f}" == "0.00":
            assert match["way"] is None
        else:
            assert (match["way"], match["change"]) == (
                "提高" if delta > 0 else "下降",
                f"{abs(delta):.2f}",
            )
            # Under the default 变化提示线 (1 分) a change is told as 基本持平, with its value.
            assert bool(match["steady"]) == (abs(round(delta, 2)) < 1.0)
        assert match["excellent"] == pct(share(everyone, everyone >= EXCELLENT))
        assert match["pass"] == pct(share(everyone, everyone >= PASS))
        assert match["low"] == pct(share(everyone, everyone < LOW))
        best = int(means[subject].idxmax())
        assert int(match["best"]) == best
        assert match["best_mean"] == f"{means.loc[best, subject]:.2f}"
        above = (means.loc[best, subject] - grade_means[subject]) / grade_means[subject]
        assert match["above"] == f"{above * 100:+.1f}%"
        rates = {
            n: share(s, s >= PASS)
            for n in (1, 2, 3)
            for s in [truth_scores(final, grade, subject, n)]
        }
        grade_rate = share(everyone, everyone >= PASS)
        weakest = min(rates, key=lambda n: (rates[n], n))
        if round(rates[weakest] - grade_rate, 3) < 0:
            assert int(match["weak"]) == weakest
            assert match["weak_pass"] == pct(rates[weakest])
            shown_gap = round(grade_rate * 100, 1) - round(rates[weakest] * 100, 1)
            assert match["gap"] == f"{shown_gap:.1f}"
            mine = near_pass[(near_pass["学科"] == subject) & (near_pass["班级"] == weakest)]
            assert int(match["near"]) == len(mine)
        else:
            assert match["weak"] is None


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_near_pass_counts_equal_the_truth(term: Term, grade: int) -> None:
    final = term.exams["期末"]
    for subject_term in term.grade_term(grade).subjects:
        table = subject_term.table.set_index("班级")
        total = 0
        for number in (1, 2, 3):
            scores = truth_scores(final, grade, subject_term.subject, number)
            near = int(((scores >= PASS - MARGIN) & (scores < PASS)).sum())
            total += near
            assert table.loc[class_label(grade, number), "拟合格"] == near
        assert table.loc["全年级", "拟合格"] == total
    assert (
        sum(int(s.table.iloc[-1]["拟合格"]) for g in term.analysis.grades for s in g.subjects) > 0
    )  # the sample has some 拟合格 students, so the counts above are not all zero


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_word_report_holds_the_drafted_text(term: Term, grade: int) -> None:
    from docx import Document

    path = term.term_dir / f"{grade_label(grade)}期末质量分析报告.docx"
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    result = term.grade_term(grade)
    for line in [*result.basics, *(s.paragraph for s in result.subjects), *result.comparison]:
        assert line in paragraphs
    for heading in ("四、存在问题", "五、改进措施"):
        assert heading in paragraphs
    for line in [*result.problems, *result.measures]:
        assert line in paragraphs


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_term_workbook_means_equal_the_truth(term: Term, grade: int) -> None:
    wb = load_workbook(term.term_dir / "期末质量分析.xlsx", read_only=True)
    ws = wb[grade_label(grade)]
    means, grade_means = truth_means(term.exams["期末"], grade)
    for subject in SUBJECTS_BY_GRADE[grade]:
        table = block(ws, f"{subject}：各班成绩").set_index("班级")["平均分"]
        expected = [means.loc[n, subject] for n in (1, 2, 3)] + [grade_means[subject]]
        assert list(table.index) == [*(class_label(grade, n) for n in (1, 2, 3)), "全年级"]
        assert np.allclose(list(table), expected)
    overview = block(wb["概览"], "各年级各科平均分").set_index("学科")[grade_label(grade)]
    for subject in SUBJECTS_BY_GRADE[grade]:
        assert overview[subject] == pytest.approx(grade_means[subject])


# =========================================================================== 4. real client


@pytest.fixture(scope="module")
def pdfs(term: Term, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from toolkit.render.documents.pdf import convert_to_pdf, find_soffice

    if find_soffice() is None or not all(
        shutil.which(tool) for tool in ("pdftoppm", "pdffonts", "pdftotext")
    ):
        pytest.skip("needs LibreOffice and poppler-utils")
    out = tmp_path_factory.mktemp("pdf")
    # The deck and the workbook share a stem; one soffice run needs distinct PDF names.
    deck = shutil.copy(term.monthly_dir / "四年级学情研判.pptx", out / "四年级幻灯片.pptx")
    sources = {
        "xlsx": term.monthly_dir / "四年级学情研判.xlsx",
        "pptx": Path(deck),
        "docx": term.term_dir / "四年级期末质量分析报告.docx",
    }
    made = convert_to_pdf(list(sources.values()), out)
    return dict(zip(sources, made, strict=True))


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("kind", ["xlsx", "pptx", "docx"])
def test_first_page_is_drawn(pdfs: dict[str, Path], kind: str, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    pdf = pdfs[kind]
    run("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p"))
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = page.getcolors(maxcolors=1 << 20)
    variance = ImageStat.Stat(page.convert("L")).var[0]
    assert colours is not None and len(colours) >= 150, kind
    assert variance > 100, kind
    first = run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    expected = {"xlsx": "作业检查：各班平均得分", "pptx": "四年级学情研判", "docx": "基本情况"}
    assert expected[kind] in first


@pytest.mark.parametrize("kind", ["xlsx", "pptx", "docx"])
def test_pdf_draws_chinese_with_a_cjk_font(pdfs: dict[str, Path], kind: str) -> None:
    fonts = run("pdffonts", str(pdfs[kind]))
    assert re.search(r"CJK|WenQuanYi|YaHei|SimHei|SimSun|Song|Hei|Droid", fonts), fonts


def test_word_pdf_has_problems_and_measures(pdfs: dict[str, Path]) -> None:
    text = run("pdftotext", str(pdfs["docx"]), "-")
    assert "存在问题" in text and "改进措施" in text
    assert "四年级期末质量分析报告" in text


# =========================================================================== 5. class colours


def test_a_class_keeps_its_colour_in_every_panel(term: Term) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from toolkit.render.packs.panel_figures import panel_figure

    grade = term.grade_month(4)
    seen: dict[str, dict[str, str]] = {}
    for name in ("作业检查得分", "听评课", "成绩平均分", "成绩变化"):
        shown = panel(grade, name)
        figure = panel_figure(shown)
        try:
            axes = figure.axes[0]
            colours: dict[str, str] = {}
            if shown.class_bars:  # one bar per class: the tick under the bar names it
                ticks = {round(t): label.get_text() for t, label in
                         zip(axes.get_xticks(), axes.get_xticklabels(), strict=True)}  # fmt: skip
                (bars,) = axes.containers
                for patch in bars.patches:
                    centre = round(patch.get_x() + patch.get_width() / 2)
                    colours[ticks[centre]] = to_hex(patch.get_facecolor())
            else:  # one series per class: the legend names each, and its bars agree
                (legend,) = figure.legends
                labels = [t.get_text() for t in legend.get_texts()]
                for label, handle, bars in zip(
                    labels, legend.legend_handles, axes.containers, strict=True
                ):
                    faces = {to_hex(p.get_facecolor()) for p in bars.patches}
                    assert faces == {to_hex(handle.get_facecolor())}, (name, label)
                    colours[label] = faces.pop()
        finally:
            plt.close(figure)
        seen[name] = colours
    assert "四(2)班" in seen["作业检查得分"] and "四(2)班" in seen["成绩平均分"]
    for label in ("四(1)班", "四(2)班"):
        assert len({colours[label] for colours in seen.values()}) == 1, (label, seen)
    first = seen["成绩平均分"]
    assert len({first["四(1)班"], first["四(2)班"], first["四(3)班"], first["全年级"]}) == 4
    assert first["全年级"] == "#404040"  # the grade in dark grey, as 口径说明 says


# =========================================================================== 6. the deck


def slide_texts(slide) -> list[str]:
    return [
        p.text
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.text
    ]


def test_grade_deck(term: Term) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    grade = term.grade_month(4)
    slides = list(Presentation(str(term.monthly_dir / "四年级学情研判.pptx")).slides)
    assert slide_texts(slides[0])[:2] == ["四年级学情研判", "2026年5月 · 博山区实验小学"]
    charts = sorted((term.monthly_dir / "图表").glob("四年级*.png"))
    assert len(charts) == len(grade.panels) == 6
    for slide, shown, png in zip(slides[1:], grade.panels, charts, strict=False):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0].image.blob == png.read_bytes()
        assert png.name.endswith(f"_{shown.name}.png")
        assert slide_texts(slide) == [shown.heading, shown.finding]
    rest = slides[1 + len(grade.panels) :]
    assert rest and all(slide_texts(s)[0].startswith("需关注") for s in rest)
    assert slide_texts(rest[0])[0] == "需关注"
    listed = [text for slide in rest for text in slide_texts(slide)[1:]]
    overdue = overdue_points(term, 4)
    assert len(overdue) == 7
    for _, row in overdue.iterrows():
        item = (
            f"{class_label(4, int(row['班级']))} {row['学科']}“{row['知识点']}”："
            f"逾期 {int(row['逾期天数'])} 天（{row['责任教师']}）"
        )
        assert item in listed
    # The deck lists what the workbook's 需关注 sheet lists, item for item.
    ws = load_workbook(term.monthly_dir / "四年级学情研判.xlsx", read_only=True)["需关注"]
    sheet = rows_from(ws, 3)
    items = [i for i in sheet["事项"] if i != "无"]
    assert [t for t in listed if not t.startswith(tuple(sheet["类别"]))] == items


def test_grade_workbook_title_names_the_grade_once(term: Term) -> None:
    ws = load_workbook(term.monthly_dir / "四年级学情研判.xlsx", read_only=True)["概览"]
    title = next(ws.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True))[0]
    assert title.count("四年级") == 1, title


# =========================================================================== 7. corrupt file


def test_both_commands_succeed_despite_the_corrupt_file(term: Term) -> None:
    assert (term.monthly_rc, term.term_rc) == (0, 0)
    assert (term.monthly_dir / "全校学情研判.xlsx").is_file()
    assert (term.term_dir / "期末质量分析.xlsx").is_file()


@pytest.mark.parametrize(
    "book", ["月度学情研判/全校学情研判.xlsx", "期末质量分析/期末质量分析.xlsx"]
)
def test_data_problems_sheet_lists_corrupt_file_and_planted_errors(term: Term, book: str) -> None:
    ws = load_workbook(term.root / book, read_only=True)["数据问题"]
    sheet = rows_from(ws, 3)
    errors = sheet[sheet["类别"] == "错误"]
    located = set(zip(errors["文件"], errors["工作表"], errors["单元格"], strict=True))
    assert (CORRUPT_FILE, "", "") in {(f, s or "", c or "") for f, s, c in located}
    assert len(term.truth.dirty) == 4
    for cell in term.truth.dirty:
        assert (f"作业检查/{cell.file}", cell.sheet, cell.cell) in located, cell
    assert len(errors) == 1 + len(term.truth.dirty)  # nothing else in the sample is an error


def test_planted_error_rows_are_not_counted(term: Term) -> None:
    table = term.data.records["homework"]
    frame, valid = table.frame, table.valid
    for cell in term.truth.dirty:
        row = int(re.sub(r"\D", "", cell.cell))
        key = (
            (frame["文件"] == f"作业检查/{cell.file}")
            & (frame["工作表"] == cell.sheet)
            & (frame["行"] == row)
        )
        assert key.sum() == 1, cell
        assert not (
            (valid["文件"] == f"作业检查/{cell.file}")
            & (valid["工作表"] == cell.sheet)
            & (valid["行"] == row)
        ).any(), cell
    planted = {(c.file, c.sheet, re.sub(r"\D", "", c.cell)) for c in term.truth.dirty}
    summaries = [
        p for p in term.data.problems if p.code == "row.summary" and p.file.startswith("作业检查/")
    ]
    totals = table.row_totals()
    assert totals["计入"] == len(valid) == len(frame) - len(planted)
    assert totals["跳过"] == len(planted) + len(summaries)
    assert totals["计入"] + totals["跳过"] == totals["读取"]
    # All four planted rows are in 三年级 sheets: the term counts the rest of them.
    third = frame[frame["工作表"] == "三年级"]
    assert term.grade_term(3).routine.inspections == len(third) - len(planted)


def test_row_totals_add_up_in_both_packs(term: Term) -> None:
    ws = load_workbook(term.term_dir / "期末质量分析.xlsx", read_only=True)["概览"]
    totals = block(ws, "行数核对").set_index("数据")
    assert (totals["计入行数"] + totals["跳过行数"] == totals["读取行数"]).all()
    homework = term.data.records["homework"]
    assert totals.loc["作业检查", "计入行数"] == len(homework.valid)
    assert totals.loc["成绩（期末）", "计入行数"] == len(term.exams["期末"].truth)
    ws = load_workbook(term.monthly_dir / "全校学情研判.xlsx", read_only=True)["口径说明"]
    text = rows_from(ws, 3).set_index("指标").loc["行数核对", "本次取值"]
    found = [re.fullmatch(r"(\S+) 读取 (\d+)，计入 (\d+)，跳过 (\d+)", t) for t in text.split("；")]
    assert all(found), text
    found = [m.groups() for m in found]
    assert len(found) == len(totals)
    for name, read, counted, skipped in found:
        assert int(counted) + int(skipped) == int(read), name
        assert (int(read), int(counted)) == tuple(totals.loc[name, ["读取行数", "计入行数"]])


# =========================================================================== 8. CLI


def grade4_exam_folders(term: Term) -> list[str]:
    return [str(term.folder / "成绩" / exam / "四年级") for exam in ("3月月考", "期中", "期末")]


def test_term_without_a_config_has_no_teacher_view(term: Term, tmp_path: Path) -> None:
    # No 任课 sheet, so no teacher can be placed: the analysis is still written, without 教师.
    out = tmp_path / "无配置"
    assert main(["term", *grade4_exam_folders(term), "-o", str(out), "-q"]) == 0
    wb = load_workbook(out / "期末质量分析.xlsx", read_only=True)
    assert "四年级" in wb.sheetnames and "教师" not in wb.sheetnames


def test_term_exam_and_previous_flags(term: Term, tmp_path: Path) -> None:
    out = tmp_path / "期中分析"
    args = ["term", *grade4_exam_folders(term), "--exam", "期中", "--previous", "3月月考"]
    assert main([*args, "-o", str(out), "-c", str(term.config_path), "-q"]) == 0
    assert (out / "四年级期中质量分析报告.docx").is_file()
    ws = load_workbook(out / "期中质量分析.xlsx", read_only=True)["四年级"]
    means, _ = truth_means(term.exams["期中"], 4)
    before, _ = truth_means(term.exams["3月月考"], 4)
    for subject in SUBJECTS_BY_GRADE[4]:
        table = block(ws, f"{subject}：各班成绩").set_index("班级")["平均分"]
        changes = block(ws, f"{subject}：较上次变化").set_index("班级")["平均分变化"]
        for number in (1, 2, 3):
            label = class_label(4, number)
            assert table[label] == pytest.approx(means.loc[number, subject])
            assert changes[label] == pytest.approx(
                means.loc[number, subject] - before.loc[number, subject]
            )


def test_term_unknown_exam_exits_1(
    term: Term, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["term", *grade4_exam_folders(term), "--exam", "不存在", "-o", str(out)]
    assert main([*args, "-c", str(term.config_path), "-q"]) == 1
    message = "".join(capsys.readouterr().err.split())
    assert "没有找到“不存在”的成绩" in message
    assert "找到的考试：3月月考、期中、期末" in message
    assert not out.exists()


def test_term_pdf_without_libreoffice_exits_2(
    term: Term, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import toolkit.render.documents.pdf

    monkeypatch.setattr(toolkit.render.documents.pdf, "find_soffice", lambda: None)
    out = tmp_path / "out"
    args = ["term", str(term.folder / "成绩" / "期末" / "四年级"), "-o", str(out), "--pdf"]
    assert main([*args, "-c", str(term.config_path), "-q"]) == 2
    assert "未找到LibreOffice" in "".join(capsys.readouterr().err.split())
    assert not list(out.glob("*.pdf"))


def small_term(term: Term, folder: Path) -> Path:
    """Grade 4's 期中 scores and its weak-point ledger: enough for a one-grade pack."""
    shutil.copytree(term.folder / "成绩" / "期中" / "四年级", folder / "成绩" / "期中")
    shutil.copy(term.folder / "薄弱点台账" / "四年级薄弱点台账.xlsx", folder)
    return folder


def test_monthly_written_into_its_own_input_folder_runs_twice(term: Term, tmp_path: Path) -> None:
    folder = small_term(term, tmp_path / "学期")
    inputs = file_hashes(folder)
    args = ["monthly", str(folder), "--month", MONTH, "-o", str(folder)]
    assert main([*args, "-c", str(term.config_path), "-q"]) == 0
    books = ["全校学情研判.xlsx", "四年级学情研判.xlsx"]
    assert all((folder / name).is_file() for name in [*books, "四年级学情研判.pptx"])
    first = block(
        load_workbook(folder / books[1], read_only=True)["概览"], "薄弱点台账：本月新增、销号与逾期"
    )
    assert main([*args, "-c", str(term.config_path), "-q"]) == 0
    after = file_hashes(folder)
    assert {k: after[k] for k in inputs} == inputs  # no input was touched
    wb = load_workbook(folder / books[0], read_only=True)
    found = rows_from(wb["识别结果"], 3).set_index("文件")
    for name in books:
        assert found.loc[name, "类型"] == "xueqing 报告"
        assert found.loc[name, "记录"] == 0
    assert found.loc["四年级薄弱点台账.xlsx", "类型"] == "薄弱点台账"
    # The second pack counts the same records: the first pack's books were not read as data.
    second = block(
        load_workbook(folder / books[1], read_only=True)["概览"], "薄弱点台账：本月新增、销号与逾期"
    )
    pd.testing.assert_frame_equal(first, second)


def test_monthly_refuses_to_write_over_an_input(
    term: Term, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = small_term(term, tmp_path / "学期")
    # A real ledger that happens to carry the name of the pack's school workbook.
    shutil.copy(folder / "四年级薄弱点台账.xlsx", folder / "全校学情研判.xlsx")
    inputs = file_hashes(folder)
    args = ["monthly", str(folder), "--month", MONTH, "-o", str(folder)]
    assert main([*args, "-c", str(term.config_path), "-q"]) == 2
    assert "输出文件不能与输入文件相同" in "".join(capsys.readouterr().err.split())
    assert file_hashes(folder) == inputs


# =========================================================================== 9. the Word file


def test_term_docx_has_east_asian_fonts_and_embeds_its_charts(term: Term) -> None:
    path = term.term_dir / "四年级期末质量分析报告.docx"
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode("utf-8")
        styles = z.read("word/styles.xml").decode("utf-8")
        media = sorted(z.read(n) for n in z.namelist() if n.startswith("word/media/"))
    for xml in (document, styles):
        fonts = re.findall(r'<w:rFonts\b[^>]*\bw:eastAsia="([^"]+)"', xml)
        assert fonts and all(re.search(r"[\u4e00-\u9fff]", f) for f in fonts), fonts
    charts = sorted((term.term_dir / "图表").glob("四年级*.png"))
    assert len(charts) == len(term.grade_term(4).panels) >= 2
    assert document.count("<wp:inline") == len(charts)
    assert media == sorted(p.read_bytes() for p in charts)


def test_the_word_report_ends_with_the_terms_definitions(term: Term) -> None:
    # The appendix is the term's 口径 table (pack/definitions.py) with this run's values, the
    # same rows as the workbook's 口径说明 after its 数据来源 rows.
    from docx import Document

    from toolkit.pack.definitions import TERM_DEFINITIONS

    doc = Document(str(term.term_dir / "四年级期末质量分析报告.docx"))
    assert "附：口径说明" in [p.text for p in doc.paragraphs]
    rows = [[cell.text for cell in row.cells] for row in doc.tables[-1].rows]
    assert rows[0] == ["指标", "口径（定义）", "本次取值"]
    assert [r[:2] for r in rows[1:]] == [[d.name, d.words] for d in TERM_DEFINITIONS.rows]
    values = {r[0]: r[2] for r in rows[1:]}
    assert values["综合分"] == "权重 0.4、0.3、0.3"  # the demo config's weights
    assert values["本学期常规检查"] == f"截至 {AS_OF}"
    sheet = load_workbook(term.term_dir / "期末质量分析.xlsx", read_only=True)["口径说明"]
    in_book = {r[0]: r[2] or "" for r in sheet.iter_rows(values_only=True) if r and r[0] in values}
    assert in_book == values
