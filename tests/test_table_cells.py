"""Writing a table's cells quickly writes what the plain way writes: column widths measured on
distinct values, a writer chosen per column (and xlsxwriter's undecorated methods), blanks
found per column, the garbage collector paused while a workbook is written."""

from __future__ import annotations

import datetime as dt
import gc
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from toolkit.base.text import display_width
from toolkit.present import show_keys
from toolkit.render.output import TEXT_ONLY, paused_gc
from toolkit.render.xlsx import styles as styles_module
from toolkit.render.xlsx import tables
from toolkit.render.xlsx.styles import Styles, column_width

TRICKY: list[Any] = [
    1,
    1.0,
    True,  # equal to 1 and 1.0, shown as "True": measured apart from them
    False,
    0,
    -0.0,
    1.5,
    2.25,
    123456789.125,
    float("nan"),
    float("nan"),
    float("inf"),
    np.float64(3.14159),
    np.int64(42),
    None,
    pd.NA,
    "三年级",
    "三(2)班",
    "ａｂｃ",  # full-width: two columns each
    "abc",
    "",
    ["unhashable"],
    dt.date(2026, 5, 1),
]


def reference_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def measured_one_by_one(header: str, values: list[Any], minimum: int = 6, cap: int = 60) -> int:
    """column_width as it measured before: every value, each with the unshortened width."""
    shown = styles_module._shown
    widest = max(
        [reference_width(part) for part in str(header).splitlines() or [""]]
        + [reference_width(shown(v)) for v in values],
        default=0,
    )
    return max(minimum, min(cap, widest + 2))


def test_display_width_of_ascii_is_its_length() -> None:
    every_ascii = "".join(map(chr, range(128)))
    assert display_width(every_ascii) == reference_width(every_ascii) == 128
    assert display_width("3(2)班") == reference_width("3(2)班") == 6


HEADERS = ["平均分", "平均分\n(满分 100)", "a", "", "很长的一个列名称" * 3]


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("size", [0, 1, 5, len(TRICKY)])
def test_column_width_of_distinct_values_is_the_width_of_all(header: str, size: int) -> None:
    for start in range(len(TRICKY)):
        values = (TRICKY[start:] + TRICKY[:start])[:size] * 3
        assert column_width(header, values) == measured_one_by_one(header, values)
        assert column_width(header, iter(values)) == measured_one_by_one(header, values)


def tricky_frame() -> pd.DataFrame:
    mixed = [
        "张三",
        87.5,
        float("nan"),
        None,
        3,
        True,
        np.int64(7),
        np.float64(2.5),
        pd.NA,
        dt.datetime(2026, 5, 1, 8, 30),
        '=HYPERLINK("http://x")',
        float("inf"),
    ]
    n = len(mixed)
    return pd.DataFrame(
        {
            "学校": ["第一小学"] * n,
            "班级": [f"三({i})班" for i in range(n)],
            "平均分": [80.125, float("nan"), 1e20, -0.0, 3.0, float("-inf"), 7.75, 0.1, 2, 5, 6, 9],
            "人数": list(range(n)),
            "语文": mixed,
            "等级": pd.array(["优秀", None] * (n // 2), dtype="string"),
            "是否": [True, False] * (n // 2),
        }
    )


def write(path: Path, frame: pd.DataFrame, *, constant_memory: bool, **options: Any) -> None:
    workbook = xlsxwriter.Workbook(str(path), {**TEXT_ONLY, "constant_memory": constant_memory})
    roles = {"平均分": "decimal", "人数": "int", "语文": "score"}
    tables.write_table(
        workbook,
        Styles(workbook),
        "表",
        frame,
        roles,
        title="标题",
        emphasis=[i % 4 == 0 for i in range(len(frame))],
        **options,
    )
    workbook.close()


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        strings = "xl/sharedStrings.xml"  # none when streamed: the text is in the cells
        shared = archive.read(strings) if strings in archive.namelist() else b""
        return archive.read("xl/worksheets/sheet1.xml") + shared


@pytest.mark.parametrize("constant_memory", [False, True])
def test_table_cells_are_those_write_cell_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, constant_memory: bool
) -> None:
    frame = tricky_frame()
    write(tmp_path / "fast.xlsx", frame, constant_memory=constant_memory)
    # The reference: every cell through write_cell and xlsxwriter's public methods.
    monkeypatch.setattr(
        tables,
        "_column_writer",
        lambda sheet, column, values: lambda r, c, v, f: tables.write_cell(sheet, r, c, v, f),
    )
    write(tmp_path / "plain.xlsx", frame, constant_memory=constant_memory)
    assert sheet_xml(tmp_path / "fast.xlsx") == sheet_xml(tmp_path / "plain.xlsx")


def test_table_widths_are_those_of_every_value(tmp_path: Path) -> None:
    frame = tricky_frame()
    write(tmp_path / "measured.xlsx", frame, constant_memory=False)
    every_value = {
        str(column): measured_one_by_one(str(column), frame[column].tolist())
        for column in frame.columns
    }
    assert every_value["平均分"] > 6  # 1e20 is wide: the widths are not all the minimum
    write(tmp_path / "given.xlsx", frame, constant_memory=False, widths=every_value)
    assert sheet_xml(tmp_path / "measured.xlsx") == sheet_xml(tmp_path / "given.xlsx")


def test_show_keys_finds_blanks_of_every_kind() -> None:
    frame = pd.DataFrame(
        {
            "年级": [3, 3, None, float("nan"), 4],
            "班级": [2.0, None, None, float("nan"), 1],
        }
    )
    shown, emphasis = show_keys(frame)
    assert shown["年级"].tolist() == ["三年级", "三年级", "全校", "全校", "四年级"]
    assert shown["班级"].tolist() == ["三(2)班", "全年级", "全校", "全校", "四(1)班"]
    assert emphasis == [False, True, True, True, False]
    subjects = pd.DataFrame(
        {"年级": pd.array([3, 3, None], dtype="Int64"), "学科": pd.array(["语文", None, "数学"])}
    )
    shown, emphasis = show_keys(subjects)
    assert shown["学科"].tolist() == ["语文", "全年级", "数学"]
    assert shown["年级"].tolist() == ["三年级", "三年级", "全校"]
    assert emphasis == [False, True, True]


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():  # nested: the outer block still pauses it
                pass
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), paused_gc():
            _ = 1 / 0
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
