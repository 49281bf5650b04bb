"""The committed generic templates are current, and templates survive a real client.

LibreOffice opens every template (converted to PDF), and a filled template re-saved by
LibreOffice reads back identically, its kind marker included. Skipped without LibreOffice;
CI installs it (``.ci/run``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from toolkit.base.problems import ProblemReport
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.demo.school import make_config, make_school
from toolkit.items.report import load_items
from toolkit.kinds.recognise import recognise
from toolkit.kinds.registry import RECORD_KINDS, load_records
from toolkit.reading.discover import InputFile
from toolkit.render.templates.write import template_files, write_templates
from toolkit.render.workbooks.config_template import write_config_template
from toolkit.scores.report import load_scores

pytestmark = pytest.mark.slow

COMMITTED = Path(__file__).resolve().parent.parent / "workbook_templates"
soffice = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(soffice is None, reason="needs LibreOffice")


def test_committed_generic_templates_are_current(tmp_path: Path) -> None:
    """Part by part, like XlsxWriter's own reference-file tests."""
    for path in write_templates(tmp_path):
        committed = COMMITTED / path.name
        assert committed.exists(), f"run: python scripts/make_templates.py ({path.name} missing)"
        fresh, kept = zipfile.ZipFile(path), zipfile.ZipFile(committed)
        assert sorted(fresh.namelist()) == sorted(kept.namelist()), path.name
        stale = [part for part in fresh.namelist() if fresh.read(part) != kept.read(part)]
        assert not stale, f"{path.name}: {stale} differ — run: python scripts/make_templates.py"


def test_every_kind_has_a_committed_template() -> None:
    assert sorted(p.name for p in COMMITTED.glob("*.xlsx")) == sorted(template_files().values())


# ---------------------------------------------------------------------------------------------


def _convert(source: Path, out: Path, to: str) -> Path:
    assert soffice is not None
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", to, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    converted = out / f"{source.stem}.{to.split(':')[0]}"
    assert converted.exists(), f"LibreOffice did not convert {source.name}"
    return converted


@needs_libreoffice
def test_libreoffice_opens_every_generic_template(tmp_path: Path) -> None:
    for name in template_files().values():
        pdf = _convert(COMMITTED / name, tmp_path, "pdf")
        assert pdf.stat().st_size > 5_000, name


@pytest.fixture(scope="module")
def school_config(tmp_path_factory: pytest.TempPathFactory) -> SchoolConfig:
    path = tmp_path_factory.mktemp("config") / "学校配置.xlsx"
    write_config_template(path, make_config(make_school(classes_per_grade=2)))
    problems = ProblemReport()
    config = load_config(path, problems)
    assert not problems.errors
    return config


def _header_row(ws: openpyxl.worksheet.worksheet.Worksheet, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=10):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header starting with {first} on {ws.title}")


def _fill_records(path: Path, key: str) -> None:
    """Three rows per kind from the declared examples, varied the way people type."""
    kind = RECORD_KINDS[key]
    wb = openpyxl.load_workbook(path)
    ws = wb[kind.title]
    header = _header_row(ws, kind.fields[0].label)
    for k in range(3):
        for c, field in enumerate(kind.fields, start=1):
            value = field.example
            if field.type == "date":
                value = dt.date(2026, 3, 10 + k) if k != 1 else f"2026-03-{10 + k}"
            elif field.type == "int" and k == 2:
                value = str(value)  # a number typed as text
            ws.cell(header + 1 + k, c, value)
    wb.save(path)


def _fill_scores(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["三(1)班"]
    header = _header_row(ws, "学号")
    for k, row in enumerate(ws.iter_rows(min_row=header + 1, max_row=header + 10)):
        if row[1].value:
            row[2].value = "缺考" if k == 3 else 60 + k
            row[3].value = f"{70 + k}.5"
            row[4].value = 90 - k
    wb.save(path)


def _fill_items(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["三年级"]
    ws["B2"], ws["D2"] = "数学", "期末"
    header = _header_row(ws, "班级")
    ws.cell(header + 1, 4, 4)
    ws.cell(header + 1, 5, 6)
    ws.cell(header + 2, 4, "分数的意义")
    for k in range(5):
        ws.cell(header + 3 + k, 4, k % 5)
        ws.cell(header + 3 + k, 5, "缺考" if k == 2 else str(k + 1))
    wb.save(path)


def _fill_lekao(path: Path) -> None:
    """The 一年级 sheet (no 一、二年级 classes in the config): three pupils, a blank mark."""
    wb = openpyxl.load_workbook(path)
    ws = wb["一年级"]
    header = _header_row(ws, "班级")
    marks = [["优秀", "良好", "合格", "待合格", "优秀"], ["良好", None, "合格", "优秀", "合格"]]
    for k in range(3):
        row = [f"{k + 1}班", f"2025010{k}", f"学生{k}", *marks[k % 2]]
        for c, value in enumerate(row, start=1):
            ws.cell(header + 1 + k, c, value)
    wb.save(path)


def _read(key: str, path: Path, config: SchoolConfig) -> tuple[pd.DataFrame, ProblemReport]:
    problems = ProblemReport()
    if key == "scores":
        _, records = load_scores([path], config, problems)
        frame = records.marks.merge(records.students, left_on="sid", right_index=True)
    elif key == "items":
        frame = load_items([path], config, problems).marks
    else:
        frame = load_records(key, [path], config, problems).frame
    keep = [c for c in frame.columns if c not in ("文件",)]
    return frame[keep].reset_index(drop=True), problems


@needs_libreoffice
@pytest.mark.parametrize("key", list(template_files()))
def test_filled_template_resaved_by_libreoffice_reads_back_identically(
    key: str, school_config: SchoolConfig, tmp_path: Path
) -> None:
    path = write_templates(tmp_path / "t", school_config, [key])[0]
    if key == "scores":
        _fill_scores(path)
    elif key == "items":
        _fill_items(path)
    elif key == "lekao":
        _fill_lekao(path)
    else:
        _fill_records(path, key)
    before, problems = _read(key, path, school_config)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert len(before) >= 3

    resaved = _convert(path, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert recognise(InputFile(resaved, resaved.name)).how == "标记"
    assert recognise(InputFile(resaved, resaved.name)).kind == key
    after, problems = _read(key, resaved, school_config)
    assert not problems.errors, [str(p) for p in problems.errors]
    pd.testing.assert_frame_equal(before, after, check_dtype=False)
