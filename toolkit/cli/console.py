"""What a command prints: problem tables, run summaries, JSON for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any

from toolkit.base.problems import SEVERITY_LABEL, ProblemReport

_STYLE = {"error": "bold red", "warning": "yellow", "note": "dim"}


class Console:
    """Thin wrapper over rich's console honouring ``--quiet`` and ``--json``."""

    def __init__(self, *, quiet: bool = False, as_json: bool = False) -> None:
        from rich.console import Console as RichConsole

        self.quiet = quiet
        self.as_json = as_json
        self._out = RichConsole(highlight=False, soft_wrap=False)
        self._err = RichConsole(stderr=True, highlight=False)

    def say(self, text: str, style: str = "") -> None:
        if not (self.quiet or self.as_json):
            self._out.print(text, style=style or None)

    def fail(self, text: str) -> None:
        """Shown even with --quiet (but not inside --json output)."""
        if not self.as_json:
            self._err.print(text, style="bold red")

    def problems(self, report: ProblemReport, *, show_notes: bool = False) -> None:
        if self.as_json:
            return
        from rich.table import Table

        shown = [p for p in report if show_notes or p.severity != "note"]
        if self.quiet:
            shown = [p for p in shown if p.severity == "error"]
        if not shown:
            return
        table = Table(title="数据问题", show_lines=False, header_style="bold")
        for column in ("类别", "文件", "工作表", "单元格", "问题说明"):
            table.add_column(column, overflow="fold")
        for p in shown:
            table.add_row(
                SEVERITY_LABEL[p.severity],
                p.file,
                p.sheet,
                p.cell,
                p.message,
                style=_STYLE[p.severity],
            )
        (self._err if self.quiet else self._out).print(table)

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        """A plain table (what was found, before any problem); silent when quiet or JSON."""
        if self.quiet or self.as_json or not rows:
            return
        from rich.table import Table

        table = Table(title=title, header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        self._out.print(table)

    def json(self, payload: dict[str, Any]) -> None:
        if self.as_json:
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")

    def status(self, text: str) -> Any:
        """A spinner for a long step (no-op when quiet or JSON)."""
        import contextlib

        if self.quiet or self.as_json or not self._out.is_terminal:
            return contextlib.nullcontext()
        return self._out.status(text)


def counts_line(report: ProblemReport) -> str:
    counts = report.counts()
    return f"错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['note']} 条"
