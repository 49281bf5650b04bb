"""The school config as data: full marks, lines, weights and options, with their defaults.

Without a config every number uses these defaults (docs/口径.md names each setting); a config
overrides them per grade and subject. Pure dataclasses: reading 学校配置.xlsx is ``config.read``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.reading.header import header_key
from toolkit.reading.vocabulary import LEVEL_SPELLINGS

# Subject names understood without a config, with the spellings teachers use for them (and the
# one-character heads of platform exports: 语 数 英 物 化 生; English heads of other tools).
SUBJECT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "语文": ("语", "chinese"),
    "数学": ("数", "math", "maths", "mathematics"),
    "英语": ("英文", "外语", "英", "english"),
    "科学": ("science",),
    "道德与法治": (
        "道法",
        "品德",
        "品德与社会",
        "品德与生活",
        "思想品德",
        "思品",
        "道德与法制",
        "品社",
    ),  # 道德与法制 is a common misspelling
    "物理": ("物", "physics"),
    "化学": ("化", "chemistry"),
    "生物": ("生物学", "生", "biology"),
    "历史": ("史", "history"),
    "地理": ("地", "geography"),
    "政治": ("思想政治", "政", "politics"),
    "信息科技": ("信息", "信息技术"),
    "音乐": (),
    "美术": (),
    "体育": ("体育与健康",),
    "劳动": (),
    "综合实践": ("综合实践活动",),
    "书法": (),
    # The other foreign languages a middle school may teach in place of 英语 (last: rare).
    "日语": (),
    "俄语": (),
    "法语": (),
    "德语": (),
    "西班牙语": (),
}
# Subjects examined by default when the config does not list a grade's subjects.
DEFAULT_SUBJECTS: dict[int, tuple[str, ...]] = {
    **dict.fromkeys((1, 2), ("语文", "数学")),
    **dict.fromkeys((3, 4, 5, 6), ("语文", "数学", "英语")),
    **dict.fromkeys(
        (7, 8, 9), ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治")
    ),
    **dict.fromkeys(
        (10, 11, 12), ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治")
    ),
}
# 作业 daily time limits in minutes (双减): none written in grades 1–2, 60 in 3–6, 90 in 7–9.
DEFAULT_HOMEWORK_MINUTES: dict[int, float] = {
    1: 0,
    2: 0,
    3: 60,
    4: 60,
    5: 60,
    6: 60,
    7: 90,
    8: 90,
    9: 90,
}
# 听评课 三看 marks: 学生投入度, 教学环节落实, 课堂反馈实效 (总分 100).
DEFAULT_OBSERVATION_MARKS: dict[str, float] = {
    "学生投入度": 30,
    "教学环节落实": 40,
    "课堂反馈实效": 30,
}
# 学生排名 (docs/口径.md): whether pupils are ranked. The rules on everyday exams (December 2025)
# bar ranking pupils in compulsory grades 1–9; senior grades keep it.
STUDENT_RANKING = ("不排名", "内部", "排名")
# Header words that decorate a subject column (``语文成绩``, ``数学分数``).
_SUBJECT_SUFFIXES = ("成绩", "分数", "得分", "卷面分", "卷面")


@dataclass(frozen=True)
class Lines:
    """Score lines as fractions of the subject's 满分."""

    excellent: float = 0.9
    good: float = 0.8
    passing: float = 0.6
    low: float = 0.4


@dataclass(frozen=True)
class SubjectRule:
    full_mark: float = 100.0
    lines: Lines = Lines()

    def points(self, name: str) -> float:
        """A line in points of this subject (``points("passing")`` → 60 for 满分 100).

        Rounded so that a line typed as 55 points (kept as 0.55) is 55, not 55.00000000000001,
        and a score of exactly 55 reaches it.
        """
        return round(getattr(self.lines, name) * self.full_mark, 6)


@dataclass
class SchoolConfig:
    """Everything a school can set; defaults are those of docs/口径.md."""

    school: str = ""
    year: str = ""
    term: str = ""
    extra_subjects: list[str] = field(default_factory=list)
    rules: dict[tuple[int | None, str], SubjectRule] = field(default_factory=dict)
    weights: tuple[float, float, float] = (0.4, 0.3, 0.3)  # 平均分, 及格率, 优秀率
    critical_margin: float = 5.0
    dense_rank: bool = False
    # 学生排名 per grade (0: every grade); unset grades take the default of ranking_of.
    student_ranking: dict[int, str] = field(default_factory=dict)
    # 班级排名: 名次 among classes (a comparison of teaching, not of pupils).
    class_ranking: bool = True
    # 等级写法: a school's own spellings of the levels (甲 → 优秀), beside the usual ones.
    level_spellings: dict[str, str] = field(default_factory=dict)
    absent_as_zero: bool = False
    # 合规提示: warn when a term's exams exceed what the rules on everyday exams allow.
    exam_rule_notes: bool = True
    # 个人学情反馈单 (xueqing feedback): the score beside each level (反馈告知分数), and the class's
    # level counts per subject (反馈班级参考); both off by default, as results are told in levels.
    feedback_scores: bool = False
    feedback_class_reference: bool = False
    band_width: float = 10.0
    bottom_share: float = 0.2
    observation_quota: float = 15  # 听课节数 each teacher should reach per term
    observation_marks: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_OBSERVATION_MARKS)
    )
    homework_minutes: dict[int, float] = field(
        default_factory=lambda: dict(DEFAULT_HOMEWORK_MINUTES)
    )
    homework_alert_score: float = 80  # 作业检查 得分 below this is listed
    follow_up_days: float = 14  # 整改 open longer than this is overdue
    weak_point_line: float = 0.6  # a class's 知识点得分率 under this is a suggested weak point
    weak_point_gap: float = 0.1  # … as is one this far under the grade's
    # What the drafted text calls a change: 平均分 moving at least this many points, a rate at
    # least this many percentage points. Below, "基本持平" (a class of 40 moves a rate by 2.5
    # points per student, so 3 points is more than one student; 1 point of 100 is a real shift).
    change_score: float = 1.0
    change_points: float = 3.0
    classes: list[ClassInfo] = field(default_factory=list)
    teaching: list[Teaching] = field(default_factory=list)
    roster: list[RosterEntry] = field(default_factory=list)
    # 乐考项目 (grades 1–2): the config's stations; a grade it lists none for takes the defaults.
    lekao_stations: list[LekaoStation] = field(default_factory=list)
    # 乐考 学科总评: the mean of a subject's marks as points (优秀 4 … 待合格 1) reaching these
    # lines is 优秀, 良好, 合格 (乐考等级线-优秀/良好/合格; the points are never shown).
    lekao_excellent: float = 3.5
    lekao_good: float = 2.5
    lekao_pass: float = 1.5
    source: str = ""  # the config file's name, for 口径说明
    # 三看 parts whose 满分 the config file set (the others are the defaults: a guess).
    observation_marks_set: set[str] = field(default_factory=set)
    # (年级, 学科) whose 满分 a score header stated (语文(150)) rather than the config file.
    stated_full_marks: set[tuple[int | None, str]] = field(default_factory=set)

    def rule(self, grade: int | None, subject: str) -> SubjectRule:
        return self.rules.get((grade, subject)) or self.rules.get((None, subject)) or SubjectRule()

    def ranking_of(self, grade: int) -> str:
        """学生排名 of ``grade``: 不排名 (no pupil ranks), 内部 (ranks for the office, marked
        内部资料) or 排名; by default 不排名 in grades 1–9 and 排名 in 10–12."""
        set_for = self.student_ranking.get(int(grade)) or self.student_ranking.get(0)
        return set_for or ("排名" if int(grade) >= 10 else "不排名")

    def ranks_students(self, grade: int) -> bool:
        return self.ranking_of(grade) != "不排名"

    @property
    def level_words(self) -> dict[str, str]:
        """Every spelling of a level a score cell may hold: the usual and the school's own."""
        return {**LEVEL_SPELLINGS, **self.level_spellings}

    def has_rule(self, grade: int | None, subject: str) -> bool:
        """Whether the config file sets this subject's 满分 (else the default is a guess)."""
        if (grade, subject) in self.stated_full_marks:
            return False
        return (grade, subject) in self.rules or (None, subject) in self.rules

    def subject_order(self, subject: str) -> int:
        """Position for sorting: the usual school order (语文, 数学, 英语, …), then extras."""
        known = [*SUBJECT_SYNONYMS, *self.extra_subjects]
        return known.index(subject) if subject in known else len(known)

    def subjects_for(self, grade: int) -> list[str]:
        """The subjects a grade is examined in: from the 学科 and 任课 sheets, else the default."""
        listed = [s for (g, s) in self.rules if g == grade]
        if not listed:
            listed = [s for (g, s) in self.rules if g is None]
        listed += [t.subject for t in self.teaching if t.grade == grade]
        found = list(dict.fromkeys(listed)) or list(DEFAULT_SUBJECTS.get(grade, ("语文", "数学")))
        return sorted(found, key=self.subject_order)

    @property
    def grades(self) -> list[int]:
        """Grades the config names (班级, 名单, 任课 sheets), in order."""
        found = {c.grade for c in self.classes} | {r.grade for r in self.roster}
        found |= {t.grade for t in self.teaching}
        return sorted(found)

    def class_numbers(self, grade: int) -> list[int]:
        found = {c.number for c in self.classes if c.grade == grade}
        found |= {r.number for r in self.roster if r.grade == grade}
        found |= {t.number for t in self.teaching if t.grade == grade}
        return sorted(found)

    @property
    def teachers(self) -> list[str]:
        return list(dict.fromkeys(t.teacher for t in self.teaching))

    @property
    def term_label(self) -> str:
        """``2025-2026学年第二学期`` as the title of every report."""
        year = self.year if not self.year or self.year.endswith("学年") else f"{self.year}学年"
        return f"{year}{self.term}"

    def subject_of(self, header: object) -> str | None:
        """The canonical subject a header names, or None."""
        lookup = _subject_lookup(tuple(self.extra_subjects))
        key = _subject_key(header)
        found = lookup.get(key)
        if found is None and (stated := _WITH_FULL_MARK.match(key)):
            found = lookup.get(_subject_key(stated.group(1)))  # 语文120: 语文 out of 120
        return found


_WITH_FULL_MARK = re.compile(r"^(\D+?)(?:满分)?\d{2,3}(?:\.5)?分?$")


def _subject_key(header: object) -> str:
    key = header_key(header)
    for suffix in _SUBJECT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


_LOOKUP_CACHE: dict[tuple[str, ...], dict[str, str]] = {}


def _subject_lookup(extra: tuple[str, ...]) -> dict[str, str]:
    if extra not in _LOOKUP_CACHE:
        lookup: dict[str, str] = {}
        for name, words in SUBJECT_SYNONYMS.items():
            for word in (name, *words):
                lookup[header_key(word)] = name
        for name in extra:
            lookup.setdefault(header_key(name), name)
        _LOOKUP_CACHE[extra] = lookup
    return _LOOKUP_CACHE[extra]


# ---------------------------------------------------------------------------------------------
# Reading 学校配置.xlsx


@dataclass(frozen=True)
class ClassInfo:
    grade: int
    number: int
    head_teacher: str = ""
    size: int | None = None


@dataclass(frozen=True)
class Teaching:
    """One teacher teaching one subject in one class."""

    teacher: str
    subject: str
    grade: int
    number: int


@dataclass(frozen=True)
class RosterEntry:
    grade: int
    number: int
    student_id: str
    name: str


@dataclass(frozen=True)
class LekaoStation:
    """One 乐考 station (项目) of a grade: the subject it belongs to (or 综合) and how it is marked
    (记分方式: 等级, 星级 or 过关)."""

    grade: int
    name: str
    subject: str
    scoring: str = "等级"


# 乐考 (grades 1–2 hold no paper tests since December 2025): the stations when the config has no
# 乐考项目 sheet, or lists none for a grade.
DEFAULT_LEKAO_STATIONS: tuple[LekaoStation, ...] = (
    LekaoStation(1, "拼音小达人", "语文"),
    LekaoStation(1, "识字大闯关", "语文"),
    LekaoStation(1, "口算小能手", "数学"),
    LekaoStation(1, "数学游园", "数学"),
    LekaoStation(1, "生活小能手", "综合"),
    LekaoStation(2, "朗读小明星", "语文"),
    LekaoStation(2, "识字大闯关", "语文"),
    LekaoStation(2, "口算小能手", "数学"),
    LekaoStation(2, "数学游园", "数学"),
    LekaoStation(2, "生活小能手", "综合"),
)
