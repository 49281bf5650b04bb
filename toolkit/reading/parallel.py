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
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from toolkit.reading.discover import InputFile

PARALLEL_MIN_BYTES = 1_000_000  # below this in all, one process reads faster
WORKERS_ENV = "XUEQING_WORKERS"  # e.g. 1 to read in this process (benchmarks, debugging)

Setting = TypeVar("Setting")
Result = TypeVar("Result")
Job = TypeVar("Job")


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
    work: Callable[[Job], Result],
    keys: Sequence[Setting],
    workers: int,
    prepare: Callable[[Setting], Job],
) -> list[Result]:
    """``[work(prepare(key)) for key in keys]`` on ``workers`` cores: ``workers - 1`` worker
    processes and this one, the results in the order of ``keys``.

    ``prepare`` runs here, each job made only when it is to start: only a few jobs are alive
    at once. The workers take the first keys (put the longest job first) and keep one job
    waiting each; this process does the next key whenever they are all busy, so no core waits
    for a worker to start, and its jobs are not copied. A worker that dies is retried here,
    where a failure is reported."""
    if workers < 2 or len(keys) < 2:
        return [work(prepare(key)) for key in keys]
    # Not forked from this process: its heap (a district's every table) would be copied page by
    # page into each worker as Python touches its objects; a worker gets only its job.
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # The fork server imports the work's module once; each worker forked from it starts
        # with pandas and the writers loaded, their pages shared, instead of importing its own.
        context.set_forkserver_preload([work.__module__])
    processes = min(workers, len(keys)) - 1
    done: dict[int, Result] = {}
    try:
        with (
            ProcessPoolExecutor(processes, mp_context=context) as pool,
            ThreadPoolExecutor(1) as hand,
        ):
            # The first job is handed over from a thread: starting a worker waits for the fork
            # server to import the work's module (half a second for the writers), and this
            # process does its own first job meanwhile.
            handing: Future[Future[Result]] | None = hand.submit(
                pool.submit, work, prepare(keys[0])
            )
            sent: dict[int, Future[Result]] = {}
            for i, key in enumerate(keys[1:], start=1):
                if handing is not None and handing.done():
                    sent[0], handing = handing.result(), None
                for j in [j for j, future in sent.items() if future.done()]:
                    done[j] = sent.pop(j).result()
                # each worker one job running, one waiting; none sent while the first is handed
                if handing is None and len(sent) < 2 * processes:
                    sent[i] = pool.submit(work, prepare(key))
                else:
                    done[i] = work(prepare(key))
            if handing is not None:
                sent[0] = handing.result()
            done.update((j, future.result()) for j, future in sent.items())
    except BrokenProcessPool:
        done.update((i, work(prepare(key))) for i, key in enumerate(keys) if i not in done)
    return [done[i] for i in range(len(keys))]


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
