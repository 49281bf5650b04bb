"""Shared fixtures: a sample school written in teachers' messy layouts, once per session."""

from __future__ import annotations

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
