"""One registry of record kinds (docs/architecture.md): a new kind is its package's spec plus one
registry entry, and then ``check`` recognises and counts its files, ``templates`` writes its
fill-in workbook, the command line has its command and the web page's menu offers it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from toolkit.cli.parser import main
from toolkit.kinds.registry import KINDS, register, unregister
from toolkit.kinds.spec import KindSpec
from toolkit.web.reports import reports

# A new kind as a developer would add it: one package (its spec in __init__, metrics.py, book.py),
# written here into a folder on sys.path, and one registry entry (the fixture's register call).
TOY_PACKAGE = {
    "__init__.py": """
from toolkit.kinds.spec import KindSpec
from toolkit.records.fields import CLASS, GRADE, Field, RecordKind

READING = RecordKind(
    key="reading",
    title="阅读打卡",
    unit="一次打卡：一个班一天的课外阅读",
    anchor="阅读分钟",
    min_fields=3,
    report_name="阅读打卡汇总",
    date_field="日期",
    fields=(
        GRADE,
        CLASS,
        Field("日期", "date", example="2026-03-02"),
        Field("阅读分钟", "int", minimum=0, maximum=600, example=30, help="全班平均每人阅读分钟"),
    ),
)
KIND = KindSpec(record=READING, rules=list, package=__name__, description="各班课外阅读分钟。")
""",
    "metrics.py": """
from dataclasses import dataclass

import pandas as pd



@dataclass
class ReadingSummary:
    classes: pd.DataFrame
    used: pd.DataFrame  # the records counted (every summary says which)


def summarise(records, config, period):
    classes = records.groupby(["年级", "班级"], as_index=False)["阅读分钟"].sum()
    return ReadingSummary(classes, records)
""",
    "book.py": """
def build(book, report):
    book.table("班级汇总", report.summary.classes, heading="各班阅读分钟")


def definitions(report):
    return [("阅读分钟", "各次打卡的阅读分钟相加", "")]
""",
}


# (年级, 班级, 日期, 阅读分钟) as a teacher fills them; 三(1)班 reads 30 + 45 = 75 minutes.
ROWS = [("三年级", "1班", "2026-03-02", 30), ("三年级", "1班", "2026-03-03", 45),
        ("三年级", "2班", "2026-03-02", 20)]  # fmt: skip


@pytest.fixture
def toy_kind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KindSpec]:
    root = tmp_path_factory.mktemp("toy")
    (root / "toy_reading").mkdir()
    for name, text in TOY_PACKAGE.items():
        (root / "toy_reading" / name).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        spec = importlib.import_module("toy_reading").KIND
        register(spec)
        try:
            yield spec
        finally:
            unregister(spec.key)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("toy_reading")]:
            del sys.modules[name]


def _sheet(folder: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["三年级阅读打卡登记表"])
    sheet.append(["年级", "班级", "日期", "阅读分钟"])
    for row in ROWS:
        sheet.append(list(row))
    folder.mkdir(exist_ok=True)
    path = folder / "阅读打卡.xlsx"
    book.save(path)
    return path


def test_a_registered_kind_is_listed_once_and_taken_off_again(toy_kind: KindSpec) -> None:
    assert KINDS["reading"] is toy_kind
    with pytest.raises(ValueError, match="registered already"):
        register(toy_kind)
    unregister("reading")
    assert "reading" not in KINDS
    register(toy_kind)  # the fixture takes it off


def test_check_recognises_and_counts_the_new_kind(
    toy_kind: KindSpec, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.base.problems import ProblemReport
    from toolkit.check import check_inputs
    from toolkit.config.model import SchoolConfig

    _sheet(tmp_path / "in")
    problems = ProblemReport()
    result = check_inputs([tmp_path / "in"], SchoolConfig(), problems)
    assert [entry.kind for entry in result.found.files] == ["reading"]
    assert result.rows == {"读取": 3, "计入": 3, "跳过": 0}
    assert not problems.has_errors
    assert main(["check", str(tmp_path / "in")]) == 0
    assert "阅读打卡" in capsys.readouterr().out


def test_templates_write_the_new_kinds_workbook(toy_kind: KindSpec, tmp_path: Path) -> None:
    assert main(["templates", "-o", str(tmp_path / "模板")]) == 0
    written = tmp_path / "模板" / "阅读打卡.xlsx"
    assert written.exists()
    book = openpyxl.load_workbook(written)
    headers = {cell.value for sheet in book for row in sheet.iter_rows(max_row=6) for cell in row}
    assert {"年级", "班级", "日期", "阅读分钟"} <= headers


def test_the_command_line_and_the_web_menu_offer_the_new_kind(
    toy_kind: KindSpec, tmp_path: Path
) -> None:
    menu = reports()
    assert menu["reading"].title == "阅读打卡汇总"
    assert menu["reading"].output == "阅读打卡汇总.xlsx"
    assert list(menu).index("reading") < list(menu).index("items")
    out = tmp_path / "阅读打卡汇总.xlsx"
    assert main(["reading", str(_sheet(tmp_path / "in")), "-o", str(out), "-q"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:1] == ["班级汇总"] and "口径说明" in book.sheetnames
    minutes = [
        row[-1] for row in book["班级汇总"].iter_rows(values_only=True) if row[-1] in (75, 20)
    ]
    assert minutes == [75, 20]  # 30 + 45 for 三(1)班, 20 for 三(2)班


def test_without_the_toy_the_menu_and_templates_are_the_six_kinds() -> None:
    from toolkit.render.templates.write import template_files

    assert "reading" not in reports() and "reading" not in template_files()
    assert list(template_files()) == [
        "scores", "items", "homework", "observation", "weakpoints", "lekao",
    ]  # fmt: skip
