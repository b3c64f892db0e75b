"""Publishing: the read-only copy dashboards, reports and analysts read.

After a successful build the marts (and the run history the data-quality page shows) are copied
into a new DuckDB file, which then replaces `<home>/published/warehouse.duckdb` with one atomic
rename; Parquet files per mart go to a new folder that a symlink swap makes current. A reader
that has the old file open keeps reading it, so dashboards work while a pipeline run writes, and
a failed build never reaches this step.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import duckdb

from .home import Home
from .warehouse import connect

# Run history, without anything a provider's row held except masked values.
META_TABLES = ("runs", "files", "file_parts", "file_notes", "quarantine", "expectation_results",
               "dbt_results")
SEED_TABLES = ("kpi_definitions", "kpi_thresholds", "code_labels", "annual_documents", "finnish_holidays")


def published_path(home: Home) -> Path:
    return home.published / "warehouse.duckdb"


def publish(home: Home, run_id: str) -> Path:
    home.published.mkdir(parents=True, exist_ok=True)
    target = published_path(home)
    staging = home.published / f".warehouse-{run_id}.duckdb"
    staging.unlink(missing_ok=True)
    con = connect(home)
    try:
        marts = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1").fetchall()]
        con.execute(f"attach '{staging}' as pub")
        con.execute("create schema pub.marts")
        con.execute("create schema pub.meta")
        con.execute("create schema pub.seeds")
        for table in marts:
            con.execute(f"create table pub.marts.{table} as select * from marts.{table}")
        existing = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'meta'").fetchall()}
        for table in META_TABLES:
            if table in existing:
                con.execute(f"create table pub.meta.{table} as select * from meta.{table}")
        for table in SEED_TABLES:
            con.execute(f"create table pub.seeds.{table} as select * from seeds.{table}")
        con.execute("detach pub")
        parquet_dir = home.published / f"parquet-{run_id}"
        shutil.rmtree(parquet_dir, ignore_errors=True)
        parquet_dir.mkdir()
        for table in marts:
            con.execute(f"copy marts.{table} to '{parquet_dir / (table + '.parquet')}' (format parquet)")
    finally:
        con.close()
    os.chmod(staging, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(staging, target)
    _swap_symlink(home.published / "parquet", parquet_dir.name)
    for old in home.published.glob("parquet-*"):
        if old.name != parquet_dir.name:
            shutil.rmtree(old, ignore_errors=True)
    return target


def _swap_symlink(link: Path, target_name: str) -> None:
    tmp = link.with_name(link.name + ".new")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target_name)
    if link.is_dir() and not link.is_symlink():  # e.g. a copy made without keeping symlinks
        shutil.rmtree(link)
    os.replace(tmp, link)


def open_published(home: Home) -> duckdb.DuckDBPyConnection:
    path = published_path(home)
    if not path.exists():
        raise FileNotFoundError(
            f"Julkaistua varastoa ei ole: {path}. Aja ensin valvonta run (tai valvonta build).")
    return duckdb.connect(str(path), read_only=True)
