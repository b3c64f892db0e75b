"""How providers' systems write their exports: one profile per provider.

Each profile picks one of the variations exchange-format.md tolerates (encoding, delimiter,
header names, date and decimal style, booleans, extra and shuffled columns, blank lines...), so
the demo inbox exercises every one of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass

from ..formats.spec import BOOLEAN, CODE, DATE, DECIMAL, SHARE, Kind

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-8", "iso-8859-15", "utf-8-sig")
DELIMITERS = (";", ",", "\t", ";")
HEADER_STYLES = ("alias", "canonical", "title", "upper")
DATE_STYLES = ("d.m.yyyy", "iso", "dd.mm.yyyy")
BOOL_STYLES = (("K", "E"), ("true", "false"), ("1", "0"), ("kyllä", "ei"), ("Y", "N"), ("yes", "no"))
SHARE_STYLES = ("fraction", "percent")


@dataclass(frozen=True)
class Profile:
    encoding: str
    delimiter: str
    header_style: str
    date_style: str
    decimal_comma: bool
    booleans: tuple[str, str]
    share_style: str
    extra_column: bool
    trailing_delimiter: bool
    blank_lines: bool
    lowercase_codes: bool
    shuffle_columns: bool
    xlsx: bool

    @classmethod
    def for_provider(cls, index: int) -> Profile:
        return cls(
            encoding=ENCODINGS[index % len(ENCODINGS)],
            delimiter=DELIMITERS[index % len(DELIMITERS)],
            header_style=HEADER_STYLES[index % len(HEADER_STYLES)],
            date_style=DATE_STYLES[index % len(DATE_STYLES)],
            decimal_comma=index % 2 == 0,
            booleans=BOOL_STYLES[index % len(BOOL_STYLES)],
            share_style=SHARE_STYLES[index % 2],
            extra_column=index % 3 == 1,
            trailing_delimiter=index % 4 == 3,
            blank_lines=index % 5 == 2,
            lowercase_codes=index % 3 == 2,
            shuffle_columns=index % 4 == 1,
            xlsx=index % 8 == 5,
        )

    def header(self, kind: Kind, name: str) -> str:
        col = kind.column(name)
        if self.header_style == "alias" and col.aliases:
            return col.aliases[0]
        if self.header_style == "title":
            return col.header_fi
        if self.header_style == "upper":
            return name.upper()
        return name

    def cell(self, kind: Kind, name: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith("!"):
            return value[1:]  # a deliberately broken value, written as is
        col = kind.column(name)
        if col.type == DATE:
            if self.date_style == "iso":
                return value.isoformat()
            if self.date_style == "dd.mm.yyyy":
                return f"{value.day:02d}.{value.month:02d}.{value.year}"
            return f"{value.day}.{value.month}.{value.year}"
        if col.type == BOOLEAN:
            return self.booleans[0] if value else self.booleans[1]
        if col.type == SHARE:
            if self.share_style == "percent":
                return f"{round(value * 100)} %"
            return self._number(value)
        if col.type == DECIMAL:
            return self._number(value)
        if col.type == CODE and self.lowercase_codes:
            return str(value).lower()
        return str(value)

    def _number(self, value: float) -> str:
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",") if self.decimal_comma else text


def column_order(kind: Kind, columns: list[str], profile: Profile) -> list[str]:
    """The provider's column order: shuffled the same way for a kind on every export."""
    order = list(columns)
    if profile.shuffle_columns:
        random.Random(kind.name).shuffle(order)
    return order


def csv_bytes(kind: Kind, columns: list[str], rows: list[dict], profile: Profile) -> bytes:
    order = column_order(kind, columns, profile)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=profile.delimiter, lineterminator="\r\n"
                        if profile.encoding == "cp1252" else "\n")
    header = [profile.header(kind, c) for c in order]
    if profile.extra_column:
        header.append("Viety järjestelmästä")
    writer.writerow(header + ([""] if profile.trailing_delimiter else []))
    exported = dt.date(2026, 1, 1).isoformat()
    for i, row in enumerate(rows):
        cells = [profile.cell(kind, c, row.get(c)) for c in order]
        if profile.extra_column:
            cells.append(exported)
        writer.writerow(cells + ([""] if profile.trailing_delimiter else []))
        if profile.blank_lines and i % 37 == 5:
            out.write("\n" if i % 2 else profile.delimiter * 3 + "\n")
    return out.getvalue().encode(profile.encoding)


def xlsx_bytes(sheets: list[tuple[str, Kind, list[str], list[dict]]], profile: Profile) -> bytes:
    """A workbook with one sheet per kind, real date and number cells, and an info sheet."""
    import openpyxl

    workbook = openpyxl.Workbook()
    info = workbook.active
    info.title = "Tiedot"
    info.append(["Vienti asiakastietojärjestelmästä"])
    info.append(["Luotu", dt.date(2026, 1, 1)])
    for title, kind, columns, rows in sheets:
        if not rows:
            continue
        sheet = workbook.create_sheet(title)
        sheet.append([profile.header(kind, c) for c in columns])
        for row in rows:
            values = []
            for c in columns:
                value = row.get(c)
                if isinstance(value, str) and value.startswith("!"):
                    value = value[1:]
                elif kind.column(c).type == BOOLEAN and value is not None:
                    value = "K" if value else "E"
                values.append(value)
            sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return reproducible_zip(out.getvalue())


FIXED_STAMP = "2026-01-01T00:00:00Z"


def reproducible_zip(data: bytes) -> bytes:
    """The same workbook bytes on every run: fixed entry times and document timestamps."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + FIXED_STAMP.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()
