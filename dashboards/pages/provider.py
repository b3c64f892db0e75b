"""Palveluntuottaja: one provider's KPIs and their trend, findings, open deadlines, staff-list checks
and its 31.3 package with the report files to download."""

from __future__ import annotations

from dash import html

from ..data import Warehouse
from ..ui import (
    RECORD_TYPES,
    bars,
    choice,
    fi,
    figure,
    filters,
    kpi_value,
    line,
    link,
    month_label,
    pct_axis,
    status_cell,
    table,
)
from .common import provider_filter, selected_year, year_filter

GRAINS = [("kk", "Kuukausittain"), ("nelj", "Neljännesvuosittain")]


def layout(wh: Warehouse, q: dict, home) -> list:
    providers = wh.providers()
    if not providers:
        return [html.H1("Palveluntuottaja"), html.P("Tietovarastossa ei ole palveluntuottajia.")]
    year = selected_year(wh, q)
    known = {p["provider_id"] for p in providers}
    active = [r["provider_id"] for r in wh.rows(
        "select distinct provider_id from marts.fct_kpis where year = ? order by 1", [year])]
    pid = q.get("tuottaja") if q.get("tuottaja") in known else (active or [providers[0]["provider_id"]])[0]
    p = next(x for x in providers if x["provider_id"] == pid)
    grain = q.get("jakso") if q.get("jakso") in dict(GRAINS) else "kk"
    kpis = wh.rows("select * from marts.fct_kpis where provider_id = ? and year = ? order by kpi", [pid, year])
    codes = [k["kpi"] for k in kpis]
    chosen = q.get("tunnusluku") if q.get("tunnusluku") in codes else next(
        (k["kpi"] for k in kpis if k["status"] == "POIKKEAMA"), codes[0] if codes else None)

    for k in kpis:
        k["_row_id"] = f"kpi-{k['kpi']}"
    kpi_table = table(kpis, [
        ("kpi", "Tunnus", lambda r: link("/palveluntuottaja", r["kpi"], tuottaja=pid, vuosi=year,
                                         tunnusluku=r["kpi"], jakso=grain)),
        ("name_fi", "Tunnusluku", "text"), ("clause", "Sopimuskohta", "text"),
        ("numerator", "Osoittaja", "num"), ("denominator", "Nimittäjä", "num"),
        ("value", "Arvo", lambda r: kpi_value(r["kpi"], r["value"])),
        ("threshold", "Raja", lambda r: kpi_value(r["kpi"], r["threshold"])),
        ("status", "Tila", lambda r: status_cell(r["status"]))],
        f"Tunnusluvut {year}", table_id="provider-kpis",
        row_class=lambda r: "selected" if r["kpi"] == chosen else None)

    content = [
        html.H1(f"{p['provider_name']} ({pid})"),
        filters(provider_filter(wh, pid, allow_all=False), year_filter(wh, year),
                choice("jakso", "Kehitys", GRAINS, grain, radio=True)),
        html.P(f"{wh.labels('rule_set').get(p['rule_set'], p['rule_set'])}; sopimus {p['contract_id']}; "
               f"{p['legal_form_fi']}; Soteri-rekisterissä: {'kyllä' if p['soteri_registered'] else 'ei'}.",
               className="lead"),
        html.H2("Tunnusluvut"), kpi_table,
    ]
    if chosen:
        content += _trend(wh, pid, year, chosen, grain, next(k for k in kpis if k["kpi"] == chosen))
    content += _findings(wh, pid, year, chosen) + _deadlines(wh, pid) + _staff(wh, pid, year)
    content += _package(wh, pid, year, home)
    return content


def _trend(wh: Warehouse, pid: str, year: int, kpi: str, grain: str, row: dict) -> list:
    group = "month" if grain == "kk" else "quarter"
    rows = wh.rows(f"select {group} as period, sum(numerator) as numerator, sum(denominator) as denominator "
                   f"from marts.fct_kpi_months where provider_id = ? and year = ? and kpi = ? "
                   f"group by 1 order by 1", [pid, year, kpi])
    scale = next(d["value_scale"] for d in wh.kpi_definitions() if d["kpi"] == kpi)
    for r in rows:
        r["value"] = r["numerator"] / r["denominator"] * scale if r["denominator"] else None
        r["label"] = month_label(r["period"]) if grain == "kk" else f"Q{r['period']}"
    title = f"{row['name_fi']} {year} {'kuukausittain' if grain == 'kk' else 'neljännesvuosittain'}"
    is_share = kpi not in ("SATISFACTION_MEAN", "NPS", "INCIDENTS_PER_1000_DAYS")
    fig = line([r["label"] for r in rows], {row["name_fi"]: [r["value"] for r in rows]},
               "Osuus" if is_share else "Arvo", text_kind="pct" if is_share else "num2")
    if is_share:
        pct_axis(fig)
    if not rows:
        return [html.H2("Kehitys"), html.P("Tunnusluvulla ei ole päivättyjä laskentayksiköitä.", className="note")]
    return [html.H2("Kehitys"), figure(fig, title, "Samat luvut ovat taulukossa kuvan alla.", "provider-trend"),
            table(rows, [("label", "Jakso", "text"), ("numerator", "Osoittaja", "num"),
                         ("denominator", "Nimittäjä", "num"),
                         ("value", "Arvo", lambda r: kpi_value(kpi, r["value"]))], title,
                  table_id="provider-trend-table")]


def _findings(wh: Warehouse, pid: str, year: int, chosen: str | None) -> list:
    rows = wh.rows("select rule, record_type, record_id, client_pseudonym, finding_date, clause, description_fi "
                   "from marts.fct_findings where provider_id = ? and year = ? order by rule, finding_date, record_id",
                   [pid, year])
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["rule"]] = counts.get(r["rule"], 0) + 1
        r["record_type_fi"] = RECORD_TYPES.get(r["record_type"], r["record_type"])
    summary = [{"rule": k, "n": v} for k, v in sorted(counts.items(), key=lambda x: -x[1])]
    chart = figure(bars([s["rule"] for s in summary], {"Havaintoja": [s["n"] for s in summary]}, "Havaintoja",
                        orientation="h"), f"Havainnot säännöittäin {year}",
                   "Samat luvut ovat taulukossa kuvan alla.", "provider-findings-chart") if summary else html.Div()
    # the cases behind the chosen KPI when it has any, else all (the full list: valvonta findings)
    cases = [r for r in rows if r["rule"] == chosen] or rows
    caption = f"Havainnot tapauksittain: {chosen}" if cases is not rows else "Havainnot tapauksittain"
    return [html.H2("Havainnot"), chart,
            table(summary, [("rule", "Sääntö", "text"), ("n", "Havaintoja", "count")], "Havainnot säännöittäin"),
            table(cases, [("rule", "Sääntö", "text"), ("record_type_fi", "Laji", "text"),
                         ("record_id", "Tunniste", "text"),
                         ("client_pseudonym", "Asiakkaan pseudonyymi", "text"), ("finding_date", "Päivä", "date"),
                         ("clause", "Sopimuskohta", "text"), ("description_fi", "Kuvaus", "text")],
                  caption, table_id="provider-findings", limit=100)]


def _deadlines(wh: Warehouse, pid: str) -> list:
    rows = wh.rows("select record_type, record_id, client_pseudonym, deadline, due_date, overdue_as_of_build "
                   "from marts.fct_deadlines where provider_id = ? and done_date is null order by due_date",
                   [pid])
    names = {"PLAN": "toteuttamissuunnitelma", "FINAL_REPORT": "loppuyhteenveto", "INTERIM_REPORT": "väliraportti",
             "REPLY": "vastaus palautteeseen", "REPORT_TO_COUNTY": "ilmoitus tilaajalle"}
    for r in rows:
        r["deadline_fi"] = names.get(r["deadline"], r["deadline"])
        r["record_type_fi"] = RECORD_TYPES.get(r["record_type"], r["record_type"])
    return [html.H2("Avoimet määräajat"), table(rows, [
        ("deadline_fi", "Määräaika", "text"), ("record_type_fi", "Laji", "text"), ("record_id", "Tunniste", "text"),
        ("client_pseudonym", "Asiakkaan pseudonyymi", "text"), ("due_date", "Eräpäivä", "date"),
        ("overdue_as_of_build", "Tila", lambda r: status_cell("MISSING", "myöhässä") if r["overdue_as_of_build"]
         else status_cell("NOT_DUE", "avoinna"))], "Tekemättömät määräajat", limit=100,
        empty="Ei avoimia määräaikoja.")]


def _staff(wh: Warehouse, pid: str, year: int) -> list:
    rows = wh.rows("select staff_id, as_of_date, role, education_level, target_group_experience_years, "
                   "role_has_bar, meets_role_bar, experienced, works_with_minors, criminal_record_checked_date "
                   "from marts.fct_staff_snapshots where provider_id = ? and list_year = ? and on_latest_list_of_year "
                   "order by role, staff_id", [pid, year])
    roles = wh.labels("role")
    for r in rows:
        r["role_fi"] = roles.get(r["role"], r["role"])
    date = fi(rows[0]["as_of_date"], "date") if rows else "–"
    return [html.H2("Henkilöstöluettelon tarkistukset"), table(rows, [
        ("staff_id", "Tunniste", "text"), ("role_fi", "Tehtävä", "text"),
        ("target_group_experience_years", "Kokemus v", "num1"),
        ("meets_role_bar", "Kelpoisuus", lambda r: status_cell("OK", "täyttyy") if r["meets_role_bar"] else (
            status_cell("POIKKEAMA", "ei täyty") if r["role_has_bar"] else status_cell("TIETO", "ei vaatimusta"))),
        ("experienced", "Vähintään vuoden kokemus", lambda r: status_cell("OK", "kyllä") if r["experienced"]
         else status_cell("TIETO", "ei")),
        ("criminal_record_checked_date", "Rikostaustaote", lambda r: (
            status_cell("OK", f"tarkistettu {fi(r['criminal_record_checked_date'], 'date')}")
            if r["criminal_record_checked_date"] else status_cell("POIKKEAMA", "puuttuu"))
         if r["works_with_minors"] else "ei alaikäisiä")],
        f"Viimeisin henkilöstöluettelo {date}", table_id="provider-staff",
        empty=f"Vuodelta {year} ei ole henkilöstöluetteloa.")]


def _package(wh: Warehouse, pid: str, year: int, home) -> list:
    rows = wh.rows("select item_no, label_fi, due_date, received_date, status, status_fi "
                   "from marts.fct_annual_package where provider_id = ? and reporting_year = ? order by item_no",
                   [pid, year])
    folder = home.reports / str(year)
    files = []
    for suffix, label in ((".pdf", "PDF"), (".xlsx", "Excel"), (".html", "HTML")):
        name = f"{pid}_vuosiraportti_{year}{suffix}"
        if (folder / name).exists():
            files.append(html.Li(html.A(f"Vuosiraportti {year} ({label})", href=f"/raportit/{year}/{name}")))
    return [html.H2(f"Vuosiraportointi 31.3.{year + 1}"), table(rows, [
        ("item_no", "Nro", "int"), ("label_fi", "Asiakirja", "text"), ("due_date", "Määräpäivä", "date"),
        ("received_date", "Saapunut", "date"), ("status", "Tila", lambda r: status_cell(r["status"], r["status_fi"]))],
        f"Vuoden {year} asiakirjat", table_id="provider-package",
        empty=f"Vuodelta {year} ei ole vaadittuja asiakirjoja."),
        html.H3("Raporttitiedostot"),
        html.Ul(files) if files else html.P(f"Vuoden {year} vuosiraporttia ei ole vielä tehty "
                                            f"(valvonta report --year {year}).", className="note")]
