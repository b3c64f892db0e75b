"""`valvonta files`: the manifest of every delivered file and what became of it."""

from __future__ import annotations

import csv
import sys

import duckdb

from .home import Home

COLUMNS = ("file_name", "sha256", "kinds", "status", "rows_read", "rows_loaded",
           "rows_quarantined", "ingested_at")


def manifest_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        """
        select file_name, file_id, kinds, status, rows_read, rows_loaded, rows_quarantined,
            strftime(ingested_at, '%Y-%m-%d %H:%M:%S')
        from meta.files order by load_seq, file_name
        """
    ).fetchall()


def print_manifest(home: Home, fmt: str = "table") -> int:
    if not home.warehouse.exists():
        print("Varastoa ei ole vielä: aja ensin valvonta run tai valvonta ingest.", file=sys.stderr)
        return 1
    try:
        con = duckdb.connect(str(home.warehouse), read_only=True)
    except duckdb.IOException:
        # a run is writing: the published copy holds the manifest as of the last build
        published = home.published / "warehouse.duckdb"
        if not published.exists():
            print("Ajo on käynnissä; yritä hetken päästä uudelleen.", file=sys.stderr)
            return 2
        print("Ajo on käynnissä: näytetään viimeksi julkaistu luettelo.", file=sys.stderr)
        con = duckdb.connect(str(published), read_only=True)
    try:
        rows = manifest_rows(con)
    finally:
        con.close()
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return 0
    shown = [(r[0], r[1][:12], r[2], r[3], str(r[4]), str(r[5]), str(r[6]), r[7]) for r in rows]
    widths = [max(len(c), *(len(s[i]) for s in shown)) if shown else len(c)
              for i, c in enumerate(COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
    for s in shown:
        print("  ".join(v.ljust(w) for v, w in zip(s, widths, strict=True)))
    print(f"{len(rows)} files")
    return 0
