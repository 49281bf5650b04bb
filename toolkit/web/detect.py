"""``python -m toolkit.web.detect FOLDER [--annotate OUT]``: what ``xueqing check`` finds in
the uploaded folder, as JSON for the web page.

It calls what ``xueqing check FOLDER -c <the config in FOLDER> --json`` calls —
:func:`toolkit.check.check_inputs`, and for ``--annotate``
:func:`toolkit.render.annotate.write_annotated_copies` — and prints the same keys (``counts``,
``problems``, ``rows``, ``files``, ``annotated``), adding what the page's table and forms need
and ``check --json`` does not print: each file's classes, its path inside FOLDER, the kind's
title, the school config found, and the exams in the order they were sat. It runs in a child
process like every report, so a file that crashes or exhausts the reader cannot stop the server.

The school config kept among the uploads is used for checking (full marks, known classes), as
``monthly`` and ``term`` use it; its own problems are listed once (``check_inputs`` checks it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.cli.summary import RunSummary


def detect(folder: Path, annotate: Path | None = None) -> tuple[dict[str, Any], int]:
    """The page's JSON for ``folder`` and the exit code ``check`` would give."""
    from toolkit.base.problems import ProblemReport
    from toolkit.check import check_inputs
    from toolkit.config.read import load_config
    from toolkit.pack.collect import collect, found_title
    from toolkit.pack.exams import order_exams, term_season

    configs = collect([folder], ProblemReport()).configs
    config_file = configs[0].path if len(configs) == 1 else None
    config = load_config(config_file, ProblemReport())  # its problems come from check_inputs
    problems = ProblemReport()
    result = check_inputs([folder], config, problems)
    season = term_season(config.term)
    classes = result.found.table()["班级"].tolist()  # the text `check` shows
    files = [
        {
            "file": f.file.display,
            "path": f.file.path.relative_to(folder).as_posix(),
            "kind": f.kind,
            "kind_title": found_title(f.kind),
            "recognised_by": f.how,
            "exam": f.exam,
            "classes": text,
            "records": f.records,
        }
        for f, text in zip(result.found.files, classes, strict=True)
    ]
    exams = {
        kind: [e.name for e in order_exams(result.found.exams(kind), season)]
        for kind in ("scores", "items")
    }
    summary = RunSummary.of(
        problems,
        rows=result.rows,
        files=files,
        config=_relative(config_file, folder),
        configs=[_relative(c.path, folder) for c in configs],
        exams=exams,
    )
    if annotate is not None:
        summary.fields["annotated"] = _annotate(result.sources, problems, annotate)
    return summary.as_json(), 1 if problems.has_errors else 0


def _relative(path: Path | None, folder: Path) -> str | None:
    return path.relative_to(folder).as_posix() if path is not None else None


def _annotate(sources: list[Any], problems: Any, out_dir: Path) -> list[dict[str, Any]]:
    from toolkit.render.annotate import write_annotated_copies

    written, skipped = write_annotated_copies(sources, problems, out_dir)
    return [
        {
            "file": c.source.display,
            "copy": c.path.relative_to(out_dir).as_posix(),
            "problems": c.problems,
            "marked_cells": c.marked_cells,
            "note": c.note,
        }
        for c in written
    ] + [{"file": s.source.display, "copy": None, "reason": s.reason} for s in skipped]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.web.detect")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--annotate", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    payload, code = detect(args.folder.resolve(), args.annotate)
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
