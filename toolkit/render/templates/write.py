"""``xueqing templates``: the fill-in workbooks for every record kind, for one school's config
(or generic, without one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.config.model import SchoolConfig

# Record kind → template file name (the title users know it by).
TEMPLATE_FILES: dict[str, str] = {
    "scores": "质量监测成绩.xlsx",
    "items": "小题分.xlsx",
    "homework": "作业检查.xlsx",
    "observation": "听评课记录.xlsx",
    "weakpoints": "薄弱点台账.xlsx",
}


def write_templates(
    out_dir: Path, config: SchoolConfig | None = None, kinds: Sequence[str] | None = None
) -> list[Path]:
    """Write one template per kind into ``out_dir``; returns the paths written."""
    from toolkit.render.output import write_atomically

    config = config or SchoolConfig()
    written = []
    for kind in kinds or TEMPLATE_FILES:
        target = out_dir / TEMPLATE_FILES[kind]
        written.append(write_atomically(target, lambda path, kind=kind: _write(kind, path, config)))
    return written


def _write(kind: str, path: Path, config: SchoolConfig) -> None:
    if kind == "scores":
        from toolkit.render.templates.scores import write_score_template

        write_score_template(str(path), config)
    elif kind == "items":
        from toolkit.render.templates.items import write_item_template

        write_item_template(str(path), config)
    else:
        from toolkit.kinds.registry import RECORD_KINDS
        from toolkit.render.templates.records import write_record_template

        write_record_template(str(path), RECORD_KINDS[kind], config)
