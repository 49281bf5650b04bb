"""The demo school's grades 1–2: no paper test, a term-end 乐考 (play-based stations), recorded
by each class teacher on a sheet per class — a row per pupil, a column per station."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from toolkit.config.model import ClassInfo, LekaoStation, RosterEntry, SchoolConfig
from toolkit.demo.school import _draw_name, _Formats, _grade_word

LEKAO_GRADES = (1, 2)
CLASSES_PER_GRADE = 2
# The demo's stations: the defaults, some marked in stars and one passed or not, as schools do.
STATIONS = (
    LekaoStation(1, "拼音小达人", "语文", "星级"),
    LekaoStation(1, "识字大闯关", "语文"),
    LekaoStation(1, "口算小能手", "数学"),
    LekaoStation(1, "数学游园", "数学", "星级"),
    LekaoStation(1, "生活小能手", "综合", "过关"),
    LekaoStation(2, "朗读小明星", "语文", "星级"),
    LekaoStation(2, "识字大闯关", "语文"),
    LekaoStation(2, "口算小能手", "数学"),
    LekaoStation(2, "数学游园", "数学", "星级"),
    LekaoStation(2, "生活小能手", "综合", "过关"),
)
_MARKS = {
    "等级": ("优秀", "良好", "合格", "待合格"),
    "星级": ("★★★", "★★", "★", "★"),  # a star scale has three marks: the last is 合格 too
    "过关": ("过关", "过关", "过关", "未过关"),
}
_SHARES = (0.35, 0.35, 0.22, 0.08)  # 优秀, 良好, 合格, 待合格 as young pupils are marked


def add_lekao_grades(config: SchoolConfig, seed: int = 31) -> pd.DataFrame:
    """Give ``config`` the two lower grades (classes, roster, 乐考项目) and draw their marks:
    one row per pupil with 年级, 班级, 学号, 姓名 and a column per station of the grade (a
    blank where the pupil was away)."""
    rng = np.random.default_rng(seed)
    taken = {entry.name for entry in config.roster}
    rows = []
    for grade in LEKAO_GRADES:
        stations = [s for s in STATIONS if s.grade == grade]
        for number in range(1, CLASSES_PER_GRADE + 1):
            size = int(rng.integers(34, 41))
            config.classes.append(ClassInfo(grade, number, _draw_name(rng, taken), size))
            for k in range(1, size + 1):
                sid, name = f"{2026 - grade}{number:02d}{k:02d}", _draw_name(rng, taken)
                config.roster.append(RosterEntry(grade, number, sid, name))
                row: dict[str, object] = {"年级": grade, "班级": number, "学号": sid, "姓名": name}
                for station in stations:
                    level = int(rng.choice(4, p=_SHARES))
                    away = rng.random() < 0.015
                    row[station.name] = "" if away else _MARKS[station.scoring][level]
                rows.append(row)
    config.lekao_stations = list(STATIONS)
    return pd.DataFrame(rows)


def write_lekao_files(marks: pd.DataFrame, out_dir: Path) -> list[Path]:
    """A workbook per grade (``一年级乐考记录.xlsx``), a sheet per class: title, header, pupils."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for grade, pupils in marks.groupby("年级", sort=True):
        word = _grade_word(int(grade))
        stations = [s.name for s in STATIONS if s.grade == grade]
        path = out_dir / f"{word}年级乐考记录.xlsx"
        with xlsxwriter.Workbook(path) as wb:
            f = _Formats(wb)
            for number, rows in pupils.groupby("班级", sort=True):
                ws = wb.add_worksheet(f"{word}({int(number)})班")
                headers = ["学号", "姓名", *stations, "备注"]
                title = f"{word}年级({int(number)})班期末趣味乐考记录"
                ws.merge_range(0, 0, 0, len(headers) - 1, title, f.title)
                ws.write_row(1, 0, headers, f.header)
                for r, (_, row) in enumerate(rows.iterrows(), start=2):
                    ws.write_string(r, 0, str(row["学号"]), f.cell)
                    ws.write_string(r, 1, str(row["姓名"]), f.cell)
                    for c, station in enumerate(stations, start=2):
                        ws.write_string(r, c, str(row[station]), f.cell)
                    away = any(row[s] == "" for s in stations)
                    ws.write_string(r, len(stations) + 2, "病假" if away else "", f.cell)
                ws.set_column(0, len(headers) - 1, 11)
        paths.append(path)
    return paths
