"""Dashboard benchmark: prints figures, asserts nothing.

    uv run python benchmarks/dashboard_benchmark.py [--tier county] [--workdir DIR] [--rounds 3]

Serves the tier's published warehouse with `valvonta dashboard` and drives Debian's chromium:
1. first render of each page in a fresh browser context (empty cache): from navigation start until
   the page's heading and all its charts are drawn;
2. callback response times: every page change and filter change inside the app is one Dash
   callback; their durations (request start to response end) are read from the browser's
   resource timings, and the median, p95 and maximum printed.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
USER, PASSWORD = "benchmark", "benchmark-salasana"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
DRAWN = ("document.querySelector('#page h1') && "
         "[...document.querySelectorAll('figure.chart')].every(f => f.querySelector('.main-svg')) && "
         "[...document.querySelectorAll('div.table-wrap')].every(d => d.querySelector('table'))")


def ensure_built(home, tier: str) -> None:
    import duckdb

    from benchmarks.report_benchmark import prepare
    from flows.build import build
    from flows.publish import publish, published_path

    prepare(home, tier)
    con = duckdb.connect(str(published_path(home)), read_only=True)
    marts = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                       "where table_schema = 'marts'").fetchall()}
    con.close()
    if "fct_kpi_months" not in marts:  # made before the dashboards' trend mart existed
        build(home, "bench-dashboard")
        publish(home, "bench-dashboard")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="county", choices=["demo", "county", "national"])
    parser.add_argument("--workdir")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("VALVONTA_PSEUDONYM_KEY", "benchmark-key")
    import duckdb
    from playwright.sync_api import sync_playwright

    from dashboards.app import PAGES
    from dashboards.auth import add_user
    from flows.home import Home
    from flows.publish import published_path

    work = Path(args.workdir or tempfile.mkdtemp(prefix="valvonta-dashboard-bench-"))
    home = Home(work / f"{args.tier}-report")
    ensure_built(home, args.tier)
    add_user(home, USER, PASSWORD)
    con = duckdb.connect(str(published_path(home)), read_only=True)
    providers, diary = con.execute("select (select count(*) from marts.dim_providers), "
                                   "(select count(*) from marts.fct_attendance)").fetchone()
    provider_ids = [r[0] for r in con.execute(
        "select provider_id from marts.fct_kpis group by 1 order by count(*) desc limit 5").fetchall()]
    years = [r[0] for r in con.execute("select distinct year from marts.fct_kpis order by 1").fetchall()]
    con.close()
    print(f"tier {args.tier}: {providers} providers, {diary:,} diary rows")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "--home", str(home.root), "dashboard", "--port",
                             str(port)], cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(base, timeout=2)
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.3)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            creds = {"username": USER, "password": PASSWORD}
            renders: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                for page_def in PAGES:
                    context = browser.new_context(http_credentials=creds, viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(base + page_def.path)
                    page.wait_for_function(DRAWN, timeout=60000)
                    renders.setdefault(page_def.title, []).append(time.perf_counter() - started)
                    context.close()
            print("first render in the browser (fresh context, median of rounds; max):")
            for title, times in renders.items():
                print(f"  {title:<26} {statistics.median(times):.2f} s   (max {max(times):.2f} s)")

            context = browser.new_context(http_credentials=creds, viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            timings: list[float] = []
            steps = 0

            def collect() -> None:
                timings.extend(page.evaluate("""() => {
                    const t = performance.getEntriesByType('resource')
                        .filter(e => e.name.includes('_dash-update-component'))
                        .map(e => e.responseEnd - e.startTime);
                    performance.clearResourceTimings();
                    return t; }"""))

            def click(locator) -> None:
                nonlocal steps
                locator.click()
                page.wait_for_load_state("networkidle")
                page.wait_for_function(DRAWN, timeout=60000)
                steps += 1

            for year in years:
                page.goto(f"{base}/?vuosi={year}")
                page.wait_for_function(DRAWN, timeout=60000)
                for i in [*range(1, len(PAGES)), 0]:  # page changes inside the app
                    click(page.locator("nav.nav a").nth(i))
                collect()
                for pid in provider_ids:  # filter changes on the provider page
                    page.goto(f"{base}/palveluntuottaja?tuottaja={pid}&vuosi={year}")
                    page.wait_for_function(DRAWN, timeout=60000)
                    for _ in range(2):
                        click(page.locator("#filter-jakso a").first)
                    for other in years:
                        if other != year:
                            click(page.locator("#filter-vuosi a").first)
                    collect()
            context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    timings = sorted(timings)
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    print(f"callbacks: {len(timings)} timed (from {steps} clicks on page links and filters); "
          f"median {statistics.median(timings):.0f} ms, "
          f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
