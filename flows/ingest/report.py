"""The Finnish per-file report a provider gets for a rejected row or file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..formats.messages import fi_number

ENCODING_FI = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "cp1252": "Windows-1252",
    "iso-8859-15": "ISO-8859-15",
}
DELIMITER_FI = {";": "puolipiste", ",": "pilkku", "\t": "sarkain"}


@dataclass
class FileVerdict:
    file_name: str
    sha256: str
    kinds: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    problem_fi: str | None = None
    notes: list[str] = field(default_factory=list)
    # (sheet, row, column, masked value, reason)
    rejections: list[tuple[str | None, int | None, str | None, str | None, str]] = field(
        default_factory=list
    )

    @property
    def rejected(self) -> bool:
        return self.problem_fi is not None or self.rows_quarantined > 0


def fi_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def fi_datetime(moment: dt.datetime) -> str:
    return f"{fi_date(moment)} klo {moment.hour}.{moment.minute:02d}"


def render(verdict: FileVerdict, checked_at: dt.datetime | None = None) -> str:
    checked_at = checked_at or dt.datetime.now()
    lines = [
        "valvonta – toimitetun tiedoston tarkistusraportti",
        "",
        f"Tiedosto:        {verdict.file_name}",
        f"Tarkistettu:     {fi_datetime(checked_at)}",
        f"Tunniste:        SHA-256 {verdict.sha256}",
    ]
    if verdict.kinds:
        lines.append(f"Tiedostolaji:    {', '.join(verdict.kinds)}")
    if verdict.encoding:
        extra = f", erotin: {DELIMITER_FI.get(verdict.delimiter or '', verdict.delimiter)}" if verdict.delimiter else ""
        lines.append(f"Merkistö:        {ENCODING_FI.get(verdict.encoding, verdict.encoding)}{extra}")
    lines.append("")
    if verdict.problem_fi:
        lines += [
            "KOKO TIEDOSTO HYLÄTTIIN. Mitään sen riveistä ei ladattu.",
            f"Syy: {verdict.problem_fi}",
            "",
        ]
    lines.append(
        f"Rivejä luettu {fi_number(verdict.rows_read)}, hyväksytty {fi_number(verdict.rows_loaded)}, "
        f"hylätty {fi_number(verdict.rows_quarantined)}."
    )
    if verdict.notes:
        lines += ["", "Huomautukset:"] + [f"- {note}" for note in verdict.notes]
    row_errors = [r for r in verdict.rejections if r[1] is not None and r[2] is not None]
    if row_errors:
        with_sheet = any(r[0] for r in row_errors)
        header = (["Välilehti"] if with_sheet else []) + ["Rivi", "Sarake", "Arvo", "Syy"]
        table = [
            ([r[0] or ""] if with_sheet else []) + [str(r[1]), r[2] or "", r[3] or "", r[4]]
            for r in row_errors
        ]
        widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header[:-1])]
        lines += ["", "Hylätyt rivit (rivinumero kuten Excelissä, otsikkorivi on rivi 1):", ""]

        def fmt(cells: list[str]) -> str:
            return " | ".join(c.ljust(w) for c, w in zip(cells[:-1], widths, strict=False)) + " | " + cells[-1]

        lines.append(fmt(header))
        lines.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 20)
        lines += [fmt(row) for row in table]
        lines += [
            "",
            "Korjaa hylätyt rivit ja toimita ne uudelleen. Hyväksytyt rivit on jo vastaanotettu;",
            "uudelleen toimitettu rivi korvaa aiemman saman tunnisteen rivin.",
        ]
    return "\n".join(lines) + "\n"
