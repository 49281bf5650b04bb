"""The 口径 as data: for every output, each figure's name, its definition in words and the value
or setting it uses. Each kind declares its table (``scores/definitions.py`` …) next to the code
that computes the figures; every 口径说明 sheet is rendered from these tables with the run's own
values, and ``docs/口径.md`` is generated from the same tables (``python scripts/make_definitions_doc.py``;
a test keeps it current)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    """One figure: ``words`` say how it is computed; ``value`` is shown on every run (a rounding,
    a rule), ``setting`` says where a run's own value comes from (the config, the command line).
    ``{…}`` in ``words`` is filled per run (e.g. ``{本校}``, said only for several schools)."""

    name: str
    words: str
    value: str = ""
    setting: str = ""


@dataclass(frozen=True)
class DefinitionTable:
    """The 口径 of one output (or of one part of it, such as the school comparison)."""

    key: str
    title: str
    rows: tuple[Definition, ...]

    def sheet_rows(
        self, values: Mapping[str, str] | None = None, fill: Mapping[str, str] | None = None
    ) -> list[tuple[str, str, str]]:
        """Rows of (指标, 口径, 本次取值) for a 口径说明 sheet: a run's ``values`` by name (every
        name must be one of the table's), else the definition's fixed value."""
        values = dict(values or {})
        unknown = set(values) - {d.name for d in self.rows}
        if unknown:
            raise KeyError(f"{self.key}: no definition named {sorted(unknown)}")
        return [
            (d.name, d.words.format_map(fill) if fill else d.words, values.get(d.name, d.value))
            for d in self.rows
        ]


def markdown(tables: list[DefinitionTable]) -> str:
    """``docs/口径.md``: every table, in the order given."""
    lines = [
        "# 口径（指标定义）",
        "",
        "<!-- 由 python scripts/make_definitions_doc.py 生成，请勿手改；"
        "测试会检查它与代码中的定义表一致。 -->",
        "",
        "每份输出的“口径说明”工作表都由同一张定义表写出，并填入本次运行的取值；"
        "这里列出每张表，“取值”一列是固定的取值，或本次取值的来源。",
        "每份输出的口径说明还以“数据来源”“行数核对”两行开头：读取了哪些文件、使用的学校配置，"
        "以及 读取的数据行 = 计入 + 跳过（+ 不在统计范围）。",
    ]
    for table in tables:
        lines += [
            "",
            f"## {table.title}",
            "",
            "| 指标 | 口径（定义） | 取值 |",
            "| --- | --- | --- |",
        ]
        for d in table.rows:
            words = d.words.replace("{", "〔").replace("}", "〕")
            value = d.value or d.setting
            lines.append(f"| {_cell(d.name)} | {_cell(words)} | {_cell(value)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")
