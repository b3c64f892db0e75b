"""Exactly the listed row rejection rules, and every file-level failure, with Finnish reasons."""

from __future__ import annotations

import pytest
from conftest import (
    HETU_1,
    HETU_SHAPE,
    NOT_REGISTERED,
    PROVIDER_A,
    deliver,
    ingest,
    quarantined,
    query,
)

from flows.demo.people import broken_check_character

PERIOD_HEADER = "y_tunnus;toimintayksikko;jakso_id;hetu;palvelutuote;alkupvm;suunniteltu_loppupvm;loppupvm"


def _one_bad_attendance(home, **cells):
    row = {"y_tunnus": PROVIDER_A, "jakso_id": "J1", "hetu": HETU_1, "pvm": "7.3.2025",
           "tila": "LASNA", "tunnit": "4"}
    row.update(cells)
    good = f"{PROVIDER_A};J1;{HETU_1};6.3.2025;LASNA;4"
    deliver(home, "a.csv", ";".join(row) + "\n" + good + "\n" + ";".join(row.values()) + "\n")
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    return quarantined(home)


@pytest.mark.parametrize("column", ["y_tunnus", "jakso_id", "hetu", "pvm", "tila"])
def test_rule1_required_column_empty(home, column):
    rows = _one_bad_attendance(home, **{column: ""})
    assert rows == [(3, column, "required_missing", "Pakollinen tieto puuttuu.", None)]


@pytest.mark.parametrize("value, rule", [
    ("1234567-2", "invalid_business_id"),  # wrong check digit
    ("1234567", "invalid_business_id"),  # no check digit
    ("123456-1", "invalid_business_id"),  # too short
    (NOT_REGISTERED, "unknown_provider"),  # valid, but not the county's provider
])
def test_rule2_business_id(home, value, rule):
    (row,) = _one_bad_attendance(home, y_tunnus=value)
    assert row[:3] == (3, "y_tunnus", rule)
    assert "Y-tunnus" in row[3]


@pytest.mark.parametrize("value, rule", [
    (broken_check_character(HETU_1), "identity_code_check"),
    ("310290-901X", "identity_code_date"),  # 31 February
    ("010190*901R", "identity_code_format"),  # unknown century sign
    ("01019-0901R", "identity_code_format"),
])
def test_rule3_identity_code(home, value, rule):
    (row,) = _one_bad_attendance(home, hetu=value)
    assert row[:3] == (3, "hetu", rule)
    assert row[3].startswith("Henkilötunnuksen")
    assert not HETU_SHAPE.search(row[4] or "")  # the value is masked, never shown


@pytest.mark.parametrize("sign, year", [("+", 1890), ("-", 1990), ("Y", 1990), ("X", 1990),
                                        ("W", 1990), ("V", 1990), ("U", 1990), ("A", 2010),
                                        ("B", 2010), ("C", 2010), ("D", 2010), ("E", 2010), ("F", 2010)])
def test_rule3_accepts_every_century_sign_of_the_2023_reform(home, sign, year):
    from flows.demo.people import HETU_CHECK

    body = f"0101{year % 100:02d}"
    code = f"{body}{sign}955{HETU_CHECK[int(body + '955') % 31]}"
    deliver(home, "j.csv", PERIOD_HEADER + f"\n{PROVIDER_A};U1;J1;{code};KTT_OHJAUS;3.3.2025;2.6.2025;\n")
    result = ingest(home)
    assert result.rows_loaded == 1
    assert query(home, "select client_age_at_start from raw.periods") == [(2025 - year - 1 + 1,)]


@pytest.mark.parametrize("value", ["31.2.2025", "2025-02-30", "7.3.25", "eilen", "2025/03/07", "32.1.2025"])
def test_rule4_date_that_does_not_parse_or_exist(home, value):
    (row,) = _one_bad_attendance(home, pvm=value)
    assert row[:3] == (3, "pvm", "invalid_date")
    assert row[4] == value
    assert "7.3.2025" in row[3]  # tells the provider the format to use


@pytest.mark.parametrize("column, value", [("tila", "LASNAOLO"), ("tila", "X")])
def test_rule5_code_not_in_its_list(home, column, value):
    (row,) = _one_bad_attendance(home, **{column: value})
    assert row[:3] == (3, column, "invalid_code")
    assert "LASNA, POISSA_SAIRAUS" in row[3]


def test_rule5_boolean_that_is_not_yes_or_no(home):
    deliver(home, "j.csv", PERIOD_HEADER + ";jatkuu\n"
            f"{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;;ehkä\n")
    ingest(home)
    assert [r[2] for r in quarantined(home)] == ["invalid_boolean"]


@pytest.mark.parametrize("value, rule", [("25", "out_of_range"), ("-1", "out_of_range"),
                                          ("neljä", "invalid_number"), ("4,5,1", "invalid_number")])
def test_rule6_hours_do_not_parse_or_are_outside_0_24(home, value, rule):
    (row,) = _one_bad_attendance(home, tunnit=value)
    assert row[:3] == (3, "tunnit", rule)


@pytest.mark.parametrize("column, good, bad", [
    ("q1", "5", "6"), ("q5", "1", "0"), ("suosittelu", "10", "11"), ("suosittelu", "0", "-1"),
])
def test_rule6_survey_ranges(home, column, good, bad):
    header = f"y_tunnus;toimintayksikko;vastaus_id;vastaus_pvm;kyselyn_tyyppi;{column}"
    deliver(home, "k.csv", f"{header}\n{PROVIDER_A};U1;V1;1.3.2025;VUOSIKYSELY;{good}\n"
                           f"{PROVIDER_A};U1;V2;1.3.2025;VUOSIKYSELY;{bad}\n")
    result = ingest(home)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert [(r[0], r[2]) for r in quarantined(home)] == [(3, "out_of_range")]


@pytest.mark.parametrize("column, bad", [("vakavuus", "5"), ("vakavuus", "2,5")])
def test_rule6_severity(home, column, bad):
    deliver(home, "t.csv", f"y_tunnus;toimintayksikko;tapahtuma_id;tapahtuma_pvm;laji;{column}\n"
                           f"{PROVIDER_A};U1;T1;1.3.2025;LAHELTA_PITI;{bad}\n")
    ingest(home)
    assert [r[2] for r in quarantined(home)] == ["out_of_range" if bad == "5" else "not_integer"]


@pytest.mark.parametrize("column, bad", [("tyoaikaosuus", "1,6"), ("asiakastyon_osuus", "120 %"),
                                          ("kohderyhmakokemus_v", "61"), ("esihenkilokokemus_v", "-2")])
def test_rule6_staff_ranges(home, column, bad):
    deliver(home, "h.csv", f"y_tunnus;toimintayksikko;henkilo_id;luettelon_pvm;rooli;koulutustaso;{column}\n"
                           f"{PROVIDER_A};U1;H1;31.12.2025;OHJAAJA;TOINEN_ASTE;{bad}\n")
    ingest(home)
    assert [(r[1], r[2]) for r in quarantined(home)] == [(column, "out_of_range")]


def test_rule7_end_before_start(home):
    deliver(home, "j.csv", PERIOD_HEADER + "\n"
            f"{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;2.3.2025\n"
            f"{PROVIDER_A};U1;J2;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;3.3.2025\n")
    result = ingest(home)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert quarantined(home) == [(2, "loppupvm", "end_before_start",
                                  "Päättymispäivä on ennen alkamispäivää.", "2.3.2025")]


def test_suspicious_but_valid_rows_are_loaded_not_rejected(home):
    """Weekend attendance, unknown period, 30 hours are findings for the county, not input errors."""
    deliver(home, "a.csv", "y_tunnus;jakso_id;hetu;pvm;tila;tunnit\n"
            f"{PROVIDER_A};EI-OLE;{HETU_1};8.3.2025;LASNA;12\n"  # a Saturday, unknown period
            f"{PROVIDER_A};J1;{HETU_1};25.12.2025;POISSA_MUU;0\n")
    result = ingest(home)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)


def test_several_errors_in_one_row_are_all_reported_and_the_row_counted_once(home):
    deliver(home, "a.csv", "y_tunnus;jakso_id;hetu;pvm;tila;tunnit\n"
            f"{PROVIDER_A};;{HETU_1};31.2.2025;OUTO;99\n")
    result = ingest(home)
    assert (result.rows_read, result.rows_quarantined) == (1, 1)
    assert sorted(r[2] for r in quarantined(home)) == [
        "invalid_code", "invalid_date", "out_of_range", "required_missing"]


def test_report_per_file_in_finnish_with_row_column_masked_value_and_reason(home):
    bad_hetu = broken_check_character(HETU_1)
    deliver(home, "toimitus.csv", "y_tunnus;jakso_id;hetu;pvm;tila\n"
            f"{PROVIDER_A};J1;{bad_hetu};7.3.2025;LASNA\n"
            f"{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNAOLO\n")
    ingest(home)
    (report,) = home.quarantine.glob("*toimitus.csv.raportti.txt")
    text = report.read_text(encoding="utf-8")
    assert "Rivejä luettu 2, hyväksytty 0, hylätty 2." in text
    assert "Henkilötunnuksen tarkistusmerkki ei täsmää." in text
    assert "LASNAOLO" in text and "Arvo ei kuulu sallittuihin koodeihin." in text
    assert bad_hetu not in text and HETU_1 not in text
    assert not HETU_SHAPE.search(text)


# -- whole files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, content, code, rows", [
    ("muistio.txt", "Hei,\ntässä aineisto\nterveisin\n", "no_matching_header", 2),
    ("vanha.csv", f"y_tunnus;toimintayksikko;jakso_id;palvelutuote;alkupvm;suunniteltu_loppupvm\n"
                  f"{PROVIDER_A};U1;J1;KTT_OHJAUS;1.2.2025;30.4.2025\n\n{PROVIDER_A};U1;J2;KTT_OHJAUS;1.2.2025;30.4.2025\n",
     "missing_required_column", 2),
    ("utf16.csv", "y_tunnus;jakso_id;hetu;pvm;tila\n1;2;3;4;5\n".encode("utf-16"), "undecodable", 0),
    ("rikki.csv", b"y_tunnus;jakso_id\n\x81\x8d\x8f\x90\x9d;\xff\n", "undecodable", 0),
    ("tyhja.csv", b"", "empty_file", 0),
    ("tyhja2.csv", b"  \n\n", "empty_file", 0),
    ("otsikko.csv", "y_tunnus;toimintayksikko;tapahtuma_id;tapahtuma_pvm;laji\n\n;;;;\n", "no_data_rows", 0),
    ("kuva.pdf", b"%PDF-1.4", "unsupported_type", 0),
])
def test_file_level_failures_quarantine_the_whole_file(home, name, content, code, rows):
    deliver(home, name, content)
    result = ingest(home)
    assert result.files_rejected == 1
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (rows, 0, rows)
    status, problem, read, loaded, bad = query(
        home, "select status, problem_code, rows_read, rows_loaded, rows_quarantined from meta.files")[0]
    assert (status, problem, read, loaded, bad) == ("rejected", code, rows, 0, rows)
    assert query(home, "select count(*) from meta.quarantine")[0][0] == rows
    # the original is kept in quarantine beside a Finnish report, and has left the inbox
    kept = [p for p in home.quarantine.iterdir() if p.name.endswith(name)]
    assert len(kept) == 1 and kept[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    report = next(home.quarantine.glob(f"*{name}.raportti.txt")).read_text(encoding="utf-8")
    assert "KOKO TIEDOSTO HYLÄTTIIN" in report
    assert not (home.inbox / name).exists()


def test_missing_required_column_names_the_column(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;pvm;tila\n{PROVIDER_A};J1;7.3.2025;LASNA\n")
    ingest(home)
    (problem,) = query(home, "select problem_fi from meta.files")[0]
    assert "client_hetu (henkilotunnus)" in problem


def test_whole_file_rejection_loads_nothing_even_from_good_sheets(home):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    good = workbook.active
    good.title = "Päiväkirja"
    good.append(["y_tunnus", "jakso_id", "hetu", "pvm", "tila"])
    good.append([PROVIDER_A, "J1", HETU_1, "7.3.2025", "LASNA"])
    bad = workbook.create_sheet("Jaksot")
    bad.append(["y_tunnus", "jakso_id", "palvelutuote", "alkupvm"])  # lacks required columns
    bad.append([PROVIDER_A, "J1", "KTT_OHJAUS", "3.3.2025"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    deliver(home, "vienti.xlsx", buffer.getvalue())
    result = ingest(home)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 0, 2)
    assert query(home, "select count(*) from raw.attendance")[0][0] == 0
