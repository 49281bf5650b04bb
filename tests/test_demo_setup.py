"""The README's first command on a machine without the test extras (issue 16, set-up).

``pip install . && xueqing demo`` must not need xlwt, and a demo that fails half-way must not
leave a folder that blocks the next run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from toolkit.cli.console import Console
from toolkit.cli.parser import main
from toolkit.demo import records as sample_records
from toolkit.demo import run as demo
from toolkit.demo import school as sample_school
from toolkit.demo import xls as sample_xls

pytestmark = pytest.mark.slow


def _sheets_of(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _expected_rows(sheet: sample_xls.XlsSheet) -> list[list[object]]:
    """The cells a reader should see, built from the sheet description by hand."""
    cells: dict[tuple[int, int], object] = {}
    for r1, _, c1, _, value, _ in sheet.merges:
        cells[r1, c1] = value
    for row, col, value, _ in sheet.cells:
        cells[row, col] = value
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    grid: list[list[object]] = [[""] * width for _ in range(height)]
    for (r, c), value in cells.items():
        grid[r][c] = float(value) if isinstance(value, int) else value
    return grid


def test_failed_demo_leaves_nothing_and_the_demo_runs_without_xlwt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "xueqing-demo"

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("写到一半出错")

    with monkeypatch.context() as patch:
        patch.setattr(demo, "_packs", broken)
        with pytest.raises(RuntimeError):
            demo.run_demo(target, Console(quiet=True))
    assert list(tmp_path.iterdir()) == []  # neither the demo folder nor its scratch folder
    # A scratch folder left by a run that was killed outright does not block the next run.
    (tmp_path / "xueqing-demo.写入中-abc").mkdir()

    # The next run, on a machine without the test extras: xlwt cannot be imported.
    asked: list[list[sample_xls.XlsSheet]] = []

    def recording(path: Path, sheets: list[sample_xls.XlsSheet]) -> None:
        asked.append(sheets)
        sample_xls.write_xls(path, sheets)

    monkeypatch.setitem(sys.modules, "xlwt", None)
    monkeypatch.setattr(sample_records, "write_xls", recording)
    monkeypatch.setattr(sample_school, "write_xls", recording)
    assert main(["demo", "-o", str(target), "-q"]) == 0
    written = sorted(target.rglob("*.xls"))
    assert [p.name for p in written] == ["2026年5月六年级作业检查.xls", "英语教研组听课记录.xls"]
    assert len(asked) == 2
    monkeypatch.delitem(sys.modules, "xlwt")

    # Each legacy file holds exactly the cells the sample generator asked for, and is the
    # file xlwt writes for them today (the shipped copies are current and byte-stable).
    by_name = {p.name: p for p in written}
    for sheets in asked:
        shipped = sample_xls.shipped_path(sheets)
        assert shipped.is_file()
        fresh = tmp_path / "fresh.xls"
        sample_xls.write_with_xlwt(fresh, sheets)
        assert fresh.read_bytes() == shipped.read_bytes()
        matches = [p for p in by_name.values() if p.read_bytes() == shipped.read_bytes()]
        assert len(matches) == 1
        read = _sheets_of(matches[0])
        assert list(read) == [s.name for s in sheets]
        for sheet in sheets:
            for got, want in zip(read[sheet.name], _expected_rows(sheet), strict=True):
                assert [_plain(v) for v in got] == [_plain(v) for v in want]


def _plain(value: object) -> object:
    """Dates as ISO text and whole floats as ints, so calamine's and the generator's agree."""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_a_demo_folder_with_content_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    target.mkdir()
    (target / "我的文件.xlsx").write_bytes(b"mine")
    assert demo.run_demo(target, Console(quiet=True)) == 2
    assert (target / "我的文件.xlsx").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_every_runtime_dependency_has_a_lower_bound_that_ci_installs() -> None:
    """pyproject.toml's bounds and .ci/lowest.txt (what .ci/run's lowest-versions demo installs)
    name the same packages at the same versions."""
    tomllib = pytest.importorskip("tomllib")
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        name, _, version = requirement.partition(">=")
        assert version and "<" not in version, f"{requirement}: no tested lower bound"
        bounds[name.strip().lower()] = version.strip()
    pinned = {}
    for line in (root / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[name.strip().lower()] = version.strip()
    assert set(pinned) == set(bounds)
    for name, version in bounds.items():
        # ">=2.2" is tested as 2.2.0
        assert pinned[name].split(".")[: len(version.split("."))] == version.split("."), name
    assert "xlwt" not in bounds  # a test extra only
