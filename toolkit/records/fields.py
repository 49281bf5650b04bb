"""Record kinds declared as data: each column's name, spellings, type, allowed values and help.

One declaration drives everything about a kind of sheet: the header matching and cell parsing
of its reader, the range rules of its schema, and the headers, dropdowns, input prompts and
instructions of its fill-in template. Declared apart from the code that applies them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from toolkit.reading.header import FieldMatcher

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig

FieldType = Literal[
    "text",  # free text
    "person",  # a person's name (teacher, observer)
    "date",
    "int",  # a whole number ≥ 0 (counts)
    "decimal",
    "percent",  # stored as a fraction in [0, 1]
    "yesno",
    "choice",  # one of ``choices``
    "grade",  # 年级 → 3
    "class",  # 班级 → ClassId (grade may come from the 年级 column)
    "classes",  # several classes in one cell (``1班、2班``), for the config's 任课 sheet
    "subject",
]
Bound = float | Callable[["SchoolConfig"], float] | None

# Every kind of sheet the toolkit reads, by the key its template marker carries: scores and item
# scores here, each routine record kind added when the registry (kinds/registry.py) lists it.
KIND_TITLES: dict[str, str] = {"scores": "质量监测成绩", "items": "小题分"}

# The spellings of 是/否 that teachers use; read case-insensitively after normalising.
YES_WORDS = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "对", "已"})
NO_WORDS = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘", "x", "未"})


@dataclass(frozen=True)
class Field:
    """One column of a record kind."""

    name: str
    type: FieldType = "text"
    synonyms: tuple[str, ...] = ()
    required: bool = True
    help: str = ""  # what the column means, for 填写说明 and input prompts
    example: object = ""
    choices: tuple[str, ...] = ()  # canonical values of a choice column
    aliases: Mapping[str, str] = field(default_factory=dict)  # other spelling → canonical
    minimum: Bound = None
    maximum: Bound = None
    unit: str = ""  # a suffix teachers type after numbers (``次``, ``分钟``), dropped on reading
    header: str = ""  # the header written in templates when it differs from ``name``
    width: int = 0  # template column width; 0 = computed from header and example
    fill_down: bool = False  # a merged cell covers a block of rows (one class, one date)
    # The config setting that gives ``maximum``, when the config left it at its default (a
    # guess the data may contradict as a whole); None when the bound is known.
    guessed_setting: Callable[[SchoolConfig], str | None] | None = None

    @property
    def label(self) -> str:
        return self.header or self.name

    def bounds(self, config: SchoolConfig) -> tuple[float | None, float | None]:
        def resolve(bound: Bound) -> float | None:
            return bound(config) if callable(bound) else bound

        return resolve(self.minimum), resolve(self.maximum)

    def allowed(self) -> str:
        """The allowed values in words, for messages and instructions."""
        if self.type == "choice":
            return "、".join(self.choices)
        if self.type == "yesno":
            return "是、否"
        return ""


@dataclass(frozen=True)
class WideForm:
    """How a kind may also be filled wide: one row per person and one column per item (乐考: a
    column per 项目), each item cell one record. The items a header may name come from the school
    config; the long form (a column naming the item, a column for its value) reads as usual."""

    item: str  # the field a column's header fills (项目)
    value: str  # the field each cell of the column fills (结果)
    items: Callable[[SchoolConfig], Sequence[str]]  # every item name a header may carry
    setting: str = ""  # where the items are set, for the message on an unknown one
    min_items: int = 2  # item columns a header needs to be taken for the wide form


@dataclass(frozen=True)
class RecordKind:
    """A kind of sheet teachers fill: one row per record, columns declared as fields."""

    key: str  # ``homework``: used in the template marker and the API
    title: str  # ``作业检查``: file names and titles
    unit: str  # what one row is, in words
    fields: tuple[Field, ...]
    anchor: str  # a field every header row of this kind names
    min_fields: int = 4  # how many fields a row must name to be taken for the header
    notes: tuple[str, ...] = ()  # kind-specific lines for 填写说明
    # (field, value, fields): while ``field`` reads ``value`` (a weak point just registered,
    # 待整改), these required fields may still be blank — its cause and plan come later.
    draft: tuple[str, str, tuple[str, ...]] | None = None
    report_name: str = ""  # ``作业检查汇总``: the summary's title and workbook name
    date_field: str = ""  # the column ``--month`` and ``--as-of`` select on
    wide: WideForm | None = None  # the kind may also be filled wide (see WideForm)

    def may_be_blank(self, name: str, record: Mapping[str, object]) -> bool:
        """Whether required field ``name`` may be blank in ``record`` (see ``draft``)."""
        if self.draft is None:
            return False
        state, value, fields = self.draft
        return name in fields and record.get(state) == value

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names) or self.anchor not in names:
            raise ValueError(f"{self.key}: duplicate field names or unknown anchor")
        if self.wide is not None and not {self.wide.item, self.wide.value} <= set(names):
            raise ValueError(f"{self.key}: the wide form names fields the kind does not have")

    @property
    def matcher(self) -> FieldMatcher:
        return _matcher(self)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def has_identity(self) -> bool:
        """Whether each record belongs to one class (年级 and 班级 resolved together)."""
        return any(f.name == "班级" and f.type == "class" for f in self.fields)

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]


_MATCHERS: dict[str, FieldMatcher] = {}


def _matcher(kind: RecordKind) -> FieldMatcher:
    if kind.key not in _MATCHERS:
        _MATCHERS[kind.key] = FieldMatcher(
            {f.name: (*f.synonyms, *((f.header,) if f.header else ())) for f in kind.fields}
        )
    return _MATCHERS[kind.key]


# Shared columns, declared once and reused by every kind that has them.
GRADE = Field(
    "年级",
    "grade",
    help="学生所在年级，如 三年级、初一",
    example="三年级",
    fill_down=True,
)
CLASS = Field(
    "班级",
    "class",
    synonyms=("班别", "班", "班次", "所在班级", "行政班"),
    help="如 三(2)班；也可写 2班（年级从“年级”列得知）",
    example="三(2)班",
    fill_down=True,
)
SUBJECT = Field("学科", "subject", synonyms=("科目", "学科名称"), example="数学", fill_down=True)
TEACHER = Field(
    "任课教师",
    "person",
    synonyms=("教师", "老师", "教师姓名", "任课老师", "授课教师"),
    help="该班该学科的任课教师姓名",
    example="王丽",
    fill_down=True,
)
# 等级 of an inspection or a lesson; the letter and one-character spellings are common too.
LEVELS = ("优秀", "良好", "合格", "待改进")
LEVEL_ALIASES = {
    "A": "优秀",
    "优": "优秀",
    "B": "良好",
    "良": "良好",
    "C": "合格",
    "中": "合格",
    "及格": "合格",
    "D": "待改进",
    "差": "待改进",
    "不合格": "待改进",
    "需改进": "待改进",
}


def level_field(help_text: str) -> Field:
    return Field(
        "等级",
        "choice",
        synonyms=("评价等级", "评定等级", "等次"),
        choices=LEVELS,
        aliases=LEVEL_ALIASES,
        help=help_text,
        example="良好",
    )


def yes_no(name: str, synonyms: tuple[str, ...], help_text: str) -> Field:
    return Field(name, "yesno", synonyms=synonyms, help=help_text, example="是")
