"""The README's main command on an empty home, through the real CLI and a real Prefect flow, and
the privacy scan of everything it left behind."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import valid_identity_codes

PROJECT = Path(__file__).resolve().parent.parent


def valvonta(home: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.pop("VALVONTA_PSEUDONYM_KEY", None)  # the first run must create its own key file
    return subprocess.run([sys.executable, "-m", "flows.cli", "--home", str(home), *args],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    home = tmp_path_factory.mktemp("main") / "home"
    result = valvonta(home, "run")
    assert result.returncode == 0, result.stderr[-3000:]
    return home, result


def test_run_on_an_empty_home_writes_demo_data_ingests_and_summarises(ran):
    home, result = ran
    out = result.stdout
    assert "Saapuneet-kansio on tyhjä: kirjoitetaan demoaineisto (demo)." in out
    assert "Tiedostoja saapui" in out and "karanteeniin" in out
    assert "Laatutarkistuksia (Great Expectations)" in out
    assert "Tietovarasto rakennettu" in out and "Tunnuslukuja laskettu" in out and "poikkeamia" in out
    assert (home / "published" / "warehouse.duckdb").exists()
    # the packages of the latest complete year, and where they are
    year = dt.date.today().year - 1
    assert f"Vuoden {year} vuosiraportit" in out and str(home / "reports" / str(year)) in out
    written = {p.suffix for p in (home / "reports" / str(year)).iterdir()}
    assert written == {".html", ".pdf", ".xlsx"}
    assert (home / "reports" / str(year) / f"hyvinvointialue_yhteenveto_{year}_julkinen.pdf").exists()
    assert "Pseudonymisointiavain luotiin" in result.stderr  # the first-run warning
    assert (home / "warehouse.duckdb").exists()
    assert list((home / "inbox").iterdir()) == []
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        runs = con.execute("select status, reconciled, rows_read, rows_loaded + rows_quarantined "
                           "from meta.runs").fetchall()
        assert len(runs) == 1 and runs[0][:2] == ("ok", True) and runs[0][2] == runs[0][3]
        kinds = {k for (k,) in con.execute("select distinct kind from meta.file_parts").fetchall()}
        assert kinds == {"periods", "attendance", "feedback", "survey", "incidents", "staff", "deliveries"}
        outcomes = con.execute("select count(distinct kind), count(*) from meta.expectation_results").fetchone()
        assert outcomes[0] == 7 and outcomes[1] >= 40
    finally:
        con.close()


def test_second_run_takes_nothing_new_and_writes_no_more_demo_data(ran):
    home, _ = ran
    again = valvonta(home, "run")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "demoaineisto" not in again.stdout
    assert "Tiedostoja saapui 0" in again.stdout


def test_files_lists_the_manifest(ran):
    home, _ = ran
    listing = valvonta(home, "files", "--format", "csv")
    assert listing.returncode == 0
    rows = list(csv.DictReader(io.StringIO(listing.stdout)))
    assert list(rows[0]) == ["file_name", "sha256", "kinds", "status", "rows_read", "rows_loaded",
                             "rows_quarantined", "ingested_at"]
    assert len(rows) > 250
    for row in rows:
        assert int(row["rows_read"]) == int(row["rows_loaded"]) + int(row["rows_quarantined"])
    statuses = {r["status"] for r in rows}
    assert statuses == {"loaded", "loaded_with_rejections", "rejected"}
    table = valvonta(home, "files")
    assert table.returncode == 0 and "rows_quarantined" in table.stdout


def test_no_identity_code_in_any_warehouse_text_column(ran):
    home, _ = ran
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'").fetchall()
        assert len(columns) > 50
        for schema, table, column in columns:
            candidates = con.execute(
                f'select "{column}" from "{schema}"."{table}" '
                f"where regexp_matches(\"{column}\", '\\d{{6}}[-+A-FU-Y]\\d{{3}}[0-9A-FHJ-NPR-Y]')"
            ).fetchall()
            leaks = [c for (value,) in candidates for c in valid_identity_codes(value)]
            assert leaks == [], f"{schema}.{table}.{column}"
    finally:
        con.close()


def test_no_identity_code_in_any_file_under_the_home_or_the_logs(ran):
    home, _ = ran
    originals = {home / "inbox", home / "archive"}
    scanned = 0
    for path in home.rglob("*"):
        if not path.is_file() or any(parent in originals for parent in path.parents):
            continue
        if path.parent == home / "quarantine" and not path.name.endswith(".raportti.txt"):
            continue  # a provider's original, kept as delivered
        text = path.read_bytes().decode("latin-1")
        assert valid_identity_codes(text) == [], path
        scanned += 1
    assert scanned >= 5
    assert (home / "logs" / "valvonta.log").stat().st_size > 0


def test_the_scan_would_find_a_leak(tmp_path):
    """The scanner itself can fail: a planted test-range code is found."""
    import datetime as dt

    from flows.demo.people import identity_code

    planted = identity_code(dt.date(1990, 1, 1), 955)
    assert valid_identity_codes(f"x {planted} y") == [planted]


def test_demo_identity_codes_are_all_in_the_test_range(ran):
    home, _ = ran
    for path in (home / "archive").iterdir():
        if path.suffix != ".csv":
            continue
        text = path.read_bytes().decode("latin-1")
        for code in valid_identity_codes(text):
            assert 900 <= int(code[7:10]) <= 999, path.name
