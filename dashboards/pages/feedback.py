"""Palaute ja tyytyväisyys: satisfaction per statement, NPS trend, reply times of feedback and complaints.
Feedback texts are not in the marts and never shown."""

from __future__ import annotations

from dash import html

from flows.reports.source import STATEMENTS

from ..data import Warehouse
from ..ui import bars, figure, filters, line, table
from .common import provider_filter, selected, selected_year, year_filter


def layout(wh: Warehouse, q: dict, home) -> list:
    year = selected_year(wh, q)
    provider = selected(q, "tuottaja")
    scope, params = ("and provider_id = ?", [provider]) if provider else ("", [])
    statements = wh.rows(f"""
        select statement, sum(n) as n, sum(mean * n) / nullif(sum(n), 0) as mean,
            sum(n_1) as n_1, sum(n_2) as n_2, sum(n_3) as n_3, sum(n_4) as n_4, sum(n_5) as n_5
        from marts.fct_satisfaction where year = ? {scope} group by 1 order by 1""", [year, *params])
    for r in statements:
        r["text"] = f"{r['statement']}: {STATEMENTS.get(r['statement'], '')}"
    nps = wh.rows(f"""
        select year, sum(responses) as responses, sum(promoters) as promoters, sum(detractors) as detractors,
            sum(nps_responses) as nps_responses,
            (sum(promoters) - sum(detractors)) * 100.0 / nullif(sum(nps_responses), 0) as nps,
            sum(end_survey_responses) as end_survey_responses, sum(periods_ended) as periods_ended
        from marts.fct_satisfaction_summary where true {scope} group by 1 order by 1""", params)
    replies = wh.rows(f"""
        select feedback_kind, count(*) as n, count(response_date) as replied, median(reply_days) as median_reply,
            count(*) filter (where reply_days <= 14) / count(*) as reply_share,
            median(report_days) as median_report,
            count(*) filter (where report_days <= 7) / count(*) as report_share
        from marts.fct_feedback where received_year = ? {scope} group by 1 order by 1""", [year, *params])
    kinds = wh.labels("feedback_kind")
    for r in replies:
        r["kind_fi"] = kinds.get(r["feedback_kind"], r["feedback_kind"])
    mean_chart = figure(bars([r["statement"] for r in statements], {"Keskiarvo": [r["mean"] for r in statements]},
                             "Keskiarvo (1–5)", text_kind="num2"),
                        f"Väittämien keskiarvot {year}", "Väittämät ja jakaumat ovat taulukossa kuvan alla.",
                        "feedback-mean-chart")
    nps_chart = figure(line([str(r["year"]) for r in nps], {"NPS": [r["nps"] for r in nps]}, "NPS", "num1"),
                       "Suositteluindeksi (NPS) vuosittain", "Luvut ovat taulukossa kuvan alla.", "feedback-nps-chart")
    reply_chart = figure(bars([r["kind_fi"] for r in replies],
                              {"Vastausajan mediaani (pv)": [r["median_reply"] for r in replies],
                               "Ilmoitusajan mediaani (pv)": [r["median_report"] for r in replies]},
                              "Päiviä", text_kind="num1"),
                         f"Vastaus- ja ilmoitusajat {year}", "Luvut ovat taulukossa kuvan alla.",
                         "feedback-reply-chart")
    return [
        html.H1(f"Palaute ja tyytyväisyys {year}"),
        filters(year_filter(wh, year), provider_filter(wh, provider)),
        html.H2("Asiakastyytyväisyys"), mean_chart,
        table(statements, [("text", "Väittämä", "text"), ("n", "Vastauksia", "count"), ("mean", "Keskiarvo", "num2"),
                           ("n_1", "1", "count"), ("n_2", "2", "count"), ("n_3", "3", "count"), ("n_4", "4", "count"),
                           ("n_5", "5", "count")], f"Väittämät ja vastausten jakauma {year}",
              table_id="feedback-statements"),
        nps_chart,
        table(nps, [("year", "Vuosi", "year"), ("responses", "Vastauksia", "count"), ("nps", "NPS", "num1"),
                    ("promoters", "Suosittelijat", "count"), ("detractors", "Arvostelijat", "count"),
                    ("end_survey_responses", "Päättymiskyselyn vastauksia", "count"),
                    ("periods_ended", "Päättyneitä jaksoja", "count")], "Suositteluindeksi vuosittain"),
        html.H2("Palautteiden ja reklamaatioiden käsittely"), reply_chart,
        table(replies, [("kind_fi", "Laji", "text"), ("n", "Lukumäärä", "count"), ("replied", "Vastattu", "count"),
                        ("median_reply", "Vastausaika mediaani pv", "num1"),
                        ("reply_share", "Vastattu 14 pv:ssä", "pct"),
                        ("median_report", "Ilmoitusaika mediaani pv", "num1"),
                        ("report_share", "Ilmoitettu 7 pv:ssä", "pct")], f"Vastaus- ja ilmoitusajat {year}",
              table_id="feedback-replies"),
    ]
