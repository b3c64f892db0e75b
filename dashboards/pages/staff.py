"""Henkilöstö: staff-list compliance per provider (no names: those stay in the provider's own package)."""

from __future__ import annotations

from dash import html

from ..data import Warehouse
from ..ui import bars, figure, filters, pct_axis, status_cell, table
from .common import rule_set_filter, selected, selected_year, year_filter

STAFF_KPIS = ("STAFF_EXPERIENCE_TWO_THIRDS", "STAFF_QUALIFIED", "MINORS_RECORD_CHECKED")


def layout(wh: Warehouse, q: dict, home) -> list:
    year = selected_year(wh, q)
    rule_set = selected(q, "saannot")
    providers = wh.providers(rule_set)
    rows = wh.rows("""
        select p.provider_id, p.provider_name, any_value(s.as_of_date) as list_date, count(s.staff_id) as staff,
            count(*) filter (where s.experienced) as experienced,
            count(*) filter (where s.role_has_bar) as with_bar,
            count(*) filter (where s.role_has_bar and s.meets_role_bar) as qualified,
            count(*) filter (where s.works_with_minors) as with_minors,
            count(*) filter (where s.works_with_minors and s.criminal_record_checked_date is not null) as checked
        from marts.dim_providers as p
        left join marts.fct_staff_snapshots as s
            on p.provider_id = s.provider_id and s.list_year = ? and s.on_latest_list_of_year
        where p.provider_id in (select unnest(?::varchar[]))
        group by 1, 2 order by 2""", [year, [p["provider_id"] for p in providers]])
    statuses = {(k["provider_id"], k["kpi"]): k["status"] for k in wh.rows(
        "select provider_id, kpi, status from marts.fct_kpis where year = ? and kpi in (select unnest(?::varchar[]))",
        [year, list(STAFF_KPIS)])}
    for r in rows:
        r["experienced_share"] = r["experienced"] / r["staff"] if r["staff"] else None
        r["qualified_share"] = r["qualified"] / r["with_bar"] if r["with_bar"] else None
    chart = figure(pct_axis(bars([r["provider_name"] for r in rows],
                                 {"Kokeneiden osuus": [r["experienced_share"] for r in rows],
                                  "Kelpoisten osuus": [r["qualified_share"] for r in rows]}, "Osuus",
                                 text_kind="pct")),
                   f"Henkilöstön kokemus ja kelpoisuus {year}", "Luvut ja tilat ovat taulukossa kuvan alla.",
                   "staff-chart")

    def status(kpi):
        return lambda r: status_cell(statuses.get((r["provider_id"], kpi)))

    return [
        html.H1(f"Henkilöstö {year}"),
        filters(rule_set_filter(wh, rule_set), year_filter(wh, year)),
        html.P("Vuoden viimeisimmän henkilöstöluettelon tarkistukset palvelukuvauksen 5.4 mukaan: vähintään kaksi "
               "kolmasosaa kokeneita, tehtävien kelpoisuus ja alaikäisten kanssa työskentelevien rikostaustaote.",
               className="lead"),
        chart,
        table(rows, [("provider_name", "Palveluntuottaja", "text"), ("list_date", "Luettelo", "date"),
                     ("staff", "Henkilöitä", "count"), ("experienced_share", "Kokeneita", "pct"),
                     ("exp", "Kaksi kolmasosaa kokeneita", status("STAFF_EXPERIENCE_TWO_THIRDS")),
                     ("qualified_share", "Kelpoisia", "pct"), ("q", "Kelpoisuus", status("STAFF_QUALIFIED")),
                     ("checked", "Rikostaustaote tarkistettu", "count"),
                     ("with_minors", "Alaikäisten kanssa", "count"),
                     ("m", "Rikostaustaotteet", status("MINORS_RECORD_CHECKED"))],
              f"Henkilöstöluettelot {year}", table_id="staff-table"),
    ]
