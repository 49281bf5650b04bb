"""乐考 figures (docs/口径.md) as pure functions: records in, tables out.

``records`` is the validated frame of :data:`~toolkit.lekao.schema.LEKAO`: one row per student ×
项目, ``结果`` the mark (None: not assessed). Marks are counted in levels (★★★ 优秀 … 未过关
待合格); a student's 学科总评 is the level the mean of their marks' points reaches. Nothing here
ranks a pupil: students are listed by class in the order of the sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.config.model import SchoolConfig
from toolkit.lekao.schema import (
    COMBINED,
    LEVEL_OF_MARK,
    LEVELS,
    NOT_ASSESSED,
    POINTS,
    station_of,
    stations_for,
    subjects_for,
)
from toolkit.records.period import Period
from toolkit.records.rollup import keys_as_objects, share

COUNT_COLUMNS = [*LEVELS, NOT_ASSESSED, "实测人数", "优良率", "合格率"]
STUDENT_KEYS = ["年级", "班级", "学号", "姓名"]


@dataclass
class LekaoSummary:
    period: Period
    records: pd.DataFrame  # the marks counted, with 等级 (NaN: not assessed), 学科 and 学生
    used: pd.DataFrame  # every record counted
    stations: pd.DataFrame  # per 年级 × 项目: each class, then 全年级 (班级 None)
    subjects: pd.DataFrame  # per 年级 × 学科 (综合 too): each class, then 全年级
    overall: pd.DataFrame  # per student × 学科: 总评 (None: 未测)
    students: dict[int, pd.DataFrame]  # per grade: each student's marks and 学科总评
    lines: tuple[float, float, float]  # 乐考等级线: 优秀, 良好, 合格


def level_of(mean: float, lines: tuple[float, float, float]) -> str:
    """The level a mean of points (优秀 4 … 待合格 1) reaches; rounded first, so that a mean of
    exactly 3.5 is 3.5 whatever the order of the sum."""
    mean = round(float(mean), 9)
    for line, level in zip(lines, LEVELS, strict=False):
        if mean >= line:
            return level
    return LEVELS[-1]


def prepare(records: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    """The records with 等级 (the mark as a level), 学科 (the station's) and 学生 (a key)."""
    out = records.copy()
    out["等级"] = out["结果"].map(LEVEL_OF_MARK)
    stations = [
        station_of(config, int(g), str(n)) for g, n in zip(out["年级"], out["项目"], strict=True)
    ]
    out["学科"] = [s.subject if s is not None else COMBINED for s in stations]
    out["学生"] = [
        f"{g}|{c}|{sid or ''}|{name}"
        for g, c, sid, name in zip(out["年级"], out["班级"], out["学号"], out["姓名"], strict=True)
    ]
    return out


def distribution(frame: pd.DataFrame, keys: list[str], level: str = "等级") -> pd.DataFrame:
    """Per ``keys`` group: students per level, 未测, 实测人数, 优良率 and 合格率."""
    flags = pd.DataFrame({k: frame[k] for k in keys})
    for name in LEVELS:
        flags[name] = (frame[level] == name).astype(int)
    flags[NOT_ASSESSED] = frame[level].isna().astype(int)
    out = flags.groupby(keys, sort=False, dropna=False)[[*LEVELS, NOT_ASSESSED]].sum()
    out = out.reset_index()
    out["实测人数"] = out[list(LEVELS)].sum(axis=1)
    out["优良率"] = share(out["优秀"] + out["良好"], out["实测人数"])
    out["合格率"] = share(out["实测人数"] - out["待合格"], out["实测人数"])
    return out[[*keys, *COUNT_COLUMNS]]


def summarise(records: pd.DataFrame, config: SchoolConfig, period: Period) -> LekaoSummary:
    """All the 乐考 tables for ``period`` (``records``: every valid record read)."""
    prepared = prepare(records, config)
    scope = prepared[period.in_month(prepared["测评日期"])]
    lines = (config.lekao_excellent, config.lekao_good, config.lekao_pass)
    overall = _overall(scope, config, lines)
    return LekaoSummary(
        period=period,
        records=scope,
        used=scope,
        stations=_stations(scope, config),
        subjects=_subjects(overall, config),
        overall=overall,
        students=_students(scope, overall, config),
        lines=lines,
    )


def _with_grade_rows(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per 年级 × ``by``: each class, then the grade's row (班级 None), measured on the records."""
    classes = distribution(frame, ["年级", "班级", by], _level_column(frame))
    grades = distribution(frame, ["年级", by], _level_column(frame)).assign(班级=None)
    out = pd.concat([classes, grades], ignore_index=True)
    for key in ("年级", "班级"):
        out[key] = keys_as_objects(out[key])
    return out


def _level_column(frame: pd.DataFrame) -> str:
    return "总评" if "总评" in frame else "等级"


def _ordered(frame: pd.DataFrame, by: str, order: dict[int, list[str]]) -> pd.DataFrame:
    """Each grade's ``by`` in ``order`` (others after, by name), classes first, 全年级 last."""

    def position(grade: object, value: object) -> tuple[int, str]:
        known = order.get(int(grade), [])  # type: ignore[call-overload]
        return (known.index(value), "") if value in known else (len(known), str(value))

    keys = frame.assign(
        _g=frame["年级"].astype(int),
        _by=[position(g, v) for g, v in zip(frame["年级"], frame[by], strict=True)],
        _grade_row=frame["班级"].isna(),
        _c=[0 if pd.isna(c) else int(c) for c in frame["班级"]],
    )
    keys = keys.sort_values(["_g", "_by", "_grade_row", "_c"], kind="stable")
    return keys.drop(columns=["_g", "_by", "_grade_row", "_c"]).reset_index(drop=True)


def _stations(scope: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    columns = ["年级", "班级", "项目", "学科", *COUNT_COLUMNS]
    if scope.empty:
        return pd.DataFrame(columns=columns)
    table = _with_grade_rows(scope, "项目")
    subject = scope.drop_duplicates(["年级", "项目"]).set_index(["年级", "项目"])["学科"]
    table["学科"] = [subject.get((g, p)) for g, p in zip(table["年级"], table["项目"], strict=True)]
    order = {g: [s.name for s in stations_for(config, g)] for g in _grades(scope)}
    return _ordered(table[columns], "项目", order)


def _grades(frame: pd.DataFrame) -> list[int]:
    return sorted({int(g) for g in frame["年级"].dropna()})


def _overall(
    scope: pd.DataFrame, config: SchoolConfig, lines: tuple[float, float, float]
) -> pd.DataFrame:
    """Per student × 学科 of the student's grade: 总评 from the mean points of the assessed
    stations (None when none of the subject's stations was assessed)."""
    columns = [*STUDENT_KEYS, "学生", "学科", "总评"]
    if scope.empty:
        return pd.DataFrame(columns=columns)
    assessed = scope[scope["等级"].notna()]
    means = assessed["等级"].map(POINTS).groupby([assessed["学生"], assessed["学科"]]).mean()
    students = scope.drop_duplicates("学生")
    rows = []
    for grade, group in students.groupby("年级", sort=True):
        present = sorted(set(scope.loc[scope["年级"] == grade, "学科"]))
        for subject in subjects_for(config, int(grade), present):
            for student in group.itertuples(index=False):
                mean = means.get((student.学生, subject))
                level = None if mean is None or pd.isna(mean) else level_of(mean, lines)
                identity = [getattr(student, k) for k in (*STUDENT_KEYS, "学生")]
                rows.append((*identity, subject, level))
    return pd.DataFrame(rows, columns=columns)


def _subjects(overall: pd.DataFrame, config: SchoolConfig) -> pd.DataFrame:
    columns = ["年级", "班级", "学科", *COUNT_COLUMNS]
    if overall.empty:
        return pd.DataFrame(columns=columns)
    table = _with_grade_rows(overall, "学科")
    order = {
        g: subjects_for(config, g, sorted(set(overall.loc[overall["年级"] == g, "学科"])))
        for g in _grades(overall)
    }
    return _ordered(table[columns], "学科", order)


def _students(
    scope: pd.DataFrame, overall: pd.DataFrame, config: SchoolConfig
) -> dict[int, pd.DataFrame]:
    """Per grade, one row per student (by class, in the order of the sheets): each station's
    mark as written (未测 when blank) and each subject's 总评. No rank, no points."""
    out: dict[int, pd.DataFrame] = {}
    for grade in _grades(scope):
        mine = scope[scope["年级"] == grade]
        configured = [s.name for s in stations_for(config, grade)]
        stations = [*configured, *(p for p in dict.fromkeys(mine["项目"]) if p not in configured)]
        stations = [s for s in stations if s in set(mine["项目"])]
        marks = mine.set_index(["学生", "项目"])["结果"]
        levels = overall[overall["年级"] == grade].set_index(["学生", "学科"])["总评"]
        subjects = list(dict.fromkeys(overall.loc[overall["年级"] == grade, "学科"]))
        students = mine.drop_duplicates("学生")
        students = students.assign(_c=students["班级"].astype(int)).sort_values("_c", kind="stable")
        has_notes = mine["评语"].notna().any()
        notes = mine.dropna(subset=["评语"]).drop_duplicates("学生").set_index("学生")["评语"]
        rows = []
        for student in students.itertuples(index=False):
            row = {
                "年级": grade,
                "班级": int(student.班级),
                "学号": student.学号 or "",
                "姓名": student.姓名,
            }
            for station in stations:
                mark = marks.get((student.学生, station), "")
                row[station] = NOT_ASSESSED if mark is None or pd.isna(mark) else mark
            for subject in subjects:
                level = levels.get((student.学生, subject))
                row[f"{subject}总评"] = NOT_ASSESSED if level is None or pd.isna(level) else level
            if has_notes:
                row["评语"] = notes.get(student.学生, "")
            rows.append(row)
        out[grade] = pd.DataFrame(rows)
    return out
