"""Yleiskuva: all providers × KPI statuses for a year; a cell opens the provider at that KPI."""

from __future__ import annotations

from html import escape

from dash import html

from flows.reports.model import STATUS_CSS

from ..data import Warehouse
from ..ui import STATUS_TEXT, Raw, bars, figure, filters, html_table, link, table
from .common import product_filter, rule_set_filter, selected, selected_year, year_filter


def layout(wh: Warehouse, q: dict, home) -> list:
    year = selected_year(wh, q)
    rule_set, product = selected(q, "saannot"), selected(q, "tuote")
    providers = wh.providers(rule_set, product)
    ids = [p["provider_id"] for p in providers]
    kpis = wh.rows("select provider_id, kpi, status, numerator, denominator, value from marts.fct_kpis "
                   "where year = ? and provider_id in (select unnest(?::varchar[]))", [year, ids])
    definitions = [d for d in wh.kpi_definitions() if d["has_threshold"]]
    present = {k["kpi"] for k in kpis}
    codes = [d for d in definitions if d["kpi"] in present]
    by_cell = {(k["provider_id"], k["kpi"]): k for k in kpis}

    header = ["Palveluntuottaja"] + [Raw(f'<abbr title="{escape(d["name_fi"])}">T{i}</abbr>')
                                     for i, d in enumerate(codes, start=1)]
    body, css, summary = [], [], []
    for p in providers:
        cells = [link("/palveluntuottaja", p["provider_name"], tuottaja=p["provider_id"], vuosi=year)]
        classes = [""]
        deviations = computed = 0
        for d in codes:
            k = by_cell.get((p["provider_id"], d["kpi"]))
            if k is None:
                cells.append("ei sov.")
                classes.append("status none")
                continue
            computed += k["status"] != "EI_DATAA"
            deviations += k["status"] == "POIKKEAMA"
            cells.append(link("/palveluntuottaja", STATUS_TEXT[k["status"]], tuottaja=p["provider_id"], vuosi=year,
                              tunnusluku=d["kpi"]))
            classes.append(f"status {STATUS_CSS[k['status']]}")
        body.append(cells)
        css.append(classes)
        summary.append({"provider": p["provider_name"], "computed": computed, "deviations": deviations})

    chart = figure(
        bars([s["provider"] for s in summary], {"Poikkeamia": [s["deviations"] for s in summary]},
             "Poikkeamien lukumäärä", orientation="h"),
        f"Poikkeamat palveluntuottajittain {year}", "Samat luvut ovat taulukossa kuvan alla.", "overview-chart")
    legend = [{"short": f"T{i}", "name": d["name_fi"], "clause": d["clause"]} for i, d in enumerate(codes, start=1)]
    total_dev = sum(s["deviations"] for s in summary)
    return [
        html.H1(f"Yleiskuva {year}"),
        filters(rule_set_filter(wh, rule_set), year_filter(wh, year), product_filter(wh, product)),
        html.P(f"Palveluntuottajia {len(providers)}; tunnuslukuja laskettu {sum(s['computed'] for s in summary)}, "
               f"joista poikkeamia {total_dev}.", id="overview-summary", className="lead"),
        html.H2("Tunnuslukujen tila"),
        html.P("Solun teksti kertoo tilan: OK = raja täyttyy, POIKKEAMA = ei täyty, ei dataa = ei laskettavaa, "
               "ei sov. = ei koske tuottajaa. Solu avaa palveluntuottajan sivun kyseiseen tunnuslukuun.",
               className="note"),
        html_table(f"Palveluntuottajat × tunnusluvut {year}", header, body, "kpi-matrix", css="data matrix",
                   cell_css=css, row_headers=True),
        table(legend, [("short", "Lyhenne", "text"), ("name", "Tunnusluku", "text"),
                       ("clause", "Sopimuskohta", "text")], "Tunnuslukujen selite"),
        html.H2("Poikkeamat"),
        chart,
        table(summary, [("provider", "Palveluntuottaja", "text"), ("computed", "Tunnuslukuja laskettu", "count"),
                        ("deviations", "Poikkeamia", "count")], f"Poikkeamat palveluntuottajittain {year}",
              table_id="overview-table"),
    ]
