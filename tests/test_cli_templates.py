"""``xueqing init`` and ``xueqing templates`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from toolkit.cli.parser import main
from toolkit.render.templates.write import template_files


def test_init_then_templates_from_the_blank_config(tmp_path: Path) -> None:
    config = tmp_path / "学校配置.xlsx"
    assert main(["init", "-o", str(config)]) == 0
    sheets = openpyxl.load_workbook(config).sheetnames
    assert sheets == ["填写说明", "基本信息", "班级", "学科", "任课", "名单", "乐考项目", "参数"]
    assert main(["templates", "-c", str(config), "-o", str(tmp_path / "模板")]) == 0
    assert sorted(p.name for p in (tmp_path / "模板").iterdir()) == sorted(
        template_files().values()
    )


def test_templates_without_config_are_generic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["templates", "-o", str(tmp_path)]) == 0
    assert "通用模板" in capsys.readouterr().out
    ws = openpyxl.load_workbook(tmp_path / "质量监测成绩.xlsx")["成绩"]
    assert [c.value for c in ws[3]][:3] == ["班级", "学号", "姓名"]


def test_templates_filled_config_names_school_and_classes(tmp_path: Path) -> None:
    config = tmp_path / "学校配置.xlsx"
    assert main(["init", "-o", str(config)]) == 0
    wb = openpyxl.load_workbook(config)
    wb["基本信息"]["B2"] = "第二实验小学"
    wb["基本信息"]["B3"] = "2025-2026"
    wb["基本信息"]["B4"] = "第二学期"
    wb["班级"].append(["四年级", "1班", "赵敏", 40])
    wb["班级"].append(["四年级", "2班", "钱进", 41])
    wb["名单"].append(["四年级", "四(2)班", "20220201", "孙悦"])
    wb.save(config)
    out = tmp_path / "模板"
    assert main(["templates", "-c", str(config), "-o", str(out)]) == 0
    scores = openpyxl.load_workbook(out / "质量监测成绩.xlsx")
    assert [n for n in scores.sheetnames if not n.startswith("_")] == [
        "填写说明",
        "四(1)班",
        "四(2)班",
    ]
    ws = scores["四(2)班"]
    assert ws["A1"].value == "第二实验小学 2025-2026学年第二学期 质量监测成绩 四(2)班"
    assert (ws["A4"].value, ws["B4"].value) == ("20220201", "孙悦")
    assert ws["A5"].value is None


def test_templates_refuse_to_overwrite_and_force_does(tmp_path: Path) -> None:
    assert main(["templates", "-o", str(tmp_path)]) == 0
    before = (tmp_path / "作业检查.xlsx").stat().st_mtime_ns
    assert main(["templates", "-o", str(tmp_path)]) == 2
    assert (tmp_path / "作业检查.xlsx").stat().st_mtime_ns == before
    assert main(["templates", "-o", str(tmp_path), "--force"]) == 0


def test_a_bad_config_cell_stops_templates_and_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "学校配置.xlsx"
    assert main(["init", "-o", str(config)]) == 0
    wb = openpyxl.load_workbook(config)
    wb["班级"].append(["火星年级", "1班", "赵敏", 40])
    wb.save(config)
    assert main(["templates", "-c", str(config), "-o", str(tmp_path / "模板")]) == 1
    out = capsys.readouterr().out
    assert "班级" in out and "A2" in out and "火星年级" in out
    assert not (tmp_path / "模板").exists()


def _fill_from_examples(path: Path, sheet: str, key: str, rows: int) -> None:
    """``rows`` records typed from the kind's declared examples (valid by construction)."""
    from template_fill import fill_rows

    from toolkit.kinds.registry import RECORD_KINDS

    kind = RECORD_KINDS[key]
    values = {f.label: f.example for f in kind.fields}
    wb = openpyxl.load_workbook(path)
    fill_rows(wb[sheet], kind.fields[0].label, [values] * rows)
    wb.save(path)


def test_check_recognises_every_kind_renamed_or_unmarked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    templates = tmp_path / "模板"
    assert main(["templates", "-o", str(templates)]) == 0
    inbox = tmp_path / "收到的文件"
    inbox.mkdir()
    homework = inbox / "王老师发来的.xlsx"  # renamed: the marker says what it is
    (templates / "作业检查.xlsx").rename(homework)
    _fill_from_examples(homework, "作业检查", "homework", 3)
    ledger = inbox / "台账.xlsx"
    (templates / "薄弱点台账.xlsx").rename(ledger)
    _fill_from_examples(ledger, "薄弱点台账", "weakpoints", 2)
    wb = openpyxl.load_workbook(ledger)
    del wb["_xueqing"]  # an unmarked copy: recognised by its headers
    wb.save(ledger)
    capsys.readouterr()
    assert main(["check", str(inbox), "--json"]) == 0
    files = {f["file"]: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert files["王老师发来的.xlsx"] == {
        "file": "王老师发来的.xlsx",
        "kind": "homework",
        "recognised_by": "标记",
        "exam": "",
        "records": 3,
    }
    assert files["台账.xlsx"] == {
        "file": "台账.xlsx",
        "kind": "weakpoints",
        "recognised_by": "表头",
        "exam": "",
        "records": 2,
    }
