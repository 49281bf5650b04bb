"""The 班级汇总 alerts: which cells Excel paints red (a rate well below the grade's) and green
(the first-ranked class), worked out from the workbook's own rules and cell values."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import range_boundaries

from toolkit.render.workbooks.score_workbook import write_score_workbook
from toolkit.scores.report import analyze

HEADER = ["班级", "姓名", "语文"]


def write_class(path: Path, klass: str, scores: list[object]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i, score in enumerate(scores):
        ws.append([klass, f"{klass}{i}", score])
    wb.save(path)


def painted(path: Path, sheet_xml: str = "xl/worksheets/sheet1.xml") -> dict[str, set[str]]:
    """Cell → colour for every cell a rule of the sheet applies to, evaluated on its value."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(sheet_xml).decode()
    values = {}
    ws = openpyxl.load_workbook(path)["班级汇总"]
    for row in ws.iter_rows():
        for cell in row:
            values[cell.coordinate] = cell.value
    # The red rule is the one on 超均率 (always "< -0.05"); the other dxf is green.
    red_dxf = re.findall(r'dxfId="(\d+)"[^>]*operator="lessThan"><formula>-0.05<', xml)[0]
    tests = {
        "lessThan": lambda v, x: v < x,
        "greaterThan": lambda v, x: v > x,
        "greaterThanOrEqual": lambda v, x: v >= x,
        "equal": lambda v, x: v == x,
    }
    found: dict[str, set[str]] = {"red": set(), "green": set()}
    blocks = re.findall(
        r'<conditionalFormatting sqref="([^"]+)">(.*?)</conditionalFormatting>', xml
    )
    for sqref, rules in blocks:
        for dxf, operator, formula in re.findall(
            r'<cfRule type="(?:cellIs|expression)" dxfId="(\d+)" priority="\d+"'
            r'(?: operator="(\w+)")?><formula>([^<]+)</formula>',
            rules,
        ):
            colour = "red" if dxf == red_dxf else "green"
            for ref in sqref.split():
                c0, r0, c1, r1 = range_boundaries(ref)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        coord = f"{openpyxl.utils.get_column_letter(c)}{r}"
                        value = values.get(coord)
                        if operator:
                            # Excel compares a blank cell as 0
                            hit = tests[operator](value or 0, float(formula))
                        else:  # $U4=1: the row's 名次
                            ref_col = re.match(r"\$([A-Z]+)\d+=1", formula)
                            assert ref_col is not None, formula
                            hit = values.get(f"{ref_col.group(1)}{r}") == 1
                        if hit:
                            found[colour].add(coord)
    return found


def test_alerts_paint_the_expected_cells(tmp_path: Path) -> None:
    inputs = tmp_path / "成绩"
    inputs.mkdir()
    # 四(1)班 all pass (≥60), 四(2)班 half, 四(3)班 all absent (no rates at all).
    write_class(inputs / "四1.xlsx", "四(1)班", [90, 80, 70, 60])
    write_class(inputs / "四2.xlsx", "四(2)班", [90, 50, 65, 30])
    write_class(inputs / "四3.xlsx", "四(3)班", ["缺考", "缺考"])
    report = analyze([inputs])
    out = write_score_workbook(report, tmp_path / "成绩分析.xlsx")
    ws = openpyxl.load_workbook(out)["班级汇总"]
    header = [c.value for c in ws[3]]
    col = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(header)}
    rows = {ws[f"{col['班级']}{r}"].value: r for r in range(4, ws.max_row + 1)}
    assert set(rows) == {"四(1)班", "四(2)班", "四(3)班", "全年级"}
    got = painted(out)
    one, two = rows["四(1)班"], rows["四(2)班"]
    # Grade (8 sat): pass 6/8 = 0.75; 四(2)班 0.5 < 0.70 → red. 优秀 (≥90): grade 2/8 = 0.25,
    # 四(2)班 1/4 = 0.25 → not red; 良好 (≥80): grade 3/8, 四(2)班 1/4 = 0.25 < 0.325 → red.
    # 低分 (<40): grade 1/8, 四(2)班 1/4 = 0.25 > 0.175 → red. 超均率: grade mean 66.875,
    # 四(2)班 58.75 → −12% → red; 四(1)班 75 → +12%.
    # 四(3)班 has no rates: its blank cells are never compared (Excel would take them as 0).
    assert got["red"] == {
        f"{col['良好率']}{two}",
        f"{col['及格率']}{two}",
        f"{col['低分率']}{two}",
        f"{col['超均率']}{two}",
    }
    # 四(1)班 ranks first: its 班级, 综合分 and 名次 are green.
    assert got["green"] == {f"{col[c]}{one}" for c in ("班级", "综合分", "名次")}
