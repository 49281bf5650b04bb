"""Where the page keeps files: one temporary folder for the server's run, deleted when it stops.

Inside it every browser session has a batch: ``<batch>/上传的文件/`` holds the uploads as sent
(folders kept), ``<batch>/jobs/<id>/`` each job's linked inputs and outputs. Two people using
the page at once therefore never see each other's files. :class:`WebState` ties the folder, the
job runner and the settings to one app.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.web.jobs import Job, JobRunner
from toolkit.web.reports import Detection

UPLOAD_FOLDER = "上传的文件"
DEFAULT_MAX_UPLOAD_MB = 200
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass
class WebSettings:
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    workers: int = 2  # reports run at once; more wait in line
    # Host names the page answers to (against DNS rebinding); None when serving a network.
    trusted_hosts: frozenset[str] | None = LOOPBACK_NAMES

    @property
    def max_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


@dataclass
class Batch:
    """One session's uploads, what was found in them, and the jobs run on them."""

    id: str
    root: Path
    jobs: dict[str, Job] = field(default_factory=dict)
    detect_job: str | None = None
    detection: Detection | None = None
    detection_failed: str = ""
    notices: list[str] = field(default_factory=list)  # about the last upload
    rejected: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def uploads(self) -> Path:
        return self.root / UPLOAD_FOLDER

    @property
    def jobs_dir(self) -> Path:
        return self.root / "jobs"

    def uploaded_files(self) -> list[Path]:
        if not self.uploads.is_dir():
            return []
        return sorted(p for p in self.uploads.rglob("*") if p.is_file())

    def report_jobs(self) -> list[Job]:
        """Report and annotation jobs, newest first."""
        jobs = [j for j in self.jobs.values() if j.kind != "detect"]
        return sorted(jobs, key=lambda j: j.created, reverse=True)

    @property
    def detecting(self) -> bool:
        job = self.jobs.get(self.detect_job or "")
        return job is not None and job.active


class Workspace:
    """The server's temporary folder and the batches in it."""

    def __init__(self, parent: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="xueqing-web-", dir=parent))
        self._batches: dict[str, Batch] = {}
        self._lock = threading.Lock()

    def batch(self, batch_id: str | None) -> Batch | None:
        with self._lock:
            return self._batches.get(batch_id or "")

    def new_batch(self) -> Batch:
        batch_id = uuid.uuid4().hex
        root = self.root / batch_id
        root.mkdir(parents=True)
        batch = Batch(batch_id, root)
        with self._lock:
            self._batches[batch_id] = batch
        return batch

    def drop(self, batch: Batch) -> None:
        with self._lock:
            self._batches.pop(batch.id, None)
        shutil.rmtree(batch.root, ignore_errors=True)

    def remove(self) -> bool:
        """Delete everything; True when the folder is gone."""
        shutil.rmtree(self.root, ignore_errors=True)
        return not self.root.exists()


@dataclass
class WebState:
    """One app's settings, temporary folder and job runner."""

    settings: WebSettings
    workspace: Workspace
    runner: JobRunner

    def close(self) -> bool:
        """Stop running jobs and delete the temporary folder; True when it is gone."""
        self.runner.close()
        return self.workspace.remove()


def web_state() -> WebState:
    """The state of the app handling the current request."""
    from flask import current_app

    state: WebState = current_app.extensions["xueqing"]
    return state
