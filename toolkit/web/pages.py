"""The page itself: ``/``, uploads, detection, clearing; the guards and the error pages.

``/`` renders the whole page; ``/found`` the detection and report forms as a fragment the
script swaps in when detection ends (``/found.json`` the same as data). ``POST /upload`` saves
files through :mod:`toolkit.web.uploads` and starts detection (``toolkit.web.detect`` in a
child process). Every error reaches the user as a Chinese sentence: JSON for the script, a
small page otherwise.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, jsonify, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from toolkit.web.jobs import Job, python_command
from toolkit.web.reports import Detection, reports
from toolkit.web.uploads import (
    SaveResult,
    UploadTooLarge,
    folder_size,
    save_upload,
    sent_name,
)
from toolkit.web.views import job_view
from toolkit.web.workspace import Batch, web_state

log = logging.getLogger("toolkit.web")


def current_batch() -> Batch | None:
    return web_state().workspace.batch(session.get("batch"))


def batch_or_new() -> Batch:
    batch = current_batch()
    if batch is None:
        batch = web_state().workspace.new_batch()
        session["batch"] = batch.id
    return batch


def wants_json() -> bool:
    return (
        request.headers.get("X-Requested-With") == "fetch"
        or request.accept_mimetypes.best == "application/json"
    )


def fail(message: str, status: int) -> Any:
    """``message`` for the user: JSON for the page's script, else a page of its own."""
    if wants_json():
        return jsonify(ok=False, message=message), status
    return render_template("message.html", message=message, status=status), status


def guard() -> Any:
    """Loopback host names only (DNS rebinding), and no POST from another site."""
    trusted = web_state().settings.trusted_hosts
    if trusted is not None and (urlsplit(f"//{request.host}").hostname or "") not in trusted:
        return fail("请用本机地址打开此页面，例如 http://127.0.0.1。", 400)
    # Another site's page may not make this one run commands (a GET of /download/templates
    # starts one) or read anything: browsers say where a request comes from.
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return fail("请求来自其他网站，已拒绝。", 403)
    origin = request.headers.get("Origin")
    if request.method == "POST" and origin and urlsplit(origin).netloc != request.host:
        return fail("请求来自其他网站，已拒绝。", 403)
    return None


def too_large(_exc: Exception) -> Any:
    limit = web_state().settings.max_upload_mb
    return fail(f"上传的文件太大：一次最多 {limit} MB。请分几次上传，或只上传需要的文件夹。", 413)


_HTTP_MESSAGES = {
    400: "请求无效。请刷新页面后重试。",
    403: "没有权限。",
    404: "没有找到这个页面或文件（可能已清空，或服务已重新启动）。请回到首页。",
    405: "不支持这种操作。请回到首页重试。",
}


def http_error(exc: HTTPException) -> Any:
    code = exc.code or 500
    return fail(_HTTP_MESSAGES.get(code, "出错了，请回到首页重试。"), code)


def unexpected(_exc: Exception) -> Any:
    log.exception("unexpected error on %s", request.path)
    return fail("出错了：服务器处理这个请求时遇到问题。请回到首页重试。", 500)


def page_context(batch: Batch | None) -> dict[str, Any]:
    settings = web_state().settings
    detection = batch.detection if batch is not None else None
    return {
        "batch": batch,
        "detection": detection,
        "uploaded": batch.uploaded_files() if batch is not None else [],
        "reports": reports(),
        "jobs": batch.report_jobs() if batch is not None else [],
        "by_file": detection.problem_counts_by_file() if detection else {},
        "max_mb": settings.max_upload_mb,
        "max_bytes": settings.max_bytes,
        "job_view": job_view,
    }


def index() -> Any:
    return render_template("index.html", **page_context(current_batch()))


def found() -> Any:
    return render_template("_results.html", **page_context(current_batch()))


def found_json() -> Any:
    batch = current_batch()
    if batch is None or batch.detection is None:
        return jsonify(ok=False, detecting=bool(batch and batch.detecting), files=[])
    return jsonify(ok=True, detecting=batch.detecting, **batch.detection.__dict__)


def _move_in(staging: Path, batch: Batch, name: str, result: SaveResult) -> bool:
    """Move one saved file into the uploads (replacing an earlier copy); False on a clash."""
    target = batch.uploads / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    except OSError:
        result.rejected.append((name, "无法保存（与已上传的文件或文件夹同名冲突）"))
        return False
    return True


def upload() -> Any:
    settings = web_state().settings
    batch = batch_or_new()
    files = request.files.getlist("files")
    if not files:
        return fail("没有收到文件。请选择或拖入要上传的文件。", 400)
    room = settings.max_bytes - folder_size(batch.uploads)
    result = SaveResult()
    # The request is saved aside and moved in only once all of it fits: a file sent again
    # replaces the earlier copy, which a refused upload must not have deleted.
    staging = batch.root / f"staging-{uuid.uuid4().hex[:8]}"
    try:
        for storage in files:
            left = room - result.bytes_written
            name = sent_name(storage.headers.get("Content-Disposition"), storage.filename or "")
            result.merge(save_upload(name, storage.stream, staging, left))
        result.saved = [name for name in result.saved if _move_in(staging, batch, name, result)]
    except UploadTooLarge as exc:
        reason = "" if str(exc) == "超过上传大小上限" else f"（{exc}）"
        return fail(
            f"上传的文件太大：总共最多 {settings.max_upload_mb} MB{reason}。"
            "请分几次处理，或先“清空，重新开始”。",
            413,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    batch.rejected = result.rejected
    batch.notices = upload_notices(result)
    job = start_detection(batch) if result.saved else None
    if wants_json():
        return jsonify(
            ok=bool(result.saved),
            saved=result.saved,
            rejected=[{"name": n, "reason": r} for n, r in result.rejected],
            ignored=result.ignored,
            notices=batch.notices,
            job=job.id if job else None,
        )
    return redirect(url_for("index"), code=303)


def upload_notices(result: SaveResult) -> list[str]:
    notices = []
    if result.saved:
        notices.append(f"本次上传了 {len(result.saved)} 个文件。")
    if result.ignored:
        shown = "、".join(result.ignored[:5]) + ("等" if len(result.ignored) > 5 else "")
        notices.append(
            f"已忽略 {len(result.ignored)} 个不是电子表格的文件（{shown}）："
            "只读取 .xlsx .xlsm .xls .ods 和压缩包中的表格。"
        )
    if not result.saved and not result.rejected:
        notices.append("没有可读取的表格文件。")
    return notices


def clear() -> Any:
    batch = current_batch()
    if batch is not None:
        web_state().runner.cancel_batch(batch.id)  # its running jobs must not hold a slot
        web_state().workspace.drop(batch)
    session.pop("batch", None)
    if wants_json():
        return jsonify(ok=True)
    return redirect(url_for("index"), code=303)


def start_detection(batch: Batch) -> Job:
    """Run ``toolkit.web.detect`` on the batch's uploads; a newer upload supersedes it."""
    job_id = uuid.uuid4().hex[:12]
    workdir = batch.jobs_dir / job_id
    job = Job(
        kind="detect",
        title="识别上传的文件",
        argv=python_command("toolkit.web.detect", str(batch.uploads)),
        workdir=workdir,
        out_dir=workdir / "out",
        batch=batch.id,
        shown_command="xueqing check 上传的文件/",
        id=job_id,
    )
    with batch.lock:
        batch.jobs[job.id] = job
        batch.detect_job = job.id
        batch.detection, batch.detection_failed = None, ""
    return web_state().runner.submit(job, lambda j: finish_detection(batch, j))


def finish_detection(batch: Batch, job: Job) -> None:
    job.ok = job.result is not None and "files" in job.result
    with batch.lock:
        if batch.detect_job != job.id:
            job.message = "已被新的上传取代。"
            return
        if job.ok and job.result is not None:
            batch.detection = Detection.from_json(job.result)
            job.message = f"识别了 {len(batch.detection.files)} 个文件。"
        else:
            job.message = batch.detection_failed = (
                "识别失败：读取上传的文件时程序出错。可以“清空，重新开始”后分批上传，"
                "找出引起问题的文件；详细信息记录在运行 xueqing serve 的窗口中。"
            )


def register(app: Flask) -> None:
    app.before_request(guard)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
    app.add_url_rule("/", view_func=index)
    app.add_url_rule("/found", view_func=found)
    app.add_url_rule("/found.json", view_func=found_json)
    app.add_url_rule("/upload", view_func=upload, methods=["POST"])
    app.add_url_rule("/clear", view_func=clear, methods=["POST"])
