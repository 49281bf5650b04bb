"""The routine-record summaries as a user gets them: ``xueqing homework|observation|weakpoints|
items`` run on the sample school's folders (written as teachers send them), then the workbooks
opened and checked against DESIGN.md's output conventions and against figures computed here,
by hand, from the sample TRUTH frames (toolkit.demo.records).

Also: ``--month``/``--as-of`` scoping, ``--skip-invalid`` on planted errors, ``check`` on a
mixed folder, never writing over an input, ``demo`` determinism and (where LibreOffice is
installed) a PDF of each workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.base.classnames import class_name, grade_name
from toolkit.base.text import normalize
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.demo.records import (
    AS_OF,
    EQUALS_TEXT,
    ItemTruth,
    make_dirty_record_copies,
    make_homework,
    make_items,
    make_observations,
    make_weakpoints,
    write_homework_files,
    write_item_files,
    write_observation_files,
    write_weakpoint_files,
)
from toolkit.demo.school import (
    DirtyCell,
    SampleSchool,
    make_config,
    make_school,
    write_score_files,
)
from toolkit.render.workbooks.config_template import write_config_template

pytestmark = pytest.mark.slow

HW_MONTH, HW_LABEL = "2026-04", "2026年4月"  # the month of the teacher's "=…" comment
OBS_MONTH, OBS_LABEL = "2026-05", "2026年5月"
ITEMS_DATE = "2026-07-01"
EARLY = dt.date(2026, 4, 15)  # an --as-of inside the term: later registrations do not count
DIMENSIONS = ["学生投入度", "教学环节落实", "课堂反馈实效"]
STATES = ["待整改", "整改中", "已销号"]
FLAGS = ["有批", "有改", "有评", "有追踪", "错题再学习"]

HW_DETAIL = ["班级汇总", "学科汇总", "教师汇总", "月检趋势", "存在问题", "时长超标", "需关注教师"]
OBS_DETAIL = [
    "授课教师", "听课人", "本月未被听课", "班级汇总", "学科汇总", "课型与层级", "整改情况",
    "未完成整改",
]  # fmt: skip
WP_DETAIL = ["班级汇总", "学科汇总", "逾期未销号", "复测提升", "共性问题", "逐月新增与销号"]
ITEM_DETAIL = ["试题质量", "各班小题得分率", "知识点得分率", "建议薄弱点"]
HW_CLASS_HEADER = [
    "年级", "班级", "检查次数", "布置次数", "基础巩固", "能力提升", "实践探究", "基础巩固占比",
    "能力提升占比", "实践探究占比", "日均时长", "超时记录数", "有批率", "有改率", "有评率",
    "有追踪率", "错题再学习率", "平均得分", "最低得分", "优秀数", "良好数", "合格数", "待改进数",
]  # fmt: skip

PERCENT, DATE, INT, DECIMAL = "0.0%", "yyyy-mm-dd", "0", "0.00"


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


def run(*args: str | Path) -> Run:
    """``xueqing ARGS`` as a user runs it, with what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- fixtures


@dataclass
class Sample:
    root: Path
    config_file: Path
    config: SchoolConfig
    school: SampleSchool
    homework: Path
    observation: Path
    weakpoints: Path
    items: Path
    dirty: Path
    planted: list[DirtyCell]
    hw: pd.DataFrame
    obs: pd.DataFrame
    wp: pd.DataFrame
    it: ItemTruth


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("records")
    school = make_school()
    config = make_config(school)
    config_file = root / "学校配置.xlsx"
    write_config_template(config_file, config)
    hw, obs, wp = make_homework(config), make_observations(config), make_weakpoints(config)
    it = make_items(school)
    write_homework_files(hw, root / "作业检查")
    write_observation_files(obs, root / "听评课")
    write_weakpoint_files(wp, root / "薄弱点台账")
    write_item_files(it, root / "小题分")
    planted = make_dirty_record_copies(root / "作业检查", root / "有问题的作业检查")
    assert len(planted) == 4
    return Sample(
        root,
        config_file,
        config,
        school,
        root / "作业检查",
        root / "听评课",
        root / "薄弱点台账",
        root / "小题分",
        root / "有问题的作业检查",
        planted,
        hw,
        obs,
        wp,
        it,
    )


@dataclass
class Books:
    paths: dict[str, Path]
    runs: dict[str, Run]
    books: dict[str, Workbook] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Workbook:
        if kind not in self.books:
            self.books[kind] = load_workbook(self.paths[kind])
        return self.books[kind]


@pytest.fixture(scope="module")
def books(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Books:
    """The four workbooks, each written by its command as the office would run it."""
    out = tmp_path_factory.mktemp("out")
    cfg = ("-c", sample.config_file, "--json")
    s = sample
    # book: (command, input folder, output name, scope options)
    commands: dict[str, tuple[str, Path, str, tuple[str, ...]]] = {
        "homework": ("homework", s.homework, "作业检查汇总.xlsx", ("--month", HW_MONTH)),
        "observation": ("observation", s.observation, "听评课汇总.xlsx", ("--month", OBS_MONTH)),
        "weakpoints": ("weakpoints", s.weakpoints, "薄弱点台账汇总.xlsx", ("--as-of", f"{AS_OF}")),
        "items": ("items", s.items, "试题分析.xlsx", ("--date", ITEMS_DATE)),
        "weak_early": ("weakpoints", s.weakpoints, "薄弱点_4月中.xlsx", ("--as-of", f"{EARLY}")),
    }
    paths = {kind: out / name for kind, (_, _, name, _) in commands.items()}
    runs = {
        kind: run(command, folder, "-o", paths[kind], *options, *cfg)
        for kind, (command, folder, _, options) in commands.items()
    }
    for kind, result in runs.items():
        assert result.code == 0, (kind, result.err)
        assert paths[kind].exists()
    return Books(paths, runs)


# --------------------------------------------------------------------------- reading helpers


def table(ws: Worksheet, header_row: int = 3) -> list[dict[str, Any]]:
    """A detail sheet's rows as dicts (header on row 3, data below)."""
    rows = ws.iter_rows(min_row=header_row, values_only=True)
    header = list(next(rows))
    return [dict(zip(header, r, strict=True)) for r in rows if any(v is not None for v in r)]


def header(ws: Worksheet, row: int = 3) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def column_formats(ws: Worksheet, name: str, header_row: int = 3) -> set[str]:
    """Number formats of the non-empty data cells under ``name``."""
    col = header(ws, header_row).index(name) + 1
    return {
        ws.cell(r, col).number_format
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, col).value is not None
    }


def keyed(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r[k] for k in keys): r for r in rows}


def overview_names(config: SchoolConfig) -> list[str]:
    return [f"{grade_name(g)}概览" for g in sorted(config.grades)]


def grade_sheets(config: SchoolConfig) -> list[tuple[int, str]]:
    """(grade, its overview sheet) for each grade of the school."""
    return [(g, f"{grade_name(g)}概览") for g in sorted(config.grades)]


def month_rows(frame: pd.DataFrame, column: str, month: str) -> pd.DataFrame:
    return frame[[f"{d:%Y-%m}" == month for d in frame[column]]]


# -- the package inside the xlsx ----------------------------------------------------------------

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """rId → resolved part path for ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in z.namelist():
        return {}
    root = ET.fromstring(z.read(rels))
    return {
        r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target")))
        for r in root.iter(REL)
    }


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its worksheet part, in workbook order."""
    rels = _rels(z, "xl/workbook.xml")
    root = ET.fromstring(z.read("xl/workbook.xml"))
    return {s.get("name"): rels[s.get(R_ID)] for s in root.iter(f"{S}sheet")}


def sheet_xml(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(sheet_parts(z)[sheet]).decode("utf-8")


@dataclass
class ChartSeries:
    name: str | None
    categories: str | None
    values: str | None
    x: str | None
    y: str | None
    labels: list[str]


@dataclass
class Chart:
    sheet: str
    kind: str  # barChart, lineChart, radarChart, scatterChart
    grouping: str | None
    bar_dir: str | None
    title: str
    series: list[ChartSeries]
    xml: str


def _ref(ser: ET.Element, tag: str) -> str | None:
    found = ser.find(f"{C}{tag}")
    if found is None:
        return None
    formula = found.find(f".//{C}f")
    return None if formula is None else formula.text


def charts(path: Path) -> list[Chart]:
    """Every chart of the workbook, with the sheet it is drawn on, in drawing order."""
    found: list[Chart] = []
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_parts(z).items():
            for drawing in _rels(z, part).values():
                if "/drawings/" not in drawing:
                    continue
                targets = _rels(z, drawing)
                anchors = ET.fromstring(z.read(drawing))
                for ref in anchors.iter(f"{C}chart"):
                    xml = z.read(targets[ref.get(R_ID)]).decode("utf-8")
                    found.append(_chart(sheet, xml))
    return found


def _chart(sheet: str, xml: str) -> Chart:
    root = ET.fromstring(xml)
    plot = root.find(f".//{C}plotArea")
    assert plot is not None
    kinds = [el for el in plot if el.tag.endswith("Chart")]
    assert len(kinds) == 1, [k.tag for k in kinds]
    body = kinds[0]
    grouping = body.find(f"{C}grouping")
    bar_dir = body.find(f"{C}barDir")
    title = "".join(t.text or "" for t in root.findall(f"{C}chart/{C}title//{A}t"))
    series = [
        ChartSeries(
            _ref(ser, "tx"),
            _ref(ser, "cat"),
            _ref(ser, "val"),
            _ref(ser, "xVal"),
            _ref(ser, "yVal"),
            [f.text or "" for f in ser.findall(f"{C}dLbls/{C}dLbl/{C}tx/{C}strRef/{C}f")],
        )
        for ser in body.findall(f"{C}ser")
    ]
    return Chart(
        sheet,
        body.tag.removeprefix(C),
        None if grouping is None else grouping.get("val"),
        None if bar_dir is None else bar_dir.get("val"),
        title,
        series,
        xml,
    )


_CELL = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def split_ref(ref: str) -> tuple[str, str]:
    sheet, _, cells = ref.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells.replace("$", "")


def ref_cells(wb: Workbook, ref: str) -> list[Any]:
    """The cells a chart formula points at (a cell or a one-column/one-row range)."""
    sheet, cells = split_ref(ref)
    got = wb[sheet][cells]
    if not isinstance(got, tuple):
        return [got]
    return [c for row in got for c in (row if isinstance(row, tuple) else (row,))]


def ref_values(wb: Workbook, ref: str) -> list[Any]:
    return [c.value for c in ref_cells(wb, ref)]


def assert_series_layout(wb: Workbook, chart: Chart) -> None:
    """Each series: name is the header cell above its values; values sit on the category rows;
    everything on the chart's own sheet."""
    for s in chart.series:
        assert s.name and s.values and s.categories, chart.title
        for ref in (s.name, s.values, s.categories):
            assert split_ref(ref)[0] == chart.sheet, (chart.title, ref)
        name = ref_cells(wb, s.name)[0]
        values = ref_cells(wb, s.values)
        cats = ref_cells(wb, s.categories)
        assert [c.row for c in values] == [c.row for c in cats], chart.title
        assert {c.column for c in values} == {name.column}, chart.title
        assert values[0].row == name.row + 1, chart.title
        assert all(isinstance(c.value, (int, float)) for c in values), chart.title


# --------------------------------------------------------------------------- layout, every book


BOOK_TITLES = {
    "homework": f"{HW_LABEL}作业检查汇总",
    "observation": f"{OBS_LABEL}听评课汇总",
    "weakpoints": "薄弱点台账汇总",
    "items": "期末试题分析",
}


def visible(wb: Any) -> list[str]:
    return [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]


def expected_sheets(kind: str, config: SchoolConfig) -> list[str]:
    if kind == "items":
        return ["四年级数学期末", *ITEM_DETAIL, "数据问题", "口径说明"]
    detail = {"homework": HW_DETAIL, "observation": OBS_DETAIL, "weakpoints": WP_DETAIL}[kind]
    return [*overview_names(config), *detail, "数据问题", "口径说明"]


@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints", "items"])
def test_sheets_overviews_then_details_then_problems_and_definitions(
    books: Books, sample: Sample, kind: str
) -> None:
    wb = books[kind]
    assert visible(wb) == expected_sheets(kind, sample.config)
    assert visible(wb)[-1] == "口径说明"
    # a hidden marker, so the summary saved among the inputs is skipped on the next run
    assert wb.sheetnames[-1] == "_xueqing" and wb["_xueqing"].sheet_state == "hidden"
    # There were warnings or notes in every run, so the 数据问题 sheet is there, with each one.
    problems = books.runs[kind].json["problems"]
    assert problems
    listed = table(wb["数据问题"])
    assert len(listed) == len(problems)
    assert {(r["文件"], r["工作表"], r["单元格"] or "") for r in listed} == {
        (p["file"], p["sheet"], p["cell"]) for p in problems
    }


@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints", "items"])
def test_every_sheet_titled_with_school_term_and_report(
    books: Books, sample: Sample, kind: str
) -> None:
    config = sample.config
    for ws in (w for w in books[kind].worksheets if w.sheet_state == "visible"):
        title = ws["A1"].value
        assert isinstance(title, str), (kind, ws.title)
        assert title.startswith(f"{config.school}{config.term_label}"), (ws.title, title)
        assert BOOK_TITLES[kind] in title, (ws.title, title)


@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints", "items"])
def test_print_setup_freeze_and_filter(books: Books, kind: str) -> None:
    wb = books[kind]
    for ws in (w for w in wb.worksheets if w.sheet_state == "visible"):
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.oddFooter.center.text and "&P" in ws.oddFooter.center.text, ws.title
        if ws.title.endswith("概览") or ws.title == "四年级数学期末":
            assert ws.freeze_panes == "A2", ws.title  # the title stays in view
            # Charts: a fixed scale and breaks between charts (fit-to-page would drop the
            # breaks), a print area ending at the charts' right edge.
            assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert 10 <= int(ws.page_setup.scale) <= 100 and ws.print_area, ws.title
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(ws.page_setup.fitToWidth or 1) == 1, ws.title  # one page wide (default 1)
        assert int(ws.page_setup.fitToHeight) == 0, ws.title  # as many pages down as needed
        # Detail tables: header on row 3, frozen under it, filtered, repeated on every page.
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4"), ws.title
        assert (ws.print_title_rows or "").replace("$", "") == "3:3", ws.title
        rows = table(ws)
        if rows:
            last = ws.cell(3, len(header(ws))).column_letter
            assert ws.auto_filter.ref == f"A3:{last}{3 + len(rows)}", ws.title


def test_frozen_key_columns(books: Books) -> None:
    assert books["homework"]["班级汇总"].freeze_panes == "C4"  # 年级, 班级 stay in view
    assert books["homework"]["存在问题"].freeze_panes == "F4"
    assert books["observation"]["授课教师"].freeze_panes == "B4"
    assert books["weakpoints"]["逾期未销号"].freeze_panes == "E4"
    assert books["items"]["试题质量"].freeze_panes == "E4"


def test_no_formula_anywhere_and_a_teachers_equals_text_stays_text(books: Books) -> None:
    path = books.paths["homework"]
    ws = books["homework"]["存在问题"]
    hits = [
        c
        for row in ws.iter_rows(min_row=4)
        for c in row
        if isinstance(c.value, str) and c.value == EQUALS_TEXT
    ]
    assert len(hits) == 1, "the teacher's “=…” comment is listed once, word for word"
    cell = hits[0]
    assert cell.data_type == "s"
    xml = sheet_xml(path, "存在问题")
    element = re.search(rf'<c r="{cell.coordinate}"[^>]*?(/>|>.*?</c>)', xml)
    assert element is not None
    assert re.search(r'\bt="(s|inlineStr|str)"', element.group(0))
    assert "<f>" not in element.group(0) and "<f " not in element.group(0)
    for kind in ("homework", "observation", "weakpoints", "items"):
        with zipfile.ZipFile(books.paths[kind]) as z:
            for sheet, part in sheet_parts(z).items():
                text = z.read(part).decode("utf-8")
                assert not re.search(r"<f[ >]", text), (kind, sheet)


# --------------------------------------------------------------------------- 作业检查


def test_homework_class_table_layout_and_formats(books: Books) -> None:
    ws = books["homework"]["班级汇总"]
    assert header(ws) == HW_CLASS_HEADER
    assert "统计月份：2026年4月" in ws["A2"].value
    for rate in ("有批率", "错题再学习率", "基础巩固占比"):
        assert column_formats(ws, rate) == {PERCENT}, rate
    for count in ("检查次数", "布置次数", "基础巩固", "实践探究", "超时记录数", "优秀数"):
        assert column_formats(ws, count) == {INT}, count
    for mean in ("平均得分", "最低得分", "日均时长"):
        assert column_formats(ws, mean) == {DECIMAL}, mean
    issues = books["homework"]["存在问题"]
    assert column_formats(issues, "检查日期") == {DATE}
    assert all(isinstance(r["检查日期"], dt.datetime) for r in table(issues))


def test_homework_ability_column_is_a_count(books: Books, sample: Sample) -> None:
    wb = books["homework"]
    for sheet in ("班级汇总", "学科汇总", "教师汇总"):
        assert column_formats(wb[sheet], "能力提升") == {INT}, sheet
    overview = wb[overview_names(sample.config)[0]]
    cells = [c for row in overview.iter_rows() for c in row if c.value == "能力提升"]
    below = overview.cell(cells[0].row + 1, cells[0].column)
    assert below.number_format == INT


def test_homework_class_figures_match_the_truth(books: Books, sample: Sample) -> None:
    truth = month_rows(sample.hw, "检查日期", HW_MONTH)
    rows = keyed(table(books["homework"]["班级汇总"]), "年级", "班级")
    groups: list[tuple[tuple[str, str], pd.DataFrame]] = []
    for g, grade in truth.groupby("年级"):
        for n, block in grade.groupby("班级"):
            groups.append(((grade_name(g), class_name(g, n)), block))
        groups.append(((grade_name(g), "全年级"), grade))
    groups.append((("全校", "全校"), truth))
    assert list(rows) == [key for key, _ in groups]  # classes, then 全年级, per grade; 全校 last
    for key, block in groups:
        row = rows[key]
        assert row["检查次数"] == len(block), key
        assert row["平均得分"] == pytest.approx(block["得分"].mean()), key
        assert row["最低得分"] == pytest.approx(block["得分"].min()), key
        assert row["布置次数"] == block["布置次数"].sum(), key
        assert row["基础巩固"] == block["基础巩固"].sum(), key
        for flag in FLAGS:
            assert row[f"{flag}率"] == pytest.approx(block[flag].mean()), (key, flag)
        kinds = block[["基础巩固", "能力提升", "实践探究"]].to_numpy().sum()
        assert row["能力提升占比"] == pytest.approx(block["能力提升"].sum() / kinds), key


def test_homework_trend_runs_up_to_the_month(books: Books, sample: Sample) -> None:
    rows = table(books["homework"]["月检趋势"])
    assert {r["月份"] for r in rows} == {"2026-03", HW_MONTH}
    school = [r for r in rows if r["年级"] == "全校"]
    march = month_rows(sample.hw, "检查日期", "2026-03")
    assert [r["检查次数"] for r in school] == [
        len(march),
        len(month_rows(sample.hw, "检查日期", HW_MONTH)),
    ]
    assert school[0]["平均得分"] == pytest.approx(march["得分"].mean())


def test_homework_issue_list_is_the_months_commented_inspections(
    books: Books, sample: Sample
) -> None:
    truth = month_rows(sample.hw, "检查日期", HW_MONTH)
    noted = truth[truth["存在问题"].notna()]
    rows = table(books["homework"]["存在问题"])
    assert len(rows) == len(noted)
    assert {(r["班级"], r["学科"], normalize(r["存在问题"])) for r in rows} == {
        (class_name(g, n), s, normalize(t))
        for g, n, s, t in noted[["年级", "班级", "学科", "存在问题"]].itertuples(index=False)
    }


def test_homework_charts(books: Books, sample: Sample) -> None:
    wb = books["homework"]
    found = charts(books.paths["homework"])
    config = sample.config
    assert {c.sheet for c in found} == set(overview_names(config))
    for grade, sheet in grade_sheets(config):
        mine = [c for c in found if c.sheet == sheet]
        shape = [(c.kind, c.grouping, c.bar_dir) for c in mine]
        assert shape == [
            ("barChart", "clustered", "col"),
            ("barChart", "clustered", "col"),
            ("barChart", "stacked", "col"),
            ("barChart", "stacked", "col"),
            ("lineChart", "standard", None),
            ("lineChart", "standard", None),
        ]
        assert '<c:overlap val="100"/>' in mine[2].xml  # stacked columns sit on each other
        classes = [class_name(grade, n) for n in config.class_numbers(grade)]
        for chart in mine:
            assert chart.title.startswith(grade_name(grade)), chart.title
            assert_series_layout(wb, chart)
        for chart in mine[:4]:  # per class, without the 全年级 row
            for s in chart.series:
                assert ref_values(wb, s.categories) == classes, chart.title
        assert [ref_values(wb, s.name)[0] for s in mine[0].series] == [f"{f}率" for f in FLAGS]
        assert [ref_values(wb, s.name)[0] for s in mine[1].series] == ["平均得分"]
        assert [ref_values(wb, s.name)[0] for s in mine[2].series] == [
            "基础巩固",
            "能力提升",
            "实践探究",
        ]
        for chart in mine[4:]:
            assert ref_values(wb, chart.series[0].categories) == ["2026-03", HW_MONTH]
        # The grade's 平均得分 bars are the class means of the month.
        truth = month_rows(sample.hw, "检查日期", HW_MONTH)
        means = truth[truth["年级"] == grade].groupby("班级")["得分"].mean()
        assert ref_values(wb, mine[1].series[0].values) == pytest.approx(list(means))


# --------------------------------------------------------------------------- 听评课


def test_observation_observer_counts_match_the_truth(books: Books, sample: Sample) -> None:
    rows = keyed(table(books["observation"]["听课人"]), "听课人")
    term = sample.obs  # every record is on or before the end of May
    may = month_rows(sample.obs, "日期", OBS_MONTH)
    observers = term["听课人"].value_counts()
    assert {(n,) for n in observers.index} <= set(rows)
    # Every teacher of the 任课 sheet is listed, also those who have not observed yet.
    assert {(n,) for n in sample.config.teachers} <= set(rows)
    quota = sample.config.observation_quota
    for (name,), row in rows.items():
        expected = int(observers.get(name, 0))
        assert row["学期听课节数"] == expected, name
        assert row["本月听课节数"] == int((may["听课人"] == name).sum()), name
        assert row["还差节数"] == max(0, quota - expected), name
        assert row["达标"] == ("是" if expected >= quota else "否"), name
    busiest = observers.index[0]
    assert rows[(busiest,)]["学期听课节数"] == observers.iloc[0] > 0


def test_observation_taught_and_unobserved(books: Books, sample: Sample) -> None:
    may = month_rows(sample.obs, "日期", OBS_MONTH)
    rows = keyed(table(books["observation"]["授课教师"]), "授课教师")
    assert set(rows) == {(t,) for t in may["授课教师"].unique()}
    for (teacher,), row in rows.items():
        assert row["被听节数"] == int((may["授课教师"] == teacher).sum()), teacher
        assert row["学期被听节数"] == int((sample.obs["授课教师"] == teacher).sum()), teacher
    unobserved = {r["任课教师"] for r in table(books["observation"]["本月未被听课"])}
    assert unobserved == set(sample.config.teachers) - set(may["授课教师"])
    never = set(sample.config.teachers) - set(sample.obs["授课教师"])
    assert never and never <= unobserved


def test_observation_class_table_recomputes_total(books: Books, sample: Sample) -> None:
    may = month_rows(sample.obs, "日期", OBS_MONTH)
    rows = keyed(table(books["observation"]["班级汇总"]), "年级", "班级")
    school = rows[("全校", "全校")]
    assert school["听课节数"] == len(may)
    # 总分 is recomputed from the three parts (one truth row has a 总分 off by 2).
    assert school["总分"] == pytest.approx(may[DIMENSIONS].sum(axis=1).mean())
    marks = sample.config.observation_marks
    for d in DIMENSIONS:
        assert school[d] == pytest.approx(may[d].mean())
        assert school[f"{d}得分率"] == pytest.approx(may[d].mean() / marks[d])
    ws = books["observation"]["班级汇总"]
    assert column_formats(ws, "学生投入度得分率") == {PERCENT}
    assert column_formats(ws, "总分") == {DECIMAL}
    assert column_formats(ws, "听课节数") == {INT}
    assert column_formats(books["observation"]["未完成整改"], "日期") == {DATE}


def test_observation_radar_and_columns(books: Books, sample: Sample) -> None:
    wb = books["observation"]
    found = charts(books.paths["observation"])
    for grade, sheet in grade_sheets(sample.config):
        mine = [c for c in found if c.sheet == sheet]
        assert mine[0].kind == "radarChart"
        radar = mine[0]
        assert [ref_values(wb, s.name)[0] for s in radar.series] == [grade_name(grade), "全校"]
        for s in radar.series:
            assert ref_values(wb, s.categories) == DIMENSIONS
            rates = ref_values(wb, s.values)
            assert all(0 < r <= 1 for r in rates)  # 得分率: a common scale for the three
        assert all(c.kind == "barChart" and c.grouping == "clustered" for c in mine[1:])
        for chart in mine:
            assert_series_layout(wb, chart)
        may = month_rows(sample.obs, "日期", OBS_MONTH)
        seen = sorted(int(n) for n in may.loc[may["年级"] == grade, "班级"].unique())
        by_class = mine[2]  # the classes observed in the month
        assert ref_values(wb, by_class.series[0].categories) == [class_name(grade, n) for n in seen]


def test_observation_without_problems_has_no_problem_sheet(sample: Sample, tmp_path: Path) -> None:
    office = sample.observation / "教导处推门听课记录.xlsx"
    target = tmp_path / "教导处听课汇总.xlsx"
    options = ("--month", OBS_MONTH, "-c", sample.config_file, "--json")
    result = run("observation", office, "-o", target, *options)
    assert result.code == 0
    assert result.json["problems"] == []
    names = visible(load_workbook(target))
    assert "数据问题" not in names
    assert names[-1] == "口径说明"


# --------------------------------------------------------------------------- 薄弱点台账


def _overdue_truth(truth: pd.DataFrame, as_of: dt.date) -> set[tuple[Any, ...]]:
    return {
        (
            grade_name(g),
            class_name(g, n),
            subject,
            normalize(point),
            state,
            dt.datetime.combine(plan, dt.time()),
            (as_of - plan).days,
        )
        for g, n, subject, point, state, plan, registered in truth[
            ["年级", "班级", "学科", "知识点", "状态", "计划完成日期", "登记日期"]
        ].itertuples(index=False)
        if registered <= as_of and plan < as_of and state != "已销号"
    }


def _overdue_sheet(ws: Worksheet) -> set[tuple[Any, ...]]:
    return {
        (
            r["年级"],
            r["班级"],
            r["学科"],
            normalize(r["知识点"]),
            r["状态"],
            r["计划完成日期"],
            r["逾期天数"],
        )
        for r in table(ws)
    }


@pytest.mark.parametrize(("book", "as_of"), [("weakpoints", AS_OF), ("weak_early", EARLY)])
def test_weakpoints_overdue_list_matches_the_truth(
    books: Books, sample: Sample, book: str, as_of: dt.date
) -> None:
    ws = books[book]["逾期未销号"]
    expected = _overdue_truth(sample.wp, as_of)
    assert len(expected) >= 2
    assert _overdue_sheet(ws) == expected
    days = [r["逾期天数"] for r in table(ws)]
    assert days == sorted(days, reverse=True)  # most overdue first
    assert f"截至 {as_of:%Y-%m-%d}" in ws["A2"].value
    assert column_formats(ws, "计划完成日期") == {DATE}


@pytest.mark.parametrize(("book", "as_of"), [("weakpoints", AS_OF), ("weak_early", EARLY)])
def test_weakpoints_registered_up_to_as_of(
    books: Books, sample: Sample, book: str, as_of: dt.date
) -> None:
    truth = sample.wp[[d <= as_of for d in sample.wp["登记日期"]]]
    rows = keyed(table(books[book]["班级汇总"]), "年级", "班级")
    for (g, n), block in truth.groupby(["年级", "班级"]):
        row = rows[(grade_name(g), class_name(g, n))]
        assert row["登记数"] == len(block)
        for state in STATES:
            assert row[state] == int((block["状态"] == state).sum()), (g, n, state)
        assert row["销号率"] == pytest.approx((block["状态"] == "已销号").mean())
    assert rows[("全校", "全校")]["登记数"] == len(truth)
    totals = books.runs[book].json["rows"]
    assert totals["计入"] == len(truth)
    assert totals["不在范围"] == len(sample.wp) - len(truth)
    assert totals["读取"] == totals["计入"] + totals["跳过"] + totals["不在范围"]


def test_weakpoints_formats_and_charts(books: Books, sample: Sample) -> None:
    wb = books["weakpoints"]
    ws = wb["班级汇总"]
    assert column_formats(ws, "销号率") == {PERCENT}
    assert column_formats(ws, "平均错误率") == {PERCENT}
    assert column_formats(ws, "登记数") == {INT}
    assert column_formats(wb["复测提升"], "提升") == {"+0.0%;-0.0%;0.0%"}
    found = charts(books.paths["weakpoints"])
    for grade, sheet in grade_sheets(sample.config):
        mine = [c for c in found if c.sheet == sheet]
        assert [(c.kind, c.grouping) for c in mine[:2]] == [("barChart", "stacked")] * 2
        classes = [class_name(grade, n) for n in sample.config.class_numbers(grade)]
        for chart in mine:
            assert_series_layout(wb, chart)
        for chart in mine[:2]:
            assert [ref_values(wb, s.name)[0] for s in chart.series] == STATES
        assert ref_values(wb, mine[0].series[0].categories) == classes
        subjects = ref_values(wb, mine[1].series[0].categories)
        assert set(subjects) <= {"语文", "数学", "英语"} and "全年级" not in subjects


# --------------------------------------------------------------------------- 小题分


def test_items_difficulty_matches_the_truth(books: Books, sample: Sample) -> None:
    it = sample.it
    rows = keyed(table(books["items"]["试题质量"]), "题号")
    assert list(rows) == [(label,) for label in it.items["题号"]]
    full = dict(zip(it.items["题号"], it.items["满分"], strict=True))
    for label, block in it.marks.groupby("题号"):
        present = block["分数"].dropna()
        row = rows[(label,)]
        assert row["实考人数"] == len(present), label
        assert row["平均分"] == pytest.approx(present.mean()), label
        assert row["难度"] == pytest.approx(present.mean() / full[label]), label
        assert row["满分"] == full[label]
    assert rows[(it.flat_item,)]["区分度评价"] == "需改进"
    ws = books["items"]["试题质量"]
    assert column_formats(ws, "难度") == {DECIMAL}
    assert column_formats(ws, "区分度") == {DECIMAL}


def test_items_suggest_the_hard_class_points(books: Books, sample: Sample) -> None:
    it = sample.it
    rows = table(books["items"]["建议薄弱点"])
    hard = {(r["班级"], r["知识点"]) for r in rows}
    for point in it.hard_points:
        assert (class_name(it.grade, it.hard_class), point) in hard
    assert column_formats(books["items"]["建议薄弱点"], "错误率") == {PERCENT}
    run_json = books.runs["items"].json
    ledger = Path(run_json["ledger"])
    assert ledger == books.paths["items"].with_name("试题分析_建议薄弱点台账.xlsx")
    assert ledger.exists() and run_json["suggested"] == len(rows)


def test_items_class_rates_are_percent(books: Books, sample: Sample) -> None:
    for sheet in ("各班小题得分率", "知识点得分率"):
        ws = books["items"][sheet]
        assert column_formats(ws, "年级得分率") == {PERCENT}
        for n in sorted(sample.it.marks["班级"].unique()):
            assert column_formats(ws, class_name(sample.it.grade, n)) == {PERCENT}, sheet


def test_items_scatter_labels_points_with_item_numbers(books: Books, sample: Sample) -> None:
    wb = books["items"]
    found = charts(books.paths["items"])
    scatter = [c for c in found if c.kind == "scatterChart"]
    assert len(scatter) == 1 and scatter[0].sheet == "四年级数学期末"
    (s,) = scatter[0].series
    assert s.x and s.y
    assert ref_values(wb, s.name) == ["区分度"]
    xs, ys = ref_cells(wb, s.x), ref_cells(wb, s.y)
    assert [c.row for c in xs] == [c.row for c in ys]
    assert wb["四年级数学期末"].cell(xs[0].row - 1, xs[0].column).value == "难度"
    quality = keyed(table(wb["试题质量"]), "题号")
    labels = list(sample.it.items["题号"])
    assert [quality[(t,)]["难度"] for t in labels] == pytest.approx([c.value for c in xs])
    assert [quality[(t,)]["区分度"] for t in labels] == pytest.approx([c.value for c in ys])
    # Each point's data label is the 题号 cell on its row.
    assert len(s.labels) == len(labels)
    label_cells = [ref_cells(wb, ref)[0] for ref in s.labels]
    assert [c.value for c in label_cells] == labels
    assert [c.row for c in label_cells] == [c.row for c in xs]
    assert {c.column for c in label_cells} == {1}
    assert {(c.kind, c.grouping) for c in found if c.kind != "scatterChart"} == {
        ("barChart", "clustered")
    }


# --------------------------------------------------------------------------- runs and totals


def test_run_summaries_add_up(books: Books, sample: Sample) -> None:
    hw = books.runs["homework"].json["rows"]
    after = sample.hw[[f"{d:%Y-%m}" > HW_MONTH for d in sample.hw["检查日期"]]]
    assert hw["不在范围"] == len(after)  # May: after the month asked for
    assert hw["计入"] == len(sample.hw) - len(after)  # the month and the trend before it
    for kind in ("homework", "observation", "weakpoints", "items"):
        rows = books.runs[kind].json["rows"]
        assert rows["读取"] == rows["计入"] + rows["跳过"] + rows.get("不在范围", 0), kind
        assert books.runs[kind].json["output"] == str(books.paths[kind])
    ws = books["homework"]["口径说明"]
    checked = {r["指标"]: r["本次取值"] for r in table(ws, header_row=3)}
    assert f"读取 {hw['读取']} 行：计入 {hw['计入']}" in checked["行数核对"]
    assert f"不在统计范围 {hw['不在范围']}" in checked["行数核对"]


@pytest.mark.parametrize(
    ("kind", "folder", "option", "message"),
    [
        ("homework", "homework", ("--month", "2026-09"), "2026年9月没有作业检查记录"),
        ("observation", "observation", ("--month", "2026-09"), "2026年9月没有听评课记录"),
        ("weakpoints", "weakpoints", ("--month", "2026-02"), "2026-02-28 及以前没有登记的薄弱点"),
        ("weakpoints", "weakpoints", ("--as-of", "2026-01-31"), "2026-01-31 及以前没有登记"),
    ],
)
def test_a_period_without_records_is_told_not_reported(
    sample: Sample, tmp_path: Path, kind: str, folder: str, option: tuple[str, str], message: str
) -> None:
    target = tmp_path / "空.xlsx"
    result = run(kind, getattr(sample, folder), "-o", target, *option, "-c", sample.config_file)
    assert result.code == 1
    assert message in result.err
    assert "2026-03、2026-04、2026-05" in result.err  # the months the records do have
    assert not target.exists()


def test_json_summary_of_an_empty_month(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "空.xlsx"
    options = ("--month", "2026-09", "-c", sample.config_file, "--json")
    result = run("homework", sample.homework, "-o", target, *options)
    assert result.code == 1
    summary = result.json
    assert summary["output"] is None
    rows = summary["rows"]
    assert rows["计入"] == 0 and rows["不在范围"] == len(sample.hw), rows
    assert "2026年9月" in json.dumps(summary, ensure_ascii=False)


def test_a_month_that_is_not_one_is_refused(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    result = run("homework", sample.homework, "-o", target, "--month", "2026-13")
    assert result.code == 2
    assert "不是月份" in result.err
    assert not target.exists()


# --------------------------------------------------------------------------- planted errors


@pytest.fixture(scope="module")
def dirty_runs(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("dirty_out")
    strict_target, skip_target = out / "strict.xlsx", out / "skipped.xlsx"
    cfg = ("-c", sample.config_file, "--json")
    return {
        "strict": run("homework", sample.dirty, "-o", strict_target, *cfg),
        "strict_target": strict_target,
        "skip": run("homework", sample.dirty, "-o", skip_target, "--skip-invalid", *cfg),
        "skip_target": skip_target,
    }


def _planted(sample: Sample) -> set[tuple[str, str, str]]:
    return {(p.file, p.sheet, p.cell) for p in sample.planted}


def test_planted_errors_stop_the_report(dirty_runs: dict[str, Any], sample: Sample) -> None:
    result: Run = dirty_runs["strict"]
    assert result.code == 1
    assert not dirty_runs["strict_target"].exists()
    assert not list(dirty_runs["strict_target"].parent.glob(".strict*"))  # no temp left
    summary = result.json
    assert summary["output"] is None
    errors = {
        (p["file"], p["sheet"], p["cell"]) for p in summary["problems"] if p["severity"] == "error"
    }
    assert errors == _planted(sample)


def test_skip_invalid_lists_every_planted_cell(dirty_runs: dict[str, Any], sample: Sample) -> None:
    result: Run = dirty_runs["skip"]
    assert result.code == 0
    wb = load_workbook(dirty_runs["skip_target"])
    assert "数据问题" in wb.sheetnames and visible(wb)[-1] == "口径说明"
    listed = [r for r in table(wb["数据问题"]) if r["类别"] == "错误"]
    assert {(r["文件"], r["工作表"], r["单元格"]) for r in listed} == _planted(sample)
    values = {r["单元格"]: r["原值"] for r in listed}
    for p in sample.planted:
        assert values[p.cell] == str(p.value)
    rows = result.json["rows"]
    assert rows["读取"] == rows["计入"] + rows["跳过"] + rows["不在范围"]
    assert rows["计入"] == len(sample.hw) - len(sample.planted)
    assert rows["不在范围"] == 0  # no --month: every record counts
    school = keyed(table(wb["班级汇总"]), "年级", "班级")[("全校", "全校")]
    assert school["检查次数"] == rows["计入"]
    assert "统计范围：全部记录" in wb["班级汇总"]["A2"].value


def test_problem_sheet_wording_fits_records(dirty_runs: dict[str, Any]) -> None:
    subtitle = load_workbook(dirty_runs["skip_target"])["数据问题"]["A2"].value
    assert "错误 4 处" in subtitle
    assert "实考" not in subtitle and "缺考" not in subtitle


# --------------------------------------------------------------------------- check


def test_check_recognises_every_kind_in_one_folder(
    sample: Sample, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("mixed") / "本学期"
    for name, source in (
        ("作业检查", sample.homework),
        ("听评课", sample.observation),
        ("薄弱点台账", sample.weakpoints),
        ("小题分", sample.items),
    ):
        shutil.copytree(source, folder / name)
    write_score_files(sample.school, folder / "期末成绩")
    result = run("check", folder, "-c", sample.config_file, "--json")
    assert result.code == 0, result.out
    files = result.json["files"]
    kinds = {
        "作业检查": "homework",
        "听评课": "observation",
        "薄弱点台账": "weakpoints",
        "小题分": "items",
        "期末成绩": "scores",
    }
    assert {f["file"].split("/")[0] for f in files} == set(kinds)
    for f in files:
        assert f["kind"] == kinds[f["file"].split("/")[0]], f
        assert f["records"] > 0, f

    def records(kind: str) -> int:
        return sum(f["records"] for f in files if f["kind"] == kind)

    assert records("homework") == len(sample.hw)
    assert records("observation") == len(sample.obs)
    assert records("weakpoints") == len(sample.wp)
    assert records("items") == sample.it.marks["学号"].nunique()


def test_check_names_the_planted_cells(sample: Sample) -> None:
    result = run("check", sample.dirty, "-c", sample.config_file, "--json")
    assert result.code == 1
    summary = result.json
    assert {f["kind"] for f in summary["files"]} == {"homework"}
    errors = {
        (p["file"], p["sheet"], p["cell"]) for p in summary["problems"] if p["severity"] == "error"
    }
    assert errors == _planted(sample)
    plain = run("check", sample.dirty, "-c", sample.config_file)
    for p in sample.planted:
        assert p.cell in plain.out


# --------------------------------------------------------------------------- inputs are safe


def test_refuses_to_write_over_an_input(sample: Sample, tmp_path: Path) -> None:
    folder = tmp_path / "作业检查"
    shutil.copytree(sample.homework, folder)
    before = {p.name: digest(p) for p in folder.iterdir()}
    victim = folder / "2026年3月作业检查.xlsx"
    result = run("homework", folder, "-o", victim, "-c", sample.config_file)
    assert result.code == 2
    assert "不能与输入文件相同" in result.err
    assert {p.name: digest(p) for p in folder.iterdir()} == before  # no temp file left either
    items = tmp_path / "小题分"
    shutil.copytree(sample.items, items)
    sheet = next(items.glob("四年级*.xlsx"))
    kept = digest(sheet)
    result = run("items", items, "-o", sheet)
    assert result.code == 2
    assert digest(sheet) == kept
    result = run("items", items, "-o", tmp_path / "试题分析.xlsx", "--ledger", sheet)
    assert result.code == 2
    assert digest(sheet) == kept


def test_rerun_with_the_summary_inside_the_input_folder(sample: Sample, tmp_path: Path) -> None:
    folder = tmp_path / "作业检查"
    shutil.copytree(sample.homework, folder)
    target = folder / "作业检查汇总.xlsx"
    first = run("homework", folder, "-o", target, "-c", sample.config_file, "--json")
    assert first.code == 0
    again = run("homework", folder, "-o", target, "-c", sample.config_file, "--json")
    assert again.code == 0, [p["message"] for p in again.json["problems"]]
    assert again.json["rows"]["计入"] == first.json["rows"]["计入"]


# --------------------------------------------------------------------------- demo

DEMO_BOOKS = (
    "作业检查汇总.xlsx",
    "听评课汇总.xlsx",
    "薄弱点台账汇总.xlsx",
    "试题分析.xlsx",
    "试题分析_建议薄弱点台账.xlsx",
)


def _values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_demo_writes_the_record_reports_deterministically(
    demo_folder: Path, tmp_path: Path
) -> None:
    first, second = demo_folder, tmp_path / "示例"
    result = run("demo", "-o", second, "-q")  # a second run beside the session's
    assert result.code == 0, result.err
    for folder in (first, second):
        for name in DEMO_BOOKS:
            assert (folder / name).exists(), name
    for name in DEMO_BOOKS:
        a, b = _values(first / name), _values(second / name)
        assert list(a) == list(b), name
        for sheet in a:
            assert a[sheet] == b[sheet], (name, sheet)
    detail = _values(first / "作业检查汇总.xlsx")["班级汇总"]
    assert len(detail) > 10 and detail[-1][:2] == ("全校", "全校")
    assert "2026年5月" in detail[0][0]  # the demo summarises May
    again = run("demo", "-o", first, "-q")
    assert again.code == 2  # an existing demo folder is not overwritten


# --------------------------------------------------------------------------- LibreOffice

soffice = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    soffice is None, reason="needs LibreOffice (libreoffice-calc-nogui)"
)


@pytest.fixture(scope="module")
def pdfs(books: Books, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert soffice is not None
    out = tmp_path_factory.mktemp("lo")
    kinds = ("homework", "observation", "weakpoints", "items")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "pdf", "--outdir", str(out), *(str(books.paths[k]) for k in kinds)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return {k: out / f"{books.paths[k].stem}.pdf" for k in kinds}


@needs_libreoffice
@pytest.mark.parametrize("kind", ["homework", "observation", "weakpoints", "items"])
def test_libreoffice_converts_each_workbook(pdfs: dict[str, Path], kind: str) -> None:
    pdf = pdfs[kind]
    assert pdf.exists()
    assert pdf.stat().st_size > 50_000  # tables and charts, not an empty page
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert "口径说明" in text
    first = {
        "homework": "三年级各班作业批改落实率",
        "observation": "三年级“三看”得分率",
        "weakpoints": "三年级各班薄弱点状态",
        "items": "各题难度–区分度",
    }
    assert first[kind] in text
