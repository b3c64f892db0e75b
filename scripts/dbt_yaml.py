"""Write the YAML of every dbt model from a built warehouse: descriptions, tests, contracts.

    uv run python scripts/dbt_yaml.py [WAREHOUSE]

Column types come from the built tables (so a mart's enforced contract matches what it builds),
descriptions from dbt/docs/columns.yml, model descriptions and tests from MODELS below. Run it
after adding a column or a model, and commit what it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import yaml

DBT = Path(__file__).resolve().parent.parent / "dbt"
KPI_STATUS = ["OK", "POIKKEAMA", "EI_DATAA", "TIETO"]
STATUSES = ["LASNA", "POISSA_SAIRAUS", "POISSA_MUU", "POISSA_ILMOITTAMATTA", "PERUUTUS_ASIAKAS", "PERUUTUS_TUOTTAJA"]


def unique(*cols):
    return {"unique_combination_of_columns": {"arguments": {"combination_of_columns": list(cols)}}}


def rel(to, field):
    return {"relationships": {"arguments": {"to": f"ref('{to}')", "field": field}}}


def values(*vals):
    return {"accepted_values": {"arguments": {"values": list(vals)}}}


def of_code(test):
    """A test of what the model's SQL guarantees by itself (the value set of a CASE, a hash that is
    never null), not of the data: its result changes only when the code does. Tagged `code`, it runs
    in full builds, which every change of the project triggers (flows/build_plan.py), and is left
    out of incremental builds, like the unit tests."""
    name, arguments = (test, {}) if isinstance(test, str) else next(iter(test.items()))
    return {name: {**arguments, "config": {"tags": ["code"]}}}


MODELS = {
    "stg_providers": (
        "staging",
        "The county's provider register, one row per provider.",
        [],
        {"provider_id": ["unique", "not_null"], "rule_set": ["not_null", values("LAPPI_2025", "PSAVO_2026")]},
    ),
    "stg_periods": (
        "staging",
        "Current view of client periods: the latest delivered row per (provider, period).",
        [unique("provider_id", "period_id")],
        {
            "provider_id": ["not_null", rel("stg_providers", "provider_id")],
            "period_id": ["not_null"],
            "client_pseudonym": ["not_null"],
            "start_date": ["not_null"],
        },
    ),
    "stg_attendance": (
        "staging",
        "Current view of the coaching diary: the latest row per (provider, period, date, activity). "
        "A table rebuilt per provider (incremental) rather than a view: see the model's comment.",
        [unique("provider_id", "period_id", "attendance_date", "activity")],
        {
            "provider_id": ["not_null", rel("stg_providers", "provider_id")],
            "status": ["not_null", values(*STATUSES)],
            "mode": [values("LAHI", "ETA")],
        },
    ),
    "stg_feedback": (
        "staging",
        "Current view of feedback, complaints and objections (without the feedback text).",
        [unique("provider_id", "feedback_id")],
        {"provider_id": ["not_null"], "received_date": ["not_null"]},
    ),
    "stg_survey": (
        "staging",
        "Current view of customer-satisfaction responses (without free text).",
        [unique("provider_id", "response_id")],
        {"provider_id": ["not_null"], "survey_type": [values("VUOSIKYSELY", "PAATTYMISKYSELY")]},
    ),
    "stg_incidents": (
        "staging",
        "Current view of danger events and threatening situations (without descriptions).",
        [unique("provider_id", "incident_id")],
        {"provider_id": ["not_null"], "severity": [{"accepted_values": {"arguments": {"values": [0, 1, 2, 3, 4]}}}]},
    ),
    "stg_staff": (
        "staging",
        "Current view of staff lists: one row per (provider, person, list date).",
        [unique("provider_id", "staff_id", "as_of_date")],
        {"provider_id": ["not_null"], "role": ["not_null"]},
    ),
    "stg_deliveries": (
        "staging",
        "Current view of the annual documents received, per provider, year and document.",
        [unique("provider_id", "reporting_year", "document")],
        {"provider_id": ["not_null"], "received_date": ["not_null"]},
    ),
    "stg_provider_loads": (
        "staging",
        "The last load sequence of each provider's rows per kind (drives the incremental models).",
        [unique("provider_id", "kind")],
        {"provider_id": ["not_null"], "last_load_seq": ["not_null"]},
    ),
    "int_periods": (
        "intermediate",
        "Periods with their provider's rule set, their product's limits and the due dates of what they owe.",
        [unique("provider_id", "period_id")],
        {"rule_set": ["not_null"]},
    ),
    "int_attendance": (
        "intermediate",
        "Diary rows joined to their period, with calendar facts and ISO week.",
        [unique("provider_id", "period_id", "attendance_date", "activity")],
        {},  # period_known is never null by construction: a not_null test could not fail
    ),
    "int_present_days": (
        "intermediate",
        "Present days: distinct (period, date) with a LASNA row, with the day's summed hours.",
        [unique("provider_id", "period_id", "attendance_date")],
        {},  # present_rows is never null by construction: a not_null test could not fail
    ),
    "int_period_weeks": (
        "intermediate",
        "(period, ISO week) pairs per calendar year with their present days; "
        "a week across the new year counts in each year with its own days.",
        [unique("provider_id", "period_id", "attendance_year", "iso_year", "iso_week")],
        {},  # present_days is never null by construction: a not_null test could not fail
    ),
    "int_group_sessions": (
        "intermediate",
        "Group sessions: distinct (group, date) of present rows, "
        "with the count of present clients and the product's size range.",
        [unique("provider_id", "group_id", "attendance_date")],
        {},  # present_clients is never null by construction: a not_null test could not fail
    ),
    "int_staff_lists": (
        "intermediate",
        "Each provider's latest staff list of each year, people employed on its date, with role checks.",
        [unique("provider_id", "staff_id", "as_of_date")],
        {"list_year": ["not_null"]},
    ),
    "int_kpi_units": (
        "intermediate",
        "One row per counted unit of every KPI: its numerator and denominator contribution and whether it passed.",
        [],
        # every row of the parts is here, so the keys are checked once, here; the codes in each part
        {"kpi": ["not_null"], "provider_id": ["not_null"], "kpi_year": ["not_null"]},
    ),
    **{
        f"int_kpi_{part}_units": (
            "intermediate",
            f"KPI units counted from {what} (see int_kpi_units).",
            [],
            {"kpi": [rel("kpi_definitions", "kpi")]},
        )
        for part, what in (
            ("period", "client periods"),
            ("diary", "the coaching diary"),
            ("feedback", "feedback, incidents and survey answers"),
            ("staff", "staff lists"),
        )
    },
    "int_kpi_unit_months": (
        "intermediate",
        "The KPI units added up per provider, year, calendar month of the unit and KPI.",
        [of_code(unique("provider_id", "kpi_year", "unit_month", "kpi"))],  # its group by
        {},  # added up from int_kpi_units, whose keys are tested
    ),
    "int_provider_years": (
        "intermediate",
        "The years each provider is monitored for (contract start or first data to the last data year).",
        [of_code(unique("provider_id", "kpi_year"))],  # a range of years per provider of the register
        {},  # provider_id comes from the register (stg_providers: unique, not null)
    ),
    "dim_providers": (
        "marts",
        "Providers: the county's register with labels.",
        [],
        {"provider_id": ["unique", "not_null"]},
    ),
    "dim_products": (
        "marts",
        "Service products and their limits per rule set (from the products seed).",
        [],
        {"product": ["unique", "not_null"]},
    ),
    "dim_clients": (
        "marts",
        "Clients: a pseudonym and an age band, nothing more.",
        [],
        {
            "client_pseudonym": ["unique", "not_null"],
            "age_band": [values("alle 18", "18–24", "25–34", "35–44", "45–54", "55–64", "65 tai yli")],
        },
    ),
    "fct_periods": (
        "marts",
        "Client periods (current view) with due dates and checks.",
        [unique("provider_id", "period_id")],
        {
            "provider_id": ["not_null", rel("dim_providers", "provider_id")],
            "client_pseudonym": ["not_null", rel("dim_clients", "client_pseudonym")],
        },
    ),
    "fct_attendance": (
        "marts",
        "The coaching diary (current view), one row per diary row.",
        [unique("provider_id", "period_id", "attendance_date", "activity")],
        # status is stg_attendance's, tested there
        {"provider_id": ["not_null", rel("dim_providers", "provider_id")]},
    ),
    "fct_feedback": (
        "marts",
        "Feedback, complaints and objections with reply and reporting times (no feedback text).",
        [unique("provider_id", "feedback_id")],
        {"provider_id": ["not_null", rel("dim_providers", "provider_id")]},
    ),
    "fct_incidents": (
        "marts",
        "Danger events and threatening situations with reporting times (no descriptions).",
        [unique("provider_id", "incident_id")],
        {"provider_id": ["not_null", rel("dim_providers", "provider_id")]},
    ),
    "fct_survey_responses": (
        "marts",
        "Customer-satisfaction responses (no free text).",
        [unique("provider_id", "response_id")],
        {"provider_id": ["not_null", rel("dim_providers", "provider_id")]},
    ),
    "fct_staff_snapshots": (
        "marts",
        "Every delivered staff list, person by person, with role checks; no names.",
        [unique("provider_id", "staff_id", "as_of_date")],
        {"provider_id": ["not_null", rel("dim_providers", "provider_id")]},
    ),
    "fct_satisfaction": (
        "marts",
        "Satisfaction per provider, product, year and statement: n, mean and distribution.",
        [unique("provider_id", "service_product", "year", "statement")],
        {"mean": [{"at_most": {"arguments": {"other": "5"}}}], "n": ["not_null"]},
    ),
    "fct_satisfaction_summary": (
        "marts",
        "Per provider and year: responses, NPS and end-survey coverage.",
        [unique("provider_id", "year")],
        {"provider_id": ["not_null"]},
    ),
    "fct_deadlines": (
        "marts",
        "Every deadline: due date and done date; open as of a date = due by it and not done by it.",
        [unique("provider_id", "record_type", "record_id", "deadline")],
        {"due_date": ["not_null"]},
    ),
    "fct_annual_package": (
        "marts",
        "The 31.3 package per provider and reporting year: each owed document, due date, arrival and status.",
        [unique("provider_id", "reporting_year", "document")],
        {
            "provider_id": ["not_null", rel("dim_providers", "provider_id")],
            "status": [of_code("not_null"), of_code(values("ON_TIME", "LATE", "MISSING", "NOT_DUE"))],
            "item_no": [of_code(values(1, 2, 3, 4, 5, 6, 7))],  # from the annual_documents seed
        },
    ),
    "fct_kpis": (
        "marts",
        "The KPI table of kpis.md: one row per provider, year and applicable KPI, in the export shape.",
        # provider-years × the seed's definitions, sums joined on the same key: all by construction
        [of_code(unique("provider_id", "year", "kpi"))],
        {
            "status": [of_code("not_null"), of_code(values(*KPI_STATUS))],
            "kpi": [of_code(rel("kpi_definitions", "kpi"))],
            "provider_id": [of_code(rel("dim_providers", "provider_id"))],
        },
    ),
    "fct_kpi_months": (
        "marts",
        "The KPIs by calendar month of their counted units: the trends of the provider dashboard. "
        "Staff-list KPIs (one list a year) are not in it.",
        [of_code(unique("provider_id", "year", "month", "kpi"))],
        {
            # inner joins on kpi and provider_id, month() of a date: guaranteed by the SQL
            "kpi": [of_code("not_null"), of_code(rel("kpi_definitions", "kpi"))],
            "provider_id": [of_code("not_null"), of_code(rel("dim_providers", "provider_id"))],
            "month": [of_code("not_null"), of_code({"accepted_values": {"arguments": {"values": list(range(1, 13)),
                                                                                      "quote": False}}})],
        },
    ),
    "fct_findings": (
        "marts",
        "The cases behind every deviation, and the findings that are not ratios.",
        [],
        {
            "finding_id": ["unique", of_code("not_null")],
            "provider_id": ["not_null", rel("dim_providers", "provider_id")],
            "rule": [of_code("not_null")],
        },
    ),
}


# Where a column means something narrower in one model than dbt/docs/columns.yml says.
COLUMN_DESCRIPTIONS = {
    ("stg_attendance", "built_load_seq"): "The highest load sequence of the diary source when this row was built.",
}


def main() -> int:
    warehouse = sys.argv[1] if len(sys.argv) > 1 else "data/warehouse.duckdb"
    docs = yaml.safe_load((DBT / "docs" / "columns.yml").read_text(encoding="utf-8"))
    con = duckdb.connect(warehouse, read_only=True)
    for model, (layer, description, model_tests, column_tests) in MODELS.items():
        columns = con.execute(
            "select column_name, data_type from information_schema.columns where table_name = ? "
            "and table_schema = ? order by ordinal_position",
            [model, layer],
        ).fetchall()
        assert columns, model
        entries = []
        for name, data_type in columns:
            entry = {"name": name, "description": COLUMN_DESCRIPTIONS.get((model, name), docs.get(name, ""))}
            assert entry["description"], f"describe {name} in dbt/docs/columns.yml"
            if layer == "marts":
                entry["data_type"] = data_type.lower()
            if column_tests.get(name):
                entry["data_tests"] = column_tests[name]
            entries.append(entry)
        spec = {"name": model, "description": description, "columns": entries}
        if model_tests:
            spec["data_tests"] = model_tests
        if layer == "marts":
            spec["config"] = {"contract": {"enforced": True}}
        path = DBT / "models" / layer / f"{model}.yml"
        path.write_text(
            yaml.safe_dump({"version": 2, "models": [spec]}, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
