"""Osallistuminen: attendance, absences, remote share, hours and group sizes over the months."""

from __future__ import annotations

from dash import html

from ..data import Warehouse
from ..ui import bars, figure, filters, line, month_label, pct_axis, table
from .common import product_filter, provider_filter, selected, selected_year, year_filter

STATUSES = ["LASNA", "POISSA_SAIRAUS", "POISSA_MUU", "POISSA_ILMOITTAMATTA", "PERUUTUS_ASIAKAS", "PERUUTUS_TUOTTAJA"]


def _where(year: int, provider: str | None, product: str | None) -> tuple[str, list]:
    sql, params = "where attendance_year = ? and period_known", [year]
    if provider:
        sql += " and provider_id = ?"
        params.append(provider)
    if product:
        sql += " and service_product = ?"
        params.append(product)
    return sql, params


def layout(wh: Warehouse, q: dict, home) -> list:
    year = selected_year(wh, q)
    provider, product = selected(q, "tuottaja"), selected(q, "tuote")
    where, params = _where(year, provider, product)
    monthly = wh.rows(f"""
        select month(attendance_date) as month,
            {', '.join(f"count(*) filter (where status = '{s}') as {s.lower()}" for s in STATUSES)},
            count(distinct (period_id, attendance_date)) filter (where status = 'LASNA') as present_days,
            count(*) filter (where status = 'LASNA' and mode = 'ETA') as remote_rows,
            avg(hours) filter (where status = 'LASNA') as mean_hours
        from marts.fct_attendance {where} group by 1 order by 1""", params)
    labels = wh.labels("attendance_status")
    for r in monthly:
        r["label"] = month_label(r["month"])
        scheduled = sum(r[s.lower()] for s in STATUSES[:5])
        r["attendance_rate"] = r["lasna"] / scheduled if scheduled else None
        r["remote_share"] = r["remote_rows"] / r["lasna"] if r["lasna"] else None
    sizes = wh.rows(f"""
        with sessions as (
            select group_id, attendance_date, count(distinct client_pseudonym) as size
            from marts.fct_attendance {where} and status = 'LASNA' and group_id is not null
            group by 1, 2)
        select size, count(*) as sessions from sessions group by 1 order by 1""", params)
    x = [r["label"] for r in monthly]
    status_chart = figure(
        bars(x, {labels.get(s, s): [r[s.lower()] for r in monthly] for s in STATUSES}, "Merkintöjä", stacked=True),
        f"Päiväkirjamerkinnät tilan mukaan {year}", "Sarjat erottuvat kuvioinnista ja selitteestä; luvut "
        "ovat taulukossa kuvan alla.", "attendance-status-chart")
    share_chart = figure(
        pct_axis(line(x, {"Osallistumisaste": [r["attendance_rate"] for r in monthly],
                          "Etäosuus": [r["remote_share"] for r in monthly]}, "Osuus", text_kind="pct")),
        f"Osallistumisaste ja etäosuus {year}", "Luvut ovat taulukossa kuvan alla.", "attendance-share-chart")
    size_chart = figure(
        bars([str(r["size"]) for r in sizes], {"Ryhmäkertoja": [r["sessions"] for r in sizes]}, "Ryhmäkertoja"),
        f"Ryhmäkertojen koko (läsnä olleet asiakkaat) {year}", "Luvut ovat taulukossa kuvan alla.",
        "attendance-size-chart")
    total_present = sum(r["present_days"] for r in monthly)
    return [
        html.H1(f"Osallistuminen {year}"),
        filters(year_filter(wh, year), provider_filter(wh, provider), product_filter(wh, product)),
        html.P(f"Läsnäolopäiviä {total_present:,}".replace(",", "\u00a0") + f"; ryhmäkertoja "
               f"{sum(r['sessions'] for r in sizes):,}".replace(",", "\u00a0") + ".", id="attendance-summary",
               className="lead"),
        status_chart,
        table(monthly, [("label", "Kuukausi", "text")] + [(s.lower(), labels.get(s, s), "count") for s in STATUSES],
              "Päiväkirjamerkinnät kuukausittain", table_id="attendance-table"),
        share_chart,
        table(monthly, [("label", "Kuukausi", "text"), ("present_days", "Läsnäolopäiviä", "count"),
                        ("attendance_rate", "Osallistumisaste", "pct"), ("remote_share", "Etäosuus", "pct"),
                        ("mean_hours", "Tunteja / läsnäolo", "num1")], "Osallistumisaste, etäosuus ja tunnit"),
        size_chart,
        table(sizes, [("size", "Läsnä olleita", "int"), ("sessions", "Ryhmäkertoja", "count")],
              "Ryhmäkertojen koko", empty="Ei ryhmäkertoja valituilla rajauksilla."),
    ]
