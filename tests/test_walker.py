"""The one row walk every reader drives (``toolkit/reading/walker.py``): each non-empty row is a
record handed on, or a skipped row with its reason, or layout; read = counted + skipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.reading.discover import InputFile
from toolkit.reading.walker import TableRows, summary_label, walk_rows
from toolkit.reading.workbook import Sheet

HEADER = ["序号", "姓名", "语文", "数学"]


@dataclass
class Tally:
    rows_read: int = 0
    rows_skipped: int = 0


def sheet(rows: list[list[object]], merged: list = ()) -> Sheet:  # type: ignore[type-arg]
    return Sheet(InputFile(Path("x.xlsx"), "x.xlsx"), "Sheet1", rows, list(merged))


def walk(
    rows: list[list[object]], merged: list = ()
) -> tuple[list[int], Tally, ProblemReport, int | None]:  # type: ignore[type-arg]
    read: list[int] = []
    tally, report = Tally(), ProblemReport()
    table = TableRows(
        sheet([HEADER, *rows], merged),
        start=1,
        columns=[0, 1, 2, 3],
        label_cols=range(0, 3),
        anchor_col=1,
        data_cols=[2, 3],
    )
    stop = walk_rows(
        table,
        starts_table=lambda row: row[1] == "姓名",
        next_table_at=lambda r: (
            r + 1 < len(table.sheet.rows) and table.sheet.rows[r + 1][1] == "姓名"
        ),
        read_row=lambda r, _row: read.append(r),
        tally=tally,
        report=report,
    )
    return read, tally, report, stop


def test_each_kind_of_row() -> None:
    rows: list[list[object]] = [
        [1, "王一", 90, 80],  # a student
        ["", "", "", ""],  # layout
        [2, "平均分", 85, 70],  # a summary row
        [3, "赋分", 88, ""],  # a line of the student above
        [4, "", 70, 60],  # values without a name: an error
        ["制表人：李老师", "", "", ""],  # a footnote
        [5, "李二", "缺考", 75],  # a student
    ]
    read, tally, report, stop = walk(rows)
    assert read == [1, 7] and stop is None
    assert [(p.code, p.cell) for p in report] == [
        ("row.summary", "B4"),
        ("row.sub_row", "B5"),
        ("row.no_name", "B6"),
        ("row.stray", "A7"),
    ]
    assert tally.rows_read == 6 and tally.rows_skipped == 4


def test_a_class_title_before_another_header_ends_the_table() -> None:
    rows: list[list[object]] = [
        [1, "王一", 90, 80],
        ["四(2)班", "", "", ""],
        HEADER,
        [1, "张三", 1, 2],
    ]
    read, tally, report, stop = walk(rows)
    assert read == [1] and stop == 2 and tally.rows_read == 1 and len(report) == 0


def test_a_class_title_with_no_table_after_it_is_a_note_and_reading_goes_on() -> None:
    rows: list[list[object]] = [
        [1, "王一", 90, 80],
        ["四(2)班 班主任签字", "", "", ""],
        [2, "张三", 1, 2],
    ]
    read, tally, report, stop = walk(rows)
    assert read == [1, 3] and stop is None
    assert [p.code for p in report] == ["row.stray"] and tally.rows_skipped == 1


def test_second_line_of_a_merged_name_is_layout() -> None:
    # 序号 merged down two rows (filled into both, as a block column is) beside a name merged
    # over the same rows (left in its first row only, so as not to make two students).
    rows: list[list[object]] = [[1, "王一", 90, 80], [1, "", "", ""]]
    read, tally, report, _ = walk(rows, merged=[((1, 0), (2, 0)), ((1, 1), (2, 1))])
    assert read == [1] and tally.rows_read == 1 and len(report) == 0


def test_summary_label_reads_only_text() -> None:
    assert summary_label(["", "全班平均分", 3], range(0, 3)) == "全班平均分"
    assert summary_label([2026, 3.5, "王小明"], range(0, 3)) is None


@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "王一", "平均分", "赋分", 90, "缺考", "注："]),
            min_size=4,
            max_size=4,
        ),
        max_size=12,
    )
)
def test_read_is_counted_plus_skipped(rows: list[list[object]]) -> None:
    """Every row the walk counts as read is handed on or skipped with a problem (a property)."""
    read, tally, report, _ = walk(rows)
    assert tally.rows_read == len(read) + tally.rows_skipped
    assert tally.rows_skipped == len(report)


def test_item_sheet_footnote_is_a_note_and_a_repeated_header_is_skipped(tmp_path: Path) -> None:
    """An item-score sheet (小题分) walks the same rows: 阅卷人 under the table is a note, not a
    nameless student; a header line repeated for printing is no student."""
    import xlsxwriter

    from toolkit.items.read import read_item_files

    path = tmp_path / "四年级数学小题分.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("四(1)班")
    ws.write_row(0, 0, ["姓名", "1", "2", "3"])
    ws.write_row(1, 0, ["满分", 5, 5, 10])
    ws.write_row(2, 0, ["王一", 5, 3, 8])
    ws.write_row(3, 0, ["姓名", "1", "2", "3"])
    ws.write_row(4, 0, ["李二", 4, 5, 6])
    ws.write_row(6, 0, ["阅卷人：张老师"])
    book.close()
    report = ProblemReport()
    records = read_item_files([InputFile(path, path.name)], SchoolConfig(), report)
    assert list(records.students["姓名"]) == ["王一", "李二"]
    assert [(p.code, p.cell) for p in report if p.code.startswith("row.")] == [
        ("row.header_again", "A4"),
        ("row.stray", "A7"),
    ]
    assert records.row_totals() == {"读取": 4, "计入": 2, "跳过": 2}


@given(
    st.lists(
        st.lists(
            st.sampled_from(["平均分", "合 计", "张三", "四(1)班", "0101", 87.0, None, "", "人数"]),
            max_size=4,
        ),
        max_size=300,
    ),
    st.integers(0, 5),
)
def test_summary_rows_found_a_stretch_at_a_time_are_those_of_the_row_check(
    rows: list[list[object]], start: int
) -> None:
    from toolkit.reading.walker import _SummaryRows

    cols = range(0, 3)
    found = _SummaryRows(rows, cols, start)
    for r in range(start, len(rows)):  # asked in order, as the walk asks
        assert (r in found) == (summary_label(rows[r], cols) is not None), r
