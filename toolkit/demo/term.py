"""A whole synthetic term as a school office keeps it: one folder with every kind of file, in
sub-folders of its own choosing, a few dirty cells and one corrupt file.

``2025-2026学年第二学期/`` ├ 成绩/3月月考, 成绩/期中, 成绩/期末 ├ 小题分/期中, 小题分/期末
├ 作业检查/ (four planted errors) ├ 听评课/ ├ 薄弱点台账/ └ 收到的文件/ (a damaged workbook)

The demo's term follows the rules on everyday exams (``compliant``): one 期末, grades 3–4
reported in levels, last term's 期末 kept for 进退步 (成绩/上学期期末, 成绩/期末, 小题分/期末).
The three-exam term is what many schools' folders still hold; the tests of the packs and of
合规提示 run on it.
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
# The compliant term's exams: last term's 期末 (for 进退步) and this term's one 期末.
PREVIOUS_TERM_EXAM = "上学期期末"
# Grades whose 期末 the demo's teachers send in levels, each in its own spellings.
LEVEL_GRADES = {3: ("优", "良", "合格", "待提高"), 4: ("A", "B", "C", "D")}


@dataclass(frozen=True)
class TermTruth:
    """What the generated term holds: each exam's school, the item truths, planted problems."""

    folder: Path
    exams: dict[str, SampleSchool]
    dirty: list[DirtyCell]
    corrupt: Path


def term_exams(school: SampleSchool, compliant: bool = False) -> dict[str, SampleSchool]:
    """3月月考 and 期中 are the same students with scores moved (``make_previous``); 期末 is
    ``school`` itself. The compliant term: last term's 期末 (moved scores) and 期末."""
    if compliant:
        earlier = dataclasses.replace(make_previous(school), exam=PREVIOUS_TERM_EXAM)
        return {PREVIOUS_TERM_EXAM: earlier, "期末": school}
    march = dataclasses.replace(make_previous(school, seed=3), exam="3月月考")
    return {"3月月考": march, "期中": make_previous(school), "期末": school}


def write_term_folder(
    school: SampleSchool, config: SchoolConfig, out_dir: Path, compliant: bool = False
) -> TermTruth:
    """Write the term under ``out_dir/TERM_FOLDER`` (which must not exist)."""
    from toolkit.demo import records as sample

    folder = Path(out_dir) / TERM_FOLDER
    folder.mkdir(parents=True)
    exams = term_exams(school, compliant)
    for name, exam in exams.items():
        levels = LEVEL_GRADES if compliant and name == "期末" else None
        write_score_files(exam, folder / "成绩" / name, in_levels=levels)
    for name in ("期末",) if compliant else ("期中", "期末"):
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
