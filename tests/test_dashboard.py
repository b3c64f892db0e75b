"""The dashboards in a real browser (Debian's chromium driven by Playwright) against the real
`valvonta dashboard` process serving the demo data: pages load cleanly, pass axe-core's WCAG 2.1
AA rules, follow their URL filters, show the `valvonta kpi` figures, and require a sign-in that
the access log records. Screenshots of every page go to test-artifacts/dashboard/."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import HETU_SHAPE, SECRET_FEEDBACK_TEXT, TEST_KEY, fi_count, fi_kpi, valid_identity_codes
from playwright.sync_api import sync_playwright

from dashboards.app import PAGES, create_app
from dashboards.auth import Auth, add_user
from flows.home import Home
from flows.reports.service import run_reports

PROJECT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT / "test-artifacts" / "dashboard"
AXE = PROJECT / ".cache" / "axe-core-4.14.1" / "axe.min.js"
USER, PASSWORD = "testi.kayttaja", "salasana-joka-on-pitka"
YEAR = 2025
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_provider(home: Home) -> str:
    return home.providers_csv.read_text(encoding="utf-8").splitlines()[1].split(";")[0]


@pytest.fixture(scope="module")
def server(demo_published: Home):
    add_user(demo_published, USER, PASSWORD)
    run_reports(demo_published, YEAR, provider=first_provider(demo_published))  # files to download
    port = free_port()
    env = {**os.environ, "VALVONTA_PSEUDONYM_KEY": TEST_KEY}
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "--home", str(demo_published.root), "dashboard",
                             "--port", str(port)], cwd=PROJECT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
        except urllib.error.HTTPError:
            break  # 401: up and asking for a sign-in
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(proc.stdout.read() if proc.stdout else "dashboard did not start") from None
            time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD},
                                  viewport={"width": 1400, "height": 1000}, locale="fi-FI", accept_downloads=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


def open_page(page, base: str, path: str):
    page.goto(base + path)
    page.wait_for_selector("#page h1")
    page.wait_for_load_state("networkidle")


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def status_of(url: str, headers: dict | None = None) -> int:
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_request_without_a_login_is_refused(server: str, demo_published: Home):
    pid = first_provider(demo_published)
    report = f"/raportit/{YEAR}/{pid}_vuosiraportti_{YEAR}.pdf"
    for path in ("/", "/_dash-layout", "/palveluntuottaja", report):
        assert status_of(server + path) == 401, path
        assert status_of(server + path, basic(USER, "väärä-salasana")) == 401, path
        assert status_of(server + path, basic("tuntematon", PASSWORD)) == 401, path
        assert status_of(server + path, basic(USER, PASSWORD)) == 200, path
    try:
        urllib.request.urlopen(server + "/", timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.headers["WWW-Authenticate"].startswith("Basic")


def test_behind_a_proxy_the_header_signs_in(demo_published: Home):
    client = create_app(demo_published, Auth(demo_published, mode="proxy")).server.test_client()
    assert client.get("/").status_code == 403
    assert "Kirjautuminen puuttuu" in client.get("/").get_data(as_text=True)
    assert client.get("/", headers={"X-Forwarded-User": "maija.meikalainen"}).status_code == 200
    assert client.get("/", headers={"Authorization": basic(USER, PASSWORD)["Authorization"]}).status_code == 403


@pytest.mark.parametrize("target", PAGES, ids=[p.title for p in PAGES])
def test_every_page_loads_cleanly_passes_axe_and_shows_nothing_personal(server: str, page, target):
    open_page(page, server, target.path)
    assert page.console_errors == []
    assert "Sivun muodostaminen epäonnistui" not in page.inner_text("#page")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{target.path.strip('/') or 'yleiskuva'}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));
    }""")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    html = page.content()
    assert valid_identity_codes(html) == [] and not HETU_SHAPE.search(page.inner_text("body"))
    assert SECRET_FEEDBACK_TEXT not in html
    assert page.locator("html").get_attribute("lang") == "fi"
    # every chart has a table beside it
    assert page.locator("figure.chart").count() <= page.locator("table.data").count()


def test_changing_a_filter_changes_the_figures_and_the_url_shows_the_same_view(server: str, page):
    open_page(page, server, f"/?vuosi={YEAR}")
    before = page.inner_text("#overview-summary")
    page.locator("#filter-vuosi").get_by_role("link", name=str(YEAR + 1)).click()
    page.wait_for_url(f"**vuosi={YEAR + 1}**")
    page.wait_for_selector(f"h1:has-text('Yleiskuva {YEAR + 1}')")
    after = page.inner_text("#overview-summary")
    assert after != before
    matrix = page.inner_text("#kpi-matrix")
    # a colleague opening the same link sees the same view
    open_page(page, server, f"/?vuosi={YEAR + 1}")
    assert page.inner_text("#overview-summary") == after and page.inner_text("#kpi-matrix") == matrix
    # the rule-set filter narrows the providers
    page.locator("#filter-saannot").get_by_role("link", name="Lapin hyvinvointialue, palvelukuvaus 2025").click()
    page.wait_for_url("**saannot=LAPPI_2025**")
    page.wait_for_function("!document.querySelector('#kpi-matrix').innerText.includes('Ankkuri')")
    assert "vuosi=" in page.url

    # a select filter: attendance of one provider
    open_page(page, server, f"/osallistuminen?vuosi={YEAR}")
    everyone = page.inner_text("#attendance-summary")
    page.select_option("#filter-tuottaja-select", index=1)
    page.locator("#filter-tuottaja").get_by_role("button", name="Näytä").click()
    page.wait_for_url("**tuottaja=**")
    page.wait_for_selector("#attendance-summary")
    assert page.inner_text("#attendance-summary") != everyone
    assert f"vuosi={YEAR}" in page.url


def test_a_figure_on_the_provider_page_equals_the_kpi_export(server: str, page, demo_published: Home):
    pid = first_provider(demo_published)
    export = subprocess.run([sys.executable, "-m", "flows.cli", "--home", str(demo_published.root), "kpi",
                             "--year", str(YEAR), "--provider", pid, "--format", "json"], cwd=PROJECT,
                            capture_output=True, text=True, check=True)
    rows = json.loads(export.stdout)
    assert rows
    open_page(page, server, f"/palveluntuottaja?tuottaja={pid}&vuosi={YEAR}")
    table = page.locator("#provider-kpis")
    for row in rows:
        cells = table.locator(f"tr#kpi-{row['kpi']} td").all_inner_texts()
        assert cells[0].strip() == row["kpi"]
        assert cells[3] == fi_count(row["numerator"]) and cells[4] == fi_count(row["denominator"])
        assert cells[5] == fi_kpi(row["value"], row["kpi"])
        assert cells[7].strip() == {"OK": "OK", "POIKKEAMA": "POIKKEAMA", "EI_DATAA": "ei dataa",
                                    "TIETO": "tieto"}[row["status"]]


def test_a_matrix_cell_opens_the_provider_at_that_kpi(server: str, page):
    open_page(page, server, f"/?vuosi={YEAR}")
    cell = page.locator("#kpi-matrix td.status.bad a").first
    href = cell.get_attribute("href")
    cell.click()
    page.wait_for_url("**/palveluntuottaja?**tunnusluku=**")
    page.wait_for_selector("#provider-kpis")
    kpi = href.split("tunnusluku=")[1].split("&")[0]
    assert page.locator("#provider-kpis tr.selected").get_attribute("id") == f"kpi-{kpi}"
    assert kpi in page.inner_text("#provider-findings")  # the cases behind it
    assert page.locator("#provider-trend").count() == 1 or "päivättyjä" in page.inner_text("#page")


def test_the_access_log_records_who_opened_which_provider_and_downloads(server: str, page, demo_published: Home):
    pid = first_provider(demo_published)
    log = demo_published.logs / "access.log"
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    open_page(page, server, f"/palveluntuottaja?tuottaja={pid}&vuosi={YEAR}")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Vuosiraportti {YEAR} (PDF)").click()
    assert download.value.suggested_filename == f"{pid}_vuosiraportti_{YEAR}.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    new = log.read_text(encoding="utf-8")[len(before):].splitlines()
    opened = [line for line in new if f"user={USER}" in line and "page=/palveluntuottaja" in line]
    assert opened and f"provider={pid}" in opened[-1] and opened[-1][:4].isdigit()
    assert any("download" in line and f"provider={pid}" in line for line in new)
