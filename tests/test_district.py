"""A district's input (issue 7): several schools, each with the same class numbers.

Every expected number is worked out in the test (by hand in comments, or with plain Python
from the scores written here), never with toolkit.scores.metrics or toolkit.items.metrics.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from builders import student

from toolkit.config.model import SchoolConfig
from toolkit.items.report import analyze_items
from toolkit.render.workbooks import score_workbook
from toolkit.render.workbooks.item_workbook import write_item_workbook
from toolkit.render.workbooks.score_workbook import SUMMARY_SHEET_COLUMNS, write_score_workbook
from toolkit.scores.metrics import class_summary, school_summary, scored_marks
from toolkit.scores.read import MARK_COLUMNS, STUDENT_COLUMNS
from toolkit.scores.report import analyze

ABSENT = "缺考"
TODAY = dt.date(2026, 6, 30)
HEADER_ROW = 3  # title, subtitle, header (1-based)

# Grade 4 语文 of three schools, two classes each (缺考 counts as listed, not as sat). Named so
# that name order (第10 before 第1) and number order differ: schools are listed by number.
SCHOOL_1, SCHOOL_2, SCHOOL_10 = "第1小学", "第2小学", "第10小学"
CHINESE: dict[str, dict[int, list[float | str]]] = {
    SCHOOL_1: {1: [95, 85, 70], 2: [60, 50, ABSENT]},
    SCHOOL_2: {1: [90, 90], 2: [80, 75, 40]},
    SCHOOL_10: {1: [100, 30], 2: [65]},
}
# 数学, the same students in the same order (for the workbook runs: two subjects).
MATHS: dict[str, dict[int, list[float | str]]] = {
    SCHOOL_1: {1: [88, 92, 61], 2: [45, 73, 99]},
    SCHOOL_2: {1: [100, 58], 2: [66, 77, 90]},
    SCHOOL_10: {1: [81, 79], 2: [93]},
}
SCHOOLS = [SCHOOL_1, SCHOOL_2, SCHOOL_10]


def valid(scores: Sequence[float | str]) -> list[float]:
    return [float(s) for s in scores if not isinstance(s, str)]


def school_scores(data: Mapping[str, Mapping[int, Sequence[float | str]]], school: str) -> list:
    return [s for scores in data[school].values() for s in scores]


def build(
    data: Mapping[str, Mapping[int, Sequence[float | str]]], subject: str = "语文"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``students`` and ``marks`` shaped like the score reader's, one school per key."""
    students, marks = [], []
    for school, classes in data.items():
        for cls, scores in classes.items():
            for raw in scores:
                sid = len(students)
                row = (school, *student(4, cls, "", f"{school}{cls}班{sid}", file="f", row=sid)[1:])
                students.append(row)
                status = "absent" if raw == ABSENT else "valid"
                score = math.nan if raw == ABSENT else float(raw)
                marks.append((sid, subject, score, status, "", raw, 100.0, "config", f"E{sid}", ""))
    frame = pd.DataFrame(students, columns=STUDENT_COLUMNS)
    frame.index.name = "sid"
    return frame, pd.DataFrame(marks, columns=MARK_COLUMNS)


def compare(data: Mapping[str, Mapping[int, Sequence[float | str]]], config: SchoolConfig) -> Any:
    students, marks = build(data)
    return school_summary(scored_marks(students, marks, config), config)


def row_of(frame: pd.DataFrame, school: str, subject: str = "语文") -> pd.Series:
    found = frame[(frame["学校"] == school) & (frame["学科"] == subject)]
    assert len(found) == 1
    return found.iloc[0]


# --------------------------------------------------------------------------------------------
# school_summary


def test_each_school_over_all_its_students_of_the_grade() -> None:
    table = compare(CHINESE, SchoolConfig())
    # 第1小学: 95 85 70 60 50 (+1 缺考) → mean 72, 优秀 1/5, 及格 4/5
    #   综合分 = 0.4 × 72 + 0.3 × 80 + 0.3 × 20 = 58.8
    # 第2小学: 90 90 80 75 40 → mean 75, 优秀 2/5, 及格 4/5: 0.4 × 75 + 24 + 12 = 66
    # 第10小学: 100 30 65 → mean 65, 优秀 1/3, 及格 2/3: 26 + 20 + 10 = 56
    expected = {
        SCHOOL_1: (6, 5, 1, 72, 0.2, 0.8, 58.8, 0),
        SCHOOL_2: (5, 5, 0, 75, 0.4, 0.8, 66.0, 0),  # 40 is not under 40
        SCHOOL_10: (3, 3, 0, 65, 1 / 3, 2 / 3, 56.0, 1),
    }
    for school, (listed, sat, absent, mean, excellent, passing, composite, low) in expected.items():
        row = row_of(table, school)
        assert (row["应考人数"], row["实考人数"], row["缺考人数"]) == (listed, sat, absent)
        assert row["平均分"] == pytest.approx(mean)
        assert row["优秀率"] == pytest.approx(excellent)
        assert row["及格率"] == pytest.approx(passing)
        assert row["低分人数"] == low
        assert row["综合分"] == pytest.approx(composite)
        scores = valid(school_scores(CHINESE, school))
        assert row["标准差"] == pytest.approx(statistics.pstdev(scores))
        assert (row["最高分"], row["最低分"]) == (max(scores), min(scores))
    # 名次 among the schools by 综合分: 66 > 58.8 > 56
    assert [row_of(table, s)["名次"] for s in SCHOOLS] == [2, 1, 3]


def test_district_row_and_above_mean_rate() -> None:
    table = compare(CHINESE, SchoolConfig())
    everyone = [s for school in SCHOOLS for s in valid(school_scores(CHINESE, school))]
    district_mean = sum(everyone) / len(everyone)  # 930 / 13
    district = row_of(table, "全区")
    assert district["平均分"] == pytest.approx(district_mean)
    assert (district["应考人数"], district["实考人数"], district["缺考人数"]) == (14, 13, 1)
    assert district["及格率"] == pytest.approx(sum(s >= 60 for s in everyone) / 13)
    assert pd.isna(district["名次"]) and pd.isna(district["超均率"])
    for school, mean in ((SCHOOL_1, 72), (SCHOOL_2, 75), (SCHOOL_10, 65)):
        rate = row_of(table, school)["超均率"]
        assert rate == pytest.approx((mean - district_mean) / district_mean)


def test_schools_listed_by_number_then_the_district() -> None:
    table = compare(CHINESE, SchoolConfig())
    assert list(table["学校"]) == [*SCHOOLS, "全区"]
    assert "班级" not in table.columns
    # The class summary lists the schools alike, each school's classes then its grade row.
    students, marks = build(CHINESE)
    summary = class_summary(scored_marks(students, marks, SchoolConfig()), SchoolConfig())
    assert list(dict.fromkeys(summary["学校"])) == SCHOOLS


@pytest.mark.parametrize(("dense", "ranks"), [(False, [1, 1, 3]), (True, [1, 1, 2])])
def test_tied_schools_share_a_rank(dense: bool, ranks: list[int]) -> None:
    tied = {
        SCHOOL_1: {1: [90, 70]},
        SCHOOL_2: {1: [70], 2: [90]},  # the same scores in other classes: the same 综合分
        SCHOOL_10: {1: [50, 60]},
    }
    table = compare(tied, SchoolConfig(dense_rank=dense))
    assert [row_of(table, s)["名次"] for s in SCHOOLS] == ranks


def test_same_named_classes_of_different_schools_stay_apart() -> None:
    students, marks = build(CHINESE)
    summary = class_summary(scored_marks(students, marks, SchoolConfig()), SchoolConfig())
    first_classes = summary[summary["班级"] == 1]
    assert list(first_classes["学校"]) == SCHOOLS
    for school, row in zip(SCHOOLS, first_classes.itertuples(), strict=True):
        scores = valid(CHINESE[school][1])
        assert row.平均分 == pytest.approx(sum(scores) / len(scores))
    # each school's grade row is its own students only (超均率 and 名次 within the school)
    grade_rows = summary[summary["班级"].isna()]
    assert list(grade_rows["学校"]) == SCHOOLS
    assert grade_rows.iloc[0]["平均分"] == pytest.approx(72)


# --------------------------------------------------------------------------------------------
# The score workbook


def write_scores(folder: Path, schools: Sequence[str], *, school_column: bool = True) -> list[Path]:
    """A file per school: 学校 | 班级 | 学号 | 姓名 | 语文 | 数学 (学校 optional)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for school in schools:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append([f"{school}四年级成绩"])
        ws.append([*(["学校"] if school_column else []), "班级", "学号", "姓名", "语文", "数学"])
        for cls, scores in CHINESE[school].items():
            for k, (chinese, maths) in enumerate(zip(scores, MATHS[school][cls], strict=True)):
                school_cell = [school] if school_column else []
                ws.append(
                    [*school_cell, f"四({cls})班", f"{cls}{k:02d}", f"学生{cls}{k}", chinese, maths]
                )
        path = folder / f"{school}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths


def run_scores(inputs: Sequence[Path], out: Path) -> Path:
    report = analyze(inputs)
    assert report.problems.errors == [], list(report.problems)
    assert report.analysed
    return write_score_workbook(report, out)


def sheet_rows(path: Path, name: str) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook[name].iter_rows(values_only=True))
    workbook.close()
    return rows


def table_rows(path: Path, name: str) -> list[dict[str, Any]]:
    rows = sheet_rows(path, name)[HEADER_ROW - 1 :]
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def district_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("district")
    return run_scores(write_scores(root / "全区", SCHOOLS), root / "成绩分析.xlsx")


def test_school_sheet_follows_the_class_summary(district_book: Path) -> None:
    workbook = openpyxl.load_workbook(district_book)
    assert workbook.sheetnames[:4] == ["班级汇总", "学校对比", "等级分布", "四年级图表"]
    sheet = workbook["学校对比"]
    assert sheet.freeze_panes == "D4"
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header == ["学校", *(c for c in SUMMARY_SHEET_COLUMNS if c != "班级")]
    assert workbook["班级汇总"][HEADER_ROW][0].value == "学校"
    bold = {row[0].value: row[0].font.b for row in sheet.iter_rows(min_row=HEADER_ROW + 1)}
    assert bold == {SCHOOL_1: False, SCHOOL_2: False, SCHOOL_10: False, "全区": True}
    workbook.close()


def test_school_sheet_values(district_book: Path) -> None:
    rows = table_rows(district_book, "学校对比")
    assert [(r["学校"], r["学科"]) for r in rows] == [
        *((s, "语文") for s in [*SCHOOLS, "全区"]),
        *((s, "数学") for s in [*SCHOOLS, "全区"]),
    ]
    chinese = {r["学校"]: r for r in rows if r["学科"] == "语文"}
    assert [chinese[s]["平均分"] for s in SCHOOLS] == pytest.approx([72, 75, 65])
    assert [chinese[s]["综合分"] for s in SCHOOLS] == pytest.approx([58.8, 66, 56])
    assert [chinese[s]["名次"] for s in SCHOOLS] == [2, 1, 3]
    everyone = [s for school in SCHOOLS for s in valid(school_scores(MATHS, school))]
    maths = {r["学校"]: r for r in rows if r["学科"] == "数学"}
    assert maths["全区"]["平均分"] == pytest.approx(statistics.fmean(everyone))
    assert maths["全区"]["名次"] is None
    own = valid(school_scores(MATHS, SCHOOL_2))  # 100 58 66 77 90
    assert maths[SCHOOL_2]["及格率"] == pytest.approx(4 / 5)
    assert maths[SCHOOL_2]["超均率"] == pytest.approx(
        (statistics.fmean(own) - statistics.fmean(everyone)) / statistics.fmean(everyone)
    )


def test_class_summary_keeps_each_schools_class_one(district_book: Path) -> None:
    rows = table_rows(district_book, "班级汇总")
    first = [r for r in rows if r["班级"] == "四(1)班" and r["学科"] == "语文"]
    assert [r["学校"] for r in first] == SCHOOLS
    assert [r["平均分"] for r in first] == pytest.approx([250 / 3, 90, 65])


def chart_categories(path: Path, sheet: str) -> list[tuple[str, list[Any]]]:
    """(barDir, category cells) of every chart drawn from ``sheet``, in chart order."""
    values = sheet_rows(path, sheet)
    found = []
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.findall(r"\d+", n)[0]),
        )
        for name in names:
            xml = archive.read(name).decode()
            ref = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", xml, re.S)
            assert ref is not None
            where, cells = ref.group(1).rsplit("!", 1)
            if where.strip("'") != sheet:
                continue
            first, last = cells.replace("$", "").split(":")
            col = ord(first[0]) - ord("A")
            rows = range(int(first[1:]), int(last[1:]) + 1)
            direction = re.search(r'<c:barDir val="(\w+)"/>', xml)
            assert direction is not None
            found.append((direction.group(1), [values[r - 1][col] for r in rows]))
    return found


def test_grade_chart_compares_schools(district_book: Path) -> None:
    charts = chart_categories(district_book, "四年级图表")
    assert len(charts) == 1 + 2 + 2  # averages, then per subject the rates and the levels
    for direction, categories in charts:
        assert direction == "bar"  # horizontal: room for school names
        assert categories == SCHOOLS  # 全区 in the table, not on the chart
    rows = sheet_rows(district_book, "四年级图表")
    assert rows[3][:3] == ("学校", "语文", "数学")
    assert [r[0] for r in rows[4:8]] == [*SCHOOLS, "全区"]
    assert rows[4][1] == pytest.approx(72) and rows[7][1] == pytest.approx(930 / 13)


def test_constant_memory_mode_keeps_every_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, district_book: Path
) -> None:
    # A district past LARGE_SHEET_ROWS students streams every sheet row by row: a cell written
    # out of order would be lost. Forced here on the small district.
    monkeypatch.setattr(score_workbook, "LARGE_SHEET_ROWS", 0)
    streamed = run_scores(write_scores(tmp_path / "全区", SCHOOLS), tmp_path / "out.xlsx")
    for sheet in ("学校对比", "四年级图表", "班级汇总"):
        assert sheet_rows(streamed, sheet) == sheet_rows(district_book, sheet)


def test_definitions_explain_the_school_comparison(district_book: Path) -> None:
    terms = [r[0] for r in sheet_rows(district_book, "口径说明")]
    assert {"学校对比", "超均率（学校对比）", "名次（学校对比）"} <= set(terms)


def test_one_school_looks_exactly_as_before(tmp_path: Path) -> None:
    # The same school with and without a 学校 column: the same workbook, cell for cell, and
    # the one-school layout (no 学校 column, no 学校对比 sheet, classes on the charts).
    with_column = run_scores(write_scores(tmp_path / "a", [SCHOOL_1]), tmp_path / "with.xlsx")
    without = run_scores(
        write_scores(tmp_path / "b", [SCHOOL_1], school_column=False), tmp_path / "without.xlsx"
    )
    book = openpyxl.load_workbook(with_column)
    names = book.sheetnames
    book.close()
    assert names == [
        "班级汇总",
        "等级分布",
        "四年级图表",
        "学生成绩",
        "分数段",
        "临界生",
        "关爱学生",
        "口径说明",
        "_xueqing",
    ]
    assert names == openpyxl.load_workbook(without).sheetnames
    for name in names:
        assert sheet_rows(with_column, name) == sheet_rows(without, name), name
    assert list(sheet_rows(with_column, "班级汇总")[HEADER_ROW - 1]) == SUMMARY_SHEET_COLUMNS
    terms = {r[0] for r in sheet_rows(with_column, "口径说明")}
    assert "学校对比" not in terms
    charts = chart_categories(with_column, "四年级图表")
    assert charts == [("col", ["四(1)班", "四(2)班"])] * (1 + 2 + 2)  # means; rates, levels


# --------------------------------------------------------------------------------------------
# 小题分 of several schools

# Two items: 1 (4 marks, 计算) and 2 (6 marks, 应用题). Both schools have a 四(1)班.
ITEM_SCORES: dict[str, dict[int, list[tuple[int, int]]]] = {
    SCHOOL_1: {1: [(4, 6), (2, 3)], 2: [(1, 2)]},
    SCHOOL_2: {1: [(1, 6), (0, 3), (4, 4)]},
}
ITEM_FULL = (4, 6)


def write_items(path: Path, schools: Sequence[str], *, school_column: bool = True) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["四年级数学期末小题分"])
    ws.append(["学科", "数学", "考试", "期末", "年级", "四年级"])
    lead = ["学校"] if school_column else []
    ws.append([*lead, "班级", "学号", "姓名", "1", "2"])
    ws.append([*([None] * len(lead)), "满分", None, None, *ITEM_FULL])
    ws.append([*([None] * len(lead)), "知识点", None, None, "计算", "应用题"])
    for school in schools:
        for cls, students in ITEM_SCORES[school].items():
            for k, marks in enumerate(students):
                cells = [school] if school_column else []
                ws.append([*cells, f"四({cls})班", f"{school}{cls}{k}", f"学生{cls}{k}", *marks])
    wb.save(path)


def rate(students: Sequence[tuple[int, int]], item: int) -> float:
    return sum(s[item] for s in students) / len(students) / ITEM_FULL[item]


def test_items_keep_same_named_classes_apart(tmp_path: Path) -> None:
    source = tmp_path / "小题分.xlsx"
    write_items(source, [SCHOOL_1, SCHOOL_2])
    report = analyze_items([source], today=TODAY)
    assert report.problems.errors == []
    analysis = report.analysis
    assert analysis is not None and analysis.schools == [SCHOOL_1, SCHOOL_2]
    out = write_item_workbook(report, tmp_path / "试题分析.xlsx")
    rows = table_rows(out, "各班小题得分率")
    labels = ["第1小学 四(1)班", "第1小学 四(2)班", "第2小学 四(1)班"]
    assert list(rows[0])[6:] == [SCHOOL_1, SCHOOL_2, "全区得分率", *labels]
    everyone = [s for school in ITEM_SCORES.values() for c in school.values() for s in c]
    school_1 = [s for c in ITEM_SCORES[SCHOOL_1].values() for s in c]
    for item, row in enumerate(rows):
        assert row["题号"] == str(item + 1)
        # 第1小学 四(1)班: (4 + 2) / 2 / 4 = 0.75 and (6 + 3) / 2 / 6 = 0.75;
        # 第2小学 四(1)班: (1 + 0 + 4) / 3 / 4 = 5/12 and (6 + 3 + 4) / 3 / 6 = 13/18
        assert row["第1小学 四(1)班"] == pytest.approx([0.75, 0.75][item])
        assert row["第2小学 四(1)班"] == pytest.approx([5 / 12, 13 / 18][item])
        assert row["第1小学 四(2)班"] == pytest.approx(rate(ITEM_SCORES[SCHOOL_1][2], item))
        assert row[SCHOOL_1] == pytest.approx(rate(school_1, item))  # 7/12, 11/18
        assert row[SCHOOL_2] == pytest.approx(rate(ITEM_SCORES[SCHOOL_2][1], item))
        assert row["全区得分率"] == pytest.approx(rate(everyone, item))  # 1/2, 2/3
    points = {r["知识点"]: r for r in table_rows(out, "知识点得分率")}
    assert points["计算"]["第2小学 四(1)班"] == pytest.approx(5 / 12)
    assert points["应用题"][SCHOOL_1] == pytest.approx(11 / 18)
    # Suggested weak points: under 60% (四(2)班 25% and 33%, 第2小学 四(1)班 计算 42%); each
    # class is compared with its own school's grade, and named with its school.
    suggested = {
        (r["学校"], int(r["班级"]), r["知识点"]) for _, r in analysis.suggestions.iterrows()
    }
    assert suggested == {(SCHOOL_1, 2, "计算"), (SCHOOL_1, 2, "应用题"), (SCHOOL_2, 1, "计算")}
    assert all(r.startswith("期末第") for r in analysis.suggestions["问题表现"])
    assert any(SCHOOL_2 in text for text in analysis.suggestions["问题表现"])


def test_items_of_one_school_look_as_before(tmp_path: Path) -> None:
    books = []
    for school_column in (True, False):
        source = tmp_path / f"{school_column}" / "小题分.xlsx"
        source.parent.mkdir()
        write_items(source, [SCHOOL_1], school_column=school_column)
        report = analyze_items([source], today=TODAY)
        assert report.analysis is not None and not report.analysis.multi_school
        books.append(write_item_workbook(report, source.parent / "试题分析.xlsx"))
    header = list(table_rows(books[0], "各班小题得分率")[0])
    assert header[6:] == ["四(1)班", "四(2)班", "年级得分率"]
    names = openpyxl.load_workbook(books[0]).sheetnames
    for name in names:
        if name != "口径说明":  # names the input file, which differs
            assert sheet_rows(books[0], name) == sheet_rows(books[1], name), name
