"""Running things from the page: reports, the 标注版回执, and the blank config and templates.

``POST /jobs`` starts a report (the command chosen in :mod:`toolkit.web.reports`), ``POST
/annotate`` the annotated copies; both answer at once with the job's card, which the script
polls through ``/jobs/<id>`` and replaces with ``/jobs/<id>/card`` when it ends. Outputs are
served from the job's own folder only (``safe_join``), one by one or as a zip.
``/download/config`` and ``/download/templates`` run ``xueqing init`` and ``xueqing templates``.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.security import safe_join

from toolkit.web.jobs import JOB_TIMEOUT, Job, child_env, python_command
from toolkit.web.pages import current_batch, fail, wants_json
from toolkit.web.reports import FormError, describe_outcome, plan, reports
from toolkit.web.views import job_view, zip_files
from toolkit.web.workspace import Batch, web_state

log = logging.getLogger("toolkit.web")
QUICK_TIMEOUT = 300  # seconds, for init and templates


def job_of(job_id: str) -> tuple[Batch, Job]:
    """The job, if it belongs to this browser session's batch (else 404)."""
    batch = current_batch()
    job = batch.jobs.get(job_id) if batch is not None else None
    if batch is None or job is None:
        abort(404)
    return batch, job


def start_report() -> Any:
    batch = current_batch()
    report = reports().get(request.form.get("report", ""))
    if report is None:
        return fail("请选择要生成的报告。", 400)
    if batch is None or (batch.detection is None and not batch.detecting):
        return fail("请先上传文件。", 409)
    if batch.detecting or batch.detection is None:
        return fail("正在识别上传的文件，请稍候再生成报告。", 409)
    job_id = uuid.uuid4().hex[:12]
    workdir = batch.jobs_dir / job_id
    try:
        chosen = plan(report, request.form, batch.detection, batch.uploads, workdir)
    except FormError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        return fail(str(exc), 400)
    job = Job(
        kind=report.key,
        title=report.title,
        argv=python_command("toolkit", *chosen.args),
        workdir=workdir,
        out_dir=workdir / "out",
        batch=batch.id,
        shown_command=chosen.shown,
        id=job_id,
    )
    batch.jobs[job.id] = job
    web_state().runner.submit(job, finish_report)
    return job_started(job)


def finish_report(job: Job) -> None:
    job.ok = job.result is not None and job.returncode == 0
    if job.timed_out:
        job.message = f"运行时间太长（超过 {JOB_TIMEOUT // 60} 分钟），已停止。"
    else:
        job.message = describe_outcome(reports().get(job.kind), job.returncode, job.result)


def annotate() -> Any:
    batch = current_batch()
    if batch is None or batch.detection is None or batch.detecting:
        return fail("请先上传文件，等识别完成后再生成标注版回执。", 409)
    job_id = uuid.uuid4().hex[:12]
    workdir = batch.jobs_dir / job_id
    out_dir = workdir / "out"
    job = Job(
        kind="annotate",
        title="标注版回执",
        argv=python_command(
            "toolkit.web.detect", str(batch.uploads), "--annotate", str(out_dir / "待修改")
        ),
        workdir=workdir,
        out_dir=out_dir,
        batch=batch.id,
        shown_command="xueqing check 上传的文件/ --annotate -o 待修改/",
        id=job_id,
    )
    batch.jobs[job.id] = job
    web_state().runner.submit(job, finish_annotate)
    return job_started(job)


def finish_annotate(job: Job) -> None:
    annotated = (job.result or {}).get("annotated")
    if annotated is None:
        job.ok = False
        job.message = describe_outcome(None, job.returncode, None)
        return
    copies = [a for a in annotated if a.get("copy")]
    skipped = [a for a in annotated if not a.get("copy")]
    job.ok = bool(copies)
    parts = []
    if copies:
        parts.append(
            f"已为 {len(copies)} 个有问题的文件生成标注版回执："
            "问题单元格标红（警告标黄）并加批注，第一个工作表“问题清单”逐条列出问题。"
            "发回给填表的老师，改好后提交副本即可。"
        )
    else:
        parts.append("没有可以标注的文件。")
    parts += [f"未能标注 {a['file']}：{a['reason']}。" for a in skipped]
    job.message = "".join(parts)


def job_started(job: Job) -> Any:
    if wants_json():
        return jsonify(ok=True, job=job.id, card=render_template("_job.html", job=job_view(job)))
    return redirect(url_for("index") + f"#job-{job.id}", code=303)


def job_status(job_id: str) -> Any:
    _, job = job_of(job_id)
    return jsonify(job.status())


def job_card(job_id: str) -> Any:
    _, job = job_of(job_id)
    return render_template("_job.html", job=job_view(job))


def job_result(job_id: str) -> Any:
    _, job = job_of(job_id)
    return jsonify(
        **job.status(),
        message=job.message,
        result=job.result,
        outputs=[p.relative_to(job.out_dir).as_posix() for p in job.outputs()],
    )


def job_file(job_id: str, name: str) -> Any:
    _, job = job_of(job_id)
    target = safe_join(str(job.out_dir), name)
    if target is None or not Path(target).is_file():
        abort(404)
    inline = Path(target).suffix.lower() == ".png" and not request.args.get("download")
    return send_file(target, as_attachment=not inline, download_name=Path(target).name)


def job_zip(job_id: str) -> Any:
    _, job = job_of(job_id)
    if job.active:
        return fail("还在生成中，请稍候。", 409)
    outputs = job.outputs()
    if not outputs:
        abort(404)
    archive = job.workdir / "all.zip"
    if not archive.exists():
        zip_files(outputs, job.out_dir, archive)
    return send_file(archive, as_attachment=True, download_name=f"{job.title}.zip")


def download_config() -> Any:
    folder = web_state().workspace.root / "downloads" / uuid.uuid4().hex
    target = folder / "学校配置.xlsx"
    done = run_quick(["init", "-o", str(target)], folder)
    if done is None or not target.is_file():
        return fail("生成空白学校配置时出错，请重试。", 500)
    return send_file(target, as_attachment=True, download_name="学校配置.xlsx")


def download_templates() -> Any:
    """The templates, for the uploaded school config when there is one (unless ``generic``)."""
    batch = current_batch()
    folder = web_state().workspace.root / "downloads" / uuid.uuid4().hex
    out = folder / "填报模板"
    args = ["templates", "-o", str(out)]
    config = batch.detection.config if batch is not None and batch.detection else None
    use_config = batch is not None and bool(config) and not request.args.get("generic")
    if use_config and batch is not None and config:
        args += ["-c", str(batch.uploads / config)]
    done = run_quick(args, folder)
    if done is None:
        return fail("生成填报模板时出错，请重试。", 500)
    if done.returncode != 0:
        return fail(
            "学校配置有错误，无法按它生成填报模板。请先按“识别结果”中列出的问题修改学校配置，"
            "或下载通用模板（不按学校配置）。",
            422,
        )
    archive = zip_files(sorted(out.rglob("*.xlsx")), folder, folder / "填报模板.zip")
    name = "填报模板（按学校配置）.zip" if use_config else "填报模板.zip"
    return send_file(archive, as_attachment=True, download_name=name)


def run_quick(args: list[str], folder: Path) -> subprocess.CompletedProcess[bytes] | None:
    """``python -m toolkit <args>`` for a command that takes a second (init, templates)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            python_command("toolkit", *args),
            cwd=folder,
            capture_output=True,
            timeout=QUICK_TIMEOUT,
            env=child_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        log.exception("xueqing %s failed", args[0])
        return None
    if done.returncode not in (0, 1):
        log.warning(
            "xueqing %s exited %s:\n%s",
            " ".join(args),
            done.returncode,
            done.stderr.decode("utf-8", "replace")[-4000:],
        )
    return done


def favicon() -> Any:
    return Response(status=204)


def register(app: Flask) -> None:
    app.add_url_rule("/jobs", view_func=start_report, methods=["POST"])
    app.add_url_rule("/annotate", view_func=annotate, methods=["POST"])
    app.add_url_rule("/jobs/<job_id>", view_func=job_status)
    app.add_url_rule("/jobs/<job_id>/card", view_func=job_card)
    app.add_url_rule("/jobs/<job_id>/result.json", view_func=job_result)
    app.add_url_rule("/jobs/<job_id>/files/<path:name>", view_func=job_file)
    app.add_url_rule("/jobs/<job_id>/zip", view_func=job_zip)
    app.add_url_rule("/download/config", view_func=download_config)
    app.add_url_rule("/download/templates", view_func=download_templates)
    app.add_url_rule("/favicon.ico", view_func=favicon)
