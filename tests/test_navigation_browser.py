"""Every view is a link, and the back button goes to the previous view – in Debian's Chromium.

For every page and every setting on it: change the setting as a user does, copy location.href,
open it in a fresh browser context (a new session) and compare the visible text of the two.
Then: a breadcrumb, a chart bar, a widget and a menu link each change the address, and the back
button returns to the view before. And the sidebar fits at 1280×720.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from test_browser import READY, browser, server, shot  # noqa: F401  (fixtures)

TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b")
# The visible text of the page and the sidebar. A chart counts by what it shows (each mark's
# label: name and value), not by its axis ticks, which depend on the pixel width at draw time.
VISIBLE = """() => {
    const shown = e => e.getClientRects().length > 0;  // a chart in a hidden tab is not seen
    const charts = [...document.querySelectorAll('.vega-embed')];
    const marks = charts.filter(shown).map(c => [...c.querySelectorAll('[aria-roledescription]')]
        .filter(m => !['axis', 'legend', 'title'].includes(m.getAttribute('aria-roledescription')))
        .map(m => m.getAttribute('aria-label') || '').filter(Boolean).sort().join('|'));
    charts.forEach(c => c.style.display = 'none');
    const text = ['stMain', 'stSidebarUserContent'].map(id => {
        const e = document.querySelector(`[data-testid="${id}"]`); return e ? e.innerText : ''; });
    charts.forEach(c => c.style.display = '');
    return text.join(' ¦ ') + ' ¦ ' + marks.join(' ¦ ');
}"""


def settle(pg) -> str:
    """Wait until the run has finished and the page is drawn: no run going on, no script chunk
    still loading (Streamlit loads a widget's code the first time it is shown), the sidebar's
    last widget drawn, and the visible text the same for three looks in a row (charts draw late)."""
    same, last = 0, None
    for _ in range(80):
        pg.wait_for_selector(READY, timeout=120_000)
        pg.get_by_text("Presentationsläge (projektor)").first.wait_for(state="attached", timeout=120_000)
        pg.wait_for_load_state("networkidle", timeout=120_000)
        pg.wait_for_timeout(300)
        busy = pg.evaluate("""() => !!document.querySelector('[data-testid="stStatusWidget"]')
            || document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') !== 'notRunning'""")
        text = TIME.sub("", pg.evaluate(VISIBLE))
        same = same + 1 if (text == last and not busy) else 0
        last = text
        if same >= 2:
            return text
    return last


def query(pg) -> dict[str, list[str]]:
    return parse_qs(urlparse(pg.url).query)


def choose(pg, key: str, option: str) -> None:
    """Pick `option` in the selectbox with widget key `key`."""
    pg.locator(f".st-key-{key} input").click()
    pg.get_by_role("option", name=option, exact=False).first.click()


def pick_in_multiselect(pg, key: str, option: str) -> None:
    pg.locator(f".st-key-{key} input").click()
    pg.get_by_role("option", name=option, exact=False).first.click()
    pg.keyboard.press("Escape")


def remove_tag(pg, key: str, text: str) -> None:
    pg.locator(f".st-key-{key}").get_by_role("button", name=re.compile(f"^(Remove|Ta bort) {re.escape(text)}$")).first.click()


def segment(pg, key: str, option: str) -> None:
    pg.locator(f".st-key-{key}").get_by_text(option, exact=True).click()


def toggle(pg, key: str) -> None:
    pg.locator(f".st-key-{key} label").first.click()


def type_search(pg, key: str, text: str) -> None:
    box = pg.locator(f".st-key-{key} input")
    box.fill(text)
    box.press("Enter")


def select_table_row(pg, key: str, row: int) -> None:
    """Tick the row marker of data row `row` (0-based) in an st.dataframe (drawn on a canvas)."""
    grid = pg.locator(f".st-key-{key} [data-testid='stDataFrameResizable']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 16, box["y"] + 35 * (row + 1) + 17)


AMN = "kommun=0580&namnd=AMN"
AGN = "kommun=2580&namnd=AGN"
# Per page: where to start, then each setting as the user changes it (one after the other, so
# the later links carry the earlier settings too) and the address key it must write.
PAGES = [
    ("oversikt", f"/?{AMN}", [
        ("forvaltning", lambda pg: choose(pg, "f_scope", "Integrations- och arbetsmarknadsförvaltningen")),
        ("namnd", lambda pg: choose(pg, "f_namnd", "Luleå kommun")),
        ("tillfalle", lambda pg: choose(pg, "f_round", "Delår 1 2024")),
        ("visning", lambda pg: toggle(pg, "f_projector")),
    ]),
    ("ekonomi", f"/ekonomi?{AGN}", [
        ("belopp", lambda pg: segment(pg, "eko_unit", "mnkr")),
        ("oppna", lambda pg: remove_tag(pg, "eko_open", "Arbetsmarknads- och utbildningsförvaltningen")),
        ("oppna", lambda pg: pg.get_by_role("button", name="Öppna alla nivåer").click()),
        ("rad", lambda pg: select_table_row(pg, "eko_table", 3)),
        ("flik", lambda pg: pg.get_by_role("tab", name="Investeringar").click()),
    ]),
    ("verksamhet", f"/verksamhet?{AMN}", [
        ("enhet", lambda pg: choose(pg, "vh_pick", "575 Ekonomiskt bistånd")),
    ]),
    ("mal", f"/mal?{AMN}", [
        ("spar", lambda pg: toggle(pg, "mal_off_track")),
        ("sok", lambda pg: type_search(pg, "mal_search", "SFI")),
    ]),
    ("indikatorer", f"/indikatorer?{AMN}", [
        ("omr", lambda pg: choose(pg, "ind_area", "Medborgare")),
        ("status", lambda pg: pick_in_multiselect(pg, "ind_status", "Når inte målvärdet")),
        ("kon", lambda pg: segment(pg, "ind_gender", "Alla")),
        ("visa", lambda pg: segment(pg, "ind_mode", "Tabell")),
    ]),
    ("volymer", f"/volymer?{AMN}", [
        ("forvaltning", lambda pg: choose(pg, "f_scope", "Utbildningsförvaltningen")),
    ]),
    ("personal", f"/personal?{AMN}", [
        ("kon", lambda pg: segment(pg, "pers_gender", "Kvinnor och män")),
    ]),
    ("uppdrag", f"/uppdrag?{AMN}", [
        ("spar", lambda pg: toggle(pg, "upp_off_track")),
        ("sok", lambda pg: type_search(pg, "upp_search", "språk")),
    ]),
    ("internkontroll", f"/internkontroll?{AGN}", [
        ("tillfalle", lambda pg: choose(pg, "f_round", "Delår 1 2024")),
    ]),
    ("bildspel", f"/bildspel?{AGN}", [
        ("bild", lambda pg: pg.get_by_role("button", name="Nästa ▶").click()),
        ("bilder", lambda pg: remove_tag(pg, "bs_kinds", "Titel")),
    ]),
]


@pytest.fixture(scope="module")
def user(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("page, start, settings", PAGES, ids=[p[0] for p in PAGES])
def test_a_copied_link_opens_the_same_view(server, browser, user, page, start, settings):  # noqa: F811
    user.goto(server + start)
    seen = settle(user)
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    try:
        for key, action in settings:
            before, before_href = seen, user.evaluate("location.href")
            action(user)
            # the address is written at the end of the run the change causes: wait for it
            user.wait_for_function("href => location.href !== href", arg=before_href, timeout=120_000)
            seen = settle(user)
            assert seen != before, f"{page}/{key}: the setting changed nothing on screen"
            href = user.evaluate("location.href")
            assert key in query(user), (page, key, href)
            other = fresh.new_page()  # a new tab is a new Streamlit session
            other.goto(href)
            opened = settle(other)
            if opened != seen:
                shot(user, f"lank-{page}-{key}-avsandare")
                shot(other, f"lank-{page}-{key}-mottagare")
            assert opened == seen, f"{page}/{key}: {href}"
            assert other.evaluate("location.href") == href  # nothing to correct in a copied link
            other.close()
    finally:
        fresh.close()


def test_breadcrumb_chart_bar_widget_and_menu_update_the_address_and_back_returns(server, user):  # noqa: F811
    pg = user
    # a breadcrumb: a link to the same page (Streamlit leaves the address bar alone there)
    pg.goto(f"{server}/verksamhet?{AGN}&tillfalle=2024-08-31&enhet=gymnasieskolan/rektorer-gy")
    unit = settle(pg)
    assert "Gymnasieskolan › Rektorer GY" in unit
    pg.get_by_role("link", name=re.compile(r"^Gymnasieskolan ›")).first.click()
    parent = settle(pg)
    assert query(pg)["enhet"] == ["gymnasieskolan"]
    assert pg.locator("h1").first.inner_text() == "Gymnasieskolan"
    pg.reload()
    assert settle(pg) == parent and query(pg)["enhet"] == ["gymnasieskolan"]  # a reload keeps it
    pg.go_back()
    assert settle(pg) == unit and query(pg)["enhet"] == ["gymnasieskolan/rektorer-gy"]
    pg.go_forward()
    assert settle(pg) == parent

    # the menu: a link to another page carries the view
    pg.locator('[data-testid="stSidebar"]').get_by_role("link", name="Ekonomi").click()
    economy = settle(pg)
    assert urlparse(pg.url).path == "/ekonomi" and query(pg)["namnd"] == ["AGN"]
    # a widget: one history entry per change
    segment(pg, "eko_unit", "mnkr")
    in_mnkr = settle(pg)
    assert query(pg)["belopp"] == ["mnkr"] and "(mnkr)" in in_mnkr
    # a chart bar: to the unit, the address names it
    pg.wait_for_selector(".st-key-eko_dev_chart .vega-embed svg .mark-rect path", state="attached", timeout=120_000)
    bar = pg.locator(".st-key-eko_dev_chart .vega-embed svg .mark-rect path[aria-label*='Rektorer GY;']").first
    bar.scroll_into_view_if_needed()
    bar.click(force=True)
    pg.wait_for_url("**/verksamhet?**", timeout=120_000)
    drilled = settle(pg)
    assert query(pg)["enhet"] == ["gymnasieskolan/rektorer-gy"]
    assert "Gymnasieskolan › Rektorer GY" in drilled
    shot(pg, "navigering-stapel-till-enhet")
    # back: Ekonomi in mnkr as it was, then tkr, then the breadcrumb's unit
    pg.go_back()
    assert settle(pg) == in_mnkr and urlparse(pg.url).path == "/ekonomi"
    pg.go_back()  # the chart's page switch leaves one extra entry that shows the same view
    if query(pg).get("belopp") == ["mnkr"]:
        assert settle(pg) == in_mnkr
        pg.go_back()
    assert settle(pg) == economy and "belopp" not in query(pg)
    pg.go_back()
    assert settle(pg) == parent and urlparse(pg.url).path == "/verksamhet"


def test_sidebar_fits_at_1280x720(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    try:
        pg = context.new_page()
        pg.goto(f"{server}/ekonomi?{AGN}&forvaltning=AUF")
        settle(pg)
        boxes = pg.evaluate("""() => Object.fromEntries(['f_namnd', 'f_round', 'f_scope'].map(k => {
            const b = document.querySelector('.st-key-' + k).getBoundingClientRect(); return [k, [b.top, b.bottom]]; }))""")
        for key, (top, bottom) in boxes.items():
            assert 0 <= top and bottom <= 720, (key, top, bottom)
        sidebar = pg.locator('[data-testid="stSidebar"]')
        caption = sidebar.get_by_text("Data: Luleå kommun, Arbetsmarknads- och gymnasienämnden")
        cb = caption.bounding_box()
        assert cb is not None and cb["y"] + cb["height"] <= 720  # the whole choice, wrapped, above the fold
        assert "Arbetsmarknads- och utbildningsförvaltningen" in caption.inner_text()
        sw = pg.evaluate("""() => { const s = document.querySelector('[data-testid="stSidebarContent"]');
                                    return [s.scrollWidth, s.clientWidth]; }""")
        assert sw[0] <= sw[1] + 1  # nothing sticks out sideways
        heading = pg.locator("h1").first.inner_text() + " " + pg.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        assert "Arbetsmarknads- och gymnasienämnden" in heading and "Delår 2 2024" in heading
        shot(pg, "sidofalt-1280x720")
    finally:
        context.close()


def test_menu_links_opened_in_a_new_tab_open_the_page_they_name(server, browser):  # noqa: F811
    """A link opened in a new tab (or copied from the menu) is resolved by the browser against the
    page it is on: Streamlit's own href for the default page, a bare "?kommun=…", opened Ekonomi
    when it was copied on Ekonomi."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    try:
        pg = context.new_page()
        pg.goto(f"{server}/ekonomi?{AGN}&tillfalle=2024-08-31")
        settle(pg)
        menu = pg.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
        targets = {menu.nth(i).inner_text().split("\n")[-1]:
                   pg.evaluate("h => new URL(h, location.href).href", menu.nth(i).get_attribute("href"))
                   for i in range(menu.count())}
        assert urlparse(targets["Ekonomi"]).path == "/ekonomi" and urlparse(targets["Mål"]).path == "/mal"
        for name, heading in (("Översikt", "Översikt – Arbetsmarknads- och gymnasienämnden"),
                              ("Verksamhet", "Verksamhet – Arbetsmarknads- och gymnasienämnden")):
            other = context.new_page()
            other.goto(targets[name])
            settle(other)
            assert other.locator("h1").first.inner_text() == heading, (name, targets[name])
            assert parse_qs(urlparse(other.url).query)["tillfalle"] == ["2024-08-31"]
            other.close()
    finally:
        context.close()
