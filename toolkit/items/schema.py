"""What an item-score sheet holds (小题分): students × items, under a block giving each item's
满分 and 知识点. Declared apart from the reader that applies it."""

from __future__ import annotations

import re

from toolkit.base.text import normalize
from toolkit.reading.header import FieldMatcher, header_key
from toolkit.reading.vocabulary import CLASS_WORDS, ID_WORDS, NAME_WORDS, SCHOOL_WORDS

# Columns that are not items.
FIELDS = FieldMatcher(
    {
        "姓名": NAME_WORDS,
        "班级": CLASS_WORDS,
        "学号": ID_WORDS,
        "年级": (),
        "学校": SCHOOL_WORDS,
        "总分": ("总成绩", "合计", "得分"),
        "序号": ("编号",),
    }
)
# Labels of the rows under (or above) the header that describe each item.
BLOCK_LABELS = FieldMatcher(
    {
        "满分": ("分值", "满分值", "每题满分", "题目分值", "本题满分"),
        "知识点": ("考点", "考查知识点", "对应知识点", "知识点名称"),
        "题型": ("题目类型",),
    }
)
# Labels of the cells above the table that name what the sheet is about.
INFO_LABELS = FieldMatcher(
    {"学科": ("科目",), "考试": ("考试名称",), "年级": (), "学校": ("学校名称",)}
)

# 1, 12, 3.2, 13(1), 第3题, T3, Q3, 题3, 第13(2)题
_ITEM = re.compile(r"^(?:第|题|t|q)?(?P<n>\d{1,3}(?:[.(]\d{1,2}\)?)?)题?$")


def item_label(value: object) -> str | None:
    """The 题号 a header cell names (``"第3题"`` → ``"3"``), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value) if 1 <= value <= 200 else None
    key = header_key(normalize(value).replace("（", "(").replace("）", ")")).lower()
    # header_key drops bracketed parts; keep sub-items like 13(1) by matching the raw text too
    raw = normalize(value).replace(" ", "").replace("（", "(").replace("）", ")").lower()
    for text in (raw, key):
        match = _ITEM.match(text)
        if match:
            return match["n"]
    return None
