"""合规提示: what a term's score files show that the rules on everyday exams bar (the Ministry of
Education's notice of December 2025, docs/口径.md) — a warning for the office, never a refusal.

In grades 1–2 no paper exams; in other primary grades one 期末 a term; in 初中's non-graduating
grades at most 期中 and 期末; no region-wide or cross-school exam for these grades. District
quality monitoring (质量监测) is another thing and is never flagged.
"""

from __future__ import annotations

from toolkit.base.classnames import grade_name
from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.pack.collect import TermFiles
from toolkit.reading.exam_names import EARLIER_TERM_WORDS

CROSS_SCHOOL_WORDS = ("联考", "统考")
MONITORING_WORDS = ("监测",)


def exam_rule_warnings(found: TermFiles, config: SchoolConfig, problems: ProblemReport) -> None:
    """One warning per grade whose exams this term go beyond the rules (read files only: the
    grades come from the classes each score file held)."""
    if not config.exam_rule_notes:
        return
    exams: dict[int, list[str]] = {}
    for entry in found.files:
        if entry.kind != "scores" or not entry.exam:
            continue
        if any(word in entry.exam for word in EARLIER_TERM_WORDS):  # the term before's
            continue
        for grade in sorted({g for g, _, _ in entry.classes}):
            held = exams.setdefault(grade, [])
            if entry.exam not in held:
                held.append(entry.exam)
    for grade, held in sorted(exams.items()):
        said = {"grade": grade_name(grade), "count": len(held), "exams": "、".join(held)}
        if grade <= 2:
            problems.add("warning", "rules.paper_exam", **said)
        elif grade <= 6 and len(held) > 1:
            problems.add("warning", "rules.primary_exams", **said)
        elif grade in (7, 8) and len(held) > 2:
            problems.add("warning", "rules.middle_exams", **said)
        if grade <= 8:
            for exam in held:
                crossed = any(w in exam for w in CROSS_SCHOOL_WORDS)
                if crossed and not any(w in exam for w in MONITORING_WORDS):
                    problems.add(
                        "warning", "rules.cross_school", grade=grade_name(grade), exam=exam
                    )
