"""Tiedon laatu: runs, files received, rows quarantined by provider and reason, and the Great
Expectations and dbt test results of each run."""

from __future__ import annotations

from dash import html

from ..data import Warehouse
from ..ui import bars, figure, filters, status_cell, table
from .common import provider_filter, selected


def layout(wh: Warehouse, q: dict, home) -> list:
    provider = selected(q, "tuottaja")
    scope, params = ("where provider_id = ?", [provider]) if provider else ("", [])
    runs = wh.rows("select run_id, command, started_at, finished_at, status, files_seen, files_loaded, files_rejected, "
                   "rows_read, rows_loaded, rows_quarantined, reconciled from meta.runs order by started_at desc")
    files = wh.rows(f"""
        select f.provider_id, coalesce(p.provider_name, f.provider_id, 'tunnistamaton') as provider_name,
            count(*) as files, count(*) filter (where f.status = 'rejected') as rejected,
            sum(f.rows_read) as rows_read, sum(f.rows_loaded) as rows_loaded,
            sum(f.rows_quarantined) as rows_quarantined
        from meta.files as f left join marts.dim_providers as p on f.provider_id = p.provider_id
        {scope.replace('provider_id', 'f.provider_id')} group by 1, 2 order by 2""", params)
    reasons = wh.rows(f"""
        select coalesce(provider_id, 'tunnistamaton') as provider_id, rule, any_value(reason_fi) as reason_fi,
            count(*) as rows
        from meta.quarantine {scope} group by 1, 2 order by 4 desc, 1, 2""", params)
    expectations = wh.rows("""
        select run_id, kind, count(*) as checks, count(*) filter (where not success) as failed,
            sum(unexpected_count) as unexpected
        from meta.expectation_results group by 1, 2 order by 1 desc, 2""")
    dbt = wh.rows("""
        select run_id, count(*) filter (where resource_type in ('test', 'unit_test')) as tests,
            count(*) filter (where resource_type in ('test', 'unit_test') and status = 'pass') as passed,
            count(*) filter (where resource_type in ('test', 'unit_test') and status = 'warn') as warned,
            count(*) filter (where resource_type in ('test', 'unit_test') and status in ('fail', 'error')) as failed,
            count(*) filter (where resource_type = 'model') as models, max(built_at) as built_at
        from meta.dbt_results group by 1 order by built_at desc""")
    by_rule: dict[str, int] = {}
    for r in reasons:
        by_rule[r["rule"]] = by_rule.get(r["rule"], 0) + r["rows"]
    chart = figure(bars(list(by_rule), {"Hylättyjä rivejä": list(by_rule.values())}, "Rivejä", orientation="h"),
                   "Hylätyt rivit syittäin", "Luvut ovat taulukoissa kuvan alla.", "quality-chart")
    return [
        html.H1("Tiedon laatu"),
        filters(provider_filter(wh, provider)),
        html.H2("Ajot"),
        table(runs, [("run_id", "Ajo", "text"),
                     ("started_at", "Alkoi", lambda r: f"{r['started_at']:%-d.%-m.%Y %H.%M}"),
                     ("status", "Tila", "text"), ("files_seen", "Tiedostoja", "count"),
                     ("files_rejected", "Hylätty kokonaan", "count"), ("rows_read", "Rivejä luettu", "count"),
                     ("rows_loaded", "Ladattu", "count"), ("rows_quarantined", "Karanteeniin", "count"),
                     ("reconciled", "Täsmäytys", lambda r: status_cell("OK", "täsmää") if r["reconciled"]
                      else status_cell("POIKKEAMA", "ei täsmää"))], "Sisäänluvut", table_id="quality-runs",
              limit=50),
        html.H2("Tiedostot ja hylätyt rivit"), chart,
        table(files, [("provider_name", "Palveluntuottaja", "text"), ("files", "Tiedostoja", "count"),
                      ("rejected", "Hylätty kokonaan", "count"), ("rows_read", "Rivejä luettu", "count"),
                      ("rows_loaded", "Ladattu", "count"), ("rows_quarantined", "Hylätty", "count")],
              "Tiedostot palveluntuottajittain", table_id="quality-files"),
        table(reasons, [("provider_id", "Y-tunnus", "text"), ("rule", "Sääntö", "text"), ("reason_fi", "Syy", "text"),
                        ("rows", "Rivejä", "count")], "Hylätyt rivit palveluntuottajittain ja syittäin",
              table_id="quality-reasons", empty="Ei hylättyjä rivejä."),
        html.H2("Laatutarkistukset"),
        table(expectations, [("run_id", "Ajo", "text"), ("kind", "Tiedostolaji", "text"),
                             ("checks", "Tarkistuksia", "count"), ("failed", "Epäonnistui", "count"),
                             ("unexpected", "Poikkeavia arvoja", "count")],
              "Great Expectations -tarkistukset ajoittain", limit=100,
              empty="Tarkistuksia ei ole ajettu (valvonta ingest --no-validate)."),
        table(dbt, [("run_id", "Ajo", "text"), ("models", "Malleja", "count"), ("tests", "Testejä", "count"),
                    ("passed", "Läpi", "count"), ("warned", "Varoituksia", "count"),
                    ("failed", "Epäonnistui", "count")],
              "dbt-testit ajoittain", table_id="quality-dbt"),
    ]
