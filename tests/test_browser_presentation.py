"""Presentation grade in Debian's Chromium (issue 13): what a nämnd sees on the projector and a
förvaltningschef on a 1280 × 720 laptop.

One Streamlit server and one browser for the module; each page is loaded once per mode and
measured at 1280 × 720, then the window is resized to 1920 × 1080 and measured again (no second
load). Screenshots of both sizes and both modes go to test-artifacts/screenshots/presentation/.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import ARTIFACTS, ROOT, require
from dashboard.ui.chrome import ENGLISH
from test_browser import READY, Streamlit, browser  # noqa: F401  (fixtures)

SHOTS = ARTIFACTS / "screenshots" / "presentation"
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = [(1280, 720), (1920, 1080)]
PAGES = {  # path, query, a text that says the page is drawn
    "oversikt": ("", "kommun=0580&namnd=AMN", "Prognosavvikelse helår"),
    "ekonomi": ("ekonomi", "kommun=0580&namnd=AMN", "Budget, utfall och prognos"),
    "verksamhet": ("verksamhet", "kommun=0580&namnd=AMN&enhet=575", "Ekonomiskt bistånd"),
    "mal": ("mal", "kommun=0580&namnd=AMN", "nämndmål: de som behöver uppmärksamhet"),
    "indikatorer": ("indikatorer", "kommun=0580&namnd=AMN", "indikatorer behöver uppmärksamhet"),
    "volymer": ("volymer", "kommun=0580&namnd=AMN", "Volymer"),
    "personal": ("personal", "kommun=0580&namnd=AMN", "Personal"),
    "uppdrag": ("uppdrag", "kommun=2580&namnd=AGN", "Uppdrag"),
    "internkontroll": ("internkontroll", "kommun=2580&namnd=AGN", "Kontrollmoment"),
    "bildspel": ("bildspel", "kommun=2580&namnd=AGN", "Bild 1 av"),
    "importera": ("importera", "", "Importera en uppföljning"),
}

# Projector: the element that answers the page's question must be on the first screen (its top
# at least ANSWER_ROOM px above the bottom of the window; the key figures wholly visible).
ANSWERS = {
    "oversikt": '[data-testid="stMetricValue"]',
    "verksamhet": '[data-testid="stMetricValue"]',
    "ekonomi": '[data-testid="stDataFrame"]',
    "mal": '.badge',
    "indikatorer": '.st-key-ind_attention',
    "volymer": '[data-testid="stDataFrame"]',
    "personal": '[data-testid="stDataFrame"]',
    "uppdrag": '.badge',
    "internkontroll": '[data-testid="stDataFrame"], .vega-embed',
    "bildspel": '.bs-slide',
}
ANSWER_ROOM = 120
ANSWER = """(sel) => { const e = [...document.querySelectorAll(sel)].find(x => x.getBoundingClientRect().height > 0);
  if (!e) return null; const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, vh: innerHeight}; }"""
# Projector: behind the one Inställningar control lives a control of the page (opened once per page)
INSIDE_SETTINGS = {
    "oversikt": "Förvaltning", "ekonomi": "Belopp i", "mal": "Sök i mål, aktiviteter och kommentarer",
    "indikatorer": "Målområde", "personal": "Kön", "uppdrag": "Sök i uppdrag och kommentarer",
}
SETTINGS_BUTTON = '[data-testid="stPopover"] button'

MEASURE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden' && !el.closest('details:not([open])'); };
  const main = document.querySelector('[data-testid="stMain"]');
  const scrollers = [document.documentElement, document.body, main];
  const sideways = scrollers.filter(e => e && e.scrollWidth > e.clientWidth + 2).map(e => e.getAttribute('data-testid') || e.tagName);
  // every visible piece of text with its computed size
  const sized = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim() || !n.parentElement || !visible(n.parentElement)) continue;
    if (n.parentElement.closest('[data-testid="stIconMaterial"], svg, style, script')) continue;
    sized.push([parseFloat(getComputedStyle(n.parentElement).fontSize), n.nodeValue.trim().slice(0, 40),
                !!n.parentElement.closest('[data-testid="stMetricValue"]'),
                !!n.parentElement.closest('[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li')
                  && !n.parentElement.closest('[data-testid="stPageLink"], [data-testid="stButton"], [data-testid="stTooltipContent"]')]);
  }
  const kpi = sized.filter(s => s[2]).map(s => s[0]);
  const other = sized.filter(s => !s[2]);
  const body = sized.filter(s => s[3] && !s[2]).map(s => s[0]);
  const chart = [...document.querySelectorAll('.vega-embed svg text')].filter(e => e.textContent.trim())
      .map(e => parseFloat(e.getAttribute('font-size') || getComputedStyle(e).fontSize));
  const inputs = [...document.querySelectorAll('input, select, textarea, [role="combobox"], [role="switch"], [role="checkbox"], [role="radio"], [data-testid="stSegmentedControl"] button')]
      .filter(visible).map(e => e.getAttribute('aria-label') || e.closest('[data-testid]')?.getAttribute('data-testid') || e.tagName);
  // a select whose value is empty shows its placeholder ("Välj") instead of what is chosen
  const emptySelects = [...document.querySelectorAll('[data-testid="stSelectbox"] input')].filter(visible)
      .filter(e => !e.value).map(e => e.getAttribute('aria-label'));
  // a metric label cut to one line with "…" (its text wider than its box)
  const cutLabels = [...document.querySelectorAll('[data-testid="stMetricLabel"] *')].filter(visible)
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim().slice(0, 60));
  return {cutLabels, emptySelects, sideways, kpi, maxOther: other.length ? Math.max(...other.map(s => s[0])) : 0,
          biggestOther: other.sort((a, b) => b[0] - a[0])[0], minBody: body.length ? Math.min(...body) : null,
          minChart: chart.length ? Math.min(...chart) : null, inputs,
          mainHeight: main.scrollHeight, viewport: innerHeight};
}"""

GRIDS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(g => g.getBoundingClientRect().height > 0 && !g.closest('details:not([open])'))
  .map(g => { const s = g.querySelector('.dvn-scroller') || g;
              return {scroll: s.scrollWidth, client: s.clientWidth,
                      cells: [...g.querySelectorAll('td, [role=gridcell]')].map(c => c.textContent.trim())}; })"""

ENGLISH_PROBE = """(words) => {
  const re = new RegExp('\\\\b(' + words.map(w => w.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')).join('|') + ')\\\\b');
  const found = [];
  for (const line of document.body.innerText.split('\\n')) { if (re.test(line)) found.push('text: ' + line.slice(0, 120)); }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = el.getAttribute(a); if (v && re.test(v)) found.push(a + ': ' + v.slice(0, 120)); } }
  return found;
}"""


@pytest.fixture(scope="module")
def server(sqlite_builtin_url):
    app = Streamlit(sqlite_builtin_url, log="streamlit-presentation")
    yield app.base
    app.stop()


def ready(pg, text: str | None = None) -> None:
    pg.wait_for_selector(READY, timeout=60_000)
    if text:
        pg.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
    pg.wait_for_timeout(700)  # charts and grids draw after the script run
    pg.wait_for_selector(READY, timeout=60_000)


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))


def url(server: str, path: str, query: str, projector: bool) -> str:
    parts = [q for q in (query, "visning=projektor" if projector else "") if q]
    return f"{server}/{path}" + ("?" + "&".join(parts) if parts else "")


@pytest.fixture(scope="module")
def measured(server, browser):  # noqa: F811
    """Every page in both modes at both sizes: measurements, grids, English words, axe-core."""
    require(AXE.exists(), "axe-core (npm, installeras av make test)")
    out: dict = {}
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    pg = context.new_page()
    try:
        for projector in (False, True):
            mode = "projektor" if projector else "dator"
            for name, (path, query, text) in PAGES.items():
                pg.set_viewport_size({"width": 1280, "height": 720})
                pg.goto(url(server, path, query, projector))
                ready(pg, text)
                for w, h in SIZES:
                    if (w, h) != (1280, 720):
                        pg.set_viewport_size({"width": w, "height": h})
                        pg.wait_for_timeout(600)
                    key = (mode, name, w)
                    out[key] = {"m": pg.evaluate(MEASURE), "grids": pg.evaluate(GRIDS) if w == 1280 else []}
                    if projector:
                        out[key]["answer"] = pg.evaluate(ANSWER, ANSWERS[name]) if name in ANSWERS else None
                        out[key]["settings"] = [b.inner_text() for b in pg.query_selector_all(SETTINGS_BUTTON)
                                                if b.is_visible()]
                    if w == 1280:  # hover every grid and chart: their toolbars (English) must not appear
                        for target in pg.query_selector_all('[data-testid="stDataFrame"], .vega-embed')[:6]:
                            if target.is_visible():
                                target.hover()
                                pg.wait_for_timeout(150)
                        out[key]["english"] = pg.evaluate(ENGLISH_PROBE, ENGLISH)
                        # hovering scrolled the page: the screenshot shows the first screen
                        pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
                        pg.wait_for_timeout(200)
                    shot(pg, f"{mode}-{w}x{h}-{name}")
                pg.add_script_tag(path=str(AXE))
                result = pg.evaluate("""async () => await axe.run(document,
                    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
                out[(mode, name, "axe")] = [{"id": v["id"], "html": n["html"][:140]}
                                            for v in result["violations"] for n in v["nodes"]]
                if projector and name in INSIDE_SETTINGS:  # open Inställningar: the page's controls are there
                    pg.set_viewport_size({"width": 1280, "height": 720})
                    pg.click(SETTINGS_BUTTON)
                    label = pg.locator('[data-testid="stPopoverBody"]').get_by_text(INSIDE_SETTINGS[name], exact=True).first
                    label.wait_for(timeout=30_000)
                    out[(mode, name, "inside")] = label.is_visible()
                    shot(pg, f"{mode}-1280x720-{name}-installningar")
                    pg.keyboard.press("Escape")
    finally:
        context.close()
    return out


def test_no_sideways_scroll_on_any_page_mode_or_size(measured):
    bad = {str(k): v["m"]["sideways"] for k, v in measured.items() if isinstance(v, dict) and v["m"]["sideways"]}
    assert not bad, bad


def test_every_select_shows_its_choice_not_a_placeholder(measured):
    # reproduce: Indikatorer's Målområde showed "Välj" for "Alla målområden" (a None option)
    empty = {k: v["m"]["emptySelects"] for k, v in measured.items() if isinstance(v, dict) and "m" in v
             and v["m"]["emptySelects"]}
    assert not empty, empty


def test_no_metric_label_is_cut(measured):
    # reproduce: on the projector at 1280 "Periodresultat (avvikelse mot periodbud…"
    cut = {k: v["m"]["cutLabels"] for k, v in measured.items() if isinstance(v, dict) and "m" in v
           and v["m"]["cutLabels"]}
    assert not cut, cut


def test_projector_key_figures_are_48px_and_the_largest_text(measured):
    for name in ("oversikt", "verksamhet"):
        for w, _ in SIZES:
            m = measured[("projektor", name, w)]["m"]
            assert m["kpi"] and min(m["kpi"]) >= 48, (name, w, m["kpi"])
            assert min(m["kpi"]) > m["maxOther"], (name, w, m["kpi"], m["biggestOther"])


def test_projector_body_text_and_chart_text_sizes(measured):
    for name in PAGES:
        for w, _ in SIZES:
            m = measured[("projektor", name, w)]["m"]
            if m["minBody"] is not None:
                assert m["minBody"] >= 22, (name, w, m["minBody"])
            if m["minChart"] is not None:
                assert m["minChart"] >= 18, (name, w, m["minChart"])


def test_projector_shows_no_input_widget_outside_installningar(measured):
    """The audience sees page links, Inställningar, Avsluta and the slide's Föregående/Nästa: no
    select, search field, segmented control, toggle or checkbox on any page at either size (the
    Inställningar popover closed)."""
    shown = {(name, w): measured[("projektor", name, w)]["m"]["inputs"] for name in PAGES for w, _ in SIZES}
    assert not {k: v for k, v in shown.items() if v}, shown
    for name in PAGES:
        for w, _ in SIZES:
            buttons = measured[("projektor", name, w)]["settings"]  # text with its icons' names
            expected = 0 if name == "bildspel" else 1  # the bildspel is the slide alone
            assert len(buttons) == expected and all("Inställningar" in t for t in buttons), (name, w, buttons)


def test_projector_installningar_holds_the_pages_controls(measured):
    assert {name: measured[("projektor", name, "inside")] for name in INSIDE_SETTINGS} == \
        {name: True for name in INSIDE_SETTINGS}


def test_projector_first_screen_answers_the_question(measured):
    """At 1280×720 and 1920×1080 the key figures (Översikt, Verksamhet) are wholly on the first
    screen, and every other page's answer (table, status strip, attention list, slide) starts on it."""
    problems = {}
    for name, selector in ANSWERS.items():
        for w, _ in SIZES:
            a = measured[("projektor", name, w)]["answer"]
            if a is None:
                problems[(name, w)] = f"{selector} saknas"
            elif "stMetricValue" in selector and a["bottom"] > a["vh"]:
                problems[(name, w)] = a
            elif a["top"] > a["vh"] - ANSWER_ROOM:
                problems[(name, w)] = a
    assert not problems, problems


def test_tables_default_columns_fit_1280_and_no_cell_shows_none(measured):
    problems = []
    for (mode, name, w), v in measured.items():
        if w != 1280 or not isinstance(v, dict):  # both modes: a projector's tables fit too
            continue
        for grid in v["grids"]:
            if grid["scroll"] > grid["client"] + 1:
                problems.append((mode, name, "bredare än skärmen", grid["scroll"], grid["client"]))
            bad = [c for c in grid["cells"] if c in ("None", "nan", "NaN", "<NA>")]
            if bad:
                problems.append((mode, name, "saknat värde som text", bad[:3]))
    assert not problems, problems


def test_no_english_streamlit_words_reach_a_reader(measured, server, browser):  # noqa: F811
    found = {f"{k[0]}/{k[1]}": v["english"] for k, v in measured.items() if isinstance(v, dict) and v.get("english")}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    pg = context.new_page()
    try:
        pg.goto(f"{server}/indikatorer?kommun=0580&namnd=AMN")
        ready(pg, "indikatorer behöver uppmärksamhet")
        assert pg.query_selector('[data-testid="stMainMenu"]') is None or \
            not pg.is_visible('[data-testid="stMainMenu"]')  # no main menu (Print, Record, Made with …)
        # during a slow rerun: Streamlit's "Running… / Stop" must not show
        pg.get_by_text("Tabell", exact=True).first.click()
        running = []
        for _ in range(20):
            if pg.query_selector('[data-testid="stApp"][data-test-script-state="running"]'):
                running = pg.evaluate(ENGLISH_PROBE, ENGLISH)
                break
            pg.wait_for_timeout(50)
        ready(pg)
        assert not running, running
    finally:
        context.close()


def test_axe_wcag21_a_and_aa_on_every_page_in_both_modes(measured):
    bad = {f"{k[0]}/{k[1]}": v for k, v in measured.items() if k[2] == "axe" and v}
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)[:4000]


@pytest.mark.parametrize("committee", ["kommun=0580&namnd=AMN", "kommun=2580&namnd=AGN"])
def test_bildspel_every_slide_fits_the_screen_and_steps_by_keyboard(server, browser, committee):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    pg = context.new_page()
    tag = committee.split("namnd=")[1].lower()
    try:
        pg.goto(f"{server}/bildspel?{committee}&visning=projektor")
        ready(pg, "Bild 1 av")
        total = int(re.search(r"Bild 1 av (\d+)", pg.inner_text("body")).group(1))
        for number in range(1, total + 1):
            assert f"Bild {number} av {total}" in pg.inner_text("body")
            for w, h in SIZES:
                pg.set_viewport_size({"width": w, "height": h})
                pg.wait_for_timeout(250)
                size = pg.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                    const s = document.querySelector('.bs-slide').getBoundingClientRect();
                    return {main: m.scrollHeight, doc: document.documentElement.scrollHeight, vh: innerHeight,
                            vw: innerWidth, bottom: s.bottom, right: s.right}; }""")
                assert size["main"] <= size["vh"] and size["doc"] <= size["vh"], (tag, number, w, size)
                assert size["bottom"] <= size["vh"] and size["right"] <= size["vw"], (tag, number, w, size)
                shot(pg, f"bildspel-{tag}-{number:02d}-{w}x{h}")
            pg.set_viewport_size({"width": 1280, "height": 720})
            if number < total:  # a presenter's clicker: → (and Page Down on the last step back)
                pg.keyboard.press("ArrowRight")
                pg.get_by_text(f"Bild {number + 1} av {total}", exact=False).first.wait_for(timeout=30_000)
                ready(pg)
        pg.keyboard.press("PageUp")
        pg.get_by_text(f"Bild {total - 1} av {total}", exact=False).first.wait_for(timeout=30_000)
    finally:
        context.close()
