"""The term-end quality analysis on disk: ``期末质量分析.xlsx`` (overview, one sheet per grade,
teachers), one Word report per grade in the structure a school submits, and the PNG charts the
reports embed. PDFs of the reports come from LibreOffice when asked for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.lekao.book import COUNT_ROLES, levels_chart
from toolkit.pack.definitions import TERM_DEFINITIONS
from toolkit.pack.lekao import LekaoGrade
from toolkit.pack.term import GradeTerm, TermAnalysis, moves_title
from toolkit.present import GRADE_LABEL, Block, ChartSpec
from toolkit.render.packs.pack_book import (
    check_targets,
    row_totals,
    source_definitions,
    write_pack_book,
)
from toolkit.render.packs.panel_figures import write_panel_pngs
from toolkit.render.xlsx.report_book import ReportBook

CHART_FOLDER = "图表"
RANK_NOTE = "名次变化 = 上次名次 − 本次名次，正数为进步"
CHANGE_ROLES = {
    "平均分变化": "signed",
    "优秀率变化": "signed_percent",
    "及格率变化": "signed_percent",
    "超均率变化": "signed_percent",
    "名次变化": "signed_int",
    "超均率": "signed_percent",
}
# How the Word tables print each kind of number (the same precision as the workbook).
WORD_FORMATS = {
    "平均分": "{:.2f}",
    "最高分": "{:g}",
    "最低分": "{:g}",
    "综合分": "{:.2f}",
    "名次": "{:.0f}",
    "优秀率": "{:.1%}",
    "及格率": "{:.1%}",
    "低分率": "{:.1%}",
    "超均率": "{:+.1%}",
    "平均分变化": "{:+.2f}",
    "优秀率变化": "{:+.1%}",
    "及格率变化": "{:+.1%}",
    "超均率变化": "{:+.1%}",
    "名次变化": "{:+.0f}",
    "作业平均得分": "{:.2f}",
    "听课平均总分": "{:.2f}",
    "得分率": "{:.1%}",
    "难度": "{:.2f}",
    "区分度": "{:.2f}",
}
# An A4 portrait page holds about ten columns; the workbook keeps the rest.
WORD_CLASS_COLUMNS = [
    "班级", "实考人数", "平均分", "优秀率", "及格率", "低分率", "超均率", "名次", "拟合格", "拟优",
]  # fmt: skip
WORD_TEACHER_COLUMNS = [
    "教师", "学科", "班级", "平均分", "优秀率", "及格率", "平均分变化", "作业平均得分",
    "听课平均总分",
]  # fmt: skip


def workbook_name(analysis: TermAnalysis) -> str:
    """``期末质量分析.xlsx`` (``期中质量分析.xlsx`` for --exam 期中)."""
    return f"{analysis.exam.name}质量分析.xlsx"


def report_name(analysis: TermAnalysis, grade: GradeTerm) -> str:
    return f"{grade.name}{analysis.exam.name}质量分析报告.docx"


def term_paths(analysis: TermAnalysis, out_dir: Path) -> list[Path]:
    return [
        out_dir / workbook_name(analysis),
        *(out_dir / report_name(analysis, g) for g in analysis.grades),
    ]


def write_term_pack(analysis: TermAnalysis, out_dir: Path) -> list[Path]:
    """Write the workbook, the charts and each grade's Word report; returns every file written,
    the workbook and reports first."""
    check_targets(analysis.data, term_paths(analysis, out_dir))
    written = [_write_workbook(analysis, out_dir / workbook_name(analysis))]
    charts: list[Path] = []
    for grade in analysis.grades:
        pngs = write_panel_pngs(grade.panels, out_dir / CHART_FOLDER, grade.name)
        charts += pngs
        written.append(_write_report(analysis, grade, pngs, out_dir / report_name(analysis, grade)))
    return written + charts


# --------------------------------------------------------------------------- the workbook


def _write_workbook(analysis: TermAnalysis, target: Path) -> Path:
    def build(book: ReportBook) -> None:
        overview = analysis.overview
        means = overview.pivot_table(index="学科", columns="年级", values="平均分", sort=False)
        means = means.reindex(columns=list(dict.fromkeys(overview["年级"]))).reset_index()
        book.overview(
            "概览",
            "各年级各科",
            [
                Block(
                    "各年级各科平均分",
                    means,
                    ChartSpec("column", "各年级各科平均分", y_title="平均分"),
                    roles={c: "decimal" for c in means.columns[1:]},
                ),
                Block("各年级各科成绩", overview, roles=CHANGE_ROLES),
                Block("行数核对", row_totals(analysis.data)),
            ],
            note=_versus(analysis),
        )
        for grade in analysis.grades:
            book.overview(grade.name, grade.name, _grade_blocks(grade), note=_versus(analysis))
        if analysis.lekao:  # grades 1–2: no paper test, their 乐考 in levels
            book.overview("乐考", "一、二年级乐考", _lekao_blocks(analysis.lekao), note=LEKAO_NOTE)
        teachers = [g.teachers for g in analysis.grades if len(g.teachers)]
        if teachers:  # only with the config's 任课 sheet
            book.table("教师", pd.concat(teachers), heading="教师任教班级情况", roles=CHANGE_ROLES)

    return write_pack_book(target, analysis.data, analysis.title, build, definitions(analysis))


LEKAO_NOTE = "一、二年级不进行纸笔考试；乐考按等级评价，只列等级和人数，不排名。"


def _lekao_blocks(grades: list[LekaoGrade]) -> list[Block]:
    blocks = []
    for grade in grades:
        blocks.append(
            Block(
                f"{grade.name}各学科总评等级",
                grade.subjects,
                levels_chart(f"{grade.name}乐考各学科总评等级分布"),
                roles=COUNT_ROLES,
                note=grade.sentence,
            )
        )
        if len(grade.weakest):
            heading = f"{grade.name}待合格人数较多的项目"
            blocks.append(Block(heading, grade.weakest, roles=COUNT_ROLES))
    return blocks


def _versus(analysis: TermAnalysis) -> str:
    if analysis.previous is None:
        return f"{analysis.exam.name}（没有更早的考试可对比）"
    return f"{analysis.exam.name}，对比{analysis.previous.name}"


def _grade_blocks(grade: GradeTerm) -> list[Block]:
    blocks = [p.block for p in grade.panels]
    for subject in grade.subjects:
        blocks.append(Block(f"{subject.subject}：各班成绩", subject.table, roles=CHANGE_ROLES))
        if subject.changes is not None:
            blocks.append(
                Block(
                    f"{subject.subject}：较上次变化",
                    subject.changes,
                    roles=CHANGE_ROLES,
                    note=RANK_NOTE,
                )
            )
    if grade.moves is not None:
        blocks.append(Block(moves_title(grade.moves), grade.moves))
    if grade.items is not None:
        blocks.append(Block("试题难度与区分度", grade.items))
    if len(grade.teachers):
        blocks.append(Block("教师任教班级", grade.teachers, roles=CHANGE_ROLES))
    return blocks


# --------------------------------------------------------------------------- the Word report


def _write_report(analysis: TermAnalysis, grade: GradeTerm, pngs: list[Path], target: Path) -> Path:
    from toolkit.render.documents.word_doc import ReportDocument

    config = analysis.data.config
    charts = {p.name: png for p, png in zip(grade.panels, pngs, strict=True)}
    subtitle = " · ".join(x for x in (config.school, config.term_label) if x)
    doc = ReportDocument(
        f"{grade.name}{analysis.exam.name}质量分析报告", subtitle, date=analysis.as_of
    )
    doc.heading("一、基本情况", 1)
    for line in grade.basics:
        doc.paragraph(line)
    doc.heading("二、成绩分析", 1)
    for number, subject in enumerate(grade.subjects, start=1):
        doc.heading(f"（{_chinese_number(number)}）{subject.subject}", 2)
        doc.paragraph(subject.paragraph)
        table = subject.table[WORD_CLASS_COLUMNS]
        doc.table(table, formats=WORD_FORMATS, emphasis=_grade_rows(table))
    for name in ("平均分", "及格率"):
        if name in charts:
            doc.picture(charts[name], caption=_caption(grade, name))
    if grade.points is not None:
        # Numbered on after the subjects: (一)(二)(三)(四), never a heading out of the sequence.
        doc.heading(f"（{_chinese_number(len(grade.subjects) + 1)}）试题与知识点分析", 2)
        weakest = [p for p in grade.panels if p.name.endswith("知识点得分率")]
        for panel in weakest:
            doc.paragraph(panel.finding)
        doc.table(
            grade.points,
            formats={c: "{:.1%}" for c in grade.points.columns[3:]},
            emphasis=[False] * len(grade.points),
        )
        for panel in weakest:
            doc.picture(charts[panel.name], caption=panel.heading)
    doc.heading("三、对比分析", 1)
    if grade.comparison:
        for line in grade.comparison:
            doc.paragraph(line)
        for subject in grade.subjects:
            if subject.changes is not None:
                doc.paragraph(f"{subject.subject}各班变化（{RANK_NOTE}）：", lead="")
                doc.table(
                    subject.changes,
                    formats=WORD_FORMATS,
                    emphasis=_grade_rows(subject.changes),
                )
        if grade.moves is not None:
            doc.paragraph(f"{moves_title(grade.moves)}的学生人数：")
            doc.table(grade.moves, emphasis=_grade_rows(grade.moves))
        if "平均分变化" in charts:
            doc.picture(charts["平均分变化"], caption=_caption(grade, "平均分变化"))
    else:
        doc.paragraph("本学期没有更早的考试成绩，不作对比。")
    doc.heading("四、存在问题", 1)
    doc.bullets(grade.problems)
    doc.heading("五、改进措施", 1)
    doc.bullets(grade.measures)
    if len(grade.teachers):
        doc.heading("附：教师任教班级情况", 1)
        columns = [c for c in WORD_TEACHER_COLUMNS if c in grade.teachers.columns]
        doc.table(grade.teachers[columns], formats=WORD_FORMATS)
    doc.heading("附：口径说明", 1)
    terms = pd.DataFrame(_term_definitions(analysis), columns=["指标", "口径（定义）", "本次取值"])
    doc.table(terms, font_size=8)
    doc.paragraph(
        f"（本报告由 xueqing 根据成绩和常规检查数据自动起草，数字与《{workbook_name(analysis)}》"
        "一致，"
        "请结合实际修改。）"
    )
    return doc.save(target)


def _caption(grade: GradeTerm, name: str) -> str:
    panel = next(p for p in grade.panels if p.name == name)
    return f"图：{panel.chart.title}"


def _grade_rows(frame: pd.DataFrame) -> list[bool]:
    return [str(v) == GRADE_LABEL for v in frame.iloc[:, 0]]


def definitions(analysis: TermAnalysis) -> list[tuple[str, str, str]]:
    """The workbook's 口径说明: where the data came from, then the term's definitions."""
    return [*source_definitions(analysis.data), *_term_definitions(analysis)]


def _term_definitions(analysis: TermAnalysis) -> list[tuple[str, str, str]]:
    """The term's 口径 with this run's values: the workbook's 口径说明 and the Word report's
    appendix, from the one table (pack/definitions.py)."""
    config = analysis.data.config
    weights = "、".join(f"{w:g}" for w in config.weights)
    return TERM_DEFINITIONS.sheet_rows(
        {
            "考试": _versus(analysis),
            "综合分": f"权重 {weights}",
            "名次": "中国式排名" if config.dense_rank else "RANK.EQ",
            "拟合格、拟优": f"{config.critical_margin:g} 分",
            "报告文字中的变化": f"{config.change_score:g} 分；{config.change_points:g} 个百分点"
            "（学校配置“变化提示线”）",
            "知识点得分率": f"低于 {config.weak_point_line:.0%}，或班级低于年级 "
            f"{config.weak_point_gap * 100:g} 个百分点的列为问题",
            "本学期常规检查": f"截至 {analysis.as_of:%Y-%m-%d}",
        }
    )


def to_pdf(paths: list[Path], out_dir: Path) -> list[Path]:
    """PDFs of the Word reports (LibreOffice); raises PdfError with a Chinese message."""
    from toolkit.render.documents.pdf import convert_to_pdf

    return convert_to_pdf([p for p in paths if p.suffix == ".docx"], out_dir)


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (headings (一)(二)…; a grade has few subjects)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"
