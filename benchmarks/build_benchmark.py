"""Build benchmark: prints figures, asserts nothing.

    uv run python benchmarks/build_benchmark.py [--tier county] [--workdir DIR]

1. a full `dbt build` (seeds, models, data and unit tests) of the tier;
2. one provider sends a new monthly delivery (its latest diary month, corrected): ingest it, then
   an incremental build (the diary chain is rebuilt only for that provider);
3. a full rebuild from scratch, to check the incremental result is the same.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="county", choices=["demo", "county", "national"])
    parser.add_argument("--workdir")
    args = parser.parse_args()
    os.environ.setdefault("VALVONTA_PSEUDONYM_KEY", "benchmark-key")
    import duckdb

    from flows.build import build, run_dbt
    from flows.demo.generator import generate
    from flows.formats.reader import decode
    from flows.home import Home
    from flows.ingest.service import run_ingest

    work = Path(args.workdir or tempfile.mkdtemp(prefix="valvonta-build-bench-"))
    home = Home(work / f"{args.tier}-build")
    if not home.warehouse.exists():
        shutil.rmtree(home.root, ignore_errors=True)
        home.ensure()
        generate(home, args.tier, 2025)
        run_ingest(home, validate=False)

    started = time.perf_counter()
    full = build(home, "full", full_refresh=True)
    full_seconds = time.perf_counter() - started
    print(f"full build ({args.tier}): {full_seconds:.1f} s ({full.models} models, {full.tests} tests)")

    con = duckdb.connect(str(home.warehouse), read_only=True)
    provider, name = con.execute(
        "select provider_id, file_name from meta.files where kinds = 'attendance' and status = 'loaded' "
        "and file_name like '%.csv' order by file_name desc limit 1").fetchone()
    sha = con.execute("select file_id from meta.files where file_name = ?", [name]).fetchone()[0]
    con.close()
    original = next(home.archive.glob(f"{sha}.*"))
    text, encoding = decode(original.read_bytes())
    corrected = re.sub("lasna", "POISSA_MUU", text, count=3, flags=re.IGNORECASE)
    (home.inbox / name.replace(".csv", "_korjaus.csv")).write_bytes(corrected.encode(encoding))
    ingested = run_ingest(home, validate=False)
    print(f"new delivery from {provider}: {ingested.rows_read} rows in {ingested.files_seen} file")

    started = time.perf_counter()
    incremental = build(home, "incremental")
    inc_seconds = time.perf_counter() - started
    print(f"incremental build: {inc_seconds:.1f} s ({incremental.models} models, {incremental.tests} tests) "
          f"= {inc_seconds / full_seconds:.2f} of the full build")

    started = time.perf_counter()
    trivial = run_dbt(home, "run", "--select", "dim_products")
    print(f"dbt's own fixed cost (one trivial model): {time.perf_counter() - started:.1f} s "
          f"(exit {trivial.returncode})")

    con = duckdb.connect(str(home.warehouse), read_only=True)
    after_incremental = con.execute("select * from marts.fct_kpis order by all").fetchall()
    findings_incremental = con.execute("select * from marts.fct_findings order by all").fetchall()
    con.close()
    build(home, "check", full_refresh=True)
    con = duckdb.connect(str(home.warehouse), read_only=True)
    same = (after_incremental == con.execute("select * from marts.fct_kpis order by all").fetchall()
            and findings_incremental == con.execute("select * from marts.fct_findings order by all").fetchall())
    con.close()
    print(f"incremental result equals a full rebuild: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
