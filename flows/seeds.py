"""Seeds written from code: Finnish holidays and code lists with labels.

`valvonta seeds` rewrites them; a test keeps the committed files equal to what this writes, so
the dbt seeds and the Python definitions cannot drift apart.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .calendar_fi import holidays
from .formats.spec import CODE_LISTS
from .home import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "dbt" / "seeds"
HOLIDAY_YEARS = range(2020, 2036)
LABELS_FI = {
    "attendance_status": {
        "LASNA": "läsnä",
        "POISSA_SAIRAUS": "poissa, sairaus",
        "POISSA_MUU": "poissa, muu hyväksytty syy",
        "POISSA_ILMOITTAMATTA": "poissa ilmoittamatta",
        "PERUUTUS_ASIAKAS": "asiakkaan peruutus samana päivänä",
        "PERUUTUS_TUOTTAJA": "palveluntuottajan peruutus",
    },
    "mode": {"LAHI": "lähitoteutus", "ETA": "etätoteutus"},
    "activity": {
        "TYOTOIMINTA": "työtoiminta",
        "YKSILO": "yksilöohjaus",
        "RYHMA": "ryhmätoiminta",
        "AVOTYO_KAYNTI": "työpaikkakäynti",
    },
    "outcome": {
        "TYO": "työ",
        "KOULUTUS": "koulutus",
        "TYOLLISYYSPALVELU": "työllisyyspalvelu",
        "JATKOJAKSO": "jatkojakso",
        "MUU_PALVELU": "muu palvelu",
        "KESKEYTYS_ASIAKAS": "keskeytys, asiakas",
        "KESKEYTYS_MUU": "keskeytys, muu syy",
        "EI_TIEDOSSA": "ei tiedossa",
    },
    "feedback_kind": {
        "PALAUTE": "palaute",
        "REKLAMAATIO": "reklamaatio",
        "VAHINKOILMOITUS": "vahinkoilmoitus",
        "MUISTUTUS": "muistutus",
        "KANTELU": "kantelu",
    },
    "submitter": {"ASIAKAS": "asiakas", "OMAINEN": "omainen", "LAILLINEN_EDUSTAJA": "laillinen edustaja", "MUU": "muu"},
    "topic": {
        "KOHTELU": "kohtelu",
        "SISALTO": "sisältö",
        "TILAT": "tilat",
        "HENKILOSTO": "henkilöstö",
        "TIEDONKULKU": "tiedonkulku",
        "MUU": "muu",
    },
    "survey_type": {"VUOSIKYSELY": "vuosikysely", "PAATTYMISKYSELY": "päättymiskysely"},
    "incident_kind": {
        "VAARATAPAHTUMA": "vaaratapahtuma",
        "LAHELTA_PITI": "läheltä piti",
        "TAPATURMA": "tapaturma",
        "UHKA_TAI_VAKIVALTA": "uhka tai väkivalta",
        "TIETOSUOJAPOIKKEAMA": "tietosuojapoikkeama",
    },
    "target": {
        "ASIAKAS": "asiakas",
        "HENKILOSTO": "henkilöstö",
        "ULKOPUOLINEN": "ulkopuolinen",
        "OMAISUUS": "omaisuus",
    },
    "role": {
        "VASTUUHENKILO": "vastuuhenkilö",
        "VASTUUHENKILON_SIJAINEN": "vastuuhenkilön sijainen",
        "VASTUUTYONTEKIJA": "vastuutyöntekijä",
        "RYHMANOHJAAJA": "ryhmänohjaaja",
        "OHJAAJA": "ohjaaja",
        "MUU": "muu",
    },
    "education_level": {
        "KORKEAKOULU": "korkeakoulu",
        "OPISTO": "opistotaso",
        "TOINEN_ASTE": "toinen aste",
        "EI_TUTKINTOA": "ei tutkintoa",
    },
    "document": {
        "TOIMINTAKERTOMUS": "toimintakertomus",
        "TOIMINTASUUNNITELMA": "toimintasuunnitelma",
        "HENKILOSTOLUETTELO": "henkilöstöluettelo",
        "PALAUTERAPORTTI": "palaute- ja vaaratapahtumaraportti",
        "TYYTYVAISYYSRAPORTTI": "asiakastyytyväisyyskyselyn tulokset",
        "OSAAMISEN_KEHITTAMINEN": "osaamisen kehittämissuunnitelman toteutuminen",
        "OMAVALVONTASUUNNITELMA": "omavalvontasuunnitelma ja sen havainnot",
    },
    "legal_form": {
        "YHDISTYS": "yhdistys",
        "SAATIO": "säätiö",
        "USKONNOLLINEN_YHDISTYS": "uskonnollinen yhdyskunta",
        "KUNTA": "kunta",
        "VALTIO": "valtio",
        "OSAKEYHTIO": "osakeyhtiö",
        "MUU_YRITYS": "muu yritys",
    },
    "rule_set": {
        "LAPPI_2025": "Lapin hyvinvointialue, palvelukuvaus 2025",
        "PSAVO_2026": "Pohjois-Savon palveluseteli 2026",
    },
}


def holiday_rows() -> list[tuple[str, str]]:
    return [(day.isoformat(), name) for year in HOLIDAY_YEARS for day, name in holidays(year).items()]


def code_rows() -> list[tuple[str, str, str]]:
    with open(SEEDS / "products.csv", encoding="utf-8") as handle:
        products = {row["product"]: row["label_fi"] for row in csv.DictReader(handle)}
    rows = []
    for name, codes in CODE_LISTS.items():
        labels = products if name == "service_product" else LABELS_FI.get(name, {})
        rows += [(name, code, labels.get(code, code.lower().replace("_", " "))) for code in codes]
    return rows


def write_seeds(target: Path = SEEDS) -> None:
    with open(target / "finnish_holidays.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["holiday_date", "name_fi"])
        writer.writerows(holiday_rows())
    with open(target / "code_labels.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code_list", "code", "label_fi"])
        writer.writerows(code_rows())


if __name__ == "__main__":
    write_seeds()
