"""The record kinds the toolkit reads, and how a file's kind is recognised: by the marker a
template carries, else by which kind's header its sheets have."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from toolkit.homework import schema as homework
from toolkit.observation import schema as observation
from toolkit.records.fields import RecordKind
from toolkit.weakpoints import schema as weakpoints

if TYPE_CHECKING:
    from toolkit.base.problems import ProblemReport
    from toolkit.config.model import SchoolConfig
    from toolkit.reading.discover import Source
    from toolkit.records.read import RecordTable

RECORD_KINDS: dict[str, RecordKind] = {
    k.key: k for k in (homework.HOMEWORK, observation.OBSERVATION, weakpoints.WEAKPOINTS)
}
# Each kind's cross-column rules: (pandera schema, severity, column pointed at).
RECORD_RULES: dict[str, Callable[[], list[tuple[Any, str, str]]]] = {
    "homework": homework.rules,
    "observation": observation.rules,
    "weakpoints": weakpoints.rules,
}


def load_records(
    key: str, inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> RecordTable:
    """Read and validate every file under ``inputs`` as record kind ``key``.

    Rows with an error keep their place, marked in ``问题``; ``table.valid`` holds the rest.
    """
    from toolkit.reading.discover import discover
    from toolkit.records.read import read_records
    from toolkit.records.validate import check_known_classes, validate_records

    files = discover(inputs, problems)
    table = read_records(RECORD_KINDS[key], files, config, problems)
    validate_records(table, config, problems, RECORD_RULES[key]())  # type: ignore[arg-type]
    check_known_classes(table, config, problems)
    return table
