"""Apply a record kind's rules to its read frame: every failure a located problem, none raised.

The range rules come from the kind's field declarations (``minimum``/``maximum``, which may
depend on the school config); a kind adds its own cross-column rules as pandera schemas.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from toolkit.base.problems import Severity
from toolkit.base.validation import problems_from
from toolkit.records.fields import Field
from toolkit.records.read import RecordTable

if TYPE_CHECKING:
    from toolkit.base.problems import ProblemReport
    from toolkit.config.model import SchoolConfig

_NUMERIC = ("int", "decimal", "percent")


def range_schema(fields: Sequence[Field], config: SchoolConfig) -> Any:
    """One pandera column per bounded numeric field, checked with ``field.range``."""
    import pandera.pandas as pa

    columns = {}
    for f in fields:
        low, high = f.bounds(config)
        if f.type not in _NUMERIC or (low is None and high is None):
            continue
        # pandera reports a built-in check by its ``error`` text (``in_range(0, 100)``), not
        # its name: both are set so a failure carries the rule code.
        check = pa.Check.in_range(
            low if low is not None else float("-inf"),
            high if high is not None else float("inf"),
            name="field.range",
            error="field.range",
        )
        columns[f.name] = pa.Column(nullable=True, required=False, checks=check)
    return pa.DataFrameSchema(columns)


def show(f: Field, value: object) -> str:
    """A value as the user would read it: percents as 35%, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if f.type == "percent" and isinstance(value, (int, float)):
        return f"{value:.0%}" if float(value * 100).is_integer() else f"{value:.1%}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def validate_records(
    table: RecordTable,
    config: SchoolConfig,
    report: ProblemReport,
    rules: Sequence[tuple[Any, Severity, str]] = (),
) -> RecordTable:
    """Check ranges and the kind's ``rules`` (schema, severity, column to point at); mark rows.

    Rows with an error keep their place with the rule code in ``问题``; warnings leave a row
    counted. Returns the same table, so callers can chain.
    """
    kind = table.kind
    frame = table.frame
    _contradicted_guesses(table, config, report)
    checked = frame[frame["问题"] == ""]
    fields = {f.name: f for f in kind.fields}

    def locate_range(row: pd.Series, column: str) -> dict[str, Any]:
        f = fields[column]
        low, high = f.bounds(config)
        return {
            "file": row["文件"],
            "sheet": row["工作表"],
            "cell": table.cell(row.name, column),
            "value": show(f, row[column]),
            "field": f.label,
            "minimum": show(f, low),
            "maximum": show(f, high),
        }

    found, bad = problems_from(range_schema(kind.fields, config), checked, "error", locate_range)
    report.extend(found)
    _mark(frame, bad)
    for schema, severity, point_at in rules:
        checked = frame[frame["问题"] == ""]

        def locate_rule(row: pd.Series, _column: str, point_at: str = point_at) -> dict[str, Any]:
            value = row.get(point_at)
            return {
                "file": row["文件"],
                "sheet": row["工作表"],
                "cell": table.cell(row.name, point_at),
                "value": show(fields[point_at], value) if point_at in fields else value,
                **{k: show(fields[k], v) if k in fields else v for k, v in row.items()},
            }

        found, bad = problems_from(schema, checked, severity, locate_rule)
        report.extend(found)
        if severity == "error":
            _mark(frame, bad)
    return table


# How many values above a default maximum make it a wrong guess, not a few typing errors (as
# for a score column's 满分: toolkit/scores/full_marks.py).
_MIN_ABOVE, _MIN_ABOVE_SHARE = 3, 0.05


def _contradicted_guesses(table: RecordTable, config: SchoolConfig, report: ProblemReport) -> None:
    """A column whose default maximum (no config set it) most values pass: one error naming the
    setting to write; its rows above the default are left out (code ``field.bound_guess``)."""
    frame = table.frame
    for f in table.kind.fields:
        setting = f.guessed_setting(config) if f.guessed_setting else None
        if setting is None or f.name not in frame:
            continue
        _, high = f.bounds(config)
        values = pd.to_numeric(frame.loc[frame["问题"] == "", f.name], errors="coerce").dropna()
        over = values[values > high] if high is not None else values.iloc[:0]
        if len(over) < max(_MIN_ABOVE, _MIN_ABOVE_SHARE * len(values)):
            continue
        top = float(over.max())
        files = list(dict.fromkeys(frame.loc[over.index, "文件"]))
        report.add(
            "error",
            "field.bound_guess",
            file=files[0],
            field=f.label,
            maximum=show(f, high),
            top=show(f, top),
            count=len(over),
            files="、".join(files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else ""),
            setting=setting,
            proposal=show(f, float(-(-top // 5) * 5)),
        )
        _mark(frame, dict.fromkeys(over.index, "field.bound_guess"))


def _mark(frame: pd.DataFrame, bad: dict[Any, str]) -> None:
    for index, code in bad.items():
        if not frame.at[index, "问题"]:
            frame.at[index, "问题"] = code


def check_known_classes(table: RecordTable, config: SchoolConfig, report: ProblemReport) -> None:
    """With the config's 班级 sheet, a record naming a class the school does not have (三(7)班
    in a grade of six classes, a typo) is a warning at its 班级 cell; the row still counts."""
    from toolkit.base.classnames import class_name

    known = {(c.grade, c.number) for c in config.classes}
    if not known or not table.kind.has_identity:
        return
    frame = table.frame
    rows: set[tuple[str, str, int]] = set()  # a wide row's records (乐考) are warned of once
    for index, row in frame[frame["问题"] == ""].iterrows():
        grade, number = row["年级"], row["班级"]
        if pd.isna(grade) or pd.isna(number) or (int(grade), int(number)) in known:
            continue
        if (row["文件"], row["工作表"], row["行"]) in rows:
            continue
        rows.add((row["文件"], row["工作表"], row["行"]))
        report.add(
            "warning",
            "class.not_in_config",
            file=row["文件"],
            sheet=row["工作表"],
            cell=table.cell(index, "班级") or table.cell(index, "年级"),
            value=class_name(int(grade), int(number)),
            class_text=class_name(int(grade), int(number)),
        )
