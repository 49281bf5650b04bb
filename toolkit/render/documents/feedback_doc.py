"""个人学情反馈单 (python-docx): a class's slips, one A4 page per student, and the class's
workbook beside it (one row per student, for sending one by one through a home-school app).

A page holds one student's own results only: levels per subject (the score where the school
tells scores), the knowledge points mastered and to work on with the drafted suggestion, the
teacher's 评语 or a box to write it in, and a line for the parent's signature. No rank, no
total, no other student's result; the class reference, when the config asks for it, is counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Pt

from toolkit.feedback.slips import TITLE, ClassSlips, FeedbackSlips, PointRate, Slip, percent
from toolkit.render.documents.word_doc import (
    BODY_SIZE,
    CAPTION_SIZE,
    HEADER_FILL,
    HEADING_FONT,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    ReportDocument,
    _add_run,
    _shade,
)
from toolkit.render.output import check_target, stamp_properties

if TYPE_CHECKING:
    from toolkit.items.read import ItemRecords
    from toolkit.items.report import ItemReport
    from toolkit.scores.report import ScoreReport

MARGIN_VERTICAL = Cm(2.0)  # a slip is one page: a little more room than a report's 2.5 cm
POINTS_SHOWN = 6  # per list on a page; the workbook lists every point
COMMENT_HEIGHT = Cm(4.0)
# A student the item scores do not list, and one they list with nothing to count (every item
# 缺考 or blank): the second sat no part of the paper that could be told, not "no record".
NOT_LISTED = "本次小题分中没有该生的记录。"
NO_POINTS = "本次小题分中该生没有可计的得分（各题缺考或未填），不统计知识点掌握情况。"
PRIVATE_NOTE = "本反馈单只告知学生本人和家长，请妥善保管，不转发、不公开。"


class SlipDocument(ReportDocument):
    """A class's slips: the report's page, fonts and tables, a page per student."""

    def __init__(self, title: str, *, date: dt.date | None = None) -> None:
        # No report title: each page carries its own.
        self._doc = Document()
        self._setup_page()
        self._setup_styles()
        section = self._doc.sections[0]
        section.top_margin = section.bottom_margin = MARGIN_VERTICAL
        stamp_properties(self._doc.core_properties, title, date)
        self._pages = 0

    def slip(self, slips: ClassSlips, slip: Slip) -> None:
        """One student's page."""
        doc = self._doc
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.page_break_before = self._pages > 0
        title.paragraph_format.space_after = Pt(4)
        _add_run(title, TITLE, font=HEADING_FONT, size=TITLE_SIZE)
        self._pages += 1
        about = "　".join(part for part in (slip.school, slips.term, slips.exam) if part)
        if about:
            line = doc.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.paragraph_format.space_after = Pt(10)
            _add_run(line, about, size=SUBTITLE_SIZE)
        who = doc.add_paragraph()
        who.paragraph_format.space_after = Pt(6)
        _add_run(who, "班级：", size=SUBTITLE_SIZE, bold=True)
        _add_run(who, f"{slip.class_label}　　　　", size=SUBTITLE_SIZE)
        _add_run(who, "姓名：", size=SUBTITLE_SIZE, bold=True)
        _add_run(who, slip.name, size=SUBTITLE_SIZE)

        self._section(
            "一、各科等级" if slips.row_label == "学科" else f"一、各{slips.row_label}等级"
        )
        self.table(_levels_frame(slips, slip), formats={"分数": "{:g}"}, font_size=BODY_SIZE)

        number = iter("二三四五")
        if slips.has_items:
            self._section(f"{next(number)}、知识点掌握情况")
            self._points(slip)
        self._section(f"{next(number)}、教师评语")
        self._box(slip.comment, COMMENT_HEIGHT)
        self._section(f"{next(number)}、家长回执")
        self._line("家长意见：", "＿" * 30)
        self._line("家长签名：", "＿" * 10 + "　　　日期：＿＿＿＿年＿＿月＿＿日")
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        note.paragraph_format.space_before = Pt(8)
        _add_run(note, PRIVATE_NOTE, size=CAPTION_SIZE)

    def _section(self, text: str) -> None:
        paragraph = self._doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.space_after = Pt(4)
        paragraph.paragraph_format.keep_with_next = True
        _add_run(paragraph, text, font=HEADING_FONT, size=SUBTITLE_SIZE)

    def _line(self, lead: str, text: str) -> None:
        paragraph = self._doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(4)
        _add_run(paragraph, lead, bold=True)
        _add_run(paragraph, text)

    def _points(self, slip: Slip) -> None:
        """掌握较好 | 需要加强 side by side, then the drafted suggestion."""
        if not slip.has_items:
            self._plain(NO_POINTS if slip.items_listed else NOT_LISTED)
            return
        table = self._doc.add_table(rows=2, cols=2)
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        heads = ("掌握较好（本人得分率 ≥80%）", "需要加强（本人得分率 <60%）")
        lists = (slip.mastered, slip.to_work_on)
        for c, (head, points) in enumerate(zip(heads, lists, strict=True)):
            cell = table.cell(0, c)
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_run(cell.paragraphs[0], head, bold=True)
            body = table.cell(1, c)
            lines = _point_lines(points)
            _add_run(body.paragraphs[0], lines[0])
            for text in lines[1:]:
                _add_run(body.add_paragraph(), text)
        for column in table.columns:
            for cell in column.cells:
                cell.width = Cm(8.3)
        paragraph = self._doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(2)
        _add_run(paragraph, "学习建议：", bold=True)
        _add_run(paragraph, slip.suggestion)

    def _plain(self, text: str) -> None:
        _add_run(self._doc.add_paragraph(), text)

    def _box(self, text: str, height: Length) -> None:
        """A bordered box: the 评语 as typed, or blank to write in by hand."""
        table = self._doc.add_table(rows=1, cols=1)
        table.style = self._doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        row = table.rows[0]
        row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.AT_LEAST
        cell = row.cells[0]
        cell.width = Cm(16.6)
        _add_run(cell.paragraphs[0], text)


def _levels_frame(slips: ClassSlips, slip: Slip) -> pd.DataFrame:
    rows = []
    reference = {r.item: r.text() for r in slips.reference or []}
    for row in slip.rows:
        shown: dict[str, object] = {slips.row_label: row.item, "等级": row.level or "—"}
        if slips.show_scores:
            shown["分数"] = row.score
        if slips.reference is not None:
            shown["本班参考（人数）"] = reference.get(row.item, "")
        rows.append(shown)
    columns = [slips.row_label, "等级"]
    columns += ["分数"] if slips.show_scores else []
    columns += ["本班参考（人数）"] if slips.reference is not None else []
    return pd.DataFrame(rows, columns=columns)


def _point_lines(points: Sequence[PointRate]) -> list[str]:
    if not points:
        return ["（无）"]
    several = len({p.subject for p in points}) > 1
    lines = [
        f"{p.subject + ' ' if several else ''}{p.point}　{percent(p.rate)}"
        for p in points[:POINTS_SHOWN]
    ]
    if len(points) > POINTS_SHOWN:
        lines.append(f"……共 {len(points)} 个（见班级工作簿）")
    return lines


def write_slip_document(slips: ClassSlips, target: Path, *, date: dt.date | None = None) -> Path:
    """Write a class's slips (a page per student) to ``target`` atomically."""
    document = SlipDocument(f"{slips.class_label}{slips.exam}{TITLE}", date=date)
    for slip in slips.slips:
        document.slip(slips, slip)
    return document.save(target)


def write_slips(
    slips: FeedbackSlips,
    out_dir: Path,
    *,
    inputs: Iterable[Path] = (),
    definitions: Sequence[tuple[str, str, str]] = (),
    date: dt.date | None = None,
) -> list[Path]:
    """Per class, ``<年级><班>_个人学情反馈单.docx`` and ``.xlsx`` in ``out_dir``; every target is
    checked against the inputs before any is written. Returns the files written."""
    from toolkit.render.workbooks.feedback_workbook import write_slip_workbook

    inputs = list(inputs)
    targets = [
        (c, out_dir / f"{c.file_stem}.docx", out_dir / f"{c.file_stem}.xlsx") for c in slips.classes
    ]
    for _, document, workbook in targets:
        check_target(document, inputs)
        check_target(workbook, inputs)
    written: list[Path] = []
    for class_slips, document, workbook in targets:
        written.append(write_slip_document(class_slips, document, date=date))
        written.append(write_slip_workbook(class_slips, workbook, definitions))
    return written


def write_feedback(
    report: ScoreReport,
    items: ItemRecords | ItemReport | None,
    out_dir: Path,
    *,
    classes: Iterable[tuple[int, int]] | None = None,
    date: dt.date | None = None,
) -> list[Path]:
    """The slips of a score report's exam for every class (or ``classes``: (年级, 班级) pairs),
    with the item scores of the same exam (records or a report) when there are any: what the
    demo calls. Returns the files written (a .docx and a .xlsx per class)."""
    from toolkit.feedback.load import slips_of
    from toolkit.reading.workbook import is_report

    records = getattr(items, "records", items)
    slips = slips_of(report, records, classes)
    inputs = [f.path for f in report.files if not is_report(report.problems, f)]
    # An item report's files are InputFiles; item records name theirs only for display.
    inputs += [f.path for f in getattr(items, "files", None) or [] if hasattr(f, "path")]
    return write_slips(
        slips, Path(out_dir), inputs=inputs, definitions=slip_definitions(report), date=date
    )


def slip_definitions(
    report: ScoreReport, totals: dict[str, int] | None = None, files: int | None = None
) -> list[tuple[str, str, str]]:
    """The 口径说明 rows of the slips' workbooks, with this run's values."""
    from toolkit.base.rows import rows_checked
    from toolkit.feedback.definitions import FEEDBACK_DEFINITIONS

    config = report.config
    source = config.source or "未提供（使用默认值）"
    count = len(report.files) if files is None else files
    return FEEDBACK_DEFINITIONS.sheet_rows(
        {
            "数据来源": f"{count} 个文件；学校配置：{source}",
            "行数核对": rows_checked(totals or report.row_totals()),
            "分数": "是" if config.feedback_scores else "否",
            "班级参考": "是" if config.feedback_class_reference else "否",
        }
    )
