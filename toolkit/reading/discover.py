"""Which of the given paths are spreadsheets to read; everything else is noted and left."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.problems import ProblemReport

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"})


@dataclass(frozen=True)
class InputFile:
    """A file to read and the name the user knows it by (relative to the folder they gave)."""

    path: Path
    display: str


# What a user may give as input: a file, a folder, or a file already found in a folder.
Source = Path | str | InputFile


def as_sources(inputs: Iterable[Source]) -> list[Path | InputFile]:
    return [p if isinstance(p, InputFile) else Path(p) for p in inputs]


def discover(inputs: Iterable[Source], report: ProblemReport) -> list[InputFile]:
    """Expand files and folders (recursively) into spreadsheet files, in a stable order.

    Files already found (``InputFile``) pass through with the name the user knows them by.
    """
    found: list[InputFile] = []
    seen: set[Path] = set()
    for raw in inputs:
        if isinstance(raw, InputFile):
            resolved = raw.path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(raw)
            continue
        given = Path(raw)
        if given.is_dir():
            candidates = sorted(p for p in given.rglob("*") if p.is_file())
            pairs = [(p, p.relative_to(given).as_posix()) for p in candidates]
        elif given.is_file():
            pairs = [(given, given.name)]
        else:
            report.add("error", "file.unreadable", file=str(raw), reason="文件或文件夹不存在")
            continue
        for path, display in pairs:
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            reason = _ignore_reason(path)
            if reason is None:
                found.append(InputFile(path, display))
            elif reason:
                report.add("note", "file.ignored", file=display, reason=reason)
    return found


def _ignore_reason(path: Path) -> str | None:
    """None to read the file, a reason to note it, or "" to skip it without a word."""
    name = path.name
    if name.startswith("~$"):
        return "Excel/WPS 打开文件时产生的临时锁定文件"
    if name.startswith(".") or any(part.startswith(".") for part in path.parent.parts[-3:]):
        return ""  # system files (.DS_Store, .git) are not the user's
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "不是电子表格文件（支持 .xlsx .xlsm .xls .ods）"
    return None
