"""Finnish public holidays and the days activity is not held (L 2.1, 3.1: weekdays only).

The dbt seed `finnish_holidays.csv` is written from this module (`valvonta holidays`), and a
test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt


def easter_sunday(year: int) -> dt.date:
    """Anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _saturday_between(start: dt.date) -> dt.date:
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


def holidays(year: int) -> dict[dt.date, str]:
    """Public holidays and the customary days off (Midsummer Eve, Christmas Eve), by date."""
    easter = easter_sunday(year)
    midsummer = _saturday_between(dt.date(year, 6, 20))
    days = {
        dt.date(year, 1, 1): "uudenvuodenpäivä",
        dt.date(year, 1, 6): "loppiainen",
        easter - dt.timedelta(days=2): "pitkäperjantai",
        easter: "pääsiäispäivä",
        easter + dt.timedelta(days=1): "2. pääsiäispäivä",
        dt.date(year, 5, 1): "vappu",
        easter + dt.timedelta(days=39): "helatorstai",
        easter + dt.timedelta(days=49): "helluntaipäivä",
        midsummer - dt.timedelta(days=1): "juhannusaatto",
        midsummer: "juhannuspäivä",
        _saturday_between(dt.date(year, 10, 31)): "pyhäinpäivä",
        dt.date(year, 12, 6): "itsenäisyyspäivä",
        dt.date(year, 12, 24): "jouluaatto",
        dt.date(year, 12, 25): "joulupäivä",
        dt.date(year, 12, 26): "tapaninpäivä",
    }
    return dict(sorted(days.items()))


def is_working_day(day: dt.date, cache: dict[int, dict] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    table = cache.setdefault(day.year, holidays(day.year)) if cache is not None else holidays(day.year)
    return day not in table
