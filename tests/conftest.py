"""Shared helpers: small homes with a real provider register, real files, a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import duckdb
import pytest

from flows.demo.people import business_id, identity_code
from flows.home import Home
from flows.ingest.service import run_ingest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

PROVIDER_A = business_id(1234567)  # 1234567-1
PROVIDER_B = business_id(2345678)  # 2345678-0
NOT_REGISTERED = next(b for n in range(3456789, 3456800) if (b := business_id(n)))
HETU_1 = identity_code(dt.date(1990, 1, 1), 901)  # 010190-901R
HETU_2 = identity_code(dt.date(2000, 2, 29), 902)
HETU_3 = identity_code(dt.date(1985, 6, 15), 953)
# Any string shaped like an identity code (valid or not): none may reach warehouse or outputs.
HETU_SHAPE = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]")
TEST_KEY = "test-key-not-a-secret"
CENTURY = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def valid_identity_codes(text: str) -> list[str]:
    """Every real-looking identity code in `text`: right shape, real date, right check character."""
    from flows.demo.people import HETU_CHECK

    found = []
    for match in HETU_SHAPE.finditer(text):
        code = match.group(0)
        try:
            dt.date(CENTURY[code[6]] + int(code[4:6]), int(code[2:4]), int(code[:2]))
        except ValueError:
            continue
        if HETU_CHECK[int(code[:6] + code[7:10]) % 31] == code[10]:
            found.append(code)
    return found


def register_text(*rows: tuple[str, str, str, str, str]) -> str:
    lines = ["provider_id;name;legal_form;soteri_registered;rule_set;contract_id;contract_start;"
             "contract_end;products"]
    for pid, name, form, soteri, rule_set in rows:
        lines.append(f"{pid};{name};{form};{soteri};{rule_set};C-1;1.1.2025;31.12.2027;KTT_OHJAUS|KTT_RYHMA")
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv("VALVONTA_PSEUDONYM_KEY", TEST_KEY)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    h = Home(tmp_path / "home").ensure()
    h.providers_csv.write_text(register_text(
        (PROVIDER_A, "Polku ry", "YHDISTYS", "K", "LAPPI_2025"),
        (PROVIDER_B, "Verso Oy", "OSAKEYHTIO", "E", "PSAVO_2026"),
    ), encoding="utf-8")
    return h


def deliver(home: Home, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = home.inbox / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def ingest(home: Home, validate: bool = False):
    return run_ingest(home, validate=validate)


def query(home: Home, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def quarantined(home: Home, file_name: str | None = None) -> list[tuple]:
    """(row, column, rule, reason, value) of every quarantined cell, in row order."""
    where = "where file_name = ?" if file_name else ""
    return query(home, f"select row_number, column_name, rule, reason_fi, masked_value "
                       f"from meta.quarantine {where} order by row_number, column_name",
                 [file_name] if file_name else [])


def attendance_csv(rows: list[str], header: str = "y_tunnus;jakso_id;hetu;pvm;tila;tunnit") -> str:
    return header + "\n" + "\n".join(rows) + "\n"


# A development action that a spreadsheet would run as a formula, and feedback and incident texts
# that must never leave the warehouse: delivered beside the demo data by `demo_published`.
FORMULA_ACTION = "=1+2 ohjeistus päivitetty"
SECRET_FEEDBACK_TEXT = "Salainen palauteteksti ZQXJ ei saa näkyä"


@pytest.fixture(scope="session")
def demo_published(tmp_path_factory) -> Home:
    """The demo tier ingested, built (as of 1.11.2026) and published once for the read-only tests
    of reports and dashboards. Tests must not change it."""
    from flows.build import build
    from flows.demo.generator import generate
    from flows.publish import publish

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VALVONTA_PSEUDONYM_KEY", TEST_KEY)
        home = Home(tmp_path_factory.mktemp("demo") / "home").ensure()
        generate(home, "demo", seed=2025)
        provider = home.providers_csv.read_text(encoding="utf-8").splitlines()[1].split(";")[0]
        deliver(home, f"{provider}_palautteet_lisays.csv",
                "y_tunnus;toimintayksikko;palaute_id;vastaanotettu_pvm;laji;aihe;toimenpiteet;palaute\n"
                f"{provider};U1;X2025-9001;12.5.2025;REKLAMAATIO;KOHTELU;{FORMULA_ACTION};{SECRET_FEEDBACK_TEXT}\n")
        run_ingest(home, validate=False)
        result = build(home, "demo-1", as_of=dt.date(2026, 11, 1))
        assert result.ok, result
        publish(home, "demo-1")
    return home


def fi_kpi(value: float | None, kpi: str) -> str:
    """A KPI value as the packages and dashboards show it (independent of their code): shares as
    per cent with one decimal, NPS with one decimal, means and rates with two; Finnish separators."""
    if value is None:
        return "–"
    if kpi == "NPS":
        text = f"{value:,.1f}"
    elif kpi in ("SATISFACTION_MEAN", "INCIDENTS_PER_1000_DAYS"):
        text = f"{value:,.2f}"
    else:
        return f"{value * 100:,.1f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0%"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")


def fi_count(value: float) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")
