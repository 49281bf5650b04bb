"""School names in titles, file names and folder names: ``第12小学期末成绩.xlsx``,
``博山区实验小学2025-2026学年第二学期期末四年级成绩``.

A district's files name their school where a school's own files need not; the name is the run
of Chinese characters (and ``第12`` style numbers) that ends in a school word, with whatever
the title says before it about the year, term or exam cut off.
"""

from __future__ import annotations

import re

from toolkit.base.text import normalize

SCHOOL_WORDS = ("小学", "中学", "学校", "完小", "附小", "附中", "一中", "二中", "分校", "校区")
# Words a title puts before the school's name: the name starts after the last of them.
_LEAD_WORDS = (
    "学年", "学期", "年度", "期末", "期中", "月考", "考试", "监测", "测试", "成绩", "年级",
    "届", "年", "月", "关于", "统计", "汇总", "水平",
)  # fmt: skip
_NUMBER = "0-9〇零一二三四五六七八九十百"
_SCHOOL = re.compile(
    rf"((?:[\u4e00-\u9fff]|第[{_NUMBER}]+)+?(?:{'|'.join(SCHOOL_WORDS)}))(?![生业学])"
)  # not 小学生, 初中学业; 第一中学 is not 第一中
_LEAD = re.compile("|".join(_LEAD_WORDS))


def find_school(text: object) -> str | None:
    """The school named in ``text``, or None. ``第12小学期末成绩`` → ``第12小学``."""
    clean = normalize(text).replace(" ", "")
    for match in _SCHOOL.finditer(clean):
        name = match.group(1)
        leads = list(_LEAD.finditer(name))
        if leads:
            name = name[leads[-1].end() :]
        if _is_name(name):
            return name
    return None


def _is_name(name: str) -> bool:
    # A bare school word (``小学``, ``学校``) or ``第二学期…`` leftovers are no name; ``一中`` is.
    return len(name) >= 3 or name in SCHOOL_WORDS[6:8]
