"""The blank school config written by ``xueqing init``: headers, defaults and instructions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit.base.classnames import class_name, grade_name
from toolkit.base.ownership import MARK
from toolkit.config.model import (
    DEFAULT_HOMEWORK_MINUTES,
    DEFAULT_LEKAO_STATIONS,
    Lines,
    SchoolConfig,
)
from toolkit.render.output import TEXT_ONLY, write_atomically
from toolkit.render.xlsx.styles import Styles

_INSTRUCTIONS = [
    "学校配置填写说明",
    "",
    "本文件是可选的：不提供时，所有学科满分按 100 分、分数线按默认比例计算。",
    "“基本信息”：学校名称、学年、学期，会出现在所有报告的标题中。",
    "“学科”：每行一个学科。年级留空表示所有年级；满分留空为 100。",
    "    分数线可填分数（如满分 120 的及格线 72）或比例（如 0.6 或 60%）；留空为默认：",
    "    优秀 90%、良好 80%、及格 60%、低分 40%（低于低分线为低分）。",
    "“参数”：综合分权重、临界分差、排名方式（RANK.EQ 或 中国式）、缺考是否计零、听课节数要求、",
    "    听评课三项满分、各年级作业时长上限（分钟，0 表示不布置书面作业）等。",
    "“班级”：每行一个班（年级、班级、班主任、人数）。填报模板据此生成年级、班级下拉列表。",
    "“任课”：每行一位教师在一个年级任教的一个学科；班级可写一个或几个（如 1班、2班），",
    "    留空表示该年级所有班。填报模板据此生成任课教师下拉列表。",
    "“名单”：每行一名学生（年级、班级、学号、姓名）。填了名单，成绩模板会按班预先填好学号和姓名。",
    "“乐考项目”：一、二年级乐考的项目，每行一个（年级、项目、所属学科或 综合、记分方式）；",
    "    记分方式为 等级、星级 或 过关。乐考模板按它每个项目一列。已写好的是默认项目，可改。",
    "“班级”“任课”“名单”都可以先不填。",
    "",
    "保存后运行：xueqing templates -c 学校配置.xlsx -o 模板/        （生成本校的填报模板）",
    "          xueqing scores 成绩文件夹/ -c 学校配置.xlsx -o 成绩分析.xlsx",
]


def write_config_template(
    target: Path,
    filled: SchoolConfig | None = None,
    remarks: Mapping[Any, str] | None = None,
) -> Path:
    """The config workbook: blank with defaults, or holding ``filled``'s school, classes,
    teachers and roster (the demo school's, or one proposed from the files by ``init --from``).
    ``remarks`` say beside a subject (keyed by (年级, 学科)) or a parameter (by its name) where the
    proposed value came from, 待确认 where the office must confirm it."""
    return write_atomically(
        target, lambda path: _write(path, filled or SchoolConfig(), remarks or {})
    )


def _write(path: Path, filled: SchoolConfig, remarks: Mapping[Any, str]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), TEXT_ONLY)
    workbook.set_properties({"title": "学校配置", "author": MARK})
    styles = Styles(workbook)
    defaults = filled
    lines = Lines()

    notes = workbook.add_worksheet("填写说明")
    notes.set_column(0, 0, 100)
    for r, text in enumerate(_INSTRUCTIONS):
        notes.write_string(r, 0, text, styles.title if r == 0 else styles.get(border=0))

    def sheet(name: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
        ws = workbook.add_worksheet(name)
        for c, (text, width) in enumerate(zip(header, widths, strict=True)):
            ws.set_column(c, c, width)
            ws.write_string(0, c, text, styles.header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)):
                    ws.write_number(r, c, value, styles.get("score"))
                else:
                    ws.write_string(r, c, str(value), styles.get())
        ws.freeze_panes(1, 0)
        return ws

    sheet(
        "基本信息",
        ["项目", "值", "说明"],
        [
            ["学校", filled.school, "学校全称，如 博山区实验小学"],
            ["学年", filled.year, "如 2025-2026学年"],
            ["学期", filled.term, "如 第二学期"],
        ],
        [12, 30, 40],
    )
    classes = sheet(
        "班级",
        ["年级", "班级", "班主任", "人数"],
        [
            [grade_name(c.grade), class_name(c.grade, c.number), c.head_teacher, c.size or ""]
            for c in filled.classes
        ],
        [10, 10, 12, 8],
    )
    classes.write_comment("B1", "如 三(2)班，或只写 2（年级看“年级”列）。", {"x_scale": 1.5})
    subjects = sheet(
        "学科",
        ["年级", "学科", "满分", "优秀线", "良好线", "及格线", "低分线", "说明"],
        [
            [
                grade_name(g) if g else "",
                s,
                rule.full_mark,
                *_lines(rule.lines),
                remarks.get((g, s), ""),
            ]
            for (g, s), rule in filled.rules.items()
        ]
        or [["", s, 100, "", "", "", "", ""] for s in ("语文", "数学", "英语")],
        [10, 12, 8, 8, 8, 8, 8, 40],
    )
    subjects.write_comment("A1", "留空表示所有年级；也可写 三年级、3、初一。", {"x_scale": 1.5})
    subjects.write_comment(
        "D1",
        f"留空为默认：优秀 {lines.excellent:.0%}、良好 {lines.good:.0%}、"
        f"及格 {lines.passing:.0%}、低分 {lines.low:.0%}。可填分数或比例。",
        {"x_scale": 2},
    )
    teaching = sheet(
        "任课",
        ["教师", "学科", "年级", "班级"],
        [[t.teacher, t.subject, grade_name(t.grade), f"{t.number}班"] for t in filled.teaching],
        [12, 10, 10, 16],
    )
    teaching.write_comment(
        "D1", "一个或几个班，如 1班、2班；留空表示该年级所有班。", {"x_scale": 2}
    )
    sheet(
        "名单",
        ["年级", "班级", "学号", "姓名"],
        [
            [grade_name(r.grade), class_name(r.grade, r.number), r.student_id, r.name]
            for r in filled.roster
        ],
        [10, 10, 14, 12],
    )
    lekao = sheet(
        "乐考项目",
        ["年级", "项目", "学科", "记分方式"],
        [
            [grade_name(s.grade), s.name, s.subject, s.scoring]
            for s in filled.lekao_stations or DEFAULT_LEKAO_STATIONS
        ],
        [10, 16, 10, 10],
    )
    lekao.write_comment("C1", "项目所属学科；不属于某一学科的填 综合。", {"x_scale": 1.5})
    lekao.write_comment(
        "D1",
        "等级（优秀…待合格）、星级（★★★…★）或 过关（过关/未过关）；留空为等级。",
        {"x_scale": 2},
    )
    w = defaults.weights
    sheet(
        "参数",
        ["项目", "值", "说明"],
        [
            [
                "综合分权重-平均分",
                w[0],
                "综合分 = 平均分/满分×100×权重 + 及格率×100×权重 + 优秀率×100×权重",
            ],
            ["综合分权重-及格率", w[1], ""],
            ["综合分权重-优秀率", w[2], ""],
            ["临界分差", defaults.critical_margin, "低于及格线/优秀线多少分以内算临界生"],
            ["排名方式", "RANK.EQ", "RANK.EQ（1,2,2,4）或 中国式（1,2,2,3）"],
            [
                "学生排名",
                "",
                "不排名 / 内部 / 排名；空着：一至九年级不排名，高中排名。"
                "可按年级另设，如“学生排名-高一”",
            ],
            ["班级排名", "是", "是：班级汇总中按综合分给出各班名次；否：不排班级名次"],
            ["反馈告知分数", "否", "是：个人学情反馈单在等级旁写出分数；否：只写等级"],
            ["反馈班级参考", "否", "是：反馈单附本班各科各等级的人数（不含其他学生的成绩）"],
            [
                "等级写法-优秀",
                "",
                "成绩表里等级的本校写法，用顿号隔开，如“甲、A+”；优/良/及格/待提高、A–D、"
                "★★★–★ 不用填。也可设 等级写法-良好、等级写法-合格、等级写法-待合格",
            ],
            ["缺考计零", "否", "是：缺考按 0 分计入；否：缺考不计入平均分和各率"],
            [
                "合规提示",
                "是" if defaults.exam_rule_notes else "否",
                "是：一学期的考试次数或跨校考试超出日常考试管理规定时给出提示（不影响分析）",
            ],
            ["分数段宽度", defaults.band_width, "分数段每段的分数"],
            ["关爱学生比例", defaults.bottom_share, "每班每科后百分之多少的学生"],
            ["听课节数要求", defaults.observation_quota, "每位教师每学期应听课的节数"],
            *(
                [
                    f"听评课满分-{name}",
                    mark,
                    remarks.get(f"听评课满分-{name}")
                    or ("听评课“三看”每项的满分" if k == 0 else ""),
                ]
                for k, (name, mark) in enumerate(defaults.observation_marks.items())
            ),
            *(
                [
                    f"作业时长上限-{grade_name(g)}",
                    minutes,
                    "书面作业日均时长上限（分钟）；0 表示不布置书面作业" if g == 1 else "",
                ]
                for g, minutes in DEFAULT_HOMEWORK_MINUTES.items()
            ),
            [
                "作业检查预警分",
                defaults.homework_alert_score,
                "作业检查得分低于此分的教师列入需关注",
            ],
            ["整改超期天数", defaults.follow_up_days, "整改未完成超过多少天算超期"],
            [
                "知识点预警得分率",
                defaults.weak_point_line,
                "小题分分析中，班级知识点得分率低于此值列入建议薄弱点台账（如 0.6 即 60%）",
            ],
            [
                "知识点低于年级",
                defaults.weak_point_gap,
                "班级知识点得分率比年级低这么多（如 0.1 即 10 个百分点）也列入建议台账",
            ],
            [
                "变化提示线-平均分",
                defaults.change_score,
                "报告文字中，平均分变化至少这么多分才写为提高或下降，否则为基本持平",
            ],
            [
                "变化提示线-百分点",
                defaults.change_points,
                "报告文字中，优秀率、及格率变化至少这么多个百分点才写为提高或下降",
            ],
            [
                "乐考等级线-优秀",
                defaults.lekao_excellent,
                "乐考学科总评：各项目等级折为 优秀 4、良好 3、合格 2、待合格 1 取平均，"
                "达到此线为优秀（折分只用于评定，不呈现）",
            ],
            ["乐考等级线-良好", defaults.lekao_good, "达到此线为良好"],
            ["乐考等级线-合格", defaults.lekao_pass, "达到此线为合格，其余为待合格"],
        ],
        [18, 12, 70],
    )
    workbook.close()


def _lines(lines: Lines) -> list[object]:
    """A subject's lines as the config shows them: blank where they are the default."""
    default = Lines()
    return [
        "" if getattr(lines, name) == getattr(default, name) else getattr(lines, name)
        for name in ("excellent", "good", "passing", "low")
    ]
