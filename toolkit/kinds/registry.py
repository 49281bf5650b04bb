"""The registry of routine record kinds: each kind's package declares its ``KIND`` spec, and it
is listed here once. Everything that walks "every kind" — recognising a file, ``check``, the
commands, the templates, the packs and the web page's menu — walks ``KINDS``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit import homework, lekao, observation, weakpoints
from toolkit.kinds.spec import KindSpec
from toolkit.records.fields import KIND_TITLES, RecordKind

if TYPE_CHECKING:
    from toolkit.base.problems import ProblemReport
    from toolkit.config.model import SchoolConfig
    from toolkit.reading.discover import Source
    from toolkit.records.read import RecordTable

KINDS: dict[str, KindSpec] = {}
# The record schemas by key, kept with KINDS (readers and recognisers need only the schema).
RECORD_KINDS: dict[str, RecordKind] = {}


def register(spec: KindSpec) -> KindSpec:
    """List ``spec`` among the kinds; its key must be new."""
    if spec.key in KINDS or spec.key in ("scores", "items"):
        raise ValueError(f"record kind {spec.key!r} is registered already")
    KINDS[spec.key] = spec
    RECORD_KINDS[spec.key] = spec.record
    KIND_TITLES[spec.key] = spec.title
    return spec


def unregister(key: str) -> None:
    """Take kind ``key`` off the registry again (for a kind registered by a test)."""
    del KINDS[key], RECORD_KINDS[key], KIND_TITLES[key]


for _spec in (homework.KIND, observation.KIND, weakpoints.KIND, lekao.KIND):
    register(_spec)


def load_records(
    key: str, inputs: Iterable[Source], config: SchoolConfig, problems: ProblemReport
) -> RecordTable:
    """Read and validate every file under ``inputs`` as record kind ``key``.

    Rows with an error keep their place, marked in ``问题``; ``table.valid`` holds the rest.
    """
    from toolkit.reading.discover import discover
    from toolkit.records.read import read_records
    from toolkit.records.validate import check_known_classes, validate_records

    spec = KINDS[key]
    files = discover(inputs, problems)
    table = read_records(spec.record, files, config, problems)
    validate_records(table, config, problems, spec.rules())  # type: ignore[arg-type]
    check_known_classes(table, config, problems)
    return table
