"""The 31.3 packages and the county summary, read back by real readers: pdftotext, openpyxl and
LibreOffice. Figures must equal the `valvonta kpi` export; nothing personal may leak."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from conftest import (
    FORMULA_ACTION,
    HETU_SHAPE,
    SECRET_FEEDBACK_TEXT,
    TEST_KEY,
    fi_count,
    fi_kpi,
    valid_identity_codes,
)
from openpyxl import load_workbook

from flows.home import Home

PROJECT = Path(__file__).resolve().parents[1]
YEAR = 2025
AS_OF = "2026-11-01"


def cli(home: Home, *args: str) -> subprocess.CompletedProcess:
    env = {"VALVONTA_PSEUDONYM_KEY": TEST_KEY, "PATH": "/usr/bin:/bin", "HOME": str(home.root)}
    return subprocess.run([sys.executable, "-m", "flows.cli", "--home", str(home.root), *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def reports(demo_published: Home) -> Path:
    """Every package and both county summaries of 2025, made with the real CLI."""
    out = cli(demo_published, "report", "--year", str(YEAR), "--as-of", AS_OF)
    assert out.returncode == 0, out.stderr
    # the two Pohjois-Savo providers' contracts start in 2026: no 2025 package for them
    assert f"vuosiraportit {len(providers(demo_published))} palveluntuottajalle" in out.stdout
    out = cli(demo_published, "report", "--year", str(YEAR), "--as-of", AS_OF, "--county")
    assert out.returncode == 0, out.stderr
    return demo_published.reports / str(YEAR)


def providers(home: Home) -> list[dict]:
    """The providers whose contract runs in the year."""
    con = duckdb.connect(str(home.published / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("select provider_id, provider_name, soteri_registered from marts.dim_providers "
                           "where year(contract_start) <= ? order by provider_id", [YEAR]).fetchall()
    finally:
        con.close()
    return [{"id": r[0], "name": r[1], "soteri": r[2]} for r in rows]


def kpi_export(home: Home, provider: str) -> list[dict]:
    out = cli(home, "kpi", "--year", str(YEAR), "--provider", provider, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def xlsx_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def libreoffice_csv(xlsx: Path, out_dir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of the workbook as LibreOffice reads it, exported to CSV (raw values, not as shown)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out_dir / 'profile'}",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(out_dir), str(xlsx)], capture_output=True, check=True, timeout=180)
    sheets = {}
    for path in out_dir.glob(f"{xlsx.stem}-*.csv"):
        with path.open(encoding="utf-8") as f:
            sheets[path.stem[len(xlsx.stem) + 1:]] = list(csv.reader(f, delimiter=";"))
    return sheets


def test_every_provider_gets_three_real_files(reports: Path, demo_published: Home):
    for p in providers(demo_published):
        stem = reports / f"{p['id']}_vuosiraportti_{YEAR}"
        html = stem.with_suffix(".html").read_text(encoding="utf-8")
        # self-contained: no scripts, no external styles, images or fonts; charts as inline SVG
        assert "<script" not in html and "<link" not in html and not re.search(r"(src|href)=\"?https?:", html)
        assert "<svg" in html and "@media print" in html
        text = pdf_text(stem.with_suffix(".pdf"))
        assert f"Vuosiraportti {YEAR}: {p['name']}" in text
        assert "Sisällys" in text and re.search(r"Sivu 2 / \d+", text)  # page numbers
        # the table of contents gives each section's page
        assert re.search(r"Tunnusluvut ja havainnot\s*\.+\s*\d+", text)
        assert "Vuosiraportoinnin asiakirjat" in text and "Liite: tiedon laatu" in text
        assert ("Asiakastyytyväisyys" in text) == bool(p["soteri"])
        assert "ä" in text and "ö" in text  # Finnish characters intact
        wb = load_workbook(stem.with_suffix(".xlsx"))
        assert {"Tunnusluvut", "Asiakirjat", "Henkilöstö", "Toiminta tuotteittain",
                "Toiminta kuukausittain", "Toiminta tuotteet ja kk"} <= set(wb.sheetnames)
        # the product × month table adds up to the per-product present days
        by_product = {r[0]: r[4] for r in wb["Toiminta tuotteittain"].iter_rows(min_row=4, values_only=True)}
        summed: dict[str, int] = {}
        for r in wb["Toiminta tuotteet ja kk"].iter_rows(min_row=4, values_only=True):
            summed[r[0]] = summed.get(r[0], 0) + r[3]
        assert {k: v for k, v in by_product.items() if v} == summed
        for ws in wb.worksheets[1:]:
            assert ws.freeze_panes == "A4", ws.title


def test_pdf_figures_equal_the_kpi_export(reports: Path, demo_published: Home):
    for p in providers(demo_published):
        export = kpi_export(demo_published, p["id"])
        text = pdf_text(reports / f"{p['id']}_vuosiraportti_{YEAR}.pdf")
        kpi_table = text[text.index("3. Tunnusluvut ja havainnot"):text.index("Havainnot säännöittäin")]
        lines = {line.split()[0]: line for line in kpi_table.splitlines() if line.strip()
                 and line.split()[0] in {r["kpi"] for r in export}}
        assert len(lines) == len(export) > 0, p
        for row in export:
            line = lines[row["kpi"]]
            expected = [fi_count(row["numerator"]), fi_count(row["denominator"]),
                        fi_kpi(row["value"], row["kpi"]), row["status"]]
            for figure in expected:
                assert figure.replace("\u00a0", " ") in line.replace("\u00a0", " "), (row, line)


def test_xlsx_figures_equal_the_kpi_export_in_openpyxl_and_libreoffice(reports: Path, demo_published: Home,
                                                                       tmp_path: Path):
    p = next(p for p in providers(demo_published) if p["soteri"])
    export = {r["kpi"]: r for r in kpi_export(demo_published, p["id"])}
    xlsx = reports / f"{p['id']}_vuosiraportti_{YEAR}.xlsx"
    ws = load_workbook(xlsx)["Tunnusluvut"]
    header = [c.value for c in ws[3]]
    assert header[:8] == ["Tunnus", "Tunnusluku", "Sopimuskohta", "Osoittaja", "Nimittäjä", "Arvo", "Raja", "Tila"]
    seen = set()
    for row in ws.iter_rows(min_row=4, values_only=True):
        kpi, _, clause, num, den, value, threshold, status = row[:8]
        e = export[kpi]
        seen.add(kpi)
        assert isinstance(num, int | float) and isinstance(den, int | float)  # numbers stored as numbers
        assert (num, den, status, clause) == (e["numerator"], e["denominator"], e["status"], e["clause"])
        # the export rounds to six decimals; the workbook keeps the full value
        assert value == pytest.approx(e["value"], abs=1e-6), (kpi, value, e["value"])
        assert threshold == pytest.approx(e["threshold"], abs=1e-6)
    assert seen == set(export)
    # dates are dates
    checklist = load_workbook(xlsx)["Asiakirjat"]
    assert all(isinstance(r[2], dt.datetime) for r in checklist.iter_rows(min_row=4, values_only=True))

    sheets = libreoffice_csv(xlsx, tmp_path / "lo")
    rows = sheets["Tunnusluvut"]
    assert rows[2][:3] == ["Tunnus", "Tunnusluku", "Sopimuskohta"]
    for row in rows[3:]:
        e = export[row[0]]
        assert float(row[3]) == e["numerator"] and float(row[4]) == e["denominator"] and row[7] == e["status"]
        if e["value"] is None:
            assert row[5] == ""
        else:
            shown = float(row[5].rstrip("%")) / 100 if row[5].endswith("%") else float(row[5])
            assert shown == pytest.approx(e["value"], abs=1e-6)


def test_a_development_action_beginning_with_equals_stays_text(reports: Path, demo_published: Home,
                                                               tmp_path: Path):
    pid = demo_published.providers_csv.read_text(encoding="utf-8").splitlines()[1].split(";")[0]
    xlsx = reports / f"{pid}_vuosiraportti_{YEAR}.xlsx"
    ws = load_workbook(xlsx)["Kehittämistoimet"]
    cells = [c for row in ws.iter_rows(min_row=4) for c in row if c.value == FORMULA_ACTION]
    assert cells and all(c.data_type == "s" for c in cells)
    sheets = libreoffice_csv(xlsx, tmp_path / "lo")
    actions = [row[4] for row in sheets["Kehittämistoimet"][3:]]
    assert FORMULA_ACTION in actions and "3" not in actions  # shown as written, never evaluated
    assert FORMULA_ACTION in (reports / f"{pid}_vuosiraportti_{YEAR}.html").read_text(encoding="utf-8")


def test_no_identity_code_and_no_feedback_or_incident_text_in_any_output(reports: Path, demo_published: Home):
    con = duckdb.connect(str(demo_published.warehouse), read_only=True)
    try:
        free_texts = {r[0] for r in con.execute(
            "select text from raw.feedback where text is not null union "
            "select description from raw.incidents where description is not null").fetchall()}
    finally:
        con.close()
    assert SECRET_FEEDBACK_TEXT in free_texts and len(free_texts) > 3
    files = sorted(reports.iterdir())
    assert len(files) == len(providers(demo_published)) * 3 + 6 and len(providers(demo_published)) == 6
    for path in files:
        if path.suffix == ".pdf":
            text = pdf_text(path)
        elif path.suffix == ".xlsx":
            text = xlsx_text(path)
        else:
            text = path.read_text(encoding="utf-8")
        assert valid_identity_codes(text) == [] and not HETU_SHAPE.search(text), path
        leaked = [t for t in free_texts if t in text]
        assert leaked == [], (path, leaked)


def test_staff_names_appear_only_in_the_providers_own_package(reports: Path, demo_published: Home):
    con = duckdb.connect(str(demo_published.warehouse), read_only=True)
    try:
        names = con.execute("select provider_id, staff_name from staging.stg_staff "
                            "where year(as_of_date) = ?", [YEAR]).fetchall()
    finally:
        con.close()
    by_provider: dict[str, set[str]] = {}
    for pid, name in names:
        by_provider.setdefault(pid, set()).add(name)
    assert len(by_provider) >= 2
    for pid, own in by_provider.items():
        text = xlsx_text(reports / f"{pid}_vuosiraportti_{YEAR}.xlsx")
        assert own & set(text.splitlines()), pid
        for other in by_provider:
            if other != pid:
                assert not (by_provider[other] - own) & set(text.splitlines()), (pid, other)
    for path in reports.glob("hyvinvointialue_*"):
        text = pdf_text(path) if path.suffix == ".pdf" else (
            xlsx_text(path) if path.suffix == ".xlsx" else path.read_text(encoding="utf-8"))
        assert not any(name in text for _, name in names), path


def test_checklist_before_31_3_shows_what_is_missing_and_after_what_came_late(demo_published: Home,
                                                                              tmp_path: Path):
    con = duckdb.connect(str(demo_published.published / "warehouse.duckdb"), read_only=True)
    try:
        pid, label, received = con.execute(
            "select provider_id, label_fi, received_date from marts.fct_annual_package "
            "where reporting_year = ? and status = 'LATE' order by provider_id, item_no limit 1", [YEAR]).fetchone()
        on_time = con.execute("select count(*) from marts.fct_annual_package where provider_id = ? "
                              "and reporting_year = ? and received_date <= date '2026-03-15'",
                              [pid, YEAR]).fetchone()[0]
    finally:
        con.close()
    before, after = {}, {}
    for as_of, into in (("2026-03-15", before), ("2026-11-01", after)):
        out = cli(demo_published, "report", "--year", str(YEAR), "--provider", pid, "--as-of", as_of)
        assert out.returncode == 0, out.stderr
        wb = load_workbook(demo_published.reports / str(YEAR) / f"{pid}_vuosiraportti_{YEAR}.xlsx")
        into.update({r[1]: r for r in wb["Asiakirjat"].iter_rows(min_row=4, values_only=True)})
        cover = {r[0]: r[1] for r in wb["Kansilehti"].iter_rows(min_row=4, values_only=True) if r[0]}
        assert cover["Tiedot tilanteessa"] == f"{dt.date.fromisoformat(as_of):%-d.%-m.%Y}"
    assert before[label][4] == "puuttuu vielä, määräpäivä ei ole ohi" and before[label][3] is None
    assert after[label][4].startswith("saapui myöhässä") and after[label][3].date() == received
    assert sum(1 for r in before.values() if r[4] == "saapui ajoissa") == on_time
    # put back the package the module's other tests read
    cli(demo_published, "report", "--year", str(YEAR), "--provider", pid, "--as-of", AS_OF)


class _Cells(HTMLParser):
    """Collects table cells with their classes, and the headers marked as counts."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self.count_headers: set[str] = set()
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._open = (tag, dict(attrs).get("class") or "")
            self._text = ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            if tag == "td":
                self.cells.append((self._open[1], self._text.strip()))
            elif "count" in self._open[1]:
                self.count_headers.add(self._text.strip())
            self._open = None


def test_public_summary_never_shows_a_count_between_1_and_4(reports: Path, demo_published: Home):
    parser = _Cells()
    parser.feed((reports / f"hyvinvointialue_yhteenveto_{YEAR}_julkinen.html").read_text(encoding="utf-8"))
    counts = [text for css, text in parser.cells if "count" in css]
    assert counts and "< 5" in counts
    assert not [t for t in counts if t in {"1", "2", "3", "4"}]
    # the workbook too: every column the HTML marks as a count
    wb = load_workbook(reports / f"hyvinvointialue_yhteenveto_{YEAR}_julkinen.xlsx")
    checked = 0
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4, values_only=True):
            for name, value in zip(header, row, strict=False):
                if name in parser.count_headers:
                    checked += 1
                    assert value not in (1, 2, 3, 4), (ws.title, name, row)
    assert checked > 10
    # a KPI resting on 1–4 cases is suppressed in the public matrix, shown in the internal one
    internal = load_workbook(reports / f"hyvinvointialue_yhteenveto_{YEAR}_sisainen.xlsx")
    legend = {r[0]: r[1] for r in internal["Selite"].iter_rows(min_row=4, values_only=True)}
    small = 0
    for p in providers(demo_published):
        export = {r["kpi"]: r for r in kpi_export(demo_published, p["id"])}
        pub = next(r for r in wb["Tunnuslukumatriisi"].iter_rows(min_row=4, values_only=True) if r[0] == p["name"])
        intern = next(r for r in internal["Tunnuslukumatriisi"].iter_rows(min_row=4, values_only=True)
                      if r[0] == p["name"])
        for i, short in enumerate(legend, start=1):
            e = export.get(legend[short])
            if e is None:
                continue
            assert intern[i] == {"OK": "OK", "POIKKEAMA": "POIK", "EI_DATAA": "–"}[e["status"]]
            if 0 < e["denominator"] < 5 or 0 < e["numerator"] < 5:
                small += 1
                assert pub[i] == "suojattu", (p, short, e)
    assert small > 0
    # no pseudonyms, record ids or agenda in the public variant
    text = (reports / f"hyvinvointialue_yhteenveto_{YEAR}_julkinen.html").read_text(encoding="utf-8")
    con = duckdb.connect(str(demo_published.published / "warehouse.duckdb"), read_only=True)
    try:
        pseudonyms = [r[0] for r in con.execute("select client_pseudonym from marts.dim_clients").fetchall()]
    finally:
        con.close()
    assert not [s for s in pseudonyms if s in text]
    assert "Esityslista" not in text


def test_county_summary_has_an_agenda_per_provider_from_its_deviations(reports: Path, demo_published: Home):
    text = pdf_text(reports / f"hyvinvointialue_yhteenveto_{YEAR}_sisainen.pdf")
    assert "Esityslistaluonnokset palveluntuottajittain" in text and "Päähavainnot" in text
    ws = load_workbook(reports / f"hyvinvointialue_yhteenveto_{YEAR}_sisainen.xlsx")["Esityslistat"]
    items: dict[str, list[str]] = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        items.setdefault(row[1], []).append(row[3])
    for p in providers(demo_published):
        deviations = [r for r in kpi_export(demo_published, p["id"]) if r["status"] == "POIKKEAMA"]
        agenda = items[p["id"]]
        for d in deviations:
            assert any(a.startswith(f"Poikkeama: {d['name_fi']} ") for a in agenda), (p, d["kpi"])


def test_report_for_an_unknown_provider_says_so(demo_published: Home):
    out = cli(demo_published, "report", "--year", str(YEAR), "--provider", "1111111-1")
    assert out.returncode == 1 and "Palveluntuottajaa 1111111-1 ei ole" in out.stderr
