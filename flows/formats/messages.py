"""Finnish texts a provider reads in a rejection report, keyed by the rule that fired.

The rule codes (English) are what analysts group by; the texts are what a provider acts on.
"""

from __future__ import annotations

from .spec import CODE_LISTS

# Row rejection rules of exchange-format.md, in the contract's order.
RULES: dict[str, str] = {
    "required_missing": "Pakollinen tieto puuttuu.",
    "invalid_business_id": (
        "Y-tunnus ei ole kelvollinen: muodon pitää olla 1234567-8 ja tarkistusnumeron täsmätä."
    ),
    "unknown_provider": "Y-tunnusta ei löydy hyvinvointialueen palveluntuottajarekisteristä.",
    "identity_code_format": (
        "Henkilötunnuksen muoto on virheellinen (muoto ppkkvv-nnnT, välimerkki + - A–F tai U–Y)."
    ),
    "identity_code_date": "Henkilötunnuksen syntymäaika ei ole todellinen päivämäärä.",
    "identity_code_check": "Henkilötunnuksen tarkistusmerkki ei täsmää.",
    "invalid_date": (
        "Päivämäärää ei voi lukea tai sitä ei ole olemassa. Käytä muotoa 7.3.2025 tai 2025-03-07."
    ),
    "invalid_code": "Arvo ei kuulu sallittuihin koodeihin.",
    "invalid_boolean": "Arvo ei ole kyllä/ei-tieto (käytä K tai E).",
    "invalid_number": "Lukua ei voi lukea.",
    "not_integer": "Arvon pitää olla kokonaisluku.",
    "out_of_range": "Arvo on sallitun vaihteluvälin ulkopuolella.",
    "end_before_start": "Päättymispäivä on ennen alkamispäivää.",
    "file_rejected": "Koko tiedosto hylättiin, katso tiedoston virhe yllä.",
}

FILE_PROBLEMS: dict[str, str] = {
    "empty_file": "Tiedosto on tyhjä.",
    "undecodable": (
        "Tiedoston merkistöä ei tunnistettu. Tallenna tiedosto UTF-8- tai Windows-1252-muodossa."
    ),
    "no_matching_header": (
        "Otsikkorivi ei vastaa mitään tiedonvaihtomuodon tiedostolajia. Ensimmäisellä rivillä "
        "pitää olla sarakkeiden nimet (esim. y_tunnus, jakso_id, pvm, tila)."
    ),
    "missing_required_column": "Tiedostosta puuttuu pakollinen sarake: {columns}.",
    "no_data_rows": "Tiedostossa ei ole yhtään tietoriviä otsikkorivin lisäksi.",
    "unreadable": "Tiedostoa ei voitu lukea: {detail}.",
    "unsupported_type": "Tiedostotyyppiä ei tueta. Toimita CSV- (.csv, .txt) tai Excel-tiedosto (.xlsx).",
}

NOTES: dict[str, str] = {
    "extra_columns": "Tuntemattomat sarakkeet ohitettiin: {columns}.",
    "duplicate_columns": "Sarake esiintyy useammin kuin kerran, ensimmäistä käytettiin: {columns}.",
    "ignored_sheet": "Välilehti '{sheet}' ohitettiin: otsikkorivi ei vastaa mitään tiedostolajia.",
    "empty_sheet": "Välilehti '{sheet}' ohitettiin: siinä ei ole tietorivejä.",
}


def code_hint(code_list: str) -> str:
    return "Sallitut arvot: " + ", ".join(CODE_LISTS[code_list]) + "."


def range_hint(low: float, high: float) -> str:
    return f"Sallittu väli {fi_number(low)}–{fi_number(high)}."


def fi_number(value: float) -> str:
    """1234.5 → '1 234,5' (Finnish grouping with a no-break space, decimal comma)."""
    text = f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "\u00a0").replace(".", ",")
