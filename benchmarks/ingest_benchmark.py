"""Ingest benchmark: prints figures, asserts nothing.

    uv run python benchmarks/ingest_benchmark.py [--tier county] [--workdir DIR] [--keep]

Measures, on one generated tier:
- ingest rows per second (the real pipeline: tolerant reading, row rules, pseudonyms, lineage,
  quarantine, atomic batches, Great Expectations, reconciliation), in a child process whose peak
  memory is read from the OS;
- the rows per second of a bare DuckDB `read_csv` → `CREATE TABLE` of the same CSV files, both
  file by file and with one `read_csv` per group of identical headers (DuckDB at its best);
- the fixed cost per delivered file: many one-row files, same layout (batched) and alternating
  layouts (no batching possible).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

CHILD = """
import json, sys, time, resource
from flows.home import Home
from flows.ingest.service import run_ingest
home = Home.resolve(sys.argv[1])
validate = sys.argv[2] == "1"
started = time.perf_counter()
result = run_ingest(home, validate=validate)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "rows": result.rows_read, "files": result.files_seen,
                  "peak_bytes": peak, "quarantined": result.rows_quarantined}))
"""


def run_child(home: Path, validate: bool) -> dict:
    env = {**os.environ, "VALVONTA_PSEUDONYM_KEY": "benchmark-key", "PYTHONPATH": str(PROJECT),
           "GX_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(home), "1" if validate else "0"],
                         env=env, cwd=PROJECT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bare_duckdb(inbox: Path) -> dict:
    import duckdb

    files = sorted(p for p in inbox.iterdir() if p.suffix == ".csv")
    readable = []
    con = duckdb.connect()
    rows, started = 0, time.perf_counter()
    for n, path in enumerate(files):
        try:
            con.execute(f"create or replace table t{n % 50} as select * from read_csv('{path}')")
            rows += con.execute(f"select count(*) from t{n % 50}").fetchone()[0]
            readable.append(path)
        except duckdb.Error:
            pass  # undecodable or empty files: the bare reader just fails on them
    per_file = time.perf_counter() - started
    groups: dict[bytes, list[Path]] = defaultdict(list)
    for path in readable:
        with open(path, "rb") as handle:
            groups[handle.readline()].append(path)
    grouped_rows, started = 0, time.perf_counter()
    for n, paths in enumerate(groups.values()):
        listing = ", ".join(f"'{p}'" for p in paths)
        try:
            con.execute(f"create or replace table g{n} as select * from read_csv([{listing}], "
                        "union_by_name=true)")
            grouped_rows += con.execute(f"select count(*) from g{n}").fetchone()[0]
        except duckdb.Error:
            pass
    grouped = time.perf_counter() - started
    return {"files": len(readable), "rows": rows, "per_file_seconds": per_file,
            "grouped_rows": grouped_rows, "grouped_seconds": grouped, "groups": len(groups)}


def make_small_files(home: Path, n_files: int, alternate: bool) -> None:
    import datetime as dt

    from flows.demo.people import business_id, identity_code

    provider = business_id(1234567)
    code = identity_code(dt.date(1990, 1, 1), 901)
    (home / "reference").mkdir(parents=True, exist_ok=True)
    (home / "reference" / "providers.csv").write_text(
        "provider_id;name;legal_form;soteri_registered;rule_set\n"
        f"{provider};Testi ry;YHDISTYS;K;LAPPI_2025\n", encoding="utf-8")
    inbox = home / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for i in range(n_files):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 300)
        if alternate and i % 2:
            text = ("y_tunnus;toimintayksikko;palaute_id;vastaanotettu_pvm;laji\n"
                    f"{provider};U1;P{i};{day:%d.%m.%Y};PALAUTE\n")
        else:
            text = f"y_tunnus;jakso_id;hetu;pvm;tila\n{provider};J{i};{code};{day:%d.%m.%Y};LASNA\n"
        (inbox / f"f{i:06d}.csv").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="county", choices=["demo", "county", "national"])
    parser.add_argument("--workdir", help="keep generated data here (default: a temp dir)")
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--skip-gx", action="store_true", help="measure without GX only")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="valvonta-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    from flows.demo.generator import generate
    from flows.home import Home

    source = work / f"{args.tier}-source"
    if not (source / "inbox").exists():
        started = time.perf_counter()
        summary = generate(Home(source), args.tier, 2025)
        print(f"generated {args.tier}: {summary.files} files, {sum(summary.rows.values()):,} rows "
              f"in {time.perf_counter() - started:.1f} s")

    bare = bare_duckdb(source / "inbox")
    print(f"bare DuckDB, file by file: {bare['rows']:,} rows in {bare['per_file_seconds']:.1f} s "
          f"= {bare['rows'] / bare['per_file_seconds']:,.0f} rows/s ({bare['files']} CSV files)")
    print(f"bare DuckDB, one read_csv per header group ({bare['groups']} groups): "
          f"{bare['grouped_rows']:,} rows in {bare['grouped_seconds']:.1f} s "
          f"= {bare['grouped_rows'] / bare['grouped_seconds']:,.0f} rows/s")

    for validate in ([False] if args.skip_gx else [False, True]):
        home = work / f"{args.tier}-ingest-{'gx' if validate else 'nogx'}"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(source, home)
        figures = run_child(home, validate)
        rate = figures["rows"] / figures["seconds"]
        label = "with Great Expectations" if validate else "without Great Expectations"
        print(f"valvonta ingest {label}: {figures['rows']:,} rows, {figures['files']} files in "
              f"{figures['seconds']:.1f} s = {rate:,.0f} rows/s; peak memory "
              f"{figures['peak_bytes'] / 2**20:,.0f} MiB")
        print(f"  ratio to bare DuckDB file by file: {rate / (bare['rows'] / bare['per_file_seconds']):.2f}; "
              f"to grouped: {rate / (bare['grouped_rows'] / bare['grouped_seconds']):.2f}")

    for alternate in (False, True):
        home = work / f"small-{'alternating' if alternate else 'same'}"
        shutil.rmtree(home, ignore_errors=True)
        make_small_files(home, args.small_files, alternate)
        figures = run_child(home, validate=False)
        layout = "alternating kinds (no batching)" if alternate else "same layout (batched)"
        print(f"fixed cost per file, {args.small_files} one-row files, {layout}: "
              f"{figures['seconds'] / figures['files'] * 1000:.1f} ms")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
