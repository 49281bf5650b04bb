"""What a 乐考 sheet holds (grades 1–2: play-based assessment stations instead of paper tests),
the marks teachers write, and the stations (项目) of each grade.

Teachers fill it wide — one row per student, one column per station, a sheet per class — or long
(a 项目 column and a 结果 column). Both read into one record per student × 项目: the wide form
through the record reader's ``WideForm`` hook (``records/read.py``), whose station columns are
the config's 乐考项目 (or the defaults, ``config.model.DEFAULT_LEKAO_STATIONS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.config.model import DEFAULT_LEKAO_STATIONS, LekaoStation
from toolkit.reading.vocabulary import LEVEL_SPELLINGS
from toolkit.records.fields import CLASS, GRADE, Field, RecordKind, WideForm

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig

# The four levels of 等级评价, best first, and the points the 学科总评 rule gives them (internal
# to the rule: never shown).
LEVELS = ("优秀", "良好", "合格", "待合格")
POINTS = {"优秀": 4, "良好": 3, "合格": 2, "待合格": 1}
# 记分方式 → the marks a station of that kind is given, best first (the template's dropdown).
SCORING: dict[str, tuple[str, ...]] = {
    "等级": LEVELS,
    "星级": ("★★★", "★★", "★"),
    "过关": ("过关", "未过关"),
}
MARKS = tuple(mark for marks in SCORING.values() for mark in marks)
# Every mark counted as a level (口径: 星级 and 过关 are counted in levels, see definitions.py).
LEVEL_OF_MARK = {
    **{level: level for level in LEVELS},
    "★★★": "优秀",
    "★★": "良好",
    "★": "合格",
    "过关": "合格",
    "未过关": "待合格",
}
NOT_ASSESSED = "未测"
COMBINED = "综合"  # the 学科 of a station that belongs to no one subject


def _mark_spellings() -> dict[str, str]:
    """Spellings teachers type → the mark: the levels' (优/良/及格/待提高, A–D, full-width: the
    score reader's LEVEL_SPELLINGS), stars kept as stars (☆ as ★; ★★☆ is two of three), 3星,
    过关's."""
    found = {
        spelling: "★" * len(spelling) if set(spelling) <= {"★", "☆"} else level
        for spelling, level in LEVEL_SPELLINGS.items()
    }
    found |= {"★★☆": "★★", "★☆☆": "★", "★☆": "★"}
    for count, words in (
        (3, ("3星", "三星", "3颗星", "三颗星")),
        (2, ("2星", "二星", "两星", "2颗星", "两颗星")),
        (1, ("1星", "一星", "1颗星", "一颗星")),
    ):
        found |= dict.fromkeys(words, "★" * count)
    found |= dict.fromkeys(("通过", "已过关", "过"), "过关")
    found |= dict.fromkeys(("未通过", "不过关", "没过关", "未过"), "未过关")
    return found


MARK_SPELLINGS = _mark_spellings()


# -- the stations of each grade -----------------------------------------------------------------


def lekao_grades(config: SchoolConfig) -> list[int]:
    """The grades that hold 乐考: 一、二年级, and any other the config lists stations for."""
    return sorted({1, 2} | {s.grade for s in config.lekao_stations})


def stations_for(config: SchoolConfig, grade: int) -> list[LekaoStation]:
    """A grade's stations in order: the config's 乐考项目, else the defaults."""
    own = [s for s in config.lekao_stations if s.grade == grade]
    return own or [s for s in DEFAULT_LEKAO_STATIONS if s.grade == grade]


def station_names(config: SchoolConfig) -> list[str]:
    """Every station name a header may carry (any 乐考 grade's)."""
    names = (s.name for g in lekao_grades(config) for s in stations_for(config, g))
    return list(dict.fromkeys(names))


def station_of(config: SchoolConfig, grade: int, name: str) -> LekaoStation | None:
    """Station ``name`` of ``grade``; else of another grade (a grade-2 station on a grade-1
    sheet keeps its subject); None when the config has no such station."""
    for g in (grade, *lekao_grades(config)):
        for station in stations_for(config, g):
            if station.name == name:
                return station
    return None


def subjects_for(config: SchoolConfig, grade: int, extra: list[str] | None = None) -> list[str]:
    """A grade's 乐考 subjects (语文, 数学, …), 综合 last."""
    found = {s.subject for s in stations_for(config, grade)} | set(extra or [])
    return sorted(found, key=lambda s: (s == COMBINED, config.subject_order(s), s))


# -- the record -----------------------------------------------------------------------------------

LEKAO = RecordKind(
    key="lekao",
    title="乐考",
    unit="一名学生一个项目的结果",
    anchor="姓名",
    min_fields=3,
    report_name="乐考汇总",
    date_field="测评日期",
    wide=WideForm(
        item="项目",
        value="结果",
        items=station_names,
        setting="学校配置“乐考项目”表",
    ),
    fields=(
        GRADE,
        CLASS,
        Field(
            "学号",
            synonyms=("考号", "学籍号", "学生编号"),
            required=False,
            help="学生的学号（同名学生靠它区分）",
            example="20250101",
        ),
        Field("姓名", "person", synonyms=("学生姓名", "学生", "名字"), example="张子涵"),
        Field(
            "项目",
            synonyms=("乐考项目", "测评项目", "闯关项目", "项目名称", "关卡"),
            help="乐考项目，如 识字大闯关（学校配置“乐考项目”表中的项目）",
            example="识字大闯关",
        ),
        Field(
            "结果",
            "choice",
            synonyms=("等级", "评价", "评定", "星级", "乐考结果", "等第", "闯关结果"),
            required=False,
            choices=MARKS,
            aliases=MARK_SPELLINGS,
            help="优秀/良好/合格/待合格，★★★/★★/★，或 过关/未过关；空白表示未测",
            example="优秀",
        ),
        Field(
            "测评日期",
            "date",
            synonyms=("日期", "乐考日期", "测试日期"),
            required=False,
            help="乐考的日期（可不填；--month 按它筛选）",
            example="2026-06-20",
        ),
        Field(
            "评语",
            synonyms=("教师评语", "评价语"),
            required=False,
            help="给学生的评语（只在学生等级表中列出）",
            example="识字量大，朗读有感情",
            width=30,
        ),
    ),
    notes=(
        "一、二年级不进行纸笔考试，乐考结果按等级评价，不排名、不公布。",
        "可以一行一名学生、一列一个项目（模板的样子），也可以一行一个学生的一个项目（项目、结果两列）。",
    ),
)


def rules() -> list[tuple[Any, str, str]]:
    """Cross-column rules: (pandera schema, severity, the column a finding points at)."""
    import pandera.pandas as pa

    def once(df: Any) -> Any:
        # The same student (class, name, 学号) given the same station twice: which one counts?
        return ~df.duplicated(subset=["年级", "班级", "姓名", "学号", "项目"], keep="first")

    return [
        (pa.DataFrameSchema(checks=pa.Check(once, name="lekao.duplicate")), "error", "结果"),
    ]
