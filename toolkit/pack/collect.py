"""A term's folder as the office keeps it: every file's kind and exam, found before anything
is analysed, so the user sees what the toolkit took each file for.

Files are recognised by the template marker, else by their headers (``kinds.recognise``);
exams by the folder or file name (``期中成绩/``, ``四(1)班期末成绩.xlsx``), else by an ``考试``
column or a ``考试：期中`` line above the table. A school config kept in the folder is found by
its sheets. Unreadable and unrecognised files are problems, and the rest is still used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.base.classnames import class_name
from toolkit.base.problems import ProblemReport
from toolkit.config.read import CONFIG_SHEETS
from toolkit.reading.discover import InputFile, Source, discover, distinct_names, with_folder
from toolkit.reading.exam_names import exam_in, split_by_exam
from toolkit.reading.header import header_key
from toolkit.reading.workbook import Sheet, read_sheets
from toolkit.records.fields import KIND_TITLES

# Kinds besides the five record kinds that a term's folder holds.
CONFIG, REPORT = "config", "report"
_OTHER_TITLES = {CONFIG: "学校配置", REPORT: "xueqing 报告", "": "未识别"}


def found_title(kind: str) -> str:
    """A recognised file's kind in words: a kind of the registry (looked up when asked, so a kind
    registered later is named too), the config, a report of ours, or 未识别."""
    return KIND_TITLES.get(kind) or _OTHER_TITLES.get(kind, kind)


EXAM_KINDS = ("scores", "items")  # kinds that belong to an exam
_EXAM_LABELS = {header_key(w) for w in ("考试", "考试名称")}
_PEEK_ROWS = 40
_TABLE_HEADERS = {header_key(w) for w in ("姓名", "学生姓名", "班级", "学号")}


@dataclass
class FoundFile:
    """One file of the folder: what it was taken for, and (once read) what it held."""

    file: InputFile
    kind: str  # a KIND_TITLES key, CONFIG, REPORT, or "" (unreadable or not recognised)
    how: str  # 标记, 表头, 工作表, 文件名, or "" when not recognised
    exam: str = ""
    exam_from: str = ""  # 路径 or 考试列
    classes: set[tuple[int, int, str]] = field(default_factory=set)  # 年级, 班级, 学校
    records: int = 0


@dataclass
class TermFiles:
    """Every file found under the inputs, in a stable order."""

    files: list[FoundFile]

    def of(self, kind: str, exam: str | None = None) -> list[InputFile]:
        return [f.file for f in self.files if f.kind == kind and (exam is None or f.exam == exam)]

    def exams(self, kind: str = "scores") -> list[str]:
        return list(dict.fromkeys(f.exam for f in self.files if f.kind == kind and f.exam))

    def unnamed_exam(self, kind: str = "scores") -> list[FoundFile]:
        return [f for f in self.files if f.kind == kind and not f.exam]

    @property
    def configs(self) -> list[InputFile]:
        return self.of(CONFIG)

    def count(self, frame: pd.DataFrame) -> None:
        """Record the classes and record counts of read rows (columns 文件, 年级, 班级)."""
        if frame.empty:
            return
        by_display = {f.file.display: f for f in self.files}
        counts = frame["文件"].value_counts()
        for display, number in counts.items():
            found = by_display.get(str(display))
            if found is not None:
                found.records += int(number)
        # A district's file holds every school's 四(1)班: each school's class counts.
        school = frame["学校"] if "学校" in frame else pd.Series("", index=frame.index)
        pairs = frame[["文件", "年级", "班级"]].assign(学校=school).dropna().drop_duplicates()
        for display, grade, number, name in pairs.itertuples(index=False):
            found = by_display.get(str(display))
            if found is not None:
                found.classes.add((int(grade), int(number), name))

    def table(self) -> pd.DataFrame:
        """What was found: 文件, 类型, 识别方式, 考试, 班级, 记录 (the table shown first)."""
        rows = [
            {
                "文件": f.file.display,
                "类型": found_title(f.kind),
                "识别方式": f.how,
                "考试": f.exam,
                "班级": _classes_text(f.classes),
                "记录": f.records,
            }
            for f in self.files
        ]
        return pd.DataFrame(rows, columns=["文件", "类型", "识别方式", "考试", "班级", "记录"])


def _classes_text(classes: set[tuple[int, int, str]]) -> str:
    """``四(1)班、四(2)班`` — or ``四年级 6 个班`` when a file holds many (each school's)."""
    ordered = sorted(classes)
    if len(ordered) > 4:
        grades = sorted({g for g, _, _ in ordered})
        from toolkit.base.classnames import grade_name

        return "、".join(
            f"{grade_name(g)}{sum(1 for x, _, _ in ordered if x == g)}个班" for g in grades
        )
    several = len({school for *_, school in ordered}) > 1
    return "、".join(
        f"{school} {class_name(g, n)}" if several else class_name(g, n) for g, n, school in ordered
    )


def collect(inputs: Iterable[Source], problems: ProblemReport) -> TermFiles:
    """Find every spreadsheet under ``inputs`` and say what each one is."""
    from toolkit.kinds.recognise import recognise

    found: list[FoundFile] = []
    (files,) = distinct_names(discover(inputs, problems))
    for file in files:
        probe = ProblemReport()
        sheets = list(read_sheets(file, probe))
        if any(p.code == "file.report" for p in probe):
            problems.extend(probe)
            found.append(FoundFile(file, REPORT, "标记"))
            continue
        unreadable = [p for p in probe if p.code == "file.unreadable" and not p.sheet]
        if unreadable:
            problems.extend(unreadable)
            found.append(FoundFile(file, "", ""))
            continue
        if len({s.name for s in sheets} & set(CONFIG_SHEETS)) >= 2:
            found.append(FoundFile(file, CONFIG, "工作表"))
            continue
        recognised = recognise(file, sheets)
        if recognised.kind is None:
            problems.add("warning", "file.unrecognised", file=file.display)
            found.append(FoundFile(file, "", ""))
            continue
        entry = FoundFile(file, recognised.kind, recognised.how)
        names = [s.name.strip() for s in sheets]
        split = split_by_exam(file, names) if entry.kind in EXAM_KINDS else {}
        if split:
            # A sheet per exam (12月月考 | 期中): each exam read from its own sheets.
            found.extend(
                FoundFile(part, entry.kind, entry.how, exam, "工作表名")
                for exam, part in split.items()
            )
            for name in names:
                if not exam_in(name):
                    problems.add("note", "sheet.no_exam", file=file.display, sheet=name)
            continue
        if entry.kind in EXAM_KINDS:
            entry.exam = exam_in(with_folder(file))
            entry.exam_from = "路径" if entry.exam else ""
            if not entry.exam:
                entry.exam = _exam_in_sheets(sheets)
                entry.exam_from = "考试列" if entry.exam else ""
        found.append(entry)
    _exams_from_siblings(found, problems)
    return TermFiles(found)


def _exams_from_siblings(found: list[FoundFile], problems: ProblemReport) -> None:
    """A file that names no exam (``五年级成绩.xlsx``) belongs to the exam every other file of
    its kind in the same folder names; otherwise it cannot be placed and is not used."""
    for entry in found:
        if entry.kind not in EXAM_KINDS or entry.exam:
            continue
        folder = entry.file.path.parent.resolve()
        siblings = {
            f.exam
            for f in found
            if f.kind == entry.kind and f.exam and f.file.path.parent.resolve() == folder
        }
        if len(siblings) == 1:
            entry.exam, entry.exam_from = siblings.pop(), "同文件夹"
        else:
            problems.add("warning", "exam.unknown", file=entry.file.display)


def _exam_in_sheets(sheets: list[Sheet]) -> str:
    """The exam an ``考试`` column or ``考试：…`` line names (the most common one in the file)."""
    seen: Counter[str] = Counter()
    for sheet in sheets:
        rows = sheet.rows[:_PEEK_ROWS]
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                text = str(cell).strip()
                key = header_key(text.split("：")[0].split(":")[0])
                if key not in _EXAM_LABELS:
                    continue
                inline = text.split("：", 1)[-1] if "：" in text else text.split(":", 1)[-1]
                if inline and header_key(inline) not in _EXAM_LABELS:
                    seen[_exam_name(inline)] += 1  # 考试：期中 in one cell
                elif any(header_key(x) in _TABLE_HEADERS for x in row):  # a column of the table
                    below = [str(x[c]).strip() for x in sheet.rows[r + 1 :] if c < len(x)]
                    seen.update(_exam_name(v) for v in below if v)
                elif c + 1 < len(row) and str(row[c + 1]).strip():  # 考试 | 期中 above it
                    seen[_exam_name(str(row[c + 1]))] += 1
    seen.pop("", None)
    return seen.most_common(1)[0][0] if seen else ""


def _exam_name(text: str) -> str:
    return exam_in(text) or text.strip()


def config_in(term: TermFiles, given: Path | str | None) -> Path | None:
    """The config to use: the one given, else the only one kept in the folder."""
    if given:
        return Path(given)
    configs = term.configs
    return configs[0].path if len(configs) == 1 else None
