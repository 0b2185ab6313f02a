"""Presentation mode in real Chromium at projector resolutions: no sidebar, no sideways scrolling,
large type, large chart labels, and no colour-contrast violations reported by axe-core."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, require
from test_browser import browser, page, server, shot, wait_ready  # noqa: F401  (fixtures)

AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "oversikt": ("", "Prognosavvikelse helår"),
    "ekonomi": ("ekonomi", "Budget, utfall och prognos"),
    "verksamhet": ("verksamhet", "Ekonomiskt bistånd"),
    "mal": ("mal", "Trygghet och Inflytande"),
    "indikatorer": ("indikatorer", "indikatorer behöver uppmärksamhet"),
    "volymer": ("volymer", "Volymer"),
    "personal": ("personal", "Personal"),
    "uppdrag": ("uppdrag", "Kommungemensamma uppdrag"),
    "internkontroll": ("internkontroll", "Kontrollmoment"),
    "bildspel": ("bildspel", "Bild 1 av"),
}

MEASURE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                          return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden'; };
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const scrollers = [document.documentElement, document.body,
                     ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')];
  const sideways = scrollers.filter(e => e && e.scrollWidth > e.clientWidth + 2)
                            .map(e => e.getAttribute('data-testid') || e.tagName);
  const texts = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li, [data-testid="stCaptionContainer"] p')]
                .filter(visible).filter(e => e.textContent.trim().length > 0)
                .map(e => parseFloat(getComputedStyle(e).fontSize));
  const chartTexts = [...document.querySelectorAll('.vega-embed svg text')].filter(e => e.textContent.trim().length > 0)
                .map(e => parseFloat(e.getAttribute('font-size') || getComputedStyle(e).fontSize));
  return {sidebar: sidebar ? visible(sidebar) : false, sideways, minText: Math.min(...texts), nText: texts.length,
          minChart: chartTexts.length ? Math.min(...chartTexts) : null};
}"""


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_presentation_mode_every_page(server, browser, size):  # noqa: F811
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="sv-SE")
    page = context.new_page()
    try:
        for name, (path, text) in PAGES.items():
            extra = "&enhet=575" if name == "verksamhet" else ""
            page.goto(f"{server}/{path}?kommun=0580&namnd=AMN&visning=projektor{extra}")
            wait_ready(page, text)
            if name in ("ekonomi", "indikatorer", "bildspel"):
                page.wait_for_timeout(1500)  # charts draw after the script finishes
            m = page.evaluate(MEASURE)
            assert m["sidebar"] is False, name
            assert not m["sideways"], (name, m["sideways"])
            assert m["nText"] > 0 and m["minText"] >= 20, (name, m)
            if m["minChart"] is not None:
                assert m["minChart"] >= 16, (name, m)
            shot(page, f"projektor-{size[0]}x{size[1]}-{name}")
    finally:
        context.close()


def test_presentation_mode_has_no_contrast_violations(server, browser):  # noqa: F811
    require(AXE.exists(), "axe-core (npm, installeras av make test)")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    page = context.new_page()
    problems = {}
    try:
        for name, (path, text) in PAGES.items():
            extra = "&enhet=575" if name == "verksamhet" else ""
            page.goto(f"{server}/{path}?kommun=0580&namnd=AMN&visning=projektor{extra}")
            wait_ready(page, text)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast']})")
            bad = [{"html": n["html"][:120], "summary": n.get("failureSummary", "")[:200]}
                   for v in result["violations"] for n in v["nodes"]]
            if bad:
                problems[name] = bad
    finally:
        context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)[:4000]


def test_projector_mode_survives_reload_and_can_be_left(server, page):  # noqa: F811
    page.goto(f"{server}/ekonomi?kommun=2580&namnd=AGN&visning=projektor")
    wait_ready(page, "Budget, utfall och prognos")
    page.reload()
    wait_ready(page, "Budget, utfall och prognos")
    assert "visning=projektor" in page.url
    sidebar_shown = """() => { const s = document.querySelector('[data-testid="stSidebar"]');
        return !!s && s.getBoundingClientRect().width > 0 && getComputedStyle(s).display !== 'none'; }"""
    assert not page.evaluate(sidebar_shown)
    page.get_by_role("button", name="Avsluta", exact=True).click()
    page.wait_for_timeout(1500)
    wait_ready(page)
    assert "visning=projektor" not in page.url


def _grid_separators(img) -> list[int]:
    """x of the grid's vertical column lines: light grey from top to bottom of the grid."""
    w, h = img.size
    px = img.load()
    lines = [x for x in range(w)
             if sum(1 for y in range(h) if 180 <= px[x, y][0] <= 245 and abs(px[x, y][0] - px[x, y][1]) < 12
                    and abs(px[x, y][1] - px[x, y][2]) < 14) > 0.8 * h]
    runs: list[list[int]] = []
    for x in lines:
        if runs and x - runs[-1][-1] <= 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    return [r[0] for r in runs]


def _room_after_text(img, left: int, right: int) -> int:
    """Pixels between the rightmost dark (text) pixel of a column and its right line: ~0 where
    the grid clipped a name, the cell's padding or more where the whole name is drawn."""
    px = img.load()
    last = left
    for y in range(img.size[1]):
        dark = [x for x in range(left + 2, right) if sum(px[x, y][:3]) / 3 < 110]
        if dark:
            last = max(last, dark[-1])
    return right - last


@pytest.mark.parametrize("kommun,namnd,name", [("2580", "AGN", "Arbetsmarknads- och gymnasienämnden"),
                                               ("0580", "AMN", "Integrations- och arbetsmarknadsförvaltningen")])
def test_ekonomi_table_on_a_projector_draws_every_name_whole(server, browser, kommun, namnd, name):  # noqa: F811
    """Ekonomi's table at 1280 × 720 on a projector: the Verksamhet column holds its longest name
    (the grid clipped "Arbetsmarknads- och gymnasienämnden" to "Arbetsmarknads- och gy" beside
    eight columns), measured in the grid's own pixels; the change since the last round is shown
    beside the deviation, and what does not fit is under "Fler kolumner"."""
    import io

    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{server}/ekonomi?kommun={kommun}&namnd={namnd}&visning=projektor")
        wait_ready(page, "Budget, utfall och prognos")
        page.wait_for_timeout(1000)  # the grid draws after the script finishes
        grid = page.locator('[data-testid="stDataFrame"]').first
        cells = grid.evaluate("g => [...g.querySelectorAll('td, [role=gridcell]')].map(c => c.textContent.trim())")
        assert any(name in c for c in cells), cells[:20]
        img = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
        lines = _grid_separators(img)
        assert len(lines) >= 4, lines  # border, selection column, name column, …
        room = _room_after_text(img, lines[1], lines[2])
        shot(page, f"projektor-ekonomi-{namnd}")
        assert room >= 8, f"Verksamhet-kolumnen klipper namnen ({room} px kvar), linjer {lines}"
        headers = grid.evaluate("g => [...g.querySelectorAll('th, [role=columnheader]')].map(c => c.textContent.trim())")
        if kommun == "2580":  # Delår 2 after Delår 1: the change is an answer on the wall
            assert "Förändring" in headers, headers
        assert page.get_by_text("Fler kolumner", exact=False).count() >= 1
    finally:
        context.close()
