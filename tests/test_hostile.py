"""Hostile inputs (issue 6): every bad file gets a clear, located message and never a traceback,
and a good file given beside it is still read.

The corpus comes from ``scripts/make_hostile_corpus.py``: the small cases are regenerated into a
temporary folder (and compared with the committed copies in ``tests/data/hostile``), the two big
ones (a sheet used to row 1,048,576, a 100 MB cell) are only ever written at test time.
Each case runs ``xueqing check <case> <good> --json`` as a user would, in a subprocess.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from toolkit.cli.parser import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "tests" / "data" / "hostile"
GIB_KB = 1024 * 1024
TIMEOUT = 300  # seconds for one run


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus_script = _load_script()
FILES: dict[str, str] = corpus_script.FILES
GOOD = FILES["good"]


@dataclass
class Run:
    """One finished ``xueqing`` subprocess."""

    code: int
    stdout: str
    stderr: str
    max_rss_kb: int | None = None

    @cached_property
    def summary(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def problems(self, code: str, file: str | None = None) -> list[dict[str, Any]]:
        return [
            p
            for p in self.summary["problems"]
            if p["code"] == code and (file is None or p["file"] == file)
        ]

    def problems_in(self, file: str) -> list[dict[str, Any]]:
        return [p for p in self.summary["problems"] if p["file"] == file]

    def records(self, file: str) -> int:
        (entry,) = [f for f in self.summary["files"] if f["file"] == file]
        return int(entry["records"])


def run_xueqing(*args: str | Path, cwd: Path) -> Run:
    """Run the CLI in a child process; its own peak memory comes from ``os.wait4`` where the
    platform has it (``max_rss_kb`` is None elsewhere)."""
    command = [sys.executable, "-m", "toolkit", *map(str, args)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if not hasattr(os, "wait4"):
        done = subprocess.run(
            command, capture_output=True, cwd=cwd, env=env, timeout=TIMEOUT, check=False
        )
        result = Run(done.returncode, _text(done.stdout), _text(done.stderr))
    else:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env)
            watchdog = threading.Timer(TIMEOUT, process.kill)  # wait4 itself has no timeout
            watchdog.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                watchdog.cancel()
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
            out.seek(0)
            err.seek(0)
            # ru_maxrss is KiB on Linux, bytes on macOS.
            rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
            result = Run(process.returncode, _text(out.read()), _text(err.read()), rss)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def assert_memory_under_1_gib(run: Run) -> None:
    if run.max_rss_kb is not None:  # not measurable without os.wait4 (Windows)
        assert run.max_rss_kb < GIB_KB, f"peak memory {run.max_rss_kb / 1024:.0f} MiB"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small cases, freshly generated; the encrypted one copied when msoffcrypto-tool
    (not a test dependency) is missing."""
    folder = tmp_path_factory.mktemp("corpus") / "hostile"
    cases = corpus_script.write_corpus(folder)
    if "password" not in cases:
        cases["password"] = folder / FILES["password"]
        shutil.copyfile(COMMITTED / FILES["password"], cases["password"])
    return cases


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return corpus_script.write_corpus(tmp_path_factory.mktemp("big"), big=True)


# Every case's check run, started together on the first use (each is a fresh interpreter, so
# running them side by side keeps the file's runtime down).
PLANNED: list[tuple[str, ...]] = [
    *((case,) for case in FILES if case not in ("good", "same_student_a", "same_student_b")),
    ("same_student_a", "same_student_b"),
]


def _workers() -> int:
    return min(4, os.cpu_count() or 2)


@pytest.fixture(scope="session")
def check(corpus: dict[str, Path]) -> Iterator[Callable[..., Run]]:
    """``check(case, ...)``: ``xueqing check <cases> <good> --json``, run once per session; the
    good file must always be read in full."""
    pool = ThreadPoolExecutor(max_workers=_workers())
    folder = corpus["good"].parent

    def start(cases: tuple[str, ...]) -> Future[Run]:
        paths = [corpus[c] for c in cases]
        return pool.submit(run_xueqing, "check", *paths, corpus["good"], "--json", cwd=folder)

    futures = {cases: start(cases) for cases in PLANNED}

    def run(*cases: str) -> Run:
        if cases not in futures:
            futures[cases] = start(cases)
        result = futures[cases].result()
        assert result.records(GOOD) == corpus_script.GOOD_STUDENTS
        return result

    yield run
    pool.shutdown(cancel_futures=True)


@pytest.fixture(scope="session")
def big_checks(
    big_corpus: dict[str, Path], corpus: dict[str, Path]
) -> Iterator[dict[str, Future[Run]]]:
    """Both big cases checked side by side (``os.wait4`` measures each child on its own)."""
    pool = ThreadPoolExecutor(max_workers=2)
    yield {
        case: pool.submit(
            run_xueqing,
            "check",
            big_corpus[case],
            corpus["good"],
            "--json",
            cwd=corpus["good"].parent,
        )
        for case in ("huge_rows", "huge_cell")
    }
    pool.shutdown(cancel_futures=True)


def only(found: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(found) == 1, found
    return found[0]


# --- files that cannot be opened -----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("empty", "空的"),
        ("password", "密码"),
        ("docx_renamed", "Word 文档"),
        ("csv_renamed", "文本文件"),
        ("truncated", "已损坏"),
    ],
)
def test_unreadable_file_says_why(check: Callable[..., Run], case: str, says: str) -> None:
    run = check(case)
    assert run.code == 1
    problem = only(run.problems("file.unreadable", FILES[case]))
    assert problem["severity"] == "error"
    assert says in problem["message"]
    assert run.records(FILES[case]) == 0


def test_no_recognisable_header(check: Callable[..., Run]) -> None:
    run = check("no_header")
    assert run.code == 1
    # check reads an unrecognised file as scores, whose reader says what it did not find.
    problem = only(run.problems("file.no_table", FILES["no_header"]))
    assert problem["severity"] == "error"
    assert "姓名" in problem["message"]
    assert run.records(FILES["no_header"]) == 0


# --- odd but readable layouts --------------------------------------------------------------


def test_duplicated_header_warns_at_the_second_column(check: Callable[..., Run]) -> None:
    run = check("duplicate_header")
    assert run.code == 0
    problem = only(run.problems("header.duplicate", FILES["duplicate_header"]))
    assert problem["severity"] == "warning"
    assert (problem["sheet"], problem["cell"]) == (corpus_script.SHEET, "F2")
    assert "数学" in problem["message"]
    assert run.records(FILES["duplicate_header"]) == 6


def test_merged_class_column_and_tall_row_need_no_message(check: Callable[..., Run]) -> None:
    run = check("merged")
    assert run.code == 0
    assert [p for p in run.problems_in(FILES["merged"]) if p["severity"] != "note"] == []


def test_merged_tall_row_does_not_end_the_table(check: Callable[..., Run]) -> None:
    assert check("merged").records(FILES["merged"]) == corpus_script.MERGED_STUDENTS


def test_hidden_rows_are_read_and_hidden_sheet_is_named(check: Callable[..., Run]) -> None:
    run = check("hidden")
    assert run.code == 0
    name = FILES["hidden"]
    sheet = only(run.problems("sheet.hidden", name))
    assert (sheet["severity"], sheet["sheet"]) == ("warning", corpus_script.HIDDEN_SHEET)
    rows = only(run.problems("sheet.hidden_rows", name))
    assert rows["severity"] == "warning"
    assert (rows["sheet"], rows["cell"]) == ("三(1)班", f"A{corpus_script.HIDDEN_ROWS[0]}")
    # Hidden rows still count; the hidden sheet's class does not.
    assert run.records(name) == corpus_script.HIDDEN_STUDENTS


def test_date_in_a_score_cell_is_an_error_there(check: Callable[..., Run]) -> None:
    run = check("score_date")
    assert run.code == 1
    problem = only(run.problems("score.date", FILES["score_date"]))
    assert problem["severity"] == "error"
    assert (problem["sheet"], problem["cell"]) == ("成绩", corpus_script.SCORE_DATE_CELL)
    assert "2026-01-15" in problem["message"]


def test_serial_numbers_in_a_date_column_are_dates(
    check: Callable[..., Run], corpus: dict[str, Path], tmp_path: Path
) -> None:
    name = FILES["homework_serial_dates"]
    run = check("homework_serial_dates")
    assert run.code == 0
    assert run.problems_in(name) == []
    (entry,) = [f for f in run.summary["files"] if f["file"] == name]
    assert (entry["kind"], entry["records"]) == ("homework", corpus_script.HOMEWORK_ROWS)
    # 46100… are 2026-03-19…: every row falls in March.
    out = tmp_path / "作业检查汇总.xlsx"
    args = ("homework", corpus["homework_serial_dates"], "--month", "2026-03", "-o", out)
    homework = run_xueqing(*args, "--json", cwd=tmp_path)
    assert homework.code == 0
    assert homework.summary["rows"]["计入"] == corpus_script.HOMEWORK_ROWS
    assert out.exists()


def test_formula_without_cached_value(check: Callable[..., Run]) -> None:
    run = check("formula_no_value")
    assert run.code == 1
    name = FILES["formula_no_value"]
    problem = only(run.problems("cell.formula_no_value", name))
    assert problem["severity"] == "error"
    assert (problem["sheet"], problem["cell"]) == ("成绩", corpus_script.FORMULA_CELL)
    assert "公式" in problem["message"]
    # 总分 (column F) is all formulas without values too, but it is recomputed: no message.
    assert [p for p in run.problems_in(name) if p["cell"].startswith("F")] == []
    assert run.records(name) == corpus_script.FORMULA_STUDENTS


def test_error_values_are_named_in_their_cells(check: Callable[..., Run]) -> None:
    run = check("error_values")
    assert run.code == 1
    found = {p["cell"]: p for p in run.problems("cell.error_value", FILES["error_values"])}
    assert set(found) == set(corpus_script.ERROR_CELLS)
    for cell, (_formula, error) in corpus_script.ERROR_CELLS.items():
        assert found[cell]["severity"] == "error"
        assert found[cell]["sheet"] == "成绩"
        assert error in found[cell]["message"]


def test_full_width_and_zero_width_characters(check: Callable[..., Run]) -> None:
    run = check("fullwidth")
    assert run.code == 1
    name = FILES["fullwidth"]
    # 三（１）班 is 三(1)班, ８５ is 85: nothing to say about either.
    for code in ("class.invalid", "class.unknown", "score.invalid"):
        assert run.problems(code, name) == []
    # 张\u200b三 (row 3) and 张三 (row 7) are one student, listed twice.
    problem = only(run.problems("student.duplicate", name))
    assert problem["cell"] == corpus_script.PLAIN_NAME_CELL
    assert "三(1)班" in problem["message"] and "B3" in problem["message"]
    assert run.records(name) == corpus_script.FULLWIDTH_STUDENTS - 1


def test_same_student_in_two_files(check: Callable[..., Run]) -> None:
    run = check("same_student_a", "same_student_b")
    assert run.code == 1
    problem = only(run.problems("student.duplicate"))
    assert problem["severity"] == "error"
    assert (problem["file"], problem["cell"]) == (
        FILES["same_student_b"],
        corpus_script.SAME_STUDENT_B_CELL,
    )
    assert FILES["same_student_a"] in problem["message"]
    assert corpus_script.SHARED_NAME in problem["message"]


def test_good_file_alone_is_clean(corpus: dict[str, Path]) -> None:
    run = run_xueqing("check", corpus["good"], "--json", cwd=corpus["good"].parent)
    assert run.code == 0
    assert run.summary["problems"] == []
    assert run.records(GOOD) == corpus_script.GOOD_STUDENTS


# --- big inputs ----------------------------------------------------------------------------


def test_sheet_used_to_the_last_row(
    big_checks: dict[str, Future[Run]], big_corpus: dict[str, Path]
) -> None:
    name = big_corpus["huge_rows"].name
    run = big_checks["huge_rows"].result()
    assert run.code == 0
    assert run.records(name) == corpus_script.HUGE_ROWS_STUDENTS
    assert run.records(GOOD) == corpus_script.GOOD_STUDENTS
    stray = [
        p
        for p in run.problems_in(name)
        if p["code"] in ("row.stray", "row.summary")
        and p["cell"] == corpus_script.HUGE_ROWS_STRAY_CELL
    ]
    assert len(stray) == 1, run.summary["problems"]
    assert_memory_under_1_gib(run)


def test_hundred_megabytes_in_one_cell(
    big_checks: dict[str, Future[Run]], big_corpus: dict[str, Path]
) -> None:
    name = big_corpus["huge_cell"].name
    run = big_checks["huge_cell"].result()
    assert run.code == 0
    problem = only(run.problems("cell.too_long", name))
    assert problem["severity"] == "warning"
    assert problem["cell"] == corpus_script.HUGE_CELL
    assert "32767" in problem["message"].replace(",", "")
    assert run.records(name) == 4
    assert run.records(GOOD) == corpus_script.GOOD_STUDENTS
    assert_memory_under_1_gib(run)


# --- the whole corpus at once --------------------------------------------------------------


def test_scores_on_the_whole_corpus_skips_what_it_cannot_use(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    folder = corpus["good"].parent
    run = run_xueqing("scores", folder, "--skip-invalid", "-o", out, "--json", cwd=tmp_path)
    assert run.code == 0
    assert out.is_file() and out.stat().st_size > 0
    assert run.summary["output"] == str(out)
    named = {p["file"] for p in run.summary["problems"] if p["severity"] == "error"}
    for case in ("empty", "password", "docx_renamed", "csv_renamed", "truncated"):
        assert FILES[case] in named


def test_check_on_the_whole_corpus(corpus: dict[str, Path]) -> None:
    folder = corpus["good"].parent
    run = run_xueqing("check", folder, "--json", cwd=folder.parent)
    assert run.code == 1
    assert {f["file"] for f in run.summary["files"]} == {p.name for p in corpus.values()}
    assert run.records(GOOD) == corpus_script.GOOD_STUDENTS
    # Cases never share a student by accident: only the two planted duplicates.
    duplicates = {p["file"] for p in run.problems("student.duplicate")}
    assert duplicates == {FILES["fullwidth"], FILES["same_student_b"]}


def test_committed_corpus_is_current(corpus: dict[str, Path]) -> None:
    """``python scripts/make_hostile_corpus.py`` was run after the script last changed."""
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    for case, path in corpus.items():
        committed = COMMITTED / FILES[case]
        assert committed.read_bytes() == path.read_bytes(), case
        assert committed.stat().st_size < 100_000, case
        assert FILES[case] in readme, case
    committed_files = {p.name for p in COMMITTED.iterdir() if p.name != "README.md"}
    assert committed_files == set(FILES.values())


# --- outputs that cannot be written --------------------------------------------------------


def _run_in_process(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*map(str, args), "--json"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, json.loads(out.out)


def test_output_open_in_excel(
    corpus: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On Windows a workbook open in Excel/WPS cannot be replaced: the old one must survive."""
    target = tmp_path / "out.xlsx"
    code, _ = _run_in_process(capsys, "scores", corpus["good"], "-o", target)
    assert code == 0  # last week's workbook, ours (someone else's is never replaced)
    last_week = target.read_bytes()
    real_replace = os.replace

    def locked(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    code, summary = _run_in_process(capsys, "scores", corpus["good"], "-o", target)
    assert code == 2
    assert "正在 Excel/WPS 中打开" in summary["failure"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
    assert target.read_bytes() == last_week


def test_output_folder_refuses_temporary_file(
    corpus: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from toolkit.render.output import OutputError, write_atomically

    folder = tmp_path / "只读"
    folder.mkdir()
    real_mkstemp = tempfile.mkstemp

    def readonly(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(folder))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", readonly)
    code, summary = _run_in_process(capsys, "scores", corpus["good"], "-o", folder / "out.xlsx")
    assert code == 2
    assert "没有写入" in summary["failure"]
    assert list(folder.iterdir()) == []
    with pytest.raises(OutputError) as raised:
        write_atomically(folder / "out.xlsx", lambda path: path.write_bytes(b""))
    assert raised.value.problem.code == "output.readonly"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_real_read_only_folder(corpus: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        run = run_xueqing(
            "scores", corpus["good"], "-o", folder / "out.xlsx", "--json", cwd=tmp_path
        )
        assert run.code == 2
        assert "没有写入" in run.summary["failure"]
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
