"""Read independent input files on several cores.

Reading is pure Python per cell (parse, classify, locate), and the files of a district do not
depend on each other, so they are spread over worker processes (threads would share one GIL).
Small inputs are read in this process: starting workers costs more than it saves there.
Results come back in the order of ``files`` whatever order the workers finish in, so the
output never depends on the number of cores.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from toolkit.reading.discover import InputFile

PARALLEL_MIN_BYTES = 1_000_000  # below this in all, one process reads faster
WORKERS_ENV = "XUEQING_WORKERS"  # e.g. 1 to read in this process (benchmarks, debugging)

Setting = TypeVar("Setting")
Result = TypeVar("Result")


def read_files(
    read: Callable[[InputFile, Setting], Result],
    files: Sequence[InputFile],
    setting: Setting,
    *,
    min_bytes: int = PARALLEL_MIN_BYTES,
) -> list[Result]:
    """``[read(file, setting) for file in files]``, on several cores when that pays."""
    workers = worker_count(files, min_bytes)
    if workers < 2:
        return [read(file, setting) for file in files]
    try:
        with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
            return list(pool.map(read, files, itertools.repeat(setting), chunksize=1))
    except BrokenProcessPool:
        # A worker died (killed, out of memory): read here, where a failure is reported.
        return [read(file, setting) for file in files]


def worker_count(files: Sequence[InputFile], min_bytes: int = PARALLEL_MIN_BYTES) -> int:
    """How many processes to read ``files`` with: 1 for small inputs or one core."""
    cores = usable_cores()
    if cores < 2 or len(files) < 2 or _total_bytes(files) < min_bytes:
        return 1
    return min(cores, len(files))


def usable_cores() -> int:
    """The cores this run may use: ``XUEQING_WORKERS`` when set, else the machine's."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else _cores()


def map_in_workers(
    work: Callable[[Setting], Result], jobs: Sequence[Setting], workers: int
) -> list[Result]:
    """``[work(job) for job in jobs]`` on ``workers`` processes (here, for fewer than 2), the
    results in the order of ``jobs``. A worker that dies is retried here, where a failure is
    reported."""
    if workers < 2 or len(jobs) < 2:
        return [work(job) for job in jobs]
    # Not forked from this process: its heap (a district's every table) would be copied page by
    # page into each worker as Python touches its objects; a worker gets only its job.
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    try:
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
            return list(pool.map(work, jobs, chunksize=1))
    except BrokenProcessPool:
        return [work(job) for job in jobs]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _total_bytes(files: Sequence[InputFile]) -> int:
    total = 0
    for file in files:
        with contextlib.suppress(OSError):  # unreadable: the reader reports it
            total += os.path.getsize(file.path)
    return total


def _context() -> Any:
    # fork starts a worker in milliseconds and shares the imported modules; macOS and Windows
    # have no safe fork, so they spawn (each worker imports the readers once).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)
