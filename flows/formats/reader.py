"""Reading delivered files as real exports look: odd encodings, delimiters, blank lines, sheets.

The reader decides everything about a file that can be decided from its bytes and header
(encoding, delimiter, kind, column mapping) and names file-level problems. It hands DuckDB a
clean UTF-8 CSV path, or for Excel the cell texts, so that row checks run set-based.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .messages import FILE_PROBLEMS, NOTES
from .spec import Kind, detect_kind, header_lookup, normalise_header

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (";", ",", "\t")


class FileProblem(Exception):
    """A whole file (or its header) cannot be taken in; `code` keys the Finnish text."""

    def __init__(self, code: str, **fmt: str):
        self.code = code
        self.message_fi = FILE_PROBLEMS[code].format(**fmt)
        super().__init__(code)


@dataclass
class Part:
    """One table of a delivered file: the whole CSV, or one sheet of a workbook."""

    sheet: str | None
    kind: Kind
    headers: list[str]
    positions: dict[str, int]  # canonical column → 0-based index in the row
    header_text: dict[str, str]  # canonical column → the header as the provider wrote it
    notes: list[str] = field(default_factory=list)
    # CSV parts: a UTF-8 file DuckDB can read, and its delimiter.
    csv_path: Path | None = None
    delimiter: str = ";"
    # Excel parts: (row number, cell texts) of every data row, blank ones included.
    rows: list[tuple[int, list[str | None]]] | None = None

    @property
    def layout(self) -> tuple:
        """Parts with equal layout can be read and checked in one batch."""
        return (self.kind.name, tuple(self.headers), self.delimiter)


@dataclass
class Prepared:
    path: Path
    sha256: str
    size: int
    encoding: str | None
    parts: list[Part]
    notes: list[str]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else Windows-1252 / ISO-8859-15."""
    if b"\x00" in data:
        raise FileProblem("undecodable")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileProblem("undecodable") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    has_c1 = any(0x80 <= b <= 0x9F for b in set(data))
    # ISO-8859-15 puts € at 0xA4 and has no printable C1 range; Windows-1252 uses 0x80–0x9F.
    if not has_c1 and b"\xa4" in data:
        return data.decode("iso-8859-15"), "iso-8859-15"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileProblem("undecodable") from exc


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


def map_header(kind: Kind, headers: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column positions, the provider's header texts, and notes on extra or repeated columns."""
    lookup = header_lookup(kind)
    positions: dict[str, int] = {}
    texts: dict[str, str] = {}
    extra, repeated = [], []
    for i, raw in enumerate(headers):
        if raw is None or not str(raw).strip():
            continue
        canonical = lookup.get(normalise_header(raw))
        if canonical is None:
            extra.append(str(raw).strip())
        elif canonical in positions:
            repeated.append(str(raw).strip())
        else:
            positions[canonical] = i
            texts[canonical] = str(raw).strip()
    notes = []
    if extra:
        notes.append(NOTES["extra_columns"].format(columns=", ".join(extra)))
    if repeated:
        notes.append(NOTES["duplicate_columns"].format(columns=", ".join(repeated)))
    missing = [c.name for c in kind.required if c.name not in positions]
    if missing:
        shown = ", ".join(f"{c} ({kind.column(c).aliases[0]})" if kind.column(c).aliases else c
                          for c in missing)
        raise FileProblem("missing_required_column", columns=shown)
    return positions, texts, notes


def _fill_blank_lines(text: str, delimiter: str) -> str:
    """Turn blank lines into a lone delimiter: DuckDB skips blank lines, and row numbers must
    stay the ones the provider sees in a text editor or Excel."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n\n" not in text and not re.search(r"\n[ \t]+\n", text):
        return text
    return re.sub(r"(?m)^[ \t]*$(?=\n)", delimiter, text)


def prepare_csv(path: Path, data: bytes, work_dir: Path, kind_filter: str | None = None) -> Prepared:
    sha = sha256_of(data)
    if not data.strip():
        raise FileProblem("empty_file")
    text, encoding = decode(data)
    if not text.strip():
        raise FileProblem("empty_file")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = sniff_delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter))
    kind = _kind_for(headers, kind_filter)
    positions, texts, notes = map_header(kind, headers)
    fixed = _fill_blank_lines(text, delimiter)
    if encoding == "utf-8" and fixed is text and "\r" not in text:
        csv_path = path
    else:
        work_dir.mkdir(parents=True, exist_ok=True)
        csv_path = work_dir / f"{sha}.csv"
        csv_path.write_text(fixed, encoding="utf-8")
    part = Part(None, kind, headers, positions, texts, notes, csv_path=csv_path, delimiter=delimiter)
    return Prepared(path, sha, len(data), encoding, [part], [])


def _kind_for(headers: list[str], kind_filter: str | None) -> Kind:
    if kind_filter is not None:
        from .spec import KINDS

        return KINDS[kind_filter]
    kind = detect_kind([h for h in headers if h is not None])
    if kind is None:
        raise FileProblem("no_matching_header")
    return kind


def cell_text(value) -> str | None:
    """An Excel cell as the text a CSV export would hold; real dates become ISO dates."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(data: bytes) -> list[tuple[str, list[list[str | None]]]]:
    """Every sheet as rows of cell texts from A1 on, blank rows kept (row numbers must match
    Excel's). Calamine reads a workbook many times faster than openpyxl."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append((name, [[cell_text(v) if v != "" else None for v in row] for row in rows]))
        return sheets
    except Exception as exc:  # a broken or encrypted workbook raises many kinds of errors
        raise FileProblem("unreadable", detail=type(exc).__name__) from exc


def prepare_xlsx(path: Path, data: bytes) -> Prepared:
    sha = sha256_of(data)
    parts: list[Part] = []
    notes: list[str] = []
    empty_sheets = 0
    for title, rows in read_workbook(data):
        headers = rows[0] if rows else []
        kind = detect_kind([h for h in headers if h]) if headers else None
        if kind is None:
            notes.append(NOTES["ignored_sheet"].format(sheet=title))
            continue
        positions, texts, part_notes = map_header(kind, [h or "" for h in headers])
        body = [(n, r) for n, r in enumerate(rows[1:], start=2)]
        if not any(any(c is not None and c.strip() for c in r) for _, r in body):
            notes.append(NOTES["empty_sheet"].format(sheet=title))
            empty_sheets += 1
            continue
        parts.append(Part(title, kind, headers, positions, texts, part_notes, rows=body))
    if not parts:
        raise FileProblem("no_data_rows" if empty_sheets else "no_matching_header")
    return Prepared(path, sha, len(data), None, parts, notes)


def prepare(path: Path, data: bytes, work_dir: Path) -> Prepared:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return prepare_xlsx(path, data)
    if suffix in CSV_SUFFIXES:
        return prepare_csv(path, data, work_dir)
    raise FileProblem("unsupported_type")


def data_row_numbers(path: Path, data: bytes) -> list[tuple[str | None, int]]:
    """(sheet, row) of each non-empty data row of a file rejected whole: they count as read and
    quarantined. Nothing is counted when the bytes cannot be decoded at all."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        try:
            sheets = read_workbook(data)
        except FileProblem:
            return []
        found = []
        for title, rows in sheets:
            matches = bool(rows) and detect_kind([h for h in rows[0] if h]) is not None
            body = [(title, n) for n, row in enumerate(rows[1:], start=2)
                    if any(v is not None and v.strip() for v in row)]
            found.append((matches, body))
        # Rows of sheets that hold a kind are data rows; helper sheets count only when no
        # sheet holds a kind at all (the file then is one unknown table).
        matching = [body for matches, body in found if matches]
        chosen = matching if matching else [body for _, body in found]
        return [row for body in chosen for row in body]
    try:
        text, _ = decode(data)
    except FileProblem:
        return []
    lines = text.splitlines()
    if len(lines) < 2:
        return []
    delimiter = sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delimiter)
    return [(None, n) for n, row in enumerate(reader, start=2) if any(c.strip() for c in row)]
