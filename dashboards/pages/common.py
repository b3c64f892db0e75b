"""Filters and defaults shared by the pages."""

from __future__ import annotations

import datetime as dt

from dash import html

from ..data import Warehouse
from ..ui import choice


def selected_year(wh: Warehouse, q: dict) -> int:
    """The year in the URL, else the latest complete year with figures, else the latest year."""
    years = wh.years()
    if q.get("vuosi", "").isdigit() and int(q["vuosi"]) in years:
        return int(q["vuosi"])
    complete = [y for y in years if y < dt.date.today().year]
    return (complete or years or [dt.date.today().year])[-1]


def year_filter(wh: Warehouse, year: int) -> html.Fieldset:
    return choice("vuosi", "Vuosi", [(y, str(y)) for y in wh.years()] or [(year, str(year))], year, radio=True)


def rule_set_filter(wh: Warehouse, value: str | None):
    labels = wh.labels("rule_set")
    options = [("kaikki", "Kaikki")] + [(code, label) for code, label in sorted(labels.items())]
    return choice("saannot", "Sääntökokonaisuus", options, value or "kaikki", radio=True)


def product_filter(wh: Warehouse, value: str | None):
    labels = wh.labels("service_product")
    options = [("kaikki", "Kaikki palvelutuotteet")] + [(code, label) for code, label in labels.items()]
    return choice("tuote", "Palvelutuote", options, value or "kaikki")


def provider_filter(wh: Warehouse, value: str | None, allow_all: bool = True):
    options = ([("kaikki", "Kaikki palveluntuottajat")] if allow_all else []) + [
        (p["provider_id"], f"{p['provider_name']} ({p['provider_id']})") for p in wh.providers()]
    default = "kaikki" if allow_all else (options[0][0] if options else None)
    return choice("tuottaja", "Palveluntuottaja", options, value or default)


def selected(q: dict, name: str) -> str | None:
    value = q.get(name)
    return None if value in (None, "", "kaikki") else value
