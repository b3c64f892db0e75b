"""Reading the published copy of the warehouse, and only it.

A pipeline run replaces the published file by an atomic rename. The app notices the new file
(another inode) on the next query and opens it; a query already running keeps the old file open
and finishes on it. Each query uses its own cursor, so the threaded server can serve users at once.
"""

from __future__ import annotations

import os
import threading

import duckdb

from flows.home import Home
from flows.publish import published_path


class Warehouse:
    def __init__(self, home: Home) -> None:
        self.home = home
        self.path = published_path(home)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stat = os.stat(self.path)
        stamp = (stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            if self._con is None or stamp != self._stamp:
                self._con = duckdb.connect(str(self.path), read_only=True)
                self._stamp = stamp
            return self._con

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self._connection().cursor()
        try:
            result = cursor.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
        finally:
            cursor.close()

    def years(self) -> list[int]:
        return [r["year"] for r in self.rows("select distinct year from marts.fct_kpis order by year")]

    def providers(self, rule_set: str | None = None, product: str | None = None) -> list[dict]:
        sql = "select * from marts.dim_providers where true"
        params: list = []
        if rule_set:
            sql += " and rule_set = ?"
            params.append(rule_set)
        if product:
            sql += " and list_contains(string_split(contract_products, '|'), ?)"
            params.append(product)
        return self.rows(sql + " order by provider_name", params)

    def labels(self, code_list: str) -> dict[str, str]:
        return {r["code"]: r["label_fi"] for r in self.rows(
            "select code, label_fi from seeds.code_labels where code_list = ?", [code_list])}

    def kpi_definitions(self) -> list[dict]:
        return self.rows("select * from seeds.kpi_definitions")
