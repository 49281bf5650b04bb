"""The words of 填写说明: the general lines every template shares, and one row per column."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.config.model import SchoolConfig
from toolkit.records.fields import Field
from toolkit.render.templates.book import Instruction
from toolkit.render.templates.columns import class_choices, grade_choices, subject_choices


def general_lines(unit: str, notes: Sequence[str]) -> list[str]:
    return [
        f"一行是{unit}。请从数据表的第 4 行起逐行填写，不要留空行，不要合并单元格。",
        "表头行已锁定（没有密码），以免误改列名；如确需修改，可在“审阅 › 撤销工作表保护”中解除。",
        "带下拉箭头的列请从列表中选择；日期请写成 2026-03-15 的样子；百分比可填 35%。",
        *notes,
        "本说明表中的示例不会被当作数据读取。填好后保存为 .xlsx，文件名可以随意修改。",
    ]


def instruction_for(f: Field, config: SchoolConfig) -> Instruction:
    return Instruction(f.label, f.required, f.help or f.label, allowed_text(f, config), f.example)


def allowed_text(f: Field, config: SchoolConfig) -> str:
    low, high = f.bounds(config)
    if f.type in ("choice", "yesno"):
        return f.allowed()
    if f.type == "grade":
        return _shorten(grade_choices(config))
    if f.type == "class":
        return _shorten(class_choices(config)) or "三(2)班、3(2)班、3.2 等写法均可"
    if f.type == "subject":
        return _shorten(subject_choices(config))
    if f.type in ("int", "decimal") and high is not None:
        unit = f.unit if f.unit != "分" else ""
        return f"{low or 0:g}–{high:g}{unit}的{'整数' if f.type == 'int' else '数'}"
    if f.type == "percent":
        return "0%–100%"
    if f.type == "date":
        return "日期"
    if f.type == "person" and config.teachers:
        return "学校配置“任课”表中的教师，也可直接填写"
    return ""


def _shorten(values: Sequence[str], limit: int = 12) -> str:
    shown = "、".join(values[:limit])
    return f"{shown} 等" if len(values) > limit else shown
