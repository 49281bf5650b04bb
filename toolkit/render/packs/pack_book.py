"""What every pack workbook shares: the found-files sheet, the row count check, and the rule
that no output is written over an input file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from toolkit.pack.collect import REPORT
from toolkit.pack.load import TermData
from toolkit.render.output import check_target, write_atomically
from toolkit.render.xlsx.report_book import ReportBook

FOUND_SHEET = "识别结果"


def check_targets(data: TermData, targets: list[Path]) -> None:
    """Refuse to write over any input (our own earlier reports among them may be replaced)."""
    inputs = [f.file.path for f in data.found.files if f.kind != REPORT]
    for target in targets:
        check_target(target, inputs)


def write_pack_book(
    target: Path,
    data: TermData,
    title: str,
    build: Callable[[ReportBook], None],
    definitions: list[tuple[str, str, str]],
) -> Path:
    """A pack workbook: ``build(book)``'s sheets, then 识别结果, 数据问题 and 口径说明."""

    def write(path: Path) -> None:
        book = ReportBook(path, title)
        build(book)
        found_sheet(book, data)
        book.close(data.problems, definitions)

    return write_atomically(target, write)


def found_sheet(book: ReportBook, data: TermData) -> None:
    book.table(
        FOUND_SHEET,
        data.found.table(),
        heading="识别结果（每个文件被识别为哪类表、哪次考试，读到的班级和记录数）",
        roles={"记录": "int"},
    )


def row_totals(data: TermData) -> pd.DataFrame:
    """Per kind: rows read, counted and skipped (errors, summary rows) — they must add up."""
    rows = [(name, t["读取"], t["计入"], t["跳过"]) for name, t in data.row_totals()]
    return pd.DataFrame(rows, columns=["数据", "读取行数", "计入行数", "跳过行数"])


def source_definitions(data: TermData) -> list[tuple[str, str, str]]:
    """The 数据来源 and 行数核对 rows of a pack's 口径说明."""
    totals = row_totals(data)
    used = sum(1 for f in data.found.files if f.kind not in ("", REPORT) and f.records)
    config = data.config.source or "未提供（使用默认值）"
    checks = "；".join(
        f"{r.数据} 读取 {r.读取行数}，计入 {r.计入行数}，跳过 {r.跳过行数}"
        for r in totals.itertuples(index=False)
    )
    return [
        (
            "数据来源",
            "文件夹中识别出的文件（见“识别结果”）；无法读取或无法识别的文件列入“数据问题”",
            f"{len(data.found.files)} 个文件，其中 {used} 个有数据；学校配置：{config}",
        ),
        ("行数核对", "读取的数据行 = 计入 + 跳过（汇总行、有错误的行，见“数据问题”）", checks),
        (
            "有错误的数据",
            "有错误的行（或成绩中无效的单元格）不计入，其余照常统计，错误逐条列入“数据问题”",
            "",
        ),
    ]
