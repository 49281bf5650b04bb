"""District benchmark (issue 7): how ``xueqing scores`` holds up on a whole district's files.

    python scripts/bench.py                      # 50 schools, best of 3: under 10 minutes, 2 cores
    python scripts/bench.py --quick              # 12 schools, one repetition: about a minute
    python scripts/bench.py --data bench-data --json bench.json   # keep the files, save numbers
    python scripts/bench.py --profile            # cProfile one full-district run (no timings)
    python scripts/bench.py --items-only --items-scale   # 小题分 20k × 40, 60k × 40, 120k × 45

The data are generated deterministically (fixed seed; school k is drawn from its own generator,
so the quick district is the full district's first 12 schools) into a cache folder: a temporary
folder by default, or ``--data DIR``, where files of the same generation are reused.

* the district: a file per school, ``第12小学期末成绩.xlsx``, each 6 grades × 8 classes × ~50
  students × 6 subjects (≈120,000 student rows for 50 schools) in one of four teachers' layouts
  the readers support (the school's layout cycles with its number):

  - 全校一表: one sheet, title and blank row above the header, a 班级 column spelt four ways
    (``三(1)班``, ``3年级2班``, ``三年级(3)班``, ``3(4)班``);
  - 年级分表: a sheet per grade (``三年级``), 班级 cells ``1班`` (grade from the sheet name) or
    ``3年级2班``;
  - 班级分表: a sheet per class named ``3.1``, no 班级 column;
  - 两行表头: a sheet per class ``三(1)班``, 学号/姓名 merged over two header rows under ``成绩``;

  the school is a 学校 column in the first and last layouts, and only in the titles and the
  file name in the other two (the same 学号 occur in every school); every table has a 总分
  column, the odd 缺考 and a few scores stored as text (``87``, ``８７``, ``87分``);
* the items workload: ``四年级数学期末小题分.xlsx``, one grade of the district as its marking
  system exports it: 学校, 班级, 学号, 姓名 and 40 items for 20,000 students (400 a school), with
  the 满分 and 知识点 rows under the header; ``--items-scale`` adds 60,000 × 40 and 120,000 × 45
  (one platform export, issue 20), drawn the same way.

Each measured thing runs as a subprocess (wall seconds, and peak RSS from ``os.wait4``), best of
``--repeat`` repetitions (peak RSS: the largest of the repetitions). A repetition after the
first is only started when it would end within ``--budget`` seconds of the start (default 540, so
that a default run stays under 10 minutes on a slow 2-core machine); the report says how many
repetitions were run.

1. floor: python-calamine reads every sheet of every input, and xlsxwriter writes plain values
   into a workbook of the same sheets and row × column extents as xueqing's output, with cells
   of the same kinds: each sheet's first 200 rows as xueqing wrote them, the rows below the
   header cycled after that (read once from that output with openpyxl, read-only; text costs
   xlsxwriter several times what a number does, so the kinds matter);
2. naive: pandas ``read_excel(engine="openpyxl")`` of every file, a groupby per
   school/grade/class/subject (mean, count) and ``to_excel`` with openpyxl;
3. xueqing: ``python -m toolkit scores <folder> -o out.xlsx --skip-invalid -q``.

All three at ¼, ½ and all of the district (its first 12, 25 and 50 files), plus the start-up time
(``python -m toolkit --help``, best of 5), a one-school run and the items workloads
(``python -m toolkit items <file> -o out.xlsx -q``) each against its floor (the same calamine read
and the same cells written), with the time and bytes per mark (student × item) and issue 20's
targets: 120,000 × 45 within 2× its floor and under 1 GB (``--items-only`` measures the items
workloads alone). xueqing's outputs are
checked (one row per student, one per school × class × subject; the item analysis one column
per school's class) and what is in its 数据问题 sheet is summarised. Exit status: 0 when every
run worked and the outputs were right, 1 otherwise (the report says what was wrong).

``--profile`` generates the data and runs xueqing once on the whole district under cProfile
(``python -m cProfile -o prof.out -m toolkit scores …``), printing the top 25 cumulative
entries, instead of benchmarking.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # a fresh clone: import toolkit from the working tree
    sys.path.insert(0, str(ROOT))

SEED = 20260707
GENERATION = 3  # bump when the generated files change, so cached folders are rebuilt
SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "信息科技")
GRADES = (1, 2, 3, 4, 5, 6)
CLASSES = 8
CLASS_SIZE = (45, 55)  # students per class, inclusive: ~50 on average
ITEMS = 40
ITEM_GRADE, ITEM_SUBJECT = 4, "数学"
EXAM = "期末"
LAYOUTS = ("全校一表", "年级分表", "班级分表", "两行表头")
SAMPLE_ROWS = 200  # of each output sheet, for the floor to write cells of the same kinds
FLOOR_HEADER_ROWS = 3  # title, subtitle and header above a table's rows
LARGE_SHEET_ROWS = 50_000  # as the score workbook: stream sheets this long (constant_memory)
MB = 1024 * 1024
CREATED = datetime.datetime(2026, 6, 28, 12, 0, 0)

ITEM_SCHOOL = 400  # students of the items workload per school: one grade, 8 classes of 50
# (students, items) of the items workloads: the district's grade, and with --items-scale a city's
# and one platform export (issue 20).
ITEM_SCALE = ((60_000, ITEMS), (120_000, 45))
ITEM_TARGET = (120_000, 45)  # where issue 20's items targets are stated
ITEM_OVER_FLOOR, ITEM_RSS_MB = 2.0, 1024

TARGETS = {
    "xueqing_over_floor": ("xueqing/floor（全区）", "≤ 1.0"),  # issue 20 (was 1.3, issue 7)
    "naive_over_xueqing": ("naive/xueqing（全区）", "≥ 2.5"),
    "full_over_quarter": ("全区/四分之一（xueqing）", "≤ 4.4"),
    "district_rss_mb": ("全区峰值内存 MB（全部进程）", "≤ 1024"),
    "school_rss_mb": ("单校峰值内存 MB", "≤ 300"),
    "help_s": ("--help 秒", "< 0.3"),
    "items_over_floor": ("小题分 xueqing/floor", f"≤ {ITEM_OVER_FLOOR:g}"),
    "items_rss_mb": ("小题分峰值内存 MB", f"≤ {ITEM_RSS_MB}"),
}


# ============================================================================ data generation


@dataclass
class School:
    """One school's students as they are written: identity, score cells and total."""

    number: int
    name: str
    grade: list[int]
    klass: list[int]
    sid: list[str]
    person: list[str]
    cells: list[list[object]]  # per student, one written value per subject
    total: list[float | int]


@dataclass
class District:
    """The generated files and what xueqing should find in them."""

    root: Path
    schools: int
    files: list[Path]
    students: list[int]  # per file
    seconds: float = 0.0
    reused: bool = False

    def subset(self, n: int) -> Path:
        """A folder holding the first ``n`` school files (hard links into the full set)."""
        if n == self.schools:
            return self.files[0].parent
        folder = self.root / "部分" / f"{n}所"
        if not folder.is_dir():
            folder.mkdir(parents=True)
            for path in self.files[:n]:
                _link(path, folder / path.name)
        return folder


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _names(rng: Any, n: int) -> list[str]:
    """Children's names drawn as the sample school draws them (not unique: 学号 identifies)."""
    from toolkit.demo.school import _GIVEN_CHARS, _SURNAME_WEIGHTS, _SURNAMES

    surnames = rng.choice(len(_SURNAMES), size=n, p=_SURNAME_WEIGHTS)
    given = rng.integers(0, len(_GIVEN_CHARS), size=(n, 2))
    two = rng.random(n) < 0.75
    return [
        _SURNAMES[s] + _GIVEN_CHARS[g[0]] + (_GIVEN_CHARS[g[1]] if t else "")
        for s, g, t in zip(surnames, given, two, strict=True)
    ]


def _score_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def make_school(number: int) -> School:
    """School ``number`` of the district; deterministic in (SEED, number)."""
    import numpy as np

    from toolkit.demo.school import _FULL_WIDTH, ABSENT

    rng = np.random.default_rng([SEED, number])
    level = rng.normal(0.0, 3.0)
    school = School(number, f"第{number}小学", [], [], [], [], [], [])
    for grade in GRADES:
        subject_shift = rng.normal(0.0, 2.0, len(SUBJECTS))
        for klass in range(1, CLASSES + 1):
            n = int(rng.integers(CLASS_SIZE[0], CLASS_SIZE[1] + 1))
            mean = 78.0 + level + rng.normal(0.0, 3.0) + subject_shift
            scores = np.rint(np.clip(rng.normal(mean, 12.0, (n, len(SUBJECTS))), 0.0, 100.0))
            halves = rng.random(scores.shape) < 0.05
            scores[halves] += np.where(scores[halves] >= 100.0, -0.5, 0.5)
            cells: list[list[object]] = [[_score_value(v) for v in row] for row in scores]
            if rng.random() < 0.7:  # the odd 缺考: most classes have one
                r, c = int(rng.integers(n)), int(rng.integers(len(SUBJECTS)))
                scores[r, c] = np.nan
                cells[r][c] = ABSENT
            # A few scores typed as text: plain, full-width (every fourth class), with 分.
            spots = rng.choice(n * len(SUBJECTS), 3, replace=False)
            for k, spot in enumerate(int(s) for s in spots):
                r, c = divmod(spot, len(SUBJECTS))
                value = cells[r][c]
                if not isinstance(value, int):
                    continue
                if k == 0:
                    cells[r][c] = str(value)
                elif k == 1 and klass % 4 == 1:
                    cells[r][c] = str(value).translate(_FULL_WIDTH)
                elif k == 2 and klass % 4 == 2:
                    cells[r][c] = f"{value}分"
            school.grade += [grade] * n
            school.klass += [klass] * n
            school.sid += [f"{2026 - grade}{klass:02d}{k:02d}" for k in range(1, n + 1)]
            school.person += _names(rng, n)
            school.cells += cells
            school.total += [_score_value(v) for v in np.nansum(scores, axis=1)]
    return school


def _grade_word(grade: int) -> str:
    return "一二三四五六"[grade - 1]


def _class_label(grade: int, klass: int) -> str:
    """全校一表's 班级 spellings, one per class."""
    word = _grade_word(grade)
    return (
        f"{word}({klass})班",
        f"{grade}年级{klass}班",
        f"{word}年级({klass})班",
        f"{grade}({klass})班",
    )[(klass - 1) % 4]


def _blocks(school: School) -> dict[tuple[int, int], range]:
    """Rows of each (grade, class), in order."""
    out: dict[tuple[int, int], range] = {}
    start = 0
    for k in range(1, len(school.grade) + 1):
        if k == len(school.grade) or (school.grade[k], school.klass[k]) != (
            school.grade[start],
            school.klass[start],
        ):
            out[(school.grade[start], school.klass[start])] = range(start, k)
            start = k
    return out


def write_school(school: School, path: Path) -> None:
    """The school's file in its layout (LAYOUTS[(number - 1) % 4]), streamed by xlsxwriter."""
    import xlsxwriter

    from toolkit.demo.school import TERM

    layout = LAYOUTS[(school.number - 1) % len(LAYOUTS)]
    subjects = list(SUBJECTS)
    blocks = _blocks(school)
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as wb:
        wb.set_properties({"created": CREATED})  # the same bytes on every run
        bold = wb.add_format({"bold": True, "font_size": 14, "align": "center"})

        def student(i: int) -> list[object]:
            return [school.sid[i], school.person[i], *school.cells[i], school.total[i]]

        if layout == "全校一表":
            ws = wb.add_worksheet("Sheet1")
            header = ["序号", "学校", "班级", "学号", "姓名", *subjects, "总分"]
            title = f"{school.name}{TERM}{EXAM}成绩"
            ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
            ws.write_row(2, 0, header)
            for i in range(len(school.grade)):
                label = _class_label(school.grade[i], school.klass[i])
                ws.write_row(3 + i, 0, [i + 1, school.name, label, *student(i)])
        elif layout == "年级分表":
            header = ["班级", "学号", "姓名", *subjects, "总分"]  # the school: title, file name
            for grade in GRADES:
                word = _grade_word(grade)
                ws = wb.add_worksheet(f"{word}年级")
                ws.merge_range(0, 0, 0, len(header) - 1, f"{school.name}{word}年级{EXAM}成绩", bold)
                ws.write_row(1, 0, header)
                r = 2
                for klass in range(1, CLASSES + 1):
                    label = f"{klass}班" if klass % 2 else f"{grade}年级{klass}班"
                    for i in blocks[(grade, klass)]:
                        ws.write_row(r, 0, [label, *student(i)])
                        r += 1
        elif layout == "班级分表":
            header = ["学号", "姓名", *subjects, "总分"]  # the school: in the title
            for (grade, klass), rows in blocks.items():
                ws = wb.add_worksheet(f"{grade}.{klass}")
                title = f"{school.name}{_grade_word(grade)}({klass})班{EXAM}成绩"
                ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
                ws.write_row(1, 0, header)
                for r, i in enumerate(rows, start=2):
                    ws.write_row(r, 0, student(i))
        else:  # 两行表头
            last = 3 + len(subjects)
            for (grade, klass), rows in blocks.items():
                ws = wb.add_worksheet(f"{_grade_word(grade)}({klass})班")
                title = f"{school.name}{_grade_word(grade)}({klass})班{EXAM}成绩"
                ws.merge_range(0, 0, 0, last, title, bold)
                # Row 1 first, then row 2: constant_memory streams rows in order.
                for c, text in enumerate(("学校", "学号", "姓名")):
                    ws.merge_range(1, c, 2, c, text)
                ws.merge_range(1, 3, 1, 2 + len(subjects), "成绩")
                ws.merge_range(1, last, 2, last, "总分")
                ws.write_row(2, 3, subjects)
                for r, i in enumerate(rows, start=3):
                    ws.write_row(r, 0, [school.name, *student(i)])


def write_items(path: Path, schools: int, per_school: int, items: int = ITEMS) -> int:
    """One grade's 小题分 as the district's marking system exports it; returns the students."""
    import numpy as np
    import xlsxwriter

    from toolkit.demo.records import _SUBJECT_POINTS, _full_marks, _item_labels
    from toolkit.demo.school import ABSENT, TERM

    rng = np.random.default_rng([SEED, 0])
    labels = _item_labels(items)
    full = np.array(_full_marks(rng, items))
    points = _SUBJECT_POINTS[ITEM_SUBJECT]
    point_of = [points[k * len(points) // items] for k in range(items)]
    slope, intercept = rng.uniform(0.8, 1.6, items), rng.normal(1.6, 0.5, items)
    word = _grade_word(ITEM_GRADE)
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    n_students = 0
    with xlsxwriter.Workbook(str(path), options) as wb:
        wb.set_properties({"created": CREATED})
        ws = wb.add_worksheet("Sheet1")
        bold = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        width = 4 + items + 1
        ws.merge_range(0, 0, 0, width - 1, f"全区{TERM}{word}年级{ITEM_SUBJECT}{EXAM}小题分", bold)
        ws.write_row(1, 0, ["学科", ITEM_SUBJECT, "考试", EXAM, "年级", f"{word}年级"])
        ws.write_row(2, 0, ["学校", "班级", "学号", "姓名", *labels, "总分"])
        ws.write_row(3, 3, ["满分", *(int(m) for m in full), int(full.sum())])
        ws.write_row(4, 3, ["知识点", *point_of])
        r = 5
        for number in range(1, schools + 1):
            sizes = rng.multinomial(per_school - CLASSES * 40, [1 / CLASSES] * CLASSES) + 40
            ability = rng.normal(rng.normal(0.0, 0.3), 1.0, per_school)
            p = 1.0 / (1.0 + np.exp(-(ability[:, None] * slope + intercept)))
            scores = rng.binomial(full[None, :], p)
            absent = rng.random(per_school) < 0.005
            names = _names(rng, per_school)
            k = 0
            for klass, size in enumerate(sizes, start=1):
                label = f"{word}({klass})班"
                for seat in range(1, int(size) + 1):
                    # 学号 unique in the district: school, class, seat.
                    sid = f"{number:02d}{ITEM_GRADE}{klass:02d}{seat:03d}"
                    head = [f"第{number}小学", label, sid, names[k]]
                    if absent[k]:
                        ws.write_row(r, 0, [*head, *([ABSENT] * items), ABSENT])
                    else:
                        row = scores[k].tolist()
                        ws.write_row(r, 0, [*head, *row, sum(row)])
                    r += 1
                    k += 1
            n_students += per_school
    return n_students


def _school_file(number: int) -> str:
    return f"第{number}小学{EXAM}成绩.xlsx"


def _write_school_file(folder: Path, number: int) -> int:
    """Draw and write school ``number``; returns its students."""
    school = make_school(number)
    write_school(school, folder / _school_file(number))
    return len(school.grade)


def generate(data: Path, schools: int) -> District:
    """Write the district (or reuse the one already in ``data``)."""
    root = data / f"district-{schools}"
    files_dir = root / "全区"
    manifest = root / "manifest.json"
    wanted = {"generation": GENERATION, "seed": SEED, "schools": schools}
    if manifest.is_file():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        files = [files_dir / name for name in saved.get("files", [])]
        fresh = {k: saved.get(k) for k in wanted} == wanted
        if fresh and files and all(f.is_file() for f in files):
            return District(root, schools, files, saved["students"], 0.0, True)
    if root.exists():
        shutil.rmtree(root)
    files_dir.mkdir(parents=True)
    start = time.perf_counter()
    # Generation is not measured: both cores write files (each school has its own generator,
    # so the files do not depend on which process writes them).
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        numbers = range(1, schools + 1)
        students = list(pool.map(_write_school_file, [files_dir] * schools, numbers))
    files = [files_dir / _school_file(number) for number in range(1, schools + 1)]
    seconds = time.perf_counter() - start
    saved = {**wanted, "files": [f.name for f in files], "students": students}
    manifest.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    return District(root, schools, files, students, seconds)


@dataclass
class ItemWorkload:
    """One 小题分 file: ``students`` × ``items`` marks, and its measurements."""

    students: int
    items: int
    file: Path
    seconds: float = 0.0  # generation, 0 when reused
    floor: Best = field(default_factory=lambda: Best())
    xueqing: Best = field(default_factory=lambda: Best())

    @property
    def label(self) -> str:
        return f"{self.students:,} × {self.items}"

    @property
    def marks(self) -> int:
        return self.students * self.items

    @property
    def schools(self) -> int:
        return self.students // ITEM_SCHOOL


def generate_items(data: Path, students: int, items: int) -> ItemWorkload:
    """Write one items workload (or reuse it): ``students`` // 400 schools of 400 students."""
    root = data / f"items-{students}x{items}"
    path = root / f"{_grade_word(ITEM_GRADE)}年级{ITEM_SUBJECT}{EXAM}小题分.xlsx"
    manifest = root / "manifest.json"
    wanted = {"generation": GENERATION, "seed": SEED, "students": students, "items": items}
    saved = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None
    if saved == wanted and path.is_file():
        return ItemWorkload(students, items, path)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    start = time.perf_counter()
    write_items(path, max(1, students // ITEM_SCHOOL), ITEM_SCHOOL, items)
    manifest.write_text(json.dumps(wanted), encoding="utf-8")
    return ItemWorkload(students, items, path, time.perf_counter() - start)


# ============================================================================ measuring


@dataclass
class Run:
    """One subprocess: wall seconds, peak RSS and how it ended."""

    wall: float
    rss_mb: float
    code: int
    output: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


# Linux charges a child with the peak RSS of the memory it was forked from: exec records the old
# address space's high-water mark (for subprocess's vfork, the parent's own). Measured commands
# are therefore started by this small launcher, whose few MB are all a child can inherit; it
# times the command and reports the command's rusage from os.wait4.
# It also samples the memory of the command and every process it starts (the district's
# workbook writers), summed as PSS — shared pages counted once — every 250 ms: the peak of "all
# processes together", which a child's own rusage does not see. Not more often: reading a
# process's smaps_rollup holds its memory map's lock, so the sampling slows what it measures,
# and a run on every core most (the district's 25.5 s became 27.1 s sampled every 50 ms; every
# 250 ms it stays within noise, with the same peak: docs/scale.md).
_LAUNCHER = """
import json, os, sys, threading, time
cmd = json.loads(sys.argv[1])
peak = [0]
def tree(pid):
    found = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            for child in f.read().split():
                found += tree(int(child))
    return found
def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
def sample(pid, done):
    while not done.is_set():
        total = 0
        try:
            for p in tree(pid):
                total += pss_kib(p)
        except (OSError, StopIteration, ValueError):
            pass  # a process ended while read
        peak[0] = max(peak[0], total)
        done.wait(0.25)
start = time.perf_counter()
pid = os.posix_spawn(cmd[0], cmd, os.environ)
done = threading.Event()
if os.path.exists(f"/proc/{pid}/smaps_rollup"):
    threading.Thread(target=sample, args=(pid, done), daemon=True).start()
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
done.set()
with open(sys.argv[2], "w") as out:
    json.dump([wall, os.waitstatus_to_exitcode(status), max(usage.ru_maxrss, peak[0])], out)
"""


def run(cmd: Sequence[str], cwd: Path) -> Run:
    """Run ``cmd``: wall seconds and peak RSS (os.wait4 in the launcher), output and exit code."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        if not hasattr(os, "wait4"):  # Windows: time only
            start = time.perf_counter()
            code = subprocess.run(list(cmd), cwd=cwd, env=_env(), stdout=out, stderr=out).returncode
            wall, rss = time.perf_counter() - start, float("nan")
        else:
            launcher = [sys.executable, "-c", _LAUNCHER, json.dumps(list(cmd)), str(report)]
            subprocess.run(launcher, cwd=cwd, env=_env(), stdout=out, stderr=out, check=True)
            wall, code, maxrss = json.loads(report.read_text())
            # ru_maxrss is in KiB on Linux, bytes on macOS.
            rss = maxrss / (MB if sys.platform == "darwin" else 1024)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(wall, rss, code, text)


@dataclass
class Best:
    """Best wall time and largest peak RSS over the repetitions of one measured thing."""

    runs: list[Run] = field(default_factory=list)

    def add(self, result: Run) -> Run:
        self.runs.append(result)
        return result

    @property
    def wall(self) -> float:
        good = [r.wall for r in self.runs if r.ok]
        return min(good) if good else float("nan")

    @property
    def rss_mb(self) -> float:
        good = [r.rss_mb for r in self.runs if r.ok]
        return max(good) if good else float("nan")

    @property
    def failed(self) -> list[Run]:
        return [r for r in self.runs if not r.ok]

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": _num(self.wall),
            "peak_rss_mb": _num(self.rss_mb),
            "runs": [
                {"wall_s": r.wall, "peak_rss_mb": r.rss_mb, "exit": r.code} for r in self.runs
            ],
        }


def _num(value: float) -> float | None:
    return None if value != value else round(value, 4)  # NaN → null


def output_shape(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Each workbook's sheets with their row and column extents and first rows (openpyxl,
    read-only)."""
    from openpyxl import load_workbook

    shapes = []
    for path in paths:
        wb = load_workbook(path, read_only=True)
        sheets = []
        for ws in wb.worksheets:
            if ws.max_row is None or ws.max_column is None:  # no dimension written
                ws.reset_dimensions()
                ws.calculate_dimension(force=True)
            cols = ws.max_column or 0
            # The sheet's first rows as written: the floor writes cells of the same kinds (text
            # costs xlsxwriter several times a number), cycling the rows below the header.
            sample = [
                [*row, *([None] * (cols - len(row)))][:cols]
                for row in ws.iter_rows(max_row=SAMPLE_ROWS, values_only=True)
            ]
            sheets.append(
                {"name": ws.title, "rows": ws.max_row or 0, "cols": cols, "sample": sample}
            )
        wb.close()
        shapes.append({"file": path.name, "sheets": sheets})
    return shapes


def _extent(sheet: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sheet.items() if k != "sample"}


def _xlsx_in(folder: Path) -> list[Path]:
    """The workbooks a run wrote: a district's comparison and each school's in 各校/."""
    return sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("."))


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _worker_cmd(kind: str, spec: dict[str, Any], spec_path: Path) -> list[str]:
    # default=str: a sampled date cell is written as its text, costing the floor what text does
    spec_path.write_text(json.dumps(spec, ensure_ascii=False, default=str), encoding="utf-8")
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(spec_path)]


def _toolkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", *args]


# ============================================================================ workers


def floor_worker(spec: dict[str, Any]) -> None:
    """Read every sheet of every input with calamine; write the output's cells, plain: each
    sheet's extent, its first rows as xueqing wrote them and the rows below the header cycled."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    for path in spec["inputs"]:
        wb = CalamineWorkbook.from_path(path)
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    out_dir = Path(spec["out_dir"])
    for book in spec["shape"]:
        longest = max((s["rows"] for s in book["sheets"]), default=0)
        options = {
            "constant_memory": longest > LARGE_SHEET_ROWS,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        }
        with xlsxwriter.Workbook(str(out_dir / book["file"]), options) as wb:
            for sheet in book["sheets"]:
                ws = wb.add_worksheet(sheet["name"])
                if not sheet["cols"]:
                    continue
                sample = sheet["sample"]
                body = sample[FLOOR_HEADER_ROWS:] or sample
                for r in range(sheet["rows"]):
                    if r < len(sample):
                        ws.write_row(r, 0, sample[r])
                    else:
                        ws.write_row(r, 0, body[(r - len(sample)) % len(body)])


_GRADE_DIGIT = {w: str(k) for k, w in enumerate("一二三四五六", start=1)}


def _school_of(path: str) -> str:
    match = re.match(r"第\d+小学", Path(path).name)
    return match.group(0) if match else ""


def naive_worker(spec: dict[str, Any]) -> None:
    """pandas as an analyst would use it: read_excel every sheet, tidy, groupby, to_excel."""
    import pandas as pd

    subjects = set(SUBJECTS)
    frames = []
    for path in spec["inputs"]:
        sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        for sheet, raw in sheets.items():
            at = raw.eq("姓名").any(axis=1)
            if not at.any():
                continue
            h = int(at.to_numpy().argmax())
            names = [str(v) if pd.notna(v) else f"_{c}" for c, v in enumerate(raw.iloc[h])]
            start = h + 1
            if start < len(raw) and raw.iloc[start].isin(subjects).any():  # a two-row header
                names = [
                    str(v) if v in subjects else names[c] for c, v in enumerate(raw.iloc[start])
                ]
                start += 1
            body = raw.iloc[start:].set_axis(names, axis=1)
            body = body[body["姓名"].notna()]
            if "班级" in body:
                cell = body["班级"].astype(str)
                label = cell.where(cell.str.contains(r"年级|\(|\."), sheet + cell)
            else:
                label = pd.Series(sheet, index=body.index)
            grade = label.str.extract(r"([一二三四五六1-6])")[0].replace(_GRADE_DIGIT)
            frame = pd.DataFrame(
                {
                    # 学校 column, else the file name says it: 第12小学期末成绩.xlsx
                    "学校": body["学校"] if "学校" in body else _school_of(path),
                    "年级": grade.astype(int),
                    "班级": label.str.extract(r"(\d+)\D*$")[0].astype(int),
                    **{s: body[s] for s in SUBJECTS if s in body},
                }
            )
            frames.append(frame.melt(["学校", "年级", "班级"], var_name="学科", value_name="分数"))
    tidy = pd.concat(frames, ignore_index=True)
    tidy["分数"] = pd.to_numeric(tidy["分数"], errors="coerce")
    summary = tidy.groupby(["学校", "年级", "班级", "学科"])["分数"].agg(["mean", "count"])
    summary.reset_index().to_excel(spec["output"], engine="openpyxl", index=False)


# ============================================================================ checking outputs


def check_scores_output(path: Path, expected_students: int, schools: int) -> list[str]:
    """What is wrong with xueqing's score workbook: missing students, merged classes."""
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        return ["没有生成输出"]
    wb = CalamineWorkbook.from_path(str(path))
    found: list[str] = []
    names = wb.sheet_names
    summary = wb.get_sheet_by_name(names[0]).to_python()
    header_at = next((k for k, row in enumerate(summary) if "学科" in row), None)
    if header_at is None:
        return [f"{names[0]}：没有找到表头"]
    header = summary[header_at]
    if "学校" not in header and schools > 1:  # one school's workbook leaves the column out
        found.append(f"{names[0]}：没有“学校”列（{schools} 所学校被当作一所）")
    cls = header.index("班级")
    school_col = header.index("学校") if "学校" in header else None
    rows = [r for r in summary[header_at + 1 :] if r[cls] not in ("", None)]
    class_rows = [r for r in rows if str(r[cls]).endswith("班")]
    expected = schools * len(GRADES) * CLASSES * len(SUBJECTS)
    if school_col is not None:
        distinct = {r[school_col] for r in rows}
        if len(distinct) != schools:
            found.append(f"{names[0]}：{len(distinct)} 所学校（应为 {schools}）")
    if len(class_rows) != expected:
        found.append(f"{names[0]}：{len(class_rows)} 个班级×学科行（应为 {expected}）")
    # A district's students are in its schools' workbooks (各校/), each exactly once.
    books = sorted((path.parent / "各校").glob("*.xlsx")) if schools > 1 else [path]
    if schools > 1 and len(books) != schools:
        found.append(f"各校：{len(books)} 个工作簿（应为 {schools}）")
    n = 0
    for book in books:
        sheets = CalamineWorkbook.from_path(str(book))
        if "学生成绩" not in sheets.sheet_names:
            found.append(f"{book.name}：没有学生成绩表")
            continue
        rows = sheets.get_sheet_by_name("学生成绩").to_python()
        at = next((k for k, row in enumerate(rows) if "姓名" in row), 0)
        n += sum(1 for row in rows[at + 1 :] if any(v not in ("", None) for v in row))
    if n != expected_students:
        found.append(f"学生成绩：{n:,} 名学生（应为 {expected_students:,}）")
    return found


def problem_rows(path: Path) -> list[list[object]]:
    """The rows of the output's 数据问题 sheet (empty when it has none)."""
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        return []
    wb = CalamineWorkbook.from_path(str(path))
    sheet = next((n for n in wb.sheet_names if "问题" in n), None)
    return wb.get_sheet_by_name(sheet).to_python() if sheet else []


# ============================================================================ the benchmark


@dataclass
class Size:
    label: str
    files: int
    students: int
    floor: Best = field(default_factory=Best)
    naive: Best = field(default_factory=Best)
    xueqing: Best = field(default_factory=Best)


@dataclass
class Results:
    machine: dict[str, Any]
    settings: dict[str, Any]
    generation_s: float = 0.0
    generation_reused: bool = False
    sizes: list[Size] = field(default_factory=list)
    help: Best = field(default_factory=Best)
    school: Best = field(default_factory=Best)
    items: list[ItemWorkload] = field(default_factory=list)
    shapes: dict[str, Any] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)  # what xueqing got wrong
    notes: list[str] = field(default_factory=list)  # what it said, for the record
    total_s: float = 0.0

    def fail(self, text: str) -> None:
        if text not in self.findings:
            self.findings.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    @property
    def item_target(self) -> ItemWorkload | None:
        """The items workload the targets are judged on: 120,000 × 45 when measured, else the
        largest measured."""
        measured = [w for w in self.items if w.xueqing.runs]
        exact = [w for w in measured if (w.students, w.items) == ITEM_TARGET]
        return (exact or sorted(measured, key=lambda w: w.marks))[-1] if measured else None

    def ratios(self) -> dict[str, float]:
        nan = float("nan")
        r = dict.fromkeys(TARGETS, nan)
        if self.sizes:
            full, quarter = self.sizes[-1], self.sizes[0]
            r["xueqing_over_floor"] = full.xueqing.wall / full.floor.wall
            r["naive_over_xueqing"] = full.naive.wall / full.xueqing.wall
            r["full_over_quarter"] = full.xueqing.wall / quarter.xueqing.wall
            r["district_rss_mb"] = full.xueqing.rss_mb
            r["school_rss_mb"] = self.school.rss_mb
        r["help_s"] = self.help.wall
        target = self.item_target
        if target is not None:
            r["items_over_floor"] = target.xueqing.wall / target.floor.wall
            r["items_rss_mb"] = target.xueqing.rss_mb
        return r

    def met(self) -> dict[str, bool | None]:
        """Each target: met, missed, or None when it was not measured."""
        r = self.ratios()
        goals: dict[str, Callable[[float], bool]] = {
            "xueqing_over_floor": lambda v: v <= 1.0,
            "naive_over_xueqing": lambda v: v >= 2.5,
            "full_over_quarter": lambda v: v <= 4.4,
            "district_rss_mb": lambda v: v <= 1024,
            "school_rss_mb": lambda v: v <= 300,
            "help_s": lambda v: v < 0.3,
            "items_over_floor": lambda v: v <= ITEM_OVER_FLOOR,
            "items_rss_mb": lambda v: v <= ITEM_RSS_MB,
        }
        return {k: None if r[k] != r[k] else goal(r[k]) for k, goal in goals.items()}


def machine_info() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = match.group(1).strip() if match else ""
    versions = {}
    for package in ("xueqing", "pandas", "numpy", "python-calamine", "xlsxwriter", "openpyxl"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "—"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": model or platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def say(text: str = "") -> None:
    print(text, flush=True)


def bench(
    args: argparse.Namespace,
    district: District | None,
    work: Path,
    results: Results,
    began: float,
) -> None:
    """Every measurement, repetition by repetition; stops repeating when the next repetition
    would end after ``args.budget`` seconds from ``began`` (the start of the script). Without a
    district (``--items-only``) only the items workloads are measured."""
    folders: list[Path] = []
    if district is not None:
        n = district.schools
        counts = [max(1, n // 4), max(1, n // 2), n]
        labels = ["¼", "½", "全区"]
        for label, count in zip(labels, counts, strict=True):
            results.sizes.append(Size(label, count, sum(district.students[:count])))
        folders = [district.subset(count) for count in counts]
    spec_dir = _fresh(work / "specs")

    if district is not None:
        for _ in range(5):
            results.help.add(run(_toolkit("--help"), work))
        say(f"--help：{results.help.wall:.3f} s（5 次中最快）")

    longest = 0.0
    for rep in range(1, args.repeat + 1):
        if rep > 1 and args.budget and time.perf_counter() - began + longest > args.budget:
            say(f"再跑一轮会超出 --budget {args.budget:.0f} s：只跑了 {rep - 1} 轮")
            break
        say(f"第 {rep}/{args.repeat} 轮")
        rep_start = time.perf_counter()
        results.settings["repetitions_done"] = rep
        if district is not None:
            bench_scores(district, folders, work, spec_dir, results, rep)
        for workload in results.items:
            bench_items(workload, work, spec_dir, results, rep)
        longest = max(longest, time.perf_counter() - rep_start)


def bench_scores(
    district: District,
    folders: list[Path],
    work: Path,
    spec_dir: Path,
    results: Results,
    rep: int,
) -> None:
    """One repetition of the district's score runs: ¼, ½ and all of it, and one school."""
    for size, folder in zip(results.sizes, folders, strict=True):
        out_dir = _fresh(work / f"xueqing-{size.files}")
        target = out_dir / "成绩分析.xlsx"
        cmd = _toolkit("scores", str(folder), "-o", str(target), "--skip-invalid", "-q")
        got = size.xueqing.add(run(cmd, work))
        _note(results, f"xueqing scores（{size.files} 所）", got)
        if rep == 1:
            results.shapes[f"scores-{size.files}"] = output_shape(_xlsx_in(out_dir))
            for problem in check_scores_output(target, size.students, size.files):
                results.fail(f"xueqing scores（{size.files} 所）：{problem}")
            _problems(results, f"xueqing scores（{size.files} 所）", target)
        inputs = [str(p) for p in district.files[: size.files]]
        floor_dir = _fresh(work / f"floor-{size.files}")
        spec = {
            "inputs": inputs,
            "out_dir": str(floor_dir),
            "shape": results.shapes[f"scores-{size.files}"],
        }
        got = size.floor.add(run(_worker_cmd("floor", spec, spec_dir / "floor.json"), work))
        _note(results, f"floor（{size.files} 所）", got)
        naive_out = _fresh(work / f"naive-{size.files}") / "汇总.xlsx"
        spec = {"inputs": inputs, "output": str(naive_out)}
        got = size.naive.add(run(_worker_cmd("naive", spec, spec_dir / "naive.json"), work))
        _note(results, f"naive（{size.files} 所）", got)
        say(
            f"  {size.label:>3} {size.files:>3} 所：floor {got_s(size.floor)}  "
            f"naive {got_s(size.naive)}  xueqing {got_s(size.xueqing)}"
        )

    out_dir = _fresh(work / "xueqing-1")
    target = out_dir / "成绩分析.xlsx"
    cmd = _toolkit("scores", str(district.files[0]), "-o", str(target), "--skip-invalid", "-q")
    got = results.school.add(run(cmd, work))
    _note(results, "xueqing scores（单校）", got)
    if rep == 1:
        for problem in check_scores_output(target, district.students[0], 1):
            results.fail(f"xueqing scores（单校）：{problem}")
    say(f"  单校：{got_s(results.school)}")


def bench_items(
    workload: ItemWorkload, work: Path, spec_dir: Path, results: Results, rep: int
) -> None:
    """One repetition of an items workload: xueqing items, then its floor."""
    what = f"小题分 {workload.label}"
    key = f"items-{workload.students}x{workload.items}"
    out_dir = _fresh(work / key)
    target = out_dir / "试题分析.xlsx"
    cmd = _toolkit("items", str(workload.file), "-o", str(target), "-q")
    got = workload.xueqing.add(run(cmd, work))
    _note(results, f"xueqing items（{workload.label}）", got)
    if rep == 1:
        results.shapes[key] = output_shape(_xlsx_in(out_dir))
        _problems(results, f"xueqing items（{workload.label}）", target)
        for problem in check_items_output(target, workload.schools):
            results.fail(f"xueqing items（{workload.label}）：{problem}")
    floor_dir = _fresh(work / f"{key}-floor")
    spec = {"inputs": [str(workload.file)], "out_dir": str(floor_dir), "shape": results.shapes[key]}
    got = workload.floor.add(run(_worker_cmd("floor", spec, spec_dir / "f.json"), work))
    _note(results, f"floor（{what}）", got)
    say(f"  {what}：floor {got_s(workload.floor)}  xueqing {got_s(workload.xueqing)}")


def got_s(best: Best) -> str:
    last = best.runs[-1]
    if not last.ok:
        return f"失败（退出码 {last.code}）"
    return f"{last.wall:.1f} s / {last.rss_mb:.0f} MB"


def _note(results: Results, what: str, got: Run) -> None:
    if not got.ok:
        tail = got.output.strip().splitlines()[-8:]
        results.fail(f"{what}：退出码 {got.code}\n    " + "\n    ".join(tail))
    elif got.output.strip():
        lines = got.output.strip().splitlines()
        shown = "\n    ".join(lines[:8]) + (
            f"\n    …（共 {len(lines)} 行）" if len(lines) > 8 else ""
        )
        results.note(f"{what}：输出了\n    {shown}")


def _problems(results: Results, what: str, target: Path) -> None:
    """Summarise the 数据问题 sheet: how many problems of each level and kind."""
    rows = problem_rows(target)
    at = next((k for k, row in enumerate(rows) if "类别" in row), None)
    if at is None:
        return
    header = rows[at]
    level = header.index("类别")
    text = next((header.index(h) for h in ("问题说明", "问题") if h in header), level)
    counts: dict[str, int] = {}
    for row in rows[at + 1 :]:
        if not any(v not in ("", None) for v in row):
            continue
        kind = re.split(r"[：:（(]", str(row[text]))[0]  # the message without its particulars
        key = f"{row[level]}·{kind}"
        counts[key] = counts.get(key, 0) + 1
    listed = "；".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:6])
    results.note(f"{what}：数据问题表 {sum(counts.values())} 条（{listed}）")


def check_items_output(path: Path, schools: int) -> list[str]:
    """Whether the item analysis kept each school's classes apart."""
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        return ["没有生成输出"]
    wb = CalamineWorkbook.from_path(str(path))
    sheet = next((n for n in wb.sheet_names if "各班" in n), None)
    if sheet is None:
        return ["没有各班得分率表"]
    rows = wb.get_sheet_by_name(sheet).to_python()
    header = next((row for row in rows if "题号" in row), [])
    classes = [v for v in header if str(v).endswith("班")]
    expected = schools * CLASSES
    if len(classes) != expected:
        return [
            f"{sheet}：{len(classes)} 个班级列（应为 {schools} 所学校 × {CLASSES} 个班 = "
            f"{expected}）：不同学校的同名班级被合并，“学校”列未被使用"
        ]
    return []


# ============================================================================ reporting


def _f(value: float, digits: int = 2) -> str:
    return "—" if value != value else f"{value:.{digits}f}"


def print_report(results: Results) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=120)
    m = results.machine
    packages = "  ".join(f"{k} {v}" for k, v in m["packages"].items())
    console.print(
        f"机器：{m['cpu_count']} 个 CPU（可用 {m['cpus_usable']}），{m['cpu_model']}；"
        f"Python {m['python']}；{m['platform']}\n{packages}"
    )
    s = results.settings
    made = "沿用缓存" if results.generation_reused else f"生成 {results.generation_s:.1f} s"
    district = (
        f"{s['schools']} 所学校 {sum(s['students']):,} 名学生 × {len(SUBJECTS)} 科（{made}）"
        if results.sizes
        else "只测小题分（--items-only）"
    )
    workloads = "、".join(w.label for w in results.items)
    console.print(
        f"数据：{district}；小题分 {workloads} 题；"
        f"每项 {s.get('repetitions_done', 0)} 次（--repeat {s['repeat']}）取最快，峰值内存取最大"
    )
    if results.sizes:
        print_scores(console, results)
    print_items(console, results)
    targets = Table(title="目标")
    for name in ("指标", "测得", "目标", "结果"):
        targets.add_column(name)
    ratios, met = results.ratios(), results.met()
    item_target = results.item_target
    for key, (label, goal) in TARGETS.items():
        digits = 0 if key.endswith("_mb") else 3 if key == "help_s" else 2
        if key.startswith("items_") and item_target is not None:
            label = f"{label}（{item_target.label}）"
        verdict = {True: "[green]met[/]", False: "[red]not met[/]", None: "未测"}[met[key]]
        targets.add_row(label, _f(ratios[key], digits), goal, verdict)
    console.print(targets)
    if item_target is not None and (item_target.students, item_target.items) != ITEM_TARGET:
        console.print(
            f"小题分的目标按 {ITEM_TARGET[0]:,} × {ITEM_TARGET[1]} 定：这次只测到 "
            f"{item_target.label}（加 --items-scale 测一次平台导出）"
        )
    if results.findings:
        console.print("xueqing 的问题：", style="bold red")
        for finding in results.findings:
            console.print(f"  - {finding}", markup=False)
    else:
        console.print("xueqing 的问题：无（每次运行都成功，输出的学生数、学校数与班级数都对）")
    if results.notes:
        console.print("记录：", style="bold")
        for note in results.notes:
            console.print(f"  - {note}", markup=False)
    console.print(f"总用时 {results.total_s:.0f} s")


def print_scores(console: Any, results: Results) -> None:
    from rich.table import Table

    table = Table(title="成绩分析（wall 秒 / 峰值内存 MB）")
    for name in ("规模", "文件", "学生", "floor", "naive", "xueqing", "xueqing/floor", "naive/xq"):
        table.add_column(name, justify="right")
    for size in results.sizes:
        table.add_row(
            size.label,
            str(size.files),
            f"{size.students:,}",
            f"{_f(size.floor.wall)} / {_f(size.floor.rss_mb, 0)}",
            f"{_f(size.naive.wall)} / {_f(size.naive.rss_mb, 0)}",
            f"{_f(size.xueqing.wall)} / {_f(size.xueqing.rss_mb, 0)}",
            _f(size.xueqing.wall / size.floor.wall),
            _f(size.naive.wall / size.xueqing.wall),
        )
    console.print(table)
    other = Table(title="其他")
    for name in ("项目", "wall 秒", "峰值内存 MB", "说明"):
        other.add_column(name, justify="right" if name != "说明" else "left")
    other.add_row("--help", _f(results.help.wall, 3), _f(results.help.rss_mb, 0), "5 次中最快")
    one = results.settings["students"][0]
    other.add_row(
        "单校", _f(results.school.wall), _f(results.school.rss_mb, 0), f"1 个文件 {one:,} 名学生"
    )
    full, quarter = results.sizes[-1], results.sizes[0]
    other.add_row(
        "xueqing 全区/¼",
        "",
        "",
        f"用时之比 {_f(full.xueqing.wall / quarter.xueqing.wall)}，"
        f"学生数之比 {full.students / quarter.students:.2f}",
    )
    console.print(other)


def item_figures(workload: ItemWorkload) -> dict[str, float]:
    """An items workload's ratio to its floor and its time and peak memory per mark."""
    marks = workload.marks
    return {
        "over_floor": workload.xueqing.wall / workload.floor.wall,
        "us_per_mark": workload.xueqing.wall / marks * 1e6,
        "bytes_per_mark": workload.xueqing.rss_mb * MB / marks,
    }


def item_slope(results: Results) -> dict[str, float] | None:
    """Time and memory per added mark, from the smallest to the largest items workload measured
    (what grows with the marks, without the start-up and the libraries)."""
    measured = sorted((w for w in results.items if w.xueqing.runs), key=lambda w: w.marks)
    if len(measured) < 2:
        return None
    small, large = measured[0], measured[-1]
    added = large.marks - small.marks
    return {
        "us_per_mark": (large.xueqing.wall - small.xueqing.wall) / added * 1e6,
        "bytes_per_mark": (large.xueqing.rss_mb - small.xueqing.rss_mb) * MB / added,
    }


def print_items(console: Any, results: Results) -> None:
    from rich.table import Table

    table = Table(title="小题分（wall 秒 / 峰值内存 MB；目标：≤ 2× floor，≤ 1 GB）")
    for name in ("学生 × 题", "分数格", "floor", "xueqing", "xueqing/floor", "µs/格", "字节/格"):
        table.add_column(name, justify="right")
    table.add_column("目标")
    for workload in results.items:
        fig = item_figures(workload)
        ratio, rss = fig["over_floor"], workload.xueqing.rss_mb
        if ratio != ratio or rss != rss:
            verdict = "—"
        else:
            ok = ratio <= ITEM_OVER_FLOOR and rss <= ITEM_RSS_MB
            verdict = "[green]met[/]" if ok else "[red]not met[/]"
        table.add_row(
            workload.label,
            f"{workload.marks:,}",
            f"{_f(workload.floor.wall)} / {_f(workload.floor.rss_mb, 0)}",
            f"{_f(workload.xueqing.wall)} / {_f(workload.xueqing.rss_mb, 0)}",
            _f(ratio),
            _f(fig["us_per_mark"]),
            _f(fig["bytes_per_mark"], 0),
            verdict,
        )
    console.print(table)
    slope = item_slope(results)
    if slope is not None:
        console.print(
            f"小题分每多一格：{slope['us_per_mark']:.2f} µs，{slope['bytes_per_mark']:.0f} 字节"
            "（最小与最大规模之差 ÷ 分数格之差）"
        )


def write_json(results: Results, path: Path) -> None:
    data = {
        "machine": results.machine,
        "settings": results.settings,
        "generation_s": results.generation_s,
        "generation_reused": results.generation_reused,
        "sizes": [
            {
                "label": s.label,
                "files": s.files,
                "students": s.students,
                "floor": s.floor.as_dict(),
                "naive": s.naive.as_dict(),
                "xueqing": s.xueqing.as_dict(),
            }
            for s in results.sizes
        ],
        "help": results.help.as_dict(),
        "one_school": results.school.as_dict(),
        "items": [
            {
                "students": w.students,
                "items": w.items,
                "marks": w.marks,
                "floor": w.floor.as_dict(),
                "xueqing": w.xueqing.as_dict(),
                **{k: _num(v) for k, v in item_figures(w).items()},
            }
            for w in results.items
        ],
        "items_per_added_mark": {k: _num(v) for k, v in (item_slope(results) or {}).items()},
        "ratios": {k: _num(v) for k, v in results.ratios().items()},
        "targets_met": results.met(),
        "output_shapes": {  # extents only: the sampled rows are the floor's input
            key: [{**book, "sheets": [_extent(s) for s in book["sheets"]]} for book in books]
            for key, books in results.shapes.items()
        },
        "findings": results.findings,
        "notes": results.notes,
        "total_s": results.total_s,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def profile(district: District, work: Path, top: int = 25) -> None:
    """One full-district run under cProfile; the top entries by cumulative time."""
    out = work / "prof.out"
    target = _fresh(work / "profile") / "成绩分析.xlsx"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "toolkit", "scores"]
    got = run(
        [*cmd, str(district.files[0].parent), "-o", str(target), "--skip-invalid", "-q"], work
    )
    say(f"cProfile 下 xueqing scores（{district.schools} 所）：{got.wall:.1f} s，退出码 {got.code}")
    if got.output.strip():
        say(got.output.strip())
    if out.is_file():
        pstats.Stats(str(out)).sort_stats("cumulative").print_stats(top)


# ============================================================================ main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="keep (and reuse) the generated files here")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions, best of (default 3)")
    parser.add_argument("--quick", action="store_true", help="12 schools, one repetition")
    parser.add_argument("--schools", type=int, help="district size (default 50, --quick 12)")
    parser.add_argument(
        "--budget",
        type=float,
        default=540,
        metavar="SECONDS",
        help="start no repetition after the first that would end later than this (default 540, "
        "so the default run stays under 10 minutes on 2 cores; 0: no limit)",
    )
    parser.add_argument(
        "--items-scale",
        action="store_true",
        help="also measure 小题分 60,000 × 40 and 120,000 × 45 (one platform export): "
        "about a minute more per repetition, and half a minute to generate the files once",
    )
    parser.add_argument(
        "--items-only", action="store_true", help="measure the 小题分 workloads only"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the numbers here")
    parser.add_argument(
        "--profile", action="store_true", help="profile one full-district run instead"
    )
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    args.schools = args.schools or (12 if args.quick else 50)
    if args.repeat < 1 or args.schools < 1:
        parser.error("--repeat and --schools must be at least 1")
    return args


WORKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "floor": floor_worker,
    "naive": naive_worker,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        kind, spec = args.worker
        WORKERS[kind](json.loads(Path(spec).read_text(encoding="utf-8")))
        return 0
    start = time.perf_counter()
    machine = machine_info()
    say(f"{machine['cpu_count']} 个 CPU，{machine['cpu_model']}，Python {machine['python']}")
    with tempfile.TemporaryDirectory(prefix="xueqing-bench-") as tmp:
        data = args.data or Path(tmp) / "data"
        district = None
        if not args.items_only or args.profile:
            say(f"准备数据：{args.schools} 所学校 → {data}")
            district = generate(data, args.schools)
            say(
                "  沿用已生成的文件"
                if district.reused
                else f"  生成 {sum(district.students):,} 名学生，用时 {district.seconds:.1f} s"
            )
        work = Path(tmp) / "work"
        work.mkdir()
        if args.profile:
            assert district is not None
            profile(district, work)
            return 0
        # One grade of the district: 8 classes × 50 students per school.
        sizes = [(ITEM_SCHOOL * args.schools, ITEMS), *(ITEM_SCALE if args.items_scale else ())]
        workloads = []
        for students, items in dict.fromkeys(sizes):
            workload = generate_items(data, students, items)
            made = f"生成用时 {workload.seconds:.1f} s" if workload.seconds else "沿用已生成的文件"
            say(f"  小题分 {workload.label}：{made}")
            workloads.append(workload)
        results = Results(
            machine,
            {
                "schools": args.schools,
                "students": district.students if district is not None else [],
                "item_workloads": [[w.students, w.items] for w in workloads],
                "repeat": args.repeat,
                "quick": args.quick,
                "items_only": args.items_only,
                "seed": SEED,
            },
            district.seconds if district is not None else 0.0,
            district.reused if district is not None else False,
            items=workloads,
        )
        bench(args, district, work, results, start)
    results.total_s = time.perf_counter() - start
    print_report(results)
    if args.json:
        write_json(results, args.json)
        say(f"已写入 {args.json}")
    failed = any(
        b.failed
        for b in [
            results.help,
            results.school,
            *(x for w in results.items for x in (w.floor, w.xueqing)),
            *(x for s in results.sizes for x in (s.floor, s.naive, s.xueqing)),
        ]
    )
    return 1 if failed or results.findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
