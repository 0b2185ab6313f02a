"""Bildspel in the browser: the same slide layout as the PowerPoint and the PDF (slidelayout.py),
set for a 1280 × 720 screen with projector type (body ≥ 22 px, tables ≥ 20 px), drawn as one
HTML block whose lengths scale with its width – so a slide fills a 1920 × 1080 projector exactly
as it fills a 1280 × 720 laptop, and never needs scrolling. Long content continues on numbered
follow-on slides ("Mål 2/3"), as in the files. Charts are pictures rendered by the chart process
(export.render_png), cached per session.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

import streamlit as st

from .. import export
from .. import slidelayout as lay

WIDTH, HEIGHT = 1280.0, 648.0  # the slide; the controls take the rest of a 720 px screen
PNG_KEY = "_bs_pngs"


def screen_pages(deck: list) -> tuple[list, list[lay.Page]]:
    """The deck's slides (printable) and their screen pages (every page laid out)."""
    slides = export.printable_slides(deck)
    # a chart is made when its slide is shown (slides.LazyChart); the layout needs only its shape
    charts = {i: export.slide_chart_needs(s, 18) for i, s in enumerate(slides) if s.has_chart}
    # footers are numbered for the page shown (show_page), not for every page of the deck
    return slides, lay.lay_out(slides, charts, WIDTH, HEIGHT, lay.SCREEN, numbered=False)


class ScreenDeck:
    """The deck on the screen, counted but laid out one slide at a time: the footer "bild N av M"
    needs M, the number of pages of every slide (slidelayout.slide_page_count, the layout without
    its table boxes), while only the slide shown is laid out (`page`). A new round's
    Prognosförändring at full scale is 223 pages of 2 000 rows; page N and M are those of
    screen_pages (tested on the built-in and synthetic decks)."""

    def __init__(self, deck: list) -> None:
        self.slides = export.printable_slides(deck)
        self.charts = {i: export.slide_chart_needs(s, 18) for i, s in enumerate(self.slides) if s.has_chart}
        self.geo = lay.Geometry(WIDTH, HEIGHT, lay.SCREEN)
        self.counts = [lay.slide_page_count(s, self.charts.get(i), self.geo) for i, s in enumerate(self.slides)]
        self.total = sum(self.counts)

    def locate(self, index: int) -> tuple[int, int]:
        """(slide index, page of that slide) of the deck's page `index` (0-based)."""
        if not 0 <= index < self.total:
            raise IndexError(index)
        for slide_index, count in enumerate(self.counts):
            if index < count:
                return slide_index, index
            index -= count
        raise IndexError(index)  # unreachable: the counts sum to total

    def slide_pages(self, slide_index: int) -> list[lay.Page]:
        """The unnumbered screen pages of one slide, as screen_pages lays them out."""
        return lay.lay_out_slide(self.slides[slide_index], slide_index, self.charts.get(slide_index), self.geo)


def _chart_png(chart, box: lay.ImageBox) -> bytes | None:
    """The chart for its box, rendered once per session (a renderer failure costs the picture)."""
    spec = export.chart_spec(chart, box.w, box.h, font_size=18)
    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    cache = st.session_state.setdefault(PNG_KEY, {})
    if key not in cache:
        try:
            cache[key] = export.render_png([spec], scale=1.5)[0]
        except export.ExportError:
            cache[key] = None
    return cache[key]


def _u(value: float) -> str:
    return f"calc(var(--u) * {value:.2f})"


def _text(box: lay.TextBox) -> str:
    weight = "700" if box.bold else "400"
    parts = []
    tag = "h2" if box.role == "title" else "div"
    for p in box.paragraphs:
        lines = "<br>".join(escape(line) for line in p.lines)
        bullet = f'<span class="bs-bullet">{escape(p.bullet)}</span>' if p.bullet else ""
        parts.append(f'<div style="padding-left:{_u(p.indent)};margin-top:{_u(p.gap_before)};position:relative">'
                     f"{bullet}{lines}</div>")
    return (f'<{tag} class="bs-box bs-{box.role}" style="left:{_u(box.x)};top:{_u(box.y)};width:{_u(box.w)};'
            f'height:{_u(box.h)};font-size:{_u(box.size)};font-weight:{weight};color:#{box.color}">'
            + "".join(parts) + f"</{tag}>")


def _table(box: lay.TableBox) -> str:
    cols = "".join(f'<col style="width:{_u(w)}">' for w in box.col_widths)
    rows = []
    for i, row in enumerate(box.rows):
        cells = []
        for cell in row:
            tag = "th" if i == 0 else "td"
            style = [f"text-align:{'right' if cell.align == 'r' else 'left'}",
                     f"padding:{_u(box.pad_y)} {_u(box.pad_x)} {_u(box.pad_y)} calc({_u(box.pad_x)} + {_u(cell.indent)})"]
            if cell.bold:
                style.append("font-weight:700")
            if cell.italic:
                style.append("font-style:italic")
            scope = ' scope="col"' if i == 0 else ""
            cells.append(f'<{tag}{scope} style="{";".join(style)}">' + "<br>".join(escape(x) for x in cell.lines)
                         + f"</{tag}>")
        fill = f' style="background:#{box.fills[i]};height:{_u(box.row_heights[i])}"' if box.fills[i] else \
            f' style="height:{_u(box.row_heights[i])}"'
        rows.append(f"<tr{fill}>" + "".join(cells) + "</tr>")
    return (f'<table class="bs-box bs-table" style="left:{_u(box.x)};top:{_u(box.y)};width:{_u(box.w)};'
            f'font-size:{_u(box.size)}"><colgroup>{cols}</colgroup>'
            f"<thead>{rows[0]}</thead><tbody>{''.join(rows[1:])}</tbody></table>")


def _image(box: lay.ImageBox, chart, title: str) -> str:
    png = _chart_png(chart, box)
    if not png:
        return (f'<div class="bs-box" style="left:{_u(box.x)};top:{_u(box.y)};width:{_u(box.w)};font-size:{_u(22)}">'
                "Diagrammet kunde inte ritas; siffrorna finns i PowerPoint- och PDF-filen.</div>")
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="bs-box" alt="{escape("Diagram: " + title)}" src="data:image/png;base64,{data}" '
            f'style="left:{_u(box.x)};top:{_u(box.y)};width:{_u(box.w)};height:{_u(box.h)}">')


CSS = """<style>
.bs-slide {container-type: inline-size; position: relative; margin: 0 auto; background: #fff;
           border: 1px solid #c9ced6; box-sizing: border-box;}
.bs-inner {--u: calc(100cqw / %(w)s); position: relative; width: 100%%; aspect-ratio: %(w)s / %(h)s;
           font-family: "Source Sans Pro", "Source Sans 3", "DejaVu Sans", Arial, sans-serif; line-height: 1.3;}
.bs-box {position: absolute; margin: 0; padding: 0; box-sizing: border-box; white-space: nowrap;}
h2.bs-box {line-height: 1.3 !important; margin: 0 !important; padding: 0 !important; letter-spacing: normal;}
.bs-bullet {position: absolute; left: 0;}
.bs-table {border-collapse: collapse; table-layout: fixed; line-height: 1.3;}
.bs-table th, .bs-table td {vertical-align: top; border-bottom: 1px solid #aab2bd; white-space: nowrap;}
.bs-table th {background: #e3e7ec;}
</style>"""


def show_page(slides: list, page: lay.Page, width_css: str, number: int, total: int) -> None:
    """One screen page (of screen_pages) as HTML, its footer "bild `number` av `total`";
    `width_css` is the slide's CSS width (it keeps the aspect ratio)."""
    page = lay.number_page(page, slides, number, total)
    slide = slides[page.slide_index]
    parts = []
    for box in page.boxes:
        if isinstance(box, lay.TextBox):
            parts.append(_text(box))
        elif isinstance(box, lay.TableBox):
            parts.append(_table(box))
        elif isinstance(box, lay.ImageBox):
            parts.append(_image(box, slide.chart, slide.title))
    html = (CSS % {"w": int(WIDTH), "h": int(HEIGHT)}
            + f'<section class="bs-slide" aria-label="{escape(slide.title)}" style="width:{width_css}">'
            + '<div class="bs-inner">' + "".join(parts) + "</div></section>")
    st.html(html)


# Projector: the slide as large as the screen allows below its controls, nothing else of the app.
CONTROLS_PX = 64
PROJECTOR_WIDTH = f"min(100vw - 8px, calc((100vh - {CONTROLS_PX + 8}px) * {WIDTH:.0f} / {HEIGHT:.0f}))"
PROJECTOR_CSS = f"""
[data-testid="stMainBlockContainer"] {{padding: 0 !important;}}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{gap: 0 !important;}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:has([data-testid="stPageLink"]),
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {{display: none !important;}}
.st-key-bs_controls {{height: {CONTROLS_PX}px; padding: 0 12px; box-sizing: border-box;}}
.bs-slide {{border: none;}}
"""


KEYS = """<script>
(function () {
  // A presenter's clicker sends → ← Page Up / Page Down: they press Nästa / Föregående.
  const doc = window.parent && window.parent !== window ? window.parent.document : document;
  if (doc.__bildspelKeys) { return; }
  doc.__bildspelKeys = true;
  doc.addEventListener("keydown", (event) => {
    const tag = (event.target && event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag)) { return; }
    const next = ["ArrowRight", "PageDown"].includes(event.key);
    const prev = ["ArrowLeft", "PageUp"].includes(event.key);
    if (!next && !prev) { return; }
    const label = next ? "Nästa" : "Föregående";
    const button = [...doc.querySelectorAll('button')].find(b => b.innerText.trim().startsWith(label) ||
                                                             b.innerText.trim().endsWith(label));
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
</script>"""


def keyboard() -> None:
    st.html(KEYS, unsafe_allow_javascript=True)
