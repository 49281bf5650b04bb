"""Where a subject's 满分 comes from, and what to do when it is only a guess.

The 满分 is never guessed from the data (docs/guarantees.md, "猜测的满分"): it comes from the
config, else from the column's header (``语文(150)``), else it is the default 100 — a guess.
A guessed 满分 that the data contradict as a whole (语文 up to 147 in most classes) is one error
for the subject, naming the setting to write, and the subject is left out; scattered scores
above it stay cell errors.
"""

from __future__ import annotations

import pandas as pd

from toolkit.base.classnames import grade_name
from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig, SubjectRule

# The 满分 a Chinese exam may have above the default: the smallest that holds the data is
# proposed (marked 待确认 by the config draft). Scores above the largest are typing errors.
USUAL_FULL_MARKS = (120.0, 150.0, 200.0)
# How many scores above a guessed 满分 make it a wrong guess rather than a few typing errors.
MIN_ABOVE = 3
MIN_ABOVE_SHARE = 0.05


def proposed_full_mark(top: float) -> float:
    """The usual 满分 that holds ``top`` (147 → 150), or ``top`` itself beyond them."""
    return next((m for m in USUAL_FULL_MARKS if top <= m), top)


def adopt_stated_full_marks(
    marks: pd.DataFrame, students: pd.DataFrame, config: SchoolConfig, report: ProblemReport
) -> None:
    """Make a 满分 stated in score headers the config's for that grade and subject, so that
    lines, bands and the 口径说明 use it; headers disagreeing with each other are an error."""
    stated = marks[marks["满分来源"] == "header"]
    if stated.empty:
        return
    stated = stated.join(students[["年级", "文件"]], on="sid")
    for (grade, subject), group in stated.groupby(["年级", "学科"], sort=False):
        values = sorted(set(group["满分"]))
        where = {"grade_name": grade_name(int(grade)), "subject": subject}
        if len(values) > 1:
            report.add(
                "error",
                "score.full_mark_conflict",
                file=str(group["文件"].iloc[0]),
                values="、".join(f"{v:g}" for v in values),
                **where,
            )
            continue
        key = (int(grade), str(subject))
        lines = config.rule(int(grade), str(subject)).lines
        config.rules[key] = SubjectRule(full_mark=values[0], lines=lines)
        config.stated_full_marks.add(key)
        report.add(
            "note",
            "score.full_mark_stated",
            file=str(group["文件"].iloc[0]),
            label=f"{subject}({values[0]:g})",
            full_mark=values[0],
            **where,
        )


def contradicted_guesses(marks: pd.DataFrame, report: ProblemReport) -> pd.Index:
    """The marks of each grade × subject whose default 满分 the data contradict: one error per
    subject (what was assumed, what the data show, what to write); returns the marks to leave
    out. ``marks`` carry 年级 and 文件."""
    is_guess = (marks["满分来源"] == "default") & (marks["状态"] == "valid")
    if not (is_guess & (marks["分数"] > marks["满分"])).any():
        return pd.Index([])  # no mark above its default (one 满分 per grade × subject): no error
    guessed = marks.loc[is_guess, ["年级", "学科", "分数", "满分", "文件"]]
    dropped: list[pd.Index] = []
    for (grade, subject), group in guessed.groupby(["年级", "学科"], sort=False):
        full = float(group["满分"].iloc[0])
        over = group[group["分数"] > full]
        plausible = over[over["分数"] <= USUAL_FULL_MARKS[-1]]
        if len(plausible) < max(MIN_ABOVE, MIN_ABOVE_SHARE * len(group)):
            continue
        top = float(plausible["分数"].max())
        files = list(dict.fromkeys(over["文件"]))
        shown = "、".join(files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else "")
        report.add(
            "error",
            "score.full_mark_guess",
            file=files[0],
            grade_name=grade_name(int(grade)),
            subject=subject,
            full_mark=full,
            top=top,
            count=len(over),
            files=shown,
            proposal=proposed_full_mark(top),
        )
        same = (marks["年级"] == grade) & (marks["学科"] == subject)
        dropped.append(marks.index[same])
    return pd.Index([]).append(dropped) if dropped else pd.Index([])
