"""The provider export format, version 1, as data.

Everything the reader, the validator, the template and the documentation need to know about a
kind lives here, so that the public contract (`shared/exchange-format.md`) has exactly one
implementation. Column order follows the contract's tables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Column types. The validator turns each into a parse expression and its rejection rules.
YTUNNUS = "ytunnus"
HETU = "hetu"
TEXT = "text"
CODE = "code"
DATE = "date"
INTEGER = "integer"
DECIMAL = "decimal"
SHARE = "share"
BOOLEAN = "boolean"

CODE_LISTS: dict[str, tuple[str, ...]] = {
    "service_product": (
        "KTT_OHJAUS", "KTT_OHJAUS_TUKI", "KTT_RYHMA", "VAM_YKSIKKO", "VAM_AVOTYO",
        "SOSKU_LAHI", "SOSKU_ETA", "PS_YKSILOVALMENNUS", "PS_RYHMAVALMENNUS",
        "PS_KARTOITTAVA", "PS_TYOKYKY",
    ),
    "attendance_status": (
        "LASNA", "POISSA_SAIRAUS", "POISSA_MUU", "POISSA_ILMOITTAMATTA",
        "PERUUTUS_ASIAKAS", "PERUUTUS_TUOTTAJA",
    ),
    "mode": ("LAHI", "ETA"),
    "activity": ("TYOTOIMINTA", "YKSILO", "RYHMA", "AVOTYO_KAYNTI"),
    "outcome": (
        "TYO", "KOULUTUS", "TYOLLISYYSPALVELU", "JATKOJAKSO", "MUU_PALVELU",
        "KESKEYTYS_ASIAKAS", "KESKEYTYS_MUU", "EI_TIEDOSSA",
    ),
    "feedback_kind": ("PALAUTE", "REKLAMAATIO", "VAHINKOILMOITUS", "MUISTUTUS", "KANTELU"),
    "submitter": ("ASIAKAS", "OMAINEN", "LAILLINEN_EDUSTAJA", "MUU"),
    "topic": ("KOHTELU", "SISALTO", "TILAT", "HENKILOSTO", "TIEDONKULKU", "MUU"),
    "survey_type": ("VUOSIKYSELY", "PAATTYMISKYSELY"),
    "incident_kind": (
        "VAARATAPAHTUMA", "LAHELTA_PITI", "TAPATURMA", "UHKA_TAI_VAKIVALTA",
        "TIETOSUOJAPOIKKEAMA",
    ),
    "target": ("ASIAKAS", "HENKILOSTO", "ULKOPUOLINEN", "OMAISUUS"),
    "role": (
        "VASTUUHENKILO", "VASTUUHENKILON_SIJAINEN", "VASTUUTYONTEKIJA", "RYHMANOHJAAJA",
        "OHJAAJA", "MUU",
    ),
    "education_level": ("KORKEAKOULU", "OPISTO", "TOINEN_ASTE", "EI_TUTKINTOA"),
    "document": (
        "TOIMINTAKERTOMUS", "TOIMINTASUUNNITELMA", "HENKILOSTOLUETTELO", "PALAUTERAPORTTI",
        "TYYTYVAISYYSRAPORTTI", "OSAAMISEN_KEHITTAMINEN", "OMAVALVONTASUUNNITELMA",
    ),
    "legal_form": (
        "YHDISTYS", "SAATIO", "USKONNOLLINEN_YHDISTYS", "KUNTA", "VALTIO", "OSAKEYHTIO",
        "MUU_YRITYS",
    ),
    "rule_set": ("LAPPI_2025", "PSAVO_2026"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    code_list: str | None = None
    low: float | None = None
    high: float | None = None
    label_fi: str = ""
    # Free text is personal: it is stored for the provider's own package but never validated,
    # shown in a report value, or put on a dashboard.
    free_text: bool = False

    @property
    def header_fi(self) -> str:
        """The Finnish header the template writes; it normalises back to the first alias."""
        base = self.aliases[0] if self.aliases else self.name
        return base[:1].upper() + base[1:].replace("_", " ")


@dataclass(frozen=True)
class Kind:
    name: str
    label_fi: str
    natural_key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Reference data is read from reference/, never detected in the inbox.
    in_inbox: bool = True
    notes: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _c(name, type_, required=False, aliases=(), code_list=None, low=None, high=None, label="",
       free_text=False) -> Column:
    if isinstance(aliases, str):
        aliases = (aliases,)
    return Column(name, type_, required, tuple(aliases), code_list, low, high, label, free_text)


PROVIDER = _c("provider_id", YTUNNUS, True, "y_tunnus", label="palveluntuottajan Y-tunnus")
UNIT = _c("unit_id", TEXT, True, "toimintayksikko", label="toimintayksikkö")
HETU_COL = _c("client_hetu", HETU, True, ("henkilotunnus", "hetu"), label="asiakkaan henkilötunnus")

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "periods", "asiakasjaksot", ("provider_id", "period_id"),
            (
                PROVIDER, UNIT,
                _c("period_id", TEXT, True, "jakso_id", label="jakson tunniste"),
                HETU_COL,
                _c("service_product", CODE, True, "palvelutuote", "service_product",
                   label="palvelutuote"),
                _c("start_date", DATE, True, "alkupvm", label="alkamispäivä"),
                _c("planned_end_date", DATE, True, "suunniteltu_loppupvm",
                   label="suunniteltu päättymispäivä"),
                _c("end_date", DATE, False, "loppupvm", label="päättymispäivä"),
                _c("planned_days_per_week", INTEGER, False, "paivia_viikossa",
                   label="suunnitellut päivät viikossa"),
                _c("planned_hours_per_day", DECIMAL, False, "tunteja_paivassa", low=0, high=24,
                   label="suunnitellut tunnit päivässä"),
                _c("remote_share_planned", SHARE, False, "etaosuus", low=0, high=1,
                   label="suunniteltu etäosuus"),
                _c("responsible_worker_id", TEXT, False, "vastuutyontekija",
                   label="vastuutyöntekijä"),
                _c("plan_delivered_date", DATE, False, "toteuttamissuunnitelma_pvm",
                   label="toteuttamissuunnitelma toimitettu"),
                _c("mid_evaluation_date", DATE, False, "valiarviointi_pvm",
                   label="väliarviointi"),
                _c("final_evaluation_date", DATE, False, "loppuarviointi_pvm",
                   label="loppuarviointi"),
                _c("interim_report_date", DATE, False, "valiraportti_pvm",
                   label="väliraportti"),
                _c("final_report_date", DATE, False, "loppuraportti_pvm",
                   label="loppuraportti / loppuyhteenveto"),
                _c("outcome", CODE, False, "jatkosuunnitelma", "outcome",
                   label="jatkosuunnitelma"),
                _c("continues", BOOLEAN, False, "jatkuu", label="jatkuu"),
                _c("granted_units", DECIMAL, False, "myonnetyt_yksikot",
                   label="myönnetyt yksiköt"),
                _c("unit_price", DECIMAL, False, "yksikkohinta", label="yksikköhinta (€)"),
            ),
        ),
        Kind(
            "attendance", "osallistuminen (valmennuspäiväkirja)",
            ("provider_id", "period_id", "date", "activity"),
            (
                PROVIDER,
                _c("period_id", TEXT, True, "jakso_id", label="jakson tunniste"),
                HETU_COL,
                _c("date", DATE, True, ("pvm", "paivamaara"), label="päivämäärä"),
                _c("status", CODE, True, "tila", "attendance_status", label="tila"),
                _c("mode", CODE, False, "toteutustapa", "mode", label="toteutustapa"),
                _c("hours", DECIMAL, False, "tunnit", low=0, high=24, label="tunnit"),
                _c("activity", CODE, False, "toiminto", "activity", label="toiminto"),
                _c("group_id", TEXT, False, "ryhma_id", label="ryhmä"),
                _c("kela_reported_date", DATE, False, "kela_ilmoitus_pvm",
                   label="ilmoitettu Kelalle"),
            ),
        ),
        Kind(
            "feedback", "palautteet ja reklamaatiot", ("provider_id", "feedback_id"),
            (
                PROVIDER, UNIT,
                _c("feedback_id", TEXT, True, "palaute_id", label="palautteen tunniste"),
                _c("received_date", DATE, True, "vastaanotettu_pvm", label="vastaanotettu"),
                _c("kind", CODE, True, "laji", "feedback_kind", label="laji"),
                _c("submitter", CODE, False, "antaja", "submitter", label="antaja"),
                _c("topic", CODE, False, "aihe", "topic", label="aihe"),
                _c("justified", BOOLEAN, False, "aiheellinen", label="aiheellinen"),
                _c("response_date", DATE, False, "vastattu_pvm", label="vastattu"),
                _c("reported_to_county_date", DATE, False, "ilmoitettu_tilaajalle_pvm",
                   label="ilmoitettu tilaajalle"),
                _c("actions", TEXT, False, "toimenpiteet", label="kehittämistoimenpiteet"),
                _c("text", TEXT, False, "palaute", label="palaute", free_text=True),
            ),
        ),
        Kind(
            "survey", "asiakastyytyväisyyskysely", ("provider_id", "response_id"),
            (
                PROVIDER, UNIT,
                _c("response_id", TEXT, True, "vastaus_id", label="vastauksen tunniste"),
                _c("response_date", DATE, True, "vastaus_pvm", label="vastauspäivä"),
                _c("survey_type", CODE, True, "kyselyn_tyyppi", "survey_type",
                   label="kyselyn tyyppi"),
                _c("service_product", CODE, False, "palvelutuote", "service_product",
                   label="palvelutuote"),
                *(
                    _c(f"q{i}", INTEGER, False, (), low=1, high=5, label=f"väittämä {i}")
                    for i in range(1, 6)
                ),
                _c("nps", INTEGER, False, "suosittelu", low=0, high=10, label="suosittelu 0–10"),
                _c("free_text", TEXT, False, "avoin_palaute", label="avoin palaute",
                   free_text=True),
            ),
        ),
        Kind(
            "incidents", "vaaratapahtumat ja uhkatilanteet", ("provider_id", "incident_id"),
            (
                PROVIDER, UNIT,
                _c("incident_id", TEXT, True, "tapahtuma_id", label="tapahtuman tunniste"),
                _c("occurred_date", DATE, True, "tapahtuma_pvm", label="tapahtumapäivä"),
                _c("kind", CODE, True, "laji", "incident_kind", label="laji"),
                _c("target", CODE, False, "kohde", "target", label="kohde"),
                _c("severity", INTEGER, False, "vakavuus", low=0, high=4, label="vakavuus 0–4"),
                _c("reported_to_county_date", DATE, False, "ilmoitettu_tilaajalle_pvm",
                   label="ilmoitettu tilaajalle"),
                _c("description", TEXT, False, "kuvaus", label="kuvaus", free_text=True),
                _c("development_action", TEXT, False, "kehittamistoimenpide",
                   label="kehittämistoimenpide"),
                _c("action_completed_date", DATE, False, "toimenpide_valmis_pvm",
                   label="toimenpide valmis"),
            ),
        ),
        Kind(
            "staff", "henkilöstöluettelo", ("provider_id", "staff_id", "as_of_date"),
            (
                PROVIDER, UNIT,
                _c("staff_id", TEXT, True, "henkilo_id", label="henkilön tunniste"),
                _c("as_of_date", DATE, True, "luettelon_pvm", label="luettelon päivämäärä"),
                _c("name", TEXT, False, "nimi", label="nimi"),
                _c("role", CODE, True, "rooli", "role", label="rooli"),
                _c("education", TEXT, False, "koulutus", label="koulutus"),
                _c("education_level", CODE, True, "koulutustaso", "education_level",
                   label="koulutustaso"),
                _c("professional_register_checked_date", DATE, False,
                   "valvira_tarkistettu_pvm", label="Valvira tarkistettu"),
                _c("target_group_experience_years", DECIMAL, False, "kohderyhmakokemus_v",
                   low=0, high=60, label="kohderyhmäkokemus (v)"),
                _c("leadership_experience_years", DECIMAL, False, "esihenkilokokemus_v",
                   low=0, high=60, label="esihenkilökokemus (v)"),
                _c("leadership_training", BOOLEAN, False, "johtamiskoulutus",
                   label="johtamiskoulutus"),
                _c("employment_start_date", DATE, False, "tyosuhde_alkoi",
                   label="työsuhde alkoi"),
                _c("employment_end_date", DATE, False, "tyosuhde_paattyi",
                   label="työsuhde päättyi"),
                _c("fte", DECIMAL, False, "tyoaikaosuus", low=0, high=1.5,
                   label="työaikaosuus"),
                _c("client_work_share", SHARE, False, "asiakastyon_osuus", low=0, high=1,
                   label="asiakastyön osuus"),
                _c("works_with_minors", BOOLEAN, False, "alaikaisia",
                   label="työskentelee alaikäisten kanssa"),
                _c("criminal_record_checked_date", DATE, False,
                   "rikostausta_tarkistettu_pvm", label="rikostausta tarkistettu"),
                _c("first_aid_valid_until", DATE, False, "ea_voimassa",
                   label="ensiapu voimassa"),
                _c("training_hours_year", DECIMAL, False, "koulutustunnit_vuosi",
                   label="koulutustunnit vuodessa"),
            ),
        ),
        Kind(
            "deliveries", "vuosiraportoinnin asiakirjat", ("provider_id", "year", "document"),
            (
                PROVIDER,
                _c("year", INTEGER, True, "vuosi", label="vuosi"),
                _c("document", CODE, True, "asiakirja", "document", label="asiakirja"),
                _c("received_date", DATE, True, "vastaanotettu_pvm", label="vastaanotettu"),
            ),
        ),
        Kind(
            "providers", "palveluntuottajarekisteri", ("provider_id",),
            (
                _c("provider_id", YTUNNUS, True, "y_tunnus", label="Y-tunnus"),
                _c("name", TEXT, True, "nimi", label="nimi"),
                _c("legal_form", CODE, True, "oikeudellinen_muoto", "legal_form",
                   label="oikeudellinen muoto"),
                _c("soteri_registered", BOOLEAN, True, "soteri_rekisteroity",
                   label="Soteri-rekisterissä"),
                _c("rule_set", CODE, True, "saannosto", "rule_set", label="säännöstö"),
                _c("contract_id", TEXT, False, "sopimus_id", label="sopimus"),
                _c("contract_start", DATE, False, "sopimus_alkaa", label="sopimus alkaa"),
                _c("contract_end", DATE, False, "sopimus_paattyy", label="sopimus päättyy"),
                _c("products", TEXT, False, "palvelutuotteet", label="palvelutuotteet"),
            ),
            in_inbox=False,
        ),
    )
}

INBOX_KINDS = tuple(k for k in KINDS.values() if k.in_inbox)


def normalise_header(text: str) -> str:
    """Header comparison key: case, surrounding spaces, ä/ö/å and '-'/space/'_' ignored."""
    text = unicodedata.normalize("NFC", str(text)).replace("\ufeff", "").strip().lower()
    text = text.replace("ä", "a").replace("ö", "o").replace("å", "a")
    return re.sub(r"[\s_\-]+", "_", text).strip("_")


def header_lookup(kind: Kind) -> dict[str, str]:
    """Normalised header → canonical column name, for one kind."""
    lookup: dict[str, str] = {}
    for col in kind.columns:
        for name in (col.name, *col.aliases):
            lookup[normalise_header(name)] = col.name
    return lookup


def _distinctive() -> dict[str, set[str]]:
    """Per kind, the normalised headers no other inbox kind uses: they tell the kind apart."""
    names = {k.name: set(header_lookup(k)) for k in INBOX_KINDS}
    out = {}
    for kind, own in names.items():
        others = set().union(*(v for k, v in names.items() if k != kind))
        out[kind] = own - others
    return out


DISTINCTIVE = _distinctive()


def detect_kind(headers: list[str]) -> Kind | None:
    """The inbox kind whose distinctive columns the header names most; None if none or a tie."""
    normalised = {normalise_header(h) for h in headers}
    scores = sorted(
        ((len(normalised & DISTINCTIVE[k.name]), k.name) for k in INBOX_KINDS), reverse=True
    )
    best, runner_up = scores[0], scores[1]
    if best[0] == 0 or best[0] == runner_up[0]:
        return None
    return KINDS[best[1]]
