"""argparse, speaking Chinese: usage, section titles, help and error messages.

argparse looks its own texts up through ``gettext`` as it runs (``argparse._``). Swapping that
one function, only while our parser is built and parses, translates every text argparse has
(the message ids are the same in Python 3.10–3.13) without touching another program's parser in
the same process. A text with no translation stays as it is.

Only argparse is imported here, so ``xueqing --help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python 3.9 and older said this
    "show this help message and exit": "显示帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选择：%(value)r（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的取值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是：%(matches)s"
    ),
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知命令 %(parser_name)r（可选：%(choices)s）"
    ),
}


def translate(text: str) -> str:
    return _TEXTS.get(text, text)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@contextmanager
def chinese() -> Iterator[None]:
    """argparse says its texts in Chinese inside this block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = _translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 32)
        super().__init__(prog, **kwargs)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are Chinese, and JSON for a run asked for ``--json``."""

    json_errors = False  # set for the run by the program: scripts and the web page read JSON

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseFormatter)
        with chinese():
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with chinese():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with chinese():
            return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        with chinese():
            return super().format_help()

    def format_usage(self) -> str:
        with chinese():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        with chinese():
            if ChineseParser.json_errors:
                print(json.dumps({"failure": message}, ensure_ascii=False))
            self.print_usage(sys.stderr)
            self.exit(
                2,
                translate("%(prog)s: error: %(message)s\n")
                % {
                    "prog": self.prog,
                    "message": message,
                },
            )
