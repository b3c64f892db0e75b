"""The Dash app: sign-in, routing, filters in the URL, report downloads, the access log.

Every page is a function of the URL (path and query), so a copied link shows a colleague the same
view: filters are links and GET forms that only change the query string, and the page is drawn from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from dash import Dash, Input, Output, dcc, html
from flask import Flask, Response, abort, g, request, send_from_directory

from flows.home import Home

from .auth import AccessLog, Auth
from .data import Warehouse
from .pages import attendance, feedback, incidents, overview, provider, quality, staff
from .ui import CURRENT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    module: object


PAGES = [
    Page("/", "Yleiskuva", overview),
    Page("/palveluntuottaja", "Palveluntuottaja", provider),
    Page("/osallistuminen", "Osallistuminen", attendance),
    Page("/palaute", "Palaute ja tyytyväisyys", feedback),
    Page("/vaaratapahtumat", "Vaaratapahtumat", incidents),
    Page("/henkilosto", "Henkilöstö", staff),
    Page("/tiedon-laatu", "Tiedon laatu", quality),
]
# Filters that follow the user from page to page.
CARRIED = ("vuosi", "tuottaja")

INDEX = """<!DOCTYPE html>
<html lang="fi">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
<link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js">
<link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-markdown.js">
<link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-highlight.js">
</head>
<body>
<a class="skip" href="#sisalto">Siirry sisältöön</a>
{%app_entry%}
<footer>{%config%}{%scripts%}{%renderer%}</footer>
</body>
</html>"""


def _nav(current: str, query: dict) -> html.Nav:
    carried = {k: query[k] for k in CARRIED if query.get(k)}
    items = []
    for page in PAGES:
        href = page.path + ("?" + urlencode(carried) if carried else "")
        if page.path == current:  # dcc.Link takes no aria-current: say it in text for screen readers
            label = [page.title, html.Span(" (nykyinen sivu)", className="visually-hidden")]
            items.append(html.Li(dcc.Link(label, href=href, className="current")))
        else:
            items.append(html.Li(dcc.Link(page.title, href=href)))
    return html.Nav(html.Ul(items), className="nav", **{"aria-label": "Sivut"})


def create_app(home: Home, auth: Auth) -> Dash:
    server = Flask(__name__)
    warehouse = Warehouse(home)
    access = AccessLog(home)

    @server.before_request
    def _sign_in():
        user = auth.user_for(request)
        if user is None:
            if auth.mode == "proxy":
                return Response("Kirjautuminen puuttuu: avaa sopimusvalvonta kirjautumispalvelun kautta.\n",
                                403, mimetype="text/plain")
            return Response("Kirjaudu sisään käyttäjätunnuksella ja salasanalla.\n", 401,
                            {"WWW-Authenticate": 'Basic realm="valvonta", charset="UTF-8"'}, mimetype="text/plain")
        g.user = user
        return None

    @server.route("/raportit/<int:year>/<path:name>")
    def _report_file(year: int, name: str):
        folder = home.reports / str(year)
        if "/" in name or not (folder / name).is_file():
            abort(404)
        access.record(g.user, f"/raportit/{year}/{name}", name.split("_", 1)[0], "download")
        return send_from_directory(folder, name, as_attachment=True)

    app = Dash(__name__, server=server, title="Sopimusvalvonta", suppress_callback_exceptions=True,
               update_title=None, serve_locally=True, index_string=INDEX)
    app.layout = html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        html.Header([html.P("Sopimusvalvonta", className="brand"), html.Div(id="nav")], className="top"),
        html.Main(id="sisalto", tabIndex="-1", children=html.Div(id="page")),
    ])

    @app.callback(Output("page", "children"), Output("nav", "children"),
                  Input("url", "pathname"), Input("url", "search"))
    def _render(pathname: str | None, search: str | None):
        query = dict(parse_qsl((search or "").lstrip("?")))
        page = next((p for p in PAGES if p.path == (pathname or "/")), None)
        if page is None:
            return html.Div([html.H1("Sivua ei löydy"), dcc.Link("Yleiskuvaan", href="/")]), _nav("", query)
        access.record(g.user, page.path, query.get("tuottaja"),
                      "\t".join(f"{k}={v}" for k, v in sorted(query.items()) if k != "tuottaja"))
        CURRENT.set((page.path, query))
        try:
            content = page.module.layout(warehouse, query, home)
        except FileNotFoundError:
            content = [html.H1(page.title), html.P("Julkaistua tietovarastoa ei vielä ole: aja valvonta run.")]
        except Exception:  # one broken page must not take the others down; the log has the details
            log.exception("page %s failed", page.path)
            content = [html.H1(page.title), html.P("Sivun muodostaminen epäonnistui. Virhe on kirjattu lokiin.",
                                                   role="alert")]
        return html.Div(content, className=f"page page-{page.path.strip('/') or 'yleiskuva'}"), _nav(page.path, query)

    return app
