"""``xueqing templates``: the fill-in workbooks for every record kind, for one school's config
(or generic, without one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.config.model import SchoolConfig


def template_files() -> dict[str, str]:
    """Record kind → template file name: the title users know it by, for every kind."""
    from toolkit.kinds.registry import KINDS

    return {
        "scores": "质量监测成绩.xlsx",
        "items": "小题分.xlsx",
        **{key: f"{spec.title}.xlsx" for key, spec in KINDS.items()},
    }


def write_templates(
    out_dir: Path, config: SchoolConfig | None = None, kinds: Sequence[str] | None = None
) -> list[Path]:
    """Write one template per kind into ``out_dir``; returns the paths written."""
    from toolkit.render.output import write_atomically

    config = config or SchoolConfig()
    written = []
    files = template_files()
    for kind in kinds or files:
        target = out_dir / files[kind]
        written.append(write_atomically(target, lambda path, kind=kind: _write(kind, path, config)))
    return written


def _write(kind: str, path: Path, config: SchoolConfig) -> None:
    if kind == "scores":
        from toolkit.render.templates.scores import write_score_template

        write_score_template(str(path), config)
    elif kind == "items":
        from toolkit.render.templates.items import write_item_template

        write_item_template(str(path), config)
    elif kind == "lekao":  # the wide form: a sheet per class, a column per 项目
        from toolkit.render.templates.lekao import write_lekao_template

        write_lekao_template(str(path), config)
    else:
        from toolkit.kinds.registry import RECORD_KINDS
        from toolkit.render.templates.records import write_record_template

        write_record_template(str(path), RECORD_KINDS[kind], config)
