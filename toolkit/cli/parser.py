"""The ``xueqing`` command: a thin shell over the library's functions.

Only argparse is imported at start-up so that ``xueqing --help`` is instant; each command
imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.cli.argparse_zh import ChineseParser
from toolkit.cli.exits import EXIT_FAILURE, EXIT_OK

# -- option values, checked while the command line is parsed: before any file is read ----------


def _period(parse_name: str) -> Callable[[str], str]:
    """A ``--month``/``--as-of``/``--date`` value that must parse; the text is kept as typed."""

    def check(text: str) -> str:
        from toolkit.records import period

        try:
            getattr(period, parse_name)(text)
        except period.PeriodError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text

    return check


def _whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"“{text}”不是有效的{what}（{low}–{high} 的整数）")
        return value

    return check


def _workbook(text: str) -> str:
    """An output workbook's name: ``.xlsx``, not a folder, not someone else's file."""
    path = Path(text)
    if path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(
            f"“{text}”：输出的是 Excel 工作簿，文件名应以 .xlsx 结尾（例如 成绩分析.xlsx）"
        )
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"“{text}”是一个文件夹；请给出工作簿的文件名")
    return text


def _folder(text: str) -> str:
    """An output folder: may exist as a folder, never as a file."""
    if Path(text).is_file():
        raise argparse.ArgumentTypeError(
            f"“{text}”是一个文件；这里应给出输出文件夹（其中会写入多个文件）"
        )
    return text


def _output_refusal(args: argparse.Namespace) -> str | None:
    """Why an output file given on the command line may not be written, checked before any
    work: it is one of the inputs, or an existing file that is not our own output."""
    from toolkit.base.ownership import is_our_output

    inputs = [Path(p).resolve() for p in getattr(args, "inputs", None) or ()]
    for name in ("output", "ledger"):
        value = getattr(args, name, None)
        if not value or not Path(value).is_file() or not inputs:
            continue
        path = Path(value).resolve()
        if is_our_output(path):
            continue  # our earlier output, even inside an input folder (the readers skip it)
        if any(path == given or given in path.parents for given in inputs):
            return f"输出文件不能与输入文件相同：{value}"
        return (
            f"{value} 已存在，且不是 xueqing 生成的文件（或已被人修改保存过），不会覆盖。"
            "请换一个输出名称，或先移走它"
        )
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog="xueqing",
        description="学情：把学校的 Excel 填报表变成汇总工作簿和图表。",
        epilog="例：xueqing scores 成绩/ -o 成绩分析.xlsx    先试试：xueqing demo",
    )
    parser.add_argument(
        "--version", action="version", version=f"xueqing {__version__}", help="显示版本并退出"
    )
    commands = parser.add_subparsers(dest="command", metavar="命令")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("-c", "--config", metavar="学校配置.xlsx", help="学校配置（可选）")
        sub.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
        sub.add_argument("--json", action="store_true", help="以 JSON 输出问题和运行摘要")

    scores = commands.add_parser(
        "scores", help="质量监测成绩分析", description="读取成绩表，生成成绩分析工作簿。"
    )
    scores.add_argument("inputs", nargs="+", metavar="INPUT", help="成绩文件或文件夹")
    scores.add_argument(
        "-o", "--output", default="成绩分析.xlsx", type=_workbook, help="输出工作簿"
    )
    scores.add_argument("--previous", nargs="+", metavar="FILE", help="上次考试的成绩（进退步）")
    scores.add_argument(
        "--skip-invalid", action="store_true", help="跳过无效单元格继续分析，并列入“数据问题”"
    )
    scores.add_argument(
        "--dense-rank", action="store_true", help="中国式排名（1,2,2,3），默认 RANK.EQ"
    )
    scores.add_argument("--exam", default="", help="考试名称（默认从文件名识别，如 期末）")
    common(scores)
    scores.set_defaults(handler="toolkit.cli.commands:run_scores")

    def skip_invalid(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--skip-invalid",
            action="store_true",
            help="跳过有错误的行继续分析，并列入“数据问题”",
        )

    from toolkit.kinds.registry import KINDS

    for spec in KINDS.values():
        # The kind's own one line (乐考 has no teachers' summary): what its workbook holds.
        sub = commands.add_parser(
            spec.key,
            help=f"{spec.title}汇总",
            description=f"读取{spec.title}，生成{spec.report_name}工作簿：{spec.description}",
        )
        sub.add_argument("inputs", nargs="+", metavar="INPUT", help=f"{spec.title}文件或文件夹")
        sub.add_argument(
            "-o", "--output", default=f"{spec.report_name}.xlsx", type=_workbook, help="输出工作簿"
        )
        sub.add_argument(
            "--month",
            metavar="YYYY-MM",
            type=_period("parse_month"),
            help="只统计这个月的记录，如 2026-03",
        )
        if spec.as_of:
            sub.add_argument(
                "--as-of",
                metavar="YYYY-MM-DD",
                type=_period("parse_day"),
                help="判断逾期、超期的日期（默认：--month 的月末，否则今天）",
            )
        skip_invalid(sub)
        common(sub)
        sub.set_defaults(handler="toolkit.cli.commands:run_records", kind=spec.key)

    items = commands.add_parser(
        "items",
        help="小题分试题分析",
        description="读取小题分，生成试题分析工作簿（难度、区分度、知识点得分率），"
        "并把建议的薄弱点写成可填写的薄弱点台账。",
    )
    items.add_argument("inputs", nargs="+", metavar="INPUT", help="小题分文件或文件夹")
    items.add_argument("-o", "--output", default="试题分析.xlsx", type=_workbook, help="输出工作簿")
    items.add_argument(
        "--ledger",
        metavar="FILE",
        type=_workbook,
        help="建议薄弱点台账的文件名（默认：输出工作簿名_建议薄弱点台账.xlsx）",
    )
    items.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_period("parse_day"),
        help="建议台账的登记日期（默认今天）",
    )
    skip_invalid(items)
    common(items)
    items.set_defaults(handler="toolkit.cli.commands:run_items")

    feedback = commands.add_parser(
        "feedback",
        help="个人学情反馈单（每名学生一页，单独告知学生和家长）",
        description="读取一次考试的成绩（和同一次考试的小题分），为每个班生成个人学情反馈单："
        "Word 每名学生一页（各科等级、知识点掌握情况和建议、评语、家长签名），"
        "以及每人一行的工作簿（供家校平台逐一发送）。不写名次，不写其他学生的结果。",
    )
    feedback.add_argument("inputs", nargs="+", metavar="INPUT", help="成绩、小题分文件或文件夹")
    feedback.add_argument(
        "-o", "--output", default="个人学情反馈单", type=_folder, help="输出文件夹"
    )
    feedback.add_argument("--exam", default="", help="哪次考试（输入中有几次考试时必须指定）")
    feedback.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 另存为 PDF")
    common(feedback)
    feedback.set_defaults(handler="toolkit.cli.commands:run_feedback")

    monthly = commands.add_parser(
        "monthly",
        help="月度学情研判材料（每个年级的工作簿、图表和幻灯片）",
        description="读取一个学期的文件夹（任意子文件夹结构），自动识别每个文件的类型和考试，"
        "生成每个年级的学情研判工作簿、PNG 图表和 PPT，以及全校概览。",
    )
    monthly.add_argument("inputs", nargs="+", metavar="FOLDER", help="学期文件夹（或文件）")
    monthly.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=_period("parse_month"),
        help="研判的月份，如 2026-04（默认：记录中最近的月份）",
    )
    monthly.add_argument("-o", "--output", default="学情研判", type=_folder, help="输出文件夹")
    common(monthly)
    monthly.set_defaults(handler="toolkit.cli.commands:run_monthly")

    term = commands.add_parser(
        "term",
        help="期末质量分析（工作簿和每个年级的 Word 报告）",
        description="读取一个学期的文件夹，生成期末质量分析工作簿、每个年级的质量分析报告"
        "（Word，含图表和根据数据起草的文字），可另存 PDF。",
    )
    term.add_argument("inputs", nargs="+", metavar="FOLDER", help="学期文件夹（或文件）")
    term.add_argument("-o", "--output", default="期末质量分析", type=_folder, help="输出文件夹")
    term.add_argument("--exam", help="分析哪次考试（默认：最后一次，如 期末）")
    term.add_argument("--previous", help="与哪次考试对比（默认：它的前一次，如 期中）")
    term.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=_period("parse_day"),
        help="常规检查统计到哪一天（默认：记录中最近月份的月末）",
    )
    term.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 把报告另存为 PDF")
    common(term)
    term.set_defaults(handler="toolkit.cli.commands:run_term")

    check = commands.add_parser(
        "check",
        help="只检查数据，列出所有问题",
        description="识别每个文件的类型（成绩、小题分、作业检查、听评课、薄弱点台账），"
        "检查并列出每个问题的位置。",
    )
    check.add_argument("inputs", nargs="+", metavar="INPUT", help="文件或文件夹")
    check.add_argument("--all", action="store_true", help="也列出提示（如跳过的汇总行）")
    check.add_argument(
        "--annotate",
        action="store_true",
        help="为每个有问题的文件生成标注版回执：问题单元格标红并加批注，首页是问题清单",
    )
    check.add_argument(
        "-o",
        "--output",
        default="待修改",
        type=_folder,
        help="标注版回执的输出文件夹（配合 --annotate）",
    )
    common(check)
    check.set_defaults(handler="toolkit.cli.commands:run_check")

    init = commands.add_parser(
        "init",
        help="生成学校配置（空白，或按已有文件拟好）",
        description="生成带填写说明的学校配置。加 --from 时，按已有的成绩表、听评课记录等拟好"
        "班级、学科满分、任课教师，标“待确认”的请核实后保存。",
    )
    init.add_argument("-o", "--output", default="学校配置.xlsx", type=_workbook, help="输出文件")
    init.add_argument(
        "--from",
        dest="sources",
        nargs="+",
        metavar="输入",
        help="按这些文件或文件夹拟定配置（成绩表、作业检查、听评课记录）",
    )
    init.set_defaults(handler="toolkit.cli.commands:run_init")

    templates = commands.add_parser(
        "templates",
        help="生成填报模板",
        description="生成各类填报模板（成绩、小题分、作业检查、听评课、薄弱点台账）。"
        "给出学校配置时，下拉列表和名单按本校填好。",
    )
    templates.add_argument("-c", "--config", metavar="学校配置.xlsx", help="学校配置（可选）")
    templates.add_argument("-o", "--output", default="填报模板", type=_folder, help="输出文件夹")
    templates.add_argument("--force", action="store_true", help="覆盖输出文件夹中已有的同名模板")
    templates.set_defaults(handler="toolkit.cli.commands:run_templates")

    demo = commands.add_parser(
        "demo", help="生成示例学校数据并运行分析", description="生成示例数据并运行全部分析。"
    )
    demo.add_argument("-o", "--output", default="xueqing-demo", type=_folder, help="输出文件夹")
    demo.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
    demo.set_defaults(handler="toolkit.cli.commands:run_demo")

    serve = commands.add_parser(
        "serve",
        help="在浏览器中使用（本机网页：上传文件、查看问题、生成和下载报告）",
        description="启动本机网页（默认 http://127.0.0.1:8765）并在浏览器中打开："
        "上传文件或整个文件夹，查看识别结果和问题，生成并下载各类报告。按 Ctrl-C 停止。",
    )
    serve.add_argument(
        "--port",
        type=_whole_number(0, 65535, "端口"),
        default=8765,
        help="端口（默认 8765；0 表示任选一个空闲端口）",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="监听地址（默认 127.0.0.1，只有本机能打开；其他地址会给出警告）",
    )
    serve.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    serve.add_argument(
        "--max-upload-mb",
        type=_whole_number(1, 100_000, "大小"),
        default=200,
        metavar="MB",
        help="上传总大小上限（默认 200）",
    )
    serve.set_defaults(handler="toolkit.web.server:run_serve")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    ChineseParser.json_errors = "--json" in given  # scripts and the web page read JSON
    try:
        args = parser.parse_args(given)
    except SystemExit as exc:  # --help, --version, or a bad command line (already explained)
        return exc.code if isinstance(exc.code, int) else EXIT_FAILURE
    refusal = _output_refusal(args)
    if refusal is not None:
        try:
            parser.error(refusal)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else EXIT_FAILURE
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    import importlib

    module_name, function_name = args.handler.split(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def run() -> None:
    """The ``xueqing`` program (and ``python -m toolkit``): a process of its own."""
    # pandera imports hypothesis (for data synthesis, which no command uses) whenever it is
    # installed, and with it pytest: ~0.4 s of every command's start. Marked absent, pandera
    # skips it. Only here, in a process of its own: a test run calling main() needs it.
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    raise SystemExit(main())


if __name__ == "__main__":
    run()
