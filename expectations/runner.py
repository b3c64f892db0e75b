"""Great Expectations at the boundary: one suite per kind, run on every ingest.

The row rules of the exchange format decide what is loaded; these suites check what *was*
loaded (a second line of defence, e.g. that only pseudonyms reached the warehouse) and flag
softer quality signals with `mostly`. Each run's rows of each kind are validated in bounded
chunks through GX's pandas datasource (GX cannot validate DuckDB tables directly, see design.md),
with one GX context per run, and every expectation's outcome is stored in
meta.expectation_results for the data-quality page.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.formats.spec import CODE_LISTS

SUITES_DIR = Path(__file__).resolve().parent / "suites"
CHUNK_ROWS = 500_000
EXTRA_LISTS = {"client_sex": ("M", "N")}
log = logging.getLogger(__name__)


@dataclass
class Outcome:
    kind: str
    expectation: str
    column: str
    description_fi: str
    success: bool
    element_count: int
    unexpected_count: int
    observed_value: str | None


def load_suite(kind: str) -> dict:
    suite = json.loads((SUITES_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    for exp in suite["expectations"]:
        value_set = exp["kwargs"].get("value_set")
        if isinstance(value_set, str) and value_set.startswith("$code_list:"):
            name = value_set.split(":", 1)[1]
            exp["kwargs"]["value_set"] = list(EXTRA_LISTS.get(name) or CODE_LISTS[name])
    return suite


def suite_kinds() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))


def _column_label(kwargs: dict) -> str:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    return ", ".join(kwargs.get("column_list", []))


class Validator:
    """One GX context for a whole run (its set-up is the expensive part)."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.context.data_sources.add_pandas("valvonta")
        self.config_cls = ExpectationConfiguration
        self.suites: dict[str, object] = {}
        self.definitions: dict[str, object] = {}

    def _suite(self, kind: str):
        if kind not in self.suites:
            spec = load_suite(kind)
            suite = self.gx.ExpectationSuite(name=f"valvonta_{kind}")
            for exp in spec["expectations"]:
                suite.add_expectation_configuration(
                    self.config_cls(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
                )
            self.suites[kind] = self.context.suites.add(suite)
            asset = self.source.add_dataframe_asset(kind)
            self.definitions[kind] = asset.add_batch_definition_whole_dataframe(f"{kind}_batch")
        return self.suites[kind]

    def validate_frame(self, kind: str, frame) -> list[Outcome]:
        suite = self._suite(kind)
        batch = self.definitions[kind].get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite)
        outcomes = []
        for item in result.results:
            config = item.expectation_config
            res = item.result or {}
            observed = res.get("observed_value")
            outcomes.append(Outcome(
                kind=kind, expectation=config.type, column=_column_label(config.kwargs),
                description_fi=(config.meta or {}).get("description_fi", ""),
                success=bool(item.success),
                element_count=int(res.get("element_count") or len(frame)),
                unexpected_count=int(res.get("unexpected_count") or 0),
                observed_value=None if observed is None else str(observed)[:200],
            ))
        return outcomes


def merge(chunks: list[list[Outcome]], suite: dict) -> list[Outcome]:
    """Add up chunk outcomes; a `mostly` expectation succeeds on the whole, not per chunk."""
    mostly = {
        (e["type"], _column_label(e["kwargs"])): e["kwargs"].get("mostly")
        for e in suite["expectations"]
    }
    grouped: dict[tuple[str, str], list[Outcome]] = {}
    for chunk in chunks:
        for outcome in chunk:
            grouped.setdefault((outcome.expectation, outcome.column), []).append(outcome)
    merged: list[Outcome] = []
    for key, parts in grouped.items():
        elements = sum(p.element_count for p in parts)
        unexpected = sum(p.unexpected_count for p in parts)
        success = all(p.success for p in parts)
        if mostly.get(key) is not None and elements:
            success = (1 - unexpected / elements) >= mostly[key]
        first = parts[0]
        merged.append(Outcome(first.kind, first.expectation, first.column, first.description_fi,
                              success, elements, unexpected, first.observed_value))
    return merged


def validate_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Outcome]:
    """Validate the rows each kind got in this run and store the outcomes."""
    validator: Validator | None = None
    stored: list[Outcome] = []
    for kind in suite_kinds():
        total = con.execute(f"select count(*) from raw.{kind} where _run_id = ?", [run_id]).fetchone()[0]
        if total == 0:
            continue
        validator = validator or Validator()
        suite = load_suite(kind)
        reader = con.execute(
            f"select * exclude (_file_id, _file_name, _sheet, _run_id, _loaded_at) "
            f"from raw.{kind} where _run_id = ?", [run_id]
        ).fetch_record_batch(CHUNK_ROWS)
        chunks = [validator.validate_frame(kind, batch.to_pandas()) for batch in reader]
        stored += merge(chunks, suite)
    now = dt.datetime.now()
    if stored:
        con.executemany(
            "insert into meta.expectation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, o.kind, o.expectation, o.column, o.description_fi, o.success,
              o.element_count, o.unexpected_count, o.observed_value, now) for o in stored],
        )
    failed = [o for o in stored if not o.success]
    if failed:
        log.warning("data-quality expectations not met: %d of %d", len(failed), len(stored))
    return stored
