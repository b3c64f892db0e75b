"""`valvonta kpi`, `valvonta findings` and `valvonta sql`: reading the published copy."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

from .formats.messages import fi_number
from .home import Home
from .publish import open_published

KPI_COLUMNS = ("provider_id", "year", "kpi", "numerator", "denominator", "value", "threshold", "status",
               "clause", "name_fi", "description_fi")
FINDING_COLUMNS = ("provider_id", "year", "rule", "record_type", "record_id", "client_pseudonym",
                   "finding_date", "clause", "description_fi", "finding_id")


def _number(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return round(value, 6) if isinstance(value, float) else value


def _year_rows(home: Home, table: str, columns: Sequence[str], order: str, year: int,
               provider: str | None) -> list[tuple]:
    con = open_published(home)
    try:
        where, params = "where year = ?", [year]
        if provider:
            where += " and provider_id = ?"
            params.append(provider)
        return con.execute(f"select {', '.join(columns)} from marts.{table} {where} order by {order}",
                           params).fetchall()
    finally:
        con.close()


def kpi_rows(home: Home, year: int, provider: str | None = None) -> list[dict]:
    rows = _year_rows(home, "fct_kpis", KPI_COLUMNS, "provider_id, kpi", year, provider)
    return [{c: _number(v) for c, v in zip(KPI_COLUMNS, row, strict=True)} for row in rows]


def finding_rows(home: Home, year: int, provider: str | None = None) -> list[dict]:
    rows = _year_rows(home, "fct_findings", FINDING_COLUMNS, "provider_id, rule, finding_date, record_id",
                      year, provider)
    return [dict(zip(FINDING_COLUMNS, (v.isoformat() if hasattr(v, "isoformat") else v for v in row),
                     strict=True)) for row in rows]


def write_rows(rows: list[dict], columns: Sequence[str], fmt: str) -> None:
    if fmt == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    shown = [[str(r[c]) if c == "year" else _fi(r[c]) for c in columns] for r in rows]
    widths = [min(60, max(len(c), *(len(s[i]) for s in shown))) if shown else len(c)
              for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for s in shown:
        print("  ".join(v[:w].ljust(w) for v, w in zip(s, widths, strict=True)))
    print(f"{len(rows)} riviä")


def _fi(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return fi_number(round(value, 3)) if isinstance(value, float) else fi_number(value)
    return str(value)


def sql_shell(home: Home, command: str | None) -> int:
    """A read-only SQL shell on the published copy (`-c` runs one statement and exits)."""
    con = open_published(home)
    try:
        if command:
            con.sql(command).show(max_rows=200, max_width=200)
            return 0
        print("valvonta sql: vain luku, julkaistu varasto. Lopeta: .quit tai Ctrl-D. "
              "Taulut: show all tables;")
        buffer = ""
        while True:
            try:
                line = input("valvonta> " if not buffer else "      ..> ")
            except EOFError:
                print()
                return 0
            if not buffer and line.strip() in (".quit", ".exit", "\\q"):
                return 0
            buffer += line + "\n"
            if buffer.rstrip().endswith(";"):
                try:
                    relation = con.sql(buffer)
                    if relation is not None:
                        relation.show(max_rows=200, max_width=200)
                except Exception as exc:  # show the error and keep the shell open
                    print(f"Virhe: {exc}")
                buffer = ""
    finally:
        con.close()
