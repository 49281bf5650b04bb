"""``xueqing demo``: a realistic sample school, written as teachers send it, then analysed."""

from __future__ import annotations

from pathlib import Path

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
    for folder in (final_dir, midterm_dir, dirty_dir, templates_dir):
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

    dirty_problems = ProblemReport()
    analyze([dirty_dir], config=config, problems=dirty_problems)
    console.say(
        f"\n有问题的成绩示例（{dirty_dir}）中埋了 {len(dirty)} 处错误，"
        "xueqing check 会逐一指出位置："
    )
    if not console.quiet:
        console.problems(ProblemReport(dirty_problems.errors))
    console.say(
        "\n下一步：用自己的文件试试  xueqing check 成绩文件夹/   "
        "xueqing scores 成绩文件夹/ -o 成绩分析.xlsx"
    )
    return EXIT_OK
