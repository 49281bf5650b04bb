"""Writing outputs safely: to a temporary name beside the target, then moved into place.

A crash or Ctrl-C mid-write leaves the old file (or none), never a truncated one; a target that
is open in Excel/WPS (locked on Windows) or is one of the inputs is a clear problem, not a
traceback.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from toolkit.base.ownership import is_our_output
from toolkit.base.problems import Problem

# xlsxwriter options for every workbook we write: text is written as typed, so a teacher's
# "=HYPERLINK(…)", "+1" or "http://…" stays text, never a formula or a link (no injection).
TEXT_ONLY: dict[str, bool] = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off inside the block, then as it was before.

    xlsxwriter keeps an object per cell until the workbook is closed, so collections keep
    starting while it writes, each walking every object the process holds (all of a district's
    report), and none finds anything to free: 5–8% of writing a workbook. Objects are still
    freed when their last reference goes; only cycles wait for the end of the block (the peak
    memory of writing a district's comparison stays the same).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class OutputError(Exception):
    """An output could not be written; carries the located problem to show the user."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse to write over any input file."""
    resolved = target.resolve()
    for path in inputs:
        if path.resolve() == resolved:
            raise OutputError(Problem("error", "output.is_input", params={"path": str(target)}))


def _temporary_beside(target: Path) -> Path:
    """An empty file beside ``target`` (same folder, so the final rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    return Path(name)


def check_replaceable(target: Path) -> None:
    """Refuse a target that exists and is not our own earlier output (or is a folder)."""
    if target.is_dir():
        raise _output_error("output.failed", target, IsADirectoryError(21, "这是一个文件夹"))
    if target.exists() and not is_our_output(target):
        raise _output_error("output.not_ours", target)


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)``, then replace ``target`` with the result.

    An existing ``target`` is replaced only when it is our own earlier output."""
    check_replaceable(target)
    try:
        temporary = _temporary_beside(target)
    except PermissionError as exc:
        # No temporary file can be made: the folder itself refuses writes.
        raise _output_error("output.readonly", target) from exc
    except OSError as exc:
        raise _output_error("output.failed", target, exc) from exc
    try:
        write(temporary)
        # mkstemp creates 0600 files; give the output the permissions a normal save would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except PermissionError as exc:
        # The folder took the temporary file, so the target itself is held (open in Excel/WPS).
        raise _output_error("output.locked", target) from exc
    except OSError as exc:
        raise _output_error("output.failed", target, exc) from exc
    except Exception as exc:
        # xlsxwriter re-raises a failed save (disk full) as its own FileCreateError.
        cause = _os_error(exc)
        if cause is None:
            raise
        raise _output_error("output.failed", target, cause) from exc
    finally:
        temporary.unlink(missing_ok=True)  # after a failure or Ctrl-C; gone after a replace
    return target


def _os_error(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``, when a library wrapped one in its own exception type."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _output_error(code: str, target: Path, exc: OSError | None = None) -> OutputError:
    params: dict[str, Any] = {"path": str(target)}
    if exc is not None:
        params["reason"] = exc.strerror or str(exc)
    return OutputError(Problem("error", code, params=params))


def stamp_properties(properties: Any, title: str, date: dt.date | None) -> None:
    """Core properties of a docx/pptx (python-docx and python-pptx share the shape): our title
    and author, and ``date`` as created/modified so that a run can be repeated exactly."""
    stamp = dt.datetime.combine(date or dt.date.today(), dt.time())
    properties.title = title
    properties.author = properties.last_modified_by = "xueqing"
    properties.comments = ""  # the default templates say "generated by python-docx/-pptx"
    properties.revision = 1
    properties.created = properties.modified = stamp
