"""Small tables the packs build from rollups: class rows with the grade's row last (全年级),
and subject × class tables whose columns are the classes (one chart series per class)."""

from __future__ import annotations

import pandas as pd

from toolkit.base.classnames import class_name
from toolkit.present import GRADE_LABEL


def class_rows(frame: pd.DataFrame, grade: int) -> tuple[pd.DataFrame, pd.Series | None]:
    """A rollup's class rows of ``grade`` and its grade row (班级 empty), or None."""
    rows = frame[frame["年级"] == grade]
    classes = rows[rows["班级"].notna()]
    grade_rows = rows[rows["班级"].isna()]
    return classes, (grade_rows.iloc[0] if len(grade_rows) else None)


def class_labels(classes: pd.DataFrame) -> list[str]:
    """``四(1)班`` for each row (年级, 班级)."""
    pairs = zip(classes["年级"], classes["班级"], strict=True)
    return [class_name(int(g), int(n)) for g, n in pairs]


def by_class(
    classes: pd.DataFrame, grade_row: pd.Series | None, columns: list[str]
) -> pd.DataFrame:
    """班级 | columns…, the grade's row last as 全年级."""
    frame = pd.DataFrame({"班级": class_labels(classes)})
    for column in columns:
        frame[column] = list(classes[column])
    if grade_row is not None:
        frame.loc[len(frame)] = [GRADE_LABEL, *(grade_row[c] for c in columns)]
    return frame


def subject_by_class(
    frame: pd.DataFrame, subjects: list[str], column: str, grade_row: bool = True
) -> pd.DataFrame:
    """学科 | 四(1)班 | 四(2)班 | … (| 全年级): one series per class, coloured by class."""
    classes = frame[frame["班级"].notna()]
    numbers = sorted({int(n) for n in classes["班级"]})
    grade = int(classes["年级"].iloc[0])
    table = pd.DataFrame({"学科": subjects})
    for number in numbers:
        rows = classes[classes["班级"] == number].set_index("学科")[column]
        table[class_name(grade, number)] = [rows.get(s) for s in subjects]
    if grade_row:
        rows = frame[frame["班级"].isna()].set_index("学科")[column]
        table[GRADE_LABEL] = [rows.get(s) for s in subjects]
    return table
