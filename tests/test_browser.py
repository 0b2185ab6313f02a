"""Real browser: `streamlit run` in a subprocess, Debian's Chromium driven by Playwright.

Screenshots of every page land in test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import ARTIFACTS, ROOT, require
from ports import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SHOTS = ARTIFACTS / "screenshots"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


class Streamlit:
    """`streamlit run app.py` in a subprocess on a free port; stopped by stop()."""

    def __init__(self, db_url: str, address: str = "127.0.0.1", extra: list[str] | None = None,
                 log: str = "streamlit", port: int | None = None):
        self.port = port or free_port()
        env = os.environ | {"DASHBOARD_DATABASE_URL": db_url}
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"{log}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", address,
             "--browser.gatherUsageStats", "false", *(extra or [])],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.base = f"http://{address}:{self.port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            pytest.fail(f"streamlit run startade inte inom 60 s; se test-artifacts/{log}.log")
        urllib.request.urlopen(self.base + "/", timeout=10).read()  # warm up: the first load can be blank

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="module")
def server(sqlite_builtin_url, request):
    # one log per test file: test_navigation_browser and test_projector share this fixture and may
    # run at the same time in two pytest-xdist workers (test-artifacts/streamlit-<file>.log)
    app = Streamlit(sqlite_builtin_url, log=f"streamlit-{request.module.__name__.removeprefix('test_')}")
    yield app.base
    app.stop()


@pytest.fixture(scope="module")
def browser():
    require(os.path.exists(CHROMIUM), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    pg = context.new_page()
    yield pg
    context.close()


def wait_ready(pg, text: str | None = None) -> None:
    # generous: a slow machine (CI beside other jobs) may need long for a page of 44 charts
    pg.wait_for_selector(READY, timeout=120_000)
    if text:
        pg.get_by_text(text, exact=False).first.wait_for(timeout=120_000)
    pg.wait_for_timeout(500)
    pg.wait_for_selector(READY, timeout=60_000)


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_overview_click_to_verksamhet_keeps_unit_in_url(server, page):
    page.goto(f"{server}/?kommun=0580&namnd=AMN")
    wait_ready(page, "Prognosavvikelse helår")
    assert "+4,0\u00a0mnkr" in page.inner_text("body")
    shot(page, "oversikt-linkoping")
    page.get_by_role("link", name="575 Ekonomiskt bistånd").first.click()
    wait_ready(page, "Ekonomiskt bistånd")
    page.wait_for_url("**/verksamhet?**")
    query = parse_qs(urlparse(page.url).query)
    assert query["enhet"] == ["575"] and query["kommun"] == ["0580"]
    assert "323,7\u00a0mnkr" in page.inner_text("body")
    shot(page, "verksamhet-575")
    # a reload keeps the view
    page.reload()
    wait_ready(page, "Ekonomiskt bistånd")
    assert "323,7\u00a0mnkr" in page.inner_text("body")


def test_economy_pages_render_charts(server, page):
    page.goto(f"{server}/ekonomi?kommun=2580&namnd=AGN&tillfalle=2024-08-31")
    wait_ready(page, "Budget, utfall och prognos per verksamhet")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)  # the grid draws on canvas
    body = page.inner_text("body")
    assert "+4\u00a0000\u00a0tkr" in body  # Rektorer GY's bar label in the deviation chart
    shot(page, "ekonomi-lulea")
    page.goto(f"{server}/ekonomi?kommun=0580&namnd=AMN")
    wait_ready(page, "Budget, utfall och prognos per verksamhet")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
    shot(page, "ekonomi-linkoping")


def test_overview_lulea_and_direct_link_to_unit(server, page):
    page.goto(f"{server}/?kommun=2580&namnd=AGN")
    wait_ready(page, "Prognosavvikelse helår")
    assert "förbättras med 1\u00a0000\u00a0tkr" in page.inner_text("body")
    shot(page, "oversikt-lulea")
    page.goto(f"{server}/verksamhet?kommun=2580&namnd=AGN&enhet=gymnasieskolan")
    wait_ready(page, "Gymnasieskolan")
    assert "357\u00a0468\u00a0tkr" in page.inner_text("body")
    shot(page, "verksamhet-gymnasieskolan")


def test_goal_and_control_pages(server, page):
    page.goto(f"{server}/mal?kommun=0580&namnd=AMN")
    wait_ready(page, "Trygghet och Inflytande")
    assert "Uppnås delvis" in page.inner_text("body")
    shot(page, "mal-linkoping")
    page.goto(f"{server}/mal?kommun=2580&namnd=AGN")
    wait_ready(page, "Skapa en nulägesbeskrivning")
    shot(page, "mal-lulea")
    page.goto(f"{server}/uppdrag?kommun=0580&namnd=AMN")
    wait_ready(page, "Kommungemensamma uppdrag")
    shot(page, "uppdrag-linkoping")
    page.goto(f"{server}/internkontroll?kommun=2580&namnd=AGN")
    wait_ready(page, "Riskmatris")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
    assert "Välfärdsbrottslighet" in page.inner_text("body")
    shot(page, "internkontroll-lulea")


def test_indicator_pages(server, page):
    page.goto(f"{server}/indikatorer?kommun=0580&namnd=AMN")
    wait_ready(page, "indikatorer behöver uppmärksamhet")
    page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=60_000)
    shot(page, "indikatorer-linkoping")
    page.goto(f"{server}/volymer?kommun=0580&namnd=AMN")
    wait_ready(page, "Volymer")
    shot(page, "volymer-linkoping")
    page.goto(f"{server}/personal?kommun=0580&namnd=AMN")
    wait_ready(page, "Personal")
    shot(page, "personal-linkoping")


def test_fler_kolumner_opens_the_whole_table(server, page):
    """A table's columns that do not fit are behind "Fler kolumner"; opening the box reruns the
    page and shows the whole table there (ui/tables._more_columns sends it only while open)."""
    page.goto(f"{server}/mal?kommun=0580&namnd=AMN")
    wait_ready(page, "Nämndmål")
    box = page.locator('[data-testid="stExpander"]').filter(has_text="Fler kolumner").first
    box.wait_for(timeout=60_000)
    # the grids mount after the page's script has finished: wait for the goal cards' tables first
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    assert box.locator('[data-testid="stDataFrame"]').count() == 0  # closed: not sent
    box.locator("summary").click()
    box.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    wait_ready(page)
    assert box.locator('[data-testid="stDataFrame"]').count() == 1  # opened: the whole table, once
    assert box.locator('[data-testid="stDataFrame"]').first.bounding_box()["height"] > 40
    SHOTS.mkdir(parents=True, exist_ok=True)
    box.scroll_into_view_if_needed()
    box.screenshot(path=str(SHOTS / "mal-fler-kolumner-oppen.png"))
