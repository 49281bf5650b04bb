"""The 口径 defined once (toolkit/definitions.py): every 口径说明 sheet is the kind's table with
the run's values, docs/口径.md is the same tables rendered, and each setting a definition names
is one the school config has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from toolkit.cli.parser import main
from toolkit.config.read import _PARAMETERS
from toolkit.definitions import Definition, DefinitionTable
from toolkit.render.definitions_doc import DOC, all_tables, definitions_doc
from toolkit.scores.definitions import SCORE_DEFINITIONS

ROOT = Path(__file__).resolve().parents[1]
SETTING = re.compile(r"学校配置“参数”：([^；]+)")


def test_docs_are_generated_from_the_tables_and_current() -> None:
    # After changing a definition: python scripts/make_definitions_doc.py
    assert (ROOT / DOC).read_text(encoding="utf-8") == definitions_doc()


def test_every_table_names_each_figure_once() -> None:
    for table in all_tables():
        names = [d.name for d in table.rows]
        assert len(names) == len(set(names)), table.key
        assert all(d.words.strip() for d in table.rows), table.key


def test_every_config_setting_named_is_a_real_parameter() -> None:
    named = [
        name
        for table in all_tables()
        for d in table.rows
        for found in SETTING.findall(d.setting)
        for name in found.split("、")
    ]
    assert named  # the settings are there to check
    for name in named:
        key = name.split("<")[0]  # 作业时长上限-<年级>: one parameter per grade
        assert name in _PARAMETERS or key in (
            "作业时长上限-",
            "听评课满分-",
            "学生排名-",
            "等级写法-",
        ), name


def test_sheet_rows_take_the_runs_values_and_refuse_an_unknown_name() -> None:
    table = DefinitionTable(
        "toy",
        "toy.xlsx",
        (
            Definition("平均分", "实考学生分数的平均", value="两位小数"),
            Definition("比{本校}", "低于{本校}年级", setting="参数"),
        ),
    )
    assert table.sheet_rows({"比{本校}": "5 分"}, fill={"本校": "本校"}) == [
        ("平均分", "实考学生分数的平均", "两位小数"),
        ("比{本校}", "低于本校年级", "5 分"),
    ]
    assert table.sheet_rows()[1] == ("比{本校}", "低于{本校}年级", "")
    with pytest.raises(KeyError, match="及格率"):
        table.sheet_rows({"及格率": "60%"})


def test_the_score_workbooks_definitions_sheet_is_the_table(
    school_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "成绩分析.xlsx"
    assert main(["scores", str(school_dir), "-o", str(out), "-q"]) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("口径说明").to_python()
    words = {row[0]: row[1] for row in rows if len(row) > 1 and row[0]}
    for definition in SCORE_DEFINITIONS.rows:
        assert words[definition.name] == definition.words
    # and the run's own value where the table names a setting: the default 排名方式
    value = next(row[2] for row in rows if row[0] == "名次")
    assert value == "Excel RANK.EQ（1,2,2,4）"
