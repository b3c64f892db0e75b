"""The invariant the pipeline checks on every run, for every file it ever took in:
rows read = rows loaded + rows quarantined, and both sides match what the tables really hold."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..formats.spec import INBOX_KINDS


@dataclass
class Mismatch:
    file_id: str
    file_name: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_in_tables: int
    rows_in_quarantine: int


def reconcile(con: duckdb.DuckDBPyConnection) -> list[Mismatch]:
    landed = " union all ".join(
        f"select _file_id as file_id, count(*) as n from raw.{k.name} group by _file_id"
        for k in INBOX_KINDS
    )
    rows = con.execute(
        f"""
        with landed as (select file_id, sum(n) as n from ({landed}) group by file_id),
        held as (
            select file_id, count(distinct (coalesce(sheet, ''), row_number)) as n
            from meta.quarantine group by file_id
        )
        select f.file_id, f.file_name, f.rows_read, f.rows_loaded, f.rows_quarantined,
            coalesce(l.n, 0), coalesce(h.n, 0)
        from meta.files f
        left join landed l on l.file_id = f.file_id
        left join held h on h.file_id = f.file_id
        where f.rows_read <> f.rows_loaded + f.rows_quarantined
           or f.rows_loaded <> coalesce(l.n, 0)
           or f.rows_quarantined <> coalesce(h.n, 0)
        """
    ).fetchall()
    return [Mismatch(*r) for r in rows]
