"""``xueqing demo``: a realistic sample school, written as teachers send it, then analysed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.base.problems import ProblemReport
from toolkit.cli.console import Console, counts_line
from toolkit.cli.exits import EXIT_FAILURE, EXIT_OK


def run_demo(out_dir: Path, console: Console) -> int:
    """Write the demo into ``out_dir``, which must not exist or be empty.

    Everything is written into a scratch folder beside it (not hidden: the readers skip hidden
    folders) and moved into place at the end, so a run that fails or is stopped leaves no
    half-written demo to block the next one.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        console.fail(f"{out_dir} 已存在。请指定一个新的文件夹：xueqing demo -o 新文件夹")
        return EXIT_FAILURE
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.写入中-", dir=out_dir.parent))
        work.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would carry over to the user's folder
    except OSError as exc:
        console.fail(f"无法创建 {out_dir}：{exc.strerror or exc}")
        return EXIT_FAILURE
    try:
        code = _write_demo(work, console, lambda path: out_dir / path.relative_to(work))
        if code == EXIT_OK:
            if out_dir.exists():
                out_dir.rmdir()  # empty, checked above
            os.replace(work, out_dir)
        return code
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


Shown = Callable[[Path], Path]  # a path in the scratch folder → where the user will find it


def _write_demo(out_dir: Path, console: Console, shown: Shown) -> int:
    from toolkit.check import check_inputs
    from toolkit.config.read import load_config
    from toolkit.demo.lekao import add_lekao_grades, write_lekao_files
    from toolkit.demo.school import (
        make_config,
        make_dirty_copy,
        make_school,
        write_score_files,
    )
    from toolkit.demo.term import PREVIOUS_TERM_EXAM, TERM_FOLDER, write_term_folder
    from toolkit.render.annotate import write_annotated_copies
    from toolkit.render.output import OutputError
    from toolkit.render.templates.write import write_templates
    from toolkit.render.workbooks.config_template import write_config_template
    from toolkit.render.workbooks.score_workbook import write_score_workbook
    from toolkit.scores.report import analyze

    school = make_school()
    term_dir = out_dir / TERM_FOLDER
    dirty_dir = out_dir / "有问题的成绩示例"
    templates_dir = out_dir / "填报模板"
    returns_dir = out_dir / "待修改"
    config_path = out_dir / "学校配置.xlsx"
    draft = make_config(school)
    lekao = add_lekao_grades(draft)  # grades 1–2: 乐考, no paper test
    write_config_template(config_path, draft)
    problems = ProblemReport()
    config = load_config(config_path, problems)  # read back, as a user's own config would be
    write_templates(templates_dir, config)
    write_term_folder(school, config, out_dir, compliant=True)
    write_lekao_files(lekao, term_dir / "乐考")
    scores_dir = term_dir / "成绩"
    # The dirty example is the 期末 as score sheets in the four layouts (the term's grades 3–4
    # sent levels): each layout carries its planted errors.
    with tempfile.TemporaryDirectory() as scratch:
        write_score_files(school, Path(scratch))
        dirty = make_dirty_copy(Path(scratch), dirty_dir)
    console.say(
        f"示例学校：{school.school}，三至六年级 {len(school.truth)} 名学生，"
        f"一、二年级 {len(lekao)} 名学生（乐考）",
        style="bold",
    )
    console.say(f"  学期文件夹：{shown(term_dir)}")
    console.say(
        "    按日常考试管理规定：本学期一次期末（三、四年级直接报等级），上学期期末用于进退步；"
    )
    console.say("    成绩（四种常见样式和等级表）、小题分（期末）、一二年级乐考记录、")
    console.say(
        "    作业检查（埋了 4 处错误）、听评课、薄弱点台账（2026年3–5月），和一个损坏的文件"
    )
    console.say(f"  学校配置：{shown(config_path)}（班级、任课、名单已填好）")
    console.say(f"  填报模板：{shown(templates_dir)}（按学校配置生成，成绩模板已按名单预填）")

    report = analyze(
        [scores_dir / "期末"],
        config=config,
        previous=[scores_dir / PREVIOUS_TERM_EXAM],
        problems=problems,
        exam=school.exam,
    )
    if not report.analysed:  # the sample is known good: this is the installation's fault
        console.problems(problems)
        console.fail("示例成绩没有读出学生。安装可能不完整，请重新安装：pip install .")
        return EXIT_FAILURE
    target = out_dir / "成绩分析.xlsx"
    try:
        write_score_workbook(report, target)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    totals = report.row_totals()
    console.say(
        f"\n成绩分析：读取 {totals['读取']} 行，计入 {totals['计入']} 名学生；"
        f"{counts_line(problems)} → {shown(target)}",
        style="green",
    )
    analysed = _routine_records(out_dir, term_dir, config, console, shown)
    if analysed is None:
        return EXIT_FAILURE
    if _feedback(out_dir, report, *analysed, console, shown) != EXIT_OK:
        return EXIT_FAILURE
    if _packs(out_dir, term_dir, config_path, console, shown) != EXIT_OK:
        return EXIT_FAILURE

    dirty_problems = ProblemReport()
    checked = check_inputs([dirty_dir], config, dirty_problems)
    console.say(
        f"\n有问题的成绩示例（{shown(dirty_dir)}）中埋了 {len(dirty)} 处错误，"
        "xueqing check 会逐一指出位置："
    )
    if not console.quiet:
        console.problems(ProblemReport(dirty_problems.errors))
    try:
        copies, _ = write_annotated_copies(checked.sources, dirty_problems, returns_dir)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    console.say(
        f"标注版回执（xueqing check --annotate）：{len(copies)} 个文件，问题格标红并加批注，"
        f"首页是问题清单 → {shown(returns_dir)}"
    )
    console.say(
        "\n下一步：用自己的文件试试  xueqing check 文件夹/   "
        "xueqing monthly 学期文件夹/ --month 2026-05   xueqing term 学期文件夹/ -o 期末质量分析/"
    )
    return EXIT_OK


# The folders the packs are written to.
PACK_FOLDERS = ("2026年5月学情研判", "期末质量分析")


def _packs(out_dir: Path, term_dir: Path, config_path: Path, console: Console, shown: Shown) -> int:
    """The May meeting pack and the term's quality analysis, from the whole term folder."""
    from toolkit.pack.load import load_term
    from toolkit.pack.monthly import build_monthly
    from toolkit.pack.term import build_term
    from toolkit.render.output import OutputError
    from toolkit.render.packs.monthly_pack import write_monthly_pack
    from toolkit.render.packs.term_pack import write_term_pack

    problems = ProblemReport()
    data = load_term([term_dir], config_path=config_path, problems=problems)
    found = data.found.table()
    console.say(
        f"\n学期文件夹：识别 {len(found)} 个文件（"
        + "、".join(f"{k} {v}" for k, v in found["类型"].value_counts().items())
        + f"）；"
        f"{counts_line(problems)}（见各工作簿的“数据问题”）",
        style="bold",
    )
    monthly_dir, term_out = (out_dir / name for name in PACK_FOLDERS)
    try:
        pack = build_monthly(data, DEMO_MONTH)
        written = write_monthly_pack(pack, monthly_dir)
        charts = sum(1 for p in written if p.suffix == ".png")
        console.say(
            f"  月度学情研判：{len(pack.grades)} 个年级的工作簿和幻灯片、{charts} 张图表 "
            f"→ {shown(monthly_dir)}",
            style="green",
        )
        analysis = build_term(data, as_of=dt.date.fromisoformat(DEMO_AS_OF))
        written = write_term_pack(analysis, term_out)
        console.say(
            f"  期末质量分析：工作簿和 {len(analysis.grades)} 份 Word 报告（{analysis.exam.name}"
            f"对比{analysis.previous.name if analysis.previous else '无'}）→ {shown(term_out)}",
            style="green",
        )
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    return EXIT_OK


# The demo term's last month of routine checks, and the day its item analysis is dated (after
# the 期末 exam): fixed so that the demo's outputs are the same on every run.
DEMO_MONTH = "2026-05"
DEMO_AS_OF = "2026-05-31"
DEMO_ITEMS_DATE = dt.date(2026, 7, 1)
DEMO_DATE = DEMO_ITEMS_DATE  # the date printed on the feedback slips


# The classes the demo writes 个人学情反馈单 for: grade 4 sent levels and its 数学 has 小题分;
# grade 1 had 乐考.
FEEDBACK_CLASS = (4, 1)
LEKAO_FEEDBACK_CLASS = (1, 1)
FEEDBACK_FOLDER = "个人学情反馈单"


def _feedback(
    out_dir: Path, report: Any, items: Any, lekao: Any, console: Console, shown: Shown
) -> int:
    """Two classes' private feedback slips (xueqing feedback): a page per student with the
    levels and, from the 期末 小题分 (``items``, as analysed above), the knowledge points to keep
    and to work on; and a 乐考 class's (``lekao``: the summary above), with each station's mark
    and each subject's 总评."""
    from toolkit.feedback.lekao_slips import lekao_slips
    from toolkit.render.documents.feedback_doc import slip_definitions, write_feedback, write_slips
    from toolkit.render.output import OutputError

    config = report.config
    folder = out_dir / FEEDBACK_FOLDER
    try:
        written = write_feedback(report, items, folder, classes=[FEEDBACK_CLASS], date=DEMO_DATE)
        written += write_slips(
            lekao_slips(lekao, config, [LEKAO_FEEDBACK_CLASS]),
            folder,
            definitions=slip_definitions(report),
            date=DEMO_DATE,
        )
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    docs = "、".join(p.name for p in written if p.suffix == ".docx")
    console.say(
        f"  个人学情反馈单（四(1)班、一(1)班乐考；每名学生一页，只有本人的等级和知识点，不排名）"
        f"→ {shown(folder)}：{docs}",
        style="green",
    )
    return EXIT_OK


def _routine_records(
    out_dir: Path, term_dir: Path, config: Any, console: Console, shown: Shown
) -> tuple[Any, Any] | None:
    """作业检查, 听评课 and 薄弱点台账 summarised as the office would for the May meeting, the
    term's 乐考 and the 期末 小题分 analysed, each from its sub-folder of the term. Returns the
    item report and the 乐考 summary (the feedback slips are made from them), None on failure."""
    from toolkit.items.report import analyze_items
    from toolkit.kinds.report import analyze_records
    from toolkit.render.output import OutputError
    from toolkit.render.workbooks.item_workbook import (
        ledger_path,
        write_item_workbook,
        write_suggested_ledger,
    )
    from toolkit.render.workbooks.record_workbook import write_record_workbook

    folders = {
        "homework": term_dir / "作业检查",
        "observation": term_dir / "听评课",
        "weakpoints": term_dir / "薄弱点台账",
        "lekao": term_dir / "乐考",
    }
    items_dir = term_dir / "小题分" / "期末"
    console.say("常规检查（2026年5月）：", style="bold")
    summaries = {}
    try:
        for key, folder in folders.items():
            problems = ProblemReport()
            report = analyze_records(
                key,
                [folder],
                config=config,
                # 薄弱点 count to a day; 乐考 is held once, at the end of the term.
                month=DEMO_MONTH if key in ("homework", "observation") else None,
                as_of=DEMO_AS_OF,
                skip_invalid=True,  # the 作业检查 folder has planted errors
                problems=problems,
            )
            target = write_record_workbook(report, out_dir / f"{report.kind.report_name}.xlsx")
            summaries[key] = report.summary
            totals = report.row_totals()
            console.say(
                f"  {report.kind.title}：{folder.name}/ 读取 {totals['读取']} 行，"
                f"{counts_line(problems)} → {shown(target)}",
                style="green",
            )
        problems = ProblemReport()
        items = analyze_items([items_dir], config=config, today=DEMO_ITEMS_DATE, problems=problems)
        target = write_item_workbook(items, out_dir / "试题分析.xlsx")
        ledger = write_suggested_ledger(items, ledger_path(target))
    except OutputError as exc:
        console.fail(str(exc.problem))
        return None
    assert items.analysis is not None
    console.say(
        f"  小题分（期末）：→ {shown(target)}；"
        f"建议薄弱点 {len(items.analysis.suggestions)} 条 → {shown(ledger)}",
        style="green",
    )
    return items, summaries["lekao"]
