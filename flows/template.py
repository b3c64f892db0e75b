"""`valvonta template`: the provider's fill-in workbook.

A sheet per kind with the Finnish headers (which the ingest recognises as aliases), drop-down
lists for every code and yes/no column, date formats on date columns, and an instructions sheet.
A filled template ingests cleanly: the tests fill one and load it.
"""

from __future__ import annotations

from pathlib import Path

from .formats.spec import BOOLEAN, CODE, CODE_LISTS, DATE, DECIMAL, INBOX_KINDS, INTEGER, SHARE

SHEET_TITLES = {
    "periods": "Jaksot", "attendance": "Päiväkirja", "feedback": "Palautteet", "survey": "Kysely",
    "incidents": "Vaaratapahtumat", "staff": "Henkilöstö", "deliveries": "Asiakirjat",
}
TYPE_FI = {DATE: "päivämäärä (7.3.2025)", INTEGER: "kokonaisluku", DECIMAL: "desimaaliluku",
           SHARE: "osuus 0–1 tai prosentti", BOOLEAN: "K tai E", CODE: "koodi (valitse listasta)"}
ROWS_WITH_LISTS = 5000


def write_template(out: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = "Ohjeet"
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 34
    guide.column_dimensions["D"].width = 60
    guide.append(["Palveluntuottajan tiedonvaihtopohja (tiedonvaihtomuoto, versio 1)"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "Täytä kunkin tiedostolajin välilehti; tyhjät välilehdet ohitetaan.",
        "Älä muuta otsikkorivejä. Rivi 1 on otsikko; tiedot alkavat riviltä 2.",
        "Päivämäärät muodossa 7.3.2025 tai päivämääräsoluina. Koodit valitaan pudotusvalikosta.",
        "Tarkista tiedosto ennen lähettämistä komennolla: valvonta check tiedosto.xlsx",
        "Henkilötunnukset ovat arkaluonteisia: lähetä tiedosto vain sovittua suojattua kanavaa pitkin.",
    ):
        guide.append([line])
    guide.append([])
    codes = workbook.create_sheet("Koodit")
    list_ranges: dict[str, str] = {}
    for n, (name, values) in enumerate(sorted(CODE_LISTS.items()), start=1):
        letter = get_column_letter(n)
        codes.cell(row=1, column=n, value=name)
        for i, value in enumerate(values, start=2):
            codes.cell(row=i, column=n, value=value)
        list_ranges[name] = f"Koodit!${letter}$2:${letter}${len(values) + 1}"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for kind in INBOX_KINDS:
        guide.append([f"{SHEET_TITLES[kind.name]} ({kind.label_fi})"])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
        guide.append(["Sarake", "Pakollinen", "Tyyppi", "Selite"])
        sheet = workbook.create_sheet(SHEET_TITLES[kind.name])
        for n, col in enumerate(kind.columns, start=1):
            letter = get_column_letter(n)
            cell = sheet.cell(row=1, column=n, value=col.header_fi)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True)
            sheet.column_dimensions[letter].width = max(12, len(col.header_fi) + 2)
            target = f"{letter}2:{letter}{ROWS_WITH_LISTS}"
            if col.type == CODE:
                rule = DataValidation(type="list", formula1=f"={list_ranges[col.code_list]}",
                                      allow_blank=True, showErrorMessage=True,
                                      errorTitle="Tuntematon koodi",
                                      error="Valitse arvo luettelosta.")
                sheet.add_data_validation(rule)
                rule.add(target)
            elif col.type == BOOLEAN:
                rule = DataValidation(type="list", formula1='"K,E"', allow_blank=True)
                sheet.add_data_validation(rule)
                rule.add(target)
            elif col.type == DATE:
                for row in range(2, 202):
                    sheet.cell(row=row, column=n).number_format = "d.m.yyyy"
            guide.append([col.header_fi, "kyllä" if col.required else "", TYPE_FI.get(col.type, "teksti"),
                          col.label_fi + (" (arkaluonteinen, ei näy raporteissa)" if col.free_text else "")])
        sheet.freeze_panes = "A2"
        guide.append([])
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
