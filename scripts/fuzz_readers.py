"""Fuzz the workbook readers: no workbook, however broken, may make ``check_inputs`` raise.

    python scripts/fuzz_readers.py --examples 1200 --seed 1     # about 5 minutes

Each example is a folder of one to three files built by hypothesis strategies:

* generated workbooks (.xlsx through xlsxwriter, .xls through xlwt): random sheets with title
  rows, header rows drawn from the column names the readers know (班级, 姓名, 学号, 语文, 数学,
  检查日期, 作业次数 …) dressed as teachers dress them and mixed with junk, data cells of every
  type (numbers, NaN and infinities, text with full-width, zero-width and control characters,
  dates, times, booleans, Excel errors and errors typed as text, formulas), blank rows, summary
  rows, merged ranges, hidden sheets, template marker sheets and the odd far-away cell;
* corrupted workbooks: a generated workbook, a toolkit template or a sample score file, with
  its bytes truncated, flipped, overwritten or spliced, or with one member of the zip edited
  (XML truncated, cell references, types, values, dimensions and merged ranges rewritten) and
  the zip rebuilt, so the damage reaches calamine's XML reading rather than the zip checksum;
* files that are not workbooks at all: random bytes, an HTML table or CSV text saved as .xls.

``toolkit.check.check_inputs`` reads the folder with the default ``SchoolConfig``, and every
problem it reports is rendered. Anything that escapes is a crash. By default each example runs
in a forked copy of this process (same code, no new interpreter), so that a crash which kills
the process (a Rust abort inside calamine, a runaway allocation, a hang) is caught and shrunk
like any exception; ``--in-process`` runs examples directly in this process instead (faster to
debug, but the first such crash ends the run).

A crash is shrunk by hypothesis to a minimal example, saved under ``--out`` (files, traceback
and the generated spec), and the run continues with that crash known, looking for others, until
``--examples`` examples have been generated. The run is deterministic for a given ``--seed``.
Exit status: 0 when nothing escaped, 1 when a crash was found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------------------------
# What cells hold

SCORE_HEADERS = (
    "姓名", "学生姓名", "考生姓名", "学号", "考号", "学籍号", "班级", "班别", "班", "年级", "学校",
    "总分", "总成绩", "合计", "名次", "排名", "年级排名", "序号", "No.", "性别", "考试", "备注",
)  # fmt: skip
SUBJECT_HEADERS = (
    "语文", "数学", "英语", "外语", "科学", "道德与法治", "道法", "物理", "化学", "历史",
    "信息科技", "音乐", "书法", "数学（100分）", "语文成绩", "英语(120分)", "科学[卷面]",
)  # fmt: skip
ITEM_HEADERS = ("1", "2", "3", "第4题", "T5", "13(1)", "题6", "3.2", "第13（2）题", 7, 8.0, 12)
BLOCK_LABELS = ("满分", "分值", "每题满分", "知识点", "考点", "题型")
JUNK_HEADERS = ("家长签字", "联系电话", "Column1", "签名", "说明：", "成绩", "得分率", "", None)
TITLES = (
    "博山区实验小学2025-2026学年第二学期期末三年级(2)班成绩",
    "班主任：王老师",
    "填表日期：2026.6.28",
    "作业检查记录表",
    "2026年3月听评课记录",
    "学科：数学",
    "考试：期中",
    "年级：三年级",
    "四(1)班期末成绩",
    "薄弱点台账（数学组）",
)
ERROR_TEXTS = (
    "#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
    "#GETTING_DATA", "####",
)  # fmt: skip
NAMES = ("张三", "李四", "王 丽", "欧阳娜娜", "Tom", "张三 ", "", "\u3000", "王\u200b五", "合计")
CLASS_VALUES = (
    "三(2)班", "3(2)班", "三年级2班", "三年级（2）班", "3.2", "3-2", "302", 302.0, 302, "2班",
    "初一(3)班", "高二3班", "十三(2)班", "二十(1)班", "初四2班", "三年级\n2班", "0班", "99班",
    "全部", "1班、2班", 3.2, "３（２）班",
)  # fmt: skip
GRADE_VALUES = (
    "三年级", 3, 3.0, "初一", "高三", "十二年级", "十三", "13", 0, "三", "火星", "⓵", "❶", "፫",
    "３年级", "初中三年级",
)  # fmt: skip
SCORE_VALUES = (
    87, 88.5, "87", "９５", "95分", "９５．５", "缺考", "缺", "免考", "请假", "-3", 105, "良",
    "9O", "", " ", -0.0, 0, 1e308, "1" * 40, "95分分", ".5",
)  # fmt: skip
DATE_VALUES = (
    "2026-03-05", "2026/3/5", "2026年3月5日", "3月5日", "2026-02-30", "20260305", 46086,
    46086.75, 36525, "２０２６－０３－０５", "2026.6.28", "2026-03-05 08:30", "下周一",
    dt.date(2026, 3, 5), dt.datetime(2026, 3, 5, 10, 30), dt.time(8, 30),
)  # fmt: skip
YESNO_VALUES = ("是", "否", "√", "×", "有", "无", "Y", "n", 1, 0, True, False, "是否", "ＹＥＳ")
NUMBER_VALUES = (12, "12次", "１２", "12.5", "十二", 45.5, "45.5分钟", -1, 1000, "35%", "0.35")
CHOICE_VALUES = (
    "优秀", "良好", "合格", "待改进", "A", "b", "良", "推门课", "推门", "示范课", "教研组", "校级",
    "已整改", "已完成", "习惯", "教学方面", "已销号", "待整改", "未开始", "X",
)  # fmt: skip
SUBJECT_VALUES = ("数学", "语文", "道法", "英语", "校本课程", "", "数学 ")
SUMMARY = ("平均分", "合计", "及格率", "优秀率", "最高分", "参考人数", "总计")
HOSTILE_CHARS = (
    "０１２３４５６７８９（）［］．－／：　"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\xa0\t\n\r\x00\x01\x1f\x7f\x85\u2028\u202e\u0301"
    "一二两三四五六七八九十初高中年级班()[]【】.-·_/、，,；;%分日月号缺考是否√×⓵❶①፩"
)


@dataclass(frozen=True)
class Formula:
    """A formula cell with its cached result (an Excel error code, a number or text)."""

    text: str
    cached: object = 0


VOCABULARY = (
    *NAMES, *CLASS_VALUES, *GRADE_VALUES, *SCORE_VALUES, *DATE_VALUES, *YESNO_VALUES,
    *NUMBER_VALUES, *CHOICE_VALUES, *SUMMARY, *TITLES,
)  # fmt: skip
hostile_text = st.text(
    st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(exclude_categories=("Cs",))),
    max_size=20,
)
any_value: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.sampled_from(ERROR_TEXTS),
    st.sampled_from(VOCABULARY),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.times(),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3000)),
    st.builds(
        Formula,
        st.sampled_from(("=1/0", "=NA()", "=SUM(A1:A3)", '="x"&A1', "=A1")),
        st.sampled_from(("#DIV/0!", "#N/A", "#REF!", 0, 3.5, "文本")),
    ),
)


def _role_values(values: Sequence[object]) -> st.SearchStrategy[object]:
    """Mostly the values a column of this kind holds, sometimes anything at all."""
    return st.one_of(st.sampled_from(values), st.sampled_from(values), any_value)


def _roles() -> dict[object, st.SearchStrategy[object]]:
    """Header text → what its column holds, from the record kinds' declarations."""
    from toolkit.kinds.registry import RECORD_KINDS

    by_type = {
        "date": DATE_VALUES,
        "grade": GRADE_VALUES,
        "class": CLASS_VALUES,
        "classes": CLASS_VALUES,
        "person": NAMES,
        "int": NUMBER_VALUES,
        "decimal": NUMBER_VALUES + SCORE_VALUES,
        "percent": NUMBER_VALUES,
        "yesno": YESNO_VALUES,
        "choice": CHOICE_VALUES,
        "subject": SUBJECT_VALUES,
        "text": TITLES + NAMES,
    }
    roles: dict[object, st.SearchStrategy[object]] = {}
    for kind in RECORD_KINDS.values():
        for f in kind.fields:
            for word in (f.name, *f.synonyms, f.header):
                if word:
                    roles.setdefault(word, _role_values(by_type[f.type]))
    for word in (*SUBJECT_HEADERS, *ITEM_HEADERS, "总分", "总成绩", "合计"):
        roles[word] = _role_values(SCORE_VALUES)
    for word in ("姓名", "学生姓名", "考生姓名"):
        roles[word] = _role_values(NAMES)
    for word in ("班级", "班别", "班"):
        roles[word] = _role_values(CLASS_VALUES)
    roles["年级"] = _role_values(GRADE_VALUES)
    return roles


def _record_headers() -> tuple[str, ...]:
    from toolkit.kinds.registry import RECORD_KINDS

    words = (w for k in RECORD_KINDS.values() for f in k.fields for w in (f.name, *f.synonyms))
    return tuple(dict.fromkeys(words))


ROLES = _roles()
RECORD_HEADERS = _record_headers()
FAMILIES: dict[str, tuple[object, ...]] = {
    "scores": SCORE_HEADERS + SUBJECT_HEADERS,
    "items": SCORE_HEADERS[:10] + ITEM_HEADERS,
    "records": RECORD_HEADERS,
    "mixed": SCORE_HEADERS + SUBJECT_HEADERS + ITEM_HEADERS + RECORD_HEADERS,
}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def dressed(draw: st.DrawFn, label: object) -> object:
    """A header as a teacher may have typed it: spaces, line breaks, notes, full width."""
    if not isinstance(label, str) or not label or draw(st.integers(0, 2)):
        return label
    if len(label) > 1 and draw(st.booleans()):
        at = draw(st.integers(1, len(label) - 1))
        label = label[:at] + draw(st.sampled_from((" ", "\n", "\u3000", "\u200b"))) + label[at:]
    label = draw(st.sampled_from(("", "*"))) + label
    label += draw(st.sampled_from(("", "（100分）", "(必填)", "：", "【注】")))
    if draw(st.booleans()):
        label = _full_width(label)
    return draw(st.sampled_from(("", " ", "\u3000"))) + label + draw(st.sampled_from(("", " ")))


# --------------------------------------------------------------------------------------------
# Workbook specs


@dataclass
class SheetSpec:
    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    hidden: bool = False


@dataclass
class FileSpec:
    """One file of an example: a workbook to write, or bytes to write as they are."""

    name: str
    sheets: list[SheetSpec] = field(default_factory=list)
    raw: bytes | None = None
    how: str = ""  # what was done to it, for the saved example


SHEET_NAMES = (
    "Sheet1", "三(2)班", "3.2", "成绩", "作业检查", "听评课记录", "薄弱点台账", "小题分",
    "填写说明", "_下拉选项", "初一(3)班", "2026.6.28", "汇总", "四年级", "Sheet2",
)  # fmt: skip
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _sheet_name(text: str, taken: set[str]) -> str:
    name = _BAD_SHEET_CHARS.sub("", text).strip("'")[:28] or "Sheet"
    base, n = name, 1
    while name.lower() in taken or name.lower() == "history":
        name, n = f"{base[:26]}{n}", n + 1
    taken.add(name.lower())
    return name


@st.composite
def table_sheet(draw: st.DrawFn, name: str) -> SheetSpec:
    """A sheet holding a table: titles, a header, data rows, summary rows, stray cells."""
    sheet = SheetSpec(name)
    rows: list[list[object]] = []
    for _ in range(draw(st.integers(0, 3))):
        rows.append([draw(st.one_of(st.sampled_from(TITLES), any_value))])
    rows += [[] for _ in range(draw(st.integers(0, 2)))]
    family = FAMILIES[draw(st.sampled_from(sorted(FAMILIES)))]
    labels = draw(st.lists(st.sampled_from(family), min_size=1, max_size=12))
    labels += draw(st.lists(st.sampled_from(JUNK_HEADERS), max_size=2))
    labels = draw(st.permutations(labels))
    header_row = len(rows)
    rows.append([draw(dressed(label)) for label in labels])
    if draw(st.integers(0, 4)) == 0:  # a second header row (成绩 over 语文 数学) or 满分 row
        rows.append(
            [draw(st.sampled_from((*SUBJECT_HEADERS, *BLOCK_LABELS, "", 10))) for _ in labels]
        )
    columns = [ROLES.get(label, any_value) for label in labels]
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.integers(0, 9))
        if shape == 0:
            rows.append([])
        elif shape == 1:
            rows.append([draw(st.sampled_from(SUMMARY)), *(draw(any_value) for _ in labels[1:])])
        else:
            rows.append([draw(values) for values in columns])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cells[(r, c)] = value
    for _ in range(draw(st.integers(0, 3))):  # stray cells around the table
        r = draw(st.integers(0, len(rows) + 5))
        c = draw(st.integers(0, len(labels) + 5))
        sheet.cells[(r, c)] = draw(any_value)
    if draw(st.integers(0, 80)) == 80:  # one cell far away (Ctrl+End lands there)
        far = draw(st.sampled_from(((1048575, 16383), (1048575, 2), (3, 16383), (5000, 60))))
        sheet.cells[far] = draw(any_value)
    height, width = len(rows) + 1, len(labels) + 1
    for _ in range(draw(st.integers(0, 4))):
        r0, c0 = draw(st.integers(0, height)), draw(st.integers(0, width))
        _merge(sheet, r0, c0, r0 + draw(st.integers(0, 3)), c0 + draw(st.integers(0, 3)))
    if draw(st.integers(0, 30)) == 30 and header_row + 1 < len(rows):
        _merge(sheet, header_row + 1, 0, len(rows) + 10, 0)  # a merged class column
    return sheet


def _merge(sheet: SheetSpec, r0: int, c0: int, r1: int, c1: int) -> None:
    """Add a merged range unless it is a single cell or overlaps one already there."""
    if (r1, c1) == (r0, c0):
        return
    if any(r0 <= b1 and b0 <= r1 and c0 <= d1 and d0 <= c1 for b0, d0, b1, d1 in sheet.merges):
        return
    sheet.merges.append((r0, c0, r1, c1))


@st.composite
def grid_sheet(draw: st.DrawFn, name: str) -> SheetSpec:
    """A small sheet of anything."""
    rows = draw(st.lists(st.lists(any_value, max_size=6), max_size=6))
    return SheetSpec(
        name, {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None}
    )


@st.composite
def marker_sheet(draw: st.DrawFn, name: str) -> SheetSpec:
    """The hidden sheet a toolkit template carries (``xueqing-template | kind | version``)."""
    kind = draw(
        st.sampled_from(
            ("scores", "items", "homework", "observation", "weakpoints", "report", "", "火星")
        )
    )
    tag = draw(st.sampled_from(("xueqing-template", " xueqing-template ", "other")))
    version = draw(st.one_of(st.sampled_from((1, 2, "1", "x", None)), any_value))
    cells: dict[tuple[int, int], object] = {(0, 0): tag, (0, 1): kind}
    if version is not None:
        cells[(0, 2)] = version
    return SheetSpec("_xueqing", cells, hidden=draw(st.booleans()))


@st.composite
def workbook_sheets(draw: st.DrawFn) -> list[SheetSpec]:
    taken: set[str] = set()
    sheets: list[SheetSpec] = []
    for i in range(draw(st.integers(1, 3))):
        name = _sheet_name(draw(st.one_of(st.sampled_from(SHEET_NAMES), hostile_text)), taken)
        maker = draw(st.sampled_from((table_sheet, table_sheet, table_sheet, grid_sheet)))
        sheet = draw(maker(name))
        sheet.hidden = i > 0 and draw(st.integers(0, 5)) == 0
        sheets.append(sheet)
    if draw(st.integers(0, 6)) == 0 and "_xueqing" not in taken:
        sheets.append(draw(marker_sheet("_xueqing")))
    return sheets


# --------------------------------------------------------------------------------------------
# Writing


def write_xlsx(path: Path | io.BytesIO, sheets: Sequence[SheetSpec]) -> None:
    import xlsxwriter

    options = {
        "nan_inf_to_errors": True,
        "remove_timezone": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "in_memory": True,
    }
    target = path if isinstance(path, io.BytesIO) else str(path)
    workbook = xlsxwriter.Workbook(target, options)
    workbook.set_properties({"created": dt.datetime(2026, 1, 1)})  # same bytes every time
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for spec in sheets:
        ws = workbook.add_worksheet(spec.name)
        for (r, c), value in spec.cells.items():
            _xlsx_cell(ws, r, c, value, date_format)
        for r0, c0, r1, c1 in spec.merges:
            first = spec.cells.get((r0, c0))
            ws.merge_range(r0, c0, r1, c1, "")
            if first is not None:
                _xlsx_cell(ws, r0, c0, first, date_format)
        if spec.hidden:
            ws.hide()
    workbook.close()


def _xlsx_cell(ws: Any, r: int, c: int, value: object, date_format: Any) -> None:
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    elif isinstance(value, (dt.date, dt.time, dt.timedelta)):
        ws.write_datetime(r, c, value, date_format)
    elif isinstance(value, Formula):
        ws.write_formula(r, c, value.text, None, value.cached)
    else:
        ws.write_string(r, c, str(value))


def write_xls(path: Path, sheets: Sequence[SheetSpec]) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for spec in sheets:
        ws = workbook.add_sheet(spec.name, cell_overwrite_ok=True)
        for (r, c), value in spec.cells.items():
            if r > 65535 or c > 255:
                continue  # beyond an .xls sheet
            if isinstance(value, Formula):
                value = value.cached
            if isinstance(value, (dt.date, dt.time)):
                ws.write(r, c, value, date_style)
            elif isinstance(value, dt.timedelta):
                ws.write(r, c, value.total_seconds() / 86400)
            else:
                ws.write(
                    r, c, value if isinstance(value, (bool, int, float)) else str(value)[:32767]
                )
        for r0, c0, r1, c1 in spec.merges:
            if r1 <= 65535 and c1 <= 255:
                ws.merge(r0, r1, c0, c1)
        if spec.hidden:
            ws.visibility = 1
    workbook.save(str(path))


def xlsx_bytes(sheets: Sequence[SheetSpec]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Corrupting


_BASES: list[tuple[str, bytes]] = []


def base_files() -> list[tuple[str, bytes]]:
    """Real workbooks to corrupt: the toolkit's templates and a small sample score folder."""
    if not _BASES:
        from toolkit.config.model import SchoolConfig
        from toolkit.demo.school import make_school, write_score_files
        from toolkit.render.templates.write import write_templates

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths = write_templates(folder / "templates", SchoolConfig())
            school = make_school(grades=(3, 6), classes_per_grade=1, students_per_class=(4, 6))
            paths += write_score_files(school, folder / "scores", with_xls=True)
            _BASES.extend((p.name, p.read_bytes()) for p in sorted(paths))
    return _BASES


# (pattern, replacements) applied to one member of an xlsx zip
XML_EDITS: tuple[tuple[bytes, tuple[bytes, ...]], ...] = (
    (rb'r="[A-Z]+\d+"', (b"XFD1048576", b"A1048576", b"ZZZZ1", b"A0", b"", b"1A")),
    (rb'<dimension ref="[^"]*"', (b"A1:XFD1048576", b"B2:A1", b"")),
    (rb't="s"', (b"e", b"b", b"str", b"n", b"d", b"inlineStr", b"zz")),
    (rb"<v>[^<]*</v>", (b"999999", b"-1", b"1e400", b"NaN", b"", b"abc")),
    (rb'state="[a-zA-Z]*"', (b"hidden", b"veryHidden", b"bogus")),
    (rb'<sheet name="', (b'<sheet state="hidden" name="', b'<sheet name="_xueqing')),
    (rb'<mergeCell ref="[^"]*"', (b"A1:A1", b"B2:A1", b"A1:XFD1048576", b"Q")),
    (rb'count="\d+"', (b"-1", b"99999999", b"x")),
    (rb'numFmtId="\d+"', (b"14", b"22", b"9999")),
    (rb"<t>[^<]*</t>", (b"", b"_x0000_", "姓名".encode(), b"\xff\xfe")),
    (rb'encoding="UTF-8"', (b"UTF-16", b"latin-1")),
    (rb"</row>", (b"", b"</row></row>", b"<row>")),
)
_QUOTED = re.compile(rb'^(<?[^"<]*"|<v>|<t>)(.*)("|</v>|</t>)$', re.S)


def _replace(hit: bytes, replacement: bytes) -> bytes:
    """Put ``replacement`` where the value of ``hit`` (``r="B2"``, ``<v>3</v>``) stood; a
    replacement starting with ``<`` replaces the whole hit."""
    if replacement.startswith(b"<"):
        return replacement
    match = _QUOTED.match(hit)
    return match[1] + replacement + match[3] if match else replacement


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> tuple[bytes, list[str]]:
    """``data`` with one to four mutations: byte-level damage or an edited zip member."""
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(
                ("truncate", "flip", "overwrite", "insert", "delete", "member", "member", "member")
            )
        )
        n = len(data)
        if op == "member" and zipfile.is_zipfile(io.BytesIO(data)):
            data, what = draw(edited_member(data))
            done.append(what)
            continue
        at = draw(st.integers(0, max(n - 1, 0)))
        if op == "truncate":
            data = data[:at]
        elif op == "flip" and n:
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif op == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=16))
            data = data[:at] + junk + data[at + len(junk) :]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        else:
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        done.append(f"{op}@{at}")
    return data, done


@st.composite
def edited_member(draw: st.DrawFn, data: bytes) -> tuple[bytes, str]:
    """Rewrite one member of the zip (then rebuild it, so the damage is past the checksums)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception:  # a zip with a broken member: leave it as it is
        return data, "unreadable zip left alone"
    if not members:
        return data, "empty zip"
    index = draw(st.integers(0, len(members) - 1))
    name, body = members[index]
    edit = draw(st.sampled_from(("xml", "xml", "xml", "truncate", "drop", "garbage", "duplicate")))
    if edit == "xml":
        pattern, replacements = draw(st.sampled_from(XML_EDITS))
        found = list(re.finditer(pattern, body))
        if found:
            hit = found[draw(st.integers(0, len(found) - 1))]
            new = _replace(hit.group(), draw(st.sampled_from(replacements)))
            body = body[: hit.start()] + new + body[hit.end() :]
            what = f"{name}: {hit.group()!r} → {new!r}"
        else:
            what = f"{name}: nothing matches {pattern!r}"
        members[index] = (name, body)
    elif edit == "truncate":
        members[index] = (name, body[: draw(st.integers(0, len(body)))])
        what = f"{name}: truncated"
    elif edit == "drop":
        del members[index]
        what = f"{name}: removed"
    elif edit == "garbage":
        members[index] = (name, draw(st.binary(max_size=64)))
        what = f"{name}: replaced by garbage"
    else:
        members.append((name, body))
        what = f"{name}: duplicated"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members:
            archive.writestr(zipfile.ZipInfo(member, (2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue(), what


FILE_STEMS = ("三年级(2)班期末成绩", "作业检查", "2026年3月听评课", "Book1", "薄弱点台账", "小题分")
_HTML_TABLE = "<tr><td>姓名</td><td>语文</td></tr><tr><td>张三</td><td>90</td></tr>"
NOT_WORKBOOKS = (
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,  # an OLE header, nothing after
    f"<html><body><table>{_HTML_TABLE}</table></body></html>".encode(),  # web "xls" exports
    "姓名,语文,数学\n张三,90,80\n".encode("gbk"),
    b"<?xml version='1.0'?><workbook/>",
)


@st.composite
def example_files(draw: st.DrawFn) -> list[FileSpec]:
    """One to three files, each a generated, corrupted or foreign workbook."""
    files: list[FileSpec] = []
    for i in range(draw(st.integers(1, 3))):
        stem = f"{i}-{draw(st.sampled_from(FILE_STEMS))}"
        how = draw(
            st.sampled_from(("xlsx", "xlsx", "xlsx", "xls", "mutated", "mutated", "foreign"))
        )
        if how == "xlsx":
            files.append(FileSpec(f"{stem}.xlsx", draw(workbook_sheets()), how="generated .xlsx"))
        elif how == "xls":
            files.append(FileSpec(f"{stem}.xls", draw(workbook_sheets()), how="generated .xls"))
        elif how == "mutated":
            if draw(st.booleans()):
                base_name, base = draw(st.sampled_from(base_files()))
            else:
                base_name, base = "generated.xlsx", xlsx_bytes(draw(workbook_sheets()))
            data, done = draw(mutated_bytes(base))
            suffix = draw(
                st.sampled_from(
                    (Path(base_name).suffix,) * 4 + (".xlsx", ".xls", ".ods", ".xlsb", ".xlsm")
                )
            )
            files.append(
                FileSpec(f"{stem}{suffix}", raw=data, how=f"{base_name}: {'; '.join(done)}")
            )
        else:
            data = draw(st.one_of(st.sampled_from(NOT_WORKBOOKS), st.binary(max_size=512)))
            suffix = draw(st.sampled_from((".xlsx", ".xls", ".ods", ".xlsb", ".xlsm")))
            files.append(FileSpec(f"{stem}{suffix}", raw=data, how="not a workbook"))
    return files


def write_example(folder: Path, files: Sequence[FileSpec]) -> None:
    for spec in files:
        path = folder / spec.name
        if spec.raw is not None:
            path.write_bytes(spec.raw)
        elif path.suffix == ".xls":
            write_xls(path, spec.sheets)
        else:
            write_xlsx(path, spec.sheets)


def describe(files: Sequence[FileSpec]) -> str:
    lines = []
    for spec in files:
        lines.append(f"{spec.name}  ({spec.how})")
        for sheet in spec.sheets:
            hidden = " hidden" if sheet.hidden else ""
            lines.append(f"  sheet {sheet.name!r}{hidden}, merges {sheet.merges}")
            for (r, c), value in sorted(sheet.cells.items()):
                lines.append(f"    ({r}, {c}) {value!r}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Running one example


@dataclass(frozen=True)
class Crash:
    key: str  # what crashed and where: one key per distinct bug
    details: str  # traceback or the dying process's last words


def _relative(text: str) -> str:
    return text.replace(str(ROOT) + os.sep, "")


def _key(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}toolkit{os.sep}" in f.filename] or frames
    where = f" in {_relative(ours[-1].filename)}:{ours[-1].lineno} {ours[-1].name}" if ours else ""
    kind = type(exc)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    return f"{name}{where}"


def check_folder(folder: Path) -> None:
    """What is fuzzed: read, recognise and validate the folder, then render every problem."""
    from toolkit.base.problems import ProblemReport
    from toolkit.check import check_inputs
    from toolkit.config.model import SchoolConfig

    problems = ProblemReport()
    check_inputs([folder], SchoolConfig(), problems)
    for problem in problems:
        str(problem)
        json.dumps(problem.as_dict(), ensure_ascii=False, default=str)


def run_in_process(folder: Path) -> Crash | None:
    try:
        check_folder(folder)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a Rust panic is a BaseException
        return Crash(_key(exc), _relative(traceback.format_exc()))
    return None


def run_forked(folder: Path, timeout: int, memory_mb: int) -> Crash | None:
    """Run the example in a forked copy of this process, so an abort or a hang is caught too."""
    import resource

    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as stderr:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 0
            try:
                os.close(read_end)
                os.dup2(stderr.fileno(), 2)
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(timeout)
                used = _address_space()
                if used:  # cap what one example may allocate, so a runaway fails fast
                    limit = used + memory_mb * 2**20
                    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                crash = run_in_process(folder)
                message = json.dumps(crash.__dict__ if crash else {}).encode()
                with os.fdopen(write_end, "wb") as out:
                    out.write(message)
            except BaseException:
                traceback.print_exc()
                code = 3
            finally:
                os._exit(code)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            stderr.seek(0)
            last_words = _relative(stderr.read().decode("utf-8", "replace"))
            name = signal.Signals(os.WTERMSIG(status)).name
            if name == "SIGALRM":
                return Crash(f"timeout: more than {timeout} s", last_words)
            first = next((line for line in last_words.splitlines() if line.strip()), "")
            first = re.sub(r"\d{4,}", "N", first)[:120]
            return Crash(f"killed by {name}: {first}", last_words)
        if os.WEXITSTATUS(status):
            stderr.seek(0)
            raise RuntimeError(f"fuzzer child failed: {stderr.read().decode('utf-8', 'replace')}")
    found = json.loads(message or b"{}")
    return Crash(**found) if found else None


def _address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is not there to tell)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


# --------------------------------------------------------------------------------------------
# The fuzz loop


class FuzzCrash(Exception):
    """Raised inside the hypothesis test so that it shrinks the example."""


@dataclass
class Run:
    out: Path
    isolate: bool
    timeout: int
    memory_mb: int
    known: dict[str, Path] = field(default_factory=dict)  # crash key → saved example
    seen: list[str] = field(default_factory=list)  # keys found in the current round
    calls: int = 0
    first_failure: int | None = None

    def saved(self, key: str) -> Path:
        if key not in self.known:
            slug = re.sub(r"[^\w.-]+", "_", key)[:80].strip("_")
            self.known[key] = self.out / f"{len(self.known) + 1:02d}-{slug}"
        return self.known[key]


def make_test(run: Run, examples: int, seed_value: int, shrink: bool) -> Callable[[], None]:
    phases = (Phase.generate, Phase.shrink) if shrink else (Phase.generate,)

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=phases,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(example_files())
    def fuzz(files: list[FileSpec]) -> None:
        run.calls += 1
        with tempfile.TemporaryDirectory(prefix="xueqing-fuzz-") as tmp:
            folder = Path(tmp) / "输入"
            folder.mkdir()
            try:
                write_example(folder, files)
            except Exception as exc:  # a spec the writers refuse is not a reader crash
                raise AssertionError(f"fuzzer bug: could not write the example: {exc!r}") from exc
            if run.isolate:
                crash = run_forked(folder, run.timeout, run.memory_mb)
            else:
                crash = run_in_process(folder)
            if crash is None or (crash.key in run.known and crash.key not in run.seen):
                return  # fine, or a crash found in an earlier round
            if run.first_failure is None:
                run.first_failure = run.calls
            if crash.key not in run.seen:
                run.seen.append(crash.key)
            _save(run.saved(crash.key), folder, files, crash)
            raise FuzzCrash(crash.key)

    return fuzz


def _save(target: Path, folder: Path, files: Sequence[FileSpec], crash: Crash) -> None:
    """Keep the latest example of a crash: hypothesis replays the minimal one last."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target / "输入")
    (target / "crash.txt").write_text(f"{crash.key}\n\n{crash.details}", encoding="utf-8")
    (target / "example.txt").write_text(describe(files)[:200_000], encoding="utf-8")


def _warm_up() -> None:
    """Import what the readers import lazily, so forked children start ready."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in base_files():
            (Path(tmp) / name).write_bytes(data)
        crash = run_in_process(Path(tmp))
        if crash is not None:
            print(f"note: an unmodified base file already crashes: {crash.key}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples", type=int, default=500, help="examples to generate (shrinking comes on top)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the run is deterministic per seed")
    parser.add_argument("--out", type=Path, help="where minimal failing examples are saved")
    parser.add_argument("--timeout", type=int, default=30, help="seconds one example may take")
    parser.add_argument("--memory-mb", type=int, default=3072, help="memory one example may add")
    parser.add_argument("--in-process", action="store_true", help="do not fork per example")
    parser.add_argument("--no-shrink", action="store_true", help="report crashes unshrunk")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # zips duplicated on purpose
    out = args.out or Path(tempfile.gettempdir()) / f"xueqing-fuzz-seed{args.seed}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    isolate = not args.in_process and hasattr(os, "fork")
    run = Run(out, isolate, args.timeout, args.memory_mb)
    _warm_up()  # import everything and build the corpus to corrupt before the clock starts
    started = time.monotonic()
    generated = replays = rounds = 0
    while generated < args.examples:
        rounds += 1
        run.seen, run.calls, run.first_failure = [], 0, None
        test = make_test(
            run, args.examples - generated, args.seed * 1000 + rounds, not args.no_shrink
        )
        try:
            test()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if not run.seen:  # the fuzzer itself failed, not the readers
                traceback.print_exception(exc)
                return 2
        if run.first_failure is None:
            generated += run.calls
            break
        generated += run.first_failure
        replays += run.calls - run.first_failure
        print(f"round {rounds}: {', '.join(run.seen)} (after {generated} examples)", flush=True)
    elapsed = time.monotonic() - started

    mode = "forked per example" if isolate else "in process"
    print(f"\nfuzz_readers: seed {args.seed}, {generated} examples generated ({mode}), ", end="")
    print(f"{replays} replays while shrinking, {rounds} round(s), {elapsed:.1f} s")
    if not run.known:
        print("no crashes: every problem was reported as data")
        return 0
    print(f"{len(run.known)} crash(es); minimal examples saved under {out}:")
    for key, where in run.known.items():
        details = (where / "crash.txt").read_text(encoding="utf-8").strip().splitlines()[2:]
        if key.startswith(("killed", "timeout")):  # the process's first words say what happened
            last = next((line for line in details if line.strip()), "")
        else:  # a traceback's last unindented line is the exception
            last = next((line for line in reversed(details) if line and not line[0].isspace()), "")
        print(f"  - {key}\n      {last[:160]}\n      {where.name}/ (输入/, crash.txt, example.txt)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
