"""A CSV file as one sheet: what marking platforms export and Excel on Chinese Windows saves.

Excel on Chinese Windows writes CSV in GBK (its ANSI code page) unless "CSV UTF-8" is chosen,
which adds a byte-order mark; platforms write UTF-8 with or without one. So: UTF-8 (BOM
dropped) when the bytes decode as UTF-8, else GB18030 (a superset of GBK). The delimiter is a
comma unless the first lines say tab or semicolon. Cells stay text, as typed: the readers
already take text-stored numbers (README "直接读老师发来的原始文件").
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

CSV_SUFFIX = ".csv"
_DELIMITERS = ",\t;"


class CsvError(Exception):
    """The file cannot be read as text."""


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError("既不是 UTF-8 也不是 GBK 编码的文本，请在 Excel/WPS 中另存为 .xlsx 后提交")


def read_csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file, each cell as text ("" for an empty one)."""
    text = decode(path.read_bytes())
    if "\x00" in text:
        raise CsvError("文件中有二进制内容，不是 CSV 文本")
    head = "\n".join(text.splitlines()[:5])
    delimiter = max(_DELIMITERS, key=head.count) if any(d in head for d in _DELIMITERS) else ","
    rows = [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]
