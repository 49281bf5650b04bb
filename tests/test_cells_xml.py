"""The worksheet that writes number and text cells' XML itself (render/xlsx/cells_xml.py):
every part of its workbook is the library's own, character for character."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from toolkit.render.xlsx.cells_xml import CellWorksheet, Workbook


def _fill(workbook: xlsxwriter.Workbook) -> None:
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.0%"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    ws = workbook.add_worksheet("成绩")
    ws.set_column(0, 0, 12, bold)  # a column format, under cells without one
    ws.set_row(3, 20, percent)  # a row format, likewise
    ws.write_row(0, 0, ["班级", "姓名", "语文", "数学 ", ' <备注> & "说明"'], bold)
    values: list[object] = [1, 0.1, 1 / 3, 1e-20, 123456789012345678, -0.0, 2.5e300, True]
    for r, value in enumerate(values, start=1):
        ws.write(r, 0, f"四年级{r}班")  # no format of its own: the column's
        ws.write(r, 1, "张三\n李四", percent)  # text with a line break
        ws.write(r, 2, value, percent)
        ws.write(r, 3, value)  # a number without a format (row 3: the row's)
        ws.write_datetime(r, 4, dt.datetime(2026, 12, r, 8, 30), day)
    ws.write_blank(10, 0, None, bold)
    ws.write_formula(10, 1, "=SUM(C2:C9)", percent, 3.5)
    ws.write_formula(10, 2, '=IF(A1="","",A1)', bold, "文字")
    ws.write_boolean(10, 3, False, bold)
    ws.write_rich_string(11, 0, "甲", bold, "乙", "丙", percent)
    ws.write_string(12, 0, "_x0041_ 控制\x07字符", bold)


@pytest.mark.parametrize("constant_memory", [False, True])
def test_every_part_is_the_librarys_own(tmp_path: Path, constant_memory: bool) -> None:
    options = {"constant_memory": constant_memory}
    parts = {}
    for name, cls in (("library", xlsxwriter.Workbook), ("ours", Workbook)):
        path = tmp_path / f"{name}.xlsx"
        workbook = cls(str(path), options)
        _fill(workbook)
        workbook.close()
        with zipfile.ZipFile(path) as archive:
            parts[name] = {n: archive.read(n) for n in archive.namelist() if "docProps" not in n}
    assert parts["ours"] == parts["library"]
    sheet = parts["ours"]["xl/worksheets/sheet1.xml"].decode()
    # the cells written directly are there (a formatted number and a formatted text)
    assert '<c r="C3" s="' in sheet and "<v>0.1</v>" in sheet


def test_its_worksheets_are_the_direct_writers(tmp_path: Path) -> None:
    workbook = Workbook(str(tmp_path / "a.xlsx"))
    assert isinstance(workbook.add_worksheet(), CellWorksheet)
