"""Background jobs: each one runs an ``xueqing`` command in a child process.

The page starts a job and polls its state. The child is ``python -m toolkit <command> … --json``
(or ``python -m toolkit.web.detect``), exactly what a user would type, so the page behaves as the
command line does; a crash, a hang or a memory blow-up in the child ends that job, not the
server. A job's result is the JSON the command prints; its outputs are the files it wrote into
the job's own folder.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("toolkit.web")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATE_TEXT = {QUEUED: "排队中", RUNNING: "正在运行", DONE: "完成", FAILED: "失败"}
JOB_TIMEOUT = 30 * 60  # seconds


@dataclass
class Job:
    """One run of a command for one batch of uploads."""

    kind: str  # "detect", "annotate", or a report key (scores, term, …)
    title: str
    argv: list[str]
    workdir: Path
    out_dir: Path
    batch: str
    shown_command: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    state: str = QUEUED
    stage: str = "排队中……"
    created: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    returncode: int | None = None
    result: dict[str, Any] | None = None
    message: str = ""  # filled in by whoever started the job, once it has finished
    ok: bool = False
    timed_out: bool = False

    @property
    def active(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def elapsed(self) -> int:
        if self.started is None:
            return 0
        return int((self.finished or time.monotonic()) - self.started)

    def outputs(self) -> list[Path]:
        """Every file the command wrote: in the order its JSON lists them (workbooks, then
        reports and decks, grade by grade), any others after, charts last."""
        if not self.out_dir.is_dir():
            return []
        files = [p for p in self.out_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
        rank = {path: i for i, path in enumerate(self._listed())}
        return sorted(
            files,
            key=lambda p: (
                p.suffix.lower() == ".png",
                rank.get(p.resolve(), len(rank)),
                p.relative_to(self.out_dir).as_posix(),
            ),
        )

    def _listed(self) -> list[Path]:
        from toolkit.cli.summary import RunSummary

        return [Path(p).resolve() for p in RunSummary.from_json(self.result or {}).written]

    def status(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "state_text": STATE_TEXT[self.state],
            "stage": self.stage,
            "elapsed": self.elapsed,
            "finished": not self.active,
            "ok": self.ok,
        }


class JobRunner:
    """Runs jobs on threads, at most ``workers`` children at a time."""

    def __init__(self, workers: int = 2, timeout: float = JOB_TIMEOUT) -> None:
        self._slots = threading.BoundedSemaphore(max(1, workers))
        self._lock = threading.Lock()
        self._children: set[subprocess.Popen[bytes]] = set()
        self._running: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}  # job → batch, child
        self._cancelled: set[str] = set()  # batches their user cleared
        self._threads: set[threading.Thread] = set()
        self.timeout = timeout
        self.closed = False

    def submit(self, job: Job, on_finish: Callable[[Job], None]) -> Job:
        """Start ``job`` in the background; ``on_finish(job)`` sets its message when it ends."""
        thread = threading.Thread(target=self._run, args=(job, on_finish), daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()
        return job

    def _run(self, job: Job, on_finish: Callable[[Job], None]) -> None:
        try:
            with self._slots:
                if self.closed or job.batch in self._cancelled:
                    job.state, job.stage = FAILED, "已停止"
                    return
                job.state, job.started = RUNNING, time.monotonic()
                job.stage = f"正在生成{job.title}：读取文件、分析、写出结果……"
                self._execute(job)
        except Exception:  # the server must outlive any job
            log.exception("job %s (%s) failed", job.id, job.title)
            job.returncode = job.returncode if job.returncode is not None else -1
        finally:
            job.finished = time.monotonic()
            self._finish(job, on_finish)
            with self._lock:
                self._threads.discard(threading.current_thread())

    def _finish(self, job: Job, on_finish: Callable[[Job], None]) -> None:
        if job.batch in self._cancelled:  # cleared: its folder is gone, nothing to summarise
            job.state, job.stage = FAILED, "已停止"
            return
        try:
            on_finish(job)
        except Exception:
            log.exception("job %s: summarising failed", job.id)
            job.ok, job.message = (
                False,
                "生成失败：程序出错（详细信息在运行 xueqing serve 的窗口中）。",
            )
        job.state = DONE if job.ok else FAILED
        job.stage = STATE_TEXT[job.state]

    def _execute(self, job: Job) -> None:
        job.workdir.mkdir(parents=True, exist_ok=True)
        child = subprocess.Popen(
            job.argv,
            cwd=job.workdir,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with self._lock:
            self._children.add(child)
            self._running[job.id] = (job.batch, child)
        try:
            out, err = child.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            job.timed_out = True
            err += f"\n(timed out after {self.timeout:.0f} s)".encode()
        finally:
            with self._lock:
                self._children.discard(child)
                self._running.pop(job.id, None)
        job.returncode = child.returncode
        if job.batch in self._cancelled:
            return  # cleared while running: its folder is gone
        stdout = out.decode("utf-8", errors="replace")
        stderr = err.decode("utf-8", errors="replace")
        (job.workdir / "stdout.txt").write_text(stdout, encoding="utf-8")
        (job.workdir / "stderr.txt").write_text(stderr, encoding="utf-8")
        job.result = parse_json(stdout)
        if job.result is None and not self.closed:
            log.warning(
                "job %s (%s) exited %s without JSON:\n%s",
                job.id,
                " ".join(job.argv),
                child.returncode,
                stderr[-4000:],
            )

    def cancel_batch(self, batch: str) -> None:
        """Stop a batch's jobs (its user cleared it): running children end, queued jobs never
        start, and none keeps a worker slot for the rest of its timeout."""
        with self._lock:
            self._cancelled.add(batch)
            children = [child for owner, child in self._running.values() if owner == batch]
        for child in children:
            child.terminate()

    def close(self, wait: float = 5.0) -> None:
        """Stop every child still running (the server is shutting down)."""
        self.closed = True
        with self._lock:
            children = list(self._children)
            threads = list(self._threads)
        for child in children:
            child.terminate()
        deadline = time.monotonic() + wait
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        for thread in threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))


def parse_json(stdout: str) -> dict[str, Any] | None:
    """The JSON object a command printed with ``--json`` (None when it printed none)."""
    start = stdout.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(stdout[start:])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def child_env() -> dict[str, str]:
    """UTF-8 pipes (Chinese paths and messages, also on Windows) and no display for charts."""
    return {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}


def python_command(*args: str) -> list[str]:
    """``python -m toolkit …`` with the interpreter running the server."""
    return [sys.executable, "-m", *args]
