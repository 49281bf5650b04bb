"""Records shaped like the score reader's output, for tests that start after reading; and the
demo school's term folder, for tests of the packs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from toolkit.base.problems import ProblemReport
from toolkit.config.read import load_config
from toolkit.demo.school import SampleSchool, make_config
from toolkit.demo.term import TermTruth, write_term_folder
from toolkit.render.workbooks.config_template import write_config_template

SCHOOL = "实验小学"
NAN = float("nan")


def student(
    grade: int,
    cls: int,
    student_id: str,
    name: str,
    *,
    file: str,
    row: int,
    total: float = NAN,
) -> tuple[Any, ...]:
    """A student row as the reader makes it (``STUDENT_COLUMNS``): name in column B, 总分 in F."""
    return (
        SCHOOL,
        grade,
        cls,
        student_id,
        name,
        student_id or f"姓名:{name}",
        total,
        f"F{row}" if not math.isnan(total) else "",
        file,
        "Sheet1",
        row,
        f"B{row}",
    )


def write_sample_term(root: Path, school: SampleSchool) -> tuple[Path, TermTruth]:
    """The demo school's config, written and read back as a school's own would be, and its term
    folder under ``root``: what the packs are built from."""
    config_path = root / "学校配置.xlsx"
    write_config_template(config_path, make_config(school))
    config = load_config(config_path, ProblemReport())
    return config_path, write_term_folder(school, config, root)
