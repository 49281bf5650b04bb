"""``xueqing demo``: a realistic sample school, written as teachers send it, then analysed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from toolkit.cli import EXIT_FAILURE, EXIT_OK
from toolkit.console import Console, counts_line
from toolkit.problems import ProblemReport


def run_demo(out_dir: Path, console: Console) -> int:
    from toolkit.config import load_config
    from toolkit.render.config_template import write_config_template
    from toolkit.render.output import OutputError
    from toolkit.render.score_workbook import write_score_workbook
    from toolkit.sample_school import (
        make_config,
        make_dirty_copy,
        make_previous,
        make_school,
        write_score_files,
    )
    from toolkit.scores.report import analyze
    from toolkit.templates import write_templates

    out_dir.mkdir(parents=True, exist_ok=True)
    school = make_school()
    final_dir, midterm_dir = out_dir / "期末成绩", out_dir / "期中成绩"
    dirty_dir = out_dir / "有问题的成绩示例"
    templates_dir = out_dir / "填报模板"
    routine = [out_dir / name for name in ("作业检查", "听评课", "薄弱点台账", "小题分")]
    for folder in (final_dir, midterm_dir, dirty_dir, templates_dir, *routine):
        if folder.exists():
            console.fail(f"{folder} 已存在。请指定一个新的文件夹：xueqing demo -o 新文件夹")
            return EXIT_FAILURE
    write_score_files(school, final_dir)
    write_score_files(make_previous(school), midterm_dir)
    dirty = make_dirty_copy(final_dir, dirty_dir)
    config_path = out_dir / "学校配置.xlsx"
    if not config_path.exists():
        write_config_template(config_path, make_config(school))
    problems = ProblemReport()
    config = load_config(config_path, problems)  # read back, as a user's own config would be
    write_templates(templates_dir, config)
    console.say(f"示例学校：{school.school}，{len(school.truth)} 名学生", style="bold")
    console.say(f"  期末成绩：{final_dir}")
    console.say("    （四种常见样式：班级列、每班一个文件、每班一个工作表、两行表头）")
    console.say(f"  期中成绩：{midterm_dir}")
    console.say(f"  学校配置：{config_path}（班级、任课、名单已填好）")
    console.say(f"  填报模板：{templates_dir}（按学校配置生成，成绩模板已按名单预填）")

    report = analyze(
        [final_dir], config=config, previous=[midterm_dir], problems=problems, exam=school.exam
    )
    target = out_dir / "成绩分析.xlsx"
    try:
        write_score_workbook(report, target)
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    totals = report.row_totals()
    console.say(
        f"成绩分析：读取 {totals['读取']} 行，计入 {totals['计入']} 名学生；"
        f"{counts_line(problems)} → {target}",
        style="green",
    )

    if _routine_records(out_dir, school, config, console) != EXIT_OK:
        return EXIT_FAILURE

    dirty_problems = ProblemReport()
    analyze([dirty_dir], config=config, problems=dirty_problems)
    console.say(
        f"\n有问题的成绩示例（{dirty_dir}）中埋了 {len(dirty)} 处错误，"
        "xueqing check 会逐一指出位置："
    )
    if not console.quiet:
        console.problems(ProblemReport(dirty_problems.errors))
    console.say(
        "\n下一步：用自己的文件试试  xueqing check 文件夹/   "
        "xueqing scores 成绩文件夹/ -o 成绩分析.xlsx   xueqing homework 作业检查/ --month 2026-05"
    )
    return EXIT_OK


# The demo term's last month of routine checks, and the day its item analysis is dated (after
# the 期末 exam): fixed so that the demo's outputs are the same on every run.
DEMO_MONTH = "2026-05"
DEMO_AS_OF = "2026-05-31"
DEMO_ITEMS_DATE = dt.date(2026, 7, 1)


def _routine_records(out_dir: Path, school: Any, config: Any, console: Console) -> int:
    """作业检查, 听评课 and 薄弱点台账 for March–May and the grade-4 数学 小题分, written as
    teachers send them, then summarised as the office would for the May meeting."""
    from toolkit import sample_records as sample
    from toolkit.items.report import analyze_items
    from toolkit.records.report import analyze_records
    from toolkit.render.homework_workbook import write_homework_workbook
    from toolkit.render.item_workbook import (
        ledger_path,
        write_item_workbook,
        write_suggested_ledger,
    )
    from toolkit.render.observation_workbook import write_observation_workbook
    from toolkit.render.output import OutputError
    from toolkit.render.weakpoint_workbook import write_weakpoint_workbook

    folders = {
        "homework": out_dir / "作业检查",
        "observation": out_dir / "听评课",
        "weakpoints": out_dir / "薄弱点台账",
    }
    items_dir = out_dir / "小题分"
    sample.write_homework_files(sample.make_homework(config), folders["homework"])
    sample.write_observation_files(sample.make_observations(config), folders["observation"])
    sample.write_weakpoint_files(sample.make_weakpoints(config), folders["weakpoints"])
    sample.write_item_files(sample.make_items(school), items_dir)
    writers = {
        "homework": (write_homework_workbook, "作业检查汇总.xlsx"),
        "observation": (write_observation_workbook, "听评课汇总.xlsx"),
        "weakpoints": (write_weakpoint_workbook, "薄弱点台账汇总.xlsx"),
    }
    console.say("\n常规检查（2026年3–5月，各种常见样式）：", style="bold")
    try:
        for key, folder in folders.items():
            problems = ProblemReport()
            report = analyze_records(
                key,
                [folder],
                config=config,
                month=DEMO_MONTH if key != "weakpoints" else None,
                as_of=DEMO_AS_OF,
                problems=problems,
            )
            write, name = writers[key]
            target = write(report, out_dir / name)
            totals = report.row_totals()
            console.say(
                f"  {report.kind.title}：{folder.name}/ 读取 {totals['读取']} 行，"
                f"{counts_line(problems)} → {target}",
                style="green",
            )
        problems = ProblemReport()
        items = analyze_items([items_dir], config=config, today=DEMO_ITEMS_DATE, problems=problems)
        target = write_item_workbook(items, out_dir / "试题分析.xlsx")
        ledger = write_suggested_ledger(items, ledger_path(target))
    except OutputError as exc:
        console.fail(str(exc.problem))
        return EXIT_FAILURE
    assert items.analysis is not None
    console.say(
        f"  小题分：{items_dir.name}/ → {target}；建议薄弱点 {len(items.analysis.suggestions)} 条 "
        f"→ {ledger}",
        style="green",
    )
    return EXIT_OK
