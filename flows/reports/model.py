"""The shape every report has, whatever file it ends up in.

A report is a list of sections holding paragraphs, tables and charts. The HTML, PDF and XLSX
writers all read this one structure, so a figure cannot differ between the three files of a
package. A column's kind decides how its values look in Finnish (1 234,5 · 83,3 % · 7.3.2025)
and which Excel number format the XLSX cell gets; values stay typed until a writer formats them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Column kinds: text, count, int, num, num1, num2, pct, date, status, year. A "count" is a count of
# people or events: the public variant hides 1–4, and the HTML marks its cells.

STATUS_CSS = {
    "OK": "ok", "POIKKEAMA": "bad", "EI_DATAA": "none", "TIETO": "info",
    "ON_TIME": "ok", "LATE": "warn", "MISSING": "bad", "PENDING": "info", "NOT_DUE": "info",
    "SUPPRESSED": "none",
}

SMALL_COUNT_LABEL = "< 5"
SUPPRESSED_LABEL = "suojattu"


@dataclass(frozen=True)
class Fmt:
    """A cell whose kind differs from its column's (a KPI row's value is a share, a mean or an NPS)."""

    value: object
    kind: str


@dataclass(frozen=True)
class Status:
    """A status cell: the text a reader reads, and the code that picks its colour."""

    text: str
    code: str


@dataclass
class Column:
    header: str
    kind: str = "text"
    width: int = 14
    printed: bool = True  # False: only in the XLSX (a long text that would swell the printout)


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[tuple]
    sheet: str = ""
    note: str = ""
    # HTML and PDF show at most this many rows (the XLSX always holds them all).
    print_limit: int | None = None
    empty_text: str = "Ei rivejä."
    xlsx_only: bool = False  # too long to print: HTML and PDF point to the workbook


@dataclass
class Chart:
    title: str
    svg: str
    alt: str


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    bullets: list[tuple[str, list[str]]] = field(default_factory=list)
    wide: bool = False  # printed on a landscape page


@dataclass
class Report:
    title: str
    subtitle: str
    cover: list[tuple[str, str]]
    sections: list[Section]
    file_stem: str
    public: bool = False


def fi_grouped(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")


def fi_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


def cell_kind(column: Column, value: object) -> tuple[object, str]:
    if isinstance(value, Fmt):
        return value.value, value.kind
    return value, column.kind


def format_value(value: object, kind: str) -> str:
    """The Finnish text of one cell, as HTML and PDF show it."""
    if isinstance(value, Fmt):
        return format_value(value.value, value.kind)
    if value is None:
        return "–"
    if isinstance(value, Status):
        return value.text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "kyllä" if value else "ei"
    if kind in ("count", "int"):
        return fi_grouped(value, 0)
    if kind == "year":
        return str(value)
    if kind == "num":
        return fi_grouped(value, 0 if float(value).is_integer() else 2)
    if kind == "num1":
        return fi_grouped(value, 1)
    if kind == "num2":
        return fi_grouped(value, 2)
    if kind == "pct":
        return fi_grouped(value * 100, 1) + "\u00a0%"
    if kind == "date" and isinstance(value, dt.date):
        return fi_date(value)
    return str(value)


def status_css(value: object) -> str:
    return STATUS_CSS.get(value.code, "") if isinstance(value, Status) else ""
