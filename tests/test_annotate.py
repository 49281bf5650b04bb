"""``xueqing check --annotate``: marked copies of the user's own files, read back cell by cell.

The copies are checked the way the grade leader will meet them: the bad cells filled and
commented with the same message the console gives, a first sheet 问题清单 linking to each cell,
the user's formatting and dropdowns still there, the original untouched — and a copy sent in
again reads exactly like the original (its 问题清单 is not taken for data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from template_fill import fill_rows

from toolkit.cli.parser import main
from toolkit.render.templates.write import template_files, write_templates

DATA = Path(__file__).parent / "data"
RED, YELLOW = "FFC7CE", "FFEB9C"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def observation_file(tmp_path: Path) -> Path:
    """The observation template filled with two good rows and one with three planted faults:
    a word in a score cell, an Excel error value in the date, a class that does not exist."""
    folder = tmp_path / "收到的文件"
    folder.mkdir()
    paths = dict(zip(template_files(), write_templates(tmp_path / "模板"), strict=True))
    target = folder / "三年级听评课记录.xlsx"
    shutil.copy(paths["observation"], target)
    book = load_workbook(target)
    good = {
        "日期": dt.date(2026, 3, 18),
        "听课人": "李明",
        "听课层级": "年级组",
        "授课教师": "王丽",
        "班级": "三(2)班",
        "学科": "数学",
        "课题": "两位数乘两位数",
        "课型": "推门课",
        "学生投入度": 26,
        "教学环节落实": 35,
        "课堂反馈实效": 25,
        "总分": 86,
        "等级": "良好",
        "整改状态": "已整改",
        "复查日期": dt.date(2026, 4, 1),
    }
    bad = {
        **good,
        "日期": "#DIV/0!",  # openpyxl stores this as an error cell (t="e")
        "学生投入度": "很好",
        "课题": '=HYPERLINK("http://example.com","点我")',
    }
    first = fill_rows(book["听评课记录"], "听课人", [good, bad, {**good, "授课教师": "张强"}])
    book.save(target)
    target.with_suffix(".rows").write_text(str(first))
    return target


def bad_row(path: Path) -> int:
    return int(path.with_suffix(".rows").read_text()) + 1


def test_annotated_copy_marks_each_bad_cell_with_the_console_message(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha(observation_file)
    out = tmp_path / "待修改"
    code, summary = run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    assert code == 1  # errors found: the annotation does not make them go away
    assert sha(observation_file) == before  # the original is never touched

    copy = out / observation_file.name
    assert summary["annotated"] == [
        {
            "file": observation_file.name,
            "copy": str(copy),
            "problems": 2,
            "marked_cells": 2,
            "note": "",
        }
    ]
    row = bad_row(observation_file)
    wanted = {
        (p["sheet"], p["cell"]): p["message"]
        for p in summary["problems"]
        if p["severity"] == "error"
    }
    # The two faults of the bad row, located independently from where they were typed.
    original = load_workbook(observation_file)["听评课记录"]
    columns = {
        c.value: c.column_letter
        for r in original.iter_rows(max_row=10)
        for c in r
        if c.value in ("日期", "学生投入度")
    }
    assert set(wanted) == {
        ("听评课记录", f"{columns['日期']}{row}"),
        ("听评课记录", f"{columns['学生投入度']}{row}"),
    }

    book = load_workbook(copy)
    assert book.sheetnames[0] == "问题清单"
    assert book.active.title == "问题清单"
    sheet = book["听评课记录"]
    for (_, ref), message in wanted.items():
        cell = sheet[ref]
        assert cell.fill.fill_type == "solid"
        assert cell.fill.start_color.rgb[-6:] == RED
        assert cell.comment is not None and cell.comment.author == "xueqing"
        assert cell.comment.text == f"【错误】{message}"
    # Cells without problems are neither filled nor commented.
    unmarked = [
        c.coordinate
        for r in sheet.iter_rows()
        for c in r
        if c.comment is not None and (sheet.title, c.coordinate) not in wanted
    ]
    assert unmarked == []


def test_problem_list_links_to_every_cell(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "待修改"
    _, summary = run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    listing = load_workbook(out / observation_file.name)["问题清单"]
    rows = [[c.value for c in r] for r in listing.iter_rows()]
    header = rows.index(["序号", "类别", "工作表", "单元格", "原值", "问题说明"])
    listed = rows[header + 1 :]
    expected = [p for p in summary["problems"] if p["severity"] in ("error", "warning")]
    assert [(r[1], r[2], r[3], r[5]) for r in listed] == [
        ({"error": "错误", "warning": "警告"}[p["severity"]], p["sheet"], p["cell"], p["message"])
        for p in expected
    ]
    for offset, problem in enumerate(expected, header + 2):
        link = listing.cell(offset, 4).hyperlink
        assert link is not None and link.location == f"'{problem['sheet']}'!{problem['cell']}"
    assert "2 处错误" in rows[1][0]


def test_copy_keeps_formatting_and_data_validation(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "待修改"
    run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    original, copy = load_workbook(observation_file), load_workbook(out / observation_file.name)
    assert copy.sheetnames == ["问题清单", *original.sheetnames]
    for name in original.sheetnames:
        before, after = original[name], copy[name]
        assert [[c.value for c in r] for r in after.iter_rows()] == [
            [c.value for c in r] for r in before.iter_rows()
        ], name
        assert [
            (v.type, v.formula1, str(v.sqref)) for v in after.data_validations.dataValidation
        ] == [(v.type, v.formula1, str(v.sqref)) for v in before.data_validations.dataValidation]
        assert {k: d.width for k, d in after.column_dimensions.items()} == {
            k: d.width for k, d in before.column_dimensions.items()
        }
        assert set(map(str, after.merged_cells.ranges)) == set(map(str, before.merged_cells.ranges))
        assert after.sheet_state == before.sheet_state
    assert original["听评课记录"].data_validations.dataValidation  # the template has dropdowns


def test_formula_like_text_stays_text_in_the_copy(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "待修改"
    run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    with zipfile.ZipFile(out / observation_file.name) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode() for n in sheets)
    assert "<f>" not in xml  # no formula anywhere: the template has none and we add none
    listing = load_workbook(out / observation_file.name)["问题清单"]
    typed = [c for r in listing.iter_rows() for c in r if str(c.value).startswith("=HYPERLINK")]
    assert typed == [] or all(c.data_type == "s" for c in typed)


def test_copy_sent_in_again_reads_like_the_original(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "待修改"
    _, first = run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    _, again = run_json(["check", str(out / observation_file.name)], capsys)

    def located(summary: dict[str, Any]) -> list[tuple[str, str, str, str]]:
        return [(p["code"], p["sheet"], p["cell"], p["message"]) for p in summary["problems"]]

    assert located(again) == located(first)
    assert again["rows"] == first["rows"]
    # Annotating the annotated copy replaces its list rather than adding a second one.
    out2 = tmp_path / "再次"
    run_json(["check", str(out / observation_file.name), "--annotate", "-o", str(out2)], capsys)
    assert load_workbook(out2 / observation_file.name).sheetnames.count("问题清单") == 1


def test_xls_comes_back_as_xlsx_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlwt = pytest.importorskip("xlwt")
    source = tmp_path / "四(3)班期末成绩.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("成绩")
    rows = [["姓名", "语文", "数学"], ["张三", 90, 88], ["李四", "良", 120], ["王五", 70, 65]]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.save(str(source))
    out = tmp_path / "待修改"
    code, summary = run_json(["check", str(source), "--annotate", "-o", str(out)], capsys)
    assert code == 1
    copy = out / "四(3)班期末成绩.xlsx"
    assert summary["annotated"][0]["copy"] == str(copy)
    assert ".xls 格式" in summary["annotated"][0]["note"]
    result = load_workbook(copy)
    assert [[c.value for c in r] for r in result["成绩"].iter_rows()] == rows
    assert {c for c in ("B3", "C3") if result["成绩"][c].comment is not None} == {"B3", "C3"}
    assert ".xls 格式" in str(result["问题清单"]["A3"].value)


def test_unreadable_files_are_listed_not_copied(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = observation_file.parent / "损坏.xlsx"
    broken.write_bytes(observation_file.read_bytes()[:2000])
    out = tmp_path / "待修改"
    code, summary = run_json(
        ["check", str(observation_file.parent), "--annotate", "-o", str(out)], capsys
    )
    assert code == 1
    by_file = {a["file"]: a for a in summary["annotated"]}
    assert by_file["损坏.xlsx"]["copy"] is None and "无法读取" in by_file["损坏.xlsx"]["reason"]
    assert sorted(p.name for p in out.iterdir()) == [observation_file.name]


def test_clean_files_get_no_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "成绩.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["班级", "姓名", "语文"])
    book.active.append(["三(1)班", "张三", 90])
    book.save(source)
    out = tmp_path / "待修改"
    code, summary = run_json(["check", str(source), "--annotate", "-o", str(out)], capsys)
    assert code == 0 and summary["annotated"] == []
    assert not out.exists() or list(out.iterdir()) == []


def test_annotating_into_the_input_folder_refuses_to_overwrite(
    observation_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha(observation_file)
    code = main(["check", str(observation_file), "--annotate", "-o", str(observation_file.parent)])
    assert code == 2
    assert "不能与输入文件相同" in capsys.readouterr().err
    assert sha(observation_file) == before


def test_merged_cell_problem_marks_the_merged_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    source = tmp_path / "三(1)班成绩.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["班级", "姓名", "语文", "数学"])
    sheet.append(["三(1)班", "张三", 90, "优"])
    sheet.append([None, "李四", 80, 70])
    sheet.merge_cells("A2:A3")
    sheet.append(["火星班", "王五", 80, 70])
    book.save(source)
    out = tmp_path / "待修改"
    _, summary = run_json(["check", str(source), "--annotate", "-o", str(out)], capsys)
    cells = {p["cell"] for p in summary["problems"] if p["severity"] == "error"}
    assert {"D2", "A4"} <= cells
    copy = load_workbook(out / source.name).active
    assert copy.title == "问题清单"
    data = load_workbook(out / source.name)["Sheet"]
    for ref in cells:
        assert data[ref].comment is not None, ref
    assert data["A2"].comment is None  # the merged class cell itself has no problem


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_copy(
    observation_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.render.documents.pdf import convert_to_pdf

    out = tmp_path / "待修改"
    run_json(["check", str(observation_file), "--annotate", "-o", str(out)], capsys)
    (pdf,) = convert_to_pdf([out / observation_file.name], tmp_path / "pdf")
    assert pdf.stat().st_size > 1000
