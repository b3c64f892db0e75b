"""Vaaratapahtumat: incidents by kind, severity and month, reporting delays and actions done.
Incident descriptions are not in the marts and never shown."""

from __future__ import annotations

from dash import html

from ..data import Warehouse
from ..ui import bars, figure, filters, month_label, table
from .common import provider_filter, selected, selected_year, year_filter


def layout(wh: Warehouse, q: dict, home) -> list:
    year = selected_year(wh, q)
    provider = selected(q, "tuottaja")
    scope, params = ("and provider_id = ?", [provider]) if provider else ("", [])
    kinds = wh.labels("incident_kind")
    by_kind = wh.rows(f"""
        select incident_kind, count(*) as n,
            {', '.join(f"count(*) filter (where severity = {s}) as s{s}" for s in range(4))},
            median(report_days) as median_report,
            count(*) filter (where report_days <= 7) / count(*) as report_share,
            count(*) filter (where action_completed_date is not null) as actions_done
        from marts.fct_incidents where occurred_year = ? {scope} group by 1 order by 1""", [year, *params])
    for r in by_kind:
        r["kind_fi"] = kinds.get(r["incident_kind"], r["incident_kind"])
    by_month = wh.rows(f"""
        select month(occurred_date) as month, count(*) as n, median(report_days) as median_report
        from marts.fct_incidents where occurred_year = ? {scope} group by 1 order by 1""", [year, *params])
    for r in by_month:
        r["label"] = month_label(r["month"])
    severity_chart = figure(
        bars([r["kind_fi"] for r in by_kind], {f"Vakavuus {s}": [r[f"s{s}"] for r in by_kind] for s in range(4)},
             "Tapahtumia", stacked=True),
        f"Vaaratapahtumat lajin ja vakavuuden mukaan {year}",
        "Vakavuusluokat erottuvat kuvioinnista ja selitteestä; luvut ovat taulukossa kuvan alla.",
        "incidents-severity-chart")
    month_chart = figure(bars([r["label"] for r in by_month], {"Tapahtumia": [r["n"] for r in by_month]},
                              "Tapahtumia"), f"Vaaratapahtumat kuukausittain {year}",
                         "Luvut ovat taulukossa kuvan alla.", "incidents-month-chart")
    total = sum(r["n"] for r in by_kind)
    return [
        html.H1(f"Vaaratapahtumat {year}"),
        filters(year_filter(wh, year), provider_filter(wh, provider)),
        html.P(f"Vaaratapahtumia ja uhkatilanteita {total}; kehittämistoimi toteutettu "
               f"{sum(r['actions_done'] for r in by_kind)} tapahtumassa.", id="incidents-summary", className="lead"),
        severity_chart,
        table(by_kind, [("kind_fi", "Laji", "text"), ("n", "Yhteensä", "count")]
              + [(f"s{s}", f"Vakavuus {s}", "count") for s in range(4)]
              + [("median_report", "Ilmoitusaika mediaani pv", "num1"), ("report_share", "Ilmoitettu 7 pv:ssä", "pct"),
                 ("actions_done", "Kehittämistoimi tehty", "count")], f"Vaaratapahtumat lajeittain {year}",
              table_id="incidents-table"),
        month_chart,
        table(by_month, [("label", "Kuukausi", "text"), ("n", "Tapahtumia", "count"),
                         ("median_report", "Ilmoitusaika mediaani pv", "num1")], "Vaaratapahtumat kuukausittain"),
    ]
