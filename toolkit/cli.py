"""The ``xueqing`` command: a thin shell over the library's functions.

Only argparse is imported at start-up so that ``xueqing --help`` is instant; each command
imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from toolkit import __version__

EXIT_OK, EXIT_DATA_ERRORS, EXIT_FAILURE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xueqing",
        description="学情：把学校的 Excel 填报表变成汇总工作簿和图表。",
        epilog="例：xueqing scores 成绩/ -o 成绩分析.xlsx    先试试：xueqing demo",
    )
    parser.add_argument("--version", action="version", version=f"xueqing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="命令")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("-c", "--config", metavar="学校配置.xlsx", help="学校配置（可选）")
        sub.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
        sub.add_argument("--json", action="store_true", help="以 JSON 输出问题和运行摘要")

    scores = commands.add_parser(
        "scores", help="质量监测成绩分析", description="读取成绩表，生成成绩分析工作簿。"
    )
    scores.add_argument("inputs", nargs="+", metavar="INPUT", help="成绩文件或文件夹")
    scores.add_argument("-o", "--output", default="成绩分析.xlsx", help="输出工作簿")
    scores.add_argument("--previous", nargs="+", metavar="FILE", help="上次考试的成绩（进退步）")
    scores.add_argument(
        "--skip-invalid", action="store_true", help="跳过无效单元格继续分析，并列入“数据问题”"
    )
    scores.add_argument(
        "--dense-rank", action="store_true", help="中国式排名（1,2,2,3），默认 RANK.EQ"
    )
    scores.add_argument("--exam", default="", help="考试名称（默认从文件名识别，如 期末）")
    common(scores)
    scores.set_defaults(handler="toolkit.commands:run_scores")

    check = commands.add_parser(
        "check", help="只检查数据，列出所有问题", description="检查成绩表，列出每个问题的位置。"
    )
    check.add_argument("inputs", nargs="+", metavar="INPUT", help="文件或文件夹")
    check.add_argument("--all", action="store_true", help="也列出提示（如跳过的汇总行）")
    common(check)
    check.set_defaults(handler="toolkit.commands:run_check")

    init = commands.add_parser(
        "init", help="生成空白学校配置", description="生成带填写说明的空白学校配置。"
    )
    init.add_argument("-o", "--output", default="学校配置.xlsx", help="输出文件")
    init.set_defaults(handler="toolkit.commands:run_init")

    templates = commands.add_parser(
        "templates",
        help="生成填报模板",
        description="生成各类填报模板（成绩、小题分、作业检查、听评课、薄弱点台账）。"
        "给出学校配置时，下拉列表和名单按本校填好。",
    )
    templates.add_argument("-c", "--config", metavar="学校配置.xlsx", help="学校配置（可选）")
    templates.add_argument("-o", "--output", default="填报模板", help="输出文件夹")
    templates.add_argument("--force", action="store_true", help="覆盖输出文件夹中已有的同名模板")
    templates.set_defaults(handler="toolkit.commands:run_templates")

    demo = commands.add_parser(
        "demo", help="生成示例学校数据并运行分析", description="生成示例数据并运行全部分析。"
    )
    demo.add_argument("-o", "--output", default="xueqing-demo", help="输出文件夹")
    demo.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
    demo.set_defaults(handler="toolkit.commands:run_demo")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
