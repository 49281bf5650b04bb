"""Outputs are atomic: a crash or Ctrl-C mid-write leaves either the old file or none, never a
truncated one.

Each output kind is first written for real. Then the library call that saves it
(``xlsxwriter.Workbook.close``, ``docx.document.Document.save``,
``pptx.presentation.Presentation.save``, ``matplotlib.figure.Figure.savefig``) is replaced by
one that writes the start of a file and then raises, as a Ctrl-C or a crash half-way through
the save would. Afterwards the file being saved must hold its old bytes (or not exist when
there was none), no temporary file (``.name.xxxx.xlsx``) may be left in the folder, the files
saved before the failure must be whole, and the failure must end cleanly: KeyboardInterrupt
propagates from a library call, and the command exits 130 (interrupted) or 2 (cannot write).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx.document
import matplotlib.figure
import pptx.presentation
import pytest
import xlsxwriter

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import main
from toolkit.config.read import load_config
from toolkit.demo import records as sample
from toolkit.demo.school import SampleSchool, make_config, make_school, write_score_files
from toolkit.demo.term import term_exams
from toolkit.pack.load import load_term
from toolkit.pack.monthly import MonthlyPack, build_monthly
from toolkit.pack.term import TermAnalysis, build_term
from toolkit.render.packs.monthly_pack import write_monthly_pack
from toolkit.render.packs.term_pack import write_term_pack
from toolkit.render.workbooks.config_template import write_config_template
from toolkit.render.workbooks.score_workbook import write_score_workbook
from toolkit.scores.report import analyze

pytestmark = pytest.mark.slow

MONTH = "2026-05"
AS_OF = "2026-05-31"
ITEMS_DATE = "2026-07-01"
INTERRUPTED = 130  # the CLI's exit status after Ctrl-C
EXIT_FAILURE = 2

# Where each kind of file is saved, and how to find the path the save writes to.
SAVERS: dict[str, tuple[type, str, Callable[[Any, tuple[Any, ...]], Any]]] = {
    "xlsx": (xlsxwriter.Workbook, "close", lambda self, args: self.filename),
    "docx": (docx.document.Document, "save", lambda self, args: args[0]),
    "pptx": (pptx.presentation.Presentation, "save", lambda self, args: args[0]),
    "png": (matplotlib.figure.Figure, "savefig", lambda self, args: args[0]),
}
# The first bytes a crash could leave: the start of a zip (xlsx/docx/pptx) or of a PNG.
PARTIAL = {"png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}
PARTIAL_ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\0" * 64


# --------------------------------------------------------------------------- breaking a save


@dataclass
class Broken:
    """The paths the broken saver was asked to write, in order."""

    kind: str
    paths: list[Path] = dataclasses.field(default_factory=list)

    @property
    def temporary(self) -> Path:
        return self.paths[-1]

    @property
    def target(self) -> Path:
        """The output the failed save was for: ``.四年级学情研判.k3j2x9.pptx`` is the
        temporary of ``四年级学情研判.pptx`` (toolkit.render.output's naming)."""
        name = self.temporary.name
        assert name.startswith("."), f"{name} was not written to a temporary beside its target"
        stem = name[1:].rsplit(".", 2)[0]
        return self.temporary.parent / f"{stem}{self.temporary.suffix}"


def break_save(
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    error: BaseException | type[BaseException] = KeyboardInterrupt,
    nth: int = 1,
) -> Broken:
    """Make the ``nth`` save of ``kind`` write a truncated file and raise ``error``."""
    owner, method, path_of = SAVERS[kind]
    original = getattr(owner, method)
    broken = Broken(kind)

    def save(self: Any, *args: Any, **kwargs: Any) -> Any:
        path = Path(path_of(self, args))
        broken.paths.append(path)
        if len(broken.paths) < nth:
            return original(self, *args, **kwargs)
        path.write_bytes(PARTIAL.get(kind, PARTIAL_ZIP))
        raise error

    monkeypatch.setattr(owner, method, save)
    return broken


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def whole(name: str, data: bytes) -> bool:
    """A complete file: a readable zip (xlsx/docx/pptx) or a PNG that ends with IEND."""
    if name.endswith(".png"):
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False


def assert_intact(folder: Path, before: dict[str, bytes], broken: Broken) -> None:
    """After a failed save: the file being saved as before (or absent), no temporary left,
    nothing added or lost, everything else whole."""
    after = files(folder)
    assert broken.paths, "the broken saver was never called"
    assert broken.temporary.parent.is_relative_to(folder)
    stray = [name for name in after if any(part.startswith(".") for part in name.split("/"))]
    assert stray == [], "temporary files left behind"
    failed = broken.target.relative_to(folder).as_posix()
    assert after.get(failed) == before.get(failed), f"{failed} changed"
    if before:
        assert set(after) == set(before)
    else:
        assert failed not in after
    broken_files = [name for name, data in after.items() if not whole(name, data)]
    assert broken_files == []


# --------------------------------------------------------------------------- inputs


def only_grade(school: SampleSchool, grade: int) -> SampleSchool:
    keep = school.truth["年级"] == grade
    absent = school.absent["年级"] == grade
    return dataclasses.replace(
        school,
        truth=school.truth[keep].reset_index(drop=True),
        absent=school.absent[absent].reset_index(drop=True),
    )


@dataclass
class Inputs:
    root: Path
    config: Path
    term: Path  # grade 4: 期中 and 期末 scores, 听评课, 薄弱点台账
    scores: Path  # the term's 期末 scores
    ledger: Path  # the term's 薄弱点台账 folder
    items: Path  # 期末 小题分 (outside the term)
    pack: MonthlyPack
    analysis: TermAnalysis


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    root = tmp_path_factory.mktemp("atomic-inputs")
    school = make_school(grades=(4,))
    config_path = write_config_template(root / "学校配置.xlsx", make_config(school))
    config = load_config(config_path, ProblemReport())
    term = root / "学期"
    exams = term_exams(school)
    for name in ("期中", "期末"):
        write_score_files(only_grade(exams[name], 4), term / "成绩" / name)
    sample.write_weakpoint_files(sample.make_weakpoints(config), term / "薄弱点台账")
    sample.write_observation_files(sample.make_observations(config), term / "听评课")
    sample.write_item_files(sample.make_items(exams["期末"]), root / "小题分")
    data = load_term([term], config_path=config_path)
    return Inputs(
        root=root,
        config=config_path,
        term=term,
        scores=term / "成绩" / "期末",
        ledger=term / "薄弱点台账",
        items=root / "小题分",
        pack=build_monthly(data, MONTH),
        analysis=build_term(data, as_of=dt.date.fromisoformat(AS_OF)),
    )


def command(inputs: Inputs, name: str, out: Path) -> list[str]:
    """The command line of an output kind, writing into ``out``."""
    config = ["-c", str(inputs.config), "-q"]
    commands = {
        "scores": ["scores", str(inputs.scores), "-o", str(out / "成绩分析.xlsx"), *config],
        "weakpoints": [
            "weakpoints",
            str(inputs.ledger),
            "--as-of",
            AS_OF,
            "-o",
            str(out / "薄弱点台账汇总.xlsx"),
            *config,
        ],
        "items": [
            "items",
            str(inputs.items),
            "--date",
            ITEMS_DATE,
            "-o",
            str(out / "试题分析.xlsx"),
            *config,
        ],
        "templates": ["templates", "-c", str(inputs.config), "-o", str(out), "--force"],
        "init": ["init", "-o", str(out / "学校配置.xlsx")],
        "monthly": ["monthly", str(inputs.term), "--month", MONTH, "-o", str(out), *config],
    }
    return commands[name]


@pytest.fixture(scope="module")
def good(inputs: Inputs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each output kind written once, successfully: the "old files" of the tests."""
    folders: dict[str, Path] = {}
    for name in ("scores", "weakpoints", "items", "templates", "init"):
        folder = tmp_path_factory.mktemp(f"good-{name}")
        assert main(command(inputs, name, folder)) == 0, name
        folders[name] = folder
    folders["monthly"] = tmp_path_factory.mktemp("good-monthly")
    write_monthly_pack(inputs.pack, folders["monthly"])
    folders["term"] = tmp_path_factory.mktemp("good-term")
    write_term_pack(inputs.analysis, folders["term"])
    return folders


@pytest.fixture(params=["previous", "none"])
def previous(request: pytest.FixtureRequest) -> bool:
    """With the good output already in the folder, or into an empty folder."""
    return request.param == "previous"


def prepared(good: dict[str, Path], name: str, tmp_path: Path, previous: bool) -> Path:
    out = tmp_path / "输出"
    if previous:
        shutil.copytree(good[name], out)
    else:
        out.mkdir()
    return out


# --------------------------------------------------------------------------- the commands

# (command, kind of file that fails, which save of that kind fails)
CLI_CASES = [
    ("scores", "xlsx", 1),
    ("weakpoints", "xlsx", 1),
    ("items", "xlsx", 1),  # 试题分析.xlsx
    ("items", "xlsx", 2),  # its suggested 薄弱点台账, after 试题分析.xlsx was replaced
    ("templates", "xlsx", 3),  # the third of five templates
]


@pytest.mark.parametrize(("name", "kind", "nth"), CLI_CASES)
def test_ctrl_c_while_a_command_saves(
    inputs: Inputs,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    previous: bool,
    name: str,
    kind: str,
    nth: int,
) -> None:
    out = prepared(good, name, tmp_path, previous)
    before = files(out)
    broken = break_save(monkeypatch, kind, KeyboardInterrupt, nth)
    assert main(command(inputs, name, out)) == INTERRUPTED
    assert_intact(out, before, broken)


def test_ctrl_c_while_init_saves(
    inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``init`` never writes over a file, so only the no-previous-file case is a command."""
    out = tmp_path / "输出"
    out.mkdir()
    broken = break_save(monkeypatch, "xlsx")
    assert main(command(inputs, "init", out)) == INTERRUPTED
    assert_intact(out, {}, broken)


def test_config_template_over_an_old_one(
    good: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = prepared(good, "init", tmp_path, previous=True)
    before = files(out)
    broken = break_save(monkeypatch, "xlsx")
    with pytest.raises(KeyboardInterrupt):
        write_config_template(out / "学校配置.xlsx")
    assert_intact(out, before, broken)


def test_crash_while_the_score_workbook_saves(
    inputs: Inputs,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    previous: bool,
) -> None:
    """Not an interruption but a bug or crash in the writer: the exception propagates."""
    report = analyze([inputs.scores], problems=ProblemReport())
    out = prepared(good, "scores", tmp_path, previous)
    before = files(out)
    broken = break_save(monkeypatch, "xlsx", RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        write_score_workbook(report, out / "成绩分析.xlsx")
    assert_intact(out, before, broken)


# --------------------------------------------------------------------------- the packs

PACK_CASES = [
    ("monthly", "xlsx", 1),  # 全校学情研判.xlsx, the first file of the pack
    ("monthly", "png", 2),  # the second chart
    ("monthly", "pptx", 1),  # the deck, after the workbooks and charts
    ("term", "xlsx", 1),
    ("term", "png", 1),
    ("term", "docx", 1),
]


def write_pack(inputs: Inputs, name: str, out: Path) -> list[Path]:
    if name == "monthly":
        return write_monthly_pack(inputs.pack, out)
    return write_term_pack(inputs.analysis, out)


@pytest.mark.parametrize(("name", "kind", "nth"), PACK_CASES)
def test_ctrl_c_while_a_pack_saves(
    inputs: Inputs,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    previous: bool,
    name: str,
    kind: str,
    nth: int,
) -> None:
    out = prepared(good, name, tmp_path, previous)
    before = files(out)
    broken = break_save(monkeypatch, kind, KeyboardInterrupt, nth)
    with pytest.raises(KeyboardInterrupt):
        write_pack(inputs, name, out)
    assert_intact(out, before, broken)


def test_ctrl_c_while_the_monthly_command_saves_its_deck(
    inputs: Inputs, good: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = prepared(good, "monthly", tmp_path, previous=True)
    before = files(out)
    broken = break_save(monkeypatch, "pptx")
    assert main(command(inputs, "monthly", out)) == INTERRUPTED
    assert_intact(out, before, broken)


# --------------------------------------------------------------------------- a full disk


def disk_full() -> OSError:
    return OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", ["pptx", "png"])
def test_full_disk_while_the_monthly_command_saves(
    inputs: Inputs,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    """An OSError while saving is a located problem and exit 2, with the old file kept."""
    out = prepared(good, "monthly", tmp_path, previous=True)
    before = files(out)
    broken = break_save(monkeypatch, kind, disk_full())
    assert main(command(inputs, "monthly", out)) == EXIT_FAILURE
    assert_intact(out, before, broken)
    assert broken.target.name in "".join(capsys.readouterr().err.split())


def test_full_disk_while_a_workbook_saves(
    inputs: Inputs,
    good: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = prepared(good, "weakpoints", tmp_path, previous=True)
    before = files(out)
    calls: list[Path] = []

    def store(self: Any) -> None:  # the zip is being written when the disk fills up
        calls.append(Path(self.filename))
        Path(self.filename).write_bytes(PARTIAL_ZIP)
        raise disk_full()

    monkeypatch.setattr(xlsxwriter.Workbook, "_store_workbook", store)
    try:
        code = main(command(inputs, "weakpoints", out))
    finally:
        broken = Broken("xlsx", calls)
        assert_intact(out, before, broken)
    assert code == EXIT_FAILURE
    assert "薄弱点台账汇总.xlsx" in "".join(capsys.readouterr().err.split())
