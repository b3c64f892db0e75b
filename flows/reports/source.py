"""What the reports read: the published marts, plus staff names from the working warehouse.

Every query covers all providers of a year at once and is split by provider in Python, so the
county tier's forty packages cost a handful of scans rather than forty. Staff names are the one
thing the published copy does not hold (dashboards and analysts never need them); they are read
from staging only for the provider's own package.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property

import duckdb

from ..home import Home
from ..publish import open_published
from ..warehouse import connect

STATEMENTS = {
    "q1": "Palvelu vastasi tarpeitani",
    "q2": "Minua kohdeltiin arvostavasti",
    "q3": "Pystyin vaikuttamaan palveluni sisältöön",
    "q4": "Sain riittävästi ohjausta ja tukea",
    "q5": "Palvelu edisti tavoitteitani",
}

# Diary figures of kpis.md's ATTENDANCE_RATE (scheduled rows) and the report's remote share and hours.
_DIARY_FIGURES = """
    count(distinct (period_id, attendance_date)) filter (where status = 'LASNA') as present_days,
    count(*) filter (where status = 'LASNA') as present_rows,
    count(*) filter (where status in ('LASNA', 'POISSA_SAIRAUS', 'POISSA_MUU',
        'POISSA_ILMOITTAMATTA', 'PERUUTUS_ASIAKAS')) as scheduled_rows,
    count(*) filter (where status = 'LASNA' and mode = 'ETA') as remote_rows,
    sum(hours) filter (where status = 'LASNA') as hours"""

MONTHS_FI = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka",
             "marras", "joulu")


def _by_provider(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["provider_id"]].append(row)
    return grouped


class ReportSource:
    """One year's report data for every provider, read once."""

    def __init__(self, home: Home, year: int, with_names: bool = True, provider: str | None = None) -> None:
        self.home = home
        self.year = year
        self.provider = provider  # read only this provider's rows (one package)
        self.con = open_published(home)
        self.with_names = with_names

    def close(self) -> None:
        self.con.close()

    def _rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _grouped(self, sql: str, params: list | None = None) -> dict[str, list[dict]]:
        if self.provider:  # DuckDB pushes the filter down into the query
            return _by_provider(self._rows(f"select * from ({sql}) where provider_id = ?",
                                           [*(params or []), self.provider]))
        return _by_provider(self._rows(sql, params))

    @cached_property
    def labels(self) -> dict[tuple[str, str], str]:
        return {(r["code_list"], r["code"]): r["label_fi"]
                for r in self._rows("select * from seeds.code_labels")}

    def label(self, code_list: str, code: str | None) -> str:
        if code is None:
            return "ei tiedossa"
        return self.labels.get((code_list, code), code)

    @cached_property
    def providers(self) -> list[dict]:
        """Providers with a contract in force during the year, or with figures for it."""
        return self._rows(
            """
            select * from marts.dim_providers
            where (coalesce(contract_start, date '0001-01-01') <= make_date(?, 12, 31)
                    and coalesce(contract_end, date '9999-12-31') >= make_date(?, 1, 1))
                or provider_id in (select provider_id from marts.fct_kpis where year = ?)
            order by provider_name, provider_id
            """, [self.year, self.year, self.year])

    @cached_property
    def kpi_names(self) -> dict[str, dict]:
        return {r["kpi"]: r for r in self._rows("select * from seeds.kpi_definitions")}

    @cached_property
    def built_at(self) -> dt.datetime | None:
        row = self.con.execute("select max(built_at) from meta.dbt_results").fetchone()
        return row[0] if row else None

    @cached_property
    def kpis(self) -> dict[str, list[dict]]:
        """This year's and last year's KPI rows, as `valvonta kpi` exports them."""
        return self._grouped(
            "select * from marts.fct_kpis where year in (?, ?) order by provider_id, kpi",
            [self.year, self.year - 1])

    @cached_property
    def findings(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_findings where year = ? "
            "order by provider_id, rule, finding_date, record_id", [self.year])

    @cached_property
    def package(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_annual_package where reporting_year = ? "
            "order by provider_id, item_no", [self.year])

    @cached_property
    def activity_by_product(self) -> dict[str, list[dict]]:
        return self._grouped(
            f"""
            with periods as (
                select * from marts.fct_periods
                where start_date <= make_date(?, 12, 31)
                    and coalesce(end_date, planned_end_date, start_date) >= make_date(?, 1, 1)
            ),
            per_product as (
                select provider_id, service_product,
                    count(distinct client_pseudonym) as clients,
                    count(*) filter (where start_year = ?) as periods_started,
                    count(*) filter (where end_year = ?) as periods_ended
                from periods group by 1, 2
            ),
            diary as (
                select provider_id, service_product, {_DIARY_FIGURES}
                from marts.fct_attendance
                where attendance_year = ? and period_known
                group by 1, 2
            )
            select coalesce(p.provider_id, d.provider_id) as provider_id,
                coalesce(p.service_product, d.service_product) as service_product,
                coalesce(p.clients, 0) as clients, coalesce(p.periods_started, 0) as periods_started,
                coalesce(p.periods_ended, 0) as periods_ended, coalesce(d.present_days, 0) as present_days,
                d.present_rows, d.scheduled_rows, d.remote_rows, d.hours
            from per_product as p
            full join diary as d
                on p.provider_id = d.provider_id and p.service_product = d.service_product
            order by 1, 2
            """, [self.year, self.year, self.year, self.year, self.year])

    def _diary_figures(self, *groups: str) -> dict[str, list[dict]]:
        """Present days, attendance and remote rows and hours of the year, by the given columns."""
        keys = ", ".join(["provider_id", *groups])
        positions = ", ".join(str(i) for i in range(1, len(groups) + 2))
        return self._grouped(
            f"""
            select {keys},
                count(distinct client_pseudonym) filter (where status = 'LASNA') as clients,
                {_DIARY_FIGURES}
            from marts.fct_attendance
            where attendance_year = ? and period_known
            group by {positions} order by {positions}
            """, [self.year])

    @cached_property
    def activity_by_month(self) -> dict[str, list[dict]]:
        return self._diary_figures("month(attendance_date) as month")

    @cached_property
    def activity_by_product_month(self) -> dict[str, list[dict]]:
        return self._diary_figures("service_product", "month(attendance_date) as month")

    @cached_property
    def outcomes(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select provider_id, outcome, count(*) as periods from marts.fct_periods "
            "where end_year = ? group by 1, 2 order by 1, 3 desc, 2", [self.year])

    @cached_property
    def staff(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_staff_snapshots where list_year = ? and on_latest_list_of_year "
            "order by provider_id, role, staff_id", [self.year])

    @cached_property
    def staff_names(self) -> dict[tuple[str, str, dt.date], str]:
        """Names for the provider's own package; read from staging, never published."""
        if not self.with_names or not self.home.warehouse.exists():
            return {}
        try:
            con = connect(self.home, read_only=True)
        except duckdb.Error:
            return {}
        try:
            rows = con.execute(
                "select provider_id, staff_id, as_of_date, staff_name from staging.stg_staff "
                "where year(as_of_date) = ?", [self.year]).fetchall()
        except duckdb.Error:
            return {}
        finally:
            con.close()
        return {(p, s, d): n for p, s, d, n in rows}

    @cached_property
    def feedback(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_feedback where received_year = ? order by provider_id, received_date, "
            "feedback_id", [self.year])

    @cached_property
    def incidents(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_incidents where occurred_year = ? order by provider_id, occurred_date, "
            "incident_id", [self.year])

    @cached_property
    def satisfaction(self) -> dict[str, list[dict]]:
        """Per provider, year (this and last) and statement, summed over products."""
        return self._grouped(
            """
            select provider_id, year, statement, sum(n) as n,
                sum(mean * n) / nullif(sum(n), 0) as mean,
                sum(n_1) as n_1, sum(n_2) as n_2, sum(n_3) as n_3, sum(n_4) as n_4, sum(n_5) as n_5
            from marts.fct_satisfaction where year in (?, ?)
            group by 1, 2, 3 order by 1, 2, 3
            """, [self.year, self.year - 1])

    @cached_property
    def satisfaction_summary(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select * from marts.fct_satisfaction_summary where year in (?, ?) order by provider_id, year",
            [self.year, self.year - 1])

    @cached_property
    def files(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select provider_id, file_name, status, kinds, rows_read, rows_loaded, rows_quarantined, "
            "cast(ingested_at as date) as ingested_date, problem_fi from meta.files "
            "where provider_id is not null order by provider_id, ingested_at, file_name")

    @cached_property
    def quarantine(self) -> dict[str, list[dict]]:
        return self._grouped(
            "select provider_id, kind, rule, any_value(reason_fi) as reason_fi, count(*) as rows "
            "from meta.quarantine where provider_id is not null group by 1, 2, 3 order by 1, 5 desc, 2, 3")
