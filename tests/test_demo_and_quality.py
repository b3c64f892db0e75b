"""The demo deliveries (deterministic, realistic, messy) and the Great Expectations suites."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from conftest import HETU_1, PROVIDER_A, deliver, query, valid_identity_codes

from flows.demo.generator import SCALES, generate
from flows.formats.reader import decode, read_workbook, sniff_delimiter
from flows.formats.spec import detect_kind, normalise_header
from flows.home import Home
from flows.ingest.service import run_ingest


@pytest.fixture(scope="module")
def demo_inbox(tmp_path_factory) -> Path:
    home = Home(tmp_path_factory.mktemp("demo") / "home").ensure()
    generate(home, "demo", seed=2025)
    return home.root


def test_same_seed_same_bytes_other_seed_other_data(demo_inbox, tmp_path):
    again = Home(tmp_path / "again").ensure()
    generate(again, "demo", seed=2025)
    first = {p.name: p.read_bytes() for p in (demo_inbox / "inbox").iterdir()}
    second = {p.name: p.read_bytes() for p in again.inbox.iterdir()}
    assert first == second
    other = Home(tmp_path / "other").ensure()
    generate(other, "demo", seed=99)
    assert {p.name for p in other.inbox.iterdir()} != set(first)


def test_demo_tier_size_and_both_rule_sets(demo_inbox):
    with open(demo_inbox / "reference" / "providers.csv", encoding="utf-8") as handle:
        providers = list(csv.DictReader(handle, delimiter=";"))
    assert len(providers) == SCALES["demo"].providers == 8
    assert {p["rule_set"] for p in providers} == {"LAPPI_2025", "PSAVO_2026"}
    assert {"OSAKEYHTIO", "YHDISTYS"} <= {p["legal_form"] for p in providers}
    assert {"K", "E"} == {p["soteri_registered"] for p in providers}
    codes = set()
    for path in (demo_inbox / "inbox").iterdir():
        if path.suffix == ".csv":
            with contextlib.suppress(Exception):
                codes.update(valid_identity_codes(decode(path.read_bytes())[0]))
    assert 300 <= len(codes) <= 500, len(codes)  # ≈ 400 clients
    assert all(900 <= int(code[7:10]) <= 999 for code in codes)


def _csv_headers(path: Path) -> tuple[str, str, list[str]]:
    text, encoding = decode(path.read_bytes())
    first = text.splitlines()[0]
    delimiter = sniff_delimiter(first)
    return encoding, delimiter, next(csv.reader(io.StringIO(first), delimiter=delimiter))


def test_demo_inbox_holds_every_kind_and_every_tolerated_variation(demo_inbox):
    encodings, delimiters, kinds, header_styles = set(), set(), set(), set()
    blank_lines = trailing = extra = lowercase = decimal_comma = percent = False
    xlsx_kinds: set[str] = set()
    for path in sorted((demo_inbox / "inbox").iterdir()):
        if path.suffix == ".xlsx":
            for _title, rows in read_workbook(path.read_bytes()):
                kind = detect_kind([h for h in rows[0] if h]) if rows else None
                if kind:
                    xlsx_kinds.add(kind.name)
            continue
        try:
            encoding, delimiter, header = _csv_headers(path)
        except Exception:
            continue  # the deliberately broken files
        kind = detect_kind(header)
        if kind is None:
            continue
        kinds.add(kind.name)
        encodings.add(encoding)
        delimiters.add(delimiter)
        text = decode(path.read_bytes())[0]
        blank_lines |= "\n\n" in text.replace("\r\n", "\n") or f"\n{delimiter * 3}\n" in text
        trailing |= header[-1] == ""
        extra |= any(h and normalise_header(h) == "viety_jarjestelmasta" for h in header)
        lowercase |= ";lasna;" in text or ",lasna," in text or "\tlasna\t" in text
        decimal_comma |= kind.name == "attendance" and ";4,5;" in text
        percent |= " %" in text
        header_styles.add("alias" if "y_tunnus" in header else "upper" if "PROVIDER_ID" in header
                          else "canonical" if "provider_id" in header else "title")
    assert kinds == {"periods", "attendance", "feedback", "survey", "incidents", "staff", "deliveries"}
    assert encodings == {"utf-8", "utf-8-sig", "cp1252", "iso-8859-15"}
    assert delimiters == {";", ",", "\t"}
    assert header_styles == {"alias", "upper", "canonical", "title"}
    assert blank_lines and trailing and extra and lowercase and decimal_comma and percent
    assert {"periods", "attendance"} <= xlsx_kinds


def test_demo_holds_bad_rows_bad_files_a_correction_and_a_resend(demo_inbox, tmp_path, monkeypatch):
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", "demo-test")
    home = Home(tmp_path / "h")
    import shutil

    shutil.copytree(demo_inbox, home.root)
    result = run_ingest(home, validate=False)
    assert result.files_rejected == 5 and result.files_duplicate == 1
    rules = {r for (r,) in query(home, "select distinct rule from meta.quarantine")}
    assert {"invalid_date", "invalid_code", "out_of_range", "unknown_provider", "invalid_business_id",
            "identity_code_check", "required_missing", "end_before_start", "invalid_number",
            "no_matching_header", "missing_required_column"} <= rules
    problems = {p for (p,) in query(home, "select problem_code from meta.files where status = 'rejected'")}
    assert problems == {"no_matching_header", "missing_required_column", "undecodable", "empty_file",
                        "no_data_rows"}
    corrected = query(home, "select count(*) from raw.attendance where _file_name like '%korjaus%'")[0][0]
    assert corrected > 0


def test_county_and_national_tiers_are_defined_to_the_issue_sizes():
    assert (SCALES["county"].providers, SCALES["county"].clients_per_year, SCALES["county"].years) == (40, 3000, 3)
    assert (SCALES["national"].providers, SCALES["national"].clients_per_year, SCALES["national"].years) == (800, 45000, 5)


# -- Great Expectations --------------------------------------------------------------------
def test_every_expectation_outcome_is_stored_per_run_and_kind(home):
    deliver(home, "j.csv",
            "y_tunnus;toimintayksikko;jakso_id;hetu;palvelutuote;alkupvm;suunniteltu_loppupvm\n"
            + "".join(f"{PROVIDER_A};U1;J{i};{HETU_1};KTT_OHJAUS;3.3.2025;2.6.2025\n" for i in range(10)))
    deliver(home, "a.csv", f"y_tunnus;jakso_id;hetu;pvm;tila;tunnit\n{PROVIDER_A};J1;{HETU_1};4.3.2025;LASNA;5\n")
    result = run_ingest(home, validate=True)
    rows = query(home, "select kind, expectation, column_name, success, element_count, unexpected_count "
                       "from meta.expectation_results where run_id = ?", [result.run_id])
    assert {r[0] for r in rows} == {"periods", "attendance"}
    assert result.expectations_total == len(rows) and result.expectations_failed == 1
    # no implementation plan date on any of the ten periods: the "mostly given" check fails
    failed = [r for r in rows if not r[3]]
    assert failed == [("periods", "expect_column_values_to_not_be_null", "plan_delivered_date", False, 10, 10)]
    pseudonym_check = [r for r in rows if r[1] == "expect_column_values_to_match_regex"]
    assert all(r[3] for r in pseudonym_check) and len(pseudonym_check) == 2


def test_suites_only_name_columns_the_warehouse_has(home):
    import json

    from flows.formats.spec import KINDS
    from flows.warehouse import raw_columns

    for path in Path("expectations/suites").glob("*.json"):
        suite = json.loads(path.read_text(encoding="utf-8"))
        columns = {name for name, _ in raw_columns(KINDS[suite["name"]])}
        for exp in suite["expectations"]:
            kwargs = exp["kwargs"]
            named = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"),
                     *kwargs.get("column_list", [])]
            assert {c for c in named if c} <= columns, (path.name, exp["type"])
            assert exp["meta"]["description_fi"]
