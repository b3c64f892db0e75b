"""Synthetic identifiers: business IDs, identity codes in the test range 900–999, names."""

from __future__ import annotations

import datetime as dt
import random

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
FIRST_NAMES = (
    "Aino", "Eeva", "Helmi", "Iida", "Kaisa", "Laura", "Maria", "Noora", "Riikka", "Sanna",
    "Tiina", "Veera", "Antti", "Eero", "Heikki", "Janne", "Jussi", "Markku", "Mikko", "Pekka",
    "Sami", "Timo", "Ville", "Olli",
)
LAST_NAMES = (
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen",
    "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Räsänen", "Ylitalo", "Äijälä",
)


def business_id(seven_digits: int) -> str | None:
    """A Y-tunnus with its check digit, or None when the number has no valid check digit."""
    digits = f"{seven_digits:07d}"
    total = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
    remainder = total % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def identity_code(birth: dt.date, individual: int) -> str:
    """A henkilötunnus; `individual` must be 900–999 (test codes only, never real people)."""
    if not 900 <= individual <= 999:
        raise ValueError("demo identity codes use individual numbers 900–999 only")
    sign = {18: "+", 19: "-", 20: "A"}[birth.year // 100]
    body = f"{birth:%d%m}{birth.year % 100:02d}"
    return f"{body}{sign}{individual}{HETU_CHECK[int(body + str(individual)) % 31]}"


class IdentityPool:
    """Unique test identity codes, handed out deterministically."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def draw(self, rng: random.Random, born_after: dt.date, born_before: dt.date, male: bool) -> str:
        span = (born_before - born_after).days
        while True:
            birth = born_after + dt.timedelta(days=rng.randrange(span))
            number = rng.randrange(900, 1000)
            if (number % 2 == 1) != male:
                number = number + 1 if number < 999 else 998
            code = identity_code(birth, number)
            if code not in self.used:
                self.used.add(code)
                return code


def broken_check_character(code: str) -> str:
    """The same code with a wrong check character: a typo the ingest must reject."""
    wrong = HETU_CHECK[(HETU_CHECK.index(code[-1]) + 1) % 31]
    return code[:-1] + wrong


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
