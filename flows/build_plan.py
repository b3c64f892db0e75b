"""Deciding how much a build must do: everything, the part downstream of what changed, or nothing.

A provider's monthly delivery changes one or two raw tables; rebuilding and retesting the whole
warehouse for it is most of a build's time. So each successful build records what it was built
from (meta.build_state): a fingerprint of the dbt project (models, macros, seeds, tests, config),
a signature of every source table, and the as-of date. The next build compares:

- nothing recorded, the last build did not finish cleanly, the project changed (a threshold seed
  edited, a model changed), the provider register changed, or a source changed in a way loads do
  not (rows gone, changed without a new load) -> a full build: `dbt build --full-refresh`, every
  model, every data and unit test;
- otherwise, sources with new loads -> `dbt build` of the models downstream of them (the large
  ones are rebuilt provider by provider), and their data tests; the models that judge deadlines
  by the as-of date also when that date moved. Unit tests, and the data tests tagged `code` (they
  check what a model's SQL guarantees by itself, such as the value set of a CASE), test code,
  which has not changed since the last full build that ran them, so they are left out;
- nothing new and the same as-of date -> no dbt run at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

STATE_DDL = """
create table if not exists meta.build_state (
    run_id varchar,
    mode varchar,
    status varchar,
    started_at timestamp,
    finished_at timestamp,
    fingerprint varchar,
    sources varchar,
    as_of date,
    reason varchar
)
"""
# what the fingerprint covers: everything that decides what a model contains
PROJECT_PARTS = ("models", "macros", "seeds", "tests", "dbt_project.yml", "profiles.yml")
AS_OF_SELECTOR = "tag:as_of+"


@dataclass
class BuildPlan:
    mode: str  # "full", "incremental" or "none"
    reason: str  # Finnish, shown to the user
    select: list[str] = field(default_factory=list)
    fingerprint: str = ""
    sources: dict[str, list] = field(default_factory=dict)
    as_of: dt.date | None = None

    def dbt_args(self) -> list[str]:
        if self.mode == "full":
            return ["build", "--full-refresh"]
        return ["build", "--select", *self.select, "--exclude-resource-type", "unit_test", "--exclude", "tag:code"]


def project_fingerprint(project: Path) -> str:
    digest = hashlib.sha256()
    for part in PROJECT_PARTS:
        path = project / part
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(str(file.relative_to(project)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def source_signatures(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Per source table: [rows, highest load sequence, content hash]. Raw tables only grow by loads,
    so rows and the load sequence say what changed; the register is replaced whole, so it is hashed."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw', 'ref') and table_type = 'BASE TABLE' order by all").fetchall()
    signatures = {}
    for schema, table in tables:
        if schema == "raw":
            rows, seq = con.execute(f'select count(*), coalesce(max(_load_seq), 0) from raw."{table}"').fetchone()
            signatures[f"raw.{table}"] = [rows, seq, None]
        else:
            rows, content = con.execute(
                f'select count(*), coalesce(sum(hash(t)), 0)::varchar from {schema}."{table}" as t').fetchone()
            signatures[f"{schema}.{table}"] = [rows, None, content]
    return signatures


def last_state(con: duckdb.DuckDBPyConnection) -> dict | None:
    con.execute(STATE_DDL)
    row = con.execute("select status, fingerprint, sources, as_of from meta.build_state "
                      "order by started_at desc limit 1").fetchone()
    if row is None:
        return None
    return {"status": row[0], "fingerprint": row[1], "sources": json.loads(row[2] or "{}"), "as_of": row[3]}


def plan_build(con: duckdb.DuckDBPyConnection, project: Path, as_of: dt.date,
               full_refresh: bool = False) -> BuildPlan:
    fingerprint = project_fingerprint(project)
    sources = source_signatures(con)
    plan = BuildPlan("full", "", fingerprint=fingerprint, sources=sources, as_of=as_of)
    state = last_state(con)
    if full_refresh:
        plan.reason = "täysi rakennus pyydettiin"
    elif state is None:
        plan.reason = "ensimmäinen rakennus"
    elif state["status"] != "ok":
        plan.reason = "edellinen rakennus ei päättynyt onnistuneesti"
    elif state["fingerprint"] != fingerprint:
        plan.reason = "mallit, testit tai sääntötaulut (seeds) ovat muuttuneet"
    else:
        changed, reason = _changed_sources(state["sources"], sources)
        if reason:
            plan.reason = reason
        else:
            plan.select = [f"source:{name}+" for name in changed]
            if state["as_of"] != as_of:
                plan.select.append(AS_OF_SELECTOR)
            if plan.select:
                plan.mode = "incremental"
                plan.reason = "uutta aineistoa: " + ", ".join(changed) if changed else "tarkastelupäivä vaihtui"
            else:
                plan.mode = "none"
                plan.reason = "ei uutta aineistoa edellisen rakennuksen jälkeen"
    return plan


def _changed_sources(before: dict[str, list], now: dict[str, list]) -> tuple[list[str], str]:
    """The raw tables that got new loads, or a reason why only a full build is safe."""
    changed = []
    for name in sorted(set(before) | set(now)):
        old, new = before.get(name), now.get(name)
        if old == new:
            continue
        if not name.startswith("raw."):
            return [], "palveluntuottajarekisteri on muuttunut"
        if old is None or new is None or new[0] < old[0] or new[1] <= old[1]:
            return [], f"lähdetaulu {name} on muuttunut muuten kuin uusina toimituksina"
        changed.append(name)
    return changed, ""


def record_start(con: duckdb.DuckDBPyConnection, run_id: str, plan: BuildPlan) -> None:
    """After plan_build() on the same connection (which creates meta.build_state)."""
    con.execute("insert into meta.build_state values (?, ?, 'running', ?, null, ?, ?, ?, ?)",
                [run_id, plan.mode, dt.datetime.now(), plan.fingerprint, json.dumps(plan.sources),
                 plan.as_of, plan.reason])


def record_end(con: duckdb.DuckDBPyConnection, run_id: str, status: str) -> None:
    con.execute("update meta.build_state set status = ?, finished_at = ? where run_id = ? and status = 'running'",
                [status, dt.datetime.now(), run_id])
