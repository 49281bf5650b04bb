"""A job as its card on the page shows it: outputs to download, charts to preview, problems."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import url_for

from toolkit.web.jobs import Job


@dataclass
class JobView:
    job: Job
    files: list[dict[str, Any]]
    charts: list[dict[str, Any]]
    problems: list[dict[str, Any]]  # errors and warnings the command reported
    counts: dict[str, int]


def job_view(job: Job) -> JobView:
    files, charts = [], []
    if not job.active:
        for path in job.outputs():
            name = path.relative_to(job.out_dir).as_posix()
            entry = {
                "name": name,
                "url": url_for("job_file", job_id=job.id, name=name),
                "size": size_text(path.stat().st_size),
            }
            (charts if path.suffix.lower() == ".png" else files).append(entry)
    result = job.result or {}
    problems = [p for p in result.get("problems", []) if p.get("severity") != "note"]
    return JobView(job, files, charts, problems, dict(result.get("counts") or {}))


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def zip_files(files: list[Path], base: Path, archive: Path) -> Path:
    """``files`` (named relative to ``base``) zipped into ``archive``, through a temporary name."""
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as book:
        for path in files:
            book.write(path, path.relative_to(base).as_posix())
    partial.replace(archive)
    return archive
