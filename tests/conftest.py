"""Shared fixtures: a sample school written in teachers' messy layouts, once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from toolkit.demo.school import (
    DirtyCell,
    SampleSchool,
    make_dirty_copy,
    make_previous,
    make_school,
    write_score_files,
)
from toolkit.demo.term import TermTruth


@pytest.fixture(scope="session")
def school() -> SampleSchool:
    return make_school()


@pytest.fixture(scope="session")
def school_dir(tmp_path_factory: pytest.TempPathFactory, school: SampleSchool) -> Path:
    """Layouts A–D, grade 6 as a real .xls (needs xlwt, a test dependency)."""
    folder = tmp_path_factory.mktemp("school") / "期末"
    write_score_files(school, folder, with_xls=True)
    return folder


@pytest.fixture(scope="session")
def previous_dir(tmp_path_factory: pytest.TempPathFactory, school: SampleSchool) -> Path:
    folder = tmp_path_factory.mktemp("previous") / "期中"
    write_score_files(make_previous(school), folder)
    return folder


@pytest.fixture(scope="session")
def dirty(
    tmp_path_factory: pytest.TempPathFactory, school_dir: Path
) -> tuple[Path, list[DirtyCell]]:
    folder = tmp_path_factory.mktemp("dirty") / "期末"
    return folder, make_dirty_copy(school_dir, folder)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A LibreOffice or browser test is slow too: ``-m "not slow"`` leaves them all out."""
    for item in items:
        if item.get_closest_marker("libreoffice") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


# The month and the day the sample packs are built for: the demo school's May meeting.
PACK_MONTH, PACK_AS_OF = "2026-05", "2026-05-31"


@dataclass(frozen=True)
class SamplePacks:
    """The demo school's term folder (config written and read back as a school's own), and the
    monthly and term packs built from it by the command line. Tests only read it."""

    root: Path
    config_path: Path
    truth: TermTruth
    monthly_dir: Path
    term_dir: Path
    monthly_rc: int
    term_rc: int


@pytest.fixture(scope="session")
def sample_packs(tmp_path_factory: pytest.TempPathFactory) -> SamplePacks:
    """Built once per session: the packs are the slowest thing the tests make."""
    from builders import write_sample_term

    from toolkit.cli.parser import main

    root = tmp_path_factory.mktemp("sample-term")
    config_path, truth = write_sample_term(root, make_school())
    monthly_dir, term_dir = root / "月度学情研判", root / "期末质量分析"
    common = ["-c", str(config_path), "-q"]
    monthly_rc = main(
        ["monthly", str(truth.folder), "--month", PACK_MONTH, "-o", str(monthly_dir), *common]
    )
    term_rc = main(["term", str(truth.folder), "-o", str(term_dir), "--as-of", PACK_AS_OF, *common])
    return SamplePacks(root, config_path, truth, monthly_dir, term_dir, monthly_rc, term_rc)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``xueqing demo`` writes, run once per session; tests only read it."""
    from toolkit.cli.parser import main

    target = tmp_path_factory.mktemp("demo") / "示例"
    assert main(["demo", "-o", str(target), "-q"]) == 0
    return target
