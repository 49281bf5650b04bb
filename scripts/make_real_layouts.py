"""Write the fixture corpus ``tests/data/real-layouts/``: score workbooks in the shapes marking
platforms export and exam offices keep (issue 17), each beside ``truth.csv`` — every student's
every subject as written and what it is (score, absent, excluded, not taking) — from which the
tests compute the expected figures on their own.

    python scripts/make_real_layouts.py          # rewrite the corpus (LibreOffice for the .xls)

The students and scores come from a seeded generator, so a rewrite gives the same truth.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent / "tests" / "data" / "real-layouts"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "子涵欣怡梓萱一诺浩宇宇轩雨桐思远佳琪俊杰晨曦嘉怡梓涵明轩可馨博文若曦天佑紫萱"
TRUTH_COLUMNS = ["文件", "考试", "年级", "班级", "考号", "姓名", "学科", "原值", "类别", "分数"]


@dataclass
class Mark:
    raw: object  # as written in the cell
    kind: str  # score | absent | excluded | not_taking
    score: float | None = None


@dataclass
class Student:
    grade: int
    klass: int
    sid: str
    name: str
    marks: dict[str, Mark]


def _names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        seen.add(rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))))
    return sorted(seen, key=lambda n: rng.random())


def make_students(
    rng: random.Random,
    grade: int,
    classes: int,
    per_class: int,
    subjects: dict[str, float],
    *,
    absent: float = 0.03,
    prefix: str = "",
) -> list[Student]:
    names = _names(rng, classes * per_class)
    out = []
    for k in range(classes):
        for j in range(per_class):
            marks = {}
            for subject, full in subjects.items():
                if rng.random() < absent:
                    marks[subject] = Mark("缺考", "absent")
                else:
                    score = min(full, max(0, round(rng.gauss(0.74 * full, 0.13 * full))))
                    marks[subject] = Mark(score, "score", float(score))
            sid = f"{prefix or grade:0>2}{k + 1:02d}{j + 1:02d}"
            out.append(Student(grade, k + 1, sid, names[k * per_class + j], marks))
    return out


def write_truth(folder: Path, rows: list[tuple[str, str, Student]]) -> None:
    with (folder / "truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRUTH_COLUMNS)
        for file, exam, s in rows:
            for subject, mark in s.marks.items():
                writer.writerow(
                    [file, exam, s.grade, s.klass, s.sid, s.name, subject, mark.raw, mark.kind,
                     "" if mark.score is None else f"{mark.score:g}"]
                )  # fmt: skip


def _book(path: Path) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"author": "阅卷平台", "created": None})
    return book


def _class_text(s: Student) -> str:
    return f"{'一二三四五六七八九'[s.grade - 1]}({s.klass})班" if s.grade <= 9 else f"{s.klass}班"


# 1. A platform export: title row, 考号/姓名/班级 merged down two header rows, each subject
#    merged over 得分 | 校次 | 班次; 语文 and 数学 out of 150 with no 满分 written anywhere.
def platform_two_row(rng: random.Random) -> None:
    folder = ROOT / "platform-two-row"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 150.0, "数学": 150.0, "英语": 100.0}
    students = make_students(rng, 9, 3, 14, subjects)
    name = "九年级期末成绩.xlsx"
    book = _book(folder / "input" / name)
    sheet = book.add_worksheet("成绩")
    width = 3 + 3 * len(subjects) + 1
    sheet.merge_range(0, 0, 0, width - 1, "2025-2026学年第一学期九年级期末考试成绩（阅卷平台导出）")
    for c, text in enumerate(["考号", "姓名", "班级"]):
        sheet.merge_range(1, c, 2, c, text)
    for k, subject in enumerate(subjects):
        first = 3 + 3 * k
        sheet.merge_range(1, first, 1, first + 2, subject)
        sheet.write_row(2, first, ["得分", "校次", "班次"])
    sheet.merge_range(1, width - 1, 2, width - 1, "总分")
    for r, s in enumerate(students, start=3):
        sheet.write_row(r, 0, [s.sid, s.name, _class_text(s)])
        total = 0.0
        for k, subject in enumerate(subjects):
            mark = s.marks[subject]
            total += mark.score or 0
            sheet.write_row(r, 3 + 3 * k, [mark.raw, rng.randint(1, 42), rng.randint(1, 14)])
        sheet.write(r, width - 1, total)
    book.close()
    write_truth(folder, [(name, "期末", s) for s in students])


# 2. A sheet per subject (得分 | 班次 | 校次, the subject only in the sheet name) and a 总分 sheet;
#    saved as Excel 97-2003 by LibreOffice, as platforms still export.
def sheet_per_subject(rng: random.Random) -> None:
    folder = ROOT / "sheet-per-subject"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 100.0, "数学": 100.0, "英语": 100.0}
    students = make_students(rng, 7, 2, 12, subjects, absent=0.06)
    name = "七年级期中成绩.xlsx"
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / name
        book = _book(path)
        for subject in subjects:
            sheet = book.add_worksheet(subject)
            sheet.write_row(0, 0, ["考号", "姓名", "班级", "得分", "班次", "校次"])
            ranked = sorted(students, key=lambda s: -(s.marks[subject].score or -1))
            for r, s in enumerate(ranked, start=1):
                mark = s.marks[subject]
                sheet.write_row(r, 0, [s.sid, s.name, _class_text(s), mark.raw, "", r])
        sheet = book.add_worksheet("总分")
        sheet.write_row(0, 0, ["考号", "姓名", "班级", "总分", "校次"])
        for r, s in enumerate(students, start=1):
            total = sum(m.score or 0 for m in s.marks.values())
            sheet.write_row(r, 0, [s.sid, s.name, _class_text(s), total, r])
        book.close()
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                str(folder / "input"),
                str(path),
            ],
            check=True,
            capture_output=True,
        )
    write_truth(folder, [(name.replace(".xlsx", ".xls"), "期中", s) for s in students])


# 3. A 全体 sheet and one sheet per class holding the same students again.
def all_and_classes(rng: random.Random) -> None:
    folder = ROOT / "all-and-classes"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 100.0, "数学": 100.0, "英语": 100.0, "科学": 100.0}
    students = make_students(rng, 8, 3, 11, subjects)
    name = "八年级12月月考成绩.xlsx"
    book = _book(folder / "input" / name)

    def table(title: str, rows: list[Student]) -> None:
        sheet = book.add_worksheet(title)
        sheet.merge_range(0, 0, 0, 7, f"八年级12月月考成绩（{title}）")
        sheet.write_row(1, 0, ["序号", "考号", "姓名", "班级", *subjects, "总分"])
        for r, s in enumerate(rows, start=2):
            marks = [s.marks[x].raw for x in subjects]
            total = sum(s.marks[x].score or 0 for x in subjects)
            sheet.write_row(r, 0, [r - 1, s.sid, s.name, _class_text(s), *marks, total])

    table("全体", students)
    for k in (1, 2, 3):
        table(f"{k}班", [s for s in students if s.klass == k])
    book.close()
    write_truth(folder, [(name, "12月月考", s) for s in students])


# 4. A 综合成绩表: every number stored as text, 准考证号, 原班级 beside 新班级, 满分 in headers
#    (语文(120)), summary columns (第一高分(科目)), and the office's markers: 作弊, 36，剔除,
#    缺考(病假), 0（缺考）.
def comprehensive_text(rng: random.Random) -> None:
    folder = ROOT / "comprehensive-text"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 120.0, "数学": 120.0, "英语": 120.0, "物理": 70.0}
    students = make_students(rng, 8, 2, 13, subjects)
    markers = ["作弊", "缺考(病假)", "0（缺考）", "缺考，不计排名"]
    for s, (subject, text) in zip(students[3::7], [("数学", m) for m in markers], strict=False):
        s.marks[subject] = Mark(text, "excluded" if text == "作弊" else "absent")
    struck = students[5].marks["语文"]
    students[5].marks["语文"] = Mark(f"{struck.score or 36:g}，剔除", "excluded")
    name = "八年级期末综合成绩表.xlsx"
    book = _book(folder / "input" / name)
    sheet = book.add_worksheet("综合成绩表")
    headers = ["准考证号", "姓名", "原班级", "新班级", "语文(120)", "数学(120)", "英语(120)",
               "物理(70)", "总分", "第一高分(科目)"]  # fmt: skip
    sheet.merge_range(0, 0, 0, len(headers) - 1, "八年级期末考试综合成绩表")
    sheet.write_row(1, 0, headers)
    for r, s in enumerate(students, start=2):
        marks = [str(s.marks[x].raw) for x in subjects]
        scored = {x: m.score for x, m in s.marks.items() if m.score is not None}
        best = max(scored, key=lambda x: scored[x]) if scored else ""
        old = f"{'八'}({3 - s.klass})班"  # the class before the re-division
        total = f"{sum(scored.values()):g}"
        sheet.write_row(r, 0, [s.sid, s.name, old, _class_text(s), *marks, total, best])
    book.close()
    write_truth(folder, [(name, "期末", s) for s in students])


# 5. A sheet per exam in one workbook: the same students in 12月月考 and 期中.
def exam_per_sheet(rng: random.Random) -> None:
    folder = ROOT / "exam-per-sheet"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 100.0, "数学": 100.0}
    first = make_students(rng, 7, 2, 10, subjects)
    second = make_students(random.Random(99), 7, 2, 10, subjects)
    for a, b in zip(first, second, strict=True):  # the same pupils, other scores
        b.sid, b.name = a.sid, a.name
    name = "七年级成绩汇总.xlsx"
    book = _book(folder / "input" / name)
    for exam, students in (("12月月考", first), ("期中考试", second)):
        sheet = book.add_worksheet(exam)
        sheet.write_row(0, 0, ["学号", "姓名", "班级", *subjects])
        for r, s in enumerate(students, start=1):
            sheet.write_row(r, 0, [s.sid, s.name, _class_text(s)])
            sheet.write_row(r, 3, [s.marks[x].raw for x in subjects])
    book.close()
    rows = [(name, "12月月考", s) for s in first] + [(name, "期中", s) for s in second]
    write_truth(folder, rows)


# 6. An office's own analysis workbook: the 成绩总表 (one row per student), 成绩条 for printing
#    (a header, a student and 赋分 beneath, a blank, again), an analysis sheet of class means.
def office_views(rng: random.Random) -> None:
    folder = ROOT / "office-views"
    (folder / "input").mkdir(parents=True)
    subjects = {"语文": 100.0, "数学": 100.0, "英语": 100.0}
    students = make_students(rng, 6, 2, 9, subjects)
    name = "六年级期末成绩分析.xlsx"
    book = _book(folder / "input" / name)
    sheet = book.add_worksheet("成绩总表")
    sheet.write_row(0, 0, ["班级", "学号", "姓名", *subjects, "总分"])
    for r, s in enumerate(students, start=1):
        marks = [s.marks[x].raw for x in subjects]
        total = sum(s.marks[x].score or 0 for x in subjects)
        sheet.write_row(r, 0, [_class_text(s), s.sid, s.name, *marks, total])
    strips = book.add_worksheet("成绩条")
    r = 0
    for s in students:
        strips.write_row(r, 0, ["班级", "学号", "姓名", *subjects])
        strips.write_row(
            r + 1, 0, [_class_text(s), s.sid, s.name, *(s.marks[x].raw for x in subjects)]
        )
        strips.write_row(
            r + 2, 0, ["", "", "赋分", *(round((s.marks[x].score or 0) * 0.9) for x in subjects)]
        )
        r += 4
    analysis = book.add_worksheet("班级分析")
    analysis.write_row(0, 0, ["班级", "学科", "平均分", "及格率"])
    for k in (1, 2):
        for j, subject in enumerate(subjects):
            scores = [s.marks[subject].score for s in students if s.klass == k]
            valid = [x for x in scores if x is not None]
            analysis.write_row(
                1 + (k - 1) * 3 + j, 0,
                [f"六({k})班", subject, sum(valid) / len(valid),
                 sum(x >= 60 for x in valid) / len(valid)],
            )  # fmt: skip
    book.close()
    write_truth(folder, [(name, "期末", s) for s in students])


LAYOUTS = (
    platform_two_row,
    sheet_per_subject,
    all_and_classes,
    comprehensive_text,
    exam_per_sheet,
    office_views,
)


def main() -> None:
    if ROOT.exists():
        shutil.rmtree(ROOT)
    for k, layout in enumerate(LAYOUTS):
        layout(random.Random(20261205 + k))
    (ROOT / "README.md").write_text(
        "# 真实版式样例 · Real layouts\n\n"
        "Written by `scripts/make_real_layouts.py` (issue 17): one folder per layout a marking\n"
        "platform or exam office writes, its workbook under `input/`, beside `truth.csv`: every\n"
        "student's every subject as written and what it is (score, absent, excluded,\n"
        "not_taking). The tests compute the expected figures from `truth.csv` on their own\n"
        "(`tests/test_real_layouts.py`).\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
