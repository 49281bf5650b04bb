"""乐考 (grades 1–2): sheets filled the way teachers fill them — wide, a sheet per class named
一(1)班 or 1.2, a title row, stars typed, a blank cell, a bad mark, a GBK CSV — read into one record
per student × 项目; the level counts are checked against a count made here by hand, the 学科总评
rule on hand-worked students, the long form against the wide, the template round trip, the
workbook (no 名次, pupils' sheets marked internal) and the term pack's section."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from tests.template_fill import fill_rows, header_columns
from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import LekaoStation, RosterEntry, SchoolConfig
from toolkit.config.read import load_config
from toolkit.kinds.recognise import Recognised, recognise
from toolkit.kinds.report import analyze_records
from toolkit.lekao.metrics import LekaoSummary, level_of
from toolkit.reading.discover import InputFile
from toolkit.reading.workbook import MARKER_SHEET
from toolkit.render.templates.write import write_templates
from toolkit.render.workbooks.config_template import write_config_template

# The school's own stations for 一年级 (二年级 keeps the defaults): three 语文, a 星级 and a 过关.
GRADE1 = [
    LekaoStation(1, "拼音小达人", "语文"),
    LekaoStation(1, "识字大闯关", "语文"),
    LekaoStation(1, "朗读小明星", "语文"),
    LekaoStation(1, "口算小能手", "数学", "星级"),
    LekaoStation(1, "数学游园", "数学", "过关"),
    LekaoStation(1, "生活小能手", "综合"),
]
G1 = [s.name for s in GRADE1]
G2 = ["朗读小明星", "识字大闯关", "口算小能手", "数学游园", "生活小能手"]  # the defaults

# What teachers typed: (grade, class, 学号, 姓名) → the marks in the stations' order.
TYPED: dict[tuple[int, int, str, str], list[object]] = {
    (1, 1, "101", "张子涵"): ["优秀", "良好", "合格", "★★★", "过关", "优秀"],
    (1, 1, "102", "李明轩"): ["优", "B", "☆☆", "★★", "未过关", None],
    (1, 1, "103", "王一诺"): ["良好", "优+", "待提高", "3星", "过关", "良好"],
    (1, 1, "104", "赵子轩"): [None, None, None, None, None, None],
    (1, 2, "201", "陈思远"): ["合格", "合格", "待合格", "★", "未过关", "合格"],
    (1, 2, "202", "刘雨桐"): ["Ａ", "优秀", "良好", "★★", "过关", "优秀"],
    (2, 1, "301", "孙浩然"): ["优秀", "良好", "优秀", "良好", "合格"],
    (2, 1, "302", "周欣怡"): ["合格", "待合格", "良好", None, "优秀"],
}
# Each spelling as a level, written out here apart from the code (星级, 过关 counted in levels).
AS_LEVEL = {
    "优秀": "优秀", "良好": "良好", "合格": "合格", "待合格": "待合格", "优": "优秀",
    "B": "良好", "Ａ": "优秀", "待提高": "待合格", "★★★": "优秀", "3星": "优秀", "★★": "良好",
    "☆☆": "良好", "★": "合格", "过关": "合格", "未过关": "待合格",
}  # fmt: skip
BAD = "优+"
# 学科总评 worked by hand (优秀 4 良好 3 合格 2 待合格 1; ≥3.5 优秀, ≥2.5 良好, ≥1.5 合格).
OVERALL = {
    "张子涵": {"语文": "良好", "数学": "良好", "综合": "优秀"},  # 4,3,2 → 3.0; 4,2 → 3.0
    "李明轩": {"语文": "良好", "数学": "合格", "综合": "未测"},  # 4,3,3 → 3.33; 3,1 → 2.0
    "王一诺": {"语文": "合格", "数学": "良好", "综合": "良好"},  # 3,(优+),1 → 2.0; 4,2 → 3.0
    "赵子轩": {"语文": "未测", "数学": "未测", "综合": "未测"},
    "陈思远": {"语文": "合格", "数学": "合格", "综合": "合格"},  # 2,2,1 → 1.67; 2,1 → 1.5
    "刘雨桐": {"语文": "优秀", "数学": "良好", "综合": "优秀"},  # 4,4,3 → 3.67; 3,2 → 2.5
    "孙浩然": {"语文": "优秀", "数学": "优秀", "综合": "合格"},  # 4,3 → 3.5; 4,3 → 3.5
    "周欣怡": {"语文": "合格", "数学": "良好", "综合": "优秀"},  # 2,1 → 1.5; 3,(未测) → 3
}
LEVELS = ["优秀", "良好", "合格", "待合格"]


def stations_of(grade: int) -> list[str]:
    return G1 if grade == 1 else G2


def write_config(folder: Path, roster: list[RosterEntry] | None = None) -> Path:
    config = SchoolConfig(school="实验小学", lekao_stations=list(GRADE1), roster=roster or [])
    return write_config_template(folder / "学校配置.xlsx", config)


def read_config(path: Path) -> SchoolConfig:
    report = ProblemReport()
    config = load_config(path, report)
    assert report.errors == [], [str(p) for p in report.errors]
    return config


def write_wide(folder: Path) -> Path:
    """一年级 as a workbook (一(1)班 with a title, a 序号 column, a row of marks without a name
    and a 合计 row; a sheet named 1.2), 二(1)班 as a GBK CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "一(1)班"
    ws.append(["一年级（1）班 趣味乐考登记表"])
    ws.append(["序号", "学号", "姓名", *G1])
    n = 0
    for (grade, number, sid, name), marks in TYPED.items():
        if (grade, number) == (1, 1):
            n += 1
            ws.append([n, int(sid), name, *marks])
    ws.append([None, None, None, "优秀", "良好", None, None, None, None])  # marks, no name
    ws.append([None, None, "合计", None, None, None, None, None, None])
    other = book.create_sheet("1.2")
    other.append(["学号", "姓名", *G1])
    for (grade, number, sid, name), marks in TYPED.items():
        if (grade, number) == (1, 2):
            other.append([sid, name, *marks])
    book.save(folder / "一年级乐考.xlsx")
    lines = [",".join(["学号", "姓名", *G2])]
    for (grade, _, sid, name), marks in TYPED.items():
        if grade == 2:
            lines.append(",".join([sid, name, *("" if m is None else str(m) for m in marks)]))
    (folder / "二(1)班乐考.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return folder


def write_long(folder: Path) -> Path:
    """The same marks as one row per student × 项目 (班级 as 一(1)班 / 1.2 / 2班 with 年级)."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["一、二年级乐考结果"])
    ws.append(["年级", "班级", "学号", "姓名", "项目", "等级"])
    for (grade, number, sid, name), marks in TYPED.items():
        for station, mark in zip(stations_of(grade), marks, strict=True):
            klass = {(1, 1): "一(1)班", (1, 2): "1.2", (2, 1): "1班"}[(grade, number)]
            typed_station = "数学游园（数学）" if station == "数学游园" else station
            ws.append(["二年级" if grade == 2 else "", klass, sid, name, typed_station, mark])
    book.save(folder / "乐考结果.xlsx")
    return folder


def expected_counts() -> dict[tuple[int, int | None, str], dict[str, int]]:
    """Per (年级, 班级 or None for 全年级, 项目): students per level and 未测, counted here."""
    counts: dict[tuple[int, int | None, str], Counter[str]] = {}
    for (grade, number, _, _), marks in TYPED.items():
        for station, mark in zip(stations_of(grade), marks, strict=True):
            if mark == BAD:
                continue  # an error: neither a level nor 未测
            level = "未测" if mark is None else AS_LEVEL[str(mark)]
            for key in ((grade, number, station), (grade, None, station)):
                counts.setdefault(key, Counter())[level] += 1
    return {key: {k: c[k] for k in [*LEVELS, "未测"]} for key, c in counts.items()}


@pytest.fixture(scope="module")
def config_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("config"))


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_wide(tmp_path_factory.mktemp("wide") / "乐考")


def analyse(folder: Path, config_path: Path, **options: Any) -> Any:
    return analyze_records("lekao", [folder], config=read_config(config_path), **options)


def summary_of(folder: Path, config_path: Path) -> LekaoSummary:
    report = analyse(folder, config_path, skip_invalid=True)
    assert report.analysed
    return report.summary


# -- the config ---------------------------------------------------------------------------------


def test_the_config_sheet_sets_each_grades_stations_and_the_lines(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["乐考项目"][1]] == ["年级", "项目", "学科", "记分方式"]
    parameters = book["参数"]
    rows = {r[0].value: r for r in parameters.iter_rows(min_row=2)}
    rows["乐考等级线-优秀"][1].value = 3
    sheet = book["乐考项目"]
    sheet.append(["", "跳绳小健将", "综合", "过关"])  # a blank 年级: both grades
    book.save(path)
    config = read_config(path)
    assert config.lekao_excellent == 3 and config.lekao_good == 2.5
    ones = [s for s in config.lekao_stations if s.grade == 1]
    assert [s.name for s in ones] == [*G1, "跳绳小健将"]
    assert ones[3].scoring == "星级" and ones[4].scoring == "过关"
    assert [s.name for s in config.lekao_stations if s.grade == 2] == ["跳绳小健将"]


def test_a_bad_line_and_a_station_named_twice_are_errors_at_their_cells(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    book = openpyxl.load_workbook(path)
    rows = {r[0].value: r for r in book["参数"].iter_rows(min_row=2)}
    rows["乐考等级线-良好"][1].value = 5
    book["乐考项目"].append(["一年级", "识字大闯关", "语文", "等级"])
    book.save(path)
    report = ProblemReport()
    config = load_config(path, report)
    found = {(p.sheet, p.code) for p in report.errors}
    assert found == {("参数", "config.invalid"), ("乐考项目", "config.invalid")}
    assert config.lekao_good == 2.5  # the default stands in
    station = next(p for p in report.errors if p.sheet == "乐考项目")
    assert station.cell == f"B{len(GRADE1) + 2}" and "重复" in station.message


def test_without_the_sheet_the_defaults_hold() -> None:
    from toolkit.lekao.schema import stations_for

    config = SchoolConfig()
    assert [s.name for s in stations_for(config, 1)] == [
        "拼音小达人", "识字大闯关", "口算小能手", "数学游园", "生活小能手",
    ]  # fmt: skip
    assert [s.name for s in stations_for(config, 2)] == G2
    assert [s.subject for s in stations_for(config, 2)] == ["语文", "语文", "数学", "数学", "综合"]


# -- reading the wide form ------------------------------------------------------------------------


def test_each_class_and_station_counts_as_counted_by_hand(wide: Path, config_path: Path) -> None:
    summary = summary_of(wide, config_path)
    found = {
        (int(r.年级), None if pd.isna(r.班级) else int(r.班级), r.项目): {
            k: int(getattr(r, k)) for k in [*LEVELS, "未测"]
        }
        for r in summary.stations.itertuples(index=False)
    }
    assert found == expected_counts()
    grade = summary.stations[(summary.stations["年级"] == 1) & summary.stations["班级"].isna()]
    assert list(grade["项目"]) == G1  # the config's order
    row = summary.stations.set_index(["年级", "班级", "项目"]).loc[(1, 1, "口算小能手")]
    assert (row["实测人数"], row["优良率"], row["合格率"]) == (3, 1.0, 1.0)  # ★★★, ★★, 3星
    row = summary.stations.set_index(["年级", "班级", "项目"]).loc[(1, 1, "数学游园")]
    assert (row["实测人数"], row["优良率"], row["合格率"]) == (3, 0.0, pytest.approx(2 / 3))


def test_the_bad_mark_is_an_error_at_its_cell_and_stops_the_summary(
    wide: Path, config_path: Path
) -> None:
    report = analyse(wide, config_path)
    assert not report.analysed  # errors stop it without --skip-invalid
    errors = {(p.sheet, p.cell, p.code): p for p in report.problems.errors}
    bad = errors[("一(1)班", "E5", "field.invalid")]  # 王一诺's 识字大闯关
    assert bad.value == BAD and "识字大闯关" in bad.message and "★★★" in bad.message
    assert ("一(1)班", "C7", "row.no_name") in errors  # marks without a student
    assert len(errors) == 2
    notes = {(p.sheet, p.code) for p in report.problems.of("note")}
    assert ("一(1)班", "row.summary") in notes
    # 读取 = 计入 + 跳过, in rows: 一(1)班 6 (4 students, no name, 合计), 1.2 2, the CSV 2.
    assert analyse(wide, config_path, skip_invalid=True).row_totals() == {
        "读取": 10, "计入": 8, "跳过": 2, "不在范围": 0,
    }  # fmt: skip


def test_a_class_the_config_does_not_have_is_one_warning_per_row(wide: Path) -> None:
    from toolkit.config.model import ClassInfo

    config = SchoolConfig(classes=[ClassInfo(1, 1)], lekao_stations=list(GRADE1))
    report = analyze_records("lekao", [wide], config=config, skip_invalid=True)
    warned = [(p.sheet, p.value) for p in report.problems.of("warning")]
    # 一(2)班 (sheet 1.2) and 二(1)班 (the CSV): two pupils each, once each, not once a station.
    assert sorted(warned) == [("1.2", "一(2)班")] * 2 + [("二(1)班乐考", "二(1)班")] * 2


def test_the_overall_level_rule_on_hand_worked_students(wide: Path, config_path: Path) -> None:
    summary = summary_of(wide, config_path)
    found: dict[str, dict[str, str]] = {}
    for students in summary.students.values():
        for row in students.to_dict("records"):
            found[row["姓名"]] = {
                k.removesuffix("总评"): v for k, v in row.items() if k.endswith("总评")
            }
    assert found == OVERALL
    assert level_of(3.0, (3.5, 2.5, 1.5)) == "良好"  # 优秀, 良好, 合格
    assert level_of((4 + 3) / 2, (3.5, 2.5, 1.5)) == "优秀"  # the line itself is reached
    assert level_of(1.49, (3.5, 2.5, 1.5)) == "待合格"
    # The subjects' distribution counts those levels per class (未测 apart).
    subjects = summary.subjects.set_index(["年级", "班级", "学科"])
    math = subjects.loc[(1, 1, "数学")]
    assert [int(math[k]) for k in [*LEVELS, "未测", "实测人数"]] == [0, 2, 1, 0, 1, 3]
    grade = summary.subjects[(summary.subjects["年级"] == 1) & summary.subjects["班级"].isna()]
    combined = grade.set_index("学科").loc["综合"]
    assert (int(combined["优秀"]), int(combined["未测"]), combined["优良率"]) == (2, 2, 0.75)


def test_the_lines_come_from_the_config(tmp_path: Path, wide: Path) -> None:
    path = write_config(tmp_path)
    book = openpyxl.load_workbook(path)
    rows = {r[0].value: r for r in book["参数"].iter_rows(min_row=2)}
    rows["乐考等级线-优秀"][1].value = 3.0
    book.save(path)
    summary = summary_of(wide, path)
    first = summary.students[1].set_index("姓名")
    assert first.loc["张子涵", "语文总评"] == "优秀"  # 3.0 reaches the school's line


def test_the_long_form_gives_the_same_summary(
    tmp_path: Path, wide: Path, config_path: Path
) -> None:
    long = summary_of(write_long(tmp_path / "long"), config_path)
    short = summary_of(wide, config_path)
    pd.testing.assert_frame_equal(long.stations, short.stations)
    pd.testing.assert_frame_equal(long.subjects, short.subjects)
    assert long.students.keys() == short.students.keys()
    for grade in short.students:
        pd.testing.assert_frame_equal(long.students[grade], short.students[grade])


def test_a_long_station_the_config_does_not_have_is_an_error(
    tmp_path: Path, config_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["班级", "姓名", "项目", "结果"])
    ws.append(["一(1)班", "张子涵", "跳绳", "优秀"])
    ws.append(["一(1)班", "张子涵", "识字大闯关", "优秀"])
    ws.append(["一(1)班", "张子涵", "识字大闯关", "良好"])  # the same station again
    book.save(folder / "乐考.xlsx")
    report = analyse(folder, config_path)
    found = {(p.cell, p.code) for p in report.problems.errors}
    assert found == {("C2", "field.unknown_item"), ("D4", "lekao.duplicate")}
    unknown = next(p for p in report.problems.errors if p.code == "field.unknown_item")
    assert "乐考项目" in unknown.message and "识字大闯关" in unknown.message


def test_a_wide_sheet_is_recognised_as_lekao_and_a_score_sheet_is_not(
    tmp_path: Path, wide: Path
) -> None:
    path = wide / "一年级乐考.xlsx"
    assert recognise(InputFile(path, path.name)) == Recognised("lekao", "表头")
    csv = wide / "二(1)班乐考.csv"
    assert recognise(InputFile(csv, csv.name)) == Recognised("lekao", "表头")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["三(1)班期末成绩"])
    ws.append(["学号", "姓名", "语文", "数学", "英语"])
    ws.append(["1", "张子涵", 95, 88, "缺考"])
    ws.append(["2", "李明轩", "优秀", "良好", "A"])  # levels typed in a score sheet
    scores = tmp_path / "三(1)班期末成绩.xlsx"
    book.save(scores)
    assert recognise(InputFile(scores, scores.name)).kind == "scores"


# -- the template ---------------------------------------------------------------------------------

ROSTER = [
    RosterEntry(1, 1, "101", "张子涵"),
    RosterEntry(1, 1, "102", "李明轩"),
    RosterEntry(1, 1, "103", "王一诺"),
    RosterEntry(2, 1, "301", "孙浩然"),
    RosterEntry(2, 1, "302", "周欣怡"),
    RosterEntry(3, 1, "401", "钱多多"),  # not a 乐考 grade: no sheet
]


def test_the_template_round_trips(tmp_path: Path) -> None:
    config = read_config(write_config(tmp_path, ROSTER))
    (path,) = write_templates(tmp_path / "模板", config, kinds=["lekao"])
    assert path.name == "乐考.xlsx"
    book = openpyxl.load_workbook(path)
    visible = [ws.title for ws in book if ws.sheet_state == "visible"]
    assert visible == ["填写说明", "一(1)班", "二(1)班"]
    marks = {
        "一(1)班": [["优秀", "良好", "合格", "★★★", "过关", "优秀"],
                   ["良好", "良好", "待合格", "★", "未过关", None],
                   [None, "优秀", "优秀", "★★", "过关", "合格"]],
        "二(1)班": [["优秀", "良好", "良好", "合格", "待合格"],
                   ["合格", None, "优秀", "优秀", "良好"]],
    }  # fmt: skip
    expected: Counter[tuple[str, str]] = Counter()
    for name, rows in marks.items():
        ws = book[name]
        _, columns = header_columns(ws, "姓名")
        stations = G1 if name.startswith("一") else G2
        assert list(columns) == ["学号", "姓名", *stations, "评语"]
        header, _ = header_columns(ws, "姓名")
        names = [ws.cell(header + 1 + k, columns["姓名"]).value for k in range(len(rows))]
        assert names == [r.name for r in ROSTER if r.grade == (1 if "一" in name else 2)]
        _check_dropdowns(book, ws, columns, config)
        fill_rows(ws, "姓名", [dict(zip(stations, row, strict=True)) for row in rows])
        for row in rows if name == "一(1)班" else []:
            for station, mark in zip(stations, row, strict=True):
                expected[(station, "未测" if mark is None else AS_LEVEL[mark])] += 1
    book.save(path)
    report = analyze_records("lekao", [path], config=config)
    assert report.problems.errors == [] and report.problems.of("warning") == []
    stations = report.summary.stations
    grade1 = stations[(stations["年级"] == 1) & stations["班级"].notna()]
    found = Counter(
        {(r.项目, level): int(getattr(r, level)) for r in grade1.itertuples() for level in
         [*LEVELS, "未测"] if getattr(r, level)}
    )  # fmt: skip
    assert found == expected
    assert report.row_totals() == {"读取": 5, "计入": 5, "跳过": 0, "不在范围": 0}
    # Recognised by its marker, and by its headers once the marker is gone.
    assert recognise(InputFile(path, path.name)) == Recognised("lekao", "标记")
    del book[MARKER_SHEET]
    renamed = tmp_path / "新建 Microsoft Excel 工作表.xlsx"
    book.save(renamed)
    assert recognise(InputFile(renamed, renamed.name)) == Recognised("lekao", "表头")


def _check_dropdowns(book: Any, ws: Any, columns: dict[str, int], config: SchoolConfig) -> None:
    """Each station's dropdown holds the marks of its 记分方式."""
    from toolkit.base.text import column_letter
    from toolkit.lekao.schema import SCORING, stations_for

    lists = book["_下拉选项"]
    grade = 1 if ws.title.startswith("一") else 2
    for station in stations_for(config, grade):
        letter = column_letter(columns[station.name] - 1)
        (rule,) = [v for v in ws.data_validations.dataValidation if str(v.sqref).startswith(letter)]
        source = rule.formula1.split("!")[1].replace("$", "")
        first, last = source.split(":")
        values = [c.value for row in lists[f"{first}:{last}"] for c in row]
        assert tuple(values) == SCORING[station.scoring], station.name


def test_the_generic_template_has_a_sheet_per_grade(tmp_path: Path) -> None:
    (path,) = write_templates(tmp_path, SchoolConfig(), kinds=["lekao"])
    book = openpyxl.load_workbook(path)
    assert [ws.title for ws in book if ws.sheet_state == "visible"] == [
        "填写说明",
        "一年级",
        "二年级",
    ]
    _, columns = header_columns(book["二年级"], "姓名")
    assert list(columns) == ["班级", "学号", "姓名", *G2, "评语"]


# -- the workbook and the packs -------------------------------------------------------------------


def test_the_workbook_shows_levels_ranks_no_one_and_marks_pupils_internal(
    tmp_path: Path, wide: Path, config_path: Path
) -> None:
    out = tmp_path / "乐考汇总.xlsx"
    args = ["lekao", str(wide), "-c", str(config_path), "-o", str(out), "-q"]
    assert main(args) == 1  # the bad mark: nothing written without --skip-invalid
    assert not out.exists()
    assert main([*args, "--skip-invalid"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:6] == [
        "一年级概览", "二年级概览", "项目等级分布", "学科等级", "一年级学生等级", "二年级学生等级",
    ]  # fmt: skip
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                short = isinstance(value, str) and len(value) <= 6
                assert not (short and ("名次" in value or "排名" in value)), (ws.title, value)
    for name in ("一年级学生等级", "二年级学生等级"):
        assert "（内部资料 请勿外传）" in book[name]["A1"].value
    assert "内部资料" not in book["学科等级"]["A1"].value
    students = book["一年级学生等级"]
    header = [c.value for c in students[3]]
    assert header == ["年级", "班级", "学号", "姓名", *G1, "语文总评", "数学总评", "综合总评"]
    definitions = {r[0]: r for r in book["口径说明"].iter_rows(values_only=True) if r[0]}
    assert "★★★ 计为优秀" in definitions["等级折算"][1]
    assert (
        "跳绳" not in definitions["项目"][2]
        and "口算小能手（数学，星级）" in definitions["项目"][2]
    )
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        stacked = [n for n in charts if b'grouping val="percentStacked"' in archive.read(n)]
    assert len(stacked) == len(charts) == 2 * 4  # per grade: the stations, 语文, 数学, 综合


@pytest.mark.slow
def test_check_counts_and_the_term_pack_has_a_lekao_section(
    tmp_path: Path, config_path: Path
) -> None:
    from toolkit.check import check_inputs

    term = tmp_path / "学期"
    write_wide(term / "乐考")
    scores = openpyxl.Workbook()
    ws = scores.active
    ws.append(["学号", "姓名", "语文", "数学"])
    for k in range(1, 9):
        ws.append([str(k), f"学生{k}", 60 + 4 * k, 95 - 3 * k])
    (term / "期末").mkdir()
    scores.save(term / "期末" / "三(1)班期末成绩.xlsx")
    config = read_config(config_path)
    problems = ProblemReport()
    result = check_inputs([term], config, problems)
    kinds = {entry.file.display: entry.kind for entry in result.found.files}
    assert sorted(kinds.values()) == ["lekao", "lekao", "scores"]
    assert result.rows == {"读取": 18, "计入": 16, "跳过": 2}

    out = tmp_path / "质量分析"
    assert main(["term", str(term), "-c", str(config_path), "-o", str(out), "-q"]) == 0
    book = openpyxl.load_workbook(out / "期末质量分析.xlsx")
    assert "乐考" in book.sheetnames
    cells = [v for row in book["乐考"].iter_rows(values_only=True) for v in row if v is not None]
    text = " ".join(str(v) for v in cells)
    assert "一年级各学科总评等级" in text and "二年级待合格人数较多的项目" in text
    assert not {name for (*_, name) in TYPED} & set(cells)  # no pupil named
    summary = summary_of(term / "乐考", config_path)
    grade = summary.subjects[(summary.subjects["年级"] == 1) & summary.subjects["班级"].isna()]
    chinese = grade.set_index("学科").loc["语文"]
    assert f"语文优良率 {chinese['优良率'] * 100:.1f}%" in text


def test_feedback_slips_of_lekao_show_stations_and_levels_no_number(tmp_path: Path) -> None:
    """xueqing feedback on 乐考 sheets (grades 1–2): a page per pupil with each station's mark
    and its level and each subject's 总评 (worked by hand above), no rank and no number."""
    from tests.test_feedback import RANK_WORDS, pages

    folder = tmp_path / "乐考"
    folder.mkdir()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "二(1)班"
    ws.append(["二年级（1）班 期末趣味乐考"])
    ws.append(["学号", "姓名", *G2])
    pupils = {k: v for k, v in TYPED.items() if k[:2] == (2, 1)}
    for (_, _, sid, name), marks in pupils.items():
        ws.append([sid, name, *marks])
    book.save(folder / "二年级乐考.xlsx")
    out = tmp_path / "反馈单"
    assert main(["feedback", str(folder), "-o", str(out), "-q"]) == 0
    found = pages(out / "二年级1班_个人学情反馈单.docx")
    assert len(found) == len(pupils)
    for page, ((_, _, _, name), marks) in zip(found, pupils.items(), strict=True):
        others = {k[3] for k in TYPED} - {name}
        assert name in page.text and not [o for o in others if o in page.text]
        assert not RANK_WORDS.search(page.text)
        shown = {row[0]: row[1] for row in page.table("项目")[1:]}
        for station, mark in zip(G2, marks, strict=True):
            told = shown[station]
            assert told == ("未测" if mark is None else AS_LEVEL[str(mark)]), (name, station)
        for subject, level in OVERALL[name].items():
            assert shown[f"{subject}总评"] == level
        cells = "".join(v for v in shown.values())
        assert not any(ch.isdigit() for ch in cells)  # the 总评 points are never shown
