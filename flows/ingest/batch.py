"""Reading and checking a batch of same-layout parts in DuckDB.

Used both by the warehouse load and by `valvonta check`, so a provider's pre-submission verdict
is computed by the very same SQL as the county's ingest.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ..formats.reader import Part
from ..formats.validate_sql import lit, parse_select

# Trailing delimiters and stray cells beyond the header are read into spare columns and ignored.
SPARE_COLUMNS = 4


@dataclass
class BatchItem:
    """One part of one file inside a batch; `key` is the file's row tag in SQL."""

    key: str
    part: Part


def load_source(con: duckdb.DuckDBPyConnection, items: list[BatchItem], table: str) -> int:
    """Create temp table `table` (_file, _row, c0…cN) from the items; returns N+1."""
    first = items[0].part
    width = max(len(item.part.headers) for item in items) + SPARE_COLUMNS
    con.execute(f"drop table if exists {table}")
    if first.csv_path is not None:
        paths = "[" + ", ".join(lit(str(item.part.csv_path)) for item in items) + "]"
        keys = {str(item.part.csv_path): item.key for item in items}
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        con.execute("drop table if exists _batch_keys")
        con.execute("create temp table _batch_keys (path varchar, key varchar)")
        con.executemany("insert into _batch_keys values (?, ?)", list(keys.items()))
        con.execute(
            f"""
            create temp table _scanned as
            select *, row_number() over () as _n
            from read_csv({paths}, delim={lit(first.delimiter)}, header=false, skip=1,
                auto_detect=false, null_padding=true, parallel=false, quote='"',
                escape='"', strict_mode=false, filename=true, columns={columns})
            """
        )
        # Files are read one after another, so a file's rows are numbered from its first one.
        con.execute(
            f"""
            create temp table {table} as
            with offsets as (select filename, min(_n) as _first from _scanned group by filename)
            select k.key as _file, cast(s._n - o._first + 2 as integer) as _row,
                s.* exclude (filename, _n)
            from _scanned s
            join offsets o on o.filename = s.filename
            join _batch_keys k on k.path = s.filename
            """
        )
        con.execute("drop table _scanned")
    else:
        files, rows = [], []
        cells: list[list[str | None]] = [[] for _ in range(width)]
        for item in items:
            for number, values in item.part.rows or []:
                files.append(item.key)
                rows.append(number)
                for i in range(width):
                    cells[i].append(values[i] if i < len(values) else None)
        arrow = pa.table(
            {"_file": pa.array(files, pa.string()), "_row": pa.array(rows, pa.int32()),
             **{f"c{i}": pa.array(cells[i], pa.string()) for i in range(width)}}
        )
        con.register("_arrow_source", arrow)
        con.execute(f"create temp table {table} as select * from _arrow_source")
        con.unregister("_arrow_source")
    return width


def parse_batch(
    con: duckdb.DuckDBPyConnection,
    items: list[BatchItem],
    register_table: str | None,
    table: str = "_parsed",
) -> None:
    """Create temp table `table` holding every non-empty row typed, with its `_errors` list."""
    part = items[0].part
    width = load_source(con, items, "_source")
    sql = parse_select(part.kind, part.positions, part.header_text, width, "_source", register_table)
    con.execute(f"drop table if exists {table}")
    con.execute(f"create temp table {table} as {sql}")
    con.execute("drop table _source")


def batch_counts(con: duckdb.DuckDBPyConnection, table: str = "_parsed") -> dict[str, tuple[int, int]]:
    """Per file key: (rows read, rows quarantined)."""
    rows = con.execute(
        f"select _file, count(*), count(*) filter (where len(_errors) > 0) from {table} group by _file"
    ).fetchall()
    return {key: (read, bad) for key, read, bad in rows}


def rejected_cells(con: duckdb.DuckDBPyConnection, table: str = "_parsed") -> list[tuple]:
    """(file key, row, provider id when valid, column, rule, reason, masked value) per error."""
    has_provider = "t_provider_id" in {
        r[0] for r in con.execute(f"describe {table}").fetchall()
    }
    provider = "t_provider_id" if has_provider else "null"
    return con.execute(
        f"""
        select _file, _row, p, e.column_name, e.rule, e.reason_fi, e.masked_value
        from (select _file, _row, {provider} as p, unnest(_errors) as e
              from {table} where len(_errors) > 0)
        order by _file, _row
        """
    ).fetchall()
