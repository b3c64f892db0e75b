"""The dbt warehouse on the demo data: KPIs to the letter, findings, rule sets as data, publish,
the analysts' SQL, and the project judged by dbt-bouncer and sqlfluff."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import valid_identity_codes

from flows.build import DBT_PROJECT, BuildFailed, build, mart_rows, run_dbt
from flows.demo.generator import generate
from flows.home import Home
from flows.ingest.service import run_ingest
from flows.publish import publish, published_path

PROJECT = Path(__file__).resolve().parent.parent
KPI_HEADER = ["provider_id", "year", "kpi", "numerator", "denominator", "value", "threshold", "status"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Home:
    os.environ["VALVONTA_PSEUDONYM_KEY"] = "warehouse-tests"
    home = Home(tmp_path_factory.mktemp("warehouse") / "home").ensure()
    generate(home, "demo", seed=2025)
    run_ingest(home, validate=False)
    result = build(home, "build-1", as_of=dt.date(2026, 11, 1))
    assert result.ok and result.models >= 30 and result.tests >= 100
    publish(home, "build-1")
    return home


def cli(home: Home, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", "--home", str(home.root), *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)


def published(home: Home) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(published_path(home)), read_only=True)


def kpi_export(home: Home, year: int, provider: str | None = None) -> list[dict]:
    args = ["kpi", "--year", str(year), "--format", "csv"] + (["--provider", provider] if provider else [])
    out = cli(home, *args)
    assert out.returncode == 0, out.stderr
    return list(csv.DictReader(io.StringIO(out.stdout)))


def test_build_results_are_stored_beside_the_ingest_checks(built):
    con = duckdb.connect(str(built.warehouse), read_only=True)
    try:
        kinds = dict(con.execute("select resource_type, count(*) from meta.dbt_results group by 1").fetchall())
        statuses = {s for (s,) in con.execute("select distinct status from meta.dbt_results").fetchall()}
    finally:
        con.close()
    assert kinds["model"] >= 30 and kinds["test"] >= 100 and kinds["unit_test"] >= 6 and kinds["seed"] == 6
    assert statuses <= {"success", "pass"}


def test_kpi_export_has_the_shape_of_kpis_md_and_every_applicable_kpi(built):
    rows = kpi_export(built, 2025)
    assert list(rows[0])[:8] == KPI_HEADER
    assert {"clause", "name_fi", "description_fi"} <= set(rows[0])
    con = published(built)
    definitions = {k: (rs, soteri) for k, rs, soteri in con.execute(
        "select kpi, rule_sets, soteri_only from seeds.kpi_definitions").fetchall()}
    providers = {p: (rs, soteri) for p, rs, soteri in con.execute(
        "select provider_id, rule_set, soteri_registered from marts.dim_providers").fetchall()}
    con.close()
    assert len(definitions) == 24
    by_provider: dict[str, set[str]] = {}
    for row in rows:
        by_provider.setdefault(row["provider_id"], set()).add(row["kpi"])
    for provider, kpis in by_provider.items():
        rule_set, soteri = providers[provider]
        expected = {k for k, (rs, soteri_only) in definitions.items()
                    if rs in ("all", rule_set) and (soteri or not soteri_only)}
        assert kpis == expected, provider
    # Lapland and Pohjois-Savo side by side, each with its own KPIs
    lappi = next(p for p, (rs, _) in providers.items() if rs == "LAPPI_2025" and p in by_provider)
    assert {"PLAN_ON_TIME", "REMOTE_SHARE_WITHIN_LIMIT"} <= by_provider[lappi]
    assert "COACHING_HOURS_WITHIN_VOUCHER" not in by_provider[lappi]
    psavo = [p for p, (rs, _) in providers.items() if rs == "PSAVO_2026"]
    psavo_rows = kpi_export(built, 2026, psavo[0])
    assert {"INTERIM_REPORT_ON_TIME", "COACHING_HOURS_WITHIN_VOUCHER"} <= {r["kpi"] for r in psavo_rows}
    assert "PLAN_ON_TIME" not in {r["kpi"] for r in psavo_rows}


def test_value_and_status_follow_the_rules_of_kpis_md(built):
    scale = {"NPS": 100, "INCIDENTS_PER_1000_DAYS": 1000}
    statuses = set()
    for row in kpi_export(built, 2025) + kpi_export(built, 2026):
        num, den = float(row["numerator"]), float(row["denominator"])
        statuses.add(row["status"])
        if den == 0:
            assert row["value"] == "" and row["status"] == "EI_DATAA"
            continue
        assert float(row["value"]) == pytest.approx(num / den * scale.get(row["kpi"], 1), abs=1e-6)
        if row["threshold"] == "":
            assert row["status"] == "TIETO"
        else:
            expected = "OK" if float(row["value"]) >= float(row["threshold"]) else "POIKKEAMA"
            assert row["status"] == expected, row
    assert statuses == {"OK", "POIKKEAMA", "EI_DATAA", "TIETO"}


def _current(con, kind: str, key: str) -> str:
    return (f"(select * from raw.{kind} qualify row_number() over "
            f"(partition by {key} order by _load_seq desc, _row desc) = 1)")


def test_kpis_recomputed_independently_from_the_loaded_rows_agree(built):
    """A second, plain implementation of four KPIs straight from raw rows, in Python."""
    con = duckdb.connect(str(built.warehouse), read_only=True)
    periods = con.execute(f"select provider_id, period_id, start_date, end_date, plan_delivered_date, "
                          f"final_report_date from {_current(con, 'periods', 'provider_id, period_id')} p").fetchall()
    diary = con.execute(f"select provider_id, period_id, date, status from "
                        f"{_current(con, 'attendance', 'provider_id, period_id, date, coalesce(activity, chr(0))')} a"
                        ).fetchall()
    feedback = con.execute(f"select provider_id, kind, received_date, response_date from "
                           f"{_current(con, 'feedback', 'provider_id, feedback_id')} f").fetchall()
    con.close()
    known = {(p[0], p[1]) for p in periods}
    expected: dict[tuple[str, str], list[int]] = {}

    def count(provider, kpi, passed):
        cell = expected.setdefault((provider, kpi), [0, 0])
        cell[0] += int(passed)
        cell[1] += 1

    for provider, _period, start, end, plan, final in periods:
        if start.year == 2025:
            count(provider, "PLAN_ON_TIME", plan is not None and (plan - start).days <= 14)
        if end is not None and end.year == 2025:
            count(provider, "FINAL_REPORT_ON_TIME", final is not None and (final - end).days <= 14)
    for provider, period, day, status in diary:
        if (provider, period) in known and day.year == 2025 and (
                status == "LASNA" or status.startswith("POISSA_") or status == "PERUUTUS_ASIAKAS"):
            count(provider, "ATTENDANCE_RATE", status == "LASNA")
    for provider, kind, received, response in feedback:
        if kind in ("REKLAMAATIO", "VAHINKOILMOITUS") and received.year == 2025:
            count(provider, "COMPLAINT_REPLY_ON_TIME", response is not None and (response - received).days <= 14)
    exported = {(r["provider_id"], r["kpi"]): (float(r["numerator"]), float(r["denominator"]))
                for r in kpi_export(built, 2025)}
    checked = 0
    for key, (num, den) in expected.items():
        if key in exported:
            assert exported[key] == (num, den), key
            checked += 1
    assert checked >= 15


def test_findings_name_the_cases_behind_every_deviation_and_no_identity_code(built):
    out = cli(built, "findings", "--year", "2025", "--format", "json")
    assert out.returncode == 0, out.stderr
    findings = json.loads(out.stdout)
    assert valid_identity_codes(out.stdout) == []
    rules = {(f["provider_id"], f["rule"]) for f in findings}
    for row in kpi_export(built, 2025):
        if row["status"] == "POIKKEAMA":
            assert (row["provider_id"], row["kpi"]) in rules, row
    later = json.loads(cli(built, "findings", "--year", "2026", "--format", "json").stdout)
    assert {"ATTENDANCE_ON_WEEKEND", "COMPANY_REHABILITATIVE_WORK", "SOTERI_REGISTRATION_MISSING",
            "ANNUAL_DOCUMENT_MISSING", "FINAL_REPORT_OVERDUE"} <= {f["rule"] for f in findings + later}
    for finding in findings:
        assert finding["provider_id"] and finding["clause"] and finding["description_fi"]
        assert finding["record_id"] or finding["client_pseudonym"]


def test_a_threshold_is_changed_by_editing_a_seed_not_code(built, tmp_path):
    home = Home(tmp_path / "copy")
    shutil.copytree(built.root, home.root, ignore=shutil.ignore_patterns("published"))
    project = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    seed = project / "seeds" / "kpi_thresholds.csv"
    seed.write_text(seed.read_text().replace("LAPPI_2025,FINAL_REPORT_ON_TIME,1.0", "LAPPI_2025,FINAL_REPORT_ON_TIME,0.5"))
    build(home, "edited", select="+fct_kpis", project=project)
    con = duckdb.connect(str(home.warehouse), read_only=True)
    rows = con.execute("select threshold, status, value from marts.fct_kpis where kpi = 'FINAL_REPORT_ON_TIME' "
                       "and rule_set = 'LAPPI_2025' and status <> 'EI_DATAA'").fetchall()
    con.close()
    assert rows and all(t == 0.5 for t, _, _ in rows)
    assert all(s == ("OK" if v >= 0.5 else "POIKKEAMA") for _, s, v in rows)


def test_published_copy_is_read_only_with_parquet_per_mart(built):
    path = published_path(built)
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    con = published(built)
    marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                       "where table_schema = 'marts'").fetchall()]
    assert {"fct_kpis", "fct_findings", "fct_attendance", "dim_clients"} <= set(marts)
    for table in marts:
        parquet = built.published / "parquet" / f"{table}.parquet"
        assert con.execute(f"select count(*) from marts.{table}").fetchone() == \
            con.execute(f"select count(*) from '{parquet}'").fetchone()
    con.close()
    refused = cli(built, "sql", "-c", "create table marts.x as select 1")
    assert refused.returncode != 0 and "read-only" in (refused.stderr + refused.stdout).lower()


def test_a_failed_build_never_replaces_the_published_copy_and_readers_keep_working(built, tmp_path):
    home = Home(tmp_path / "failing")
    shutil.copytree(built.root, home.root, symlinks=True)
    before = hashlib.sha256(published_path(home).read_bytes()).hexdigest()
    reader = published(home)
    kpis_before = reader.execute("select count(*) from marts.fct_kpis").fetchone()[0]
    con = duckdb.connect(str(home.warehouse))
    con.execute("insert into ref.providers select * from ref.providers limit 1")  # breaks a unique test
    con.close()
    with pytest.raises(BuildFailed):
        build(home, "broken")
    assert hashlib.sha256(published_path(home).read_bytes()).hexdigest() == before
    con = duckdb.connect(str(home.warehouse))
    con.execute("create or replace table ref.providers as select distinct * from ref.providers")
    con.close()
    build(home, "fixed")
    publish(home, "fixed")  # replaces the file under the open reader
    assert reader.execute("select count(*) from marts.fct_kpis").fetchone()[0] == kpis_before
    reader.close()
    assert hashlib.sha256(published_path(home).read_bytes()).hexdigest() != before


def _guide_queries() -> list[str]:
    text = (PROJECT / "docs" / "analysts-guide.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.S)


@pytest.mark.parametrize("number", range(1, len(_guide_queries()) + 1))
def test_every_example_query_of_the_analysts_guide_runs_and_answers(built, number):
    queries = _guide_queries()
    assert len(queries) >= 10
    con = published(built)
    try:
        rows = con.execute(queries[number - 1]).fetchall()
    finally:
        con.close()
    assert rows, queries[number - 1]


def test_sql_shell_answers_one_statement(built):
    out = cli(built, "sql", "-c", "select count(*) as n from marts.fct_kpis where year = 2025")
    assert out.returncode == 0 and re.search(r"\d+", out.stdout)


def test_mart_catalogue_is_generated_offline(built):
    out = cli(built, "docs")
    assert out.returncode == 0, out.stderr
    html = (built.root / "docs" / "index.html").read_text(encoding="utf-8")
    assert "fct_kpis" in html and "KPI table of kpis.md" in html


def test_seeds_written_from_code_equal_the_committed_seeds(tmp_path):
    from flows.seeds import write_seeds

    write_seeds(tmp_path)
    for name in ("finnish_holidays.csv", "code_labels.csv"):
        assert (tmp_path / name).read_bytes() == (DBT_PROJECT / "seeds" / name).read_bytes(), name


def test_dbt_bouncer_finds_the_project_follows_dbt_labs_conventions(built, tmp_path):
    parsed = run_dbt(built, "parse", "--target-path", str(tmp_path / "target"))
    assert parsed.returncode == 0, parsed.stdout[-2000:]
    config = (DBT_PROJECT / "dbt-bouncer.yml").read_text()
    (tmp_path / "bouncer.yml").write_text(config.replace("dbt_artifacts_dir: target",
                                                         f"dbt_artifacts_dir: {tmp_path / 'target'}"))
    out = subprocess.run([str(Path(sys.executable).parent / "dbt-bouncer"), "run", "--config-file",
                          str(tmp_path / "bouncer.yml")], cwd=DBT_PROJECT, capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 0, out.stdout[-3000:]
    assert re.search(r"SUCCESS=\d{3,} WARN=0 ERROR=0", out.stdout)


def test_sqlfluff_lints_the_models_clean(built):
    out = subprocess.run([str(Path(sys.executable).parent / "sqlfluff"), "lint", "models"], cwd=DBT_PROJECT,
                         capture_output=True, text=True, env={**os.environ, "VALVONTA_WAREHOUSE": str(built.warehouse)})
    assert out.returncode == 0, out.stdout[-3000:]


def test_incremental_build_after_a_new_delivery_equals_a_full_rebuild(built, tmp_path):
    home = Home(tmp_path / "incremental")
    shutil.copytree(built.root, home.root, symlinks=True)
    con = duckdb.connect(str(home.warehouse), read_only=True)
    provider = con.execute("select min(provider_id) from marts.fct_periods").fetchone()[0]
    period, start, hetu_source = con.execute(
        "select period_id, start_date, _file_id from raw.current_periods where provider_id = ? "
        "and end_date is null order by period_id limit 1", [provider]).fetchone()
    kpis_before = con.execute("select * from marts.fct_kpis order by all").fetchall()
    con.close()
    # the provider's system sends a new month: three present days of an ongoing period, for the
    # client (a test-range code) of its earlier delivery
    from flows.formats.reader import decode

    original = next(home.archive.glob(f"{hetu_source}.*")).read_bytes()
    text, _ = decode(original)
    code = next(c for c in valid_identity_codes(text))
    lines = ["y_tunnus;jakso_id;hetu;pvm;tila;tunnit"] + [
        f"{provider};{period};{code};{d}.11.2026;LASNA;4" for d in (2, 3, 4)]
    (home.inbox / f"{provider}_paivakirja_2026-11.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_ingest(home, validate=False).rows_loaded == 3
    result = build(home, "incremental", as_of=dt.date(2026, 11, 1))
    # only what the diary feeds is rebuilt, and tested; unit tests (code) are not rerun
    assert result.mode == "incremental" and "raw.attendance" in result.reason
    con = duckdb.connect(str(home.warehouse), read_only=True)
    built_now = dict(con.execute("select resource_type, count(*) from meta.dbt_results where run_id = 'incremental' "
                                 "group by 1").fetchall())
    # only the provider that sent data was rebuilt: everyone else's rows keep their old mark
    marks = dict(con.execute("select provider_id = ?, count(distinct built_load_seq) from marts.fct_attendance "
                             "group by 1", [provider]).fetchall())
    rebuilt = con.execute("select distinct provider_id from marts.fct_attendance where built_load_seq = "
                          "(select max(built_load_seq) from marts.fct_attendance)").fetchall()
    kpis = con.execute("select * from marts.fct_kpis order by all").fetchall()
    tests_now = {name for (name,) in con.execute(
        "select name from meta.dbt_results where run_id = 'incremental' and resource_type = 'test'").fetchall()}
    con.close()
    assert "unit_test" not in built_now and "seed" not in built_now
    # the rebuilt rows' data tests run, the check of the status CASE's value set (code) does not
    assert any(name.startswith("relationships_fct_attendance_provider_id") for name in tests_now)
    assert not any(name.startswith("accepted_values_fct_kpis_status") for name in tests_now)
    assert 10 <= built_now["model"] < 30 and "fct_feedback" not in str(built_now)
    assert marks == {True: 1, False: 1} and rebuilt == [(provider,)]
    assert kpis != kpis_before  # the new month counts
    incremental = mart_rows(home)
    full = build(home, "full", as_of=dt.date(2026, 11, 1), full_refresh=True)
    assert full.mode == "full" and full.models > built_now["model"]
    assert mart_rows(home) == incremental
    con = duckdb.connect(str(home.warehouse), read_only=True)
    assert con.execute("select count(*) from meta.dbt_results where run_id = 'full' "
                       "and name like 'accepted_values_fct_kpis_status%'").fetchone() == (1,)
    con.close()


def test_a_build_does_what_changed_and_nothing_when_nothing_did(built, tmp_path):
    from flows.build_plan import plan_build

    home = Home(tmp_path / "plans")
    shutil.copytree(built.root, home.root, symlinks=True)
    day = dt.date(2026, 11, 1)
    before = mart_rows(home)
    again = build(home, "again", as_of=day)
    assert again.mode == "none" and again.models == 0 and mart_rows(home) == before

    def plan(as_of=day, project=DBT_PROJECT):
        con = duckdb.connect(str(home.warehouse))
        try:
            return plan_build(con, project, as_of)
        finally:
            con.close()

    earlier = dt.date(2025, 12, 1)  # the year's documents not yet due, fewer final reports overdue
    assert plan(as_of=earlier).select == ["tag:as_of+"]
    # the date moving rebuilds the models that judge deadlines by it, and nothing else; the
    # findings (rebuilt provider by provider) move with it exactly as a full build's would
    moved = build(home, "moved", as_of=earlier)
    assert moved.mode == "incremental" and moved.models == 3
    after_move = mart_rows(home)
    assert after_move["fct_findings"] != before["fct_findings"]
    assert after_move["fct_deadlines"] != before["fct_deadlines"]
    build(home, "moved-full", as_of=earlier, full_refresh=True)
    assert mart_rows(home) == after_move
    project = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    seed = project / "seeds" / "kpi_thresholds.csv"
    seed.write_text(seed.read_text().replace("LAPPI_2025,FINAL_REPORT_ON_TIME,1.0", "LAPPI_2025,FINAL_REPORT_ON_TIME,0.9"))
    assert plan(project=project).mode == "full"
    con = duckdb.connect(str(home.warehouse))
    con.execute("update ref.providers set soteri_registered = not soteri_registered where provider_id = "
                "(select min(provider_id) from ref.providers)")
    con.close()
    changed_register = plan()
    assert changed_register.mode == "full" and "rekisteri" in changed_register.reason


def test_dbt_loads_while_another_process_holds_the_warehouse(built, tmp_path):
    from flows.build import prewarm

    home = Home(tmp_path / "warm")
    shutil.copytree(built.root, home.root, symlinks=True)
    holder = duckdb.connect(str(home.warehouse))  # the ingest of the same run, say
    try:
        worker = prewarm(home, dt.date(2026, 12, 1))
        assert worker.wait_ready(timeout=120)  # dbt imported and the project parsed meanwhile
    finally:
        holder.close()
    result = build(home, "warm", as_of=dt.date(2026, 12, 1))
    assert result.mode == "incremental" and result.models == 3  # the as-of date moved
    assert worker.process.returncode == 0  # the prewarmed process is the one that built
    con = duckdb.connect(str(home.warehouse), read_only=True)
    statuses = con.execute("select distinct status from meta.build_state where run_id = 'warm'").fetchall()
    con.close()
    assert statuses == [("ok",)]


def test_files_shows_the_published_manifest_while_a_run_holds_the_warehouse(built):
    writer = duckdb.connect(str(built.warehouse))  # a run in progress holds the write lock
    try:
        out = cli(built, "files", "--format", "csv")
    finally:
        writer.close()
    assert out.returncode == 0, out.stderr
    assert "viimeksi julkaistu" in out.stderr
    assert len(out.stdout.splitlines()) > 100
