"""The county summary for the yearly monitoring meeting, and its public variant.

All providers side by side: how complete their 31.3 packages are, a providers × KPIs matrix
(colour and text), the main findings, the change from last year, and a draft agenda per provider
built from its deviations and open findings.

The public variant protects small numbers: a count of 1–4 is shown as "< 5" and a figure computed
from such a count (a share, a status) is suppressed. It holds no client pseudonyms, no record ids
and no agenda; provider names are organisations, not persons.
"""

from __future__ import annotations

import datetime as dt

from .model import (
    SMALL_COUNT_LABEL,
    SUPPRESSED_LABEL,
    Column,
    Fmt,
    Report,
    Section,
    Status,
    Table,
    fi_date,
    format_value,
)
from .package import kpi_status, kpi_value_kind, package_status
from .source import ReportSource

MATRIX_TEXT = {"OK": "OK", "POIKKEAMA": "POIK", "EI_DATAA": "–", "TIETO": "i"}
NOT_APPLICABLE = "ei sov."
# Findings that stay open until the provider acts: they go on the agenda even without a KPI deviation.
OPEN_FINDINGS = ("ANNUAL_DOCUMENT_MISSING", "FINAL_REPORT_OVERDUE", "COMPANY_REHABILITATIVE_WORK",
                 "SOTERI_REGISTRATION_MISSING", "ATTENDANCE_ON_WEEKEND", "ATTENDANCE_ON_HOLIDAY",
                 "ATTENDANCE_OUTSIDE_PERIOD", "ATTENDANCE_UNKNOWN_PERIOD")


def is_small(n: float | None) -> bool:
    return n is not None and 0 < abs(n) < 5


def count_cell(n: int | None, public: bool):
    return SMALL_COUNT_LABEL if public and is_small(n) else n


def kpi_is_protected(row: dict) -> bool:
    """A KPI figure rests on a small count when its numerator, denominator or their difference is 1–4."""
    num, den = row["numerator"], row["denominator"]
    if is_small(den) or is_small(num):
        return True
    share_kpi = kpi_value_kind(row["kpi"]) == "pct"
    return share_kpi and num is not None and den is not None and is_small(den - num)


def _kpi_codes(src: ReportSource) -> list[str]:
    """KPIs with a threshold, in the order of the definitions seed."""
    seen = {r["kpi"] for rows in src.kpis.values() for r in rows if r["year"] == src.year}
    return [k for k, d in src.kpi_names.items() if d["has_threshold"] and k in seen]


def completeness_section(src: ReportSource, as_of: dt.date, public: bool) -> Section:
    rows = []
    for p in src.providers:
        statuses = [package_status(r, as_of).code for r in src.package.get(p["provider_id"], [])]
        owed = len(statuses)
        on_time, late = statuses.count("ON_TIME"), statuses.count("LATE")
        missing = statuses.count("MISSING") + statuses.count("PENDING")
        overall = (Status("kaikki saapuneet ajoissa", "ON_TIME") if owed and on_time == owed else
                   Status("puutteita", "MISSING") if missing and as_of > dt.date(src.year + 1, 3, 31) else
                   Status("kesken", "PENDING") if missing else
                   Status("myöhästyneitä", "LATE") if late else Status("ei asiakirjoja", "SUPPRESSED"))
        rows.append((p["provider_name"], p["provider_id"], count_cell(owed, public),
                     count_cell(on_time, public), count_cell(late, public), count_cell(missing, public), overall))
    text = (f"Vuoden {src.year} asiakirjat, määräpäivä 31.3.{src.year + 1}; tilanne {fi_date(as_of)}. "
            "Kohdat 1–4 koskevat kaikkia, 5–7 Soteri-rekisteröityjä palveluntuottajia.")
    return Section("completeness", "Vuosiraportoinnin asiakirjat", [text], [Table(
        "Asiakirjojen tilanne palveluntuottajittain",
        [Column("Palveluntuottaja", "text", 28), Column("Y-tunnus", "text", 12), Column("Vaadittu", "count"),
         Column("Ajoissa", "count"), Column("Myöhässä", "count"), Column("Puuttuu", "count"),
         Column("Tilanne", "status", 24)], rows, sheet="Asiakirjat")])


def matrix_section(src: ReportSource, public: bool) -> Section:
    codes = _kpi_codes(src)
    rows = []
    for p in src.providers:
        by_kpi = {r["kpi"]: r for r in src.kpis.get(p["provider_id"], []) if r["year"] == src.year}
        cells = []
        for code in codes:
            r = by_kpi.get(code)
            if r is None:
                cells.append(Status(NOT_APPLICABLE, "SUPPRESSED"))
            elif public and kpi_is_protected(r):
                cells.append(Status(SUPPRESSED_LABEL, "SUPPRESSED"))
            else:
                cells.append(Status(MATRIX_TEXT[r["status"]], r["status"]))
        rows.append((p["provider_name"], *cells))
    legend = [(f"T{i}", code, src.kpi_names[code]["name_fi"], src.kpi_names[code]["clause"])
              for i, code in enumerate(codes, start=1)]
    text = ("Tunnuslukujen tila palveluntuottajittain. Teksti kertoo tilan myös ilman värejä: OK = raja täyttyy "
            "(vihreä), POIK = poikkeama (punainen), – = ei dataa (harmaa), ei sov. = tunnuslukua ei lasketa "
            "tuottajalle (ei sääntökokonaisuudessa tai ei toimintaa vuonna).")
    if public:
        text += f" '{SUPPRESSED_LABEL}' = luku perustuu alle viiteen tapaukseen, eikä sitä näytetä."
    return Section("matrix", "Tunnuslukujen tila", [text], [
        Table("Palveluntuottajat × tunnusluvut",
              [Column("Palveluntuottaja", "text", 24)]
              + [Column(f"T{i}", "status", 6) for i in range(1, len(codes) + 1)],
              rows, sheet="Tunnuslukumatriisi"),
        Table("Tunnuslukujen selite", [Column("Lyhenne", "text", 8), Column("Tunnus", "text", 30),
                                        Column("Tunnusluku", "text", 40), Column("Sopimuskohta", "text", 16)],
              legend, sheet="Selite"),
    ], wide=True)


def findings_section(src: ReportSource, public: bool) -> Section:
    rows = []
    for p in src.providers:
        counts: dict[str, int] = {}
        for f in src.findings.get(p["provider_id"], []):
            counts[f["rule"]] = counts.get(f["rule"], 0) + 1
        for rule, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
            name = src.kpi_names.get(rule, {}).get("name_fi") or _rule_name(rule)
            rows.append((p["provider_name"], rule, name, count_cell(n, public)))
    return Section("findings", "Päähavainnot", [
        "Havainnot säännöittäin: poikkeamaan johtaneet tapaukset ja muut sopimuksen vastaiset seikat. "
        "Yksittäiset tapaukset ovat palveluntuottajan omassa vuosiraportissa."], [
        Table("Havainnot palveluntuottajittain", [Column("Palveluntuottaja", "text", 24), Column("Sääntö", "text", 30),
                                                   Column("Kuvaus", "text", 44), Column("Havaintoja", "count")],
              rows, sheet="Havainnot")])


RULE_NAMES = {
    "ANNUAL_DOCUMENT_MISSING": "31.3. asiakirja puuttui tai myöhästyi",
    "FINAL_REPORT_OVERDUE": "Päättyneen jakson loppuyhteenveto puuttuu",
    "COMPANY_REHABILITATIVE_WORK": "Kuntouttavaa työtoimintaa yritykseltä",
    "SOTERI_REGISTRATION_MISSING": "Soteri-rekisteröinti puuttuu tai tuote ei sopimuksessa",
    "ATTENDANCE_ON_WEEKEND": "Läsnäolo viikonloppuna",
    "ATTENDANCE_ON_HOLIDAY": "Läsnäolo arkipyhänä",
    "ATTENDANCE_OUTSIDE_PERIOD": "Läsnäolo jakson ulkopuolella",
    "ATTENDANCE_UNKNOWN_PERIOD": "Läsnäolo tuntemattomalla jaksolla",
    "PRODUCT_NOT_IN_CONTRACT": "Palvelutuote ei sopimuksessa",
}


def _rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, rule)


def change_section(src: ReportSource, public: bool) -> Section:
    changed, everything = [], []
    for p in src.providers:
        rows = src.kpis.get(p["provider_id"], [])
        before = {r["kpi"]: r for r in rows if r["year"] == src.year - 1}
        for r in rows:
            if r["year"] != src.year:
                continue
            b = before.get(r["kpi"])
            kind = kpi_value_kind(r["kpi"])
            hide_now = public and kpi_is_protected(r)
            hide_before = public and b is not None and kpi_is_protected(b)
            value_now = None if hide_now else r["value"]
            value_before = None if b is None or hide_before else b["value"]
            change = value_now - value_before if value_now is not None and value_before is not None else None
            row = (p["provider_name"], r["name_fi"],
                   Fmt(SUPPRESSED_LABEL if hide_before else value_before, kind),
                   Fmt(SUPPRESSED_LABEL if hide_now else value_now, kind),
                   Fmt(change, "num2" if kind != "pct" else "pct"),
                   Status(SUPPRESSED_LABEL, "SUPPRESSED") if hide_before else
                   kpi_status(b["status"]) if b else Status("ei tietoa", "SUPPRESSED"),
                   Status(SUPPRESSED_LABEL, "SUPPRESSED") if hide_now else kpi_status(r["status"]))
            everything.append(row)
            if b is not None and b["status"] != r["status"] and not (hide_now or hide_before):
                changed.append(row)
    columns = [Column("Palveluntuottaja", "text", 24), Column("Tunnusluku", "text", 36),
               Column(str(src.year - 1), "pct"), Column(str(src.year), "pct"), Column("Muutos", "pct"),
               Column(f"Tila {src.year - 1}", "status", 12), Column(f"Tila {src.year}", "status", 12)]
    return Section("change", f"Muutos vuodesta {src.year - 1}", [
        "Tunnusluvut, joiden tila muuttui edellisestä vuodesta; kaikkien tunnuslukujen muutokset ovat "
        "Excel-tiedostossa. Osuuksien muutos on prosenttiyksikköä."], [
        Table("Tila muuttunut", columns, changed, sheet="Muuttuneet",
              empty_text="Yhdenkään tunnusluvun tila ei muuttunut."),
        Table("Kaikki tunnusluvut kahdelta vuodelta", columns, everything, sheet="Muutos", xlsx_only=True,
              note="Koko taulukko on Excel-tiedostossa."),
    ])


def agenda_section(src: ReportSource, as_of: dt.date) -> Section:
    bullets, rows = [], []
    for p in src.providers:
        pid = p["provider_id"]
        items = []
        documents = [(r, package_status(r, as_of)) for r in src.package.get(pid, [])]
        missing = [r["label_fi"] for r, s in documents if s.code in ("MISSING", "PENDING")]
        late = [r["label_fi"] for r, s in documents if s.code == "LATE"]
        if missing:
            items.append(f"Puuttuvat 31.3. asiakirjat: {', '.join(missing)}.")
        if late:
            items.append(f"Myöhässä saapuneet asiakirjat: {', '.join(late)}.")
        for r in src.kpis.get(pid, []):
            if r["year"] == src.year and r["status"] == "POIKKEAMA":
                kind = kpi_value_kind(r["kpi"])
                items.append(f"Poikkeama: {r['name_fi']} {format_value(r['value'], kind)} "
                             f"(raja {format_value(r['threshold'], kind)}; {format_value(r['numerator'], 'num')} / "
                             f"{format_value(r['denominator'], 'num')}; sopimuskohta {r['clause']}).")
        counts: dict[str, int] = {}
        for f in src.findings.get(pid, []):
            if f["rule"] in OPEN_FINDINGS and f["rule"] != "ANNUAL_DOCUMENT_MISSING":
                counts[f["rule"]] = counts.get(f["rule"], 0) + 1
        for rule, n in sorted(counts.items()):
            items.append(f"Avoin havainto: {_rule_name(rule)} ({n} tapausta).")
        if not items:
            items.append("Ei poikkeamia eikä avoimia havaintoja.")
        items.append("Palveluntuottajan kehittämistoimet ja sovitut jatkotoimet.")
        bullets.append((f"{p['provider_name']} ({pid})", items))
        rows += [(p["provider_name"], pid, i, item) for i, item in enumerate(items, start=1)]
    return Section("agenda", "Esityslistaluonnokset palveluntuottajittain", [
        "Kunkin palveluntuottajan vuosittaisen seurantakokouksen (palvelukuvaus 5.7) esityslistaluonnos: "
        "asiakirjatilanne, tunnuslukujen poikkeamat ja avoimet havainnot."], [
        Table("Esityslistat", [Column("Palveluntuottaja", "text", 24), Column("Y-tunnus", "text", 12),
                               Column("Kohta", "int", 6), Column("Asia", "text", 90)], rows,
              sheet="Esityslistat", xlsx_only=True, note="Esityslistat ovat myös luettelona yllä.")],
        bullets=bullets)


def build_county_summary(src: ReportSource, as_of: dt.date, generated: dt.datetime, public: bool) -> Report:
    rule_sets = sorted({p["rule_set"] for p in src.providers})
    cover = [
        ("Raportointivuosi", str(src.year)),
        ("Sääntökokonaisuudet", "; ".join(src.label("rule_set", r) for r in rule_sets)),
        ("Palveluntuottajia", str(len(src.providers))),
        ("Tiedot tilanteessa", fi_date(as_of)),
        ("Laadittu", f"{fi_date(generated.date())} klo {generated:%H.%M}"),
    ]
    if public:
        cover.append(("Julkinen versio", "Alle viiden tapauksen lukumäärät näytetään muodossa '< 5', ja niistä "
                                         "lasketut luvut on jätetty pois. Ei henkilötietoja."))
    sections = [completeness_section(src, as_of, public), matrix_section(src, public),
                findings_section(src, public), change_section(src, public)]
    if not public:
        sections.append(agenda_section(src, as_of))
    variant = "julkinen" if public else "sisainen"
    return Report(
        title=f"Sopimusvalvonnan yhteenveto {src.year}" + (" (julkinen)" if public else ""),
        subtitle="Kaikki palveluntuottajat rinnakkain vuosittaista seurantakokousta varten",
        cover=cover, sections=sections, file_stem=f"hyvinvointialue_yhteenveto_{src.year}_{variant}", public=public)
