"""What a province's item analysis would cost as columnar queries (docs/scale.md, issue 20).

    pip install polars duckdb            # not dependencies of xueqing: this measures a path
    python scripts/province_probe.py                 # 1 and 3 million pupils × 45 items
    python scripts/province_probe.py --pupils 300000 --json probe.json

The walker's output for 小题分 is one row per pupil with its school, class and a score per item.
This writes that table as Parquet partitioned by school (what a district's or a province's
exports would become), then runs the item analysis xueqing computes — 难度 per item, 区分度 from
the top and bottom 27% by total, and each class's 得分率 per knowledge point — once with Polars
(lazy scans) and once with DuckDB (SQL over the files), each in its own process, reporting wall
seconds and peak memory. Both read the files as they need them, so the same queries run out of
core; neither is a dependency of xueqing unless the numbers say it should be.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = 45
POINTS = 9  # knowledge points, five items each
SCHOOL_SIZE = 1_200  # pupils of one school's grade sitting the exam
CLASS_SIZE = 45


def generate(folder: Path, pupils: int, seed: int = 5) -> None:
    """Parquet files, one per 50 schools: school, class, 45 item scores (0–full, some NaN)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    full = np.array([2, 3, 4, 5, 6] * (ITEMS // 5), dtype=np.float32)
    schools = -(-pupils // SCHOOL_SIZE)
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(0, schools, 50):
        count = min(50, schools - first) * SCHOOL_SIZE
        count = min(count, pupils - first * SCHOOL_SIZE)
        ability = rng.normal(0.65, 0.18, count).clip(0, 1).astype(np.float32)
        hardness = rng.uniform(-0.2, 0.2, ITEMS).astype(np.float32)
        p = (ability[:, None] - hardness[None, :]).clip(0, 1)
        scores = np.round(p * full[None, :] + rng.normal(0, 0.5, (count, ITEMS))).clip(0, full)
        scores[rng.random((count, ITEMS)) < 0.002] = np.nan  # a blank item here and there
        index = np.arange(count) + first * SCHOOL_SIZE
        frame = pl.DataFrame(
            {
                "学校": pl.Series(index // SCHOOL_SIZE, dtype=pl.Int32),
                "班级": pl.Series((index % SCHOOL_SIZE) // CLASS_SIZE, dtype=pl.Int16),
                **{f"q{j + 1}": scores[:, j].astype(np.float32) for j in range(ITEMS)},
            }
        )
        frame.write_parquet(folder / f"part-{first // 50:04d}.parquet")
    (folder / "items.json").write_text(
        json.dumps(
            [
                {"题号": f"q{j + 1}", "满分": float(full[j]), "知识点": f"知识点{j // 5 + 1}"}
                for j in range(ITEMS)
            ],
            ensure_ascii=False,
        )
    )


def run_polars(folder: Path) -> dict[str, float]:
    import polars as pl

    items = json.loads((folder / "items.json").read_text())
    names = [i["题号"] for i in items]
    full = {i["题号"]: i["满分"] for i in items}
    scan = pl.scan_parquet(str(folder / "*.parquet"))
    start = time.perf_counter()
    difficulty = scan.select([(pl.col(n).mean() / full[n]).alias(n) for n in names]).collect()
    total = pl.sum_horizontal([pl.col(n).fill_null(0) for n in names]).alias("总分")
    with_total = scan.with_columns(total)
    low, high = (
        with_total.select(
            pl.col("总分").quantile(0.27).alias("lo"), pl.col("总分").quantile(0.73).alias("hi")
        )
        .collect()
        .row(0)
    )
    groups = (
        with_total.with_columns(
            pl.when(pl.col("总分") <= low)
            .then(pl.lit("低"))
            .when(pl.col("总分") >= high)
            .then(pl.lit("高"))
            .otherwise(None)
            .alias("组")
        )
        .drop_nulls("组")
        .group_by("组")
        .agg([pl.col(n).mean() for n in names])
        .collect()
    )
    points: dict[str, list[str]] = {}
    for item in items:
        points.setdefault(item["知识点"], []).append(item["题号"])
    rates = (
        scan.group_by(["学校", "班级"])
        .agg(
            [
                (
                    pl.sum_horizontal([pl.col(n).fill_null(0) for n in cols]).sum()
                    / pl.sum_horizontal(
                        [pl.col(n).is_not_null().cast(pl.Float64) * full[n] for n in cols]
                    ).sum()
                ).alias(point)
                for point, cols in points.items()
            ]
        )
        .collect()
    )
    seconds = time.perf_counter() - start
    assert difficulty.width == ITEMS and groups.height == 2 and rates.height > 0
    return {"seconds": seconds, "classes": rates.height}


def run_duckdb(folder: Path) -> dict[str, float]:
    import duckdb

    items = json.loads((folder / "items.json").read_text())
    names = [i["题号"] for i in items]
    full = {i["题号"]: i["满分"] for i in items}
    files = str(folder / "*.parquet")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    start = time.perf_counter()
    difficulty = con.execute(
        "SELECT " + ", ".join(f"avg({n}) / {full[n]}" for n in names) + f" FROM '{files}'"
    ).fetchall()
    total = " + ".join(f"coalesce({n}, 0)" for n in names)
    low, high = con.execute(
        f"SELECT quantile_cont({total}, 0.27), quantile_cont({total}, 0.73) FROM '{files}'"
    ).fetchone()
    groups = con.execute(
        f"SELECT CASE WHEN t <= {low} THEN '低' ELSE '高' END AS g, "
        + ", ".join(f"avg({n})" for n in names)
        + f" FROM (SELECT *, {total} AS t FROM '{files}') WHERE t <= {low} OR t >= {high} "
        "GROUP BY g"
    ).fetchall()
    points: dict[str, list[str]] = {}
    for item in items:
        points.setdefault(item["知识点"], []).append(item["题号"])
    parts = []
    for cols in points.values():
        got = " + ".join(f"coalesce({n}, 0)" for n in cols)
        out_of = " + ".join(f"CASE WHEN {n} IS NULL THEN 0 ELSE {full[n]} END" for n in cols)
        parts.append(f"sum({got}) / sum({out_of})")
    rates = con.execute(
        "SELECT 学校, 班级, " + ", ".join(parts) + f" FROM '{files}' GROUP BY 学校, 班级"
    ).fetchall()
    seconds = time.perf_counter() - start
    assert len(difficulty[0]) == ITEMS and len(groups) == 2 and rates
    return {"seconds": seconds, "classes": len(rates)}


def measure(engine: str, folder: Path) -> dict[str, float]:
    """One engine's queries in a child process: its wall seconds and peak RSS (MB)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[3]); import province_probe as p; "
        "print(json.dumps(getattr(p, 'run_' + sys.argv[1])(p.Path(sys.argv[2]))))"
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, engine, str(folder), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read() if process.stdout else ""
    if status != 0:
        raise RuntimeError(f"{engine} failed")
    found = json.loads(output)
    found["wall"] = time.perf_counter() - started
    found["peak_mb"] = usage.ru_maxrss / 1024
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, nargs="+", default=[1_000_000, 3_000_000])
    parser.add_argument("--json", type=Path, help="save the figures")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for pupils in args.pupils:
            folder = Path(scratch) / f"p{pupils}"
            # In a child: a child's peak RSS (wait4) starts from its parent's at fork, so this
            # process stays small for the measured ones.
            here = str(Path(__file__).parent)
            code = "import sys; sys.path.insert(0, sys.argv[1]); import province_probe as p; "
            code += "p.generate(p.Path(sys.argv[2]), int(sys.argv[3]))"
            subprocess.run([sys.executable, "-c", code, here, str(folder), str(pupils)], check=True)
            size = sum(f.stat().st_size for f in folder.glob("*.parquet")) / 1e6
            row = {"pupils": pupils, "marks": pupils * ITEMS, "parquet_mb": round(size, 1)}
            for engine in ("polars", "duckdb"):
                found = measure(engine, folder)
                row[engine] = {k: round(v, 2) for k, v in found.items()}
            results.append(row)
            print(json.dumps(row, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
