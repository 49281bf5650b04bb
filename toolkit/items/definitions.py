"""试题分析的口径：每个指标怎么算（docs/口径.md 由它生成）。"""

from __future__ import annotations

from toolkit.definitions import Definition, DefinitionTable

ITEM_DEFINITIONS = DefinitionTable(
    "items",
    "试题分析.xlsx（xueqing items）",
    (
        Definition("一场考试", "同一年级、学科、考试名称的小题分"),
        Definition(
            "缺考与空白", "某题缺考或空白按缺失处理，不计入该题；所有题都缺失的学生视为缺考"
        ),
        Definition("难度 P", "该题平均分 ÷ 该题满分", value="≥0.7 容易，0.4–0.7 中等，<0.4 较难"),
        Definition(
            "区分度 D",
            "(高分组该题平均分 − 低分组该题平均分) ÷ 该题满分；按总分排序，高、低分组各取 27%（四舍五入，至少 1 人），分界处同分按读取顺序",
            value="≥0.4 很好，0.3–0.39 良好，0.2–0.29 尚可，<0.2 需改进（按显示的两位小数判断）",
        ),
        Definition("班级得分率", "该班该题平均分 ÷ 满分"),
        Definition("知识点得分率", "该知识点各题得分之和 ÷ 满分之和（只计有效得分）"),
        Definition(
            "建议薄弱点",
            "班级知识点得分率低于预警线，或比{本校}年级低于差距值以上",
            setting="学校配置“参数”：知识点预警得分率、知识点低于年级",
        ),
        Definition("错误率（建议台账）", "1 − 班级知识点得分率"),
        Definition("涉及人数（建议台账）", "该班在该知识点上个人得分率低于预警线的学生数"),
        Definition(
            "登记日期、计划完成日期",
            "登记日期为生成当天；计划完成日期 = 登记日期 + 整改超期天数",
            setting="--date；学校配置“参数”：整改超期天数",
        ),
    ),
)

# Only when the input holds several schools; after 班级得分率.
ITEM_DISTRICT_DEFINITIONS = DefinitionTable(
    "items.district",
    "试题分析.xlsx：多所学校时另加",
    (
        Definition(
            "学校",
            "来自“学校”列；不同学校的同名班级分开统计，列名为“学校 班级”",
            setting="输入中的学校数",
        ),
        Definition("学校得分率", "该校全体学生该题（知识点）得分之和 ÷ 满分之和"),
        Definition("全区得分率", "全区全体学生的得分率（即难度 P）；高、低分组按全区总分划分"),
    ),
)
