"""质量监测成绩: score sheets read, validated and analysed.

``analyze`` is the entry point for commands and the planned web page; it imports the heavy
modules when called so that the package itself stays cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.scores.report import ScoreReport


def analyze(inputs: Any, **options: Any) -> ScoreReport:
    """Read, validate and analyse score files; see :func:`toolkit.scores.report.analyze`."""
    from toolkit.scores.report import analyze as _analyze

    return _analyze(inputs, **options)
