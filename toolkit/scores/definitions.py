"""成绩分析的口径：每个指标怎么算（docs/口径.md 由它生成）。"""

from __future__ import annotations

from toolkit.definitions import Definition, DefinitionTable

SCORE_DEFINITIONS = DefinitionTable(
    "scores",
    "成绩分析.xlsx（xueqing scores）",
    (
        Definition("数据来源", "读取的文件", setting="读取的文件数与学校配置"),
        Definition(
            "行数核对",
            "读取的数据行 = 计入 + 跳过（汇总行、无效行、重复学生）",
            setting="本次读取、计入、跳过的行数",
        ),
        Definition(
            "满分与分数线",
            "各分数线为满分的比例：优秀 ≥90%、良好 ≥80%、及格 ≥60%、低分 <40%（可在学校配置中按年级、学科修改）",
            setting="学校配置“学科”：每个年级、学科的满分与分数线",
        ),
        Definition("应考人数", "名单中列出的学生数"),
        Definition("实考人数", "有有效分数的学生数"),
        Definition(
            "缺考人数",
            "标为缺考/缺/免考/请假或分数为空的学生；不计入平均分和各率",
            setting="学校配置“参数”：缺考计零",
        ),
        Definition(
            "无效分数",
            "无法识别或超出 0–满分 的分数",
            value="使用 --skip-invalid 时按缺失处理：计入应考，不计入实考和缺考，并列入“数据问题”",
        ),
        Definition("平均分", "实考学生分数的平均值", value="保留全部精度，显示两位小数"),
        Definition("标准差", "总体标准差（Excel STDEV.P）"),
        Definition(
            "优秀率/良好率/及格率/低分率",
            "实考中分数 ≥优秀线 / ≥良好线 / ≥及格线 / <低分线 的比例（良好率含优秀）",
            value="以 0–1 的数值存储，百分比格式显示",
        ),
        Definition(
            "等级",
            "每名学生每科一个等级：分数 ≥优秀线为优秀，≥良好线为良好，≥及格线为合格，其余为待合格",
            value="与上面的分数线相同",
        ),
        Definition(
            "等级分布（优秀率/优良率/合格率）",
            "实考学生中各等级的人数；优秀率 = 优秀 ÷ 实考，优良率 = (优秀 + 良好) ÷ 实考，"
            "合格率 = (实考 − 待合格) ÷ 实考",
            value="见“等级分布”表和各年级图表",
        ),
        Definition(
            "超均率", "(班级平均分 − 年级平均分) / 年级平均分；年级平均分为全年级实考学生的平均"
        ),
        Definition(
            "综合分（三率一分）",
            "平均分/满分×100×权重 + 及格率×100×权重 + 优秀率×100×权重",
            setting="学校配置“参数”：综合分权重-平均分、综合分权重-及格率、综合分权重-优秀率",
        ),
        Definition(
            "名次", "班级在年级内按综合分排名；学生按总分排名", setting="学校配置“参数”：排名方式"
        ),
        Definition(
            "总分",
            "各科有效分数之和，由工具重新计算（输入中的总分、名次不采用）",
            value="有缺考科目的学生不参与总分名次",
        ),
        Definition(
            "分数段", "每段含下限、不含上限，最高段含满分", setting="学校配置“参数”：分数段宽度"
        ),
        Definition(
            "临界生",
            "低于及格线（拟合格）或优秀线（拟优）不超过临界分差的学生",
            setting="学校配置“参数”：临界分差",
        ),
        Definition(
            "进退步",
            "学生年级名次的变化（上次 − 本次，正数为进步）；按学号匹配，无学号时按班级+姓名",
            setting="--previous（上次考试）",
        ),
        Definition(
            "名次变化",
            "班级名次的变化：上次名次 − 本次名次，正数为进步（与学生进退步同向）；其他变化为本次 − 上次",
            setting="--previous（上次考试）",
        ),
    ),
)

# Only when the input holds several schools (the 学校对比 sheet); after 名次.
SCORE_DISTRICT_DEFINITIONS = DefinitionTable(
    "scores.district",
    "成绩分析.xlsx：多所学校时另加（学校对比）",
    (
        Definition(
            "学校",
            "来自“学校”列（或标题行、文件名）；不同学校的同名班级分开统计，"
            "班级的超均率、名次相对本校本年级",
            setting="输入中的学校数",
        ),
        Definition(
            "学校对比",
            "每所学校同年级同学科全体学生的各项指标，口径与班级汇总相同；"
            "全区行为全区该年级全体学生",
        ),
        Definition("超均率（学校对比）", "(学校平均分 − 全区平均分) / 全区平均分"),
        Definition(
            "名次（学校对比）",
            "学校在全区同年级同学科内按综合分排名",
            setting="学校配置“参数”：排名方式",
        ),
    ),
)
