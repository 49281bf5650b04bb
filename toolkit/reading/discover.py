"""Which of the given paths are spreadsheets to read; everything else is noted and left."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.base.problems import ProblemReport

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv"})


@dataclass(frozen=True)
class InputFile:
    """A file to read and the name the user knows it by (relative to the folder they gave)."""

    path: Path
    display: str
    # Only these sheets, when a workbook holds a sheet per exam (reading/exam_names.py).
    sheets: frozenset[str] | None = None


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
        return "不是电子表格文件（支持 .xlsx .xlsm .xls .ods .csv）"
    return None


def distinct_names(*groups: Sequence[InputFile]) -> list[list[InputFile]]:
    """The same groups of files, those sharing a display name (期中/五年级.xlsx and
    期末/五年级.xlsx, both given as folders) renamed with their folders, so that every message
    and count names one file."""
    names = Counter(f.display for group in groups for f in group)
    return [
        [InputFile(f.path, with_folder(f)) if names[f.display] > 1 else f for f in group]
        for group in groups
    ]


def with_folder(file: InputFile) -> str:
    """The file's name with its folders up to and including the folder the user gave
    (``期中成绩/四年级/四(1)班.xlsx`` for a file found under ``期中成绩/``)."""
    depth = len(file.display.split("/"))
    parts = file.path.parts
    return "/".join(parts[-depth - 1 :]) if len(parts) > depth else file.display
