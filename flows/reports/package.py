"""One provider's annual 31.3 package (L 5.7): what the county reads before the monitoring meeting.

Everything comes from the marts `valvonta kpi` and `valvonta findings` read, so a figure in the
package is the figure in the export. Feedback texts and incident descriptions are not in the marts
and so cannot reach a package; development-action texts are, because the provider owes them.
"""

from __future__ import annotations

import datetime as dt
import statistics

from .charts import bar_chart
from .model import Chart, Column, Fmt, Report, Section, Status, Table, fi_date
from .source import MONTHS_FI, STATEMENTS, ReportSource

# KPIs whose value is not a share: how their value and threshold are shown.
VALUE_KINDS = {"SATISFACTION_MEAN": "num2", "NPS": "num1", "INCIDENTS_PER_1000_DAYS": "num2"}
FINDINGS_PRINT_LIMIT = 25
ROLE_BAR_ROLES = ("VASTUUHENKILO", "VASTUUTYONTEKIJA", "RYHMANOHJAAJA", "OHJAAJA")


def kpi_value_kind(kpi: str) -> str:
    return VALUE_KINDS.get(kpi, "pct")


def kpi_status(code: str) -> Status:
    return Status(code, code)


def package_status(row: dict, as_of: dt.date) -> Status:
    """A 31.3 document's state as of a date: a package made before 31.3 shows what is still missing,
    one made after shows what came late."""
    received = row["received_date"]
    if received is not None and received <= as_of:
        if received <= row["due_date"]:
            return Status("saapui ajoissa", "ON_TIME")
        late = (received - row["due_date"]).days
        return Status(f"saapui myöhässä ({late} pv)", "LATE")
    if as_of <= row["due_date"]:
        return Status("puuttuu vielä, määräpäivä ei ole ohi", "PENDING")
    return Status("puuttuu, määräpäivä on ohitettu", "MISSING")


def share(part: float | None, whole: float | None) -> float | None:
    return None if not whole else (part or 0) / whole


def _cover(src: ReportSource, provider: dict, as_of: dt.date, generated: dt.datetime) -> list[tuple[str, str]]:
    return [
        ("Palveluntuottaja", provider["provider_name"]),
        ("Y-tunnus", provider["provider_id"]),
        ("Sopimus", provider["contract_id"] or "–"),
        ("Sopimuskausi", f"{fi_date(provider['contract_start'])}–{fi_date(provider['contract_end'])}"),
        ("Sääntökokonaisuus", src.label("rule_set", provider["rule_set"])),
        ("Oikeudellinen muoto", provider["legal_form_fi"] or "–"),
        ("Soteri-rekisterissä", "kyllä" if provider["soteri_registered"] else "ei"),
        ("Raportointivuosi", str(src.year)),
        ("Tiedot tilanteessa", fi_date(as_of)),
        ("Tietovarasto rakennettu", fi_date(src.built_at.date()) if src.built_at else "–"),
        ("Laadittu", f"{fi_date(generated.date())} klo {generated:%H.%M}"),
    ]


def checklist_section(src: ReportSource, pid: str, as_of: dt.date) -> Section:
    rows = []
    for row in src.package.get(pid, []):
        rows.append((row["item_no"], row["label_fi"], row["due_date"], row["received_date"]
                     if row["received_date"] and row["received_date"] <= as_of else None,
                     package_status(row, as_of)))
    missing = sum(1 for r in rows if r[4].code in ("MISSING", "PENDING"))
    late = sum(1 for r in rows if r[4].code == "LATE")
    text = (f"Palveluntuottajan on toimitettava vuoden {src.year} asiakirjat viimeistään "
            f"31.3.{src.year + 1} (palvelukuvaus 5.7). Tilanne {fi_date(as_of)}: "
            f"{len(rows) - missing} / {len(rows)} saapunut, myöhässä {late}, puuttuu {missing}.")
    return Section("checklist", "Vuosiraportoinnin asiakirjat 31.3.", [text], [Table(
        "Asiakirjat", [Column("Nro", "int", 6), Column("Asiakirja", "text", 48), Column("Määräpäivä", "date", 12),
                       Column("Saapunut", "date", 12), Column("Tila", "status", 40)],
        rows, sheet="Asiakirjat")])


def activity_section(src: ReportSource, pid: str) -> Section:
    products = src.activity_by_product.get(pid, [])
    product_rows = [(
        src.label("service_product", r["service_product"]), r["clients"], r["periods_started"],
        r["periods_ended"], r["present_days"], share(r["present_rows"], r["scheduled_rows"]),
        share(r["remote_rows"], r["present_rows"]), r["hours"]) for r in products]
    months = {r["month"]: r for r in src.activity_by_month.get(pid, [])}
    month_rows = []
    for m in range(1, 13):
        r = months.get(m)
        month_rows.append((f"{MONTHS_FI[m - 1]}kuu", r["clients"] if r else 0, r["present_days"] if r else 0,
                           share(r["present_rows"], r["scheduled_rows"]) if r else None,
                           share(r["remote_rows"], r["present_rows"]) if r else None,
                           r["hours"] if r else None))
    cross = [(src.label("service_product", r["service_product"]), f"{MONTHS_FI[r['month'] - 1]}kuu", r["clients"],
              r["present_days"], share(r["present_rows"], r["scheduled_rows"]),
              share(r["remote_rows"], r["present_rows"]), r["hours"])
             for r in src.activity_by_product_month.get(pid, [])]
    outcomes = src.outcomes.get(pid, [])
    ended = sum(r["periods"] for r in outcomes)
    outcome_rows = [(src.label("outcome", r["outcome"]), r["periods"], share(r["periods"], ended))
                    for r in outcomes]
    chart = Chart(f"Läsnäolopäivät kuukausittain {src.year}",
                  bar_chart([MONTHS_FI[m][:3] for m in range(12)], [float(r[2]) for r in month_rows],
                            f"Läsnäolopäivät kuukausittain {src.year}"),
                  "Sama tieto on taulukossa Toiminta kuukausittain.")
    total_days = sum(r["present_days"] for r in products)
    text = (f"Vuonna {src.year} läsnäolopäiviä kirjattiin {total_days:,}".replace(",", "\u00a0")
            + f", alkaneita jaksoja {sum(r['periods_started'] for r in products)} ja päättyneitä "
            f"{ended}. Osallistumisaste on läsnä-merkintöjen osuus läsnä-, poissaolo- ja "
            "asiakkaan peruutusmerkinnöistä; etäosuus on etätoteutuksen osuus läsnä-merkinnöistä.")
    return Section("activity", f"Toiminta vuonna {src.year}", [text], [
        Table("Toiminta palvelutuotteittain",
              [Column("Palvelutuote", "text", 44), Column("Asiakkaita", "count"), Column("Alkaneet jaksot", "count"),
               Column("Päättyneet jaksot", "count"), Column("Läsnäolopäivät", "count"),
               Column("Osallistumisaste", "pct"), Column("Etäosuus", "pct"), Column("Tunnit", "num1")],
              product_rows, sheet="Toiminta tuotteittain"),
        Table("Toiminta kuukausittain",
              [Column("Kuukausi", "text"), Column("Läsnä olleita asiakkaita", "count"),
               Column("Läsnäolopäivät", "count"), Column("Osallistumisaste", "pct"), Column("Etäosuus", "pct"),
               Column("Tunnit", "num1")], month_rows, sheet="Toiminta kuukausittain"),
        Table("Toiminta palvelutuotteittain ja kuukausittain",
              [Column("Palvelutuote", "text", 44), Column("Kuukausi", "text"),
               Column("Läsnä olleita asiakkaita", "count"), Column("Läsnäolopäivät", "count"),
               Column("Osallistumisaste", "pct"), Column("Etäosuus", "pct"), Column("Tunnit", "num1")],
              cross, sheet="Toiminta tuotteet ja kk", xlsx_only=True,
              note="Tuotteittain ja kuukausittain eritelty taulukko on Excel-tiedostossa."),
        Table("Päättyneiden jaksojen tulokset",
              [Column("Tulos", "text", 30), Column("Jaksoja", "count"), Column("Osuus", "pct")],
              outcome_rows, sheet="Jaksojen tulokset"),
    ], [chart])


def kpi_table(src: ReportSource, pid: str, sheet: str = "Tunnusluvut") -> Table:
    rows = []
    for r in src.kpis.get(pid, []):
        if r["year"] != src.year:
            continue
        kind = kpi_value_kind(r["kpi"])
        rows.append((r["kpi"], r["name_fi"], r["clause"], r["numerator"], r["denominator"],
                     Fmt(r["value"], kind), Fmt(r["threshold"], kind), kpi_status(r["status"]),
                     r["unit_fi"]))
    return Table("Tunnusluvut", [
        Column("Tunnus", "text", 36), Column("Tunnusluku", "text", 34), Column("Sopimuskohta", "text", 14),
        Column("Osoittaja", "num", 10), Column("Nimittäjä", "num", 10), Column("Arvo", "pct", 10),
        Column("Raja", "pct", 9), Column("Tila", "status", 16), Column("Yksikkö", "text", 18)], rows, sheet=sheet,
        note="Arvo = osoittaja / nimittäjä (NPS × 100, vaaratapahtumat × 1 000). Tila OK = raja täyttyy, "
             "POIKKEAMA = ei täyty, EI_DATAA = nimittäjä 0, TIETO = tunnusluvulla ei ole rajaa.")


def findings_section(src: ReportSource, pid: str) -> Section:
    findings = src.findings.get(pid, [])
    by_rule: dict[str, list[dict]] = {}
    for f in findings:
        by_rule.setdefault(f["rule"], []).append(f)
    summary = [(rule, src.kpi_names.get(rule, {}).get("name_fi") or items[0]["description_fi"],
                items[0]["clause"], len(items)) for rule, items in sorted(by_rule.items())]
    detail = [(f["rule"], f["record_type"], f["record_id"], f["client_pseudonym"], f["finding_date"],
               f["clause"], f["description_fi"], f["finding_id"]) for f in findings]
    deviations = [r for r in src.kpis.get(pid, []) if r["year"] == src.year and r["status"] == "POIKKEAMA"]
    text = (f"Tunnuslukuja {sum(1 for r in src.kpis.get(pid, []) if r['year'] == src.year)}, joista "
            f"poikkeamia {len(deviations)}. Havaintoja {len(findings)}; asiakkaat yksilöidään vain "
            "pseudonyymillä, jaksot ja muut tapaukset tunnisteellaan.")
    return Section("kpis", "Tunnusluvut ja havainnot", [text], wide=True, tables=[
        kpi_table(src, pid),
        Table("Havainnot säännöittäin", [Column("Sääntö", "text", 30), Column("Kuvaus", "text", 50),
                                         Column("Sopimuskohta", "text", 16), Column("Havaintoja", "count")],
              summary, sheet="Havainnot yhteenveto"),
        Table("Havainnot tapauksittain", [
            Column("Sääntö", "text", 30), Column("Tapauksen laji", "text", 16), Column("Tunniste", "text", 28),
            Column("Asiakkaan pseudonyymi", "text", 18), Column("Päivä", "date", 12),
            Column("Sopimuskohta", "text", 16), Column("Kuvaus", "text", 60, printed=False),
            Column("Havainnon tunniste", "text", 20, printed=False)],
            detail, sheet="Havainnot", print_limit=FINDINGS_PRINT_LIMIT,
            note=f"Tulosteessa enintään {FINDINGS_PRINT_LIMIT} ensimmäistä ilman kuvausta; Excel-tiedostossa "
                 "kaikki kuvauksineen."),
    ])


def staff_section(src: ReportSource, pid: str) -> Section:
    staff = src.staff.get(pid, [])
    rows = []
    for s in staff:
        name = src.staff_names.get((pid, s["staff_id"], s["as_of_date"]), "–")
        bar = (Status("täyttyy", "OK") if s["meets_role_bar"] else Status("ei täyty", "POIKKEAMA")) \
            if s["role_has_bar"] else Status("ei vaatimusta", "TIETO")
        minors = None
        if s["works_with_minors"]:
            minors = (Status(f"tarkistettu {fi_date(s['criminal_record_checked_date'])}", "OK")
                      if s["criminal_record_checked_date"] else Status("puuttuu", "POIKKEAMA"))
        rows.append((name, s["staff_id"], src.label("role", s["role"]), s["education"],
                     src.label("education_level", s["education_level"]), s["target_group_experience_years"],
                     s["fte"], bar, Status("kyllä", "OK") if s["experienced"] else Status("ei", "TIETO"),
                     minors if minors else "ei työskentele alaikäisten kanssa", s["first_aid_valid_until"]))
    list_date = staff[0]["as_of_date"] if staff else None
    text = (f"Vuoden {src.year} viimeisin henkilöstöluettelo {fi_date(list_date)}: {len(rows)} henkilöä. "
            "Kelpoisuus tarkistetaan tehtävän vaatimuksia vasten (palvelukuvaus 5.4). Nimet näkyvät vain "
            "tämän palveluntuottajan omassa raportissa." if staff else
            f"Vuodelta {src.year} ei ole henkilöstöluetteloa.")
    return Section("staff", "Henkilöstö", [text], [Table("Henkilöstöluettelo", [
        Column("Nimi", "text", 24), Column("Tunniste", "text", 10), Column("Tehtävä", "text", 20),
        Column("Koulutus", "text", 24), Column("Koulutustaso", "text", 14),
        Column("Kohderyhmäkokemus v", "num1"), Column("Henkilötyövuosi", "num2"),
        Column("Tehtävän kelpoisuus", "status", 14), Column("Vähintään vuoden kokemus", "status", 10),
        Column("Rikostaustaote", "status", 22), Column("Ensiapu voimassa", "date", 12)],
        rows, sheet="Henkilöstö")])


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def feedback_section(src: ReportSource, pid: str) -> Section:
    feedback = src.feedback.get(pid, [])
    incidents = src.incidents.get(pid, [])
    counts: dict[tuple[str, str], int] = {}
    for f in feedback:
        key = (src.label("feedback_kind", f["feedback_kind"]), src.label("topic", f["topic"]))
        counts[key] = counts.get(key, 0) + 1
    kind_topic = [(k, t, n) for (k, t), n in sorted(counts.items())]
    times = []
    for kind in sorted({f["feedback_kind"] for f in feedback}):
        items = [f for f in feedback if f["feedback_kind"] == kind]
        replies = [f["reply_days"] for f in items if f["reply_days"] is not None]
        reports = [f["report_days"] for f in items if f["report_days"] is not None]
        times.append((src.label("feedback_kind", kind), len(items), len(replies), _median(replies),
                      share(sum(1 for d in replies if d <= 14), len(items)), len(reports), _median(reports),
                      share(sum(1 for d in reports if d <= 7), len(items))))
    inc_counts: dict[tuple[str, int], int] = {}
    for i in incidents:
        key = (src.label("incident_kind", i["incident_kind"]), i["severity"])
        inc_counts[key] = inc_counts.get(key, 0) + 1
    inc_rows = [(k, s, n) for (k, s), n in sorted(inc_counts.items(), key=lambda x: (x[0][0], x[0][1] or 0))]
    inc_times = []
    for kind in sorted({i["incident_kind"] for i in incidents}):
        items = [i for i in incidents if i["incident_kind"] == kind]
        reports = [i["report_days"] for i in items if i["report_days"] is not None]
        inc_times.append((src.label("incident_kind", kind), len(items), _median(reports),
                          share(sum(1 for d in reports if d <= 7), len(items)),
                          sum(1 for i in items if i["action_completed_date"])))
    actions = [("palaute", f["feedback_id"], src.label("feedback_kind", f["feedback_kind"]), f["received_date"],
                f["actions"], None) for f in feedback if f["actions"]]
    actions += [("vaaratapahtuma", i["incident_id"], src.label("incident_kind", i["incident_kind"]),
                 i["occurred_date"], i["development_action"], i["action_completed_date"])
                for i in incidents if i["development_action"]]
    text = (f"Vuonna {src.year} palautteita, reklamaatioita, muistutuksia ja kanteluita {len(feedback)}, "
            f"vaaratapahtumia ja uhkatilanteita {len(incidents)}. Palautteisiin vastataan 14 päivässä ja "
            "reklamaatiot sekä vaaratapahtumat ilmoitetaan tilaajalle 7 päivässä (palvelukuvaus 5.5, 5.7). "
            "Palautteiden ja tapahtumakuvausten tekstejä ei tuoda raporttiin; kehittämistoimet tuodaan.")
    return Section("feedback", "Palautteet, reklamaatiot ja vaaratapahtumat", [text], [
        Table("Palautteet lajeittain ja aiheittain", [Column("Laji", "text", 20), Column("Aihe", "text", 20),
                                                      Column("Lukumäärä", "count")], kind_topic,
              sheet="Palautteet aiheittain"),
        Table("Vastaus- ja ilmoitusajat", [
            Column("Laji", "text", 20), Column("Lukumäärä", "count"), Column("Vastattu", "count"),
            Column("Vastausaika mediaani pv", "num1"), Column("Vastattu 14 pv:ssä", "pct"),
            Column("Ilmoitettu tilaajalle", "count"), Column("Ilmoitusaika mediaani pv", "num1"),
            Column("Ilmoitettu 7 pv:ssä", "pct")], times, sheet="Vastausajat"),
        Table("Vaaratapahtumat lajeittain ja vakavuuden mukaan", [
            Column("Laji", "text", 24), Column("Vakavuus (0–3)", "int"), Column("Lukumäärä", "count")],
            inc_rows, sheet="Vaaratapahtumat"),
        Table("Vaaratapahtumien ilmoitusajat", [
            Column("Laji", "text", 24), Column("Lukumäärä", "count"), Column("Ilmoitusaika mediaani pv", "num1"),
            Column("Ilmoitettu 7 pv:ssä", "pct"), Column("Kehittämistoimi tehty", "count")], inc_times,
            sheet="Vaaratapahtumat ajat"),
        Table("Kehittämistoimet", [
            Column("Lähde", "text", 14), Column("Tunniste", "text", 14), Column("Laji", "text", 20),
            Column("Päivä", "date", 12), Column("Kehittämistoimi", "text", 60), Column("Toteutettu", "date", 12)],
            actions, sheet="Kehittämistoimet"),
    ])


def satisfaction_section(src: ReportSource, pid: str) -> Section:
    rows_by_year = {(r["year"], r["statement"]): r for r in src.satisfaction.get(pid, [])}
    summary = {r["year"]: r for r in src.satisfaction_summary.get(pid, [])}
    statement_rows = []
    for code, text in STATEMENTS.items():
        now, before = rows_by_year.get((src.year, code)), rows_by_year.get((src.year - 1, code))
        mean_now = now["mean"] if now else None
        mean_before = before["mean"] if before else None
        change = mean_now - mean_before if mean_now is not None and mean_before is not None else None
        statement_rows.append((f"{code}: {text}", now["n"] if now else 0, mean_now,
                               *((now[f"n_{k}"] if now else 0) for k in range(1, 6)), mean_before,
                               Fmt(change, "num2")))
    cur, prev = summary.get(src.year), summary.get(src.year - 1)

    def figure(row, key):
        return row[key] if row else None

    summary_rows = [
        ("Vastauksia", Fmt(figure(cur, "responses"), "count"), Fmt(figure(prev, "responses"), "count")),
        ("Päättymiskyselyn vastauksia", Fmt(figure(cur, "end_survey_responses"), "count"),
         Fmt(figure(prev, "end_survey_responses"), "count")),
        ("Päättyneitä jaksoja", Fmt(figure(cur, "periods_ended"), "count"),
         Fmt(figure(prev, "periods_ended"), "count")),
        ("Päättymiskyselyn kattavuus", Fmt(figure(cur, "end_survey_coverage"), "pct"),
         Fmt(figure(prev, "end_survey_coverage"), "pct")),
        ("Suositteluindeksi (NPS)", Fmt(figure(cur, "nps"), "num1"), Fmt(figure(prev, "nps"), "num1")),
        ("Suosittelijat (9–10)", Fmt(figure(cur, "promoters"), "count"), Fmt(figure(prev, "promoters"), "count")),
        ("Neutraalit (7–8)", Fmt(figure(cur, "passives"), "count"), Fmt(figure(prev, "passives"), "count")),
        ("Arvostelijat (0–6)", Fmt(figure(cur, "detractors"), "count"), Fmt(figure(prev, "detractors"), "count")),
    ]
    means = [r[2] for r in statement_rows]
    chart = Chart(f"Väittämien keskiarvot {src.year}",
                  bar_chart([f"q{i}" for i in range(1, 6)], [m or 0 for m in means],
                            f"Väittämien keskiarvot {src.year}", decimals=2),
                  "Sama tieto on taulukossa Väittämät.")
    text = ("Asiakastyytyväisyyskysely: väittämät asteikolla 1 (täysin eri mieltä) – 5 (täysin samaa mieltä); "
            "suositteluindeksi = suosittelijoiden osuus − arvostelijoiden osuus × 100. Muutos on verrattu "
            f"vuoteen {src.year - 1}.")
    return Section("satisfaction", "Asiakastyytyväisyys", [text], [
        Table("Väittämät", [Column("Väittämä", "text", 44), Column("Vastauksia", "count"), Column("Keskiarvo", "num2"),
                            *(Column(f"Vastaus {k}", "count", 9) for k in range(1, 6)),
                            Column(f"Keskiarvo {src.year - 1}", "num2"), Column("Muutos", "num2")],
              statement_rows, sheet="Tyytyväisyys väittämät"),
        Table("Yhteenveto", [Column("Tieto", "text", 30), Column(str(src.year), "num2"),
                             Column(str(src.year - 1), "num2")], summary_rows, sheet="Tyytyväisyys yhteenveto"),
    ], [chart])


def quality_section(src: ReportSource, pid: str) -> Section:
    files = src.files.get(pid, [])
    file_rows = [(f["file_name"], f["ingested_date"], f["kinds"], f["status"], f["rows_read"], f["rows_loaded"],
                  f["rows_quarantined"], f["problem_fi"]) for f in files]
    reasons = [(r["kind"], r["rule"], r["reason_fi"], r["rows"]) for r in src.quarantine.get(pid, [])]
    read = sum(f["rows_read"] or 0 for f in files)
    quarantined = sum(f["rows_quarantined"] or 0 for f in files)
    text = (f"Palveluntuottajalta on vastaanotettu {len(files)} tiedostoa; rivejä luettu {read}, "
            f"hylätty {quarantined}. Hylätyt rivit ja niiden syyt on kerrottu tiedostokohtaisissa "
            "palauteraporteissa.")
    return Section("quality", "Liite: tiedon laatu", [text], [
        Table("Vastaanotetut tiedostot", [
            Column("Tiedosto", "text", 40), Column("Vastaanotettu", "date", 12), Column("Sisältö", "text", 16),
            Column("Tila", "text", 12), Column("Rivejä luettu", "count"), Column("Ladattu", "count"),
            Column("Hylätty", "count"), Column("Tiedoston virhe", "text", 40)], file_rows,
            sheet="Tiedostot", print_limit=20, note="Tulosteessa enintään 20 tiedostoa; Excel-tiedostossa kaikki."),
        Table("Hylätyt rivit syittäin", [Column("Tiedostolaji", "text", 14), Column("Sääntö", "text", 22),
                                         Column("Syy", "text", 60), Column("Rivejä", "count")],
              reasons, sheet="Hylätyt rivit"),
    ])


def build_package(src: ReportSource, provider: dict, as_of: dt.date, generated: dt.datetime) -> Report:
    pid = provider["provider_id"]
    sections = [checklist_section(src, pid, as_of), activity_section(src, pid), findings_section(src, pid),
                staff_section(src, pid), feedback_section(src, pid)]
    if provider["soteri_registered"]:
        sections.append(satisfaction_section(src, pid))
    sections.append(quality_section(src, pid))
    return Report(
        title=f"Vuosiraportti {src.year}: {provider['provider_name']}",
        subtitle="Palveluntuottajan vuosittaiset asiakirjat ja sopimusvalvonnan tunnusluvut (palvelukuvaus 5.7)",
        cover=_cover(src, provider, as_of, generated), sections=sections,
        file_stem=f"{pid}_vuosiraportti_{src.year}")
