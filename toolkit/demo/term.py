"""A whole synthetic term as a school office keeps it: one folder with every kind of file, in
sub-folders of its own choosing, a few dirty cells and one corrupt file.

``2025-2026学年第二学期/`` ├ 成绩/3月月考, 成绩/期中, 成绩/期末 ├ 小题分/期中, 小题分/期末
├ 作业检查/ (four planted errors) ├ 听评课/ ├ 薄弱点台账/ └ 收到的文件/ (a damaged workbook)
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.config.model import SchoolConfig
from toolkit.demo.school import DirtyCell, SampleSchool, make_previous, write_score_files

TERM_FOLDER = "2025-2026学年第二学期"
CORRUPT_FILE = "收到的文件/四(2)班期末成绩（微信传输）.xlsx"
# The term's exams in the order they were sat, and the month of each.
EXAMS = (("3月月考", 3), ("期中", 4), ("期末", 6))


@dataclass(frozen=True)
class TermTruth:
    """What the generated term holds: each exam's school, the item truths, planted problems."""

    folder: Path
    exams: dict[str, SampleSchool]
    dirty: list[DirtyCell]
    corrupt: Path


def term_exams(school: SampleSchool) -> dict[str, SampleSchool]:
    """3月月考 and 期中 are the same students with scores moved (``make_previous``); 期末 is
    ``school`` itself."""
    march = dataclasses.replace(make_previous(school, seed=3), exam="3月月考")
    return {"3月月考": march, "期中": make_previous(school), "期末": school}


def write_term_folder(school: SampleSchool, config: SchoolConfig, out_dir: Path) -> TermTruth:
    """Write the term under ``out_dir/TERM_FOLDER`` (which must not exist)."""
    from toolkit.demo import records as sample

    folder = Path(out_dir) / TERM_FOLDER
    folder.mkdir(parents=True)
    exams = term_exams(school)
    for name, exam in exams.items():
        write_score_files(exam, folder / "成绩" / name)
    for name in ("期中", "期末"):
        sample.write_item_files(sample.make_items(exams[name]), folder / "小题分" / name)
    with tempfile.TemporaryDirectory() as scratch:
        clean = Path(scratch) / "作业检查"
        sample.write_homework_files(sample.make_homework(config), clean)
        dirty = sample.make_dirty_record_copies(clean, Path(scratch) / "dirty")
        shutil.copytree(Path(scratch) / "dirty", folder / "作业检查")
    sample.write_observation_files(sample.make_observations(config), folder / "听评课")
    sample.write_weakpoint_files(sample.make_weakpoints(config), folder / "薄弱点台账")
    corrupt = folder / CORRUPT_FILE
    corrupt.parent.mkdir(parents=True)
    # What a chat app leaves of a workbook whose transfer broke off: a zip that ends early.
    corrupt.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    return TermTruth(folder, exams, dirty, corrupt)
