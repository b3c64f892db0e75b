"""Writing a report as HTML, PDF and XLSX.

The HTML is one file with its styles and SVG charts inside, readable offline and printable; the
PDF is that same HTML laid out by WeasyPrint with print styles (page numbers, a table of contents
with page references); the XLSX holds every table on its own sheet with typed cells.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .model import Report, Status, Table, cell_kind, format_value, status_css

NUMERIC = {"count", "int", "num", "num1", "num2", "pct", "year"}
EXCEL_FORMATS = {"count": "#,##0", "int": "#,##0", "num": "#,##0.##", "num1": "#,##0.0", "num2": "#,##0.00",
                 "pct": "0.0%", "date": "d.m.yyyy", "year": "0"}
FILLS = {"ok": "D9F0DD", "bad": "F8D7D5", "warn": "FDE9C8", "info": "E4ECF5", "none": "EEEEEE"}
# A text cell beginning with one of these would be read as a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("flows.reports", "templates"), autoescape=select_autoescape(["html", "j2"]))


def _rendered_rows(table: Table) -> list[list[tuple[str, str]]]:
    rows = table.rows if table.print_limit is None else table.rows[: table.print_limit]
    out = []
    for row in rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            if not column.printed:
                continue
            raw, kind = cell_kind(column, value)
            css = ""
            if isinstance(raw, Status):
                css = f"status {status_css(raw)}"
            elif kind in NUMERIC:
                css = "n count" if column.kind == "count" else "n"
            cells.append((format_value(raw, kind), css))
        out.append(cells)
    return out


def to_html(report: Report) -> str:
    for section in report.sections:
        for table in section.tables:
            table.printed_columns = [c for c in table.columns if c.printed]
            table.rendered_rows = _rendered_rows(table)
            table.truncated = len(table.rendered_rows) < len(table.rows)
    return _environment().get_template("report.html.j2").render(report=report)


def write_html(html: str, path: Path) -> Path:
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_pdf(html: str, path: Path) -> Path:
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango, which `valvonta kpi` never needs

    tmp = path.with_suffix(".pdf.tmp")
    HTML(string=html, base_url=str(path.parent)).write_pdf(tmp)
    os.replace(tmp, path)
    return path


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join(c for c in name if c not in '[]:*?/\\')[:31] or "Taulukko"
    title, n = clean, 2
    while title.lower() in used:
        suffix = f" {n}"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _put(cell, value, kind: str) -> None:
    """Typed cell: numbers as numbers, dates as dates, text always as text (never a formula)."""
    if isinstance(value, Status):
        value = value.text
    if value is None:
        return
    if isinstance(value, bool):
        value = "kyllä" if value else "ei"
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)
    cell.value = value
    if kind in EXCEL_FORMATS:
        cell.number_format = EXCEL_FORMATS[kind]


def write_xlsx(report: Report, path: Path) -> Path:
    wb = Workbook()
    used: set[str] = set()
    bold = Font(bold=True)
    cover = wb.active
    cover.title = _sheet_title("Kansilehti", used)
    cover["A1"] = report.title
    cover["A1"].font = Font(bold=True, size=14)
    _put(cover["A2"], report.subtitle, "text")
    row = 4
    for key, value in report.cover:
        _put(cover.cell(row=row, column=1), key, "text")
        cover.cell(row=row, column=1).font = bold
        _put(cover.cell(row=row, column=2), value, "text")
        row += 1
    row += 1
    cover.cell(row=row, column=1, value="Sisällys").font = bold
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 70
    for number, section in enumerate(report.sections, start=1):
        for table in section.tables:
            row += 1
            title = _sheet_title(table.sheet or table.title, used)
            _put(cover.cell(row=row, column=1), f"{number}. {section.title}", "text")
            _put(cover.cell(row=row, column=2), f"{table.title} (välilehti {title})", "text")
            _write_table(wb.create_sheet(title), table, f"{number}. {section.title}")
    tmp = path.with_suffix(".xlsx.tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path


def _write_table(ws, table: Table, section_title: str) -> None:
    ws["A1"] = table.title
    ws["A1"].font = Font(bold=True, size=12)
    about_print = table.print_limit is not None or table.xlsx_only  # its note speaks of the printout
    _put(ws["A2"], section_title + (f" — {table.note}" if table.note and not about_print else ""), "text")
    header_row = 3
    for col, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=header_row, column=col)
        _put(cell, column.header, "text")
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF3")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = max(column.width, 8)
    for r, row in enumerate(table.rows, start=header_row + 1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            raw, kind = cell_kind(column, value)
            cell = ws.cell(row=r, column=col)
            _put(cell, raw, kind)
            if isinstance(raw, Status) and status_css(raw) in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[status_css(raw)])
    if not table.rows:
        _put(ws.cell(row=header_row + 1, column=1), table.empty_text, "text")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if table.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{header_row + len(table.rows)}"
