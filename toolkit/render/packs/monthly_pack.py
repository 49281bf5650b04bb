"""The monthly 学情研判 pack on disk: per grade a workbook, PNG charts and a slide deck, plus the
school's overview workbook.

``输出/`` ├ 全校学情研判.xlsx ├ 四年级学情研判.xlsx ├ 四年级学情研判.pptx └ 图表/四年级01_….png
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.pack.definitions import MONTHLY_DEFINITIONS
from toolkit.pack.monthly import GradeMonth, MonthlyPack
from toolkit.render.packs.pack_book import check_targets, source_definitions, write_pack_book
from toolkit.render.packs.panel_figures import write_panel_pngs
from toolkit.render.xlsx.report_book import ReportBook

CHART_FOLDER = "图表"
SCHOOL_BOOK = "全校学情研判.xlsx"


def pack_paths(pack: MonthlyPack, out_dir: Path) -> list[Path]:
    """The workbooks and decks the pack writes (charts go under 图表/)."""
    paths = [out_dir / SCHOOL_BOOK]
    for grade in pack.grades:
        paths += [out_dir / f"{grade.name}学情研判.xlsx", out_dir / f"{grade.name}学情研判.pptx"]
    return paths


def write_monthly_pack(pack: MonthlyPack, out_dir: Path) -> list[Path]:
    """Write the whole pack; returns every file written, workbooks and decks first."""
    targets = pack_paths(pack, out_dir)
    check_targets(pack.data, targets)
    written = [_write_book(pack, out_dir / SCHOOL_BOOK, None)]
    charts: list[Path] = []
    for grade in pack.grades:
        pngs = write_panel_pngs(grade.panels, out_dir / CHART_FOLDER, grade.name)
        charts += pngs
        written.append(_write_book(pack, out_dir / f"{grade.name}学情研判.xlsx", grade))
        written.append(_write_deck(pack, grade, pngs, out_dir / f"{grade.name}学情研判.pptx"))
    return written + charts


def _write_book(pack: MonthlyPack, target: Path, grade: GradeMonth | None) -> Path:
    def build(book: ReportBook) -> None:
        if grade is None:
            book.overview(
                "概览",
                "各年级",
                [p.block for p in pack.school_panels],
                note=_exam_note(pack),
            )
            for each in pack.grades:
                book.table(
                    f"{each.name}需关注", _attention_frame(each), heading=f"{each.name}需关注"
                )
        else:
            book.overview("概览", "概览", [p.block for p in grade.panels], _exam_note(pack))
            book.table("需关注", _attention_frame(grade), heading="需关注")
            for name, frame in grade.details:
                book.table(name, frame, heading=name)

    title = pack.title if grade is None else pack.grade_title(grade)
    return write_pack_book(target, pack.data, title, build, definitions(pack))


def _exam_note(pack: MonthlyPack) -> str:
    if pack.exam is None:
        return f"{pack.period.label}：本月及以前没有考试成绩。"
    versus = f"，对比{pack.previous.name}" if pack.previous else "（没有更早的考试可对比）"
    return f"{pack.period.label}；成绩为本月及以前最近一次考试：{pack.exam.name}{versus}。"


def _attention_frame(grade: GradeMonth) -> pd.DataFrame:
    rows = [(heading, item) for heading, items in grade.attention for item in (items or ["无"])]
    return pd.DataFrame(rows, columns=["类别", "事项"])


def _write_deck(pack: MonthlyPack, grade: GradeMonth, pngs: list[Path], target: Path) -> Path:
    from toolkit.render.documents.slides import Deck

    school = pack.data.config.school
    subtitle = " · ".join(p for p in (pack.period.label, school) if p)
    deck = Deck(f"{grade.name}学情研判", subtitle, date=pack.period.reference)
    for panel, png in zip(grade.panels, pngs, strict=True):
        deck.chart_slide(panel.heading, png, panel.finding)
    deck.list_slide("需关注", grade.attention)
    return deck.save(target)


def definitions(pack: MonthlyPack) -> list[tuple[str, str, str]]:
    config = pack.data.config
    return [
        *source_definitions(pack.data),
        *MONTHLY_DEFINITIONS.sheet_rows(
            {
                "统计月份": pack.period.label,
                "考试": _exam_note(pack),
                "整改未完成、超期": f"整改期限 {config.follow_up_days:g} 天",
                "薄弱点 新增、销号、逾期": f"截至 {pack.period.reference:%Y-%m-%d}",
                "需关注": f"作业检查预警分 {config.homework_alert_score:g}；变化提示线 "
                f"{config.change_points:g} 个百分点",
            }
        ),
    ]
