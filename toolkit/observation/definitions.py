"""听评课汇总.xlsx 的口径：每个指标怎么算（docs/口径.md 由它生成）。"""

from __future__ import annotations

from toolkit.definitions import Definition, DefinitionTable

OBSERVATION_DEFINITIONS = DefinitionTable(
    "observation",
    "听评课汇总.xlsx",
    (
        Definition(
            "统计范围",
            "按听课“日期”所在月份筛选（--month）；听课节数、整改按学期累计至统计月份末",
            setting="--month",
        ),
        Definition("被听节数", "授课教师在统计月份内被听课的节数"),
        Definition(
            "学期听课节数、还差节数",
            "听课人本学期（至统计月份末）的听课节数；要求 − 已听",
            setting="学校配置“参数”：听课节数要求",
        ),
        Definition(
            "本月未被听课",
            "任课表中的教师在统计月份（未指定时为最近一个月）没有被听课记录",
            setting="统计月份",
        ),
        Definition(
            "三看平均分、总分", "各节课得分的平均", setting="学校配置“参数”：听评课满分-<维度>"
        ),
        Definition("三看得分率", "该项平均分 ÷ 该项满分（雷达图用，使三项可比）"),
        Definition("整改项", "填写了整改状态，或写了存在问题的课（整改状态空白按未整改计）"),
        Definition("整改完成率", "已整改 ÷ 整改项"),
        Definition(
            "超期未整改",
            "未整改或整改中，且自听课日期起超过整改超期天数",
            setting="学校配置“参数”：整改超期天数；--as-of",
        ),
        Definition("年级行、全校行", "由该年级（全校）全部记录直接计算"),
    ),
)
