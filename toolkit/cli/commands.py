"""Command handlers: parse nothing, decide nothing about data; call, render, print, exit."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.base.problems import ProblemReport
from toolkit.cli.console import Console, counts_line
from toolkit.cli.exits import EXIT_DATA_ERRORS, EXIT_FAILURE, EXIT_OK
from toolkit.cli.summary import finish, refuse

if TYPE_CHECKING:
    from toolkit.config.model import SchoolConfig


def _console(args: argparse.Namespace) -> Console:
    return Console(quiet=getattr(args, "quiet", False), as_json=getattr(args, "json", False))


def run_scores(args: argparse.Namespace) -> int:
    from toolkit.render.workbooks.score_workbook import write_score_workbook
    from toolkit.scores.report import analyze

    console = _console(args)
    problems = ProblemReport()
    config = _school_config(args, console, problems)
    if args.dense_rank:
        config.dense_rank = True
    with console.status("正在读取和分析成绩……"):
        report = analyze(
            args.inputs,
            config=config,
            previous=args.previous or (),
            skip_invalid=args.skip_invalid,
            exam=args.exam,
            problems=problems,
            pupils=False,  # the writers make them: a district's while its comparison is written
        )
    console.problems(problems)
    totals = report.row_totals()
    if not report.analysed:
        _not_analysed(console, problems, "学生成绩", args.skip_invalid, "跳过无效单元格")
        return finish(console, problems, EXIT_DATA_ERRORS, rows=totals, output=None)
    target = Path(args.output)
    if len(report.schools) > 1:  # a district: its comparison, and a workbook per school
        from toolkit.render.workbooks.score_workbook import (
            SCHOOLS_FOLDER,
            write_district_workbooks,
        )

        folder = target.parent / SCHOOLS_FOLDER
        also = f"各校工作簿 {len(report.schools)} 个 → {folder}"
        write = partial(write_district_workbooks, report, target)
        return _write_workbook(
            console, problems, write, target, totals, len(report.files), also=also
        )
    write = partial(write_score_workbook, report, target)
    return _write_workbook(console, problems, write, target, totals, len(report.files))


def _school_config(
    args: argparse.Namespace, console: Console, problems: ProblemReport
) -> SchoolConfig:
    """The school config of ``--config``, else the one kept among the inputs (said so), else
    the defaults."""
    from toolkit.config.read import load_config
    from toolkit.scores.report import config_among

    chosen = args.config or config_among(args.inputs)
    config = load_config(chosen, problems)
    if chosen and not args.config:
        console.say(f"使用输入中的学校配置：{chosen}")
    return config


def _write_workbook(
    console: Console,
    problems: ProblemReport,
    write: Callable[[], object],
    target: Path,
    totals: dict[str, int],
    files: int,
    *,
    also: str = "",
    **fields: Any,
) -> int:
    """Write one analysis workbook (and what goes beside it) and finish: the rows line, what was
    written (``also``: a line on the rest), the summary with ``fields``."""
    from toolkit.render.output import OutputError

    try:
        with console.status("正在写入工作簿……"):
            write()
    except OutputError as exc:
        return refuse(console, problems, str(exc.problem), rows=totals, output=None)
    console.say(_rows_line(totals, files))
    console.say(f"{counts_line(problems)}。已生成：{target}", style="green")
    if also:
        console.say(also, style="green")
    return finish(console, problems, EXIT_OK, rows=totals, output=str(target), **fields)


def _rows_line(totals: dict[str, int], files: int) -> str:
    skipped = f"，跳过 {totals['跳过']:,}（见数据问题）" if totals["跳过"] else ""
    outside = f"，不在统计范围 {totals['不在范围']:,}" if totals.get("不在范围") else ""
    return f"读取 {files} 个文件 {totals['读取']:,} 行：计入 {totals['计入']:,}{skipped}{outside}。"


def _not_analysed(
    console: Console,
    problems: ProblemReport,
    what: str,
    skipped_invalid: bool,
    skip_effect: str = "跳过有错误的行",
) -> None:
    """Why no report was written: the errors (and only advice that would help), or what the
    inputs held instead of a table of this kind."""
    if problems.unskippable:
        console.fail(
            f"发现 {len(problems.errors)} 处错误，未生成报告。其中 {len(problems.unskippable)} 处"
            "是整列与默认设置（如满分 100）矛盾，--skip-invalid 不会跳过：请按提示在学校配置中"
            "写明后重试（xueqing init --from 可生成配置草稿）。"
        )
    elif problems.has_errors and not skipped_invalid:
        console.fail(
            f"发现 {len(problems.errors)} 处错误，未生成报告。请按上表修改后重试，"
            f"或使用 --skip-invalid {skip_effect}（将列入“数据问题”表）。"
        )
    elif problems.has_errors:
        console.fail(
            f"发现 {len(problems.errors)} 处错误，跳过之后没有剩下可分析的{what}，未生成报告。"
            "请按上表修改后重试。"
        )
    else:
        console.fail(nothing_found(problems, what))


def nothing_found(problems: ProblemReport, what: str, tables: int | None = None) -> str:
    """ "No table of this kind", with what the inputs held instead (tables of other kinds, files
    that are not spreadsheets and why), so that "nothing" is never mistaken for "no errors"."""
    ignored = [p for p in problems.of("note") if p.code == "file.ignored"]
    found = [] if tables is None else [f"输入中有 {tables} 个表格文件"]
    if ignored:
        shown = "；".join(f"{p.file}（{p.params.get('reason', '')}）" for p in ignored[:5])
        more = f"等 {len(ignored)} 个" if len(ignored) > 5 else ""
        found.append(f"忽略了 {len(ignored)} 个其他文件：{shown}{more}")
    elif not tables:
        found = ["输入中没有任何文件"]
    return f"没有找到{what}。" + "，".join(found) + "。请检查输入的文件或文件夹。"


def run_records(args: argparse.Namespace) -> int:
    """``xueqing homework|observation|weakpoints`` (every kind of the registry)."""
    from toolkit.config.read import load_config
    from toolkit.kinds.registry import RECORD_KINDS
    from toolkit.kinds.report import analyze_records
    from toolkit.records.period import PeriodError
    from toolkit.render.workbooks.record_workbook import write_record_workbook

    console = _console(args)
    problems = ProblemReport()
    kind = RECORD_KINDS[args.kind]
    config = load_config(args.config, problems)
    try:
        with console.status(f"正在读取和汇总{kind.title}……"):
            report = analyze_records(
                args.kind,
                args.inputs,
                config=config,
                month=getattr(args, "month", None),
                as_of=getattr(args, "as_of", None),
                skip_invalid=args.skip_invalid,
                problems=problems,
            )
    except PeriodError as exc:
        return refuse(console, problems, str(exc))
    console.problems(problems)
    totals = report.row_totals()
    files = len(report.table.files)
    if not report.analysed:
        if report.nothing_in_period and not problems.has_errors:
            console.fail(report.nothing_in_period)
        else:
            _not_analysed(
                console, problems, f"{kind.title.removesuffix('记录')}记录", args.skip_invalid
            )
        why = report.nothing_in_period or ("有错误" if problems.has_errors else "没有记录")
        return finish(console, problems, EXIT_DATA_ERRORS, rows=totals, output=None, failure=why)
    target = Path(args.output)
    write = partial(write_record_workbook, report, target)
    return _write_workbook(console, problems, write, target, totals, files)


def run_items(args: argparse.Namespace) -> int:
    """``xueqing items``: the analysis workbook and the suggested ledger beside it."""
    from toolkit.reading.xlsx_parts import inflate_ahead

    # A platform's export inflates while the analysis below is imported (docs/scale.md).
    inflate_ahead(Path(p) for p in args.inputs)
    from toolkit.config.read import load_config
    from toolkit.items.report import analyze_items
    from toolkit.records.period import PeriodError, parse_day
    from toolkit.render.output import check_target
    from toolkit.render.workbooks.item_workbook import (
        ledger_path,
        write_item_workbook,
        write_suggested_ledger,
    )

    console = _console(args)
    problems = ProblemReport()
    config = load_config(args.config, problems)
    try:
        today = parse_day(args.date) if args.date else None
    except PeriodError as exc:
        return refuse(console, problems, str(exc))
    with console.status("正在读取和分析小题分……"):
        report = analyze_items(
            args.inputs,
            config=config,
            skip_invalid=args.skip_invalid,
            today=today,
            problems=problems,
        )
    console.problems(problems)
    totals = report.row_totals()
    if not report.analysed:
        _not_analysed(console, problems, "小题分", args.skip_invalid)
        return finish(console, problems, EXIT_DATA_ERRORS, rows=totals, output=None)
    target = Path(args.output)
    ledger = Path(args.ledger) if args.ledger else ledger_path(target)
    assert report.analysis is not None
    suggested = len(report.analysis.suggestions)

    def write() -> None:
        for path in (target, ledger):  # both checked before either is written
            check_target(path, [f.path for f in report.files])
        write_item_workbook(report, target)
        write_suggested_ledger(report, ledger)

    return _write_workbook(
        console,
        problems,
        write,
        target,
        totals,
        len(report.records.files),
        also=f"建议薄弱点 {suggested} 条，已写成可填写的薄弱点台账：{ledger}"
        "（补全原因类别、改进措施后交回，可用 xueqing weakpoints 汇总）",
        ledger=str(ledger),
        suggested=suggested,
    )


def run_feedback(args: argparse.Namespace) -> int:
    """``xueqing feedback``: per class, a page per student (Word) and a row per student (xlsx),
    and with ``--pdf`` the pages as PDF."""
    from toolkit.feedback.load import ExamChoiceError, load_feedback
    from toolkit.render.documents.feedback_doc import slip_definitions, write_slips
    from toolkit.render.documents.pdf import PdfError, convert_to_pdf
    from toolkit.render.output import OutputError

    console = _console(args)
    problems = ProblemReport()
    config = _school_config(args, console, problems)
    try:
        with console.status("正在识别和读取成绩……"):
            data = load_feedback(args.inputs, config=config, exam=args.exam, problems=problems)
    except ExamChoiceError as exc:
        console.problems(problems)
        return refuse(console, problems, str(exc), exams=exc.exams, outputs=[])
    totals = data.row_totals()
    report = data.report
    if problems.has_errors or data.empty:
        console.problems(problems)
        why = (
            f"发现 {len(problems.errors)} 处错误，未生成反馈单。请按上表修改后重试。"
            if problems.has_errors
            else nothing_found(problems, "学生成绩")
        )
        return finish(
            console, problems, EXIT_DATA_ERRORS, tell=why, failure=why, rows=totals, outputs=[]
        )
    slips = data.slips()
    if slips.unmatched:
        problems.add("warning", "feedback.items_unmatched", count=slips.unmatched)
    console.problems(problems)
    out_dir = Path(args.output)
    files = len(data.files)
    try:
        with console.status("正在写入反馈单……"):
            written = write_slips(
                slips,
                out_dir,
                inputs=[f.path for f in data.files],
                definitions=slip_definitions(report, totals, files),
            )
    except OutputError as exc:
        return refuse(console, problems, str(exc.problem), rows=totals, outputs=[])
    console.say(_rows_line(totals, files))
    items = "，含小题分知识点" if data.items is not None else ""
    console.say(
        f"{counts_line(problems)}。{report.exam}个人学情反馈单：{len(slips.classes)} 个班 "
        f"{slips.students} 名学生，每名学生一页{items}：",
        style="green",
    )
    for path in written:
        console.say(f"  {path}")
    summary = {"rows": totals, "exam": report.exam, "students": slips.students}
    pdfs: list[Path] = []
    if args.pdf:
        try:
            with console.status("正在用 LibreOffice 生成 PDF……"):
                pdfs = convert_to_pdf([p for p in written if p.suffix == ".docx"], out_dir)
        except (PdfError, OutputError) as exc:
            why = str(exc.problem) if isinstance(exc, OutputError) else str(exc)
            written_so_far = {"outputs": [str(p) for p in written], "pdf_failure": why}
            return finish(console, problems, EXIT_FAILURE, tell=why, **summary, **written_so_far)
        for path in pdfs:
            console.say(f"  {path}")
    outputs = [str(p) for p in [*written, *pdfs]]
    return finish(console, problems, EXIT_OK, **summary, outputs=outputs)


def _load_term(args: argparse.Namespace, console: Console, problems: ProblemReport) -> Any:
    """Read the term's folder and show what was found before anything else; None (after saying
    what the inputs held instead) when they hold no table at all."""
    from toolkit.pack.load import load_term

    with console.status("正在识别和读取文件……"):
        data = load_term(args.inputs, config_path=args.config, problems=problems)
    if not data.found.files:
        console.problems(problems)
        failure = nothing_found(
            problems, "学期的表格（成绩、小题分、作业检查、听评课、薄弱点台账）", 0
        )
        finish(
            console,
            problems,
            EXIT_DATA_ERRORS,
            tell=failure,
            failure=failure,
            files=[],
            rows=data.rows(),
        )
        return None
    _show_found(console, data.found)
    if data.config_path is not None and not args.config:
        console.say(f"使用文件夹中的学校配置：{data.config_path}")
    return data


def _show_found(console: Console, found: Any) -> None:
    """The table of what each input file was taken for (monthly, term and check)."""
    table = found.table()
    console.table(
        "识别结果",
        list(table.columns),
        [[str(v) if k != "记录" else f"{v:,}" for k, v in row.items()] for row in _rows(table)],
    )


def _rows(frame: Any) -> list[dict[str, Any]]:
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]


def _found_json(data: Any) -> list[dict[str, Any]]:
    return _files_json(data.found)


def _files_json(found: Any) -> list[dict[str, Any]]:
    return [
        {
            "file": f.file.display,
            "kind": f.kind,
            "recognised_by": f.how,
            "exam": f.exam,
            "records": f.records,
        }
        for f in found.files
    ]


def _write_pack(
    console: Console,
    problems: ProblemReport,
    data: Any,
    write: Any,
    doing: str,
    done: str,
    out_dir: Path,
) -> list[Path] | None:
    """Run ``write()`` and list what it wrote; None (after saying why) when it could not."""
    from toolkit.render.output import OutputError

    try:
        with console.status(doing):
            written: list[Path] = write()
    except OutputError as exc:
        refuse(console, problems, str(exc.problem), files=_found_json(data), rows=data.rows())
        return None
    used = sum(1 for f in data.found.files if f.records)
    console.say(_rows_line(data.rows(), used))
    console.say(done + _problems_line(problems), style="green")
    charts = [p for p in written if p.suffix == ".png"]
    for path in written:
        if path.suffix != ".png":
            console.say(f"  {path}")
    if charts:
        console.say(f"  {out_dir / charts[0].parent.name}/（{len(charts)} 张图表）")
    return written


def _problems_line(problems: ProblemReport) -> str:
    if problems.has_errors:
        return f"{counts_line(problems)}；有错误的行未计入，逐条列在各工作簿的“数据问题”表中。"
    return f"{counts_line(problems)}。"


def run_monthly(args: argparse.Namespace) -> int:
    """``xueqing monthly``: per grade a workbook, PNG charts and a deck for the month."""
    from toolkit.pack.monthly import build_monthly
    from toolkit.records.period import PeriodError
    from toolkit.render.packs.monthly_pack import write_monthly_pack

    console = _console(args)
    problems = ProblemReport()
    data = _load_term(args, console, problems)
    if data is None:
        return EXIT_DATA_ERRORS
    month = args.month or (data.months[-1] if data.months else None)
    found = {"files": _found_json(data), "rows": data.rows()}
    if month is None:
        console.problems(problems)
        why = "文件夹中没有作业检查、听评课或薄弱点台账记录，无法确定月份。请用 --month 指定。"
        return finish(console, problems, EXIT_DATA_ERRORS, tell=why, **found, outputs=[])
    try:
        with console.status("正在汇总……"):
            pack = build_monthly(data, month)
    except PeriodError as exc:
        return refuse(console, problems, str(exc))
    console.problems(problems)
    if not pack.grades:
        why = f"{pack.period.label}没有可用的记录或成绩，未生成研判材料。"
        return finish(console, problems, EXIT_DATA_ERRORS, tell=why, **found, outputs=[])
    out_dir = Path(args.output)
    exam = f"；成绩：{pack.exam.name}" if pack.exam else ""
    versus = f"（对比{pack.previous.name}）" if pack.previous else ""
    written = _write_pack(
        console,
        problems,
        data,
        lambda: write_monthly_pack(pack, out_dir),
        "正在生成工作簿、图表和幻灯片……",
        f"{pack.period.label}学情研判：{len(pack.grades)} 个年级{exam}{versus}。",
        out_dir,
    )
    if written is None:
        return EXIT_FAILURE
    outputs = [str(p) for p in written]
    return finish(console, problems, EXIT_OK, **found, month=month, outputs=outputs)


def run_term(args: argparse.Namespace) -> int:
    """``xueqing term``: the term's quality analysis workbook and a Word report per grade."""
    from toolkit.pack.term import TermError, build_term
    from toolkit.records.period import PeriodError, parse_day
    from toolkit.render.documents.pdf import PdfError
    from toolkit.render.output import OutputError
    from toolkit.render.packs.term_pack import to_pdf, write_term_pack

    console = _console(args)
    problems = ProblemReport()
    try:
        as_of = parse_day(args.as_of) if args.as_of else None
    except PeriodError as exc:
        return refuse(console, problems, str(exc))
    data = _load_term(args, console, problems)
    if data is None:
        return EXIT_DATA_ERRORS
    try:
        with console.status("正在分析……"):
            analysis = build_term(data, exam=args.exam, previous=args.previous, as_of=as_of)
    except TermError as exc:
        console.problems(problems)
        return finish(
            console,
            problems,
            EXIT_DATA_ERRORS,
            tell=str(exc),
            files=_found_json(data),
            rows=data.rows(),
            failure=str(exc),
        )
    console.problems(problems)
    out_dir = Path(args.output)
    versus = f"，对比{analysis.previous.name}" if analysis.previous else ""
    written = _write_pack(
        console,
        problems,
        data,
        lambda: write_term_pack(analysis, out_dir),
        "正在生成工作簿、图表和 Word 报告……",
        f"{analysis.exam.name}质量分析：{len(analysis.grades)} 个年级{versus}。",
        out_dir,
    )
    if written is None:
        return EXIT_FAILURE
    pdfs: list[Path] = []
    if args.pdf:
        try:
            with console.status("正在用 LibreOffice 生成 PDF……"):
                pdfs = to_pdf(written, out_dir)
        except (PdfError, OutputError) as exc:
            return finish(
                console,
                problems,
                EXIT_FAILURE,
                tell=str(exc.problem) if isinstance(exc, OutputError) else str(exc),
                files=_found_json(data),
                rows=data.rows(),
                outputs=[str(p) for p in written],
                pdf_failure=str(exc),
            )
        for path in pdfs:
            console.say(f"  {path}")
    return finish(
        console,
        problems,
        EXIT_OK,
        files=_found_json(data),
        rows=data.rows(),
        exam=analysis.exam.name,
        previous=analysis.previous.name if analysis.previous else None,
        outputs=[str(p) for p in [*written, *pdfs]],
    )


def run_check(args: argparse.Namespace) -> int:
    from toolkit.check import check_inputs
    from toolkit.config.read import load_config

    console = _console(args)
    problems = ProblemReport()
    config = load_config(args.config, problems)
    with console.status("正在识别和检查……"):
        result = check_inputs(args.inputs, config, problems)
    _show_found(console, result.found)
    console.problems(problems, show_notes=args.all)
    files = len(result.found.files)
    console.say(f"检查了 {files} 个文件：{counts_line(problems)}。")
    console.say(_rows_line(result.rows, files))
    summary = {"rows": result.rows, "files": _files_json(result.found)}
    if files == 0:  # nothing checked is not "no errors"
        failure = nothing_found(problems, "可检查的表格", tables=0)
        return finish(console, problems, EXIT_DATA_ERRORS, tell=failure, **summary, failure=failure)
    if args.annotate:
        annotated = _annotate(console, result.sources, problems, Path(args.output))
        if annotated is None:
            return finish(console, problems, EXIT_FAILURE, **summary)
        summary["annotated"] = annotated
    if problems.has_errors:
        console.fail("有错误需要修改（见上表）。")
    elif not args.all and problems.of("note"):
        console.say("没有错误。加 --all 可查看提示。", style="green")
    else:
        console.say("没有错误。", style="green")
    return finish(
        console, problems, EXIT_DATA_ERRORS if problems.has_errors else EXIT_OK, **summary
    )


def _annotate(
    console: Console, sources: list[Any], problems: ProblemReport, out_dir: Path
) -> list[dict[str, Any]] | None:
    """Write the annotated returns; None (after saying why) when they could not be written."""
    from toolkit.render.annotate import write_annotated_copies
    from toolkit.render.output import OutputError

    try:
        with console.status("正在生成标注版回执……"):
            written, skipped = write_annotated_copies(sources, problems, out_dir)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return None
    if written:
        console.say(
            f"已为 {len(written)} 个有问题的文件生成标注版回执（问题单元格已标色并加批注）："
        )
        for copy in written:
            caveat = "（另存为 .xlsx，未保留原格式）" if copy.note else ""
            console.say(
                f"  {copy.path}：{copy.problems} 个问题，标注 {copy.marked_cells} 格{caveat}"
            )
    elif not skipped:
        console.say("没有需要标注的文件。")
    for item in skipped:
        console.say(f"  未能标注 {item.source.display}：{item.reason}（见上表）", style="yellow")
    return [
        {
            "file": c.source.display,
            "copy": str(c.path),
            "problems": c.problems,
            "marked_cells": c.marked_cells,
            "note": c.note,
        }
        for c in written
    ] + [{"file": s.source.display, "copy": None, "reason": s.reason} for s in skipped]


def run_init(args: argparse.Namespace) -> int:
    from toolkit.render.output import OutputError
    from toolkit.render.workbooks.config_template import write_config_template

    console = Console()
    target = Path(args.output)
    if target.exists():
        console.fail(f"{target} 已存在，未覆盖。请换一个文件名或先移走它。")
        return EXIT_FAILURE
    proposal = None
    if args.sources:
        from toolkit.pack.propose import propose_config

        problems = ProblemReport()
        with console.status("正在读取文件……"):
            proposal = propose_config(args.sources, problems)
        console.problems(problems)
        if not proposal.config.rules and not proposal.config.classes:
            console.fail("输入中没有读出班级或学科，未生成配置（见上表）。")
            return EXIT_DATA_ERRORS
    try:
        if proposal is None:
            write_config_template(target)
        else:
            notes = {**proposal.subject_notes, **proposal.parameter_notes}
            write_config_template(target, proposal.config, notes)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    if proposal is None:
        console.say(f"已生成空白学校配置：{target}（填写说明见第一个工作表）", style="green")
        return EXIT_OK
    config = proposal.config
    console.say(
        f"按 {proposal.files} 个文件拟定：{len(config.classes)} 个班，"
        f"{len(config.rules)} 个年级学科，{len(config.teachers)} 位任课教师。"
    )
    for line in proposal.pending:
        console.say(f"待确认：{line}", style="yellow")
    console.say(
        f"已生成学校配置草稿：{target}。请核对（尤其是“学科”表的满分和标“待确认”的项）"
        "并补上学校名称、学年、学期，保存后用 -c 指定它。",
        style="green",
    )
    return EXIT_OK


def run_templates(args: argparse.Namespace) -> int:
    from toolkit.config.read import load_config
    from toolkit.render.output import OutputError
    from toolkit.render.templates.write import template_files, write_templates

    console = Console()
    problems = ProblemReport()
    config = load_config(args.config, problems)
    console.problems(problems)
    if problems.has_errors:
        console.fail("学校配置有错误（见上表），请修改后重试。")
        return EXIT_DATA_ERRORS
    out_dir = Path(args.output)
    existing = [name for name in template_files().values() if (out_dir / name).exists()]
    if existing and not args.force:
        console.fail(
            f"{out_dir} 中已有 {'、'.join(existing)}，未覆盖。换一个文件夹，或加 --force。"
        )
        return EXIT_FAILURE
    try:
        written = write_templates(out_dir, config)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    what = f"按 {args.config} 生成" if args.config else "通用模板，未提供学校配置"
    console.say(f"已生成 {len(written)} 个填报模板（{what}）：{out_dir}", style="green")
    for path in written:
        console.say(f"  {path.name}")
    if config.roster:
        console.say(f"  成绩模板已按名单预填 {len(config.roster)} 名学生。")
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    from toolkit.demo.run import run_demo as demo

    return demo(Path(args.output), _console(args))


__all__ = [
    "EXIT_DATA_ERRORS",
    "EXIT_FAILURE",
    "EXIT_OK",
    "run_check",
    "run_demo",
    "run_feedback",
    "run_items",
    "run_monthly",
    "run_records",
    "run_scores",
    "run_term",
]
