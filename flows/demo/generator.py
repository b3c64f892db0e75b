"""Deterministic demo deliveries of all seven kinds, the way providers send them.

Per provider, a population of clients goes through service periods; the coaching diary, feedback,
survey answers, incidents and staff lists follow from them. Files are written per provider and
per month (attendance) or quarter (the rest), provider by provider, so even the `national` tier
is written in bounded memory. The same scale and seed always give the same bytes. Identity codes
use individual numbers 900–999 only.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..calendar_fi import holidays
from ..formats.spec import KINDS
from ..home import PROJECT_ROOT, Home
from .export import Profile, csv_bytes, xlsx_bytes
from .people import IdentityPool, broken_check_character, business_id, person_name

AS_OF = dt.date(2026, 10, 31)  # the demo's "today": fixed so output never depends on the clock
PSAVO_START = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Scale:
    providers: int
    clients_per_year: int
    years: int
    attendance_per: str  # "month" or "quarter"
    others_per: str  # "quarter" or "year"


SCALES = {
    "demo": Scale(8, 220, 2, "month", "quarter"),
    "county": Scale(40, 3000, 3, "month", "quarter"),
    "national": Scale(800, 45000, 5, "quarter", "year"),
}


def load_products() -> dict[str, dict]:
    with open(PROJECT_ROOT / "dbt" / "seeds" / "products.csv", encoding="utf-8") as handle:
        return {row["product"]: row for row in csv.DictReader(handle)}


PRODUCTS = load_products()
LAPPI_PRODUCTS = [p for p, r in PRODUCTS.items() if r["rule_set"] == "LAPPI_2025"]
PSAVO_PRODUCTS = [p for p, r in PRODUCTS.items() if r["rule_set"] == "PSAVO_2026"]
ORG_WORDS = ("Polku", "Verso", "Kipinä", "Tupa", "Askel", "Ankkuri", "Lyhty", "Kajo", "Silta",
             "Pirtti", "Tuohi", "Revontuli", "Kelo", "Saaga", "Aapa", "Kumpu")
LEGAL_SUFFIX = {"YHDISTYS": "ry", "SAATIO": "sr", "OSAKEYHTIO": "Oy", "KUNTA": "kunta",
                "USKONNOLLINEN_YHDISTYS": "seurakunta"}


@dataclass
class Provider:
    index: int
    provider_id: str
    name: str
    legal_form: str
    soteri: bool
    rule_set: str
    products: list[str]
    units: list[str]
    profile: Profile
    clients: int
    start: dt.date


@dataclass
class Period:
    period_id: str
    unit: str
    hetu: str
    product: str
    start: dt.date
    planned_end: dt.date
    end: dt.date | None
    days: int
    hours: float
    remote: float
    worker: str
    plan_date: dt.date | None
    mid_date: dt.date | None
    final_eval: dt.date | None
    interim: dt.date | None
    final_report: dt.date | None
    outcome: str | None
    continues: bool
    group: tuple[str, list[int]] | None
    weekdays: list[int]
    granted: float | None = None
    price: float | None = None

    def row(self, provider_id: str, seen: dt.date) -> dict:
        """The period as the provider's system shows it on `seen` (later facts not yet known)."""
        def known(day: dt.date | None) -> dt.date | None:
            return day if day is not None and day <= seen else None

        ended = known(self.end)
        return {
            "provider_id": provider_id, "unit_id": self.unit, "period_id": self.period_id,
            "client_hetu": self.hetu, "service_product": self.product, "start_date": self.start,
            "planned_end_date": self.planned_end, "end_date": ended,
            "planned_days_per_week": self.days, "planned_hours_per_day": self.hours,
            "remote_share_planned": self.remote, "responsible_worker_id": self.worker,
            "plan_delivered_date": known(self.plan_date), "mid_evaluation_date": known(self.mid_date),
            "final_evaluation_date": known(self.final_eval), "interim_report_date": known(self.interim),
            "final_report_date": known(self.final_report),
            "outcome": self.outcome if ended else None,
            "continues": self.continues if ended else None,
            "granted_units": self.granted, "unit_price": self.price,
        }


@dataclass
class Summary:
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    clients: int = 0

    def count(self, kind: str, n: int) -> None:
        self.rows[kind] = self.rows.get(kind, 0) + n


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def make_providers(scale: Scale, seed: int) -> list[Provider]:
    rng = random.Random(seed)
    providers, used = [], set()
    first_year = AS_OF.year - scale.years + 1
    for i in range(scale.providers):
        while True:
            pid = business_id(rng.randrange(1_000_000, 9_999_999))
            if pid and pid not in used:
                used.add(pid)
                break
        psavo = i % 3 == 2
        legal = "OSAKEYHTIO" if i % 8 == 1 or (psavo and i % 2) else (
            "SAATIO" if i % 5 == 3 else "YHDISTYS")
        soteri = i % 8 != 2
        if psavo:
            products = rng.sample(PSAVO_PRODUCTS, k=rng.randint(2, 3))
        else:
            products = rng.sample(LAPPI_PRODUCTS, k=rng.randint(2, 4))
            if i % 8 == 1:
                products[0] = "KTT_OHJAUS"  # a company delivering rehabilitative work activity
            if i % 8 == 2 and "SOSKU_LAHI" not in products:
                products[0] = "SOSKU_LAHI"  # needs Soteri registration, provider has none
        word = ORG_WORDS[i % len(ORG_WORDS)] + ("" if i < len(ORG_WORDS) else str(i))
        name = f"{word} {LEGAL_SUFFIX.get(legal, '')}".strip()
        units = [f"{word[:3].upper()}-{u + 1:02d}" for u in range(1 + i % 3)]
        weight = 0.5 + rng.random()
        clients = max(6, round(scale.clients_per_year * weight / scale.providers))
        start = PSAVO_START if psavo else dt.date(first_year, 1, 1)
        providers.append(Provider(i, pid, name, legal, soteri, "PSAVO_2026" if psavo else "LAPPI_2025",
                                  sorted(set(products)), units, Profile.for_provider(i),
                                  clients, start))
    return providers


def write_register(home: Home, providers: list[Provider]) -> None:
    home.reference.mkdir(parents=True, exist_ok=True)
    lines = ["provider_id;name;legal_form;soteri_registered;rule_set;contract_id;contract_start;"
             "contract_end;products"]
    for p in providers:
        lappi = p.rule_set == "LAPPI_2025"
        contract = f"{'LAPHA-2025' if lappi else 'PSHVA-2026'}-{p.index + 1:03d}"
        end = "31.12.2027"  # both contracts run to the end of 2027
        start = p.start.strftime("%-d.%-m.%Y")
        lines.append(f"{p.provider_id};{p.name};{p.legal_form};{'K' if p.soteri else 'E'};"
                     f"{p.rule_set};{contract};{start};{end};{'|'.join(p.products)}")
    (home.providers_csv).write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- one provider's year-by-year activity -----------------------------------------------------
class ProviderWorld:
    def __init__(self, provider: Provider, seed: int, pool: IdentityPool):
        self.p = provider
        self.rng = random.Random(seed * 7919 + provider.index)
        self.pool = pool
        self.holidays: dict[int, dict] = {}
        self.staff = self._staff()
        self.groups = self._groups()
        self.periods: list[Period] = self._periods()

    def _is_off(self, day: dt.date) -> bool:
        return day in self.holidays.setdefault(day.year, holidays(day.year))

    def _staff(self) -> list[dict]:
        rng = self.rng
        roles = (["VASTUUHENKILO", "VASTUUHENKILON_SIJAINEN"] + ["VASTUUTYONTEKIJA"] * rng.randint(2, 4)
                 + ["RYHMANOHJAAJA"] * rng.randint(1, 3) + ["OHJAAJA"] * rng.randint(1, 4)
                 + ["MUU"] * rng.randint(0, 1))
        staff = []
        for n, role in enumerate(roles, start=1):
            level = {"VASTUUHENKILO": "KORKEAKOULU", "VASTUUHENKILON_SIJAINEN": "KORKEAKOULU",
                     "VASTUUTYONTEKIJA": rng.choice(["KORKEAKOULU", "KORKEAKOULU", "OPISTO"]),
                     "RYHMANOHJAAJA": rng.choice(["TOINEN_ASTE", "OPISTO", "KORKEAKOULU"]),
                     "OHJAAJA": "TOINEN_ASTE", "MUU": rng.choice(["TOINEN_ASTE", "EI_TUTKINTOA"])}[role]
            if rng.random() < 0.06:
                level = "TOINEN_ASTE" if role in ("VASTUUHENKILO", "VASTUUTYONTEKIJA") else "EI_TUTKINTOA"
            education = {"KORKEAKOULU": rng.choice(["sosionomi (AMK)", "geronomi (AMK)", "YTM"]),
                         "OPISTO": "sosiaaliohjaaja (opisto)", "TOINEN_ASTE": "lähihoitaja",
                         "EI_TUTKINTOA": None}[level]
            minors = any(p.startswith("SOSKU") for p in self.p.products) and rng.random() < 0.5
            staff.append({
                "staff_id": f"H{n:03d}", "name": person_name(rng), "role": role,
                "education": education, "education_level": level,
                "target_group_experience_years": round(
                    rng.choice([0.5, 1, 2, 3, 5, 8, 12]) * (0.5 if rng.random() < 0.2 else 1), 1),
                "leadership_experience_years": float(rng.choice([0, 1, 2, 4, 6]))
                if role.startswith("VASTUUHENKILO") else None,
                "leadership_training": rng.random() < 0.5 if role.startswith("VASTUUHENKILO") else None,
                "employment_start_date": self.p.start - dt.timedelta(days=rng.randint(30, 3000)),
                "employment_end_date": None,
                "fte": rng.choice([1.0, 1.0, 0.8, 0.6]),
                "client_work_share": rng.choice([0.5, 0.7, 0.9]) if role == "VASTUUHENKILO" else None,
                "works_with_minors": minors,
                "criminal_record_checked_date": (self.p.start - dt.timedelta(days=rng.randint(1, 400)))
                if minors and rng.random() < 0.9 else None,
                "professional_register_checked_date": self.p.start - dt.timedelta(days=rng.randint(1, 300))
                if level in ("KORKEAKOULU", "OPISTO") else None,
                "first_aid_valid_until": self.p.start + dt.timedelta(days=rng.randint(-100, 900)),
                "training_hours_year": float(rng.randint(0, 40)),
                "unit_id": self.p.units[n % len(self.p.units)],
            })
        return staff

    def _groups(self) -> dict[str, list[tuple[str, list[int]]]]:
        groups = {}
        concurrent = self.p.clients * 0.45 / max(1, len(self.p.products))
        for product in self.p.products:
            limits = PRODUCTS[product]
            if limits["group_form"] == "none":
                continue
            count = max(1, round(concurrent / 7))
            days = int(limits["days_per_week_max"] or 2)
            groups[product] = [
                (f"{product.split('_')[0][:2]}{g + 1}-{self.p.units[g % len(self.p.units)]}",
                 sorted(self.rng.sample(range(5), k=min(days, 3))))
                for g in range(count)
            ]
        return groups

    def _periods(self) -> list[Period]:
        rng, p = self.rng, self.p
        periods: list[Period] = []
        span_days = (AS_OF - p.start).days
        years = span_days / 365.25
        n_clients = max(4, round(p.clients * years * 1.4))
        workers = [s["staff_id"] for s in self.staff if s["role"] == "VASTUUTYONTEKIJA"]
        for c in range(n_clients):
            male = rng.random() < 0.55
            age_low, age_high = (16, 63) if rng.random() > 0.03 else (65, 67)
            start = next_weekday(p.start + dt.timedelta(days=rng.randrange(max(1, span_days - 20))))
            hetu = self.pool.draw(rng, dt.date(start.year - age_high, 1, 1),
                                  dt.date(start.year - age_low, 1, 1), male)
            product = rng.choice(p.products)
            chain = rng.choices([1, 2, 3, 4, 5], weights=[15, 20, 25, 20, 20])[0]
            for k in range(chain):
                period = self._period(f"{p.units[0][:3]}{c + 1:05d}-{k + 1}", hetu, product, start,
                                      k < chain - 1, workers)
                periods.append(period)
                if period.end is None or not period.continues:
                    break
                start = next_weekday(period.end + dt.timedelta(days=rng.randint(1, 6)))
                if start > AS_OF:
                    period.continues = False
                    break
        return periods

    def _period(self, pid: str, hetu: str, product: str, start: dt.date, may_continue: bool,
                workers: list[str]) -> Period:
        rng = self.rng
        lim = PRODUCTS[product]
        months = rng.randint(int(lim["period_months_min"]), int(lim["period_months_max"]))
        planned_end = add_months(start, months) - dt.timedelta(days=1)
        early = rng.random() < 0.08
        end = (start + dt.timedelta(days=rng.randint(14, max(15, (planned_end - start).days - 5)))
               if early else planned_end + dt.timedelta(days=rng.randint(-4, 3)))
        if end > AS_OF:
            end = None
        continues = bool(end) and may_continue and not early
        if end is None:
            outcome = None
        elif early:
            outcome = rng.choice(["KESKEYTYS_ASIAKAS", "KESKEYTYS_MUU"])
        elif continues:
            outcome = "JATKOJAKSO"
        else:
            outcome = rng.choices(["TYO", "KOULUTUS", "TYOLLISYYSPALVELU", "MUU_PALVELU", "EI_TIEDOSSA"],
                                  weights=[12, 10, 30, 28, 20])[0]
        dmin, dmax = int(lim["days_per_week_min"] or 1), int(lim["days_per_week_max"] or 2)
        days = max(dmin, dmax - rng.choice([0, 0, 1]))
        if rng.random() < 0.04:
            days = dmax + 1  # planned above the product's maximum: a deviation to find
        hmin, hmax = float(lim["hours_per_day_min"] or 1), float(lim["hours_per_day_max"] or 2)
        hours = rng.choice([h / 2 for h in range(int(hmin * 2), int(hmax * 2) + 1)])
        remote = 0.0 if product != "SOSKU_ETA" else 1.0
        if product.startswith(("KTT", "VAM")) and rng.random() < 0.25:
            remote = rng.choice([0.1, 0.2, 0.3, 0.4])
        group = None
        if product in self.groups and (lim["group_form"] == "always" or rng.random() < 0.3):
            group = rng.choice(self.groups[product])
        weekdays = group[1] if group else sorted(rng.sample(range(5), k=min(days, 5)))

        def late(base: dt.date, ok: tuple[int, int], bad: tuple[int, int], p_bad: float,
                 p_missing: float) -> dt.date | None:
            roll = rng.random()
            if roll < p_missing:
                return None
            lo, hi = bad if roll < p_missing + p_bad else ok
            return base + dt.timedelta(days=rng.randint(lo, hi))

        ended = end or planned_end
        psavo = product.startswith("PS_")
        granted = price = None
        if psavo:
            granted = 30.0 if product == "PS_YKSILOVALMENNUS" else float(days * 4 * 15)
            price = {"PS_YKSILOVALMENNUS": 62.0, "PS_RYHMAVALMENNUS": 18.5}.get(product, 45.0)
        interim = None
        if psavo and continues:
            lead = 7 if (ended - start).days <= 62 else 21
            interim = late(ended, (-lead - 10, -lead), (-lead + 1, -lead + 10), 0.15, 0.05)
        return Period(
            period_id=pid, unit=rng.choice(self.p.units), hetu=hetu, product=product,
            start=start, planned_end=planned_end, end=end, days=days, hours=hours, remote=remote,
            worker=rng.choice(workers) if workers else "H001",
            plan_date=late(start, (1, 14), (15, 35), 0.12, 0.03),
            mid_date=start + (ended - start) / 2 if rng.random() < 0.9 else None,
            final_eval=ended - dt.timedelta(days=rng.randint(0, 7)) if rng.random() < 0.9 else None,
            interim=interim,
            final_report=late(ended, (2, 14), (15, 45), 0.12, 0.05),
            outcome=outcome, continues=continues, group=group, weekdays=weekdays,
            granted=granted, price=price,
        )

    # -- the coaching diary ------------------------------------------------------------
    def attendance(self, period: Period) -> Iterator[dict]:
        rng, p = self.rng, self.p
        last = min(period.end or AS_OF, AS_OF)
        day = period.start
        kela = period.product.startswith(("KTT", "PS_"))
        month_visit = None
        group_id = period.group[0] if period.group else None
        activity = "RYHMA" if period.group else ("YKSILO" if period.product == "PS_YKSILOVALMENNUS"
                                                 else "TYOTOIMINTA")
        while day <= last:
            weekday = day.weekday()
            attend = weekday in period.weekdays and not self._is_off(day)
            if not attend and rng.random() < 0.0015 and weekday >= 5:
                attend = True  # the odd Saturday outing: a finding
            if attend:
                yield self._diary_row(period, day, activity, group_id, kela)
            if period.product == "VAM_AVOTYO" and day.day == 10 and month_visit != day.month:
                month_visit = day.month
                visit_day = next_weekday(day)
                yield {"provider_id": p.provider_id, "period_id": period.period_id,
                       "client_hetu": period.hetu, "date": visit_day, "status": "LASNA",
                       "mode": "LAHI", "hours": 1.0, "activity": "AVOTYO_KAYNTI"}
            if period.product == "PS_RYHMAVALMENNUS" and day.day == 15:
                talk = next_weekday(day)
                yield {"provider_id": p.provider_id, "period_id": period.period_id,
                       "client_hetu": period.hetu, "date": talk, "status": "LASNA",
                       "mode": "LAHI", "hours": float(rng.choice([1, 1.5, 2])), "activity": "YKSILO"}
            day += dt.timedelta(days=1)

    def _diary_row(self, period: Period, day: dt.date, activity: str, group_id: str | None,
                   kela: bool) -> dict:
        rng = self.rng
        status = rng.choices(
            ["LASNA", "POISSA_SAIRAUS", "POISSA_MUU", "POISSA_ILMOITTAMATTA", "PERUUTUS_ASIAKAS",
             "PERUUTUS_TUOTTAJA"], weights=[84, 6, 3, 3, 2, 2])[0]
        present = status == "LASNA"
        hours = period.hours
        if period.product == "PS_YKSILOVALMENNUS":
            hours = rng.choice([1.0, 1.5, 2.0, 2.0])
        elif rng.random() < 0.03:
            hours = hours + rng.choice([-1.5, 1.5, 2.5])
        mode = "ETA" if period.product == "SOSKU_ETA" or (present and rng.random() < period.remote) else None
        kela_date = None
        if kela and status.startswith("POISSA") and rng.random() > 0.05:
            kela_date = day + dt.timedelta(days=rng.randint(1, 10) if rng.random() > 0.1 else rng.randint(15, 30))
        return {
            "provider_id": self.p.provider_id, "period_id": period.period_id,
            "client_hetu": period.hetu, "date": day, "status": status, "mode": mode,
            "hours": max(0.0, hours) if present else 0.0, "activity": activity,
            "group_id": group_id if present or group_id else None, "kela_reported_date": kela_date,
        }

    # -- feedback, survey, incidents ---------------------------------------------------
    def feedback(self) -> list[dict]:
        rng, out = self.rng, []
        n = max(2, round(len(self.periods) * 0.12))
        span = (AS_OF - self.p.start).days
        texts = ("Työtehtävät olivat mielekkäitä.", "Toivoisin enemmän ohjausta aamuisin.",
                 "Tilat olivat kylmät.", "Ohjaaja ei vastannut viestiini.", "Kiitos hyvästä ryhmästä!")
        for i in range(n):
            kind = rng.choices(["PALAUTE", "REKLAMAATIO", "VAHINKOILMOITUS", "MUISTUTUS", "KANTELU"],
                               weights=[70, 15, 3, 8, 4])[0]
            received = self.p.start + dt.timedelta(days=rng.randrange(span))
            complaint = kind in ("REKLAMAATIO", "VAHINKOILMOITUS")
            reply = None if rng.random() < 0.05 else received + dt.timedelta(
                days=rng.randint(1, 13) if rng.random() > 0.15 else rng.randint(15, 40))
            out.append({
                "provider_id": self.p.provider_id, "unit_id": rng.choice(self.p.units),
                "feedback_id": f"P{received.year}-{i + 1:04d}", "received_date": received,
                "kind": kind, "submitter": rng.choice(["ASIAKAS", "ASIAKAS", "OMAINEN", "MUU"]),
                "topic": rng.choice(["KOHTELU", "SISALTO", "TILAT", "HENKILOSTO", "TIEDONKULKU", "MUU"]),
                "justified": rng.random() < 0.5 if kind != "PALAUTE" else None,
                "response_date": reply,
                "reported_to_county_date": received + dt.timedelta(
                    days=rng.randint(0, 6) if rng.random() > 0.2 else rng.randint(8, 30))
                if complaint or kind in ("MUISTUTUS", "KANTELU") else None,
                "actions": rng.choice(["Ohjeistus päivitetty", "Asia käsitelty tiimipalaverissa",
                                       "Tilojen lämmitys korjattu", "Asiakkaalle hyvitetty 20 €"])
                if kind != "PALAUTE" else None,
                "text": rng.choice(texts),
            })
        return out

    def survey(self) -> list[dict]:
        if not self.p.soteri:
            return []
        rng, out, n = self.rng, [], 0

        def answer(day: dt.date, kind: str, product: str) -> dict:
            nonlocal n
            n += 1
            base = rng.choice([3, 4, 4, 5, 5])
            q = {f"q{i}": (None if rng.random() < 0.04 else max(1, min(5, base + rng.choice([-1, 0, 0, 1]))))
                 for i in range(1, 6)}
            return {"provider_id": self.p.provider_id, "unit_id": rng.choice(self.p.units),
                    "response_id": f"V{day.year}-{n:05d}", "response_date": day,
                    "survey_type": kind, "service_product": product, **q,
                    "nps": None if rng.random() < 0.05 else min(10, max(0, base * 2 + rng.randint(-3, 1))),
                    "free_text": rng.choice([None, None, "Kiitos!", "Toiminta oli hyvää."])}

        for period in self.periods:
            if period.end and not period.continues and rng.random() < 0.75:
                day = period.end + dt.timedelta(days=rng.randint(-3, 2))
                if day <= AS_OF:
                    out.append(answer(day, "PAATTYMISKYSELY", period.product))
        for year in range(self.p.start.year, AS_OF.year + 1):
            active = [pp for pp in self.periods if pp.start.year <= year and (pp.end is None or pp.end.year >= year)]
            for period in active[: max(1, len(active) // 3)]:
                day = dt.date(year, 10, rng.randint(1, 28))
                if day <= AS_OF:
                    out.append(answer(day, "VUOSIKYSELY", period.product))
        return out

    def incidents(self) -> list[dict]:
        rng, out = self.rng, []
        n = max(1, round(len(self.periods) * 0.05))
        span = (AS_OF - self.p.start).days
        for i in range(n):
            day = self.p.start + dt.timedelta(days=rng.randrange(span))
            severity = rng.choices([0, 1, 2, 3, 4], weights=[30, 40, 20, 8, 2])[0]
            action = rng.choice(["Riskinarvio päivitetty", "Henkilöstö koulutettu",
                                 "Toimintaohje tarkennettu"]) if severity >= 1 else None
            out.append({
                "provider_id": self.p.provider_id, "unit_id": rng.choice(self.p.units),
                "incident_id": f"T{day.year}-{i + 1:03d}", "occurred_date": day,
                "kind": rng.choices(["VAARATAPAHTUMA", "LAHELTA_PITI", "TAPATURMA",
                                     "UHKA_TAI_VAKIVALTA", "TIETOSUOJAPOIKKEAMA"],
                                    weights=[30, 30, 20, 15, 5])[0],
                "target": rng.choice(["ASIAKAS", "HENKILOSTO", "ULKOPUOLINEN", "OMAISUUS"]),
                "severity": severity,
                "reported_to_county_date": day + dt.timedelta(
                    days=rng.randint(0, 6) if rng.random() > 0.2 else rng.randint(8, 25)),
                "description": "Tilanne kuvattu yksikön vaaratapahtumailmoituksessa.",
                "development_action": action,
                "action_completed_date": day + dt.timedelta(days=rng.randint(5, 60))
                if action and rng.random() < 0.8 else None,
            })
        return out

    def staff_list(self, as_of: dt.date) -> list[dict]:
        rows = []
        for person in self.staff:
            row = dict(person, provider_id=self.p.provider_id, as_of_date=as_of)
            rows.append(row)
        # a little turnover each year: the last person left before the list's date
        if as_of.year % 2 == 0 and rows:
            rows[-1] = dict(rows[-1], employment_end_date=as_of - dt.timedelta(days=40))
        return rows


# -- deliveries ------------------------------------------------------------------------------
def window_label(day: dt.date, per: str) -> str:
    """The label a delivery window goes by in file names: 2025-03, 2025-Q1 or 2025."""
    if per == "month":
        return f"{day:%Y-%m}"
    if per == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}"


def windows(start: dt.date, per: str) -> Iterator[tuple[str, dt.date, dt.date]]:
    """(label, first day, last day) of each delivery window up to AS_OF."""
    day = dt.date(start.year, start.month if per == "month" else 1, 1)
    if per == "quarter":
        day = dt.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    step = {"month": 1, "quarter": 3, "year": 12}[per]
    while day <= AS_OF:
        nxt = add_months(day, step)
        last = min(nxt - dt.timedelta(days=1), AS_OF)
        yield window_label(day, per), day, last
        day = nxt


KIND_FILE = {"periods": "jaksot", "attendance": "paivakirja", "feedback": "palautteet",
             "survey": "kysely", "incidents": "vaaratapahtumat", "staff": "henkilosto"}
XLSX_SHEETS = {"periods": "Jaksot", "attendance": "Päiväkirja", "feedback": "Palautteet",
               "survey": "Kysely", "incidents": "Vaaratapahtumat"}


class DemoWriter:
    def __init__(self, home: Home, scale: Scale, seed: int):
        self.home, self.scale, self.seed = home, scale, seed
        self.summary = Summary()
        home.inbox.mkdir(parents=True, exist_ok=True)

    def emit(self, name: str, data: bytes, kind: str | None = None, rows: int = 0) -> None:
        (self.home.inbox / name).write_bytes(data)
        self.summary.files += 1
        if kind:
            self.summary.count(kind, rows)

    def provider(self, world: ProviderWorld) -> None:
        p = world.p
        columns = {k: [c.name for c in KINDS[k].columns] for k in KIND_FILE}
        by_kind: dict[str, list[dict]] = {
            "feedback": world.feedback(), "survey": world.survey(), "incidents": world.incidents()}
        defects = Defects(p.index, self.seed)

        def csv_file(kind: str, label: str, rows: list[dict]) -> None:
            if not rows:
                return
            rows = defects.apply(kind, label, rows)
            name = f"{p.provider_id}_{KIND_FILE[kind]}_{label}.csv"
            self.emit(name, csv_bytes(KINDS[kind], columns[kind], rows, p.profile), kind, len(rows))
            extra = defects.extra_files(kind, label, name, rows, p, columns[kind])
            for extra_name, data, n in extra:
                self.emit(extra_name, data, kind, n)

        # Periods: a snapshot of every period active in the window, as known at its end.
        per = self.scale.others_per
        xlsx_book: dict[str, list] = {}
        for label, first, last in windows(p.start, per):
            active = [x.row(p.provider_id, last) for x in world.periods
                      if x.start <= last and (x.end is None or x.end >= first)]
            if p.profile.xlsx:
                xlsx_book.setdefault(label, []).append(("periods", active))
            else:
                csv_file("periods", label, active)
            for kind in ("feedback", "survey", "incidents"):
                day_col = {"feedback": "received_date", "survey": "response_date",
                           "incidents": "occurred_date"}[kind]
                rows = [r for r in by_kind[kind] if first <= r[day_col] <= last]
                if p.profile.xlsx:
                    xlsx_book[label].append((kind, rows))
                else:
                    csv_file(kind, label, rows)

        # The coaching diary, per month (or quarter), streamed period by period.
        diary: dict[str, list[dict]] = {}
        for period in world.periods:
            for row in world.attendance(period):
                key = window_label(row["date"], self.scale.attendance_per)
                diary.setdefault(key, []).append(row)
        for label in sorted(diary):
            rows = sorted(diary[label], key=lambda r: (r["date"], r["period_id"]))
            if p.profile.xlsx:
                quarter = window_label(rows[0]["date"], per)
                xlsx_book.setdefault(quarter, []).append(("attendance", rows))
            else:
                csv_file("attendance", label, rows)

        for label, sheets in sorted(xlsx_book.items()):
            parts = []
            for kind, rows in sheets:
                rows = defects.apply(kind, label, rows)
                parts.append((XLSX_SHEETS[kind], KINDS[kind], columns[kind], rows))
                self.summary.count(kind, len(rows))
            self.emit(f"{p.provider_id}_vienti_{label}.xlsx", xlsx_bytes(parts, p.profile))

        # The staff list, once a year.
        for year in range(p.start.year, AS_OF.year + 1):
            as_of = dt.date(year, 12, 31) if year < AS_OF.year else dt.date(year, 9, 30)
            csv_file("staff", f"{year}", world.staff_list(as_of))

    def annual_documents(self, providers: list[Provider]) -> None:
        """The county's own record of the 31.3 documents received (the deliveries kind)."""
        rng = random.Random(self.seed)
        lines = ["y_tunnus;vuosi;asiakirja;vastaanotettu_pvm"]
        for p in providers:
            for year in range(p.start.year, AS_OF.year):
                docs = ["TOIMINTAKERTOMUS", "TOIMINTASUUNNITELMA", "HENKILOSTOLUETTELO", "PALAUTERAPORTTI"]
                if p.soteri:
                    docs += ["TYYTYVAISYYSRAPORTTI", "OSAAMISEN_KEHITTAMINEN", "OMAVALVONTASUUNNITELMA"]
                for doc in docs:
                    roll = rng.random()
                    if roll < 0.08:
                        continue  # never arrived
                    due = dt.date(year + 1, 3, 31)
                    on_time = roll > 0.2
                    day = due + dt.timedelta(days=-rng.randint(0, 50) if on_time else rng.randint(1, 60))
                    if day <= AS_OF:
                        lines.append(f"{p.provider_id};{year};{doc};{day.day}.{day.month}.{day.year}")
        self.emit("hyvinvointialue_vuosiraportoinnin_asiakirjat.csv",
                  ("\n".join(lines) + "\n").encode("utf-8"), "deliveries", len(lines) - 1)

    def bad_files(self, providers: list[Provider]) -> None:
        """Files a real inbox gets now and then; each must be quarantined whole, with a reason."""
        p = providers[0]
        self.emit("muistiinpanot_siirrosta.txt",
                  "Hei, tässä kuukauden aineistot.\nTerveisin toimisto\n".encode())
        self.emit(f"{p.provider_id}_jaksot_vanha_pohja.csv",
                  (f"y_tunnus;toimintayksikko;jakso_id;palvelutuote;alkupvm;suunniteltu_loppupvm\n"
                   f"{p.provider_id};{p.units[0]};X1;KTT_OHJAUS;1.2.2025;30.4.2025\n").encode())
        self.emit(f"{p.provider_id}_paivakirja_utf16.csv",
                  "y_tunnus;jakso_id;hetu;pvm;tila\n".encode("utf-16"))
        self.emit(f"{p.provider_id}_palautteet_tyhja.csv", b"")
        self.emit(f"{p.provider_id}_vaaratapahtumat_ei_tapahtumia.csv",
                  b"y_tunnus;toimintayksikko;tapahtuma_id;tapahtuma_pvm;laji\n")


class Defects:
    """A few bad rows, a correction and a byte-identical re-send, at fixed places."""

    def __init__(self, index: int, seed: int):
        self.index, self.seed = index, seed

    def apply(self, kind: str, label: str, rows: list[dict]) -> list[dict]:
        rows = [dict(r) for r in rows]
        i = self.index
        if kind == "attendance" and i in (0, 4) and label.endswith("-03") and len(rows) > 18:
            rows[3]["client_hetu"] = "!" + broken_check_character(rows[3]["client_hetu"])
            rows[6]["date"] = f"!31.2.{rows[6]['date'].year}"
            rows[9]["status"] = "!LASNAOLO"
            rows[12]["hours"] = "!25"
            rows[15]["provider_id"] = "!" + business_id(1_000_001)
            rows[18]["provider_id"] = "!1234567-8"
        if kind == "periods" and i in (1, 6) and label.endswith("-Q2") and len(rows) > 8:
            rows[2]["end_date"] = rows[2]["start_date"] - dt.timedelta(days=3)
            rows[5]["period_id"] = None
            rows[8]["service_product"] = "!KTT_PAJA"
        if kind == "survey" and i in (3, 4) and label.endswith("-Q4") and len(rows) > 2:
            rows[1]["q3"] = "!7"
            rows[2]["nps"] = "!kymmenen"
        if kind == "feedback" and i in (0, 3) and len(rows) > 1 and label.endswith("-Q3"):
            rows[0]["kind"] = "!VALITUS"
        if kind == "staff" and i == 5:
            rows[1]["fte"] = "!2,0"
            rows[2]["education_level"] = None
        return rows

    def extra_files(self, kind: str, label: str, name: str, rows: list[dict], p: Provider,
                    columns: list[str]) -> list[tuple[str, bytes, int]]:
        out = []
        if kind == "attendance" and self.index in (0, 4) and label.endswith("-03") and len(rows) >= 20:
            # The provider fixes the rejected rows and sends them again: later file, same keys.
            fixed = []
            for n in (3, 6, 9, 12, 15, 18):
                row = dict(rows[n])
                for key, value in list(row.items()):
                    if isinstance(value, str) and value.startswith("!"):
                        row[key] = {"client_hetu": None, "date": None, "status": "LASNA",
                                    "hours": 4.0, "provider_id": p.provider_id}[key]
                if row["client_hetu"] is None or row["date"] is None:
                    continue
                fixed.append(row)
            data = csv_bytes(KINDS[kind], columns, fixed, p.profile)
            out.append((name.replace(".csv", "_korjaus.csv"), data, len(fixed)))
        return out


def generate(home: Home, scale_name: str = "demo", seed: int = 2025,
             progress: Callable[[str], None] | None = None) -> Summary:
    progress = progress or (lambda _m: None)
    scale = SCALES[scale_name]
    providers = make_providers(scale, seed)
    write_register(home, providers)
    writer = DemoWriter(home, scale, seed)
    pool = IdentityPool()
    for n, provider in enumerate(providers, start=1):
        world = ProviderWorld(provider, seed, pool)
        writer.summary.clients += len({x.hetu for x in world.periods})
        writer.provider(world)
        if n % max(1, len(providers) // 20) == 0 or n == len(providers):
            progress(f"Demoaineisto: {n}/{len(providers)} palveluntuottajaa")
    writer.annual_documents(providers)
    writer.bad_files(providers)
    # A byte-identical re-send of one delivery: it must change nothing.
    first_diary = sorted(home.inbox.glob(f"{providers[2 % len(providers)].provider_id}_paivakirja_*.csv"))
    if first_diary:
        source = first_diary[len(first_diary) // 2]
        copy = source.with_name(source.stem + " - kopio" + source.suffix)
        copy.write_bytes(source.read_bytes())
        writer.summary.files += 1
    return writer.summary
