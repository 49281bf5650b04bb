"""The words schools and marking platforms write, in one place: what marks a summary row, an
absence, a struck-out score, a subject not taken, a score or rank sub-column, an exam.

Every reader takes its words from here, so a spelling learnt from one real file holds for scores,
item scores and the routine records alike.
"""

from __future__ import annotations

# The columns naming a student, as every kind of student sheet heads them (scores, item scores).
NAME_WORDS = ("学生姓名", "学生", "名字", "考生姓名", "name", "student name")
# 班次 is not here: in a platform's export it is the rank in the class (issue 17).
CLASS_WORDS = (
    "班别", "班", "班级名称", "所在班级", "行政班", "行政班级", "班级名", "新班级", "class",
    "原班级", "教学班", "教学班级",
)  # fmt: skip
ID_WORDS = (
    "考号", "学籍号", "准考证号", "考试号", "学生编号", "参考号", "考生号", "student id",
)  # fmt: skip
SCHOOL_WORDS = ("学校名称", "校名", "学校全称")
# Columns a student sheet may carry that are not analysed and need no mention.
QUIET_WORDS = ("序号", "编号", "no", "no.", "性别", "备注", "说明")

# A row whose first cells start or end with one of these is a summary row under (or inside) a
# table, not a record.
SUMMARY_WORDS = (
    "平均分", "平均", "合计", "总计", "小计", "汇总", "及格率", "优秀率", "良好率", "优良率",
    "低分率", "及格人数", "优秀人数", "最高分", "最低分", "参考人数", "实考人数", "应考人数",
    "缺考人数", "标准差", "统计", "均分", "人数",
)  # fmt: skip

# Score cells meaning "did not sit the exam": counted in 缺考人数, never as 0. 未扫 (answer sheet
# not scanned) and Q are how marking platforms export an absence.
ABSENT_WORDS = frozenset(
    {"缺考", "缺", "缺席", "免考", "免", "请假", "病假", "事假", "休学", "未扫", "未扫描", "Q", "q"}
)
# A score the exam office struck out (alone, or after the score: 36，剔除): out of 实考.
EXCLUDED_WORDS = (
    "作弊", "违纪", "舞弊", "剔除", "已剔除", "取消成绩", "成绩无效", "不计", "不计入", "不计成绩",
)  # fmt: skip
# Marks for a subject the student does not take (选科: 日语 instead of 英语, a chosen 物理 or 历史).
NOT_TAKING_MARKS = frozenset({"-", "--", "/", "—", "——", "未选", "不选", "未选考", "不选考"})

# Sub-columns a marking platform writes under each subject merged over them (语文 over
# 得分 | 校次 | 班次, or 原始分 | 等级 | 赋分): the score is read from the first kind; the others
# are ranks, levels or converted scores — never a score, a class or a new table. Written in a
# name cell, they label a line of the student above (赋分 under a student's row).
SCORE_SUBHEADERS = frozenset({"得分", "原始分", "分数", "成绩", "卷面分", "卷面", "实得分"})
OTHER_SUBHEADERS = frozenset(
    {"校次", "班次", "级次", "名次", "排名", "校排名", "班排名", "年级名次", "班级名次", "等级",
     "赋分", "标准分", "t分", "z分", "百分位"}
)  # fmt: skip

# The kinds of exam a term holds (质量监测 names the kind of file, not one exam of the term).
EXAM_KINDS = ("单元检测", "月考", "期中", "模拟考试", "联考", "期末")
EXAM_WORDS = (*EXAM_KINDS, "质量监测")

# A level where a score might stand (等级评价, docs/口径.md 等级): the spellings teachers type, read
# after NFKC (Ａ is A) and case-folding, mapped to the four levels.
LEVEL_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("优秀", "优", "a", "★★★", "☆☆☆"), "优秀"),
    **dict.fromkeys(("良好", "良", "b", "★★", "☆☆"), "良好"),
    **dict.fromkeys(("合格", "及格", "中", "c", "★", "☆"), "合格"),
    **dict.fromkeys(("待合格", "不合格", "待提高", "待改进", "不及格", "差", "d"), "待合格"),
}
