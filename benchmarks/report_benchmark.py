"""Report benchmark: prints figures, asserts nothing.

    uv run python benchmarks/report_benchmark.py [--tier county] [--workdir DIR] [--year 2025]

On one generated, ingested, built and published tier (made once and kept under --workdir):
1. one provider's package (HTML, PDF, XLSX), as `valvonta report --provider` does it, in a fresh
   process so reading the year's data is counted;
2. every provider's package of the year (`valvonta report --year`);
3. the county summary and its public variant (`valvonta report --county`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def prepare(home, tier: str) -> None:
    from flows.build import build
    from flows.demo.generator import generate
    from flows.ingest.service import run_ingest
    from flows.publish import publish, published_path

    if published_path(home).exists():
        return
    shutil.rmtree(home.root, ignore_errors=True)
    home.ensure()
    generate(home, tier, 2025)
    run_ingest(home, validate=False)
    build(home, "bench")
    publish(home, "bench")


def timed_cli(home, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "flows.cli", "--home", str(home.root), "report", *args],
                         cwd=PROJECT, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, out.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="county", choices=["demo", "county", "national"])
    parser.add_argument("--workdir")
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    os.environ.setdefault("VALVONTA_PSEUDONYM_KEY", "benchmark-key")
    import duckdb

    from flows.home import Home
    from flows.publish import published_path
    from flows.reports.service import run_reports

    work = Path(args.workdir or tempfile.mkdtemp(prefix="valvonta-report-bench-"))
    home = Home(work / f"{args.tier}-report")
    started = time.perf_counter()
    prepare(home, args.tier)
    print(f"tier {args.tier} ready in {time.perf_counter() - started:.0f} s: {home.root}")
    con = duckdb.connect(str(published_path(home)), read_only=True)
    provider, diary_rows, providers = con.execute(
        "select (select provider_id from marts.fct_attendance where attendance_year = ? group by 1 "
        "order by count(*) desc limit 1), (select count(*) from marts.fct_attendance), "
        "(select count(*) from marts.dim_providers)", [args.year]).fetchone()
    con.close()
    print(f"{providers} providers, {diary_rows:,} diary rows; year {args.year}")

    seconds, _ = timed_cli(home, "--year", str(args.year), "--provider", provider)
    print(f"one package (largest provider {provider}), whole command in a new process: {seconds:.2f} s")
    started = time.perf_counter()
    run_reports(home, args.year, provider=provider)
    print(f"one package, in process (data read + HTML + PDF + XLSX): {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    every = run_reports(home, args.year)
    total = time.perf_counter() - started
    per = sorted(every.seconds_per_package)
    print(f"all {every.providers} packages: {total:.1f} s (per package median {per[len(per) // 2]:.2f} s, "
          f"max {per[-1]:.2f} s; {len(every.files)} files)")
    seconds, _ = timed_cli(home, "--year", str(args.year), "--county")
    print(f"county summary, internal and public (new process): {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
