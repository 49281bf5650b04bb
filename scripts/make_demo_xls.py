"""Make the legacy ``.xls`` files that ``xueqing demo`` ships (toolkit/demo/data/demo_xls/).

xlwt is a test extra, so the demo copies these files instead of writing them
(``toolkit/sample_xls.py`` says why). Run this after changing the demo's sample data: it runs the
demo in a scratch folder, records every ``.xls`` the demo asks for, writes each with xlwt under
its content digest and removes files no longer asked for. xlwt's output is byte-stable, so a
second run changes nothing (a test holds the shipped files to this).

    python scripts/make_demo_xls.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from toolkit.cli.console import Console
from toolkit.demo import records as sample_records
from toolkit.demo import school as sample_school
from toolkit.demo import xls as sample_xls
from toolkit.demo.run import run_demo


def demo_xls_requests() -> list[list[sample_xls.XlsSheet]]:
    """Every legacy workbook the demo writes, as sheets, in the order it writes them."""
    requests: list[list[sample_xls.XlsSheet]] = []

    def recording(path: Path, sheets: list[sample_xls.XlsSheet]) -> None:
        requests.append(sheets)
        sample_xls.write_with_xlwt(path, sheets)

    saved = sample_records.write_xls, sample_school.write_xls
    sample_records.write_xls = sample_school.write_xls = recording
    try:
        with tempfile.TemporaryDirectory() as scratch:
            code = run_demo(Path(scratch) / "demo", Console(quiet=True))
    finally:
        sample_records.write_xls, sample_school.write_xls = saved
    if code != 0:
        raise SystemExit(f"the demo failed (exit {code})")
    return requests


def main() -> int:
    sample_xls.SHIPPED.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for sheets in demo_xls_requests():
        target = sample_xls.shipped_path(sheets)
        sample_xls.write_with_xlwt(target, sheets)
        wanted.add(target.name)
        print(f"{target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    for stale in sample_xls.SHIPPED.glob("*.xls"):
        if stale.name not in wanted:
            stale.unlink()
            print(f"removed {stale.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
