"""Deterministic sample school: exam-score workbooks in teachers' messy layouts, plus the truth.

Used by ``xueqing demo`` and by tests. ``make_school`` draws students and scores,
``write_score_files`` writes one layout per grade (A: one sheet for the grade with a 班级 column,
B: one file per class, C: one sheet per class, D: one sheet per class with a two-row header),
and ``make_dirty_copy`` plants known errors so readers' error messages can be checked cell by cell.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.demo.xls import XlsSheet, write_xls

__all__ = [
    "SUBJECTS",
    "SUBJECTS_BY_GRADE",
    "DirtyCell",
    "SampleSchool",
    "make_config",
    "make_dirty_copy",
    "make_previous",
    "make_school",
    "write_score_files",
]

SUBJECTS_BY_GRADE: dict[int, list[str]] = {
    1: ["语文", "数学"],
    2: ["语文", "数学"],
    3: ["语文", "数学", "英语"],
    4: ["语文", "数学", "英语"],
    5: ["语文", "数学", "英语"],
    6: ["语文", "数学", "英语"],
}
# Every truth frame carries all of these columns, so its schema does not depend on the grades.
SUBJECTS: list[str] = list(
    dict.fromkeys(s for g in sorted(SUBJECTS_BY_GRADE) for s in SUBJECTS_BY_GRADE[g])
)

FULL_MARK = 100.0
GRADE_WORDS = "一二三四五六"
SCHOOL = "博山区实验小学"
TERM = "2025-2026学年第二学期"
ABSENT = "缺考"

# ~60 common surnames, most frequent first (drawn with a mildly decreasing weight).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
# ~150 characters common in children's given names.
_GIVEN_CHARS = "".join(
    dict.fromkeys(
        "子梓浩宇轩涵欣怡佳雨晨博文俊杰思嘉一诗语梦琪铭泽昊然睿妍婷悦可馨瑞明辰逸航阳凯鑫磊"
        "鹏伟强健晓静丽娜敏颖慧雅萱彤瑶楠瀚煜哲豪峻宸奕诺依安琳涛斌宁洋帅飞龙鸿志新天乐心若"
        "雪梅兰芳婉清晴露艺菲蕊蓉霖皓霆锦恒毅凡远致景翔云峰海波旭东晗曦玥媛娅茜晶莹朗煊祺"
        "翊钰彬炜骏弘亮卓坤鸣鹤承德信康泰福寿春秋冬雯璐璇琦钧杨柏松竹"
    )
)
_SURNAME_WEIGHTS = 1.0 / (np.arange(len(_SURNAMES)) + 8.0)
_SURNAME_WEIGHTS /= _SURNAME_WEIGHTS.sum()
_TEACHERS = "王李张刘陈杨黄赵吴周"
_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class SampleSchool:
    """A generated school's exam: metadata, one truth row per student and the absent marks."""

    school: str
    term: str
    exam: str
    truth: pd.DataFrame
    absent: pd.DataFrame


@dataclass(frozen=True)
class DirtyCell:
    """One error planted by ``make_dirty_copy``: where it is, what was written, and why."""

    file: str
    sheet: str
    cell: str
    value: object
    reason: str


# --------------------------------------------------------------------------- generation


def _grade_word(grade: int) -> str:
    """三 for 3."""
    return GRADE_WORDS[grade - 1]


def _draw_name(rng: np.random.Generator, taken: set[str]) -> str:
    """A realistic Chinese name not yet in ``taken`` (re-drawn on collision)."""
    while True:
        surname = _SURNAMES[rng.choice(len(_SURNAMES), p=_SURNAME_WEIGHTS)]
        n_given = 2 if rng.random() < 0.75 else 1
        given = "".join(_GIVEN_CHARS[i] for i in rng.integers(0, len(_GIVEN_CHARS), n_given))
        name = surname + given
        if name not in taken:
            taken.add(name)
            return name


def _draw_scores(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """Roughly normal scores in 0..100: integers, about 5% of them halves (x.5)."""
    raw = np.clip(rng.normal(mean, 11.0, n), 0.0, FULL_MARK)
    scores = np.rint(raw)
    halves = rng.random(n) < 0.05
    # Step down from 100 so a half never exceeds the full mark.
    scores[halves] += np.where(scores[halves] >= FULL_MARK, -0.5, 0.5)
    return scores


def _draw_absent(
    rng: np.random.Generator,
    truth: pd.DataFrame,
    exclude: set[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Pick absent marks (1, sometimes 2 per class: about one per 40 students) and blank them.

    Modifies ``truth`` in place (sets NaN) and returns the absent frame.
    """
    exclude = exclude or set()
    rows: list[dict[str, Any]] = []
    for (grade, klass), idx in truth.groupby(["年级", "班级"], sort=True).groups.items():
        subjects = SUBJECTS_BY_GRADE[int(grade)]
        candidates = [
            (i, s) for i in idx for s in subjects if (truth.at[i, "学号"], s) not in exclude
        ]
        n_absent = 2 if rng.random() < 0.15 else 1
        for k in rng.choice(len(candidates), n_absent, replace=False):
            i, subject = candidates[int(k)]
            truth.at[i, subject] = np.nan
            rows.append(
                {
                    "年级": int(grade),
                    "班级": int(klass),
                    "学号": truth.at[i, "学号"],
                    "姓名": truth.at[i, "姓名"],
                    "学科": subject,
                }
            )
    absent = pd.DataFrame(rows, columns=["年级", "班级", "学号", "姓名", "学科"])
    order = {s: k for k, s in enumerate(SUBJECTS)}
    absent = absent.sort_values(
        ["年级", "班级", "学号", "学科"], key=lambda c: c.map(order) if c.name == "学科" else c
    )
    return absent.reset_index(drop=True)


def make_school(
    seed: int = 2026,
    grades: tuple[int, ...] = (3, 4, 5, 6),
    classes_per_grade: int = 3,
    students_per_class: tuple[int, int] = (38, 45),
    exam: str = "期末",
) -> SampleSchool:
    """Draw a school: students per class, names, 学号 and scores; deterministic in ``seed``."""
    bad = [g for g in grades if g not in SUBJECTS_BY_GRADE]
    if bad or len(set(grades)) != len(grades):
        raise ValueError(f"grades must be distinct values in 1..6, got {grades}")
    if not 1 <= classes_per_grade <= 99 or not 1 <= students_per_class[0] <= students_per_class[1]:
        raise ValueError("classes_per_grade must be 1..99 and students_per_class a (min, max) pair")
    if students_per_class[1] > 99:
        raise ValueError("at most 99 students per class (two digits of 学号)")
    rng = np.random.default_rng(seed)
    blocks: list[pd.DataFrame] = []
    for grade in grades:
        subject_shift = {s: rng.normal(0.0, 2.0) for s in SUBJECTS_BY_GRADE[grade]}
        for klass in range(1, classes_per_grade + 1):
            n = int(rng.integers(students_per_class[0], students_per_class[1] + 1))
            taken: set[str] = set()
            block = pd.DataFrame(
                {
                    "年级": grade,
                    "班级": klass,
                    # Enrolment year + class + number: 8 digits, unique in the school.
                    "学号": [f"{2026 - grade}{klass:02d}{k:02d}" for k in range(1, n + 1)],
                    "姓名": [_draw_name(rng, taken) for _ in range(n)],
                }
            )
            class_shift = rng.normal(0.0, 3.0)
            for subject in SUBJECTS:
                if subject in SUBJECTS_BY_GRADE[grade]:
                    mean = 82.0 + class_shift + subject_shift[subject] + rng.normal(0.0, 1.5)
                    block[subject] = _draw_scores(rng, mean, n)
                else:
                    block[subject] = np.nan
            blocks.append(block)
    truth = pd.concat(blocks, ignore_index=True)
    truth = truth.astype({"年级": "int64", "班级": "int64", **dict.fromkeys(SUBJECTS, "float64")})
    absent = _draw_absent(rng, truth)
    return SampleSchool(school=SCHOOL, term=TERM, exam=exam, truth=truth, absent=absent)


def make_previous(school: SampleSchool, seed: int = 7) -> SampleSchool:
    """The same students' 期中: scores moved by a few points, clipped 0..100, new absentees."""
    rng = np.random.default_rng(seed)
    truth = school.truth.copy()
    for subject in SUBJECTS:
        for grade, idx in truth.groupby("年级").groups.items():
            if subject not in SUBJECTS_BY_GRADE[int(grade)]:
                continue
            col = truth.loc[idx, subject].to_numpy(dtype=float, copy=True)
            # Students absent now still sat the earlier exam: give them a typical score.
            missing = np.isnan(col)
            col[missing] = np.rint(np.nanmean(col) + rng.normal(0.0, 8.0, int(missing.sum())))
            # Integer shifts keep the halves as halves.
            col = np.clip(col + np.rint(rng.normal(0.0, 4.0, len(col))), 0.0, FULL_MARK)
            truth.loc[idx, subject] = col
    exclude = set(zip(school.absent["学号"], school.absent["学科"], strict=True))
    absent = _draw_absent(rng, truth, exclude)
    return SampleSchool(
        school=school.school, term=school.term, exam="期中", truth=truth, absent=absent
    )


# --------------------------------------------------------------------------- writing


class _Formats:
    """The few cell formats a teacher's sheet has (bold title and header, borders)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.title = wb.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.note = wb.add_format({"align": "left", "valign": "vcenter"})
        self.header = wb.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "bg_color": "#DDEBF7",
            }
        )
        self.cell = wb.add_format({"border": 1, "align": "center"})
        self.avg = wb.add_format({"border": 1, "align": "center", "num_format": "0.00"})
        self.pct = wb.add_format({"border": 1, "align": "center", "num_format": "0.0%"})


def _score_value(value: float) -> float | int:
    """Write whole scores as ints so they look typed by hand."""
    return int(value) if float(value).is_integer() else float(value)


def _total(row: pd.Series, subjects: list[str]) -> float:
    """Sum of the present scores (what a teacher's =SUM() shows)."""
    return float(row[subjects].sum(skipna=True))


def _write_score(ws: Any, r: int, c: int, value: float, fmt: Any, absent_text: str) -> None:
    """A score cell: the number, or the absent marker."""
    if np.isnan(value):
        ws.write_string(r, c, absent_text, fmt)
    else:
        ws.write_number(r, c, _score_value(value), fmt)


def _absent_text_picker(texts: list[str]) -> Callable[[], str]:
    """Hand out ``texts`` one by one for the first absent marks, then 缺考."""
    queue = list(texts)

    def pick() -> str:
        return queue.pop(0) if queue else ABSENT

    return pick


def _class_label_a(grade: int, klass: int) -> str:
    """Layout A's mixed 班级 spellings, one per class."""
    word = _grade_word(grade)
    if klass == 1:
        return f"{word}年级{klass}班"
    if klass == 2:
        return f"{grade}({klass})班"
    if klass == 3:
        return f"{grade}.{klass}"
    return f"{word}年级({klass})班"


def _write_layout_a(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """One file, one sheet ``Sheet1``: title, blank row, header on row 3, all classes."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    path = out_dir / f"{word}年级{school.exam}成绩.xlsx"
    headers = ["序号", "班级", "学号", "姓名", *subjects, "总分", "名次"]
    totals = df.apply(_total, axis=1, subjects=subjects)
    ranks = totals.rank(method="min", ascending=False).astype(int)  # RANK.EQ semantics
    with xlsxwriter.Workbook(path) as wb:
        f = _Formats(wb)
        ws = wb.add_worksheet("Sheet1")
        ws.merge_range(
            0,
            0,
            0,
            len(headers) - 1,
            f"{school.school}{school.term}{school.exam}{word}年级成绩",
            f.title,
        )
        ws.write_row(2, 0, headers, f.header)
        for k, (i, row) in enumerate(df.iterrows()):
            r = 3 + k
            ws.write_number(r, 0, k + 1, f.cell)
            ws.write_string(r, 1, _class_label_a(grade, int(row["班级"])), f.cell)
            ws.write_string(r, 2, row["学号"], f.cell)
            ws.write_string(r, 3, row["姓名"], f.cell)
            for c, subject in enumerate(subjects, start=4):
                _write_score(ws, r, c, row[subject], f.cell, ABSENT)
            ws.write_number(r, 4 + len(subjects), _score_value(totals[i]), f.cell)
            ws.write_number(r, 5 + len(subjects), int(ranks[i]), f.cell)
        ws.set_column(1, 3, 12)
    return [path]


def _write_layout_b(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """One file per class in a grade folder; header on row 4, summary rows after the data."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    folder = out_dir / f"{word}年级"
    folder.mkdir(parents=True, exist_ok=True)
    date = "2026年6月28日" if school.exam == "期末" else "2026年4月24日"
    paths: list[Path] = []
    for klass, cdf in df.groupby("班级", sort=True):
        klass = int(klass)
        # A fixed per-class generator: the messiness is part of the layout, not of the seed.
        rng = np.random.default_rng(grade * 100 + klass)
        path = folder / f"{word}({klass})班{school.exam}成绩.xlsx"
        headers = ["学号", "姓名", *subjects]
        if klass == 1:
            headers = ["学号", "姓 名", *[" 数学 " if s == "数学" else s for s in subjects]]
        values = cdf[subjects].to_numpy(dtype=float)
        # Which present scores are stored as text: 4 plain, 1 full-width, 1 with 分.
        present = [(r, c) for r in range(len(cdf)) for c in range(len(subjects))]
        present = [(r, c) for r, c in present if not np.isnan(values[r, c])]
        whole = [(r, c) for r, c in present if values[r, c].is_integer()]
        # min(): tiny test classes may have fewer scores than the usual quota.
        special = [whole[int(k)] for k in rng.choice(len(whole), min(2, len(whole)), False)]
        special += [(-1, -1)] * (2 - len(special))
        plain_pool = [p for p in present if p not in special]
        n_plain = min(4, len(plain_pool))
        plain = {plain_pool[int(k)] for k in rng.choice(len(plain_pool), n_plain, False)}
        spaced_row = int(rng.integers(0, len(cdf)))
        with xlsxwriter.Workbook(path) as wb:
            f = _Formats(wb)
            ws = wb.add_worksheet("Sheet1")
            last = len(headers) - 1
            title = f"{school.school}{school.term}{school.exam}{word}({klass})班成绩登记表"
            ws.merge_range(0, 0, 0, last, title, f.title)
            teacher = _TEACHERS[(grade + klass) % len(_TEACHERS)]
            ws.merge_range(1, 0, 1, last, f"班主任：{teacher}老师        填表日期：{date}", f.note)
            ws.write_row(3, 0, headers, f.header)
            for r, row in enumerate(cdf.itertuples(index=False)):
                xr = 4 + r
                ws.write_string(xr, 0, row.学号, f.cell)
                name = f" {row.姓名} " if r == spaced_row else row.姓名
                ws.write_string(xr, 1, name, f.cell)
                for c in range(len(subjects)):
                    v = values[r, c]
                    text = f"{_score_value(v)}"
                    if (r, c) == special[0]:
                        ws.write_string(xr, 2 + c, text.translate(_FULL_WIDTH), f.cell)
                    elif (r, c) == special[1]:
                        ws.write_string(xr, 2 + c, f"{text}分", f.cell)
                    elif (r, c) in plain:
                        ws.write_string(xr, 2 + c, text, f.cell)
                    else:
                        _write_score(ws, xr, 2 + c, v, f.cell, ABSENT)
            # One blank row, then the class teacher's summary rows (name cell holds the label).
            sr = 4 + len(cdf) + 1
            with np.errstate(all="ignore"):
                stats = {
                    "平均分": (np.nanmean(values, axis=0), f.avg),
                    "及格率": (_rate(values, 0.6), f.pct),
                    "优秀率": (_rate(values, 0.9), f.pct),
                }
            for k, (label, (nums, fmt)) in enumerate(stats.items()):
                ws.write_blank(sr + k, 0, None, f.cell)
                ws.write_string(sr + k, 1, label, f.cell)
                for c, v in enumerate(nums):
                    ws.write_number(sr + k, 2 + c, float(v), fmt)
            ws.set_column(0, 1, 12)
        paths.append(path)
    return paths


def _rate(values: np.ndarray, share: float) -> np.ndarray:
    """Share of present scores at or above ``share`` of the full mark, per column."""
    present = ~np.isnan(values)
    hits = (np.nan_to_num(values, nan=-1.0) >= share * FULL_MARK) & present
    return hits.sum(axis=0) / present.sum(axis=0)


def _write_layout_c(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """One file, a sheet per class named ``5.1``; header on row 2; 缺 / 请假 used once each."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    path = out_dir / f"{word}年级成绩.xlsx"
    headers = ["学号", "姓名", *subjects, "总分"]
    pick = _absent_text_picker(["缺", "请假"])
    with xlsxwriter.Workbook(path) as wb:
        f = _Formats(wb)
        for klass, cdf in df.groupby("班级", sort=True):
            ws = wb.add_worksheet(f"{grade}.{int(klass)}")
            title = f"{school.school}{school.term}{school.exam}{word}({int(klass)})班成绩"
            ws.merge_range(0, 0, 0, len(headers) - 1, title, f.title)
            ws.write_row(1, 0, headers, f.header)
            for r, (_, row) in enumerate(cdf.iterrows(), start=2):
                ws.write_string(r, 0, row["学号"], f.cell)
                ws.write_string(r, 1, row["姓名"], f.cell)
                for c, subject in enumerate(subjects, start=2):
                    v = row[subject]
                    _write_score(ws, r, c, v, f.cell, pick() if np.isnan(v) else ABSENT)
                ws.write_number(r, 2 + len(subjects), _score_value(_total(row, subjects)), f.cell)
            ws.set_column(0, 1, 12)
    return [path]


def _d_rows(cdf: pd.DataFrame, klass: int) -> list[pd.Series | None]:
    """Data rows of a layout-D sheet; class 2 gets an empty row (None) in the middle."""
    rows: list[pd.Series | None] = [row for _, row in cdf.iterrows()]
    if klass == 2:
        rows.insert(len(rows) // 2, None)
    return rows


def _write_layout_d(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """One file, a sheet per class ``六(1)班``; two-row header (rows 2-3), data from row 4."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    path = out_dir / f"{word}年级{school.exam}成绩.xlsx"
    n_sub = len(subjects)
    last = 2 + n_sub
    with xlsxwriter.Workbook(path) as wb:
        f = _Formats(wb)
        for klass, cdf in df.groupby("班级", sort=True):
            klass = int(klass)
            ws = wb.add_worksheet(f"{word}({klass})班")
            title = f"{school.school}{school.term}{school.exam}{word}({klass})班成绩"
            ws.merge_range(0, 0, 0, last, title, f.title)
            ws.merge_range(1, 0, 2, 0, "学号", f.header)
            ws.merge_range(1, 1, 2, 1, "姓名", f.header)
            if n_sub > 1:
                ws.merge_range(1, 2, 1, 1 + n_sub, "成绩", f.header)
            else:
                ws.write_string(1, 2, "成绩", f.header)
            ws.merge_range(1, last, 2, last, "总分", f.header)
            ws.write_row(2, 2, subjects, f.header)
            for r, row in enumerate(_d_rows(cdf, klass), start=3):
                if row is None:
                    # A bordered but empty row, as left behind by deleting a student's data.
                    for c in range(last + 1):
                        ws.write_blank(r, c, None, f.cell)
                    continue
                ws.write_string(r, 0, row["学号"], f.cell)
                ws.write_string(r, 1, row["姓名"], f.cell)
                for c, subject in enumerate(subjects, start=2):
                    _write_score(ws, r, c, row[subject], f.cell, ABSENT)
                ws.write_number(r, last, _score_value(_total(row, subjects)), f.cell)
            ws.set_column(0, 1, 12)
    return [path]


def _write_layout_d_xls(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """Layout D as legacy .xls: merged title on row 1, single header row 2, data from row 3."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    path = out_dir / f"{word}年级{school.exam}成绩.xls"
    headers = ["学号", "姓名", *subjects, "总分"]
    last = len(headers) - 1
    sheets = []
    for klass, cdf in df.groupby("班级", sort=True):
        klass = int(klass)
        ws = XlsSheet(f"{word}({klass})班")
        title = f"{school.school}{school.term}{school.exam}{word}({klass})班成绩"
        ws.merge(0, 0, 0, last, title, "title")
        for c, h in enumerate(headers):
            ws.write(1, c, h, "header")
        for r, row in enumerate(_d_rows(cdf, klass), start=2):
            if row is None:
                continue
            ws.write(r, 0, row["学号"])
            ws.write(r, 1, row["姓名"])
            for c, subject in enumerate(subjects, start=2):
                v = row[subject]
                ws.write(r, c, ABSENT if np.isnan(v) else _score_value(v))
            ws.write(r, last, _score_value(_total(row, subjects)))
        sheets.append(ws)
    write_xls(path, sheets)
    return [path]


def write_score_files(
    school: SampleSchool,
    out_dir: Path,
    with_xls: bool = False,
    in_levels: Mapping[int, Sequence[str]] | None = None,
) -> list[Path]:
    """Write each grade in its layout (A, B, C, D by position in the school's grades, cycling).

    With ``with_xls`` the layout-D grades are written as .xls (single header row) instead. A
    grade in ``in_levels`` is written as its teachers report a term in levels: each score as
    its level by the default lines, in the spellings given (优秀, 良好, 合格, 待合格 in order).
    Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = [_write_layout_a, _write_layout_b, _write_layout_c, _write_layout_d]
    if with_xls:
        writers[3] = _write_layout_d_xls
    paths: list[Path] = []
    grades = list(dict.fromkeys(int(g) for g in school.truth["年级"]))
    for k, grade in enumerate(grades):
        df = school.truth[school.truth["年级"] == grade].sort_values(["班级", "学号"])
        if in_levels and grade in in_levels:
            paths += _write_levels(school, grade, df, out_dir, in_levels[grade])
        else:
            paths += writers[k % 4](school, grade, df, out_dir)
    return paths


def level_of(score: float) -> int:
    """A score's level by the default lines of a 100-mark subject: 0 优秀 (≥ 90), 1 良好 (≥ 80),
    2 合格 (≥ 60), 3 待合格."""
    return 0 if score >= 90 else 1 if score >= 80 else 2 if score >= 60 else 3


def _write_levels(
    school: SampleSchool, grade: int, df: pd.DataFrame, out_dir: Path, words: Sequence[str]
) -> list[Path]:
    """One file, a sheet per class as a teacher keeps a term's levels: title, header, one row
    per student with a level per subject (缺考 where absent), no total and no rank."""
    subjects = SUBJECTS_BY_GRADE[grade]
    word = _grade_word(grade)
    path = out_dir / f"{word}年级{school.exam}等级.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        f = _Formats(wb)
        for klass, rows in df.groupby("班级", sort=True):
            ws = wb.add_worksheet(f"{word}({int(klass)})班")
            headers = ["学号", "姓名", *subjects]
            title = f"{school.school}{school.exam}{word}年级({int(klass)})班等级"
            ws.merge_range(0, 0, 0, len(headers) - 1, title, f.title)
            ws.write_row(1, 0, headers, f.header)
            for r, (_, row) in enumerate(rows.iterrows(), start=2):
                ws.write_string(r, 0, row["学号"], f.cell)
                ws.write_string(r, 1, row["姓名"], f.cell)
                for c, subject in enumerate(subjects, start=2):
                    value = row[subject]
                    text = ABSENT if np.isnan(value) else words[level_of(value)]
                    ws.write_string(r, c, text, f.cell)
            ws.set_column(0, 1, 12)
    return [path]


# --------------------------------------------------------------------------- dirty copy


def _norm(text: object) -> str:
    """Header text without spaces (teachers type `姓 名`)."""
    return re.sub(r"\s+", "", str(text)) if text is not None else ""


def _header(ws: Worksheet) -> tuple[int, dict[str, int]]:
    """The header row (found by its 姓名 cell) and its column numbers by normalised name."""
    for row in ws.iter_rows(min_row=1, max_row=6):
        names = {_norm(c.value): c.column for c in row if c.value is not None}
        if "姓名" in names:
            return row[0].row, names
    raise ValueError(f"no header row in sheet {ws.title}")


def _data_rows(ws: Worksheet, header_row: int, id_col: int) -> list[int]:
    """Rows below the header that hold a student (non-empty 学号)."""
    return [
        r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, id_col).value not in (None, "")
    ]


def _numeric_score_cells(ws: Worksheet) -> list[str]:
    """A1 refs of score cells holding a plain number (not text, absent marker or total)."""
    header_row, cols = _header(ws)
    rows = _data_rows(ws, header_row, cols["学号"])
    subject_cols = [cols[s] for s in SUBJECTS if s in cols]
    return [
        f"{get_column_letter(c)}{r}"
        for r in rows
        for c in subject_cols
        if isinstance(ws.cell(r, c).value, int | float)
        and not isinstance(ws.cell(r, c).value, bool)
    ]


def _find_layouts(root: Path) -> dict[str, tuple[Path, str]]:
    """Locate, for the lowest grade of each layout, the file and sheet to dirty.

    A: top-level workbook with one sheet ``Sheet1``; B: a grade folder's class-2 file;
    C: top-level workbook whose sheets are named ``5.1``-style, sheet ``x.2``.
    """
    found: dict[str, tuple[Path, str]] = {}
    for grade in range(1, len(GRADE_WORDS) + 1):
        word = _grade_word(grade)
        folder = root / f"{word}年级"
        class2 = sorted(folder.glob(f"{word}(2)班*.xlsx")) if folder.is_dir() else []
        if class2 and "B" not in found:
            found["B"] = (class2[0], "Sheet1")
        for path in sorted(root.glob(f"{word}年级*.xlsx")):
            wb = load_workbook(path, read_only=True)
            sheets = wb.sheetnames
            wb.close()  # read-only workbooks keep the file open until closed
            if sheets == ["Sheet1"] and "A" not in found:
                found["A"] = (path, "Sheet1")
            elif f"{grade}.2" in sheets and "C" not in found:
                found["C"] = (path, f"{grade}.2")
    return found


def make_dirty_copy(src_dir: Path, dst_dir: Path) -> list[DirtyCell]:
    """Copy a folder written by ``write_score_files`` and plant known errors in the copy.

    Plants a ``良`` and a ``-3`` in layout B's class-2 file, a ``105`` in layout C's class-2
    sheet, and in layout A a student row overwritten with another same-class student's 学号
    and 姓名. Layouts missing from the folder are skipped. ``dst_dir`` must not exist.
    """
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    shutil.copytree(src_dir, dst_dir)
    rng = np.random.default_rng(20260628)  # fixed: the same folder always gets the same errors
    layouts = _find_layouts(dst_dir)
    planted: list[DirtyCell] = []

    def plant(path: Path, sheet: str, edits: list[tuple[str, object, str]]) -> None:
        wb = load_workbook(path)
        ws = wb[sheet]
        for cell, value, _ in edits:
            ws[cell] = value
        wb.save(path)
        rel = path.relative_to(dst_dir).as_posix()
        planted.extend(DirtyCell(rel, sheet, cell, value, reason) for cell, value, reason in edits)

    if "B" in layouts:
        path, sheet = layouts["B"]
        cells = _numeric_score_cells(load_workbook(path)[sheet])
        if len(cells) >= 2:
            letter, negative = (cells[int(k)] for k in rng.choice(len(cells), 2, replace=False))
            plant(path, sheet, [(letter, "良", "letter"), (negative, -3, "negative")])
    if "C" in layouts:
        path, sheet = layouts["C"]
        cells = _numeric_score_cells(load_workbook(path)[sheet])
        if cells:
            plant(path, sheet, [(cells[int(rng.integers(len(cells)))], 105, "above_full")])
    if "A" in layouts:
        path, sheet = layouts["A"]
        wb = load_workbook(path)
        ws = wb[sheet]
        header_row, cols = _header(ws)
        rows = _data_rows(ws, header_row, cols["学号"])
        first_class = ws.cell(rows[0], cols["班级"]).value
        same = [r for r in rows if ws.cell(r, cols["班级"]).value == first_class]
        if len(same) < 2:
            return planted
        src_row, dst_row = sorted(int(r) for r in rng.choice(same, 2, replace=False))
        name = ws.cell(src_row, cols["姓名"]).value
        ws.cell(dst_row, cols["学号"]).value = ws.cell(src_row, cols["学号"]).value
        ws.cell(dst_row, cols["姓名"]).value = name
        wb.save(path)
        cell = f"{get_column_letter(cols['姓名'])}{dst_row}"
        planted.append(
            DirtyCell(path.relative_to(dst_dir).as_posix(), sheet, cell, name, "duplicate")
        )
    return planted


# --------------------------------------------------------------------------- school config


def make_config(school: SampleSchool, seed: int = 11) -> Any:
    """The school's config as a grade office would fill it: classes with their head teachers,
    who teaches what where (one teacher per subject for two classes), and the roster."""
    from toolkit.config.model import SchoolConfig
    from toolkit.config.tables import ClassInfo, RosterEntry, Teaching

    rng = np.random.default_rng(seed)
    taken: set[str] = set(school.truth["姓名"])
    year, _, term = school.term.partition("学年")
    config = SchoolConfig(school=school.school, year=f"{year}学年", term=term)
    truth = school.truth
    for (grade, klass), block in truth.groupby(["年级", "班级"], sort=True):
        config.classes.append(ClassInfo(int(grade), int(klass), _draw_name(rng, taken), len(block)))
        config.roster.extend(
            RosterEntry(int(grade), int(klass), str(sid), str(name))
            for sid, name in zip(block["学号"], block["姓名"], strict=True)
        )
    for grade in sorted(truth["年级"].unique()):
        classes = sorted(truth.loc[truth["年级"] == grade, "班级"].unique())
        for subject in SUBJECTS_BY_GRADE[int(grade)]:
            for k in range(0, len(classes), 2):
                teacher = _draw_name(rng, taken)
                config.teaching.extend(
                    Teaching(teacher, subject, int(grade), int(n)) for n in classes[k : k + 2]
                )
    return config
