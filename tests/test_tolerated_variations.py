"""Every variation exchange-format.md says must work, each loaded through the real ingest."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import HETU_1, HETU_2, PROVIDER_A, deliver, ingest, quarantined, query


def _loaded(home, table="raw.attendance", cols="*"):
    return query(home, f"select {cols} from {table} order by _row")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-15"])
def test_encodings_keep_finnish_letters_and_euro(home, encoding):
    text = (
        "y_tunnus;toimintayksikko;palaute_id;vastaanotettu_pvm;laji;toimenpiteet\n"
        f"{PROVIDER_A};Yksikkö Äänekoski;P1;7.3.2025;PALAUTE;Hyvitys 20 € ja pahoittelu, å\n"
    )
    deliver(home, "palautteet.csv", text, encoding)
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    unit, actions = _loaded(home, "raw.feedback", "unit_id, actions")[0]
    assert unit == "Yksikkö Äänekoski"
    assert actions == "Hyvitys 20 € ja pahoittelu, å"
    assert query(home, "select encoding from meta.files")[0][0] == encoding


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters(home, delimiter):
    rows = [f"{PROVIDER_A}|J1|{HETU_1}|2025-03-07|LASNA|\"4,5\"".replace("|", delimiter)]
    header = "y_tunnus;jakso_id;hetu;pvm;tila;tunnit".replace(";", delimiter)
    deliver(home, "a.csv", header + "\n" + "\n".join(rows) + "\n")
    ingest(home)
    assert _loaded(home, cols="date, hours") == [(dt.date(2025, 3, 7), 4.5)]


@pytest.mark.parametrize("written, expected", [("4,5", 4.5), ("4.5", 4.5), ("6", 6.0), (" 4,0 ", 4.0)])
def test_decimals(home, written, expected):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila;tunnit\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA;{written}\n")
    ingest(home)
    assert _loaded(home, cols="hours") == [(expected,)]


@pytest.mark.parametrize("written", ["0,2", "0.2", "20 %", "20%"])
def test_percentages(home, written):
    deliver(home, "j.csv",
            "y_tunnus;toimintayksikko;jakso_id;hetu;palvelutuote;alkupvm;suunniteltu_loppupvm;etaosuus\n"
            f"{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;{written}\n")
    ingest(home)
    assert _loaded(home, "raw.periods", "remote_share_planned") == [(pytest.approx(0.2),)]


@pytest.mark.parametrize("written", ["2025-03-07", "7.3.2025", "07.03.2025"])
def test_date_formats(home, written):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};{written};LASNA\n")
    ingest(home)
    assert _loaded(home, cols="date") == [(dt.date(2025, 3, 7),)]


@pytest.mark.parametrize("true_word, false_word", [
    ("K", "E"), ("Y", "N"), ("true", "false"), ("1", "0"), ("kyllä", "ei"), ("yes", "no"),
    ("k", "e"), ("KYLLÄ", "EI"), ("True", "FALSE"),
])
def test_booleans(home, true_word, false_word):
    deliver(home, "j.csv",
            "y_tunnus;toimintayksikko;jakso_id;hetu;palvelutuote;alkupvm;suunniteltu_loppupvm;jatkuu\n"
            f"{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;{true_word}\n"
            f"{PROVIDER_A};U1;J2;{HETU_2};KTT_OHJAUS;3.3.2025;2.6.2025;{false_word}\n")
    ingest(home)
    assert _loaded(home, "raw.periods", "continues") == [(True,), (False,)]


ROW = {"p": PROVIDER_A, "j": "J1", "h": HETU_1, "d": "7.3.2025", "t": "LASNA"}


@pytest.mark.parametrize("header, order", [
    ("provider_id;period_id;client_hetu;date;status", "pjhdt"),  # canonical names
    ("y_tunnus;jakso_id;henkilotunnus;paivamaara;tila", "pjhdt"),  # Finnish aliases
    ("Y-tunnus;Jakso ID;Henkilötunnus;Päivämäärä;TILA", "pjhdt"),  # case, space, ä/ö, '-'
    ("  Y_TUNNUS ; jakso-id ;HETU; Pvm ;Tila ", "pjhdt"),  # surrounding spaces
    ("tila;pvm;hetu;jakso_id;y_tunnus", "tdhjp"),  # any column order
])
def test_header_variations(home, header, order):
    deliver(home, "a.csv", header + "\n" + ";".join(ROW[c] for c in order) + "\n")
    result = ingest(home)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    assert _loaded(home, cols="provider_id, period_id, date, status") == [
        (PROVIDER_A, "J1", dt.date(2025, 3, 7), "LASNA")]


def test_extra_columns_are_ignored_with_a_warning_naming_them(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila;Muistiinpano;Viety\n"
                           f"{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA;x;y\n")
    result = ingest(home)
    assert result.rows_loaded == 1
    notes = [n for (n,) in query(home, "select note_fi from meta.file_notes")]
    assert notes == ["Tuntemattomat sarakkeet ohitettiin: Muistiinpano, Viety."]


def test_empty_lines_delimiter_lines_and_trailing_delimiters_are_ignored(home):
    text = (
        "y_tunnus;jakso_id;hetu;pvm;tila;\n"
        f"{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA;\n"
        "\n"
        ";;;;;\n"
        "   \n"
        f"{PROVIDER_A};J1;{HETU_1};8.3.2025;LASNA;;;\n"
        f"{PROVIDER_A};J1;{HETU_1};9.3.2025;KOODIVIRHE;\n"
    )
    deliver(home, "a.csv", text)
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert _loaded(home, cols="_row") == [(2,), (6,)]
    # the rejected row is named by the line number the provider sees in an editor
    assert [r[0] for r in quarantined(home)] == [7]


def test_windows_line_endings(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\r\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\r\n\r\n"
                           f"{PROVIDER_A};J1;{HETU_1};8.3.2025;LASNA\r\n")
    ingest(home)
    assert _loaded(home, cols="_row") == [(2,), (4,)]


@pytest.mark.parametrize("written", ["lasna", "Lasna", "LASNA", "läsnä"])
def test_codes_are_case_insensitive(home, written):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila;toteutustapa\n{PROVIDER_A};J1;{HETU_1};7.3.2025;{written};eta\n")
    ingest(home)
    assert _loaded(home, cols="status, mode") == [("LASNA", "ETA")]


def test_quoted_fields_with_delimiters_and_newlines(home):
    text = ('y_tunnus;toimintayksikko;palaute_id;vastaanotettu_pvm;laji;toimenpiteet\n'
            f'{PROVIDER_A};U1;P1;7.3.2025;REKLAMAATIO;"Korjattu; ohjeistettu\nuudelleen"\n'
            f'{PROVIDER_A};U1;P2;8.3.2025;OUTO\n')
    deliver(home, "p.csv", text)
    ingest(home)
    assert _loaded(home, "raw.feedback", "actions") == [("Korjattu; ohjeistettu\nuudelleen",)]
    assert quarantined(home)[0][0] == 3  # Excel's row 3: the quoted newline is inside row 2


def test_xlsx_several_kinds_real_date_cells_and_ignored_sheets(home):
    workbook = openpyxl.Workbook()
    info = workbook.active
    info.title = "Tiedot"
    info.append(["Vienti", "2025"])
    periods = workbook.create_sheet("Jaksot")
    periods.append(["Y-tunnus", "Toimintayksikkö", "Jakso-ID", "Hetu", "Palvelutuote", "Alkupvm",
                    "Suunniteltu loppupvm", "Tunteja päivässä", "Jatkuu"])
    periods.append([PROVIDER_A, "U1", "J1", HETU_1, "KTT_OHJAUS", dt.datetime(2025, 3, 3),
                    dt.date(2025, 6, 2), 4.5, "K"])
    diary = workbook.create_sheet("Päiväkirja")
    diary.append(["y_tunnus", "jakso_id", "hetu", "pvm", "tila", "tunnit"])
    diary.append([PROVIDER_A, "J1", HETU_1, dt.datetime(2025, 3, 4), "LASNA", 5])
    diary.append([None, None, None, None, None, None])
    diary.append([PROVIDER_A, "J1", HETU_1, "5.3.2025", "LASNA", 31])
    buffer = io.BytesIO()
    workbook.save(buffer)
    deliver(home, "vienti.xlsx", buffer.getvalue())
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert _loaded(home, "raw.periods", "start_date, planned_end_date, planned_hours_per_day, continues, _sheet") == [
        (dt.date(2025, 3, 3), dt.date(2025, 6, 2), 4.5, True, "Jaksot")]
    assert _loaded(home, cols="date, hours, _sheet, _row") == [(dt.date(2025, 3, 4), 5.0, "Päiväkirja", 2)]
    q = query(home, "select sheet, row_number, rule from meta.quarantine")
    assert q == [("Päiväkirja", 4, "out_of_range")]
    notes = [n for (n,) in query(home, "select note_fi from meta.file_notes")]
    assert any("Tiedot" in n for n in notes)
    assert query(home, "select kinds from meta.files") == [("periods,attendance",)]
