"""Building blocks every page uses: Finnish numbers, status cells, tables, charts, filters.

Rules the pages follow through these helpers: every chart has Finnish labels and number formats
(plotly's `separators` gives 1 234,5), sits above a table with the same figures, and never tells
anything by colour alone (statuses carry their text; series carry patterns and text labels).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from html import escape
from urllib.parse import urlencode

import plotly.graph_objects as go
from dash import dcc, html

from flows.reports.model import STATUS_CSS, format_value
from flows.reports.package import kpi_value_kind
from flows.reports.source import MONTHS_FI

STATUS_TEXT = {"OK": "OK", "POIKKEAMA": "POIKKEAMA", "EI_DATAA": "ei dataa", "TIETO": "tieto"}
PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]
COLOURS = ["#1f5f8b", "#c45a00", "#3b7d3b", "#8a3b8f", "#6b6b6b", "#a11d2b", "#2d8a8a", "#7a6a00"]
RECORD_TYPES = {"period": "jakso", "feedback": "palaute", "incident": "vaaratapahtuma", "staff": "henkilö",
                "attendance_row": "päiväkirjarivi", "present_day": "läsnäolopäivä", "period_week": "jaksoviikko",
                "group_session": "ryhmäkerta", "product": "palvelutuote", "document": "asiakirja",
                "kpi": "tunnusluku"}
# The path and query of the page being drawn (set by the app around each page's layout call).
CURRENT: ContextVar[tuple[str, dict]] = ContextVar("current", default=("/", {}))


def fi(value, kind: str = "num") -> str:
    return format_value(value, kind)


def kpi_value(kpi: str, value) -> str:
    return fi(value, kpi_value_kind(kpi))


class Raw(str):
    """HTML this module built itself (escaped parts only): goes into a table cell as is."""


def status_cell(code: str | None, text: str | None = None) -> Raw:
    label = text or STATUS_TEXT.get(code or "", code or "–")
    return Raw(f'<span class="status {STATUS_CSS.get(code or "", "none")}">{escape(label)}</span>')


def href(path: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def link(path: str, text: str, **params) -> Raw:
    return Raw(f'<a href="{escape(href(path, **params))}">{escape(text)}</a>')


def _cell(value) -> str:
    return value if isinstance(value, Raw) else escape(str(value))


def html_table(caption: str, header: Sequence[str], rows: Sequence[Sequence], table_id: str | None = None,
               css: str = "data", row_attrs: Sequence[str] | None = None,
               cell_css: Sequence[Sequence[str]] | None = None, row_headers: bool = False) -> dcc.Markdown:
    """One component for a whole table. The Dash renderer spends milliseconds per component, so a
    200-row table of html.Td components takes seconds to draw; as one block of (escaped) HTML it
    takes a few milliseconds."""
    parts = [f'<table class="{css}"' + (f' id="{table_id}"' if table_id else "") + ">",
             f"<caption>{escape(caption)}</caption><thead><tr>"
             + "".join(f'<th scope="col">{_cell(h)}</th>' for h in header) + "</tr></thead><tbody>"]
    for i, row in enumerate(rows):
        parts.append(f"<tr{row_attrs[i] if row_attrs else ''}>")
        for j, value in enumerate(row):
            klass = cell_css[i][j] if cell_css else ""
            attr = f' class="{klass}"' if klass else ""
            if row_headers and j == 0:
                parts.append(f'<th scope="row"{attr}>{_cell(value)}</th>')
            else:
                parts.append(f"<td{attr}>{_cell(value)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return dcc.Markdown("".join(parts), dangerously_allow_html=True, className="table-wrap")


def table(rows: Sequence[dict], columns: Sequence[tuple[str, str, str | Callable]], caption: str,
          table_id: str | None = None, row_class: Callable[[dict], str] | None = None,
          limit: int | None = None, empty: str = "Ei rivejä valituilla rajauksilla.") -> html.Div:
    """columns: (key, Finnish header, kind or a function row → cell text or Raw HTML)."""
    if not rows:
        return html.Div([html.H3(caption), html.P(empty, className="note")])
    shown = rows[:limit] if limit else rows
    body, css, attrs = [], [], []
    for r in shown:
        cells, classes = [], []
        for key, _, kind in columns:
            if callable(kind):
                cells.append(kind(r))
                classes.append("")
            else:
                cells.append(fi(r.get(key), kind))
                classes.append("n" if kind in ("num", "num1", "num2", "pct", "count", "int") else "")
        body.append(cells)
        css.append(classes)
        extra = f' id="{escape(r["_row_id"])}"' if r.get("_row_id") else ""
        if row_class and row_class(r):
            extra += f' class="{escape(row_class(r))}"'
        attrs.append(extra)
    parts = [html_table(caption, [h for _, h, _ in columns], body, table_id, row_attrs=attrs, cell_css=css)]
    if limit and len(rows) > limit:
        parts.append(html.P(f"Näytetään {fi(limit, 'count')} / {fi(len(rows), 'count')} riviä.", className="note"))
    return html.Div(parts)


def figure(fig: go.Figure, title: str, alt: str, graph_id: str) -> html.Figure:
    """A chart with its Finnish number format, a title, and a caption that points to its table."""
    fig.update_layout(separators=", ", font={"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
                      margin={"l": 60, "r": 20, "t": 40, "b": 60}, height=360, title={"text": title},
                      legend={"orientation": "h", "y": -0.2}, plot_bgcolor="#ffffff",
                      paper_bgcolor="#ffffff")
    fig.update_xaxes(showgrid=False, linecolor="#444")
    fig.update_yaxes(gridcolor="#e3e3e3", linecolor="#444")
    return html.Figure([dcc.Graph(id=graph_id, figure=fig, config={"displaylogo": False, "locale": "fi"}),
                        html.Figcaption(f"{title}. {alt}", className="note")], className="chart")


def bars(x: list, series: dict[str, list], y_title: str, text_kind: str = "count",
         orientation: str = "v", stacked: bool = False) -> go.Figure:
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        texts = [fi(v, text_kind) for v in values]
        marker = {"color": COLOURS[i % len(COLOURS)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)],
                                                                   "fgcolor": "#ffffff"}}
        if orientation == "h":
            fig.add_bar(y=x, x=values, name=name, orientation="h", text=texts, marker=marker,
                        hovertemplate="%{y}: %{text}<extra>" + name + "</extra>")
        else:
            fig.add_bar(x=x, y=values, name=name, text=texts, marker=marker,
                        hovertemplate="%{x}: %{text}<extra>" + name + "</extra>")
    fig.update_traces(textposition="auto")
    fig.update_layout(barmode="stack" if stacked else "group", showlegend=len(series) > 1)
    if orientation == "h":
        fig.update_xaxes(title_text=y_title)
    else:
        fig.update_yaxes(title_text=y_title)
    return fig


def line(x: list, series: dict[str, list], y_title: str, text_kind: str = "num1") -> go.Figure:
    fig = go.Figure()
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "cross"]
    for i, (name, values) in enumerate(series.items()):
        fig.add_scatter(x=x, y=values, name=name, mode="lines+markers+text",
                        text=[fi(v, text_kind) for v in values], textposition="top center",
                        marker={"symbol": symbols[i % len(symbols)], "size": 9, "color": COLOURS[i % len(COLOURS)]},
                        line={"dash": ["solid", "dash", "dot", "dashdot"][i % 4]},
                        hovertemplate="%{x}: %{text}<extra>" + name + "</extra>")
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(showlegend=len(series) > 1)
    return fig


def pct_axis(fig: go.Figure) -> go.Figure:
    return fig.update_yaxes(tickformat=".0%")


def choice(name: str, label: str, options: list[tuple[str, str]], value, radio: bool = False) -> html.Div:
    """A filter; its value lives in the URL. Few options: a group of links, each the current URL with
    that value. Many options: a native select in a GET form, so choosing and pressing Näytä loads the
    URL with the new value. Both work with keyboard and screen reader without any script (Dash 4's
    dropdown hides a focusable input from assistive technology, which axe-core reports)."""
    if radio:
        path, query = CURRENT.get()
        items = []
        for val, text in options:
            params = {k: v for k, v in query.items() if k != name}
            if str(val) != "kaikki":
                params[name] = str(val)
            href = path + ("?" + urlencode(params) if params else "")
            if str(val) == str(value):
                items.append(html.Li(html.Strong([text, html.Span(" (valittu)", className="visually-hidden")],
                                                 className="chosen")))
            else:
                items.append(html.Li(dcc.Link(text, href=href)))
        return html.Div([html.Span(label, className="filter-label", id=f"filter-{name}-label"),
                         html.Ul(items, className="choices")], className="filter", role="group",
                        **{"aria-labelledby": f"filter-{name}-label"}, id=f"filter-{name}")
    path, query = CURRENT.get()
    select_id = f"filter-{name}-select"
    hidden = [dcc.Input(type="hidden", name=k, value=v) for k, v in query.items() if k != name]
    select = html.Select([html.Option(text, value=str(val), selected=str(val) == str(value))
                          for val, text in options], id=select_id, name=name)
    return html.Form([html.Label(label, htmlFor=select_id, className="filter-label"), select, *hidden,
                      html.Button("Näytä", type="submit")], method="get", action=path,
                     className="filter filter-select", id=f"filter-{name}")


def filters(*controls) -> html.Div:
    return html.Div(list(controls), className="filters", role="search", **{"aria-label": "Rajaukset"})


def month_label(month: int) -> str:
    return MONTHS_FI[month - 1]
