"""Supersession, re-delivery, archive, lineage, manifest, pseudonyms and the reconciliation."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat

import duckdb
import pytest
from conftest import HETU_1, HETU_2, PROVIDER_A, TEST_KEY, deliver, ingest, query

from flows.home import Home
from flows.ingest.reconcile import reconcile
from flows.pseudonym import pseudonymise

PERIODS = "y_tunnus;toimintayksikko;jakso_id;hetu;palvelutuote;alkupvm;suunniteltu_loppupvm;loppupvm"


def test_later_delivery_replaces_earlier_rows_of_the_same_key_and_history_is_kept(home):
    deliver(home, "2025-Q1_jaksot.csv", f"{PERIODS}\n{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;\n"
                                        f"{PROVIDER_A};U1;J2;{HETU_2};KTT_OHJAUS;3.3.2025;2.6.2025;\n")
    deliver(home, "2025-Q2_jaksot.csv", f"{PERIODS}\n{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025;30.5.2025\n")
    ingest(home)
    current = query(home, "select period_id, end_date, _file_name from raw.current_periods order by period_id")
    assert current == [("J1", dt.date(2025, 5, 30), "2025-Q2_jaksot.csv"),
                       ("J2", None, "2025-Q1_jaksot.csv")]
    assert query(home, "select count(*) from raw.periods")[0][0] == 3  # history kept


def test_files_are_taken_in_name_order_within_a_run(home):
    # written in the "wrong" order on disk; the name decides
    deliver(home, "b.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;POISSA_MUU\n")
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    ingest(home)
    assert query(home, "select status from raw.current_attendance") == [("POISSA_MUU",)]
    assert query(home, "select file_name from meta.files order by load_seq") == [("a.csv",), ("b.csv",)]


def test_a_later_run_replaces_rows_of_an_earlier_run(home):
    deliver(home, "z.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    ingest(home)
    deliver(home, "a_korjaus.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;POISSA_SAIRAUS\n")
    ingest(home)
    assert query(home, "select status from raw.current_attendance") == [("POISSA_SAIRAUS",)]


def test_byte_identical_redelivery_changes_nothing(home):
    text = f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n"
    deliver(home, "a.csv", text)
    ingest(home)
    before = query(home, "select * from raw.attendance"), query(home, "select * from meta.files")
    deliver(home, "a.csv", text)
    deliver(home, "a - kopio.csv", text)
    result = ingest(home)
    assert result.files_duplicate == 2 and result.rows_read == 0
    after = query(home, "select * from raw.attendance"), query(home, "select * from meta.files")
    assert after == before
    assert list(home.inbox.iterdir()) == []


def test_original_is_archived_under_its_sha256_and_leaves_the_inbox(home):
    text = f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n".encode("cp1252")
    deliver(home, "a.csv", text)
    ingest(home)
    sha = hashlib.sha256(text).hexdigest()
    assert (home.archive / f"{sha}.csv").read_bytes() == text
    assert query(home, "select file_id from meta.files") == [(sha,)]
    assert not (home.inbox / "a.csv").exists()


def test_lineage_on_every_loaded_row(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    result = ingest(home)
    row = query(home, "select _file_id, _file_name, _sheet, _row, _load_seq, _run_id from raw.attendance")[0]
    assert row[1:] == ("a.csv", None, 3, 1, result.run_id)
    assert len(row[0]) == 64


def test_manifest_lists_every_file_with_counts(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n"
                           f"{PROVIDER_A};J1;{HETU_1};8.3.2025;OUTO\n")
    deliver(home, "b.txt", "ei otsikkoa\n")
    ingest(home)
    rows = query(home, "select file_name, kinds, status, rows_read, rows_loaded, rows_quarantined "
                       "from meta.files order by file_name")
    assert rows == [("a.csv", "attendance", "loaded_with_rejections", 2, 1, 1),
                    ("b.txt", "", "rejected", 0, 0, 0)]


def test_reconciliation_holds_for_every_file_and_detects_a_tampered_table(home):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n"
                           f"{PROVIDER_A};J1;{HETU_1};31.2.2025;LASNA\n")
    deliver(home, "b.csv", "garbage;header\n1;2\n")
    ingest(home)
    con = duckdb.connect(str(home.warehouse))
    try:
        assert reconcile(con) == []
        assert con.execute("select bool_and(rows_read = rows_loaded + rows_quarantined) from meta.files").fetchone()[0]
        con.execute("delete from raw.attendance")  # a row lost behind the pipeline's back
        lost = reconcile(con)
        assert [(m.file_name, m.rows_read, m.rows_in_tables) for m in lost] == [("a.csv", 2, 0)]
    finally:
        con.close()


def test_pseudonym_is_stable_across_runs_and_differs_under_another_key(home, tmp_path, monkeypatch):
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    ingest(home)
    deliver(home, "b.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1.lower()};8.3.2025;LASNA\n")
    ingest(home)
    pseudonyms = {p for (p,) in query(home, "select client_pseudonym from raw.attendance")}
    assert pseudonyms == {pseudonymise(TEST_KEY.encode(), HETU_1)}
    assert len(next(iter(pseudonyms))) == 16

    other = Home(tmp_path / "other").ensure()
    other.providers_csv.write_bytes(home.providers_csv.read_bytes())
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", "a-different-key")
    deliver(other, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    ingest(other)
    (other_pseudonym,) = query(other, "select client_pseudonym from raw.attendance")[0]
    assert other_pseudonym not in pseudonyms


def test_key_file_is_created_owner_only_when_no_key_is_given(home, monkeypatch, caplog):
    monkeypatch.delenv("VALVONTA_PSEUDONYM_KEY")
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    ingest(home)
    key_file = home.secrets / "pseudonym.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(home.secrets).st_mode) == 0o700
    assert any("Pseudonymisointiavain luotiin" in r.getMessage() for r in caplog.records)
    first = query(home, "select client_pseudonym from raw.attendance")[0][0]
    assert first == pseudonymise(key_file.read_text().strip().encode(), HETU_1)


def test_periods_keep_only_age_at_start_and_sex(home):
    deliver(home, "j.csv", f"{PERIODS}\n{PROVIDER_A};U1;J1;{HETU_1};KTT_OHJAUS;1.1.2025;31.3.2025;\n"
                           f"{PROVIDER_A};U1;J2;{HETU_2};KTT_OHJAUS;28.2.2025;31.5.2025;\n")
    ingest(home)
    columns = [c for (c,) in query(home, "select column_name from information_schema.columns "
                                         "where table_name = 'periods' and table_schema = 'raw'")]
    assert "client_hetu" not in columns
    rows = query(home, "select period_id, client_age_at_start, client_sex from raw.periods order by 1")
    # 010190-901R: 35 on 1.1.2025, male (odd). 290200A902: born 29.2.2000, 25 on 28.2.2025 (the
    # birthday falls on 28 February in a common year), female (even).
    assert rows == [("J1", 35, "M"), ("J2", 25, "N")]


@pytest.mark.parametrize("start, age", [("27.2.2025", 24), ("28.2.2025", 25), ("28.2.2024", 23), ("29.2.2024", 24)])
def test_age_of_a_leap_day_child(home, start, age):
    deliver(home, "j.csv", f"{PERIODS}\n{PROVIDER_A};U1;J1;{HETU_2};KTT_OHJAUS;{start};31.5.2025;\n")
    ingest(home)
    assert query(home, "select client_age_at_start from raw.periods") == [(age,)]


def test_provider_register_problems_are_reported_and_kept_out(home):
    home.providers_csv.write_text(
        home.providers_csv.read_text() + "1234567-2;Väärä ry;YHDISTYS;K;LAPPI_2025;C;1.1.2025;31.12.2027;KTT_OHJAUS\n",
        encoding="utf-8")
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    result = ingest(home)
    assert result.register_problems == 1
    assert query(home, "select count(*) from ref.providers")[0][0] == 2
    assert query(home, "select row_number, column_name from meta.register_problems") == [(4, "provider_id")]


def test_a_missing_register_stops_the_run_with_a_clear_message(home):
    home.providers_csv.unlink()
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila\n{PROVIDER_A};J1;{HETU_1};7.3.2025;LASNA\n")
    from flows.ingest.register import RegisterMissing

    with pytest.raises(RegisterMissing, match="Palveluntuottajarekisteri puuttuu"):
        ingest(home)
    assert (home.inbox / "a.csv").exists()  # nothing taken, nothing lost
