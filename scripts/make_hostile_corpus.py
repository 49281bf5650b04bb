"""Write the hostile-input corpus (issue 6): one file per kind of bad input a school sends in.

    python scripts/make_hostile_corpus.py

regenerates the small cases in ``tests/data/hostile/``. ``tests/test_hostile.py`` imports
:func:`write_corpus` to build the same files (and, with ``big=True``, the two large ones, which
are never committed) in a temporary folder and checks that each gets a clear message, never a
traceback. Output is byte-for-byte deterministic: fixed document dates, fixed zip timestamps,
and a seeded salt for the password-protected workbook.

Every score sheet has a title row, then the header on row 2 (班级 姓名 语文 数学 英语 …) and
students from row 3, so the cells the tests point at are easy to read off here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import xlsxwriter

TARGET = Path(__file__).resolve().parent.parent / "tests" / "data" / "hostile"

# Case name → file name. ``same_student_*`` go together (one student in two files).
FILES: dict[str, str] = {
    "good": "正常成绩.xlsx",
    "truncated": "损坏_只剩一半.xlsx",
    "password": "有密码.xlsx",
    "csv_renamed": "CSV改名.xlsx",
    "docx_renamed": "Word文档改名.xlsx",
    "empty": "空文件.xlsx",
    "no_header": "没有表头.xlsx",
    "duplicate_header": "重复表头.xlsx",
    "merged": "合并单元格.xlsx",
    "hidden": "隐藏行和工作表.xlsx",
    "score_date": "分数是日期.xlsx",
    "homework_serial_dates": "作业检查_日期是数字.xlsx",
    "formula_no_value": "公式没有缓存值.xlsx",
    "error_values": "错误值.xlsx",
    "fullwidth": "全角和零宽字符.xlsx",
    "same_student_a": "同一学生_A.xlsx",
    "same_student_b": "同一学生_B.xlsx",
}
BIG_FILES: dict[str, str] = {
    "huge_rows": "满到最后一行.xlsx",
    "huge_cell": "超长单元格.xlsx",
}

PASSWORD = "123456"
SHEET = "成绩"
SUBJECTS = ("语文", "数学", "英语")
HEADER = ("班级", "姓名", *SUBJECTS)
FIRST_DATA_ROW = 3  # 1-based: title on row 1, header on row 2
GOOD_STUDENTS = 8
HUGE_ROWS_STUDENTS = 30
LAST_ROW = 1_048_576  # Excel's last row
HUGE_CELL_BYTES = 100_000_000
STRAY_TEXT = "教务处"
HOMEWORK_SERIAL = 46100  # 2026-03-19 as an Excel serial day number
HOMEWORK_ROWS = 4

# Fixed so that regenerating gives identical bytes.
_CREATED = dt.datetime(2026, 1, 15, 8, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("小明", "子涵", "雨桐", "浩然", "欣怡", "梓轩", "思远", "佳琪", "宇航", "诗涵", "一诺")

Row = tuple[Any, ...]


def names(start: int, count: int) -> list[str]:
    """Distinct names, a different slice per case so that cases never share a student."""
    pool = [s + g for g in _GIVEN for s in _SURNAMES]
    return pool[start : start + count]


def students(klass: str, start: int, count: int, seed: int) -> list[Row]:
    rng = random.Random(seed)
    return [
        (klass, name, *(rng.randint(55, 100) for _ in SUBJECTS)) for name in names(start, count)
    ]


# --- writers -------------------------------------------------------------------------------


def _workbook(target: Path | io.BytesIO) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    book.set_properties({"created": _CREATED, "author": "教务处"})
    return book


def _score_sheet(
    book: xlsxwriter.Workbook,
    rows: list[Row],
    *,
    title: str,
    name: str = SHEET,
    header: tuple[str, ...] = HEADER,
) -> Any:
    ws = book.add_worksheet(name)
    ws.write_row(0, 0, [title])
    ws.write_row(1, 0, header)
    for r, row in enumerate(rows, start=FIRST_DATA_ROW - 1):
        ws.write_row(r, 0, row)
    return ws


def _score_bytes(rows: list[Row], title: str) -> bytes:
    buffer = io.BytesIO()
    book = _workbook(buffer)
    _score_sheet(book, rows, title=title)
    book.close()
    return buffer.getvalue()


def _zip(path: Path, members: dict[str, bytes | str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def _repack(path: Path) -> None:
    """Fix the timestamps openpyxl stamps (zip entries, core properties) so output is stable."""
    with zipfile.ZipFile(path) as archive:
        members: dict[str, bytes | str] = {i.filename: archive.read(i) for i in archive.infolist()}
    stamp = _CREATED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    core = members.get("docProps/core.xml")
    if isinstance(core, bytes):
        for tag in (b"dcterms:created", b"dcterms:modified"):
            core = re.sub(
                rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)", rb"\g<1>" + stamp + rb"\2", core
            )
        members["docProps/core.xml"] = core
    _zip(path, members)


# A minimal hand-written xlsx package, for sheets no writer library would produce.
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _inline(ref: str, value: object) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _letter(col: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[col]


# --- the cases -----------------------------------------------------------------------------


def write_good(path: Path) -> None:
    path.write_bytes(_score_bytes(students("三(2)班", 0, GOOD_STUDENTS, 1), "三(2)班期末成绩"))


def write_truncated(path: Path) -> None:
    whole = _score_bytes(students("三(1)班", 10, 6, 2), "三(1)班期末成绩")
    path.write_bytes(whole[: len(whole) // 2])


def write_password(path: Path) -> bool:
    """Encrypt a normal score sheet (password 123456); False when msoffcrypto is missing."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return False
    plain = io.BytesIO(_score_bytes(students("三(1)班", 20, 6, 3), "三(1)班期末成绩"))
    encrypted = io.BytesIO()
    with _seeded_salt():
        OOXMLFile(plain).encrypt(PASSWORD, encrypted)
    path.write_bytes(encrypted.getvalue())
    return True


@contextlib.contextmanager
def _seeded_salt() -> Iterator[None]:
    """msoffcrypto salts with ``secrets`` and stamps the time; fixing both (private names,
    patched only where present) keeps the committed file stable across runs."""
    patches: list[tuple[Any, str, Any]] = []
    rng = random.Random(6)
    with contextlib.suppress(ImportError):
        from msoffcrypto.method import ecma376_agile
        from msoffcrypto.method.container import ecma376_encrypted

        patches = [
            (ecma376_agile, "_random_buffer", lambda size: rng.randbytes(size)),
            (ecma376_encrypted, "datetime2filetime", lambda _when: 0),
        ]
    saved = [
        (module, name, getattr(module, name))
        for module, name, _ in patches
        if hasattr(module, name)
    ]
    for module, name, value in patches:
        if hasattr(module, name):
            setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def write_csv_renamed(path: Path) -> None:
    lines = [",".join(HEADER)] + [",".join(map(str, r)) for r in students("三(1)班", 30, 6, 4)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))


def write_docx_renamed(path: Path) -> None:
    """A minimal but valid Word document (what a teacher gets from 另存为 .docx)."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for text in ("三(1)班期末成绩", "姓名 语文 数学 英语", "王小明 85 90 88")
    )
    _zip(
        path,
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
            ),
        },
    )


def write_empty(path: Path) -> None:
    path.write_bytes(b"")


def write_no_header(path: Path) -> None:
    """A work summary and a grid of numbers: nothing that names 姓名 or a subject."""
    book = _workbook(path)
    ws = book.add_worksheet("Sheet1")
    prose = (
        "本学期教学工作总结",
        "一、基本情况：本学期各项工作按计划推进，教学秩序良好。",
        "二、存在不足：个别环节落实不到位，需进一步加强。",
        "三、下一步打算：继续抓好常规管理。",
    )
    for r, text in enumerate(prose):
        ws.write(r, 0, text)
    rng = random.Random(5)
    for r in range(6, 16):
        ws.write_row(r, 0, [rng.randint(0, 999) for _ in range(6)])
    book.close()


def write_duplicate_header(path: Path) -> None:
    """Two 数学 columns (D2 and F2): the second was pasted in from another sheet."""
    book = _workbook(path)
    rows = [(*row, row[3] - 5) for row in students("三(1)班", 40, 6, 6)]
    _score_sheet(book, rows, title="三(1)班期末成绩", header=(*HEADER, "数学"))
    book.close()


MERGED_STUDENTS = 12  # 10 under one merged class cell, one two-row tall student, one more


def write_merged(path: Path) -> None:
    """班级 merged down A3:A12 (ten students), then a student whose 姓名 and scores are merged
    across rows 13–14 (one tall row, one student), then one ordinary student on row 15."""
    book = _workbook(path)
    ws = book.add_worksheet(SHEET)
    center = book.add_format({"align": "center", "valign": "vcenter"})
    ws.write(0, 0, "三(1)班期末成绩")
    ws.write_row(1, 0, HEADER)
    rows = students("三(1)班", 185, MERGED_STUDENTS, 7)
    ws.merge_range(2, 0, 11, 0, "三(1)班", center)
    for r, row in enumerate(rows[:10], start=2):
        ws.write_row(r, 1, row[1:])
    tall = rows[10]
    ws.merge_range(12, 0, 13, 0, "三(1)班", center)
    for c, value in enumerate(tall[1:], start=1):
        ws.merge_range(12, c, 13, c, value, center)
    ws.write_row(14, 0, rows[11])
    book.close()


HIDDEN_STUDENTS = 8
HIDDEN_ROWS = (5, 6)  # 1-based rows of students hidden in the visible sheet
HIDDEN_SHEET = "三(3)班"


def write_hidden(path: Path) -> None:
    """Rows 5 and 6 hidden (still students), and a hidden sheet with another class."""
    book = _workbook(path)
    ws = _score_sheet(
        book, students("三(1)班", 60, HIDDEN_STUDENTS, 8), title="三(1)班期末成绩", name="三(1)班"
    )
    for row in HIDDEN_ROWS:
        ws.set_row(row - 1, None, None, {"hidden": True})
    other = _score_sheet(
        book, students(HIDDEN_SHEET, 70, 5, 9), title="三(3)班期末成绩", name=HIDDEN_SHEET
    )
    other.hide()
    book.close()


SCORE_DATE_CELL = "D5"  # 数学 of the third student


def write_score_date(path: Path) -> None:
    """A 数学 score typed as 1-15 and turned into a date by Excel (shown as 2026-01-15)."""
    book = _workbook(path)
    ws = _score_sheet(book, students("三(1)班", 80, 6, 10), title="三(1)班期末成绩")
    ws.write_datetime(
        SCORE_DATE_CELL, dt.datetime(2026, 1, 15), book.add_format({"num_format": "yyyy-mm-dd"})
    )
    book.close()


HOMEWORK_HEADER = (
    "检查日期", "年级", "班级", "学科", "任课教师", "布置次数", "基础巩固", "能力提升",
    "实践探究", "日均时长(分钟)", "有批", "有改", "有评", "有追踪", "错题再学习", "得分",
    "等级", "存在问题", "整改要求", "检查人",
)  # fmt: skip
# 布置次数 12 = 8 + 3 + 1, all marked, 92 分 优秀: a row with nothing wrong but its date.
HOMEWORK_REST = (12, 8, 3, 1, 45, "是", "是", "是", "是", "是", 92, "优秀", "", "", "周老师")


def write_homework_serial_dates(path: Path) -> None:
    """A 作业检查 sheet whose 检查日期 cells are serial numbers in General format (the date
    format was lost when the column was pasted as values)."""
    book = _workbook(path)
    ws = book.add_worksheet("作业检查")
    ws.write(0, 0, "三年级3月作业检查记录")
    ws.write_row(1, 0, HOMEWORK_HEADER)
    teachers = ("王丽", "李强", "张敏", "刘洋")
    subjects = ("语文", "数学", "英语", "语文")
    for k in range(HOMEWORK_ROWS):
        date, klass = HOMEWORK_SERIAL + k, f"三({k + 1})班"
        ws.write_row(2 + k, 0, (date, "三年级", klass, subjects[k], teachers[k], *HOMEWORK_REST))
    book.close()


FORMULA_CELL = "C4"  # 语文 of the second student: =80+5 with no cached value
FORMULA_STUDENTS = 5


def write_formula_no_value(path: Path) -> None:
    """Written by openpyxl (as school systems' exports are): formulas carry no cached value
    until Excel recalculates, so a reader sees an empty cell. 总分 (F) is all formulas."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(["三(1)班期末成绩"])
    ws.append([*HEADER, "总分"])
    for k, row in enumerate(students("三(1)班", 90, FORMULA_STUDENTS, 11)):
        r = FIRST_DATA_ROW + k
        ws.append([*row, f"=SUM(C{r}:E{r})"])
    ws[FORMULA_CELL] = "=80+5"
    book.properties.creator = "教务处"
    book.save(path)
    _repack(path)


ERROR_CELLS = {"C4": ("=1/0", "#DIV/0!"), "D5": ("=NA()", "#N/A"), "E6": ('="九十"+1', "#VALUE!")}


def write_error_values(path: Path) -> None:
    """Score cells holding formulas whose cached results are Excel errors."""
    book = _workbook(path)
    ws = _score_sheet(book, students("三(1)班", 100, 6, 12), title="三(1)班期末成绩")
    for ref, (formula, error) in ERROR_CELLS.items():
        ws.write_formula(ref, formula, None, error)
    book.close()


FULLWIDTH_CLASS = "三（１）班"
FULLWIDTH_SCORE_CELL = "C4"  # ８５ typed with a Chinese input method
ZERO_WIDTH_NAME = "张\u200b三"  # row 3, pasted from a chat app
PLAIN_NAME_CELL = "B7"  # 张三 again, typed: the same student
FULLWIDTH_STUDENTS = 5  # rows 3–7


def write_fullwidth(path: Path) -> None:
    book = _workbook(path)
    others = names(110, 3)
    rows: list[Row] = [
        (FULLWIDTH_CLASS, ZERO_WIDTH_NAME, 88, 92, 79),
        (FULLWIDTH_CLASS, others[0], "８５", 77, 90),
        (FULLWIDTH_CLASS, others[1], 66, "９０", 81),
        (FULLWIDTH_CLASS, others[2], 93, 85, "７８"),
        (FULLWIDTH_CLASS, "张三", 88, 92, 79),
    ]
    _score_sheet(book, rows, title="三（１）班期末成绩")
    book.close()


SHARED_NAME = "欧阳子墨"  # a name outside the generated pool
SAME_STUDENT_B_CELL = "B5"  # 欧阳子墨 in file B (row 5); in file A he is on row 3


def write_same_student(path_a: Path, path_b: Path) -> None:
    a = [("三(1)班", SHARED_NAME, 85, 90, 88), *students("三(1)班", 120, 3, 13)]
    b = [*students("三(1)班", 130, 2, 14), ("三(1)班", SHARED_NAME, 86, 91, 87)]
    path_a.write_bytes(_score_bytes(a, "三(1)班期末成绩（语文组汇总）"))
    path_b.write_bytes(_score_bytes(b, "三(1)班期末成绩（班主任）"))


# Big cases: generated only at test time.

HUGE_ROWS_STRAY_CELL = f"A{LAST_ROW}"


def write_huge_rows(path: Path) -> None:
    """30 students and one value in A1048576: a sheet whose used range runs to the end."""
    book = _workbook(path)
    ws = _score_sheet(
        book, students("三(4)班", 140, HUGE_ROWS_STUDENTS, 15), title="三(4)班期末成绩"
    )
    ws.write(LAST_ROW - 1, 0, STRAY_TEXT)
    book.close()


HUGE_CELL = "F4"  # 备注 of the second student


def write_huge_cell(path: Path) -> None:
    """100 MB of text in one 备注 cell, as an inline string in a hand-written sheet."""
    header = (*HEADER, "备注")
    rows = [(*row, "") for row in students("三(5)班", 180, 4, 16)]
    head = ['<row r="1">' + _inline("A1", "三(5)班期末成绩") + "</row>"]
    head.append(
        '<row r="2">'
        + "".join(_inline(f"{_letter(c)}2", v) for c, v in enumerate(header))
        + "</row>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text, zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>" + "".join(head).encode()
            )
            for k, row in enumerate(rows):
                r = FIRST_DATA_ROW + k
                cells = "".join(
                    _inline(f"{_letter(c)}{r}", v) for c, v in enumerate(row) if v != ""
                )
                if f"F{r}" != HUGE_CELL:
                    sheet.write(f'<row r="{r}">{cells}</row>'.encode())
                    continue
                sheet.write(
                    f'<row r="{r}">{cells}<c r="{HUGE_CELL}" t="inlineStr"><is><t>'.encode()
                )
                chunk = "作业认真，书写工整。".encode() * 100_000  # 3 MB, whole characters
                for _ in range(-(-HUGE_CELL_BYTES // len(chunk))):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")


_WRITERS: dict[str, Callable[[Path], Any]] = {
    "good": write_good,
    "truncated": write_truncated,
    "csv_renamed": write_csv_renamed,
    "docx_renamed": write_docx_renamed,
    "empty": write_empty,
    "no_header": write_no_header,
    "duplicate_header": write_duplicate_header,
    "merged": write_merged,
    "hidden": write_hidden,
    "score_date": write_score_date,
    "homework_serial_dates": write_homework_serial_dates,
    "formula_no_value": write_formula_no_value,
    "error_values": write_error_values,
    "fullwidth": write_fullwidth,
}


def write_corpus(folder: Path, *, big: bool = False) -> dict[str, Path]:
    """Write every case into ``folder``; returns case name → path.

    ``password`` is left out when msoffcrypto-tool is not installed (the committed copy in
    ``tests/data/hostile`` serves the tests); ``big`` adds the two large cases.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for case, write in _WRITERS.items():
        path = folder / FILES[case]
        write(path)
        written[case] = path
    if write_password(folder / FILES["password"]):
        written["password"] = folder / FILES["password"]
    a, b = folder / FILES["same_student_a"], folder / FILES["same_student_b"]
    write_same_student(a, b)
    written["same_student_a"], written["same_student_b"] = a, b
    if big:
        for case, write in (("huge_rows", write_huge_rows), ("huge_cell", write_huge_cell)):
            path = folder / BIG_FILES[case]
            write(path)
            written[case] = path
    return {case: written[case] for case in [*FILES, *BIG_FILES] if case in written}


def main() -> None:
    for case, path in write_corpus(TARGET).items():
        print(
            f"{case:24} {path.relative_to(TARGET.parent.parent.parent)}  {path.stat().st_size:,} B"
        )


if __name__ == "__main__":
    main()
