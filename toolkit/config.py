"""The school config (学校配置.xlsx): full marks, lines, weights and options, with defaults.

Without a config every number uses DESIGN.md's defaults; a config overrides them per grade and
subject. The config is read through the same reading machinery as teachers' files, so a bad
config cell is reported with its place like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.problems import ProblemReport
from toolkit.reading.discover import InputFile
from toolkit.reading.header import FieldMatcher, header_key, locate_header
from toolkit.reading.workbook import Sheet, read_sheets, sheet_names
from toolkit.records.cells import parse_grade
from toolkit.text import cell_ref, normalize

if TYPE_CHECKING:
    from toolkit.config_tables import ClassInfo, RosterEntry, Teaching

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
    """Everything a school can set; defaults are DESIGN.md's."""

    school: str = ""
    year: str = ""
    term: str = ""
    extra_subjects: list[str] = field(default_factory=list)
    rules: dict[tuple[int | None, str], SubjectRule] = field(default_factory=dict)
    weights: tuple[float, float, float] = (0.4, 0.3, 0.3)  # 平均分, 及格率, 优秀率
    critical_margin: float = 5.0
    dense_rank: bool = False
    absent_as_zero: bool = False
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
    source: str = ""  # the config file's name, for 口径说明
    # 三看 parts whose 满分 the config file set (the others are the defaults: a guess).
    observation_marks_set: set[str] = field(default_factory=set)
    # (年级, 学科) whose 满分 a score header stated (语文(150)) rather than the config file.
    stated_full_marks: set[tuple[int | None, str]] = field(default_factory=set)

    def rule(self, grade: int | None, subject: str) -> SubjectRule:
        return self.rules.get((grade, subject)) or self.rules.get((None, subject)) or SubjectRule()

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

CONFIG_SHEETS = ("基本信息", "学科", "参数")  # expected; 班级, 任课 and 名单 are optional


def is_config_workbook(path: Path) -> bool:
    """Whether ``path`` is a school config (two of its expected sheets), by sheet names only:
    a config kept among the score files is the config, not a score table."""
    return len(set(sheet_names(path)) & set(CONFIG_SHEETS)) >= 2


_KEY_VALUE = FieldMatcher({"项目": ("参数", "名称"), "值": ("取值", "内容", "设置")})
_SUBJECT_FIELDS = FieldMatcher(
    {
        "年级": (),
        "学科": ("科目",),
        "满分": (),
        "优秀线": ("优秀",),
        "良好线": ("良好",),
        "及格线": ("及格", "合格线"),
        "低分线": ("低分",),
    }
)
# 参数 sheet keys → (attribute, parser)
_YES = {"是", "yes", "true", "1", "y", "√"}
_NO = {"否", "no", "false", "0", "n", "×", ""}


def load_config(path: Path | str | None, report: ProblemReport) -> SchoolConfig:
    """Read the config workbook; problems go to ``report`` and defaults stand in for them."""
    config = SchoolConfig()
    if path is None:
        return config
    file = InputFile(Path(path), Path(path).name)
    config.source = file.display
    if not file.path.is_file():  # a mistyped -c: say so, as for a missing input
        report.add("error", "file.unreadable", file=str(path), reason="学校配置文件不存在")
        return config
    sheets = {sheet.name.strip(): sheet for sheet in read_sheets(file, report)}
    if not sheets:
        return config
    for name in CONFIG_SHEETS:
        if name not in sheets:
            report.add("warning", "config.missing_sheet", file=file.display, sheet_name=name)
    if "基本信息" in sheets:
        info = dict(_key_values(sheets["基本信息"]))
        config.school = normalize(info.get("学校", ("", ""))[0])
        config.year = normalize(info.get("学年", ("", ""))[0])
        config.term = normalize(info.get("学期", ("", ""))[0])
    if "学科" in sheets:
        _read_subjects(sheets["学科"], config, report)
    if "参数" in sheets:
        _read_parameters(sheets["参数"], config, report)
    from toolkit.config_tables import read_config_tables

    read_config_tables(sheets, config, report)
    return config


def _key_values(sheet: Sheet) -> Iterable[tuple[str, tuple[object, str, str]]]:
    """(key, (value, cell)) pairs of a two-column 项目/值 sheet."""
    header = locate_header(sheet.rows, _KEY_VALUE, lambda _: None, anchor="项目", min_groups=0)
    if header is None or "值" not in header.fields:
        return
    key_col, value_col = header.fields["项目"], header.fields["值"]
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        key = normalize(row[key_col]) if key_col < len(row) else ""
        if key:
            value = row[value_col] if value_col < len(row) else ""
            yield key, (value, cell_ref(r, value_col), cell_ref(r, key_col))


def _text(value: object) -> str:
    """A config cell as text; a number cell 7.0 reads as ``7`` (as the user typed it)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = normalize(value).replace(" ", "")
    percent = text.endswith("%")
    text = text.rstrip("%").removesuffix("分")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 100 if percent else number


def _read_subjects(sheet: Sheet, config: SchoolConfig, report: ProblemReport) -> None:
    header = locate_header(sheet.rows, _SUBJECT_FIELDS, lambda _: None, anchor="学科", min_groups=0)
    if header is None:
        return
    cols = header.fields
    where = {"file": sheet.file.display, "sheet": sheet.name}
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]

        def cell(name: str, row: Sequence[object] = row) -> object:
            col = cols.get(name)
            return row[col] if col is not None and col < len(row) else ""

        subject_text = normalize(cell("学科"))
        if not subject_text:
            continue
        subject = config.subject_of(subject_text) or subject_text
        if subject not in SUBJECT_SYNONYMS and subject not in config.extra_subjects:
            config.extra_subjects.append(subject)
        grade_text = _text(cell("年级"))
        grade: int | None = None
        if grade_text and grade_text not in {"全部", "所有", "全校", "各年级"}:
            grade = parse_grade(grade_text)
            if grade is None:
                report.add(
                    "error",
                    "config.invalid",
                    cell=cell_ref(r, cols["年级"]),
                    value=grade_text,
                    reason="不是可识别的年级（如 三年级、3、初一）",
                    **where,
                )
                continue
        rule = _subject_rule(row, r, cols, cell, report, where)
        if rule is not None:
            config.rules[(grade, subject)] = rule


def _subject_rule(row, r, cols, cell, report, where) -> SubjectRule | None:  # type: ignore[no-untyped-def]
    full_raw = cell("满分")
    full = _number(full_raw) if full_raw not in ("", None) else 100.0
    if full is None or full <= 0:
        report.add(
            "error",
            "config.invalid",
            cell=cell_ref(r, cols["满分"]),
            value=full_raw,
            reason="满分必须是正数",
            **where,
        )
        return None
    defaults = Lines()
    values: dict[str, float] = {}
    for attr, column in (
        ("excellent", "优秀线"),
        ("good", "良好线"),
        ("passing", "及格线"),
        ("low", "低分线"),
    ):
        raw = cell(column)
        if raw in ("", None):
            values[attr] = getattr(defaults, attr)
            continue
        number = _number(raw)
        # A line ≤ 1 is a fraction (0.9, 90%); above 1 it is in points (108 of 120).
        fraction = None if number is None else (number if number <= 1 else number / full)
        if fraction is None or not 0 < fraction <= 1:
            report.add(
                "error",
                "config.invalid",
                cell=cell_ref(r, cols[column]),
                value=raw,
                reason=f"{column}应是 0–满分 的分数或 0–100% 的比例",
                **where,
            )
            return None
        values[attr] = fraction
    lines = Lines(**values)
    if not lines.low < lines.passing <= lines.good <= lines.excellent:
        report.add(
            "error",
            "config.invalid",
            cell=cell_ref(r, cols.get("及格线", cols["学科"])),
            value=normalize(cell("学科")),
            reason="各分数线应满足 低分线 < 及格线 ≤ 良好线 ≤ 优秀线",
            **where,
        )
        return None
    return SubjectRule(full, lines)


_PARAMETERS = {
    "综合分权重-平均分": "w_mean",
    "综合分权重-及格率": "w_pass",
    "综合分权重-优秀率": "w_excellent",
    "临界分差": "critical_margin",
    "排名方式": "ranking",
    "缺考计零": "absent_as_zero",
    "分数段宽度": "band_width",
    "关爱学生比例": "bottom_share",
    "听课节数要求": "observation_quota",
    "作业检查预警分": "homework_alert_score",
    "整改超期天数": "follow_up_days",
    "知识点预警得分率": "weak_point_line",
    "知识点低于年级": "weak_point_gap",
    "变化提示线-平均分": "change_score",
    "变化提示线-百分点": "change_points",
}
# Keys with a part after the dash: 作业时长上限-三年级, 听评课满分-学生投入度.
_HOMEWORK_MINUTES = re.compile(r"^作业时长上限[-—－_:：]?(?P<grade>.+)$")
_OBSERVATION_MARK = re.compile(r"^听评课满分[-—－_:：]?(?P<part>.+)$")


def _read_parameters(sheet: Sheet, config: SchoolConfig, report: ProblemReport) -> None:
    where = {"file": sheet.file.display, "sheet": sheet.name}
    weights = list(config.weights)
    for key, (value, ref, key_ref) in _key_values(sheet):
        key = re.sub(r"\s", "", key)
        attr = _PARAMETERS.get(key)
        text = _text(value).lower()

        def bad(reason: str, value: object = value, ref: str = ref) -> None:
            report.add("error", "config.invalid", cell=ref, value=value, reason=reason, **where)

        if attr is None:
            _read_keyed_parameter(key, value, config, bad, key_ref)
            continue

        if attr == "ranking":
            if text in {"", "rank.eq", "rank", "excel", "并列跳号"}:
                config.dense_rank = False
            elif text in {"dense", "中国式", "中国式排名", "并列不跳号"}:
                config.dense_rank = True
            else:
                bad("排名方式应为“RANK.EQ”或“中国式”")
        elif attr == "absent_as_zero":
            if text in _YES or text in _NO:
                config.absent_as_zero = text in _YES
            else:
                bad("应填“是”或“否”")
        else:
            number = _number(value)
            if number is None or number < 0:
                bad("应为非负数")
            elif attr.startswith("w_"):
                weights[("w_mean", "w_pass", "w_excellent").index(attr)] = number
            elif attr in ("weak_point_line", "weak_point_gap"):
                if number > 100:
                    bad("应为 0–100% 的比例，如 60%")
                else:  # 60 typed into a plain cell means 60%
                    setattr(config, attr, number / 100 if number > 1 else number)
            elif attr == "bottom_share" and not 0 < number <= 1:
                bad("应为 0–100% 的比例")
            elif attr == "band_width" and number <= 0:
                bad("分数段宽度应为正数")
            else:
                setattr(config, attr, number)
    config.weights = (weights[0], weights[1], weights[2])


def _read_keyed_parameter(key: str, value: object, config: SchoolConfig, bad, key_ref: str) -> None:  # type: ignore[no-untyped-def]
    """作业时长上限-<年级> and 听评课满分-<维度>: one 参数 row per grade or dimension."""
    minutes, mark = _HOMEWORK_MINUTES.match(key), _OBSERVATION_MARK.match(key)
    if minutes:
        grade = parse_grade(minutes["grade"].strip("()（）"))
        number = _number(value)
        if grade is None:
            bad(f"“{key}”中的年级无法识别（如 作业时长上限-三年级）", value=key, ref=key_ref)
        elif normalize(value) in ("", "不限", "无"):
            config.homework_minutes.pop(grade, None)
        elif number is None or number < 0:
            bad("作业时长上限应为分钟数（0 表示不布置书面作业）")
        else:
            config.homework_minutes[grade] = number
    elif mark:
        part = mark["part"].strip("()（）")
        number = _number(value)
        if part not in config.observation_marks:
            bad(f"应为 {'、'.join(config.observation_marks)} 之一", value=key, ref=key_ref)
        elif number is None or number <= 0:
            bad("满分应为正数")
        else:
            config.observation_marks[part] = number
            config.observation_marks_set.add(part)
