"""Deterministic routine records of the sample school, written as teachers send them, plus truth.

The term's routine records (作业检查, 听评课, 薄弱点台账) and one exam's item scores (小题分)
for the school of :mod:`toolkit.demo.school`. Each ``make_*`` draws the records a correct
reader should get (the *truth*: one row per record, typed values); each ``write_*`` writes them
in the mixed layouts grade leaders really use (title rows, their own words for the columns,
class-name variants, merged cells, ``√``/``×``, text dates, summary rows, footnotes, a legacy
.xls), so readers can be tested against the truth. ``make_dirty_record_copies`` plants known
errors in a copy of the homework files.

The truth keeps text as the teacher typed it (full-width ``，`` included); the readers
normalise text to NFKC, so compare free text after :func:`toolkit.base.text.normalize`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from toolkit.demo.school import ABSENT, DirtyCell, SampleSchool, _draw_name, _Formats, _grade_word
from toolkit.demo.xls import XlsSheet, write_xls
from toolkit.homework.schema import HOMEWORK, KINDS_OF_HOMEWORK
from toolkit.observation.schema import DIMENSIONS, OBSERVATION
from toolkit.records.cells import parse_date
from toolkit.records.fields import LEVELS
from toolkit.weakpoints.schema import CAUSES, WEAKPOINTS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from toolkit.config.model import SchoolConfig
    from toolkit.config.tables import Teaching

__all__ = [
    "AS_OF",
    "EQUALS_TEXT",
    "MONTHS",
    "ItemTruth",
    "make_dirty_record_copies",
    "make_homework",
    "make_items",
    "make_observations",
    "make_weakpoints",
    "observation_leaders",
    "write_homework_files",
    "write_item_files",
    "write_observation_files",
    "write_weakpoint_files",
]

MONTHS: tuple[str, ...] = ("2026-03", "2026-04", "2026-05")
AS_OF = dt.date(2026, 5, 31)  # the day the ledgers are read: 计划完成日期 before it is overdue
_MONTH_WORDS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_SUBJECT_ORDER = ("语文", "数学", "英语")

HOMEWORK_COLUMNS = [f.name for f in HOMEWORK.fields]
OBSERVATION_COLUMNS = [f.name for f in OBSERVATION.fields]
WEAKPOINT_COLUMNS = [f.name for f in WEAKPOINTS.fields]


# --------------------------------------------------------------------------- shared helpers


def _parse_month(month: str) -> tuple[int, int]:
    """``"2026-03"`` → (2026, 3)."""
    year, _, mon = month.partition("-")
    return int(year), int(mon)


def _weekdays(year: int, month: int, first: int = 1, last: int = 31) -> list[dt.date]:
    """School days (Monday–Friday) of the month between day ``first`` and ``last``."""
    days = []
    for day in range(first, last + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            break
        if date.weekday() < 5:
            days.append(date)
    return days


def _subject_key(subject: str) -> int:
    return _SUBJECT_ORDER.index(subject) if subject in _SUBJECT_ORDER else len(_SUBJECT_ORDER)


def _sorted_teaching(config: SchoolConfig, grade: int | None = None) -> list[Teaching]:
    rows = [t for t in config.teaching if grade is None or t.grade == grade]
    return sorted(rows, key=lambda t: (t.grade, _subject_key(t.subject), t.subject, t.number))


def _level(score: float, full: float) -> str:
    """等级 of a score: ≥90% 优秀, ≥80% 良好, ≥60% 合格, else 待改进."""
    share = score / full
    for line, level in zip((0.9, 0.8, 0.6), LEVELS, strict=False):
        if share >= line - 1e-9:
            return level
    return LEVELS[-1]


def _taken_names(config: SchoolConfig) -> set[str]:
    taken = {r.name for r in config.roster} | set(config.teachers)
    return taken | {c.head_teacher for c in config.classes if c.head_teacher}


def observation_leaders(config: SchoolConfig) -> tuple[str, str]:
    """The school's 教导主任 and 副主任 (drawn once per school, not teachers of the config)."""
    rng = np.random.default_rng(4242)
    taken = _taken_names(config)
    return _draw_name(rng, taken), _draw_name(rng, taken)


def _grade_leaders(config: SchoolConfig) -> dict[int, str]:
    """年级组长 of each grade: the head teacher of its first class (else its first teacher)."""
    leaders: dict[int, str] = {}
    for info in sorted(config.classes, key=lambda c: (c.grade, c.number)):
        if info.head_teacher:
            leaders.setdefault(info.grade, info.head_teacher)
    for t in _sorted_teaching(config):
        leaders.setdefault(t.grade, t.teacher)
    return leaders


def _class_sizes(config: SchoolConfig) -> dict[tuple[int, int], int]:
    sizes: dict[tuple[int, int], int] = {}
    for r in config.roster:
        sizes[(r.grade, r.number)] = sizes.get((r.grade, r.number), 0) + 1
    for c in config.classes:
        if c.size:
            sizes[(c.grade, c.number)] = c.size
    return sizes


def _pick(rng: np.random.Generator, options: Sequence[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def _month_of(value: dt.date) -> str:
    return f"{value.year}-{value.month:02d}"


def _objects(frame: pd.DataFrame, kind_fields: Iterable[Any]) -> pd.DataFrame:
    """Text, choice and date columns as Python objects with None for missing (as readers give
    text), not pandas' string dtype."""
    for f in kind_fields:
        if f.type in ("text", "person", "choice", "subject", "date"):
            column = frame[f.name].astype(object)
            frame[f.name] = column.where(column.notna(), None)
    return frame


# --------------------------------------------------------------------------- 作业检查

_HOMEWORK_ISSUES: dict[str, tuple[str, str]] = {
    "有批": ("部分作业未批阅", "全批全改，当天作业当天批完"),
    "有改": ("学生订正不及时", "督促学生及时订正并复批"),
    "有评": ("缺少激励性评语", "增加针对性评语"),
    "有追踪": ("订正后未二次批阅", "建立订正追踪记录"),
    "错题再学习": ("错题本整理不规范", "指导学生整理错题本并定期重做"),
    "时长": ("作业量偏大，日均时长超标", "控制作业总量，分层布置"),
    "得分": ("批改符号不规范", "统一批改符号，规范书写"),
}
_HOMEWORK_RATES = {"有批": 0.97, "有改": 0.93, "有评": 0.9, "有追踪": 0.84, "错题再学习": 0.8}
EQUALS_TEXT = "=未订正人数过多"  # a teacher's comment that must stay text


def make_homework(
    config: SchoolConfig, months: Sequence[str] = MONTHS, seed: int = 21
) -> pd.DataFrame:
    """One 作业检查 per teaching assignment (teacher × class × subject) per month.

    Columns are the HOMEWORK field names with typed values (dates as ``datetime.date``). About
    3% of rows have a 布置次数 that is not the sum of the three kinds; one 存在问题 starts with
    ``=``. Sorted by 检查日期, 年级, 班级, 学科.
    """
    rng = np.random.default_rng(seed)
    teachers = config.teachers
    n_weak = min(2, len(teachers))
    weak = {str(t) for t in rng.choice(teachers, n_weak, replace=False)} if teachers else set()
    base = {t: float(rng.normal(90.0, 2.5)) for t in teachers}
    leaders = _grade_leaders(config)
    rows: list[dict[str, Any]] = []
    for month in months:
        year, mon = _parse_month(month)
        for grade in config.grades:
            teaching = _sorted_teaching(config, grade)
            if not teaching:
                continue
            subjects = list(dict.fromkeys(t.subject for t in teaching))
            candidates = _weekdays(year, mon, 18, 28)
            n_days = 2 if rng.random() < 0.5 and len(subjects) > 1 else 1
            picked = rng.choice(len(candidates), n_days, replace=False)
            days = sorted(candidates[int(k)] for k in picked)
            day_of = {s: days[k * n_days // len(subjects)] for k, s in enumerate(subjects)}
            limit = float(config.homework_minutes.get(grade, 60))
            for t in teaching:
                rows.append(
                    _homework_row(
                        rng, t, day_of[t.subject], limit, t.teacher in weak, base, leaders
                    )
                )
    frame = pd.DataFrame(rows, columns=HOMEWORK_COLUMNS)
    if len(frame):
        n_bad = max(1, round(0.03 * len(frame)))
        for i in sorted(int(k) for k in rng.choice(len(frame), n_bad, replace=False)):
            total = int(frame.at[i, "布置次数"])
            shift = int(_pick(rng, (-2, -1, 1, 2)))
            frame.at[i, "布置次数"] = total + shift if total + shift >= 0 else total + 1
        with_text = frame.index[frame["存在问题"].notna()]
        if len(with_text):
            frame.at[with_text[len(with_text) // 2], "存在问题"] = EQUALS_TEXT
    frame = frame.sort_values(["检查日期", "年级", "班级", "学科"], key=_sort_key, kind="stable")
    frame = frame.reset_index(drop=True)
    ints = ["年级", "班级", "布置次数", *KINDS_OF_HOMEWORK]
    flags = ["有批", "有改", "有评", "有追踪", "错题再学习"]
    frame = frame.astype(
        {**dict.fromkeys(ints, "int64"), **dict.fromkeys(flags, "bool"), "日均时长": "float64"}
    )
    return _objects(frame.astype({"得分": "float64"}), HOMEWORK.fields)


def _sort_key(column: pd.Series) -> pd.Series:
    return column.map(_subject_key) if column.name == "学科" else column


def _homework_row(
    rng: np.random.Generator,
    t: Teaching,
    date: dt.date,
    limit: float,
    weak: bool,
    base: dict[str, float],
    leaders: dict[int, str],
) -> dict[str, Any]:
    if t.grade <= 2:
        kinds = [int(rng.integers(6, 11)), int(rng.integers(0, 3)), int(rng.integers(2, 5))]
    else:
        kinds = [int(rng.integers(12, 19)), int(rng.integers(3, 7)), int(rng.integers(0, 4))]
    if limit <= 0:
        minutes = float(_pick(rng, (10, 15, 20))) if rng.random() < 0.12 else 0.0
    elif rng.random() < 0.08:
        minutes = float(limit + 5 * int(rng.integers(1, 5)))
    else:
        minutes = float(limit - 5 * int(rng.integers(0, 6)))
    over = minutes > limit
    if weak:
        score = float(np.clip(np.rint(rng.normal(72.0, 4.0)), 65, 79))
    else:
        score = float(np.clip(np.rint(rng.normal(base[t.teacher], 3.0)), 80, 98))
    if rng.random() < 0.06:
        score += 0.5
    flags = {
        name: bool(rng.random() < (rate - 0.25 if weak else rate))
        for name, rate in _HOMEWORK_RATES.items()
    }
    issues = [name for name, ok in flags.items() if not ok]
    if over:
        issues.append("时长")
    if not issues and score < 85:
        issues.append("得分")
    problem = requirement = None
    if issues:
        if rng.random() < 0.9:
            problem = "；".join(_HOMEWORK_ISSUES[k][0] for k in issues)
        if rng.random() < 0.85:
            requirement = "；".join(_HOMEWORK_ISSUES[k][1] for k in issues)
    return {
        "检查日期": date,
        "年级": t.grade,
        "班级": t.number,
        "学科": t.subject,
        "任课教师": t.teacher,
        "布置次数": sum(kinds),
        **dict(zip(KINDS_OF_HOMEWORK, kinds, strict=True)),
        "日均时长": minutes,
        **flags,
        "得分": score,
        "等级": _level(score, 100.0),
        "存在问题": problem,
        "整改要求": requirement,
        "检查人": leaders.get(t.grade),
    }


# --------------------------------------------------------------------------- 听评课

_LESSONS: dict[tuple[int, str], tuple[str, ...]] = {
    (1, "语文"): (
        "《春夏秋冬》",
        "《小公鸡和小鸭子》",
        "《荷叶圆圆》",
        "《要下雨了》",
        "《四个太阳》",
    ),
    (1, "数学"): ("认识图形", "20以内的退位减法", "100以内数的认识", "认识人民币", "找规律"),
    (2, "语文"): ("《找春天》", "《开满鲜花的小路》", "《雷雨》", "《画杨桃》", "《蜘蛛开店》"),
    (2, "数学"): ("数据收集整理", "表内除法", "图形的运动", "混合运算", "万以内数的认识"),
    (3, "语文"): ("《燕子》", "《荷花》", "《守株待兔》", "《赵州桥》", "《花钟》", "《蜜蜂》"),
    (3, "数学"): (
        "位置与方向",
        "除数是一位数的除法",
        "复式统计表",
        "两位数乘两位数",
        "面积和面积单位",
        "年、月、日",
        "小数的初步认识",
    ),
    (3, "英语"): (
        "Unit 1 Welcome back to school",
        "Unit 2 My family",
        "Unit 3 At the zoo",
        "Unit 4 Where is my car?",
        "Unit 5 Do you like pears?",
    ),
    (4, "语文"): (
        "《乡下人家》",
        "《天窗》",
        "《琥珀》",
        "《记金华的双龙洞》",
        "《猫》",
        "《白鹅》",
    ),
    (4, "数学"): (
        "四则运算",
        "运算定律",
        "小数的意义",
        "小数的大小比较",
        "三角形的内角和",
        "小数的加法和减法",
        "平均数",
    ),
    (4, "英语"): (
        "Unit 1 My school",
        "Unit 2 What time is it?",
        "Unit 3 Weather",
        "Unit 4 At the farm",
        "Unit 5 My clothes",
    ),
    (5, "语文"): ("《草船借箭》", "《景阳冈》", "《猴王出世》", "《刷子李》", "《自相矛盾》"),
    (5, "数学"): (
        "因数与倍数",
        "长方体和正方体的体积",
        "分数的意义",
        "分数的基本性质",
        "通分",
        "折线统计图",
        "找次品",
    ),
    (5, "英语"): (
        "Unit 1 My day",
        "Unit 2 My favourite season",
        "Unit 3 My school calendar",
        "Unit 5 Whose dog is it?",
    ),
    (6, "语文"): ("《北京的春节》", "《腊八粥》", "《匆匆》", "《那个星期天》", "《学弈》"),
    (6, "数学"): ("负数", "折扣", "圆柱的表面积", "圆锥的体积", "正比例和反比例", "鸽巢问题"),
    (6, "英语"): (
        "Unit 1 How tall are you?",
        "Unit 2 Last weekend",
        "Unit 3 Where did you go?",
        "Unit 4 Then and now",
    ),
}
_HIGHLIGHTS = (
    "情境导入自然，学生兴趣浓厚",
    "小组合作分工明确",
    "板书设计清晰",
    "问题设计有梯度",
    "注重朗读指导",
    "学生展示充分",
    "评价语言丰富及时",
    "信息技术运用恰当",
)
_OBSERVATION_ISSUES: dict[str, tuple[tuple[str, str], ...]] = {
    "学生投入度": (
        ("部分学生参与度不高", "关注后进生，扩大提问面"),
        ("小组合作流于形式", "明确分工，给足合作时间"),
    ),
    "教学环节落实": (
        ("教学环节衔接不够紧凑", "优化环节设计，控制讲授时间"),
        ("重难点突破不够", "精讲重难点，增加变式练习"),
    ),
    "课堂反馈实效": (
        ("当堂检测没有完成", "预留5分钟当堂检测"),
        ("练习反馈不够及时", "当堂检测后集中讲评"),
        ("对错误资源利用不够", "利用典型错例组织讨论"),
    ),
}
_LESSON_TYPES = ("推门课",) * 8 + ("研讨课", "公开课", "示范课", "汇报课")


def _unobserved(rng: np.random.Generator, config: SchoolConfig) -> set[str]:
    """2–3 teachers never observed this term (from different grades when possible)."""
    by_grade: dict[int, list[str]] = {}
    for t in _sorted_teaching(config):
        by_grade.setdefault(t.grade, [])
        if t.teacher not in by_grade[t.grade]:
            by_grade[t.grade].append(t.teacher)
    grades = [g for g, names in by_grade.items() if len(names) > 1]
    if not grades:
        return set()
    want = min(int(rng.integers(2, 4)), len(grades))
    chosen = sorted(int(k) for k in rng.choice(len(grades), want, replace=False))
    return {str(_pick(rng, by_grade[grades[k]])) for k in chosen}


def make_observations(
    config: SchoolConfig, months: Sequence[str] = MONTHS, seed: int = 22
) -> pd.DataFrame:
    """听评课 records: several lessons per grade per month, one row per observer of a lesson.

    Observers are the 教导处 leaders (:func:`observation_leaders`), the grade leaders and
    teachers of the config. 2–3 teachers are never observed all term; every other teacher is
    observed at least once (with enough lessons). Exactly one row's 总分 is off by 2.
    Sorted by 日期, 听课层级, 听课人.
    """
    rng = np.random.default_rng(seed)
    marks = {d: float(config.observation_marks[d]) for d in DIMENSIONS}
    total_mark = sum(marks.values())
    leaders = observation_leaders(config)
    grade_leaders = _grade_leaders(config)
    skipped = _unobserved(rng, config)
    quality = {t: float(rng.normal(0.85, 0.04)) for t in config.teachers}
    queues: dict[int, list[Teaching]] = {}
    rows: list[dict[str, Any]] = []
    last_month = months[-1] if months else ""
    for month in months:
        year, mon = _parse_month(month)
        days = _weekdays(year, mon, 3, 28)
        for grade in config.grades:
            eligible = [t for t in _sorted_teaching(config, grade) if t.teacher not in skipped]
            if not eligible:
                continue
            for _ in range(int(rng.integers(5, 8))):
                if not queues.get(grade):
                    order = rng.permutation(len(eligible))
                    queues[grade] = [eligible[int(k)] for k in order]
                taught = queues[grade].pop()
                date = days[int(rng.integers(len(days)))]
                level = str(_pick(rng, ("教导处",) * 3 + ("年级组",) * 4 + ("教研组",) * 3))
                observers = _observers(rng, config, taught, level, leaders, grade_leaders)
                lesson = float(np.clip(rng.normal(quality[taught.teacher], 0.04), 0.55, 0.99))
                title = str(_pick(rng, _lesson_titles(taught.grade, taught.subject)))
                kind = str(_pick(rng, _LESSON_TYPES))
                for observer in observers:
                    rows.append(
                        _observation_row(
                            rng,
                            date,
                            observer,
                            level,
                            taught,
                            title,
                            kind,
                            lesson,
                            marks,
                            total_mark,
                            month == last_month,
                        )
                    )
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    if len(frame):
        i = int(rng.integers(len(frame)))
        total = float(frame.at[i, "总分"])
        frame.at[i, "总分"] = total + 2 if total + 2 <= total_mark else total - 2
    frame = frame.sort_values(["日期", "听课层级", "听课人"], kind="stable").reset_index(drop=True)
    frame = frame.astype({"年级": "int64", "班级": "int64", "总分": "float64"})
    return _objects(frame.astype(dict.fromkeys(DIMENSIONS, "float64")), OBSERVATION.fields)


def _lesson_titles(grade: int, subject: str) -> tuple[str, ...]:
    return _LESSONS.get((grade, subject)) or tuple(f"{subject}第{k}单元新授课" for k in (1, 2, 3))


def _observers(
    rng: np.random.Generator,
    config: SchoolConfig,
    taught: Teaching,
    level: str,
    leaders: tuple[str, str],
    grade_leaders: dict[int, str],
) -> list[str]:
    """Who sat in: 教导处 leaders, the grade leader and a colleague, or subject colleagues."""
    if level == "教导处":
        return list(leaders) if rng.random() < 0.4 else [str(_pick(rng, leaders))]
    if level == "年级组":
        found = [grade_leaders.get(taught.grade, leaders[0])]
        mates = sorted(
            {t.teacher for t in config.teaching if t.grade == taught.grade} - {taught.teacher}
        )
        if mates and rng.random() < 0.6:
            found.append(str(_pick(rng, mates)))
        return found
    mates = sorted(
        {t.teacher for t in config.teaching if t.subject == taught.subject} - {taught.teacher}
    )
    if not mates:
        return [leaders[0]]
    n = min(len(mates), 1 + int(rng.random() < 0.5))
    return [mates[int(k)] for k in sorted(rng.choice(len(mates), n, replace=False))]


def _observation_row(
    rng: np.random.Generator,
    date: dt.date,
    observer: str,
    level: str,
    taught: Teaching,
    title: str,
    kind: str,
    lesson: float,
    marks: dict[str, float],
    total_mark: float,
    last_month: bool,
) -> dict[str, Any]:
    scores = {
        d: float(np.rint(mark * np.clip(lesson + rng.normal(0.0, 0.04), 0.5, 1.0)))
        for d, mark in marks.items()
    }
    total = sum(scores.values())
    weakest = min(DIMENSIONS, key=lambda d: scores[d] / marks[d])
    highlight = str(_pick(rng, _HIGHLIGHTS)) if rng.random() < 0.9 else None
    problem = advice = state = review = None
    if total / total_mark < 0.93 or rng.random() < 0.4:
        problem, advice = _pick(rng, _OBSERVATION_ISSUES[weakest])
        if rng.random() < 0.1:
            advice = None
        weights = (0.4, 0.4, 0.2) if last_month else (0.15, 0.25, 0.6)
        state = str(rng.choice(["未整改", "整改中", "已整改"], p=weights))
        if state == "已整改":
            review = min(date + dt.timedelta(days=int(rng.integers(7, 22))), AS_OF)
            review = max(review, date + dt.timedelta(days=1))
    return {
        "日期": date,
        "听课人": observer,
        "听课层级": level,
        "授课教师": taught.teacher,
        "年级": taught.grade,
        "班级": taught.number,
        "学科": taught.subject,
        "课题": title,
        "课型": kind,
        **scores,
        "总分": total,
        "等级": _level(total, total_mark),
        "亮点": highlight,
        "存在问题": problem,
        "改进建议": advice,
        "整改状态": state,
        "复查日期": review,
    }


# --------------------------------------------------------------------------- 薄弱点台账

_POINTS: dict[tuple[int, str], tuple[tuple[str, str, str], ...]] = {
    (3, "数学"): (
        ("第一单元 位置与方向", "辨认八个方向", "东北、西南等方向混淆"),
        ("第二单元 除数是一位数的除法", "商中间有0的除法", "商中间或末尾漏写0"),
        ("第二单元 除数是一位数的除法", "除法验算", "验算方法用错"),
        ("第四单元 两位数乘两位数", "两位数乘两位数的进位", "进位后忘记加"),
        ("第五单元 面积", "面积单位换算", "平方米与平方分米进率记错"),
        ("第五单元 面积", "周长与面积的区分", "求面积时用了周长公式"),
        ("第七单元 小数的初步认识", "简单的小数加减法", "小数点没有对齐"),
    ),
    (3, "语文"): (
        ("第一单元", "古诗默写", "《绝句》《惠崇春江晚景》错字多"),
        ("第二单元", "寓言故事的道理", "说不清寓言蕴含的道理"),
        ("第三单元", "形近字辨析", "“辩”“辨”混用"),
        ("第四单元", "观察日记", "观察不细致，内容空洞"),
        ("第六单元", "多音字", "常见多音字读音判断错误"),
        ("第七单元", "提取关键句", "找不准段落关键句"),
    ),
    (3, "英语"): (
        ("Unit 1", "国家名称单词", "Canada、China 拼写错误"),
        ("Unit 2", "家庭成员称呼", "father、mother 与 man、woman 混用"),
        ("Unit 3", "形容词反义词", "tall/short、long/short 混淆"),
        ("Unit 4", "方位介词", "in、on、under 用错"),
        ("Unit 6", "数字11-20拼写", "twelve、fifteen 拼写错误"),
    ),
    (4, "数学"): (
        ("第一单元 四则运算", "含括号的运算顺序", "先算括号外的乘除"),
        ("第三单元 运算定律", "乘法分配律", "(a+b)×c 只乘一个加数"),
        ("第三单元 运算定律", "简便计算", "不会凑整、乱用定律"),
        ("第四单元 小数的意义和性质", "小数的大小比较", "只比较位数多少"),
        ("第四单元 小数的意义和性质", "小数点移动", "移动方向与位数弄反"),
        ("第五单元 三角形", "三角形内角和", "求未知角时减错"),
        ("第六单元 小数的加法和减法", "小数加减法", "小数点没有对齐"),
        ("第八单元 平均数与条形统计图", "平均数", "求平均数时总数算错"),
    ),
    (4, "语文"): (
        ("第一单元", "古诗词默写", "《宿新市徐公店》等错别字多"),
        ("第二单元", "提问策略", "提出的问题浅，不会筛选"),
        ("第三单元", "现代诗仿写", "仿写缺少诗的节奏"),
        ("第五单元", "按游览顺序写景", "游览顺序不清楚"),
        ("第六单元", "人物品质概括", "概括不全面"),
        ("第七单元", "关联词使用", "关联词搭配不当"),
    ),
    (4, "英语"): (
        ("Unit 1 My school", "序数词", "first、second 拼写错误"),
        ("Unit 2 What time is it?", "时间表达", "It's 6:30 读写错误"),
        ("Unit 3 Weather", "天气形容词", "cold 与 cool 混淆"),
        ("Unit 4 At the farm", "名词复数", "tomato、potato 复数只加 s"),
        ("Unit 6 Shopping", "How much 问价", "与 How many 混用"),
    ),
    (5, "数学"): (
        ("第二单元 因数与倍数", "质数与合数", "把1当作质数"),
        ("第二单元 因数与倍数", "3的倍数特征", "只看个位判断"),
        ("第三单元 长方体和正方体", "体积单位换算", "立方分米与升换算错"),
        ("第三单元 长方体和正方体", "表面积计算", "漏算或多算面"),
        ("第四单元 分数的意义和性质", "约分", "没有约成最简分数"),
        ("第四单元 分数的意义和性质", "通分", "公分母找错"),
        ("第六单元 分数的加法和减法", "异分母分数加减", "分子加分子、分母加分母"),
        ("第七单元 折线统计图", "折线统计图读图", "纵轴刻度读错"),
    ),
    (5, "语文"): (
        ("第二单元", "古典名著阅读", "半文言文理解困难"),
        ("第四单元", "人物心理描写", "缺少心理描写"),
        ("第五单元", "人物描写方法", "只会写外貌"),
        ("第六单元", "文言文字词解释", "《自相矛盾》重点字词解释错"),
        ("第七单元", "静态与动态描写", "分不清静态和动态描写"),
    ),
    (5, "英语"): (
        ("Unit 1 My day", "频度副词", "always、usually 位置错"),
        ("Unit 2 My favourite season", "原因表达", "Because 句子不完整"),
        ("Unit 3 My school calendar", "月份单词", "February 拼写错误"),
        ("Unit 4 When is Easter?", "序数词与日期", "日期写法错误"),
        ("Unit 5 Whose dog is it?", "名词性物主代词", "mine 与 my 混用"),
    ),
    (6, "数学"): (
        ("第一单元 负数", "负数的意义", "正负数表示相反意义的量出错"),
        ("第二单元 百分数(二)", "折扣与成数", "把八五折理解为85元"),
        ("第三单元 圆柱与圆锥", "圆柱的表面积", "漏加两个底面"),
        ("第三单元 圆柱与圆锥", "圆锥的体积", "忘记乘三分之一"),
        ("第四单元 比例", "正比例和反比例", "判断正反比例出错"),
        ("第四单元 比例", "比例尺", "单位没有统一"),
        ("第五单元 数学广角", "鸽巢问题", "找不到“抽屉”"),
    ),
    (6, "语文"): (
        ("第一单元", "民风民俗的写法", "详略安排不当"),
        ("第二单元", "外国名著梗概", "梗概写成复述"),
        ("第三单元", "真情实感的表达", "情感空泛"),
        ("第五单元", "文章中心", "中心不明确"),
        ("古诗词诵读", "古诗词默写", "背诵默写错字多"),
    ),
    (6, "英语"): (
        ("Unit 1 How tall are you?", "形容词比较级", "taller than 写成 more tall"),
        ("Unit 2 Last weekend", "一般过去时", "不规则动词过去式写错"),
        ("Unit 3 Where did you go?", "特殊疑问句", "答语时态错误"),
        ("Unit 4 Then and now", "There was/were", "与 There is 混用"),
    ),
}
_CAUSE_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "知识": (
        ("基础知识掌握不牢", "概念理解不透彻", "知识之间联系不清"),
        ("利用早读课集中复习", "编制专项练习每日一练", "课前五分钟过关检测"),
    ),
    "能力": (
        ("审题能力弱", "迁移运用能力不足", "综合分析能力欠缺"),
        ("每周一次变式训练", "典型题讲评后当堂再练", "小组合作互讲互评"),
    ),
    "习惯": (
        ("书写潦草，做完不检查", "审题马虎", "订正不及时"),
        ("规范书写，检查后签字", "建立错题本每周重做", "家校配合督促订正"),
    ),
    "教学": (
        ("新授课练习量不足", "教学重点落实不到位", "复习巩固不及时"),
        ("调整教学设计，增加练习", "教研组集体备课研讨", "课后服务时间分层辅导"),
    ),
}


def _points(grade: int, subject: str) -> tuple[tuple[str, str, str], ...]:
    found = _POINTS.get((grade, subject))
    if found:
        return found
    return tuple(
        (f"第{w}单元", f"{subject}第{w}单元重点", "掌握不牢，练习正确率低") for w in "一二三四五"
    )


def make_weakpoints(
    config: SchoolConfig, months: Sequence[str] = MONTHS, seed: int = 23
) -> pd.DataFrame:
    """薄弱点台账: 2–3 weak points per class per month; states as of :data:`AS_OF`.

    Each grade's month has one knowledge point registered in every class (the same text), so
    points recur across classes. 错误率 and 涉及人数 agree with the class size; about one row in
    five gives only one of them (the other is missing). Sorted by 登记日期, 年级, 班级, 学科,
    知识点.
    """
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(config)
    teacher_of = {(t.grade, t.number, t.subject): t.teacher for t in config.teaching}
    rows: list[dict[str, Any]] = []
    for month in months:
        year, mon = _parse_month(month)
        days = _weekdays(year, mon, 5, 20)
        for grade in config.grades:
            teaching = _sorted_teaching(config, grade)
            subjects = list(dict.fromkeys(t.subject for t in teaching))
            if not subjects:
                continue
            common_subject = str(_pick(rng, subjects))
            common = _pick(rng, _points(grade, common_subject))
            for number in config.class_numbers(grade):
                day = days[int(rng.integers(len(days)))]
                chosen: list[tuple[str, tuple[str, str, str]]] = [(common_subject, common)]
                for _ in range(int(rng.integers(1, 3))):
                    subject = str(_pick(rng, subjects))
                    point = _pick(rng, _points(grade, subject))
                    if all(point[1] != p[1] for _, p in chosen):
                        chosen.append((subject, point))
                for subject, point in chosen:
                    teacher = teacher_of.get((grade, number, subject))
                    size = sizes.get((grade, number), 40)
                    rows.append(
                        _weakpoint_row(rng, day, grade, number, subject, point, teacher, size)
                    )
    frame = pd.DataFrame(rows, columns=WEAKPOINT_COLUMNS)
    _ensure_overdue(rng, frame)
    frame = frame.sort_values(
        ["登记日期", "年级", "班级", "学科", "知识点"], key=_sort_key, kind="stable"
    ).reset_index(drop=True)
    frame["涉及人数"] = frame["涉及人数"].astype("Int64")
    frame = frame.astype(
        {"年级": "int64", "班级": "int64", "错误率": "float64", "复测正确率": "float64"}
    )
    return _objects(frame, WEAKPOINTS.fields)


def _weakpoint_row(
    rng: np.random.Generator,
    day: dt.date,
    grade: int,
    number: int,
    subject: str,
    point: tuple[str, str, str],
    teacher: str | None,
    size: int,
) -> dict[str, Any]:
    unit, name, symptom = point
    low, high = int(np.ceil(0.15 * size)), int(np.floor(0.6 * size))
    count = int(rng.integers(low, high + 1))
    rate: float | None = round(count / size, 2)
    people: int | None = count
    mode = rng.random()
    if mode < 0.2:
        people = None
    elif mode < 0.4:
        rate = None
    cause = str(rng.choice(list(CAUSES), p=[0.35, 0.3, 0.25, 0.1]))
    reasons, measures = _CAUSE_TEXT[cause]
    plan = day + dt.timedelta(days=int(rng.integers(14, 36)))
    retest = retest_rate = None
    if plan < AS_OF - dt.timedelta(days=7):
        state = str(rng.choice(["已销号", "整改中", "待整改"], p=[0.8, 0.13, 0.07]))
    else:
        state = str(rng.choice(["已销号", "整改中", "待整改"], p=[0.1, 0.6, 0.3]))
    if state == "已销号":
        retest = min(plan - dt.timedelta(days=int(rng.integers(0, 8))), AS_OF)
        retest = max(retest, day + dt.timedelta(days=7))
        retest_rate = round(float(rng.uniform(0.7, 0.95)), 2)
    return {
        "登记日期": day,
        "年级": grade,
        "班级": number,
        "学科": subject,
        "单元": unit,
        "知识点": name,
        "问题表现": symptom,
        "错误率": np.nan if rate is None else rate,
        "涉及人数": people,
        "原因类别": cause,
        "原因分析": str(_pick(rng, reasons)) if rng.random() < 0.8 else None,
        "改进措施": str(_pick(rng, measures)),
        "责任教师": teacher,
        "计划完成日期": plan,
        "状态": state,
        "复测日期": retest,
        "复测正确率": np.nan if retest_rate is None else retest_rate,
    }


def _ensure_overdue(rng: np.random.Generator, frame: pd.DataFrame) -> None:
    """At least two open weak points past their 计划完成日期 (the case the ledger review flags)."""
    if frame.empty:
        return
    overdue = (frame["计划完成日期"] < AS_OF) & (frame["状态"] != "已销号")
    closed = frame.index[(frame["计划完成日期"] < AS_OF) & (frame["状态"] == "已销号")]
    need = max(0, 2 - int(overdue.sum()))
    for i in list(closed[:need]):
        frame.at[i, "状态"] = str(_pick(rng, ("整改中", "待整改")))
        frame.at[i, "复测日期"] = None
        frame.at[i, "复测正确率"] = np.nan


# --------------------------------------------------------------------------- 小题分

_ITEM_POINTS: dict[tuple[int, str], tuple[str, ...]] = {
    (4, "数学"): (
        "四则运算顺序",
        "运算定律",
        "小数的意义",
        "小数的大小比较",
        "三角形内角和",
        "小数加减法",
        "平均数",
    ),
}
_SUBJECT_POINTS: dict[str, tuple[str, ...]] = {
    "语文": ("字词积累", "古诗文默写", "句子运用", "课内阅读", "课外阅读", "习作"),
    "数学": ("数的认识", "计算", "图形与几何", "统计与概率", "解决问题", "数学广角"),
    "英语": ("单词拼写", "语法", "句型", "听力", "阅读理解", "书面表达"),
}


@dataclass(frozen=True)
class ItemTruth:
    """One grade's item scores in one subject, and the facts planted in them.

    ``items``: 题号, 满分, 知识点 (one row per item, in paper order). ``marks``: 年级, 班级, 学号,
    姓名, 题号, 分数 (NaN when absent), 缺考 (one row per student × item). ``hard_class`` is
    the class where ``hard_points`` score far below the grade; ``flat_item`` does not
    discriminate (区分度 ≈ 0).
    """

    school: str
    term: str
    exam: str
    grade: int
    subject: str
    items: pd.DataFrame
    marks: pd.DataFrame
    hard_class: int
    hard_points: tuple[str, ...]
    flat_item: str


def _item_labels(n: int) -> list[str]:
    """1, 2, …, 12, 13(1), 13(2), 14, …: ``n`` labels, item 13 in two parts when n ≥ 14."""
    labels: list[str] = []
    k = 1
    while len(labels) < n:
        if k == 13 and n >= 14:
            labels += ["13(1)", "13(2)"]
        else:
            labels.append(str(k))
        k += 1
    return labels[:n]


def _full_marks(rng: np.random.Generator, n: int) -> list[int]:
    """Item 满分 in 2..10, adjusted to total 100 when that is possible."""
    marks = [int(m) for m in rng.choice([2, 3, 4, 5, 6, 8, 10], n)]
    if 2 * n <= 100 <= 10 * n:
        while sum(marks) != 100:
            k = int(rng.integers(n))
            step = 1 if sum(marks) < 100 else -1
            if 2 <= marks[k] + step <= 10:
                marks[k] += step
    return marks


def make_items(
    school: SampleSchool, grade: int = 4, subject: str = "数学", items: int = 20, seed: int = 24
) -> ItemTruth:
    """Item scores of every student of ``grade`` in ``school.truth``.

    Scores follow the students' ability (their ``subject`` score when the truth has one), so
    区分度 is positive for all items but one (``flat_item``); one class scores under 60% on one or
    two knowledge points that the rest of the grade scores at about 75–80%. Students absent in
    the truth, plus a few more, are absent (缺考) on every item.
    """
    if items < 2:
        raise ValueError("items must be at least 2")
    rng = np.random.default_rng(seed)
    students = school.truth[school.truth["年级"] == grade].sort_values(["班级", "学号"])
    if students.empty:
        raise ValueError(f"no students in grade {grade}")
    students = students.reset_index(drop=True)
    classes = sorted(int(c) for c in students["班级"].unique())
    labels = _item_labels(items)
    full = _full_marks(rng, items)
    points = _ITEM_POINTS.get((grade, subject)) or _SUBJECT_POINTS.get(subject, ("综合",) * 6)
    n_points = min(len(points), max(1, items // 2))
    point_of = [points[k * n_points // items] for k in range(items)]
    item_frame = pd.DataFrame(
        {"题号": labels, "满分": [float(m) for m in full], "知识点": point_of}, dtype=object
    ).astype({"满分": "float64"})
    slope = rng.uniform(0.8, 1.6, items)
    intercept = rng.normal(1.9, 0.4, items)
    flat = int(rng.integers(items))
    slope[flat], intercept[flat] = 0.0, 1.0
    hard_class = classes[int(rng.integers(len(classes)))] if len(classes) > 1 else classes[0]
    n_hard = 2 if n_points >= 4 and rng.random() < 0.5 else 1
    candidates = [p for p in dict.fromkeys(point_of) if p != point_of[flat]]
    hard = tuple(candidates[int(k)] for k in sorted(rng.choice(len(candidates), n_hard, False)))
    if subject in students.columns:
        score = students[subject].to_numpy(dtype=float)
    else:
        score = np.full(len(students), np.nan)
    known = ~np.isnan(score)
    ability = np.zeros(len(students))
    if known.sum() > 1 and np.nanstd(score) > 0:
        ability[known] = (score[known] - np.nanmean(score)) / np.nanstd(score)
    ability[~known] = rng.normal(0.0, 1.0, int((~known).sum()))
    ability = ability + rng.normal(0.0, 0.4, len(students))
    absent = ~known if subject in students.columns else np.zeros(len(students), bool)
    present = np.flatnonzero(~absent)
    extra = max(0, 3 - int(absent.sum()))
    absent[rng.choice(present, min(extra, len(present)), replace=False)] = True
    in_hard = (students["班级"].to_numpy() == hard_class)[:, None]
    is_hard_item = np.array([p in hard for p in point_of])[None, :]
    logit = ability[:, None] * slope[None, :] + intercept[None, :] - 2.0 * (in_hard & is_hard_item)
    p = 1.0 / (1.0 + np.exp(-logit))
    scores = rng.binomial(np.array(full)[None, :], p).astype(float)
    scores[absent, :] = np.nan
    marks = pd.DataFrame(
        {
            "年级": np.repeat(students["年级"].to_numpy(dtype="int64"), items),
            "班级": np.repeat(students["班级"].to_numpy(dtype="int64"), items),
            "学号": np.repeat(students["学号"].to_numpy(), items),
            "姓名": np.repeat(students["姓名"].to_numpy(), items),
            "题号": labels * len(students),
            "分数": scores.reshape(-1),
            "缺考": np.repeat(absent, items),
        }
    ).astype({"学号": object, "姓名": object, "题号": object})
    return ItemTruth(
        school=school.school,
        term=school.term,
        exam=school.exam,
        grade=grade,
        subject=subject,
        items=item_frame,
        marks=marks,
        hard_class=hard_class,
        hard_points=hard,
        flat_item=labels[flat],
    )


# --------------------------------------------------------------------------- writing helpers


class _Pct(float):
    """A share written as a number with a percent format (``0.35`` shown as 35%)."""


class _RecordFormats(_Formats):
    """The sample school's formats plus dates, whole percents and wrapped text."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        super().__init__(wb)
        self.date = wb.add_format({"border": 1, "align": "center", "num_format": "yyyy-mm-dd"})
        self.pct0 = wb.add_format({"border": 1, "align": "center", "num_format": "0%"})
        self.text = wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})


def _put(ws: Any, r: int, c: int, value: object, f: _RecordFormats) -> None:
    """One cell as a teacher's sheet holds it: dates as dates, text always as text."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        ws.write_blank(r, c, None, f.cell)
    elif isinstance(value, _Pct):
        ws.write_number(r, c, float(value), f.pct0)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), f.date)
    elif isinstance(value, str):
        ws.write_string(r, c, value, f.text if len(value) > 8 else f.cell)
    elif isinstance(value, (bool, np.bool_)):
        raise TypeError("write yes/no as words")
    else:
        number = float(value)  # type: ignore[arg-type]
        ws.write_number(r, c, int(number) if number.is_integer() else number, f.cell)


Column = tuple[str, Callable[[pd.Series], object]]


def _write_table(
    ws: Any,
    f: _RecordFormats,
    top: int,
    columns: Sequence[Column],
    df: pd.DataFrame,
    merge: Iterable[int] = (),
) -> int:
    """Header at row ``top``, then one row per record; runs of equal values in the ``merge``
    columns become one merged cell (a date or teacher covering a block). Returns the next row."""
    ws.write_row(top, 0, [h for h, _ in columns], f.header)
    merge = set(merge)
    values = [[get(row) for _, get in columns] for _, row in df.iterrows()]
    for k, row_values in enumerate(values):
        for c, value in enumerate(row_values):
            if c not in merge:
                _put(ws, top + 1 + k, c, value, f)
    for c in merge:
        start = 0
        for k in range(1, len(values) + 1):
            if k < len(values) and values[k][c] == values[start][c]:
                continue
            if k - start > 1:
                # xlsxwriter's way to merge a value: merge blank, then write the first cell.
                ws.merge_range(top + 1 + start, c, top + k, c, "", f.cell)
            _put(ws, top + 1 + start, c, values[start][c], f)
            start = k
    for c, (header, _) in enumerate(columns):
        ws.set_column(c, c, max(8, 2 * len(header) + 2))
    return top + 1 + len(values)


def _title(ws: Any, f: _Formats, row: int, width: int, text: str) -> None:
    ws.merge_range(row, 0, row, max(width - 1, 1), text, f.title)


def _yes(words: tuple[str, str]) -> Callable[[bool], str]:
    return lambda value: words[0] if value else words[1]


def _cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _slash_date(value: dt.date) -> str:
    return f"{value.year}/{value.month}/{value.day}"


def _dot_date(value: dt.date) -> str:
    return f"{value.year}.{value.month}.{value.day}"


def _class_paren(grade: int, number: int) -> str:
    return f"{_grade_word(grade)}({number})班"


def _number(value: object) -> object:
    """A count or score as typed: whole numbers as ints, missing as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number


def _text(value: object) -> object:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _xls_sheet(
    path: Path, sheet: str, title: str, columns: Sequence[Column], df: pd.DataFrame
) -> None:
    """A legacy .xls (WPS / old Excel): merged title on row 1, header row 2, records below."""
    ws = XlsSheet(sheet)
    ws.merge(0, 0, 0, len(columns) - 1, title, "title")
    for c, (header, _) in enumerate(columns):
        ws.write(1, c, header, "header")
        ws.widths[c] = 256 * max(8, 2 * len(header) + 2)
    for r, (_, row) in enumerate(df.iterrows(), start=2):
        for c, (_, get) in enumerate(columns):
            value = get(row)
            if value is None:
                ws.write(r, c, "")
            elif isinstance(value, dt.date):
                ws.write(r, c, value, "date")
            else:
                ws.write(r, c, value)
    write_xls(path, [ws])


# --------------------------------------------------------------------------- writing 作业检查


def _hw_columns(style: str) -> tuple[list[Column], list[str]]:
    """The columns of one homework layout and the fields written as merged blocks."""
    flags = ("有批", "有改", "有评", "有追踪", "错题再学习")
    kinds = [(k, lambda r, k=k: int(r[k])) for k in KINDS_OF_HOMEWORK]
    level_letter = {"优秀": "A", "良好": "B", "合格": "C", "待改进": "D"}
    if style == "synonyms":
        synonyms = ("批阅", "订正", "评价", "跟踪", "错题本")
        return [
            ("年级", lambda r: f"{r['年级']}年级"),
            ("班级", lambda r: f"{r['年级']}-{r['班级']}"),
            ("学科", lambda r: r["学科"]),
            ("教师", lambda r: r["任课教师"]),
            ("日期", lambda r: _cn_date(r["检查日期"])),
            ("作业次数", lambda r: int(r["布置次数"])),
            *[(f"{k}类", get) for k, get in kinds],
            ("日均作业时长", lambda r: _number(r["日均时长"])),
            *[
                (s, lambda r, k=k: _yes(("√", "×"))(r[k]))
                for s, k in zip(synonyms, flags, strict=True)
            ],
            ("检查得分", lambda r: _number(r["得分"])),
            ("等次", lambda r: level_letter[r["等级"]]),
            ("问题", lambda r: _text(r["存在问题"])),
            ("整改意见", lambda r: _text(r["整改要求"])),
            ("检查者", lambda r: _text(r["检查人"])),
        ], []
    date: Callable[[pd.Series], object] = lambda r: r["检查日期"]  # noqa: E731
    klass: Callable[[pd.Series], object] = lambda r: _class_paren(r["年级"], r["班级"])  # noqa: E731
    yes = ("是", "否")
    minutes: Callable[[pd.Series], object] = lambda r: _number(r["日均时长"])  # noqa: E731
    merged: list[str] = []
    identity: list[Column] = [("年级", lambda r: f"{_grade_word(r['年级'])}年级")]
    if style == "merged":
        klass = lambda r: f"{r['班级']}班"  # noqa: E731
        merged = ["检查日期", "年级"]
    elif style == "compact":
        date = lambda r: _slash_date(r["检查日期"])  # noqa: E731
        yes = ("有", "无")
        minutes = lambda r: f"{_number(r['日均时长'])}分钟"  # noqa: E731
        identity = []
        merged = ["任课教师"]
    return [
        ("检查日期", date),
        *identity,
        ("班级", klass),
        ("学科", lambda r: r["学科"]),
        ("任课教师", lambda r: r["任课教师"]),
        ("布置次数", lambda r: int(r["布置次数"])),
        *kinds,
        ("日均时长(分钟)", minutes),
        *[(k, lambda r, k=k, yes=yes: _yes(yes)(r[k])) for k in flags],
        ("得分", lambda r: _number(r["得分"])),
        ("等级", lambda r: r["等级"]),
        ("存在问题", lambda r: _text(r["存在问题"])),
        ("整改要求", lambda r: _text(r["整改要求"])),
        ("检查人", lambda r: _text(r["检查人"])),
    ], merged


_HW_STYLES = ("plain", "synonyms", "merged", "compact")
_HW_HEADER = {"日均时长": "日均时长(分钟)"}  # fields whose plain header differs from the name


def _hw_order(df: pd.DataFrame, style: str) -> pd.DataFrame:
    if style == "merged":
        keys = ["检查日期", "学科", "班级"]
    elif style == "compact":
        keys = ["学科", "班级"]
    else:
        keys = ["班级", "学科"]
    return df.sort_values(keys, key=_sort_key, kind="stable")


def write_homework_files(truth: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One workbook per month (``2026年3月作业检查.xlsx``), one sheet per grade (``三年级``).

    Sheets cycle through four layouts: *plain* (title and a note row, canonical headers, date
    cells, ``三(2)班``, 是/否), *synonyms* (作业次数, 批阅, 订正…, columns reordered, ``3-2``,
    ``√``/``×``, text dates ``2026年3月20日``, letter 等次 A–D, a 合计 row at the bottom),
    *merged* (检查日期 and 年级 merged over their rows, classes as ``2班``) and *compact* (no
    年级 column, 任课教师 merged over a teacher's classes, 有/无, ``45分钟``, dates ``2026/3/20``).
    The last month's last grade comes as a separate legacy ``.xls``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    months = sorted({_month_of(d) for d in truth["检查日期"]})
    grades = sorted(int(g) for g in truth["年级"].unique())
    for m, month in enumerate(months):
        year, mon = _parse_month(month)
        in_month = truth[truth["检查日期"].map(_month_of) == month]
        xls_grade = grades[-1] if m == len(months) - 1 and len(grades) > 1 else None
        path = out_dir / f"{year}年{mon}月作业检查.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _RecordFormats(wb)
            for g, grade in enumerate(grades):
                df = in_month[in_month["年级"] == grade]
                if df.empty or grade == xls_grade:
                    continue
                style = _HW_STYLES[(m + g) % len(_HW_STYLES)]
                word = _grade_word(grade)
                ws = wb.add_worksheet(f"{word}年级")
                columns, merged = _hw_columns(style)
                title = f"{word}年级{_MONTH_WORDS[mon - 1]}月份作业检查记录表"
                _title(ws, f, 0, len(columns), title)
                top = 1
                if style == "plain":
                    leader = df["检查人"].dropna()
                    who = leader.iloc[0] if len(leader) else ""
                    ws.write_string(1, 0, f"检查人：{who}    检查范围：作业本、练习册", f.note)
                    top = 3
                df = _hw_order(df, style)
                index = [h for h, _ in columns]
                merge_cols = [index.index(_HW_HEADER.get(name, name)) for name in merged]
                end = _write_table(ws, f, top, columns, df, merge_cols)
                if style == "synonyms":
                    _put(ws, end, 0, "合计", f)
                    for c, (header, _) in enumerate(columns):
                        if header in ("作业次数", *(f"{k}类" for k in KINDS_OF_HOMEWORK)):
                            field = "布置次数" if header == "作业次数" else header[:-1]
                            _put(ws, end, c, int(df[field].sum()), f)
                ws.freeze_panes(top + 1, 0)
        paths.append(path)
        if xls_grade is not None:
            df = _hw_order(in_month[in_month["年级"] == xls_grade], "plain")
            word = _grade_word(xls_grade)
            xls = out_dir / f"{year}年{mon}月{word}年级作业检查.xls"
            columns, _ = _hw_columns("plain")
            title = f"{word}年级{_MONTH_WORDS[mon - 1]}月份作业检查记录表"
            _xls_sheet(xls, f"{word}年级", title, columns, df)
            paths.append(xls)
    return paths


# --------------------------------------------------------------------------- writing 听评课


def _obs_columns(style: str) -> list[Column]:
    dims: list[Column] = [(d, lambda r, d=d: _number(r[d])) for d in DIMENSIONS]
    tail: list[Column] = [
        ("总分", lambda r: _number(r["总分"])),
        ("等级", lambda r: r["等级"]),
        ("亮点", lambda r: _text(r["亮点"])),
        ("存在问题", lambda r: _text(r["存在问题"])),
        ("改进建议", lambda r: _text(r["改进建议"])),
        ("整改状态", lambda r: _text(r["整改状态"])),
        ("复查日期", lambda r: _text(r["复查日期"])),
    ]
    if style == "grade":  # a grade group's own words
        short = {"推门课": "推门"}
        return [
            ("听课日期", lambda r: _cn_date(r["日期"])),
            ("听课教师", lambda r: r["听课人"]),
            ("级别", lambda r: "年级" if r["听课层级"] == "年级组" else r["听课层级"]),
            ("执教教师", lambda r: r["授课教师"]),
            ("年级", lambda r: f"{_grade_word(r['年级'])}年级"),
            ("班级", lambda r: f"{r['班级']}班"),
            ("学科", lambda r: r["学科"]),
            ("课题名称", lambda r: r["课题"]),
            ("课型", lambda r: short.get(r["课型"], r["课型"])),
            ("投入度", lambda r: _number(r["学生投入度"])),
            ("环节落实", lambda r: _number(r["教学环节落实"])),
            ("反馈实效", lambda r: _number(r["课堂反馈实效"])),
            ("合计得分", lambda r: _number(r["总分"])),
            ("等次", lambda r: r["等级"]),
            ("优点", lambda r: _text(r["亮点"])),
            ("不足", lambda r: _text(r["存在问题"])),
            ("建议", lambda r: _text(r["改进建议"])),
            ("整改情况", lambda r: {"已整改": "已完成"}.get(r["整改状态"], _text(r["整改状态"]))),
            ("复查时间", lambda r: _cn_date(r["复查日期"]) if r["复查日期"] else None),
        ]
    head: list[Column] = [
        ("日期", lambda r: r["日期"]),
        ("听课人", lambda r: r["听课人"]),
        ("听课层级", lambda r: r["听课层级"]),
        ("授课教师", lambda r: r["授课教师"]),
    ]
    if style == "office_alias":  # the office's own word for its level
        head[2] = ("层级", lambda r: "校级" if r["听课层级"] == "教导处" else r["听课层级"])
    if style == "subject":  # a subject group: classes as 3-2, no 年级 column, text dates
        head[0] = ("日期", lambda r: _dot_date(r["日期"]))
        identity: list[Column] = [("班级", lambda r: f"{r['年级']}-{r['班级']}")]
    else:
        identity = [
            ("年级", lambda r: f"{_grade_word(r['年级'])}年级"),
            ("班级", lambda r: _class_paren(r["年级"], r["班级"])),
        ]
    return [
        *head,
        *identity,
        ("学科", lambda r: r["学科"]),
        ("课题", lambda r: r["课题"]),
        ("课型", lambda r: r["课型"]),
        *dims,
        *tail,
    ]


def write_observation_files(truth: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One file per 听课层级 group, each with title rows.

    ``教导处推门听课记录.xlsx`` (a sheet per month, canonical headers; one month writes the level
    as ``校级``), ``三年级组听评课记录.xlsx`` per grade (one sheet for the term, the group's own
    words: 听课教师, 执教教师, 级别 ``年级``, 投入度…, text dates, classes as ``2班``, 整改情况
    ``已完成``) and ``语文教研组听课记录.xlsx`` per subject (classes ``3-2`` without a 年级 column,
    dates ``2026.3.18``); the last subject's file is a legacy ``.xls``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    truth = truth.sort_values(["日期", "听课人", "年级", "班级"], kind="stable")
    office = truth[truth["听课层级"] == "教导处"]
    if len(office):
        path = out_dir / "教导处推门听课记录.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _RecordFormats(wb)
            months = sorted({_month_of(d) for d in office["日期"]})
            for m, month in enumerate(months):
                year, mon = _parse_month(month)
                df = office[office["日期"].map(_month_of) == month]
                ws = wb.add_worksheet(f"{mon}月")
                columns = _obs_columns("office_alias" if m == 1 else "office")
                _title(ws, f, 0, len(columns), f"教导处推门听课记录（{year}年{mon}月）")
                _write_table(ws, f, 2, columns, df)
        paths.append(path)
    grade_rows = truth[truth["听课层级"] == "年级组"]
    for grade in sorted(int(g) for g in grade_rows["年级"].unique()):
        word = _grade_word(grade)
        path = out_dir / f"{word}年级组听评课记录.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _RecordFormats(wb)
            ws = wb.add_worksheet("听课记录")
            columns = _obs_columns("grade")
            _title(ws, f, 0, len(columns), f"{word}年级组听评课记录表")
            ws.write_string(1, 0, "说明：每位教师每学期听课不少于15节", f.note)
            _write_table(ws, f, 2, columns, grade_rows[grade_rows["年级"] == grade])
        paths.append(path)
    subject_rows = truth[truth["听课层级"] == "教研组"]
    subjects = sorted(subject_rows["学科"].unique(), key=_subject_key)
    for k, subject in enumerate(subjects):
        df = subject_rows[subject_rows["学科"] == subject]
        columns = _obs_columns("subject")
        title = f"{subject}教研组听课记录"
        if k == len(subjects) - 1 and len(subjects) > 1:
            path = out_dir / f"{title}.xls"
            _xls_sheet(path, "Sheet1", title, columns, df)
        else:
            path = out_dir / f"{title}.xlsx"
            with xlsxwriter.Workbook(path) as wb:
                f = _RecordFormats(wb)
                ws = wb.add_worksheet("Sheet1")
                _title(ws, f, 0, len(columns), title)
                ws.write_string(1, 0, "教研组长：（签名）", f.note)
                _write_table(ws, f, 3, columns, df)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- writing 薄弱点台账


def _pct_text(value: float) -> str:
    return f"{value * 100:.0f}%"


def _wp_columns(style: str) -> list[Column]:
    causes = {c: f"{c}性" for c in CAUSES}
    states = {"已销号": "已完成", "整改中": "进行中", "待整改": "未开始"}
    if style == "subject":
        return [
            ("发现日期", lambda r: _dot_date(r["登记日期"])),
            ("年级", lambda r: f"{_grade_word(r['年级'])}年级"),
            ("班别", lambda r: f"{r['年级']}-{r['班级']}"),
            ("学科", lambda r: r["学科"]),
            ("章节", lambda r: r["单元"]),
            ("薄弱知识点", lambda r: r["知识点"]),
            ("典型错误", lambda r: r["问题表现"]),
            ("出错率", lambda r: None if np.isnan(r["错误率"]) else _pct_text(r["错误率"])),
            ("出错人数", lambda r: _number(r["涉及人数"])),
            ("原因分类", lambda r: causes[r["原因类别"]]),
            ("成因分析", lambda r: _text(r["原因分析"])),
            ("整改措施", lambda r: r["改进措施"]),
            ("责任人", lambda r: r["责任教师"]),
            ("完成时限", lambda r: _dot_date(r["计划完成日期"])),
            ("进展", lambda r: states[r["状态"]]),
            ("复测时间", lambda r: _dot_date(r["复测日期"]) if r["复测日期"] else None),
            (
                "复测通过率",
                lambda r: None if np.isnan(r["复测正确率"]) else _pct_text(r["复测正确率"]),
            ),
        ]
    return [
        ("登记日期", lambda r: r["登记日期"]),
        ("班级", lambda r: _class_paren(r["年级"], r["班级"])),
        ("学科", lambda r: r["学科"]),
        ("单元", lambda r: r["单元"]),
        ("知识点", lambda r: r["知识点"]),
        ("问题表现", lambda r: r["问题表现"]),
        ("错误率", lambda r: None if np.isnan(r["错误率"]) else _Pct(r["错误率"])),
        ("涉及人数", lambda r: _number(r["涉及人数"])),
        ("原因类别", lambda r: r["原因类别"]),
        ("原因分析", lambda r: _text(r["原因分析"])),
        ("改进措施", lambda r: r["改进措施"]),
        ("责任教师", lambda r: r["责任教师"]),
        ("计划完成日期", lambda r: r["计划完成日期"]),
        ("状态", lambda r: r["状态"]),
        ("复测日期", lambda r: _text(r["复测日期"])),
        ("复测正确率", lambda r: None if np.isnan(r["复测正确率"]) else _Pct(r["复测正确率"])),
    ]


def write_weakpoint_files(truth: pd.DataFrame, out_dir: Path) -> list[Path]:
    """One ledger per grade (``三年级薄弱点台账.xlsx``) with a footnote under every table.

    Grades alternate between *monthly* sheets (``3月``: canonical headers, ``三(2)班`` and no
    年级 column, percents as numbers with a percent format, date cells) and *subject* sheets
    (``数学``: 发现日期, 班别 ``3-2``, 薄弱知识点, 出错率 ``35%`` as text, 原因分类 ``知识性``,
    进展 ``已完成``/``进行中``/``未开始``, dates ``2026.3.12``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    grades = sorted(int(g) for g in truth["年级"].unique())
    for g, grade in enumerate(grades):
        word = _grade_word(grade)
        df = truth[truth["年级"] == grade].sort_values(
            ["登记日期", "班级", "学科"], key=_sort_key, kind="stable"
        )
        path = out_dir / f"{word}年级薄弱点台账.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _RecordFormats(wb)
            if g % 2 == 0:
                parts = [
                    (f"{_parse_month(m)[1]}月", df[df["登记日期"].map(_month_of) == m], m)
                    for m in sorted({_month_of(d) for d in df["登记日期"]})
                ]
                columns = _wp_columns("monthly")
                note = "注：错误率=出错人数÷全班人数；销号须附复测记录。"
            else:
                subjects = sorted(df["学科"].unique(), key=_subject_key)
                parts = [(s, df[df["学科"] == s], s) for s in subjects]
                columns = _wp_columns("subject")
                note = "填表人：年级组长    审核：教导处"
            for sheet, part, label in parts:
                ws = wb.add_worksheet(sheet)
                if g % 2 == 0:
                    year, mon = _parse_month(label)
                    title = f"{word}年级薄弱点台账（{year}年{mon}月）"
                else:
                    title = f"{word}年级{label}学科薄弱点整改台账"
                _title(ws, f, 0, len(columns), title)
                end = _write_table(ws, f, 1, columns, part)
                # One plain cell: a footnote merged across the table is read as a record (the
                # reader fills single-row merges below the header into every column).
                ws.write_string(end + 1, 0, note, f.note)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- writing 小题分


def _item_rows(truth: ItemTruth, klass: int) -> pd.DataFrame:
    """One row per student of ``klass``: 学号, 姓名, 缺考 and a score column per 题号."""
    marks = truth.marks[truth.marks["班级"] == klass]
    wide = marks.pivot(index=["学号", "姓名"], columns="题号", values="分数")
    wide = wide.reindex(columns=list(truth.items["题号"]))
    absent = marks.groupby("学号")["缺考"].all()
    wide = wide.reset_index().sort_values("学号", kind="stable").reset_index(drop=True)
    wide["缺考"] = wide["学号"].map(absent).astype(bool)
    return wide


def write_item_files(item_truth: ItemTruth, out_dir: Path) -> list[Path]:
    """``四年级数学期末小题分.xlsx`` with a sheet per class, and the last class sent on its own
    (``四(3)班数学期末小题分.xlsx``).

    Sheet layouts alternate: *template-like* (学科 | 数学 | 考试 | 期末 | 年级 | 四年级 cells, a
    班级 column, 满分 then 知识点 rows under the header, ``缺考`` in every item cell, a 总分
    column) and *teacher's* (``学科：数学`` cells, no 班级 column (the sheet name says it),
    知识点 row above the header and 分值 row under it, items headed ``第1题``, absent rows left
    blank with 缺考 in a 备注 column, a 平均分 row at the bottom). The separate class file has
    its class in the file name and title, 学号 as numbers, 本题满分/考查知识点 rows.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = item_truth
    word = _grade_word(t.grade)
    classes = sorted(int(c) for c in t.marks["班级"].unique())
    alone = classes[-1] if len(classes) > 1 else None
    paths: list[Path] = []
    path = out_dir / f"{word}年级{t.subject}{t.exam}小题分.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        f = _RecordFormats(wb)
        for k, klass in enumerate(c for c in classes if c != alone):
            ws = wb.add_worksheet(f"{word}({klass})班")
            if k % 2 == 0:
                _items_template_like(ws, f, t, klass)
            else:
                _items_teachers(ws, f, t, klass)
    paths.append(path)
    if alone is not None:
        path = out_dir / f"{word}({alone})班{t.subject}{t.exam}小题分.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _RecordFormats(wb)
            _items_single(wb.add_worksheet("Sheet1"), f, t, alone)
        paths.append(path)
    return paths


def _item_score(value: float) -> object:
    return None if np.isnan(value) else int(value) if float(value).is_integer() else value


def _items_template_like(ws: Any, f: _RecordFormats, t: ItemTruth, klass: int) -> None:
    labels = list(t.items["题号"])
    word = _grade_word(t.grade)
    width = 3 + len(labels) + 1
    _title(ws, f, 0, width, f"{t.school}{t.term}{word}年级{t.subject}{t.exam}小题分")
    info = ["学科", t.subject, "考试", t.exam, "年级", f"{word}年级"]
    for c, text in enumerate(info):
        ws.write_string(1, c, text, f.header if c % 2 == 0 else f.cell)
    ws.write_row(2, 0, ["班级", "学号", "姓名", *labels, "总分"], f.header)
    ws.write_string(3, 2, "满分", f.header)
    ws.write_string(4, 2, "知识点", f.header)
    for c, (full, point) in enumerate(zip(t.items["满分"], t.items["知识点"], strict=True), 3):
        ws.write_number(3, c, int(full), f.cell)
        ws.write_string(4, c, point, f.text)
    ws.write_number(3, 3 + len(labels), int(t.items["满分"].sum()), f.cell)
    for r, row in enumerate(_item_rows(t, klass).itertuples(index=False), start=5):
        ws.write_string(r, 0, _class_paren(t.grade, klass), f.cell)
        ws.write_string(r, 1, str(row[0]), f.cell)
        ws.write_string(r, 2, str(row[1]), f.cell)
        scores = [row[2 + c] for c in range(len(labels))]
        absent = bool(row[-1])
        for c, value in enumerate(scores, start=3):
            _put(ws, r, c, ABSENT if absent else _item_score(value), f)
        _put(ws, r, 3 + len(labels), ABSENT if absent else int(np.nansum(scores)), f)
    ws.freeze_panes(5, 3)


def _items_teachers(ws: Any, f: _RecordFormats, t: ItemTruth, klass: int) -> None:
    labels = list(t.items["题号"])
    word = _grade_word(t.grade)
    width = 2 + len(labels) + 1
    _title(ws, f, 0, width, f"{word}({klass})班{t.subject}{t.exam}质量检测小题得分统计")
    for c, text in enumerate((f"学科：{t.subject}", f"考试：{t.exam}", f"年级：{word}年级")):
        ws.write_string(1, 2 * c, text, f.note)
    ws.write_string(2, 1, "知识点", f.header)
    for c, point in enumerate(t.items["知识点"], start=2):
        ws.write_string(2, c, point, f.text)
    ws.write_row(3, 0, ["学号", "姓名", *[f"第{x}题" for x in labels], "备注"], f.header)
    ws.write_string(4, 1, "分值", f.header)
    for c, full in enumerate(t.items["满分"], start=2):
        ws.write_number(4, c, int(full), f.cell)
    rows = _item_rows(t, klass)
    r = 5
    for row in rows.itertuples(index=False):
        ws.write_string(r, 0, str(row[0]), f.cell)
        ws.write_string(r, 1, str(row[1]), f.cell)
        absent = bool(row[-1])
        for c in range(len(labels)):
            _put(ws, r, 2 + c, None if absent else _item_score(row[2 + c]), f)
        _put(ws, r, 2 + len(labels), ABSENT if absent else None, f)
        r += 1
    ws.write_string(r, 1, "平均分", f.header)
    for c, label in enumerate(labels, start=2):
        ws.write_number(r, c, float(rows[label].mean()), f.avg)


def _items_single(ws: Any, f: _RecordFormats, t: ItemTruth, klass: int) -> None:
    labels = list(t.items["题号"])
    word = _grade_word(t.grade)
    _title(ws, f, 0, 2 + len(labels), f"{word}({klass})班{t.subject}{t.exam}小题分")
    for c, text in enumerate(("学科", t.subject, "考试", t.exam)):
        ws.write_string(1, c, text, f.cell)
    ws.write_row(2, 0, ["学号", "姓名", *labels], f.header)
    ws.write_string(3, 1, "本题满分", f.header)
    ws.write_string(4, 1, "考查知识点", f.header)
    for c, (full, point) in enumerate(zip(t.items["满分"], t.items["知识点"], strict=True), 2):
        ws.write_number(3, c, int(full), f.cell)
        ws.write_string(4, c, point, f.text)
    for r, row in enumerate(_item_rows(t, klass).itertuples(index=False), start=5):
        ws.write_number(r, 0, int(row[0]), f.cell)
        ws.write_string(r, 1, str(row[1]), f.cell)
        absent = bool(row[-1])
        for c in range(len(labels)):
            _put(ws, r, 2 + c, ABSENT if absent else _item_score(row[2 + c]), f)


# --------------------------------------------------------------------------- dirty copy


def _homework_header(ws: Worksheet) -> tuple[int, dict[str, int]] | None:
    """The homework header row of a sheet (1-based) and each field's column (1-based)."""
    matcher = HOMEWORK.matcher
    for row in ws.iter_rows(min_row=1, max_row=10):
        found: dict[str, int] = {}
        for cell in row:
            name = matcher(cell.value) if cell.value is not None else None
            if name is not None and name not in found:
                found[name] = cell.column
        if "任课教师" in found and len(found) >= HOMEWORK.min_fields:
            return row[0].row, found
    return None


def _plain_targets(root: Path) -> list[tuple[Path, str, int, dict[str, int], list[int]]]:
    """Sheets whose 检查日期 column holds plain (unmerged) cells, with their data rows."""
    targets = []
    for path in sorted(root.rglob("*.xlsx")):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            header = _homework_header(ws)
            if header is None or "检查日期" not in header[1] or "年级" not in header[1]:
                continue
            row0, cols = header
            merged_cols = {rng.min_col for rng in ws.merged_cells.ranges if rng.min_row > row0}
            if cols["检查日期"] in merged_cols:
                continue
            data = [
                r
                for r in range(row0 + 1, ws.max_row + 1)
                if ws.cell(r, cols["任课教师"]).value not in (None, "")
            ]
            if len(data) >= 2:
                targets.append((path, ws.title, row0, cols, data))
        wb.close()
    return targets


def make_dirty_record_copies(src_dir: Path, dst_dir: Path) -> list[DirtyCell]:
    """Copy a folder written by :func:`write_homework_files` and plant four known errors.

    In the first sheet with a 年级 column and unmerged dates: an 得分 of ``105`` and an 有批 of
    ``良``; in the next such sheet (another month's file when there is one): the 年级 text typed
    into the 班级 cell (``三年级``: a grade, no class number) and a 检查日期 of ``4月32日`` (the
    month of the date it replaces). Each planted cell is in its own record. ``dst_dir`` must not
    exist.
    """
    src_dir, dst_dir = Path(src_dir), Path(dst_dir)
    shutil.copytree(src_dir, dst_dir)
    targets = _plain_targets(dst_dir)
    planted: list[DirtyCell] = []
    if not targets:
        return planted
    first = targets[0]
    second = next(
        (t for t in targets[1:] if t[0] != first[0]), targets[1] if len(targets) > 1 else first
    )
    plans: list[tuple[Any, list[tuple[str, int, object, str]]]] = [
        (first, [("得分", 0, 105, "above_range"), ("有批", 1, "良", "not_yes_no")]),
        (second, [("班级", -1, None, "class_invalid"), ("检查日期", -2, "3月32日", "bad_date")]),
    ]
    if second is first:
        plans = [(first, [*plans[0][1], *plans[1][1]])]
    for (path, sheet, _row0, cols, data), edits in plans:
        wb = load_workbook(path)
        ws = wb[sheet]
        for field, k, value, reason in edits:
            r = data[k] if k >= 0 else data[len(data) + k]
            if field == "班级":  # the grade typed into the class cell: no class number
                grade = ws.cell(r, cols["年级"]).value
                value = str(grade) if grade else "三年级"
            elif field == "检查日期":  # a day the month does not have
                day = parse_date(ws.cell(r, cols[field]).value)
                value = f"{day.month if day else 3}月32日"
            ref = f"{get_column_letter(cols[field])}{r}"
            ws[ref] = value
            rel = path.relative_to(dst_dir).as_posix()
            planted.append(DirtyCell(rel, sheet, ref, value, reason))
        wb.save(path)
        wb.close()
    return planted
