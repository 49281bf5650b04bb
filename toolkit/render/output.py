"""Writing outputs safely: to a temporary name beside the target, then moved into place.

A crash or Ctrl-C mid-write leaves the old file (or none), never a truncated one; a target that
is open in Excel/WPS (locked on Windows) or is one of the inputs is a clear problem, not a
traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from toolkit.problems import Problem


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


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)``, then replace ``target`` with the result."""
    try:
        with _temporary_beside(target) as temporary:
            write(temporary)
            # mkstemp creates 0600 files; give the output the permissions a normal save would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
    except PermissionError as exc:
        raise OutputError(Problem("error", "output.locked", params={"path": str(target)})) from exc
    except OSError as exc:
        raise OutputError(
            Problem(
                "error",
                "output.failed",
                params={"path": str(target), "reason": exc.strerror or str(exc)},
            )
        ) from exc
    return target
