"""Legacy ``.xls`` samples: written by xlwt where it is installed, shipped for the demo.

xlwt is a test extra (nothing the program runs may need one), yet the demo's term folder holds
two ``.xls`` files, as schools' folders do. A sheet is described as a :class:`XlsSheet`; its
content digest names a file in ``toolkit/demo/data/demo_xls/``, made once by
``scripts/make_demo_xls.py``. :func:`write_xls` copies the shipped file when the digest matches
and writes with xlwt otherwise (tests drawing other samples), so the demo's bytes are the same
with or without xlwt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).parent / "data" / "demo_xls"

# Cell styles, by name; the sheet keeps names so that its digest does not depend on xlwt.
_BORDERS = "borders: left thin, right thin, top thin, bottom thin"
STYLES = {
    "title": "font: bold on, height 320; align: horiz center, vert center",
    "header": f"font: bold on; align: horiz center; {_BORDERS}",
    "cell": f"align: horiz center; {_BORDERS}",
    "date": f"align: horiz center; {_BORDERS}",
}
_DATE_FORMAT = "YYYY-MM-DD"

Cell = tuple[int, int, object, str]  # row, column, value, style name


@dataclass
class XlsSheet:
    """One worksheet of a legacy workbook: merged title ranges, cells and column widths."""

    name: str
    merges: list[tuple[int, int, int, int, object, str]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)  # column → width in 1/256 characters

    def merge(self, r1: int, r2: int, c1: int, c2: int, value: object, style: str) -> None:
        self.merges.append((r1, r2, c1, c2, value, style))

    def write(self, row: int, col: int, value: object, style: str = "cell") -> None:
        self.cells.append((row, col, value, style))


def digest(sheets: list[XlsSheet]) -> str:
    """A content key for a workbook: the same sheets give the same file."""

    def plain(value: object) -> object:
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        if hasattr(value, "item"):  # numpy scalars
            return value.item()  # type: ignore[attr-defined]
        return value

    content = [[s.name, s.merges, s.cells, sorted(s.widths.items())] for s in sheets]
    text = json.dumps(content, ensure_ascii=False, default=plain, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def shipped_path(sheets: list[XlsSheet]) -> Path:
    return SHIPPED / f"{digest(sheets)}.xls"


def write_xls(path: Path, sheets: list[XlsSheet]) -> None:
    """Write ``sheets`` as a legacy workbook at ``path``: the shipped copy if there is one."""
    shipped = shipped_path(sheets)
    if shipped.is_file():
        shutil.copyfile(shipped, path)
        return
    write_with_xlwt(path, sheets)


def write_with_xlwt(path: Path, sheets: list[XlsSheet]) -> None:
    try:
        import xlwt
    except ImportError as exc:  # only samples other than the demo's get here
        raise RuntimeError(
            f"{path.name}：写旧版 .xls 样例需要 xlwt（pip install '.[test]'）"
        ) from exc
    styles = {
        name: xlwt.easyxf(spec, num_format_str=_DATE_FORMAT if name == "date" else None)
        for name, spec in STYLES.items()
    }
    wb = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name)
        for r1, r2, c1, c2, value, style in sheet.merges:
            ws.write_merge(r1, r2, c1, c2, value, styles[style])
        for col, width in sheet.widths.items():
            ws.col(col).width = width
        for row, col, value, style in sheet.cells:
            ws.write(row, col, value, styles[style])
    wb.save(str(path))
