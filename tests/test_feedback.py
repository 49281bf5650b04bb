"""个人学情反馈单 (xueqing feedback): each class's Word file read back page by page — one
student per page, their own levels (worked out here from the scores and the default lines), the
knowledge points and suggestion worked by hand from a small 小题分 sheet, the 评语 or a blank
box, no rank and no score unless the config says so — and the class's workbook beside it.

Inputs are made as teachers make them: a title row over a 学号/姓名/subjects table, one file per
class named after the class and the exam, a subject typed in levels, 缺考 typed in a cell, and a
小题分 sheet in the template's layout (学科/考试 line, 满分 and 知识点 rows under the header).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import Workbook, load_workbook

from toolkit.cli.parser import main
from toolkit.feedback.slips import ClassSlips, Slip, SlipRow, percent
from toolkit.present import INTERNAL_MARK
from toolkit.render.documents.feedback_doc import write_slip_document

Row = tuple[Any, ...]

# 三(2)班: 语文 and 数学 in points (100 each, default lines 优秀 90, 良好 80, 及格 60), 英语 typed
# in levels as teachers spell them, a 评语 column filled for two students.
CLASS_2: list[Row] = [
    ("30201", "王小明", 95, 88, "优", "上课专心，书写工整。"),
    ("30202", "李华", 72, 59.5, "待提高", None),
    ("30203", "赵子涵", "缺考", 91, "良", ""),
    ("30204", "钱多多", 60, 80, "C", None),
    ("30205", "孙悟净", 89.5, 79, "A", "乐于助人，继续努力！"),
    ("30206", "周一鸣", 100, 60, "及格", None),
    ("30207", "吴小雨", 45, 90, "B", None),
    ("30208", "郑好", 81, "缺考", "D", None),
]
CLASS_1: list[Row] = [
    ("30101", "马东东", 93, 67, "良", None),
    ("30102", "林小溪", 58, 92, "优", None),
    ("30103", "何佳佳", 84, 75, "待提高", None),
]
TYPED = {"优": "优秀", "良": "良好", "及格": "合格", "待提高": "待合格"}
TYPED |= {"A": "优秀", "B": "良好", "C": "合格", "D": "待合格"}
SUBJECTS = ("语文", "数学", "英语")

# 三(2)班 数学 小题分: items 1–2 小数乘除 (10 each), 3 分数应用 (20), 4 图形面积 (20). 路人甲 is on
# no score sheet (a student of another class typed in): warned about, on no slip.
ITEMS = [("1", 10, "小数乘除"), ("2", 10, "小数乘除"), ("3", 20, "分数应用"), ("4", 20, "图形面积")]
ITEM_ROWS: list[Row] = [
    ("30201", "王小明", 10, 9, 18, 15),
    ("30202", "李华", 5, 4, 8, 18),
    ("30203", "赵子涵", 8, 8, 12, 10),
    ("30204", "钱多多", 6, 7, 16, 12),
    ("30208", "郑好", "缺考", "缺考", "缺考", "缺考"),  # 缺考 in 数学: listed, nothing to count
    ("30299", "路人甲", 1, 1, 1, 1),
]
RANK_WORDS = re.compile(r"名次|排名|排第|第\s*\d+\s*名")


def level(score: float) -> str:
    """By hand: the default lines of a 100-mark subject."""
    return "优秀" if score >= 90 else "良好" if score >= 80 else "合格" if score >= 60 else "待合格"


def expected_level(cell: Any) -> str:
    if cell == "缺考":
        return "缺考"
    if isinstance(cell, str):
        return TYPED[cell]
    return level(cell)


def write_scores(path: Path, title: str, rows: list[Row], *, comments: bool = True) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(["学号", "姓名", *SUBJECTS, *(["评语"] if comments else [])])
    for row in rows:
        sheet.append(list(row if comments else row[:-1]))
    book.save(path)


def write_items(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "小题分"
    sheet.append(["三(2)班数学期末小题分"])
    sheet.append(["学科", "数学", "考试", "期末", "年级", "三年级"])
    sheet.append(["班级", "学号", "姓名", *[label for label, _, _ in ITEMS]])
    sheet.append(["满分", None, None, *[full for _, full, _ in ITEMS]])
    sheet.append(["知识点", None, None, *[point for _, _, point in ITEMS]])
    for student_id, name, *cells in ITEM_ROWS:
        sheet.append(["三(2)班", student_id, name, *cells])
    book.save(path)


def write_config(path: Path, parameters: list[Row]) -> Path:
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "基本信息": [
            ["项目", "值"],
            ["学校", "实验小学"],
            ["学年", "2025-2026"],
            ["学期", "第二学期"],
        ],
        "学科": [["年级", "学科", "满分", "优秀线", "良好线", "及格线", "低分线"]],
        "参数": [["项目", "值"], *parameters],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feedback") / "期末"
    folder.mkdir()
    write_scores(folder / "三(2)班期末成绩.xlsx", "三年级(2)班期末成绩", CLASS_2)
    write_scores(folder / "三(1)班期末成绩.xlsx", "三年级(1)班期末成绩", CLASS_1)
    write_items(folder / "三(2)班数学期末小题分.xlsx")
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["feedback", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def default_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs with no config: levels only, no class reference."""
    out = tmp_path_factory.mktemp("out") / "反馈单"
    assert main(["feedback", str(inputs), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def told_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("told")
    config = write_config(root / "学校配置.xlsx", [("反馈告知分数", "是"), ("反馈班级参考", "是")])
    out = root / "反馈单"
    assert main(["feedback", str(inputs), "-o", str(out), "-c", str(config), "-q"]) == 0
    return out


# -- reading a class's Word file back, page by page --------------------------------------------


class Page:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables: list[list[list[str]]] = []

    @property
    def text(self) -> str:
        cells = [c for table in self.tables for row in table for c in row]
        return "\n".join([*self.lines, *cells])

    def table(self, first: str) -> list[list[str]]:
        return next(t for t in self.tables if t[0][0] == first)

    def levels(self, first: str = "学科") -> dict[str, list[str]]:
        table = self.table(first)
        return {row[0]: row[1:] for row in table[1:]}

    def comment_box(self) -> str:
        (box,) = [t for t in self.tables if len(t) == 1 and len(t[0]) == 1]
        return box[0][0]


def pages(path: Path) -> list[Page]:
    """The document split at page breaks (a paragraph set to start a page, or a page break)."""
    doc = Document(str(path))
    found = [Page()]
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc)
            breaks = child.xpath('.//w:br[@w:type="page"]')
            if (paragraph.paragraph_format.page_break_before or breaks) and (
                found[-1].lines or found[-1].tables
            ):
                found.append(Page())
            if paragraph.text:
                found[-1].lines.append(paragraph.text)
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            found[-1].tables.append([[cell.text for cell in row.cells] for row in table.rows])
    return found


def by_name(path: Path, rows: list[Row]) -> dict[str, Page]:
    """Each page under the one student's name it holds (asserting there is exactly one)."""
    shown = {}
    for page in pages(path):
        names = [row[1] for row in rows if row[1] in page.text]
        assert len(names) == 1, names
        shown[names[0]] = page
    return shown


CLASS_2_DOC = "三年级2班_个人学情反馈单.docx"
CLASS_1_DOC = "三年级1班_个人学情反馈单.docx"


# -- the tests ----------------------------------------------------------------------------------


def test_one_page_per_student_with_only_their_name_and_no_rank(
    default_run: Path,
) -> None:
    out = default_run
    everyone = [*CLASS_2, *CLASS_1, *ITEM_ROWS]
    for name, rows in ((CLASS_2_DOC, CLASS_2), (CLASS_1_DOC, CLASS_1)):
        found = pages(out / name)
        assert len(found) == len(rows)
        for page, row in zip(found, rows, strict=True):  # in the order of the class's sheet
            others = {r[1] for r in everyone} - {row[1]}
            assert row[1] in page.text
            assert not [o for o in others if o in page.text]
            assert not RANK_WORDS.search(page.text)
            assert "个人学情反馈单" in page.lines[0]
            assert any("期末" in line for line in page.lines)
            assert any(f"三({name[3]})班" in line for line in page.lines)


def test_levels_are_the_scores_by_the_lines_and_typed_levels_as_typed(
    default_run: Path,
) -> None:
    out = default_run
    checked = 0
    for name, rows in ((CLASS_2_DOC, CLASS_2), (CLASS_1_DOC, CLASS_1)):
        shown = by_name(out / name, rows)
        for _, student, *cells in rows:
            levels = shown[student].levels()
            assert list(levels) == list(SUBJECTS)
            for subject, cell in zip(SUBJECTS, cells, strict=False):
                assert levels[subject] == [expected_level(cell)], (student, subject)
                checked += 1
    assert checked == 3 * (len(CLASS_2) + len(CLASS_1))


def test_no_score_is_told_by_default(default_run: Path) -> None:
    out = default_run
    for name, rows in ((CLASS_2_DOC, CLASS_2), (CLASS_1_DOC, CLASS_1)):
        shown = by_name(out / name, rows)
        for _, student, *cells in rows:
            page = shown[student]
            assert page.table("学科")[0] == ["学科", "等级"]
            for score in (c for c in cells if isinstance(c, (int, float))):
                number = re.escape(f"{score:g}")
                # a score as a number of its own (not a part of 2025, not a rate such as 80%)
                assert not re.search(rf"(?<![\d.]){number}(?![\d.%])", page.text), (student, score)


def test_knowledge_points_and_suggestion_by_hand(
    default_run: Path,
) -> None:
    out = default_run
    shown = by_name(out / CLASS_2_DOC, CLASS_2)
    # 李华: 小数乘除 (5 + 4) / 20 = 45%, 分数应用 8 / 20 = 40%, 图形面积 18 / 20 = 90%.
    page = shown["李华"]
    mastered, to_work_on = page.table("掌握较好（本人得分率 ≥80%）")[1]
    assert mastered.split("\n") == ["图形面积\u300090%"]
    assert to_work_on.split("\n") == ["分数应用\u300040%", "小数乘除\u300045%"]
    assert (
        "学习建议：建议复习：分数应用（本次得分率 40%）、小数乘除（本次得分率 45%）" in page.lines
    )
    # 赵子涵: exactly on the lines — 小数乘除 16 / 20 = 80% is 掌握较好, 分数应用 12 / 20 = 60%
    # is neither, 图形面积 10 / 20 = 50% needs work.
    mastered, to_work_on = shown["赵子涵"].table("掌握较好（本人得分率 ≥80%）")[1]
    assert mastered == "小数乘除\u300080%"
    assert to_work_on == "图形面积\u300050%"
    # 王小明: nothing under 60%.
    page = shown["王小明"]
    assert page.table("掌握较好（本人得分率 ≥80%）")[1][1] == "（无）"
    assert "学习建议：本次各知识点得分率都不低于 60%，请继续保持。" in page.lines
    # A student the 小题分 does not list, and a class without 小题分: no such section.
    assert "本次小题分中没有该生的记录。" in shown["孙悟净"].lines
    # Listed with every item 缺考: said as such, not as missing from the sheet.
    said = "本次小题分中该生没有可计的得分（各题缺考或未填），不统计知识点掌握情况。"
    assert said in shown["郑好"].lines
    assert "本次小题分中没有该生的记录。" not in shown["郑好"].lines
    for page in pages(out / CLASS_1_DOC):
        assert not any("知识点" in line for line in page.lines)


def test_comment_column_on_its_students_slip_and_a_blank_box_otherwise(
    default_run: Path,
) -> None:
    out = default_run
    shown = by_name(out / CLASS_2_DOC, CLASS_2)
    for _, student, *_cells, comment in CLASS_2:
        assert shown[student].comment_box() == (comment or "")
    assert shown["王小明"].comment_box() == "上课专心，书写工整。"  # full-width ， kept
    for page in pages(out / CLASS_1_DOC):
        assert page.comment_box() == ""
        assert any(line.startswith("家长签名：") for line in page.lines)


def test_the_class_workbook_has_a_row_per_student_and_no_rank(
    default_run: Path,
) -> None:
    out = default_run
    book = load_workbook(out / "三年级2班_个人学情反馈单.xlsx", read_only=True)
    rows = list(book["反馈单"].iter_rows(values_only=True))
    assert INTERNAL_MARK in str(rows[0][0])
    header = list(rows[2])
    assert header == [
        "学号", "姓名", "语文等级", "数学等级", "英语等级", "掌握较好", "需要加强", "建议", "评语",
    ]  # fmt: skip
    assert not [h for h in header if RANK_WORDS.search(str(h)) or "分数" in str(h)]
    body = [dict(zip(header, r, strict=True)) for r in rows[3:] if r[1]]
    assert [r["姓名"] for r in body] == [row[1] for row in CLASS_2]
    li = next(r for r in body if r["姓名"] == "李华")
    assert (li["学号"], li["数学等级"], li["英语等级"]) == ("30202", "待合格", "待合格")
    assert li["需要加强"] == "分数应用 40%、小数乘除 45%"
    assert li["建议"] == "建议复习：分数应用（本次得分率 40%）、小数乘除（本次得分率 45%）"
    assert next(r for r in body if r["姓名"] == "孙悟净")["评语"] == "乐于助人，继续努力！"
    assert "口径说明" in book.sheetnames


def test_the_unmatched_item_student_is_warned_about(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = run([str(inputs), "-o", str(tmp_path / "out")], capsys)
    assert code == 0
    warned = [p for p in summary["problems"] if p["code"] == "feedback.items_unmatched"]
    assert len(warned) == 1 and "1 名学生" in warned[0]["message"]
    assert summary["students"] == len(CLASS_1) + len(CLASS_2)
    assert sorted(Path(p).name for p in summary["outputs"]) == sorted(
        [CLASS_1_DOC, CLASS_2_DOC, CLASS_1_DOC[:-4] + "xlsx", CLASS_2_DOC[:-4] + "xlsx"]
    )


def test_scores_and_class_reference_when_the_config_says_so(told_run: Path) -> None:
    shown = by_name(told_run / CLASS_2_DOC, CLASS_2)
    reference = {}
    for k, subject in enumerate(SUBJECTS):  # counts by hand, 缺考 aside
        levels = [expected_level(row[2 + k]) for row in CLASS_2]
        reference[subject] = "　".join(
            f"{name} {levels.count(name)}" for name in ("优秀", "良好", "合格", "待合格")
        )
    for _, student, *cells, _comment in CLASS_2:
        page = shown[student]
        assert page.table("学科")[0] == ["学科", "等级", "分数", "本班参考（人数）"]
        assert "实验小学　2025-2026学年第二学期　期末" in page.lines
        levels = page.levels()
        for subject, cell in zip(SUBJECTS, cells, strict=True):
            told = f"{cell:g}" if isinstance(cell, (int, float)) and subject != "英语" else ""
            assert levels[subject] == [expected_level(cell), told, reference[subject]]
        assert not RANK_WORDS.search(page.text)
    header = list(
        list(load_workbook(told_run / "三年级2班_个人学情反馈单.xlsx")["反馈单"].values)[2]
    )
    assert header[2:8] == ["语文等级", "语文分数", "数学等级", "数学分数", "英语等级", "英语分数"]


def test_write_feedback_for_one_class_as_the_demo_calls_it(inputs: Path, tmp_path: Path) -> None:
    from toolkit.items.report import analyze_items
    from toolkit.render.documents.feedback_doc import write_feedback
    from toolkit.scores.report import analyze

    report = analyze([inputs / "三(1)班期末成绩.xlsx", inputs / "三(2)班期末成绩.xlsx"])
    items = analyze_items([inputs / "三(2)班数学期末小题分.xlsx"])
    written = write_feedback(report, items, tmp_path, classes=[(3, 2)])
    assert [p.name for p in written] == [CLASS_2_DOC, CLASS_2_DOC[:-4] + "xlsx"]
    page = by_name(written[0], CLASS_2)["李华"]
    assert (
        "学习建议：建议复习：分数应用（本次得分率 40%）、小数乘除（本次得分率 45%）" in page.lines
    )
    assert (
        write_feedback(report, None, tmp_path / "无小题分", classes=[(3, 1)])[0].name == CLASS_1_DOC
    )


# -- which exam ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_exams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("two-exams")
    for exam, shift in (("期中", -15), ("期末", 0)):
        (root / exam).mkdir()
        rows = [
            (sid, name, *(c + shift if isinstance(c, (int, float)) else c for c in cells))
            for sid, name, *cells in CLASS_1
        ]
        write_scores(root / exam / f"三(1)班{exam}成绩.xlsx", f"三年级(1)班{exam}成绩", rows)
    return root


def test_several_exams_are_refused_with_their_names(
    two_exams: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = run([str(two_exams), "-o", str(tmp_path / "out")], capsys)
    assert code == 2
    assert summary["exams"] == ["期中", "期末"]
    assert "期中、期末" in summary["failure"] and "--exam" in summary["failure"]
    assert summary["outputs"] == [] and not (tmp_path / "out").exists()
    code, summary = run([str(two_exams), "-o", str(tmp_path / "out"), "--exam", "月考"], capsys)
    assert code == 2 and "月考" in summary["failure"]


def test_exam_picks_one_of_several(
    two_exams: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = run([str(two_exams), "-o", str(tmp_path), "--exam", "期中"], capsys)
    assert code == 0 and summary["exam"] == "期中"
    shown = by_name(tmp_path / CLASS_1_DOC, CLASS_1)
    for _, student, *cells, _comment in CLASS_1:
        page = shown[student]
        assert any(line.endswith("期中") for line in page.lines)
        levels = page.levels()
        for subject, cell in zip(SUBJECTS, cells, strict=True):
            midterm = cell - 15 if isinstance(cell, (int, float)) else cell
            assert levels[subject] == [expected_level(midterm)]


# -- the slip's rows are items → levels: a 乐考 slip (grades 1–2) is written alike -------------


def test_a_slip_of_lekao_items(tmp_path: Path) -> None:
    rows = [
        SlipRow("拼音小达人", "优秀", group="语文"),
        SlipRow("口算小能手", "良好", group="数学"),
    ]
    slips = ClassSlips(
        "实验小学",
        1,
        3,
        "乐考",
        "2025-2026学年第二学期",
        [Slip("实验小学", 1, 3, "", "小豆丁", rows)],
        row_label="项目",
    )
    path = write_slip_document(slips, tmp_path / f"{slips.file_stem}.docx")
    assert path.name == "一年级3班_个人学情反馈单.docx"
    (page,) = pages(path)
    assert page.levels("项目") == {"拼音小达人": ["优秀"], "口算小能手": ["良好"]}
    assert "一、各项目等级" in page.lines and page.comment_box() == ""


def test_rates_round_half_up() -> None:
    assert [percent(r) for r in (0.125, 0.445, 0.6, 1.0, 0.0)] == [
        "13%",
        "45%",
        "60%",
        "100%",
        "0%",
    ]


# -- PDF -------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="needs LibreOffice and poppler-utils",
)
def test_pdf_has_a_page_per_student(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = run([str(inputs), "-o", str(tmp_path), "--pdf"], capsys)
    assert code == 0
    pdfs = {Path(p).name: Path(p) for p in summary["outputs"] if p.endswith(".pdf")}
    for name, rows in ((CLASS_2_DOC, CLASS_2), (CLASS_1_DOC, CLASS_1)):
        info = subprocess.run(
            ["pdfinfo", str(pdfs[name[:-4] + "pdf"])], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(rows))  # type: ignore[union-attr]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", str(pdfs[CLASS_2_DOC[:-4] + "pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "李华" in text and "建议复习" in text and "家长签名" in text  # nothing cut off
