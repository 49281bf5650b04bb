"""A school config proposed from the files (``xueqing init --from``): what the office confirms
once so that every later run is exact instead of resting on defaults.

Proposed: the school, the classes found (with their sizes), each grade's subjects with a 满分
(stated in a header, else 100, else — when the scores pass 100 — the usual 满分 that holds them,
marked 待确认), the teachers named in 任课/授课 columns, and the 听评课 三看 maxima where the
marks pass the defaults. Nothing here writes a file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig, SubjectRule
from toolkit.config.tables import ClassInfo, Teaching
from toolkit.reading.discover import Source
from toolkit.scores.full_marks import MIN_ABOVE, USUAL_FULL_MARKS, proposed_full_mark

from .collect import collect

# A record kind's column naming the teacher of a class and subject.
_TEACHER_COLUMNS = {"homework": "任课教师", "observation": "授课教师"}


@dataclass
class Proposal:
    """The proposed config, and beside each proposed value the evidence for it."""

    config: SchoolConfig
    subject_notes: dict[tuple[int, str], str] = field(default_factory=dict)
    parameter_notes: dict[str, str] = field(default_factory=dict)
    files: int = 0

    @property
    def pending(self) -> list[str]:
        """What the office must confirm (待确认), as lines to print."""
        from toolkit.base.classnames import grade_name

        lines = [
            f"{grade_name(g)}{s}满分 {self.config.rule(g, s).full_mark:g}：{note}"
            for (g, s), note in self.subject_notes.items()
            if "待确认" in note
        ]
        lines += [f"{k} {note}" for k, note in self.parameter_notes.items() if "待确认" in note]
        return lines


def propose_config(inputs: Iterable[Source], problems: ProblemReport) -> Proposal:
    """Read every file under ``inputs`` as ``check`` does and propose a config from them."""
    from toolkit.kinds.registry import load_records
    from toolkit.scores.read import read_score_files

    recognising = ProblemReport()
    found = collect(inputs, recognising)
    # Every file is read here, whatever its exam: only what stops a file from being read counts.
    problems.extend(p for p in recognising if p.code not in ("exam.unknown", "file.unrecognised"))
    blank = SchoolConfig()
    proposal = Proposal(SchoolConfig(), files=len(found.files))
    scratch = ProblemReport()  # the files' own problems are check's to report
    score_files = found.of("scores") + [f.file for f in found.files if f.kind == ""]
    if score_files:
        records = read_score_files(score_files, blank, scratch)
        _propose_from_scores(proposal, records.students, records.marks)
    for key, column in _TEACHER_COLUMNS.items():
        files = found.of(key)
        if files:
            table = load_records(key, files, blank, scratch)
            _propose_teaching(proposal.config, table.frame, column)
            if key == "observation":
                _propose_observation_marks(proposal, table.frame)
    return proposal


def _propose_from_scores(proposal: Proposal, students: pd.DataFrame, marks: pd.DataFrame) -> None:
    config = proposal.config
    schools = set(students["学校"]) - {""}
    if len(schools) == 1:
        config.school = schools.pop()
    sizes = students.drop_duplicates(["学校", "年级", "班级", "识别"]).groupby(["年级", "班级"])
    config.classes = [
        ClassInfo(int(g), int(n), size=len(group)) for (g, n), group in sizes if pd.notna(n)
    ]
    joined = marks.join(students[["年级"]], on="sid")
    for (grade, subject), group in joined.groupby(["年级", "学科"], sort=True):
        stated = group.loc[group["满分来源"] == "header", "满分"]
        scores = group.loc[group["状态"] == "valid", "分数"]
        plausible = scores[scores <= USUAL_FULL_MARKS[-1]]
        top = float(plausible.max()) if len(plausible) else math.nan
        key = (int(grade), str(subject))
        if len(stated):
            full, note = float(stated.iloc[0]), f"表头写明满分 {stated.iloc[0]:g}"
        elif (plausible > 100).sum() >= MIN_ABOVE:
            full = proposed_full_mark(top)
            over = int((plausible > 100).sum())
            note = f"按数据推测：最高 {top:g}，{over} 个分数超过 100，待确认"
        else:
            full = 100.0
            note = f"默认 100（数据最高 {top:g}）" if len(plausible) else "默认 100（没有分数）"
        config.rules[key] = SubjectRule(full_mark=full)
        proposal.subject_notes[key] = note


def _propose_teaching(config: SchoolConfig, frame: pd.DataFrame, column: str) -> None:
    needed = [column, "学科", "年级", "班级"]
    if frame.empty or any(c not in frame for c in needed):
        return
    known = set(config.teaching)
    for teacher, subject, grade, number in frame[needed].dropna().itertuples(index=False):
        entry = Teaching(str(teacher), str(subject), int(grade), int(number))
        if entry not in known and str(teacher).strip():
            known.add(entry)
            config.teaching.append(entry)
    present = {(c.grade, c.number) for c in config.classes}
    for entry in config.teaching:
        if (entry.grade, entry.number) not in present:
            present.add((entry.grade, entry.number))
            config.classes.append(ClassInfo(entry.grade, entry.number))
    config.classes.sort(key=lambda c: (c.grade, c.number))


def _propose_observation_marks(proposal: Proposal, frame: pd.DataFrame) -> None:
    marks = proposal.config.observation_marks
    for part, default in list(marks.items()):
        if part not in frame:
            continue
        values = pd.to_numeric(frame[part], errors="coerce").dropna()
        setting = f"听评课满分-{part}"
        if len(values) and (values > default).sum() >= MIN_ABOVE:
            top = float(values.max())
            marks[part] = float(math.ceil(top / 5) * 5)
            proposal.parameter_notes[setting] = f"按数据推测：最高 {top:g}，待确认"
        elif len(values):
            proposal.parameter_notes[setting] = f"默认 {default:g}（数据最高 {values.max():g}）"
