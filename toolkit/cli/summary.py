"""What a command tells scripts and the web page (``--json``): one schema, written by every
command through :func:`finish` and read back by the web page with :meth:`RunSummary.from_json`.

Every summary has ``counts`` and ``problems``; the rest depends on the command: ``rows`` (读取,
计入, 跳过 …), ``files`` (what each input was taken for), ``output``/``outputs``/``ledger`` (what
was written), ``failure`` (why it stopped) and a few command-specific values (``month``, ``exam``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.base.problems import ProblemReport
    from toolkit.cli.console import Console


@dataclass
class RunSummary:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, problems: ProblemReport, **fields: Any) -> RunSummary:
        return cls(problems.counts(), [p.as_dict() for p in problems], fields)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunSummary:
        rest = {k: v for k, v in data.items() if k not in ("counts", "problems")}
        return cls(dict(data.get("counts") or {}), list(data.get("problems") or []), rest)

    def as_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "problems": self.problems, **self.fields}

    @property
    def failure(self) -> str:
        """Why the command stopped (or why its PDFs could not be made); "" when it did not."""
        return str(self.fields.get("failure") or self.fields.get("pdf_failure") or "")

    @property
    def written(self) -> list[str]:
        """Every file the command names as written, in its order."""
        named = [*(self.fields.get("outputs") or []), self.fields.get("output")]
        named.append(self.fields.get("ledger"))
        return [p for p in named if isinstance(p, str) and p]


def finish(
    console: Console, problems: ProblemReport, code: int, *, tell: str = "", **fields: Any
) -> int:
    """Every command ends here: ``tell`` said as a failure (if given), the summary printed for
    scripts and the web page, the exit code returned."""
    if tell:
        console.fail(tell)
    console.json(RunSummary.of(problems, **fields).as_json())
    return code


def refuse(console: Console, problems: ProblemReport, why: str, **fields: Any) -> int:
    """The command could not run (a bad option value, an output it may not write): say why, put
    it in the summary's ``failure`` and exit 2."""
    from toolkit.cli.exits import EXIT_FAILURE

    return finish(console, problems, EXIT_FAILURE, tell=why, failure=why, **fields)
