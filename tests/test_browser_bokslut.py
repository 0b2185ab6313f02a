"""A Bokslut round in the real browser at 1280×720: Översikt and the prognossäkerhet section.

Screenshots go to test-artifacts/screenshots/bokslut_*.png for people to look at. One server and
one browser for the module (the suite's time budget).
"""

from __future__ import annotations

import pytest

import bokslut_data as bd
from dashboard.db import init_db, make_engine
from test_browser import SHOTS, Streamlit, browser, wait_ready  # noqa: F401  (browser is a fixture)

VIEWPORT = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def bokslut_server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bokslut_browser') / 'app.db'}"
    engine = make_engine(url)
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut_books"))
    engine.dispose()
    app = Streamlit(url, log="streamlit_bokslut")
    yield app.base
    app.stop()


@pytest.fixture
def small_page(browser):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    pg = context.new_page()
    yield pg
    context.close()


def _no_sideways_scroll(pg) -> None:
    wide = pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')]
        .filter(e => e.scrollWidth > e.clientWidth + 2 && getComputedStyle(e).overflowX === 'scroll').length""")
    main = pg.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
        return [m.scrollWidth, m.clientWidth]; }""")
    assert main[0] <= main[1] + 2, f"Översikten rullar i sidled: {main}"
    assert wide == 0


def test_bokslut_overview_at_1280x720(bokslut_server, small_page):
    pg = small_page
    pg.goto(f"{bokslut_server}/?kommun=2580&namnd=AGN&tillfalle=2024-12-31")
    wait_ready(pg, "Resultat för helåret")
    body = pg.inner_text('[data-testid="stMain"]').replace("\u00a0", " ")
    assert "Resultat för helåret: 11 841 tkr överskott" in body
    assert "Prognossäkerhet: Delår 2 låg 3 541 tkr under utfallet" in body
    assert "Prognosen för helåret" not in body
    headline = pg.get_by_text("Resultat för helåret", exact=False).first.bounding_box()
    row = pg.get_by_text("Prognossäkerhet:", exact=False).first.bounding_box()
    assert headline["y"] + headline["height"] <= VIEWPORT["height"]  # the answer above the fold
    assert row["y"] + row["height"] <= VIEWPORT["height"], row
    _no_sideways_scroll(pg)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "bokslut_oversikt_1280x720.png"))


def test_bokslut_prognossakerhet_section_at_1280x720(bokslut_server, small_page):
    pg = small_page
    pg.goto(f"{bokslut_server}/ekonomi?kommun=2580&namnd=AGN&tillfalle=2025-12-31")
    wait_ready(pg, "Prognossäkerhet")
    section = pg.locator(".st-key-psak_ekonomi")
    section.wait_for(timeout=60_000)
    section.locator(".vega-embed").first.wait_for(timeout=60_000)  # the dumbbell chart drew
    text = section.inner_text().replace("\u00a0", " ")
    assert "Delår 2-prognosen var 0,9 mnkr för optimistisk" in text
    assert "Rader som inte kan jämföras" in text and "Över åren" in text and "Investeringar: prognos mot utfall" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside stMain: bring each part to the top of the 1280×720 window in turn
    for name, heading in (("1_tabell", "Prognossäkerhet: årets prognoser mot utfallet"),
                          ("2_diagram", "Från prognos till utfall"), ("3_over_aren", "Över åren"),
                          ("4_investeringar", "Investeringar: prognos mot utfall")):
        section.get_by_text(heading, exact=False).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        pg.wait_for_timeout(700)
        pg.screenshot(path=str(SHOTS / f"bokslut_prognossakerhet_{name}_1280x720.png"))
    width = pg.evaluate("() => document.querySelector('.st-key-psak_ekonomi').scrollWidth")
    assert width <= VIEWPORT["width"], width
    # the table's columns fit the window: the last one (Bedömning) ends inside the section
    scroller = section.locator('[data-testid="stDataFrame"] .dvn-scroller').first  # glide grid's scroll box
    sizes = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] <= sizes[1] + 2, f"tabellen rullar i sidled: {sizes}"
