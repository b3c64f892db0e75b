"""Build benchmark: prints figures, asserts nothing.

    uv run python benchmarks/build_benchmark.py [--tier county] [--workdir DIR] [--rounds 5]

As the pipeline runs a build: the dbt process is started first (prewarm) and loads while the
deliveries are ingested, then the build runs. Measured:
1. full builds (`dbt build --full-refresh`: seeds, every model, data and unit tests) of the tier,
   three before the incremental builds and two after them;
2. incremental builds, each after one provider's new monthly delivery (its latest diary month sent
   again, corrected) is ingested with Great Expectations, as `valvonta run` does;
3. every mart after the incremental builds compared with the full rebuild that follows them;
4. one full and one incremental build without the prewarm (dbt imported and the project parsed
   inside the measured time), as a lone `valvonta build` after a change of date would be.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
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
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("VALVONTA_PSEUDONYM_KEY", "benchmark-key")
    import duckdb

    from flows.build import build, mart_rows, prewarm
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

    def timed_build(run_id: str, warm: bool, **kwargs) -> tuple[float, float, object]:
        ready = 0.0
        if warm:
            started = time.perf_counter()
            prewarm(home).wait_ready()
            ready = time.perf_counter() - started
        started = time.perf_counter()
        result = build(home, run_id, **kwargs)
        return time.perf_counter() - started, ready, result

    fulls = []

    def full_build() -> None:
        seconds, ready, full = timed_build(f"full-{len(fulls)}", warm=True, full_refresh=True)
        fulls.append(seconds)
        print(f"full build {len(fulls)}: {seconds:.2f} s ({full.models} models, {full.tests} tests, "
              f"{full.seeds} seeds; dbt loaded beforehand in {ready:.1f} s)")

    # full builds before and after the incremental ones: this machine's speed drifts by minutes
    for _ in range(3):
        full_build()

    con = duckdb.connect(str(home.warehouse), read_only=True)
    latest = con.execute(
        "select provider_id, max(file_name) from meta.files where kinds = 'attendance' and status = 'loaded' "
        "and file_name like '%.csv' group by provider_id order by provider_id").fetchall()
    con.close()

    def send_correction(name: str, suffix: str, rows: int) -> None:
        """The provider sends its delivery `name` again with `rows` present days marked absent."""
        con = duckdb.connect(str(home.warehouse), read_only=True)
        sha = con.execute("select file_id from meta.files where file_name = ?", [name]).fetchone()[0]
        con.close()
        text, encoding = decode(next(home.archive.glob(f"{sha}.*")).read_bytes())
        corrected = re.sub("lasna", "POISSA_MUU", text, count=rows, flags=re.IGNORECASE)
        (home.inbox / name.replace(".csv", f"_korjaus{suffix}.csv")).write_bytes(corrected.encode(encoding))

    incrementals, waits = [], []
    for n in range(args.rounds):
        provider, name = latest[(n * 7) % len(latest)]
        send_correction(name, str(n), 3 + n)
        worker = prewarm(home)
        started = time.perf_counter()
        ingested = run_ingest(home, validate=True)
        ingest_seconds = time.perf_counter() - started
        started = time.perf_counter()
        worker.wait_ready()
        waits.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = build(home, f"incremental-{n}")
        incrementals.append(time.perf_counter() - started)
        print(f"delivery {n + 1} from {provider}: {ingested.rows_read} rows ingested in {ingest_seconds:.1f} s; "
              f"dbt still loading after it {waits[-1]:.2f} s; incremental build {incrementals[-1]:.2f} s "
              f"({result.models} models, {result.tests} tests: {result.reason})")

    after_incremental = mart_rows(home)
    for _ in range(2):
        full_build()
    rebuilt = mart_rows(home)
    full_median, inc_median = statistics.median(fulls), statistics.median(incrementals)
    print(f"\nfull build, median of {len(fulls)}: {full_median:.2f} s")
    print(f"incremental build after one provider's monthly delivery, median of {len(incrementals)}: "
          f"{inc_median:.2f} s (max {max(incrementals):.2f} s) = {inc_median / full_median:.2f} of the full build "
          f"(max {max(incrementals) / full_median:.2f}); waiting for dbt after the ingest: max {max(waits):.2f} s")

    differing = [t for t in rebuilt if rebuilt[t] != after_incremental.get(t)]
    print(f"every mart after the incremental builds equals a full rebuild: {not differing} "
          f"({len(rebuilt)} marts{'; differing: ' + ', '.join(differing) if differing else ''})")
    for table in differing:
        only_incremental = set(after_incremental[table]) - set(rebuilt[table])
        only_full = set(rebuilt[table]) - set(after_incremental[table])
        print(f"  {table}: {len(only_incremental)} rows only after the incremental builds, "
              f"{len(only_full)} only after the full rebuild")
        for row in sorted(only_incremental, key=str)[:5]:
            print(f"    incremental: {row}")
        for row in sorted(only_full, key=str)[:5]:
            print(f"    full: {row}")

    seconds, _, _ = timed_build("full-cold", warm=False, full_refresh=True)
    send_correction(latest[0][1], "_cold", 1)
    run_ingest(home, validate=False)
    cold_inc, _, _ = timed_build("incremental-cold", warm=False)
    print(f"without the prewarm (dbt import and parse inside the time): full {seconds:.2f} s, "
          f"incremental {cold_inc:.2f} s = {cold_inc / seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
