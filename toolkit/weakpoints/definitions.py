"""薄弱点台账汇总.xlsx 的口径：每个指标怎么算（docs/口径.md 由它生成）。"""

from __future__ import annotations

from toolkit.definitions import Definition, DefinitionTable

WEAKPOINT_DEFINITIONS = DefinitionTable(
    "weakpoints",
    "薄弱点台账汇总.xlsx",
    (
        Definition(
            "统计时点",
            "登记日期不晚于统计日（--as-of，默认今天；指定 --month 时为该月最后一天）的薄弱点",
            setting="--as-of（或 --month 的月末）",
        ),
        Definition("登记数", "台账中的薄弱点条数（一个班的一个知识点为一条）"),
        Definition("待整改、整改中、已销号", "按台账“状态”列计数"),
        Definition("销号率", "已销号 ÷ 登记数"),
        Definition("逾期", "状态不是已销号，且计划完成日期早于统计日"),
        Definition(
            "错误率",
            "台账填写的错误率；只填涉及人数时，用 涉及人数 ÷ 班级人数（学校配置“班级”表）计算",
        ),
        Definition("提升", "复测正确率 − (1 − 错误率)；平均提升为有复测记录的薄弱点的平均"),
        Definition("共性问题", "同一年级同一学科、两个及以上班级登记的相同知识点"),
        Definition("新增、销号（逐月）", "新增按登记日期的月份，销号按复测日期的月份"),
        Definition("年级行、全校行", "由该年级（全校）全部记录直接计算"),
    ),
)
