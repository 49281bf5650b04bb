"""No formula or link injection: user text that starts with ``=``, ``+``, ``-`` or ``@`` (or looks
like a URL) is written as text in every output format.

A sample term is generated with such text in every free-text field a school fills in (student
and teacher names, 班主任, 听课人, the school's name, homework and observation comments, the
weak-point ledger's texts, 小题分 知识点, and invalid score cells whose values are echoed in
数据问题). Every output-producing command runs once on it, and the tests read the outputs' XML:

* xlsx: no injected text inside an ``<f>`` (cell formula), ``<c:f>`` (chart reference),
  ``<formula1>``/``<formula2>`` (validation) or defined name; every cell that shows it is a
  shared or inline string; no hyperlink leads to it (internal ``location=`` links excepted, as
  long as the location is not the injected text).
* docx/pptx: the text is only ever the content of a ``<w:t>``/``<a:t>`` run, never of a field
  code (``w:instrText``, ``w:fldSimple``, ``a:fld``) or a hyperlink relationship.
"""

from __future__ import annotations

import dataclasses
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.demo import records as sample
from toolkit.demo.school import make_config, make_school, write_score_files
from toolkit.demo.term import term_exams
from toolkit.render.workbooks.config_template import write_config_template

pytestmark = pytest.mark.slow

MONTH = "2026-05"
AS_OF = "2026-05-31"
ITEMS_DATE = "2026-07-01"
GRADE = 4  # every injected name and comment is in grade 4 (the richest grade of the sample)

# The brief's own strings, used as student names.
STUDENT_NAMES = ('=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "http://example.com")


def payloads(tag: str) -> list[str]:
    """Five hostile texts carrying ``tag``, so that each can be traced to the field it came from."""
    return [
        f'=HYPERLINK("http://evil","{tag}")',
        f"+{tag}+1",
        f"-{tag}-1",
        f"@{tag}",
        f"https://example.com/{tag}",  # not containing the student's "http://example.com"
    ]


# Every field that gets hostile text: tag → the texts planted in it.
FIELDS: dict[str, list[str]] = {
    "学生姓名": list(STUDENT_NAMES),
    "任课教师": payloads("任课教师"),
    "班主任": payloads("班主任")[:3],  # grade 4 has three classes
    "学校": payloads("学校")[:1],
    "听课人": payloads("听课人")[:2],
    "作业存在问题": payloads("作业存在问题"),
    "作业整改要求": payloads("作业整改要求"),
    "课题": payloads("课题"),
    "亮点": payloads("亮点"),
    "听课存在问题": payloads("听课存在问题"),
    "改进建议": payloads("改进建议"),
    "单元": payloads("单元"),
    "薄弱知识点": payloads("薄弱知识点"),
    "问题表现": payloads("问题表现"),
    "原因分析": payloads("原因分析"),
    "改进措施": payloads("改进措施"),
    # One per knowledge point of the sample's 四年级数学 paper (seven), each with its own prefix.
    "小题知识点": [payloads(f"小题知识点{k}")[k % 5] for k in range(7)],
    "成绩单元格": payloads("成绩单元格"),
}
ALL_PAYLOADS: list[str] = [text for texts in FIELDS.values() for text in texts]
# Hyperlink targets that must never appear in an output.
URL_MARKERS = ("http://evil", "http://example.com", "https://example.com")


# --------------------------------------------------------------------------- the hostile term


def _cycle(frame: pd.DataFrame, rows: pd.Series, column: str, texts: list[str]) -> None:
    """Write ``texts`` in turn into ``column`` of the selected rows."""
    index = frame.index[rows]
    frame[column] = frame[column].astype(object)
    for k, i in enumerate(index):
        frame.at[i, column] = texts[k % len(texts)]


def hostile_config(school_config: SchoolConfig) -> SchoolConfig:
    """Grade 4's teachers and head teachers, and the school, renamed to hostile text."""
    config = school_config
    teachers = list(dict.fromkeys(t.teacher for t in config.teaching if t.grade == GRADE))
    renamed = dict(zip(teachers, FIELDS["任课教师"], strict=False))
    config.teaching = [
        dataclasses.replace(t, teacher=renamed.get(t.teacher, t.teacher)) for t in config.teaching
    ]
    heads = iter(FIELDS["班主任"])
    config.classes = [
        dataclasses.replace(c, head_teacher=next(heads)) if c.grade == GRADE else c
        for c in config.classes
    ]
    config.school = FIELDS["学校"][0]
    return config


def plant_score_cells(folder: Path) -> None:
    """Hostile text typed into score cells of the 期末 四(1)班 file (each in its own row)."""
    path = next(folder.rglob("四(1)班期末成绩.xlsx"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in ws.iter_rows(max_row=10) if any(c.value == "学号" for c in r))
    column = next(c.column for c in header if isinstance(c.value, str) and "数学" in c.value)
    for k, text in enumerate(FIELDS["成绩单元格"]):
        cell = ws.cell(header[0].row + 6 + k, column)
        cell.value = text
        cell.data_type = "s"  # typed as text, as a cell formatted 文本 keeps it
    wb.save(path)


def write_hostile_term(root: Path) -> tuple[Path, Path]:
    """The sample term with hostile text in every free-text field; returns (folder, config)."""
    school = make_school(grades=(3, GRADE))  # two grades keep the run short
    truth = school.truth
    students = truth.index[(truth["年级"] == GRADE) & (truth["班级"] == 1)][: len(STUDENT_NAMES)]
    new_names = dict(zip(truth.loc[students, "学号"], STUDENT_NAMES, strict=True))
    for frame in (truth, school.absent):  # the names in place, so every exam and roster has them
        frame["姓名"] = [new_names.get(sid, name) for sid, name in frame[["学号", "姓名"]].values]
    config = hostile_config(make_config(school))
    config_path = root / "学校配置.xlsx"
    write_config_template(config_path, config)
    problems = ProblemReport()
    config = load_config(config_path, problems)
    assert not problems.has_errors, [str(p) for p in problems.errors]
    assert config.school == FIELDS["学校"][0]

    folder = root / "学期"
    exams = term_exams(school)
    for name, exam in exams.items():
        write_score_files(exam, folder / "成绩" / name)
    plant_score_cells(folder / "成绩" / "期末")

    for name in ("期中", "期末"):
        items = sample.make_items(exams[name])
        points = list(dict.fromkeys(items.items["知识点"]))
        assert len(points) == len(FIELDS["小题知识点"])
        hostile = dict(zip(points, FIELDS["小题知识点"], strict=True))
        frame = items.items.copy()
        frame["知识点"] = frame["知识点"].map(hostile)
        sample.write_item_files(dataclasses.replace(items, items=frame), folder / "小题分" / name)

    homework = sample.make_homework(config)
    mine = homework["年级"] == GRADE
    _cycle(homework, mine, "存在问题", FIELDS["作业存在问题"])
    _cycle(homework, mine, "整改要求", FIELDS["作业整改要求"])
    homework.loc[mine, "得分"] = 70.0  # under the alert line: listed with its comments
    sample.write_homework_files(homework, folder / "作业检查")

    observations = sample.make_observations(config)
    mine = observations["年级"] == GRADE
    for column, tag in (
        ("课题", "课题"),
        ("亮点", "亮点"),
        ("存在问题", "听课存在问题"),
        ("改进建议", "改进建议"),
    ):
        _cycle(observations, mine, column, FIELDS[tag])
    leaders = dict(zip(sample.observation_leaders(config), FIELDS["听课人"], strict=True))
    observations["听课人"] = observations["听课人"].map(lambda n: leaders.get(n, n))
    sample.write_observation_files(observations, folder / "听评课")

    weak = sample.make_weakpoints(config)
    mine = weak["年级"] == GRADE
    for column, tag in (
        ("单元", "单元"),
        ("知识点", "薄弱知识点"),
        ("问题表现", "问题表现"),
        ("原因分析", "原因分析"),
        ("改进措施", "改进措施"),
    ):
        _cycle(weak, mine, column, FIELDS[tag])
    sample.write_weakpoint_files(weak, folder / "薄弱点台账")
    return folder, config_path


@dataclass
class Run:
    root: Path
    folder: Path
    config: Path
    out: Path
    codes: dict[str, int]

    def outputs(self, command: str) -> list[Path]:
        """The xlsx/docx/pptx files a command wrote."""
        where = self.out / command
        found = [p for p in sorted(where.rglob("*")) if p.suffix in (".xlsx", ".docx", ".pptx")]
        return found


COMMANDS = (
    "scores",
    "homework",
    "observation",
    "weakpoints",
    "items",
    "monthly",
    "term",
    "templates",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("injection")
    folder, config = write_hostile_term(root)
    out = root / "out"
    common = ["-c", str(config), "-q"]
    argv: dict[str, list[str]] = {
        "scores": [
            "scores",
            str(folder / "成绩" / "期末"),
            "--previous",
            str(folder / "成绩" / "期中"),
            "--skip-invalid",
            "-o",
            str(out / "scores" / "成绩分析.xlsx"),
            *common,
        ],
        "homework": [
            "homework",
            str(folder / "作业检查"),
            "-o",
            str(out / "homework" / "作业检查汇总.xlsx"),
            *common,
        ],
        "observation": [
            "observation",
            str(folder / "听评课"),
            "--as-of",
            AS_OF,
            "-o",
            str(out / "observation" / "听评课汇总.xlsx"),
            *common,
        ],
        "weakpoints": [
            "weakpoints",
            str(folder / "薄弱点台账"),
            "--as-of",
            AS_OF,
            "-o",
            str(out / "weakpoints" / "薄弱点台账汇总.xlsx"),
            *common,
        ],
        "items": [
            "items",
            str(folder / "小题分" / "期末"),
            "--date",
            ITEMS_DATE,
            "-o",
            str(out / "items" / "试题分析.xlsx"),
            *common,
        ],
        "monthly": ["monthly", str(folder), "--month", MONTH, "-o", str(out / "monthly"), *common],
        "term": ["term", str(folder), "--as-of", AS_OF, "-o", str(out / "term"), *common],
        "templates": ["templates", "-c", str(config), "-o", str(out / "templates")],
    }
    codes = {name: main(args) for name, args in argv.items()}
    return Run(root, folder, config, out, codes)


# --------------------------------------------------------------------------- reading the XML


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _hostile_in(text: str | None) -> list[str]:
    return [p for p in ALL_PAYLOADS if text and p in text]


def _hostile_formula(text: str | None) -> list[str]:
    """Hostile text in a formula: a formula is stored without its leading ``=``."""
    return [p for p in ALL_PAYLOADS if text and (p in text or (p[0] == "=" and p[1:] in text))]


def _parts(path: Path) -> Iterator[tuple[str, ET.Element]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                yield name, ET.fromstring(archive.read(name))


@dataclass(frozen=True)
class Finding:
    text: str  # the hostile text
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


@dataclass
class Scan:
    shown: set[str] = field(default_factory=set)  # hostile texts shown as plain text
    findings: list[Finding] = field(default_factory=list)  # … and anywhere else

    def found(self, texts: list[str], where: str) -> None:
        self.findings.extend(Finding(text, where) for text in texts)

    def links(self, name: str, root: ET.Element) -> None:
        """Relationships that lead to hostile text or to the injected URLs."""
        for rel in root:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or "hyperlink" in (rel.get("Type") or ""):
                hits = _hostile_in(target) + [u for u in URL_MARKERS if u in target]
                self.found(hits, f"{name}: link to {target!r}")


# Elements of a workbook whose text Excel evaluates: cell formulas, chart references, data
# validation and conditional format formulas, defined names.
FORMULA_TAGS = {"f", "formula", "formula1", "formula2", "definedName"}


def scan_xlsx(path: Path) -> Scan:
    scan = Scan()
    parts = dict(_parts(path))
    sst = parts.get("xl/sharedStrings.xml")
    strings = (
        ["".join(t.text or "" for t in si.iter() if _local(t.tag) == "t") for si in sst]
        if sst is not None
        else []
    )
    for name, root in parts.items():
        if name.endswith(".rels"):
            scan.links(name, root)
            continue
        for element in root.iter():
            tag = _local(element.tag)
            if tag in FORMULA_TAGS:
                scan.found(_hostile_formula(element.text), f"{name}: inside <{tag}>")
            elif tag == "hyperlink":
                for key, value in element.attrib.items():
                    hits = _hostile_in(value) + [u for u in URL_MARKERS if u in value]
                    scan.found(hits, f"{name}: <hyperlink {_local(key)}={value!r}>")
            elif tag == "c" and name.startswith("xl/worksheets/"):
                kind = element.get("t", "n")
                value = element.find("{*}v")
                if kind == "s" and value is not None:
                    text = strings[int(value.text or 0)]
                elif kind == "inlineStr":
                    text = "".join(element.itertext())
                else:
                    text = value.text if value is not None else ""
                hostile = _hostile_in(text)
                if kind in ("s", "inlineStr") and element.find("{*}f") is None:
                    scan.shown.update(hostile)
                else:
                    scan.found(hostile, f"{name} {element.get('r')}: in a cell of type {kind!r}")
    return scan


# docx/pptx elements whose text is literal: w:t and a:t runs. Hostile text may also, harmlessly,
# be the document's title (docProps/core.xml) or a picture's alternative text (descr, title).
RUN_NAMESPACES = ("wordprocessingml/2006/main", "drawingml/2006/main")
HARMLESS = {"title", "descr"}
FIELD_TAGS = {"instrText", "fldSimple", "fld", "hyperlink", "hlinkClick", "hlinkHover"}


def scan_office(path: Path) -> Scan:
    scan = Scan()
    for name, root in _parts(path):
        if name.endswith(".rels"):
            scan.links(name, root)
            continue
        for element in root.iter():
            tag = _local(element.tag)
            hostile = _hostile_in(element.text)
            if tag == "t" and element.tag.split("}")[0].endswith(RUN_NAMESPACES):
                scan.shown.update(hostile)
            elif tag not in HARMLESS:
                scan.found(hostile, f"{name}: inside <{tag}>")
            if tag in FIELD_TAGS:
                inner = " ".join([*element.attrib.values(), *element.itertext()])
                scan.found(_hostile_formula(inner), f"{name}: in a field or link <{tag}>")
            for key, value in element.attrib.items():
                if _local(key) not in HARMLESS:
                    scan.found(_hostile_in(value), f"{name}: in <{tag} {_local(key)}=…>")
    return scan


def scan(path: Path) -> Scan:
    return scan_xlsx(path) if path.suffix == ".xlsx" else scan_office(path)


@pytest.fixture(scope="module")
def scans(run: Run) -> dict[str, dict[Path, Scan]]:
    return {command: {p: scan(p) for p in run.outputs(command)} for command in COMMANDS}


# --------------------------------------------------------------------------- the tests

SCHOOL = set(FIELDS["学校"])
# Free-text fields that no output shows (in no cell, run or title of any output): 听评课 亮点, and
# the 薄弱点台账's 单元, 问题表现 and 原因分析. (班主任 of the config is shown only where the
# sample's records name the grade's leader as 检查人 or 听课人.)
NEVER_SHOWN = {"亮点", "单元", "问题表现", "原因分析"}


def test_every_command_succeeds(run: Run) -> None:
    assert run.codes == dict.fromkeys(COMMANDS, 0)


def _report(scans: dict[Path, Scan], keep: Callable[[Finding], bool]) -> list[str]:
    return [f"{p.name}: {f}" for p, s in scans.items() for f in s.findings if keep(f)]


@pytest.mark.parametrize("command", COMMANDS)
def test_workbooks_hold_hostile_text_as_strings(
    scans: dict[str, dict[Path, Scan]], command: str
) -> None:
    books = {p: s for p, s in scans[command].items() if p.suffix == ".xlsx"}
    assert books, f"{command} wrote no workbook"
    assert set().union(*(s.shown for s in books.values())), "no hostile text reached the output"
    assert _report(books, lambda f: f.text not in SCHOOL) == []


@pytest.mark.parametrize("command", ["monthly", "term"])
def test_documents_hold_hostile_text_only_as_run_text(
    scans: dict[str, dict[Path, Scan]], command: str
) -> None:
    documents = {p: s for p, s in scans[command].items() if p.suffix in (".docx", ".pptx")}
    assert documents, f"{command} wrote no Word or PowerPoint file"
    assert set().union(*(s.shown for s in documents.values())), "no hostile text reached them"
    assert _report(documents, lambda f: True) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_the_school_name_is_text(scans: dict[str, dict[Path, Scan]], command: str) -> None:
    """The school's name (from 学校配置) heads most outputs: as text, never a formula."""
    assert _report(scans[command], lambda f: f.text in SCHOOL) == []


def test_hostile_text_of_every_field_reaches_an_output(
    scans: dict[str, dict[Path, Scan]],
) -> None:
    """The checks above are not vacuous: each field's text is in some output (as text)."""
    shown: set[str] = set()
    for outputs in scans.values():
        for s in outputs.values():
            shown |= s.shown
    missing = {
        tag: [t for t in texts if t not in shown]
        for tag, texts in FIELDS.items()
        if tag not in NEVER_SHOWN and not shown.intersection(texts)
    }
    assert missing == {}
    assert set(STUDENT_NAMES) <= shown


def test_the_scanners_see_formulas_fields_and_links(tmp_path: Path) -> None:
    """What the checks above look for, produced on purpose: they are found."""
    import docx
    import xlsxwriter
    from docx.oxml import OxmlElement

    book = tmp_path / "unsafe.xlsx"
    with xlsxwriter.Workbook(str(book)) as workbook:  # default options: formulas and URLs
        sheet = workbook.add_worksheet()
        sheet.write(0, 0, STUDENT_NAMES[0])
        sheet.write(1, 0, STUDENT_NAMES[4])
        sheet.write_string(2, 0, STUDENT_NAMES[1])
    found = scan_xlsx(book)
    assert {f.text for f in found.findings} == {STUDENT_NAMES[0], STUDENT_NAMES[4]}
    assert found.shown == {STUDENT_NAMES[1], STUDENT_NAMES[4]}  # the link's display text

    document = docx.Document()
    document.add_paragraph().add_run(STUDENT_NAMES[2])
    run = document.add_paragraph().add_run()
    code = OxmlElement("w:instrText")
    code.text = f" {STUDENT_NAMES[0][1:]} "
    run._r.append(code)
    path = tmp_path / "unsafe.docx"
    document.save(str(path))
    found = scan_office(path)
    assert found.shown == {STUDENT_NAMES[2]}
    assert {f.text for f in found.findings} == {STUDENT_NAMES[0]}


def write_hostile_xls(path: Path) -> None:
    """A small .xls score sheet (annotated as a values copy) with hostile names and scores."""
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Sheet1")
    for c, header in enumerate(["学号", "姓名", "语文", "数学"]):
        sheet.write(0, c, header)
    for r, (name, score) in enumerate(zip(STUDENT_NAMES, FIELDS["成绩单元格"], strict=True), 1):
        for c, value in enumerate((f"2022020{r}", name, 80, score)):
            sheet.write(r, c, value)  # xlwt writes a str as a text cell, "=…" included
    workbook.save(str(path))


def test_annotated_copies_keep_hostile_values_as_text(run: Run, tmp_path: Path) -> None:
    """``xueqing check --annotate``: 问题清单 lists each bad cell with its value; a value that
    starts with ``=`` is shown as text, and the user's own cells stay text in the copy (an
    edited .xlsx and a values copy of an .xls)."""
    source = next((run.folder / "成绩" / "期末").rglob("四(1)班期末成绩.xlsx"))
    inputs = tmp_path / "收到的文件"
    inputs.mkdir()
    shutil.copy(source, inputs / source.name)
    write_hostile_xls(inputs / "四(2)班期末成绩.xls")
    out = tmp_path / "待修改"
    try:
        code = main(["check", str(inputs), "--annotate", "-o", str(out), "-q"])
    except SystemExit as exc:  # argparse: the option does not exist (yet)
        pytest.fail(f"xueqing check --annotate failed to start (exit {exc.code})")
    assert code == 1  # the hostile score cells are errors
    books = sorted(out.rglob("*.xlsx"))
    assert [p.name for p in books] == ["四(1)班期末成绩.xlsx", "四(2)班期末成绩.xlsx"]
    for path in books:
        workbook = load_workbook(path)
        assert "问题清单" in workbook.sheetnames
        listed: set[str] = set()
        for row in workbook["问题清单"].iter_rows():
            for cell in row:
                hostile = _hostile_in(cell.value if isinstance(cell.value, str) else None)
                listed.update(hostile)
                if hostile:
                    assert cell.data_type == "s", (path.name, cell.coordinate, cell.value)
        assert set(FIELDS["成绩单元格"]) <= listed, path.name
        scan = scan_xlsx(path)
        assert [str(f) for f in scan.findings] == [], path.name
        assert set(STUDENT_NAMES) <= scan.shown, path.name  # the user's cells, still text
