"""The provider's tools: the fill-in workbook round trip, and `check` agreeing with `ingest`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import HETU_1, HETU_2, PROVIDER_A, ingest, quarantined, query

from flows.formats.spec import INBOX_KINDS
from flows.template import SHEET_TITLES, write_template

PROJECT = Path(__file__).resolve().parent.parent


def test_template_has_a_sheet_per_kind_finnish_headers_dropdowns_and_instructions(tmp_path):
    path = write_template(tmp_path / "pohja.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == "Ohjeet"
    for kind in INBOX_KINDS:
        sheet = workbook[SHEET_TITLES[kind.name]]
        headers = [c.value for c in sheet[1]]
        assert headers == [c.header_fi for c in kind.columns]
        assert sheet.freeze_panes == "A2"
    diary = workbook["Päiväkirja"]
    assert "Y tunnus" in [c.value for c in diary[1]] and "Tila" in [c.value for c in diary[1]]
    formulas = {v.formula1 for v in diary.data_validations.dataValidation}
    assert any(f.startswith("=Koodit!") for f in formulas)
    codes = workbook["Koodit"]
    status_column = [c.value for c in codes[1]].index("attendance_status") + 1
    assert [codes.cell(row=r, column=status_column).value for r in range(2, 8)] == [
        "LASNA", "POISSA_SAIRAUS", "POISSA_MUU", "POISSA_ILMOITTAMATTA", "PERUUTUS_ASIAKAS", "PERUUTUS_TUOTTAJA"]
    guide = " ".join(str(c.value) for row in workbook["Ohjeet"].iter_rows() for c in row if c.value)
    assert "valvonta check" in guide and "Pakollinen" in guide


def _fill(path: Path) -> Path:
    workbook = openpyxl.load_workbook(path)
    workbook["Jaksot"].append([PROVIDER_A, "U1", "J1", HETU_1, "KTT_OHJAUS", dt.date(2025, 3, 3),
                               dt.date(2025, 6, 2), dt.date(2025, 6, 2), 3, 4.5, 0.2, "H1",
                               dt.date(2025, 3, 10), dt.date(2025, 4, 15), dt.date(2025, 5, 30), None,
                               dt.date(2025, 6, 10), "TYO", "E", None, None])
    diary = workbook["Päiväkirja"]
    for day in (3, 4, 5):
        diary.append([PROVIDER_A, "J1", HETU_1, dt.date(2025, 3, day), "LASNA", "LAHI", 4.5,
                      "TYOTOIMINTA", None, None])
    diary.append([PROVIDER_A, "J1", HETU_1, dt.date(2025, 3, 6), "POISSA_SAIRAUS", None, 0, None, None,
                  dt.date(2025, 3, 7)])
    workbook["Palautteet"].append([PROVIDER_A, "U1", "P1", dt.date(2025, 3, 7), "REKLAMAATIO", "ASIAKAS",
                                   "TILAT", "K", dt.date(2025, 3, 12), dt.date(2025, 3, 8),
                                   "Tilat korjattu", "Liian kylmä"])
    workbook["Kysely"].append([PROVIDER_A, "U1", "V1", dt.date(2025, 6, 1), "PAATTYMISKYSELY",
                               "KTT_OHJAUS", 5, 4, 4, None, 5, 9, None])
    workbook["Vaaratapahtumat"].append([PROVIDER_A, "U1", "T1", dt.date(2025, 4, 1), "LAHELTA_PITI",
                                        "ASIAKAS", 1, dt.date(2025, 4, 2), "kuvaus", "Ohje päivitetty",
                                        dt.date(2025, 4, 20)])
    workbook["Henkilöstö"].append([PROVIDER_A, "U1", "H1", dt.date(2025, 12, 31), "Aino Laine",
                                   "VASTUUTYONTEKIJA", "sosionomi (AMK)", "KORKEAKOULU",
                                   dt.date(2025, 1, 10), 3, None, None, dt.date(2020, 1, 1), None, 1,
                                   None, "E", None, dt.date(2026, 5, 1), 12])
    workbook["Asiakirjat"].append([PROVIDER_A, 2025, "TOIMINTAKERTOMUS", dt.date(2026, 3, 20)])
    out = path.with_name("taytetty.xlsx")
    workbook.save(out)
    return out


def test_a_filled_template_ingests_cleanly(home, tmp_path):
    filled = _fill(write_template(tmp_path / "pohja.xlsx"))
    shutil.copyfile(filled, home.inbox / filled.name)
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (10, 10, 0)
    assert result.files_rejected == 0
    assert query(home, "select kinds from meta.files") == [
        ("periods,attendance,feedback,survey,incidents,staff,deliveries",)]
    assert query(home, "select remote_share_planned, continues, outcome from raw.periods") == [(0.2, False, "TYO")]
    assert query(home, "select count(*) from raw.attendance where status = 'LASNA'") == [(3,)]


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)


def test_check_agrees_with_ingest_row_for_row(home, tmp_path):
    bad = tmp_path / "toimitus.csv"
    bad.write_text("y_tunnus;jakso_id;hetu;pvm;tila;tunnit\n"
                   f"{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA;4\n\n"
                   f"{PROVIDER_A};J1;{HETU_2[:-1]}X;8.3.2025;LASNA;4\n"
                   f"9999999-9;J1;{HETU_1};31.2.2025;LASNAOLO;25\n", encoding="cp1252")
    verdict = _check("--home", str(home.root), "check", str(bad))
    assert verdict.returncode == 1
    shutil.copyfile(bad, home.inbox / bad.name)
    result = ingest(home)
    out = verdict.stdout
    assert f"Rivejä luettu {result.rows_read}, hyväksytty {result.rows_loaded}, hylätty {result.rows_quarantined}." in out
    for row, column, _rule, reason, _value in quarantined(home):
        line = next(line for line in out.splitlines() if line.startswith(f"{row} ") and f"| {column} " in line)
        assert reason in line
    report = next(home.quarantine.glob("*toimitus.csv.raportti.txt")).read_text(encoding="utf-8")
    table = lambda text: [line for line in text.splitlines() if "|" in line]  # noqa: E731
    assert table(out) == table(report)  # the same table, the same words
    assert "TULOS: osa riveistä tai tiedostoista hylättäisiin." in out
    assert HETU_2 not in out and HETU_1 not in out


def test_check_passes_a_clean_file_and_uses_no_warehouse(tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text(f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    empty_home = tmp_path / "nothing"
    verdict = _check("--home", str(empty_home), "check", str(good))
    assert verdict.returncode == 0, verdict.stdout
    assert "TULOS: kaikki rivit hyväksyttäisiin." in verdict.stdout
    assert "palveluntuottajarekisteriä ei ollut käytettävissä" in verdict.stdout
    assert not empty_home.exists()


def test_check_reports_a_file_level_problem(tmp_path):
    empty = tmp_path / "tyhja.csv"
    empty.write_bytes(b"")
    verdict = _check("check", str(empty))
    assert verdict.returncode == 1
    assert "KOKO TIEDOSTO HYLÄTTIIN" in verdict.stdout and "Tiedosto on tyhjä." in verdict.stdout


@pytest.mark.parametrize("name", ["tyhja.xlsx"])
def test_an_unfilled_template_is_rejected_as_having_no_rows(tmp_path, name):
    path = write_template(tmp_path / name)
    verdict = _check("check", str(path))
    assert verdict.returncode == 1
    assert "Tiedostossa ei ole yhtään tietoriviä" in verdict.stdout
    assert "Rivejä luettu 0" in verdict.stdout
