"""Issue 8: the local web page (``xueqing serve``), through Flask's test client.

The demo's school config and term folder are written once per session with the sample builders
(as ``xueqing demo`` writes them) and uploaded the way a folder upload sends them: every file
named by its path relative to the folder the user picked. Detection and every report run as the
page runs them (child processes of ``python -m toolkit``); each downloaded output is opened and
checked against numbers computed here from the sample's truth, never against what the page said.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from toolkit.base.problems import ProblemReport
from toolkit.cli.parser import build_parser
from toolkit.config.model import SchoolConfig
from toolkit.config.read import load_config
from toolkit.demo.records import make_weakpoints
from toolkit.demo.school import SUBJECTS_BY_GRADE, SampleSchool, make_config, make_school
from toolkit.demo.term import CORRUPT_FILE, TERM_FOLDER, TermTruth, write_term_folder
from toolkit.render.workbooks.config_template import write_config_template
from toolkit.web.server import WebServer, WebSettings, app_state, create_app
from toolkit.web.uploads import member_name, safe_relative_path, sent_name

pytestmark = pytest.mark.slow

JOB_TIMEOUT = 240  # seconds
FETCH = {"X-Requested-With": "fetch"}
GRADE_WORDS = "一二三四五六"


# --------------------------------------------------------------------------- the demo's term


@dataclass(frozen=True)
class DemoTerm:
    """The demo's school config and term folder, side by side under ``root``."""

    root: Path
    config_path: Path
    config: SchoolConfig
    truth: TermTruth

    @property
    def folder(self) -> Path:
        return self.truth.folder

    @property
    def final(self) -> SampleSchool:
        return self.truth.exams["期末"]

    def upload_names(self) -> list[tuple[Path, str]]:
        """Every file, named as a folder upload of ``root`` names it (``2025-…/成绩/…``)."""
        return [
            (path, path.relative_to(self.root).as_posix())
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        ]


_SHARED: dict[str, DemoTerm] = {}


def shared_demo_term(factory: pytest.TempPathFactory) -> DemoTerm:
    """Written once per test session (test_web_browser.py uses the same files)."""
    if "term" not in _SHARED:
        root = factory.mktemp("web-demo")
        school = make_school()
        config_path = root / "学校配置.xlsx"
        write_config_template(config_path, make_config(school))
        config = load_config(config_path, ProblemReport())
        truth = write_term_folder(school, config, root)
        _SHARED["term"] = DemoTerm(root, config_path, config, truth)
    return _SHARED["term"]


@pytest.fixture(scope="session")
def demo_term(tmp_path_factory: pytest.TempPathFactory) -> DemoTerm:
    return shared_demo_term(tmp_path_factory)


def scores_of(sample: SampleSchool) -> pd.DataFrame:
    """The truth with every absent (学号, 学科) blanked."""
    scores = sample.truth.copy()
    for sid, subject in zip(sample.absent["学号"], sample.absent["学科"], strict=True):
        scores.loc[scores["学号"] == sid, subject] = np.nan
    return scores


def class_label(grade: int, number: int) -> str:
    return f"{GRADE_WORDS[grade - 1]}({number})班"


# --------------------------------------------------------------------------- page helpers


def upload(client: FlaskClient, files: list[tuple[str, bytes]], **headers: str) -> Any:
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        "/upload", data=data, content_type="multipart/form-data", headers={**FETCH, **headers}
    )


def wait_job(client: FlaskClient, job_id: str, timeout: float = JOB_TIMEOUT) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get(f"/jobs/{job_id}").get_json()["finished"]:
            return client.get(f"/jobs/{job_id}/result.json").get_json()
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def start(client: FlaskClient, report: str, **form: str) -> str:
    reply = client.post("/jobs", data={"report": report, **form}, headers=FETCH)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()["job"]


def download(client: FlaskClient, job_id: str, name: str) -> bytes:
    reply = client.get(f"/jobs/{job_id}/files/{name}")
    assert reply.status_code == 200, name
    return reply.data


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data), read_only=True)


def table(ws: Any, header_row: int) -> pd.DataFrame:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    header = [c for c in rows[0] if c is not None]
    return pd.DataFrame([r[: len(header)] for r in rows[1:] if r[0] is not None], columns=header)


def assert_grade_four_means(book: Any, final: SampleSchool) -> None:
    """The term workbook's 四年级 class and grade means equal the truth's."""
    means = block(book["四年级"], "期末各班各科平均分").set_index("学科")
    truth = scores_of(final)
    grade = truth[truth["年级"] == 4]
    for subject in SUBJECTS_BY_GRADE[4]:
        for number in (1, 2, 3):
            expected = grade.loc[grade["班级"] == number, subject].mean()
            assert means.loc[subject, class_label(4, number)] == pytest.approx(expected)
        assert means.loc[subject, "全年级"] == pytest.approx(grade[subject].mean())


def block(ws: Any, heading: str) -> pd.DataFrame:
    """The table under the cell in column A reading ``heading`` (an overview sheet's block)."""
    rows = list(ws.iter_rows(values_only=True))
    start_at = next(i for i, r in enumerate(rows) if r and r[0] == heading) + 1
    header = [c for c in rows[start_at] if c is not None]
    body = []
    for row in rows[start_at + 1 :]:
        if row[0] is None:
            break
        body.append(row[: len(header)])
    return pd.DataFrame(body, columns=header)


def new_client(app: Flask) -> FlaskClient:
    return app.test_client()


# --------------------------------------------------------------------------- the site, once


@dataclass
class Site:
    app: Flask
    client: FlaskClient
    found: dict[str, Any]
    upload_reply: dict[str, Any]


@pytest.fixture(scope="module")
def site(demo_term: DemoTerm) -> Any:
    app = create_app(WebSettings(workers=3))
    client = app.test_client()
    files = [(name, path.read_bytes()) for path, name in demo_term.upload_names()]
    reply = upload(client, files)
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    wait_job(client, body["job"])
    found = client.get("/found.json").get_json()
    yield Site(app, client, found, body)
    app_state(app).close()


REPORT_FORMS: dict[str, dict[str, str]] = {
    "scores": {"exam": "期末", "previous": "期中", "skip_invalid": "1"},
    "homework": {"skip_invalid": "1"},
    "observation": {"month": "2026-05", "skip_invalid": "1"},
    "weakpoints": {"as_of": "2026-05-31", "skip_invalid": "1"},
    "items": {"exam": "期末", "date": "2026-07-01"},
    "monthly": {"month": "2026-05"},
    "term": {"as_of": "2026-05-31"},
    "feedback": {"exam": "期末"},
}


@pytest.fixture(scope="module")
def runs(site: Site) -> dict[str, dict[str, Any]]:
    """Every report started at once (as a user might click them all), then waited for."""
    jobs = {key: start(site.client, key, **form) for key, form in REPORT_FORMS.items()}
    return {key: wait_job(site.client, job) | {"id": job} for key, job in jobs.items()}


# =========================================================================== 1. upload, found


def test_upload_keeps_the_folder_structure(site: Site, demo_term: DemoTerm) -> None:
    sent = {name for _, name in demo_term.upload_names()}
    assert set(site.upload_reply["saved"]) == sent
    assert site.upload_reply["rejected"] == []
    (uploads,) = app_state(site.app).workspace.root.glob("*/上传的文件")
    on_disk = {p.relative_to(uploads).as_posix() for p in uploads.rglob("*") if p.is_file()}
    assert on_disk == sent  # 2025-2026学年第二学期/成绩/期末/四年级/四(1)班期末成绩.xlsx, …


def test_detection_table_names_every_file_its_kind_exam_classes_and_records(
    site: Site, demo_term: DemoTerm
) -> None:
    files = {f["file"]: f for f in site.found["files"]}
    assert set(files) == {name for _, name in demo_term.upload_names()}
    assert site.found["config"] == "学校配置.xlsx"
    assert files["学校配置.xlsx"]["kind"] == "config"
    truth = demo_term.final.truth
    for grade in (3, 4, 5, 6):
        size = int((truth["年级"] == grade).sum())
        for name, entry in files.items():
            if not name.startswith(f"{TERM_FOLDER}/成绩/期末/") or entry["kind"] != "scores":
                continue
            number = re.search(rf"{GRADE_WORDS[grade - 1]}\((\d)\)班", name)
            if number is not None:  # one class per file
                expected = int(((truth["年级"] == grade) & (truth["班级"] == int(number[1]))).sum())
                assert entry["records"] == expected, name
                assert entry["classes"] == class_label(grade, int(number[1]))
            elif f"{GRADE_WORDS[grade - 1]}年级" in name:
                assert entry["records"] == size, name
                assert entry["classes"] == "、".join(class_label(grade, n) for n in (1, 2, 3))
            assert entry["exam"] == "期末"
    grade_five = files[f"{TERM_FOLDER}/成绩/期中/五年级成绩.xlsx"]  # exam from its folder only
    assert (grade_five["kind"], grade_five["exam"]) == ("scores", "期中")
    assert files[f"{TERM_FOLDER}/小题分/期末/四(3)班数学期末小题分.xlsx"]["kind"] == "items"
    assert files[f"{TERM_FOLDER}/听评课/教导处推门听课记录.xlsx"]["kind_title"] == "听评课记录"
    assert site.found["exams"] == {"scores": ["3月月考", "期中", "期末"], "items": ["期中", "期末"]}


def test_problems_point_at_file_sheet_cell(site: Site, demo_term: DemoTerm) -> None:
    problems = site.found["problems"]
    for dirty in demo_term.truth.dirty:  # the four cells planted in 作业检查
        hits = [
            p
            for p in problems
            if p["file"] == f"{TERM_FOLDER}/作业检查/{dirty.file}"
            and (p["sheet"], p["cell"]) == (dirty.sheet, dirty.cell)
        ]
        assert [p["severity"] for p in hits] == ["error"], dirty
    corrupt = [p for p in problems if p["file"] == f"{TERM_FOLDER}/{CORRUPT_FILE}"]
    assert [p["code"] for p in corrupt] == ["file.unreadable"]
    page = site.client.get("/").get_data(as_text=True)
    dirty = demo_term.truth.dirty[0]
    assert f"{TERM_FOLDER}/作业检查/{dirty.file} › {dirty.sheet} › {dirty.cell}" in page
    assert "四(2)班期末成绩（微信传输）.xlsx" in page and "文件已损坏" in page
    assert "Traceback" not in page


def test_found_fragment_lists_files_and_offers_every_report(site: Site) -> None:
    html = site.client.get("/found").get_data(as_text=True)
    assert 'id="found-table"' in html
    assert html.count("<tr class=") >= len(site.found["files"])
    for key in REPORT_FORMS:
        assert f'id="report-{key}"' in html
    assert "生成标注版回执" in html
    counts = site.found["counts"]
    assert f"错误 {counts['error']} 处" in html


# =========================================================================== 2. reports


def test_every_report_finishes_and_no_input_is_modified(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    for key, run in runs.items():
        assert run["state"] == "done", (key, run["message"])
        assert run["message"].startswith("已生成"), key
        assert run["outputs"], key
    (uploads,) = app_state(site.app).workspace.root.glob("*/上传的文件")
    for path, name in demo_term.upload_names():
        assert (uploads / name).read_bytes() == path.read_bytes(), name


def test_feedback_slips_are_a_page_per_student_of_each_class(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm, tmp_path: Path
) -> None:
    from test_feedback import RANK_WORDS, pages

    truth = demo_term.final.truth
    docs = sorted(name for name in runs["feedback"]["outputs"] if name.endswith(".docx"))
    assert len(docs) == truth.groupby(["年级", "班级"]).ngroups
    name = "四年级2班_个人学情反馈单.docx"
    path = tmp_path / "slips.docx"
    path.write_bytes(download(site.client, runs["feedback"]["id"], f"个人学情反馈单/{name}"))
    found = pages(path)
    pupils = truth[(truth["年级"] == 4) & (truth["班级"] == 2)]["姓名"].tolist()
    assert len(found) == len(pupils)
    assert not any(RANK_WORDS.search(page.text) for page in found)


def test_scores_download_matches_the_truth(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    book = workbook(download(site.client, runs["scores"]["id"], "成绩分析.xlsx"))
    assert "进退步" in book.sheetnames  # --previous 期中 was given
    students = table(book["学生成绩"], 3)
    truth = scores_of(demo_term.final)
    assert len(students) == len(truth)
    assert set(students["学号"].astype(str)) == set(truth["学号"].astype(str))
    by_id = students.set_index(students["学号"].astype(str))
    for row in truth.itertuples(index=False):
        subjects = SUBJECTS_BY_GRADE[row.年级]
        values = [getattr(row, s) for s in subjects]
        if not any(pd.isna(values)):
            assert by_id.loc[str(row.学号), "总分"] == pytest.approx(sum(values))


def test_homework_download_lists_the_planted_errors(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    book = workbook(download(site.client, runs["homework"]["id"], "作业检查汇总.xlsx"))
    problems = table(book["数据问题"], 3)
    listed = set(zip(problems["文件"], problems["工作表"], problems["单元格"], strict=True))
    for dirty in demo_term.truth.dirty:
        assert (f"{TERM_FOLDER}/作业检查/{dirty.file}", dirty.sheet, dirty.cell) in listed


def test_observation_download_counts_the_months_lessons(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    from toolkit.demo.records import make_observations

    lessons = make_observations(demo_term.config)
    in_may = int((pd.to_datetime(lessons["日期"]).dt.strftime("%Y-%m") == "2026-05").sum())
    book = workbook(download(site.client, runs["observation"]["id"], "听评课汇总.xlsx"))
    classes = table(book["班级汇总"], 3).set_index("班级")
    assert classes.loc["全校", "听课节数"] == in_may


def test_weakpoints_download_counts_every_ledger_row(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    book = workbook(download(site.client, runs["weakpoints"]["id"], "薄弱点台账汇总.xlsx"))
    classes = table(book["班级汇总"], 3)
    per_class = classes[~classes["班级"].astype(str).str.contains("全")]
    assert int(per_class["登记数"].sum()) == len(make_weakpoints(demo_term.config))


def test_items_download_and_the_suggested_ledger(
    site: Site, runs: dict[str, dict[str, Any]]
) -> None:
    assert set(runs["items"]["outputs"]) == {"试题分析.xlsx", "试题分析_建议薄弱点台账.xlsx"}
    book = workbook(download(site.client, runs["items"]["id"], "试题分析.xlsx"))
    assert "四年级数学期末" in book.sheetnames  # only the 期末 item scores were given
    assert "四年级数学期中" not in book.sheetnames
    ledger = workbook(download(site.client, runs["items"]["id"], "试题分析_建议薄弱点台账.xlsx"))
    assert ledger.sheetnames


def test_term_download_class_means_match_the_truth(
    site: Site, runs: dict[str, dict[str, Any]], demo_term: DemoTerm
) -> None:
    run = runs["term"]
    assert {"期末质量分析/期末质量分析.xlsx", "期末质量分析/四年级期末质量分析报告.docx"} <= set(
        run["outputs"]
    )
    book = workbook(download(site.client, run["id"], "期末质量分析/期末质量分析.xlsx"))
    assert_grade_four_means(book, demo_term.final)


def test_monthly_pack_charts_are_previewed_and_zipped(
    site: Site, runs: dict[str, dict[str, Any]]
) -> None:
    run = runs["monthly"]
    outputs = run["outputs"]
    folder = "2026年5月学情研判"
    for grade in ("三年级", "四年级", "五年级", "六年级"):
        assert f"{folder}/{grade}学情研判.xlsx" in outputs
        assert f"{folder}/{grade}学情研判.pptx" in outputs
    assert outputs[0] == f"{folder}/全校学情研判.xlsx"  # in the order the command lists them
    charts = [name for name in outputs if name.endswith(".png")]
    assert len(charts) >= 4 and outputs[-len(charts) :] == charts
    card = site.client.get(f"/jobs/{run['id']}/card").get_data(as_text=True)
    assert card.count("<img ") == len(charts)
    image = site.client.get(f"/jobs/{run['id']}/files/{charts[0]}")
    assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    outside = site.client.get(f"/jobs/{run['id']}/files/%2E%2E/%2E%2E/上传的文件/学校配置.xlsx")
    assert outside.status_code == 404
    archive = site.client.get(f"/jobs/{run['id']}/zip")
    assert archive.status_code == 200
    assert "attachment" in archive.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(archive.data)) as book:
        assert sorted(book.namelist()) == sorted(outputs)


def test_annotated_returns_download_as_a_zip(site: Site, demo_term: DemoTerm) -> None:
    reply = site.client.post("/annotate", headers=FETCH)
    run = wait_job(site.client, reply.get_json()["job"])
    assert run["state"] == "done", run["message"]
    archive = site.client.get(f"/jobs/{run['id']}/zip")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as book:
        names = book.namelist()
        for dirty in demo_term.truth.dirty:
            copy = f"待修改/{TERM_FOLDER}/作业检查/{dirty.file}"
            assert copy in names
            wb = load_workbook(io.BytesIO(book.read(copy)))
            assert wb.sheetnames[0] == "问题清单"
            assert wb[dirty.sheet][dirty.cell].comment is not None
    assert not any(CORRUPT_FILE.split("/")[-1] in name for name in names)  # cannot be copied
    assert "未能标注" in run["message"]


def test_blank_config_and_templates_download(site: Site) -> None:
    config = site.client.get("/download/config")
    assert config.status_code == 200
    assert {"基本信息", "班级", "学科", "任课", "名单", "参数"} <= set(
        workbook(config.data).sheetnames
    )
    generic = site.client.get("/download/templates?generic=1")
    school = site.client.get("/download/templates")  # the uploaded config is used
    names = {
        "质量监测成绩.xlsx",
        "小题分.xlsx",
        "作业检查.xlsx",
        "听评课记录.xlsx",
        "薄弱点台账.xlsx",
        "乐考.xlsx",
    }
    for reply in (generic, school):
        with zipfile.ZipFile(io.BytesIO(reply.data)) as book:
            assert {Path(n).name for n in book.namelist()} == names
    with zipfile.ZipFile(io.BytesIO(school.data)) as book:
        scores = workbook(book.read("填报模板/质量监测成绩.xlsx"))
    for grade, number in ((3, 1), (6, 3)):  # one sheet per class when the config has a roster
        assert class_label(grade, number) in scores.sheetnames


# =========================================================================== 3. bad input


@pytest.fixture()
def app(tmp_path: Path) -> Any:
    app = create_app(WebSettings(max_upload_mb=1), workspace_parent=tmp_path)
    yield app
    app_state(app).close()


def test_corrupt_upload_is_a_problem_and_a_failing_report_is_a_message(
    app: Flask, demo_term: DemoTerm
) -> None:
    client = app.test_client()
    good = demo_term.folder / "成绩" / "期末" / "四年级" / "四(1)班期末成绩.xlsx"
    reply = upload(
        client,
        [
            ("期末/坏了.xlsx", b"PK\x03\x04 broken" * 10),
            ("期末/四(1)班期末成绩.xlsx", good.read_bytes()),
        ],
    )
    wait_job(client, reply.get_json()["job"])
    found = client.get("/found.json").get_json()
    bad = [p for p in found["problems"] if p["file"] == "期末/坏了.xlsx"]
    assert [p["code"] for p in bad] == ["file.unreadable"]
    assert client.get("/").status_code == 200
    run = wait_job(client, start(client, "monthly"))  # no routine records: nothing to write
    assert run["state"] == "failed"
    assert "未生成" in run["message"] and "Traceback" not in run["message"]
    card = client.get(f"/jobs/{run['id']}/card").get_data(as_text=True)
    assert "未完成" in card and "Traceback" not in card
    scores = wait_job(client, start(client, "scores"))  # the good file is still read
    assert scores["state"] == "done"
    assert client.get("/").status_code == 200


def test_a_crashing_command_leaves_the_server_answering(
    app: Flask, demo_term: DemoTerm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.web import runs

    client = app.test_client()
    good = demo_term.folder / "成绩" / "期末" / "四年级" / "四(1)班期末成绩.xlsx"
    wait_job(
        client, upload(client, [("四(1)班期末成绩.xlsx", good.read_bytes())]).get_json()["job"]
    )
    crash = "import sys; sys.stderr.write('Traceback (most recent call last):\\nboom'); sys.exit(1)"
    monkeypatch.setattr(runs, "python_command", lambda *args: [sys.executable, "-c", crash])
    run = wait_job(client, start(client, "scores"))
    assert run["state"] == "failed"
    assert "程序出错" in run["message"]
    card = client.get(f"/jobs/{run['id']}/card").get_data(as_text=True)
    assert "Traceback" not in card and "boom" not in card
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "../x.xlsx",
        "/etc/x.xlsx",
        "..\\x.xlsx",
        "C:\\x.xlsx",
        "C:x.xlsx",
        "a/../../x.xlsx",
        ".../x.xlsx",
    ],
)
def test_unsafe_names_are_rejected(app: Flask, tmp_path: Path, name: str) -> None:
    client = app.test_client()
    reply = upload(client, [(name, b"not read")])
    body = reply.get_json()
    assert body["saved"] == [] and body["job"] is None
    assert [r["name"] for r in body["rejected"]] == [name]
    assert re.search(r"[\u4e00-\u9fff]", body["rejected"][0]["reason"])  # said in Chinese
    written = [p for p in tmp_path.rglob("x.xlsx")] + list(Path("/etc").glob("x.xlsx"))
    assert written == []
    page = client.get("/").get_data(as_text=True)
    assert "以下文件未保存" in page


@pytest.mark.parametrize("name", ["..\\x.xlsx", "C:\\x.xlsx", "成绩\\..\\..\\x.xlsx"])
def test_a_backslash_the_browser_sent_is_refused_whatever_werkzeug_makes_of_it(
    app: Flask, tmp_path: Path, name: str
) -> None:
    """The body a browser sends, built by hand: the name's backslash is a plain byte, which
    Werkzeug 3.1.9 reads as an escape and drops (``..x.xlsx`` would have been saved)."""
    boundary = "----xueqing-test"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
        "not read\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    reply = app.test_client().post(
        "/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=FETCH,
    )
    payload = reply.get_json()
    assert payload["saved"] == [] and [r["name"] for r in payload["rejected"]] == [name]
    assert list(tmp_path.rglob("*x.xlsx")) == []


def test_sent_name_reads_the_header_as_browsers_write_it() -> None:
    header = 'form-data; name="files"; filename="..\\x.xlsx"'
    assert sent_name(header, "..x.xlsx") == "..\\x.xlsx"
    quoted = 'form-data; name="files"; filename="四年级%22期末%22.xlsx"'
    assert sent_name(quoted, "whatever") == '四年级"期末".xlsx'
    assert sent_name("form-data; filename=plain.xlsx", "") == "plain.xlsx"
    assert sent_name('form-data; name="files"', "kept.xlsx") == "kept.xlsx"
    assert sent_name(None, "kept.xlsx") == "kept.xlsx"


def test_names_are_shown_escaped(app: Flask) -> None:
    client = app.test_client()
    upload(client, [("../<img src=x onerror=alert(1)>.xlsx", b"x")])
    page = client.get("/").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_safe_names_keep_their_folders() -> None:
    assert safe_relative_path("2025-2026学年第二学期/期末/四(1)班.xlsx").parts == (
        "2025-2026学年第二学期",
        "期末",
        "四(1)班.xlsx",
    )
    assert safe_relative_path("./a//b.xlsx").as_posix() == "a/b.xlsx"
    assert safe_relative_path('成绩/四年级:"期末"?.xlsx').as_posix() == "成绩/四年级__期末__.xlsx"
    assert safe_relative_path("con.xlsx").as_posix() == "_con.xlsx"  # reserved on Windows


def test_oversize_upload_is_413_in_chinese(app: Flask) -> None:
    client = app.test_client()
    big = [("大文件.xlsx", b"0" * (2 * 1024 * 1024))]
    as_json = upload(client, big)
    assert as_json.status_code == 413
    assert "上传的文件太大" in as_json.get_json()["message"]
    as_page = client.post(
        "/upload",
        data={"files": [(io.BytesIO(big[0][1]), big[0][0])]},
        content_type="multipart/form-data",
    )
    assert as_page.status_code == 413
    assert "上传的文件太大" in as_page.get_data(as_text=True)
    assert "Traceback" not in as_page.get_data(as_text=True)
    # The limit is for the whole batch, not one request.
    assert upload(client, [("a.xlsx", b"0" * 700_000)]).status_code == 200
    again = upload(client, [("b.xlsx", b"0" * 700_000)])
    assert again.status_code == 413 and "1 MB" in again.get_json()["message"]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return buffer.getvalue()


def test_zip_upload_is_unpacked_with_its_folders(app: Flask, demo_term: DemoTerm) -> None:
    client = app.test_client()
    good = demo_term.folder / "成绩" / "期末" / "四年级"
    members = {f"期末/{p.name}": p.read_bytes() for p in sorted(good.glob("*.xlsx"))}
    members["期末/说明.txt"] = b"not a sheet"
    reply = upload(client, [("四年级成绩.zip", zip_bytes(members))])
    body = reply.get_json()
    assert sorted(body["saved"]) == sorted(n for n in members if n.endswith(".xlsx"))
    wait_job(client, body["job"])
    found = client.get("/found.json").get_json()
    assert {f["exam"] for f in found["files"]} == {"期末"}  # from the zip's folder name
    # A zip without a top folder goes into a folder named after the zip.
    loose = {"四(1)班.xlsx": members[next(iter(members))]}
    body = upload(client, [("期中成绩.zip", zip_bytes(loose))]).get_json()
    assert body["saved"] == ["期中成绩/四(1)班.xlsx"]


def test_zip_with_a_traversal_member_is_refused_whole(app: Flask, tmp_path: Path) -> None:
    client = app.test_client()
    data = zip_bytes({"ok/a.xlsx": b"fine", "../../evil.xlsx": b"bad"})
    body = upload(client, [("学期.zip", data)]).get_json()
    assert body["saved"] == []
    assert "已拒绝整个压缩包" in body["rejected"][0]["reason"]
    assert list(tmp_path.rglob("evil.xlsx")) == [] and list(tmp_path.rglob("a.xlsx")) == []


def test_zip_bomb_is_refused(app: Flask, tmp_path: Path) -> None:
    client = app.test_client()
    data = zip_bytes({"bomb.xlsx": b"\0" * (5 * 1024 * 1024)})  # 5 MB of zeros, ~5 KB packed
    assert len(data) < 100_000
    reply = upload(client, [("bomb.zip", data)])
    assert reply.status_code == 413
    assert "解压后超过" in reply.get_json()["message"]
    assert list(tmp_path.rglob("bomb.xlsx")) == []


def test_gbk_zip_names_are_read_as_chinese() -> None:
    info = zipfile.ZipInfo("x")
    info.filename = "期末/四(1)班.xlsx".encode("gbk").decode("cp437")  # as zipfile reads it
    info.flag_bits = 0
    assert member_name(info) == "期末/四(1)班.xlsx"


def test_other_hosts_and_origins_are_refused(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    cross = client.post("/clear", headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403


def test_requests_another_site_makes_are_refused(app: Flask) -> None:
    """A GET from another site's page (an <img> or a link) may not start a job or read a page:
    browsers say where a request comes from in Sec-Fetch-Site."""
    client = app.test_client()
    assert client.get("/", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    refused = client.get("/download/templates", headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and "其他网站" in refused.get_data(as_text=True)
    assert client.get("/", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert client.get("/", headers={"Sec-Fetch-Site": "none"}).status_code == 200  # typed URL


def test_a_refused_upload_keeps_the_earlier_copy(app: Flask, tmp_path: Path) -> None:
    client = app.test_client()
    first = b"1" * 300_000
    assert upload(client, [("期末/a.xlsx", first)]).status_code == 200
    # The same name sent again with a second file that does not fit: nothing of it is kept,
    # and the copy sent first is still there.
    reply = upload(client, [("期末/a.xlsx", b"2" * 300_000), ("期末/b.xlsx", b"3" * 900_000)])
    assert reply.status_code == 413
    copies = list(tmp_path.rglob("a.xlsx"))
    assert len(copies) == 1 and copies[0].read_bytes() == first
    assert list(tmp_path.rglob("b.xlsx")) == []


def test_ipv6_loopback_url_has_brackets() -> None:
    try:
        server = WebServer("::1", 0, WebSettings())
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert server.url == f"http://[::1]:{server.port}"
    finally:
        server.close()


def test_bad_form_values_are_explained(app: Flask, demo_term: DemoTerm) -> None:
    client = app.test_client()
    good = demo_term.folder / "成绩" / "期末" / "四年级" / "四(1)班期末成绩.xlsx"
    wait_job(client, upload(client, [("期末/四(1)班.xlsx", good.read_bytes())]).get_json()["job"])
    month = client.post("/jobs", data={"report": "monthly", "month": "2026-13"}, headers=FETCH)
    assert month.status_code == 400 and "不是有效的月份" in month.get_json()["message"]
    homework = client.post("/jobs", data={"report": "homework"}, headers=FETCH)
    assert homework.status_code == 400 and "没有作业检查" in homework.get_json()["message"]
    missing = client.get("/jobs/nope/files/x.xlsx")
    assert missing.status_code == 404 and "没有找到" in missing.get_data(as_text=True)


# =========================================================================== 4. lifecycle


def test_serve_defaults_to_loopback() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.no_browser, args.max_upload_mb) == (
        "127.0.0.1",
        8765,
        False,
        200,
    )
    assert args.handler == "toolkit.web.server:run_serve"


def test_a_busy_port_is_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli.parser import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-browser"]) == 2
    assert "端口已被占用" in capsys.readouterr().err


def test_temporary_folder_is_removed_on_shutdown(tmp_path: Path) -> None:
    server = WebServer("127.0.0.1", 0, WebSettings())
    server.start_background()
    folder = server.folder
    assert folder.is_dir()
    with urllib.request.urlopen(server.url, timeout=10) as reply:
        assert "上传文件" in reply.read().decode("utf-8")
    assert server.close()
    assert not folder.exists()


def test_serve_warns_off_loopback_and_cleans_up_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUTF8": "1"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--no-browser",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
    )
    try:
        assert child.stdout is not None
        url = re.search(r"http://\S+", child.stdout.readline())
        folder = re.search(r"暂存在 (.+?)，停止时删除", child.stdout.readline())
        assert url and folder, "serve did not start"
        assert Path(folder[1]).is_dir()
        with urllib.request.urlopen(url[0], timeout=10) as reply:
            assert reply.status == 200
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0
    assert "警告" in err and "0.0.0.0" in err
    assert "已停止" in out
    assert not Path(folder[1]).exists()
