"""Issue 6's two guarantees, checked for every command as a user runs it.

1. Inputs are never modified: whatever a command does (reading, analysing, annotating, writing
   its output, even into the input folder itself), every input file keeps its bytes and its
   modification time, and no file appears or disappears under the input folder except the
   command's own outputs.
2. Nothing is silently lost: every data row of every input is either counted or listed as
   skipped with a reason. Each command prints ``读取 … 行：计入 N，跳过 M（见数据问题）`` and its
   ``--json`` summary has ``"rows": {"读取": R, "计入": N, "跳过": M}``; R = N + M, M is the
   number of rows the listed problems say were skipped, and R is what an independent count of
   the input workbooks finds.

The inputs are the demo term folder (``toolkit.demo.term``; its 期末 grade 6 rewritten as a
legacy .xls), a school config beside it and a copy of the 期末 scores with planted errors. They
are written once per session. Every command runs once per parameter, as a subprocess
(``python -m toolkit``), each on its own copy of the inputs so that the runs can go in parallel
and a modification is pinned on the command that made it. Each command runs twice: with
``--json`` (the summary) and without (the printed line, which ``--json`` suppresses).

The independent count reads the workbooks with openpyxl (python-calamine for .xls, which
openpyxl cannot open) and finds each table's header by its content, without the toolkit.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from toolkit.base.problems import ProblemReport
from toolkit.config.read import load_config
from toolkit.demo.school import make_config, make_dirty_copy, make_school, write_score_files
from toolkit.demo.term import CORRUPT_FILE, TERM_FOLDER, write_term_folder
from toolkit.render.documents.pdf import find_soffice
from toolkit.render.workbooks.config_template import write_config_template

pytestmark = pytest.mark.slow

INPUT_FOLDER = "学校资料"
CONFIG = "学校配置.xlsx"
DIRTY = "有问题的成绩/期末"  # the 期末 scores with a 良, a -3, a 105 and a duplicated student
AS_OF = "2026-05-31"  # after every record of the demo term: nothing falls outside the period
RUN_TIMEOUT = 600  # seconds, per command

# The term's sub-folders and the kind of file each holds (the term commands recognise kinds by
# content; the independent count goes by where the demo put each file).
KIND_BY_FOLDER = {
    "成绩": "scores",
    "小题分": "items",
    "作业检查": "homework",
    "听评课": "observation",
    "薄弱点台账": "weakpoints",
}


# =========================================================================== the commands


@dataclass(frozen=True)
class Command:
    """One command line whose rows are checked (guarantee 2); it runs with and without --json.

    Paths use ``{root}`` (the input folder), ``{term}`` (the term folder in it) and ``{out}``
    (a folder of the run's own, outside the inputs).
    """

    key: str
    args: tuple[str, ...]
    output: str  # -o, relative to {out} (or to {term} for the text run of a pack)
    codes: frozenset[int]  # the exit codes it may end with
    main: tuple[str, ...]  # the input folders whose rows R counts
    kind: str = ""  # every main file's kind; "" = by its sub-folder of the term
    previous: tuple[str, ...] = ()  # --previous folders (read, but not counted in R)
    stops: bool = False  # stops on errors without writing anything (no printed line needed)
    details: str = ""  # the output sheet listing one row per counted record
    books: tuple[str, ...] = ()  # output workbooks whose 数据问题 sheet lists every skipped row
    pack: bool = False  # monthly/term: the text run writes its output inside the input folder

    @property
    def text_key(self) -> str:
        where = ", -o inside the input folder" if self.pack else ""
        return f"{self.key} (text{where})"


CFG = ("-c", "{root}/" + CONFIG)
FINAL, PREVIOUS = "{term}/成绩/期末", "{term}/成绩/期中"
OK, DATA_ERRORS = frozenset({0}), frozenset({1})

COMMANDS = {
    c.key: c
    for c in (
        Command(
            "scores --previous",
            ("scores", FINAL, "--previous", PREVIOUS, *CFG),
            "成绩分析.xlsx",
            OK,
            main=(FINAL,),
            kind="scores",
            previous=(PREVIOUS,),
            details="学生成绩",
            books=("成绩分析.xlsx",),
        ),
        Command(
            "scores (errors)",
            ("scores", "{root}/" + DIRTY, *CFG),
            "成绩分析.xlsx",
            DATA_ERRORS,
            main=("{root}/" + DIRTY,),
            kind="scores",
            stops=True,
        ),
        Command(
            "scores --skip-invalid --previous",
            ("scores", "{root}/" + DIRTY, "--skip-invalid", "--previous", PREVIOUS, *CFG),
            "成绩分析.xlsx",
            OK,
            main=("{root}/" + DIRTY,),
            kind="scores",
            previous=(PREVIOUS,),
            details="学生成绩",
            books=("成绩分析.xlsx",),
        ),
        Command(
            "homework",
            ("homework", "{term}/作业检查", *CFG),
            "作业检查汇总.xlsx",
            DATA_ERRORS,  # the demo's four planted errors
            main=("{term}/作业检查",),
            kind="homework",
            stops=True,
        ),
        Command(
            "homework --skip-invalid",
            ("homework", "{term}/作业检查", "--skip-invalid", *CFG),
            "作业检查汇总.xlsx",
            OK,
            main=("{term}/作业检查",),
            kind="homework",
            books=("作业检查汇总.xlsx",),
        ),
        Command(
            "observation",
            ("observation", "{term}/听评课", "--as-of", AS_OF, *CFG),
            "听评课汇总.xlsx",
            OK,
            main=("{term}/听评课",),
            kind="observation",
            books=("听评课汇总.xlsx",),
        ),
        Command(
            "weakpoints",
            ("weakpoints", "{term}/薄弱点台账", "--as-of", AS_OF, *CFG),
            "薄弱点台账汇总.xlsx",
            OK,
            main=("{term}/薄弱点台账",),
            kind="weakpoints",
            books=("薄弱点台账汇总.xlsx",),
        ),
        Command(
            "items",
            ("items", "{term}/小题分/期末", "--date", "2026-07-01", *CFG),
            "试题分析.xlsx",
            OK,
            main=("{term}/小题分/期末",),
            kind="items",
            books=("试题分析.xlsx",),
        ),
        Command(
            "check",
            ("check", "{term}", *CFG),
            "",  # check writes nothing
            DATA_ERRORS,  # the corrupt file and the planted 作业检查 errors
            main=("{term}",),
        ),
        Command(
            "monthly",
            ("monthly", "{term}", *CFG),
            "学情研判",
            OK,
            main=("{term}",),
            books=("全校学情研判.xlsx",),
            pack=True,
        ),
        Command(
            "term",
            ("term", "{term}", *CFG),
            "期末质量分析",
            OK,
            main=("{term}",),
            books=("期末质量分析.xlsx",),
            pack=True,
        ),
    )
}


@dataclass(frozen=True)
class Spec:
    """One run of ``python -m toolkit``."""

    key: str
    args: tuple[str, ...]
    codes: frozenset[int]
    as_json: bool
    inside: str = ""  # an output path inside the input folder: what may appear there
    needs_soffice: bool = False


def _specs() -> dict[str, Spec]:
    specs: list[Spec] = []
    for c in COMMANDS.values():
        out = ("-o", "{out}/" + c.output) if c.output else ()
        specs.append(Spec(c.key, (*c.args, *out, "--json"), c.codes, as_json=True))
        if c.pack:  # the text run doubles as the "-o inside the input folder" case
            inside = "{term}/" + c.output
            specs.append(Spec(c.text_key, (*c.args, "-o", inside), c.codes, False, inside))
        else:
            specs.append(Spec(c.text_key, (*c.args, *out), c.codes, as_json=False))
    annotate = ("check", "{term}", "--annotate", *CFG)
    either = frozenset({0, 1})  # 1: the folder has errors, which is what check reports
    specs += [
        Spec("check --annotate", (*annotate, "-o", "{out}/标注", "--json"), either, True),
        Spec(
            "check --annotate (-o inside the input folder)",
            (*annotate, "-o", "{term}/标注", "--json"),
            either,
            True,
            inside="{term}/标注",
        ),
        Spec(
            "term --pdf",
            ("term", "{term}", *CFG, "--pdf", "-o", "{out}/期末质量分析", "--json"),
            OK,
            True,
            needs_soffice=True,
        ),
    ]
    return {s.key: s for s in specs}


SPECS = _specs()
# Tests that are not parametrised, and the runs they look at.
USES = {
    "test_outputs_were_written_where_asked": (
        "monthly (text, -o inside the input folder)",
        "term (text, -o inside the input folder)",
        "check --annotate",
        "check --annotate (-o inside the input folder)",
        "term --pdf",
    ),
    "test_check_counts_every_file_as_term_does": ("check", "term"),
    "test_problem_locations_name_one_input_file": ("scores --previous",),
}


# =========================================================================== the inputs


@dataclass(frozen=True)
class Inputs:
    root: Path  # the pristine input folder; every run gets a copy

    @property
    def term(self) -> Path:
        return self.root / TERM_FOLDER


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    root = tmp_path_factory.mktemp("guarantees") / INPUT_FOLDER
    root.mkdir()
    school = make_school()
    config_path = write_config_template(root / CONFIG, make_config(school))
    problems = ProblemReport()
    config = load_config(config_path, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    truth = write_term_folder(school, config, root)
    final = truth.folder / "成绩" / "期末"
    make_dirty_copy(final, root / DIRTY)
    # Grade 6 of the 期末 as a legacy .xls, as many schools still send it.
    with tempfile.TemporaryDirectory() as scratch:
        for path in write_score_files(school, Path(scratch), with_xls=True):
            if path.suffix == ".xls":
                (final / path.with_suffix(".xlsx").name).unlink()
                shutil.copy2(path, final / path.name)
    assert list(final.glob("*.xls")), "the 期末 scores should hold an .xls file"
    return Inputs(root)


# =========================================================================== running


@dataclass
class Run:
    spec: Spec
    root: Path  # this run's copy of the inputs
    out: Path
    before: dict[str, tuple[str, int]]  # manifest of ``root`` before the run
    code: int = -1
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0

    @property
    def term(self) -> Path:
        return self.root / TERM_FOLDER

    def path(self, template: str) -> Path:
        return Path(self.fill(template))

    def fill(self, template: str) -> str:
        return template.format(root=self.root, term=self.term, out=self.out)

    @property
    def payload(self) -> dict[str, Any]:
        assert self.spec.as_json
        try:
            data: dict[str, Any] = json.loads(self.stdout)
        except json.JSONDecodeError as exc:
            raise AssertionError(
                f"{self.spec.key}: --json output is not JSON ({exc}):\n{self.output[-3000:]}"
            ) from None
        return data

    @property
    def output(self) -> str:
        return f"{self.stdout}\n--- stderr ---\n{self.stderr}"


def manifest(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under ``folder``: sha256 (or "<dir>") and mtime in nanoseconds."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[key] = ("<dir>", 0)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[key] = (digest, path.stat().st_mtime_ns)
    return found


def _execute(run: Run) -> Run:
    env = {**os.environ, "COLUMNS": "400", "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "toolkit", *(run.fill(a) for a in run.spec.args)]
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=run.out,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=RUN_TIMEOUT,
        check=False,
    )
    run.seconds = time.perf_counter() - start
    run.code, run.stdout, run.stderr = done.returncode, done.stdout, done.stderr
    return run


def _wanted(items: Iterable[pytest.Item]) -> set[str]:
    """The runs the selected tests of this module need (all of them if none can be told)."""
    wanted: set[str] = set()
    for item in items:
        if getattr(item, "module", None) is not sys.modules[__name__]:
            continue
        name = getattr(item, "originalname", item.name)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "spec" in params:
            wanted.add(params["spec"])
        if "command" in params:
            wanted |= {params["command"], COMMANDS[params["command"]].text_key}
        wanted.update(USES.get(name, ()))
    return wanted or set(SPECS)


@pytest.fixture(scope="session")
def runs(
    request: pytest.FixtureRequest, inputs: Inputs, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """Every needed command run once, each on its own copy of the inputs, in parallel."""
    todo: list[Run] = []
    for n, key in enumerate(sorted(_wanted(request.session.items))):
        spec = SPECS[key]
        if spec.needs_soffice and find_soffice() is None:
            continue
        base = tmp_path_factory.mktemp(f"run{n:02d}")
        root = base / INPUT_FOLDER
        shutil.copytree(inputs.root, root)  # copy2: modification times are kept
        out = base / "输出"
        out.mkdir()
        todo.append(Run(spec, root, out, manifest(root)))
    workers = max(2, min(4, os.cpu_count() or 2))
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(_execute, todo))
    # Shown with ``pytest -s``: what each command costs.
    print(f"\n{len(done)} runs in {time.perf_counter() - start:.0f}s ({workers} at a time):")
    for run in sorted(done, key=lambda r: -r.seconds):
        print(f"  {run.seconds:6.1f}s  exit {run.code}  {run.spec.key}")
    return {run.spec.key: run for run in done}


def get_run(runs: dict[str, Run], key: str) -> Run:
    if key not in runs:
        assert SPECS[key].needs_soffice
        pytest.skip("LibreOffice (soffice) not found: --pdf cannot run")
    return runs[key]


# =========================================================================== 1. inputs unchanged


@pytest.mark.parametrize("spec", list(SPECS))
def test_inputs_are_never_modified(runs: dict[str, Run], spec: str) -> None:
    run = get_run(runs, spec)
    assert "Traceback" not in run.output, run.output[-4000:]
    assert run.code in run.spec.codes, f"exit {run.code}:\n{run.output[-4000:]}"
    if run.spec.as_json:
        run.payload  # noqa: B018 - the --json output must be JSON
    after = manifest(run.root)
    changed = [
        path
        for path, (digest, mtime) in run.before.items()
        if path in after and after[path] != (digest, mtime)
    ]
    assert changed == [], f"{spec} changed (bytes or modification time) input files: {changed}"
    removed = sorted(set(run.before) - set(after))
    assert removed == [], f"{spec} removed files from the input folder: {removed}"
    allowed = ""
    if run.spec.inside:
        allowed = run.path(run.spec.inside).relative_to(run.root).as_posix()
    added = sorted(
        path for path in set(after) - set(run.before) if not (allowed and _is_output(path, allowed))
    )
    assert added == [], f"{spec} added files to the input folder: {added}"


def _is_output(path: str, output: str) -> bool:
    """``path`` is the output itself, or a visible file or folder under it (not a temporary)."""
    if path == output or output.startswith(path + "/"):
        return True  # the output, or a folder on the way to it
    if not path.startswith(output + "/"):
        return False
    return not any(part.startswith((".", "~$")) for part in path[len(output) + 1 :].split("/"))


def test_outputs_were_written_where_asked(runs: dict[str, Run]) -> None:
    """The runs that write into the input folder, and the annotating ones, did write (else the
    guarantee above would hold trivially)."""
    for command in (c for c in COMMANDS.values() if c.pack):
        run = runs[command.text_key]
        out = run.path(SPECS[command.text_key].inside)
        assert run.code == 0, run.output[-3000:]
        assert any(out.rglob("*.xlsx")), f"{command.key}: nothing written to {out}"
    for key in ("check --annotate", "check --annotate (-o inside the input folder)"):
        run = runs[key]
        copies = [Path(a["copy"]) for a in run.payload.get("annotated", []) if a.get("copy")]
        assert copies, f"{key}: no annotated copy although the folder has problems"
        assert all((run.out / c).is_file() for c in copies), copies  # relative to the cwd
    if "term --pdf" in runs:
        pdfs = [p for p in runs["term --pdf"].payload["outputs"] if p.endswith(".pdf")]
        assert pdfs and all(Path(p).is_file() for p in pdfs), runs["term --pdf"].output[-3000:]


# =========================================================================== 2. nothing lost

# Problems that mean a row was read but not counted. Notes: the row is not a record (a 合计 or
# 平均分 row, a footnote under the table). Errors: the row had no name, no usable class, a second
# row for the same student, or (record kinds) a cell that fails its field's rule. Errors about a
# single score cell (score.*) leave the student counted; warnings never skip a row.
NOT_A_RECORD = {"row.summary", "row.stray"}
ROW_ERRORS = {
    "row.no_name",
    "student.duplicate",
    "class.invalid",
    "class.grade_missing",
    "class.grade_conflict",
    "field.invalid",
    "field.missing",
    "field.range",
    "weakpoint.no_measure",
}
ROWS_LINE = re.compile(
    r"读取[^：\n]*?([\d,]+)\s*行：计入\s*([\d,]+)(?:，跳过\s*([\d,]+)（见数据问题）)?"
)


def skips_row(problem: dict[str, Any]) -> bool:
    code = problem["code"]
    return code in NOT_A_RECORD or (problem["severity"] == "error" and code in ROW_ERRORS)


def row_of(cell: str) -> int | None:
    found = re.fullmatch(r"\$?[A-Z]{1,3}\$?(\d+)", cell or "")
    return int(found.group(1)) if found else None


def rows_summary(run: Run) -> dict[str, int]:
    payload = run.payload
    assert "rows" in payload, f'{run.spec.key}: no "rows" in the --json summary'
    rows = payload["rows"]
    assert isinstance(rows, dict) and {"读取", "计入", "跳过"} <= set(rows), rows
    return {k: int(v) for k, v in rows.items()}


def printed_rows(text: str) -> list[tuple[int, int, int]]:
    def number(s: str | None) -> int:
        return int(s.replace(",", "")) if s else 0

    return [(number(r), number(n), number(m)) for r, n, m in ROWS_LINE.findall(text)]


def displays(folder: Path) -> dict[str, Path]:
    """Each file under an input folder by the name problems give it (relative to the folder)."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def skipped_locations(run: Run, command: Command) -> set[tuple[str, str, int | None]]:
    """Distinct (file, sheet, row) of the listed problems that skip a row of the main inputs."""
    main = {name for folder in command.main for name in displays(run.path(folder))}
    previous = {name for folder in command.previous for name in displays(run.path(folder))}
    found: set[tuple[str, str, int | None]] = set()
    for problem in run.payload["problems"]:
        if not skips_row(problem):
            continue
        name = problem["file"]
        assert name in main | previous, f"a skipped row in an unknown file: {problem}"
        if name in previous:
            assert name not in main, (
                f"cannot tell whether this skipped row is in the current or the previous "
                f"exam's {name}: {problem}"
            )
            continue
        found.add((name, problem["sheet"], row_of(problem["cell"])))
    return found


@pytest.mark.parametrize("command", list(COMMANDS))
def test_rows_read_are_counted_or_skipped(runs: dict[str, Run], command: str) -> None:
    rows = rows_summary(runs[command])
    outside = rows.get("不在范围", 0)
    assert rows["读取"] == rows["计入"] + rows["跳过"] + outside, rows
    assert outside == 0, f"--as-of {AS_OF} covers every record, yet {rows}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_printed_line_agrees_with_json(runs: dict[str, Run], command: str) -> None:
    spec = COMMANDS[command]
    rows = rows_summary(runs[command])
    text = runs[spec.text_key]
    assert "Traceback" not in text.output, text.output[-4000:]
    printed = printed_rows(text.stdout)
    if not printed and spec.stops:
        return  # stopped on errors before analysing: the JSON summary still has the rows
    assert printed, f"no line 读取 … 行：计入 N… in the output:\n{text.output[-3000:]}"
    assert (rows["读取"], rows["计入"], rows["跳过"]) in printed, (printed, rows)
    assert not re.search(r"跳过\s*0（", text.stdout), "跳过 is printed only when M > 0"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_skipped_row_is_listed_with_a_reason(runs: dict[str, Run], command: str) -> None:
    run = runs[command]
    rows = rows_summary(run)
    locations = skipped_locations(run, COMMANDS[command])
    assert rows["跳过"] == len(locations), (rows, sorted(locations, key=str))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_rows_read_equal_an_independent_count(runs: dict[str, Run], command: str) -> None:
    spec = COMMANDS[command]
    run = runs[command]
    rows = rows_summary(run)
    counted: dict[str, int] = {}
    for folder in spec.main:
        base = run.path(folder)
        for name, path in displays(base).items():
            kind = spec.kind or kind_of(path.relative_to(run.term))
            counted[name] = count_data_rows(path, kind)
    assert rows["读取"] == sum(counted.values()), (rows, counted)


def test_independent_count_sees_the_demo_tables(inputs: Inputs) -> None:
    """The counter itself: it finds every student of each exam and skips what is not data."""
    final = inputs.term / "成绩" / "期末"
    students = sum(count_data_rows(p, "scores") for p in final.rglob("*.xls*"))
    # Every student of the demo school (its truth), plus the 平均分, 及格率 and 优秀率 rows
    # under each of the three grade-4 class sheets.
    assert students == len(make_school().truth) + 9
    assert count_data_rows(inputs.term / CORRUPT_FILE, "scores") == 0


@pytest.mark.parametrize(
    "command", [c.key for c in COMMANDS.values() if c.details], ids=lambda key: key
)
def test_counted_rows_are_the_output_details(runs: dict[str, Run], command: str) -> None:
    spec = COMMANDS[command]
    run = runs[command]
    rows = rows_summary(run)
    records = details_records(run.out / spec.output, spec.details)
    assert rows["计入"] == records, (rows, records)


BOOK_CASES = [key for key, c in COMMANDS.items() if c.books]


@pytest.mark.parametrize("command", BOOK_CASES)
def test_skipped_rows_are_listed_in_the_output_workbook(runs: dict[str, Run], command: str) -> None:
    """A user reads the workbook, not the JSON: its 数据问题 sheet locates every skipped row."""
    spec = COMMANDS[command]
    run = runs[command]
    wanted = skipped_locations(run, spec)
    for book in spec.books:
        listed = problem_sheet_locations(run.out / spec.output, book)
        missing = sorted(wanted - listed, key=str)
        assert missing == [], f"{book}: skipped rows not in 数据问题: {missing[:10]}"


def test_check_counts_every_file_as_term_does(runs: dict[str, Run]) -> None:
    """check and term read the same folder: they must count the same rows of the same files."""
    assert rows_summary(runs["check"]) == rows_summary(runs["term"])
    check = {f["file"]: f["records"] for f in runs["check"].payload["files"]}
    term = {f["file"]: f["records"] for f in runs["term"].payload["files"]}
    differ = {name: (check.get(name), n) for name, n in term.items() if check.get(name) != n}
    assert differ == {}, f"(check, term) records per file: {differ}"


def test_problem_locations_name_one_input_file(runs: dict[str, Run]) -> None:
    command = COMMANDS["scores --previous"]
    run = runs[command.key]
    main = set(displays(run.path(command.main[0])))
    previous = set(displays(run.path(command.previous[0])))
    named = {p["file"] for p in run.payload["problems"] if p["file"]}
    ambiguous = sorted(named & main & previous)
    assert ambiguous == [], f"these names are files of both exams: {ambiguous}"


# =========================================================================== reading outputs


def _cells(path: Path, sheet: str) -> Iterator[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        assert sheet in book.sheetnames, f"{path.name} has no sheet {sheet}: {book.sheetnames}"
        yield from book[sheet].iter_rows(values_only=True)
    finally:
        book.close()


def _table(path: Path, sheet: str, anchor: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header (the first row with a cell ``anchor``) and the rows under it."""
    rows = list(_cells(path, sheet))
    for r, row in enumerate(rows):
        header = [_text(v) for v in row]
        if anchor in header:
            return header, rows[r + 1 :]
    raise AssertionError(f"{path.name} › {sheet}: no header with {anchor}")


def details_records(path: Path, sheet: str) -> int:
    header, rows = _table(path, sheet, "姓名")
    name = header.index("姓名")
    return sum(1 for row in rows if name < len(row) and _text(row[name]))


def problem_sheet_locations(folder_or_file: Path, book: str) -> set[tuple[str, str, int | None]]:
    path = folder_or_file if folder_or_file.name == book else folder_or_file / book
    header, rows = _table(path, "数据问题", "单元格")
    file, sheet, cell = (header.index(k) for k in ("文件", "工作表", "单元格"))
    return {(_text(r[file]), _text(r[sheet]), row_of(_text(r[cell]))) for r in rows if any(r)}


# =========================================================================== independent count


def kind_of(path_in_term: Path) -> str:
    """A term file's kind by the sub-folder the demo put it in ("" for 收到的文件)."""
    return KIND_BY_FOLDER.get(path_in_term.parts[0], "")


def _text(value: object) -> str:
    return "" if value is None else re.sub(r"\s+", "", str(value))


def _sheets(path: Path) -> Iterator[tuple[str, list[list[Any]]]]:
    """(name, rows) of each visible sheet; nothing for a file that cannot be opened (its rows
    are unknowable; the commands list it as unreadable)."""
    if path.suffix.lower() == ".xls":  # openpyxl reads only .xlsx
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception:
            return
        for meta in book.sheets_metadata:
            if str(meta.visible).rsplit(".", 1)[-1] == "Visible":
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                yield meta.name, [list(r) for r in rows]
        return
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return
    try:
        for ws in workbook.worksheets:
            if ws.sheet_state == "visible":
                yield ws.title, [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        workbook.close()


# Labels in the first cells of the rows that describe a 小题分 table's items (just under or
# above its header): each item's full mark and knowledge point.
ITEM_BLOCK_WORDS = ("满分", "分值", "知识点")


def _is_header(cells: list[str], kind: str) -> bool:
    """A table's header: with 姓名 for scores and item scores; for record kinds, a row of five
    or more labels (text without digits) naming the 班级 or 学科."""
    if kind in ("scores", "items"):
        return "姓名" in cells
    filled = [c for c in cells if c]
    return (
        len(filled) >= 5
        and not any(re.search(r"\d", c) for c in filled)
        and bool({"学科", "班级", "班别"} & set(filled))
    )


def count_data_rows(path: Path, kind: str) -> int:
    """Non-blank rows below each table's header in every visible sheet of ``path``.

    Not data: the header itself (and a later table's header), blank rows, and the rows that
    continue a header (a two-row header's subject names, a 小题分 table's 满分/知识点 rows).
    Everything else under a header is a row the command must count or list as skipped:
    records, 合计/平均分 rows, footnotes.
    """
    if not kind:
        return 0  # 收到的文件: the corrupt workbook, whose rows no reader can know
    total = 0
    for _name, rows in _sheets(path):
        in_table = after_header = False
        for row in rows:
            cells = [_text(v) for v in row]
            filled = [c for c in cells if c]
            if not filled:
                after_header = False
                continue
            if _is_header(cells, kind):
                in_table = after_header = True
                continue
            if not in_table:
                continue  # titles and notes above the first table
            if after_header and (
                not any(re.search(r"\d", c) for c in filled)
                or any(word in c for c in filled[:3] for word in ITEM_BLOCK_WORDS)
            ):
                continue  # still the header: subject names, 满分, 知识点
            after_header = False
            total += 1
    return total
