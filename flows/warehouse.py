"""The DuckDB warehouse file: connection settings and the tables the ingest owns.

raw.*  — every loaded row of every delivery, typed, with lineage; append-only (history kept).
ref.*  — the county's provider register, replaced on each run.
meta.* — manifest, quarantine, notes, runs and data-quality outcomes.
The current view per natural key is built by dbt (staging); raw.current_* views give the same
for a quick look.
"""

from __future__ import annotations

import duckdb

from .formats.spec import HETU, KINDS, Kind
from .formats.validate_sql import SQL_TYPES, q
from .home import Home

LINEAGE = (
    ("_file_id", "varchar"),  # sha256 of the delivered file
    ("_file_name", "varchar"),
    ("_sheet", "varchar"),
    ("_row", "integer"),  # the row number the provider sees (header = 1)
    ("_load_seq", "bigint"),  # ingestion order; the higher wins in the current view
    ("_run_id", "varchar"),
    ("_loaded_at", "timestamp"),
)

META_DDL = """
create schema if not exists raw;
create schema if not exists ref;
create schema if not exists meta;
create table if not exists meta.runs (
    run_id varchar primary key,
    command varchar,
    started_at timestamp,
    finished_at timestamp,
    status varchar,
    files_seen integer,
    files_loaded integer,
    files_rejected integer,
    files_duplicate integer,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    reconciled boolean,
    message varchar
);
create table if not exists meta.files (
    file_id varchar primary key,
    file_name varchar not null,
    size_bytes bigint,
    kinds varchar,
    status varchar not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    load_seq bigint,
    run_id varchar,
    ingested_at timestamp,
    encoding varchar,
    provider_id varchar,
    problem_code varchar,
    problem_fi varchar
);
create table if not exists meta.file_parts (
    file_id varchar,
    sheet varchar,
    kind varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint
);
create table if not exists meta.file_notes (
    file_id varchar,
    sheet varchar,
    note_fi varchar
);
create table if not exists meta.quarantine (
    file_id varchar,
    file_name varchar,
    sheet varchar,
    row_number integer,
    kind varchar,
    provider_id varchar,
    column_name varchar,
    rule varchar,
    reason_fi varchar,
    masked_value varchar,
    run_id varchar
);
create table if not exists meta.expectation_results (
    run_id varchar,
    kind varchar,
    expectation varchar,
    column_name varchar,
    description_fi varchar,
    success boolean,
    element_count bigint,
    unexpected_count bigint,
    observed_value varchar,
    evaluated_at timestamp
);
create table if not exists meta.register_problems (
    run_id varchar,
    row_number integer,
    column_name varchar,
    reason_fi varchar,
    masked_value varchar
);
"""


def raw_columns(kind: Kind) -> list[tuple[str, str]]:
    """Typed columns of raw.<kind>: the identity code is replaced by what the KPIs need."""
    cols: list[tuple[str, str]] = []
    for col in kind.columns:
        if col.type == HETU:
            cols.append(("client_pseudonym", "varchar"))
            if kind.name == "periods":
                cols += [("client_sex", "varchar"), ("client_age_at_start", "integer")]
        else:
            cols.append((col.name, SQL_TYPES[col.type]))
    return cols


def kind_ddl(kind: Kind) -> str:
    table = "ref.providers" if kind.name == "providers" else f"raw.{kind.name}"
    columns = raw_columns(kind) + (list(LINEAGE) if kind.in_inbox else [])
    body = ",\n    ".join(f"{q(n)} {t}" for n, t in columns)
    ddl = f"create table if not exists {table} (\n    {body}\n);\n"
    if kind.in_inbox:
        keys = ", ".join(q(k) for k in kind.natural_key)
        ddl += (
            f"create or replace view raw.current_{kind.name} as\n"
            f"select * from {table}\n"
            f"qualify row_number() over (partition by {keys} order by _load_seq desc, _row desc) = 1;\n"
        )
    return ddl


def connect(home: Home, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    home.root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home.warehouse), read_only=read_only)
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")  # logs, not terminals, read our output
    if not read_only:
        # many small per-batch commits: checkpoint the WAL now and then, not on every commit
        con.execute("set checkpoint_threshold = '256MB'")
    limit = _memory_limit()
    if limit:
        con.execute(f"set memory_limit = '{limit}'")
    if not read_only:
        con.execute(f"set temp_directory = '{home.work / 'duckdb_tmp'}'")
    return con


def _memory_limit() -> str | None:
    import os

    return os.environ.get("VALVONTA_DUCKDB_MEMORY", "1GB")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(META_DDL)
    for kind in KINDS.values():
        con.execute(kind_ddl(kind))


def executemany(con: duckdb.DuckDBPyConnection, sql: str, rows: list) -> None:
    """executemany that accepts an empty list (DuckDB refuses one)."""
    if rows:
        con.executemany(sql, rows)
