"""作业检查汇总.xlsx 的口径：每个指标怎么算（docs/口径.md 由它生成）。"""

from __future__ import annotations

from toolkit.definitions import Definition, DefinitionTable

HOMEWORK_DEFINITIONS = DefinitionTable(
    "homework",
    "作业检查汇总.xlsx",
    (
        Definition(
            "统计范围",
            "按“检查日期”所在月份筛选（--month）；月检趋势含统计月份及之前各月",
            setting="--month",
        ),
        Definition("检查次数", "作业检查记录的条数（一位教师在一个班一个学科的一次检查为一条）"),
        Definition("布置次数、三类作业次数", "各条记录相加"),
        Definition("三类作业占比", "某类作业次数 ÷ 三类作业次数之和（不是 ÷ 布置次数）"),
        Definition("日均时长", "各条记录日均时长（分钟）的平均"),
        Definition(
            "超时记录数",
            "日均时长超过本年级上限的记录数（上限为 0 的年级不布置书面作业，填写任何时长都算超时）",
            setting="学校配置“参数”：作业时长上限-<年级>",
        ),
        Definition(
            "有批率、有改率、有评率、有追踪率、错题再学习率",
            "该项为“是”的记录 ÷ 该项已填写的记录",
            value="空白不计入分母",
        ),
        Definition(
            "平均得分、最低得分",
            "检查得分（0–100）的平均、最低",
            value="保留全部精度，显示两位小数",
        ),
        Definition("优秀数、良好数、合格数、待改进数", "各等级的检查记录数"),
        Definition(
            "需关注教师",
            "至少一次检查得分低于作业检查预警分的教师",
            setting="学校配置“参数”：作业检查预警分",
        ),
        Definition("年级行、全校行", "由该年级（全校）全部记录直接计算，不是各班数值的平均"),
    ),
)
