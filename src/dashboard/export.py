"""PowerPoint and PDF from the same slide layout (slidelayout.py): every text, table and chart
of the deck is placed once, measured with the same font, and drawn by python-pptx and reportlab
alike – so the file attached to the meeting papers and the one projected break their lines at the
same places, and a long table continues on a numbered follow-on slide instead of being cut.

A municipality's own PowerPoint (`template`, a .pptx or .potx with its masters, logo and theme)
can carry the deck: its slide size is used, its own slides are left out, and each slide is made
on its blank layout.

Hardening: every text handed to a renderer is printable (textsafe.printable: control characters
break python-pptx's XML and make vl-convert panic), charts are rendered in a worker process
(chartproc) so a renderer crash cannot take the app down, and every failure becomes an
ExportError with a Swedish message.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import altair as alt
import pandas as pd

from . import charts
from . import slidelayout as lay
from .slides import Slide
from .textsafe import printable

MAX_CELL_CHARS = 400  # a longer cell could not fit one slide: cut with "…"
MAX_BULLET_CHARS = 600
MAX_TITLE_CHARS = 200
SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13,333 × 7,5 tum (16:9), PowerPoint's widescreen
RENDER_TIMEOUT_S = 120
log = logging.getLogger(__name__)


class ExportError(Exception):
    """An export that could not be made; the message is Swedish and says what to do."""


def clean_spec(value):
    """Every string in a chart spec (labels, data values, titles) printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [clean_spec(v) for v in value]
    if isinstance(value, dict):
        return {printable(k): clean_spec(v) for k, v in value.items()}
    return value


def render_png(specs: list[dict], scale: float = 2.0) -> list[bytes]:
    """Vega-Lite specs → PNGs in a renderer process of their own (chartproc); a crash or a
    failure there is an ExportError here, with the detail in the log."""
    src = str(Path(__file__).resolve().parents[1])  # app.py runs the package from src/ uninstalled
    env = os.environ | {"PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    job = json.dumps({"scale": scale, "specs": specs}, ensure_ascii=False).encode("utf-8")
    try:
        run = subprocess.run([sys.executable, "-m", "dashboard.chartproc"], input=job, capture_output=True,
                             timeout=RENDER_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired:
        log.error("vl-convert: ingen bild inom %s s", RENDER_TIMEOUT_S)
        raise ExportError("Diagrammen tog för lång tid att rita. Exporten gjordes inte; försök igen "
                          "med färre bilder.") from None
    if run.returncode != 0:
        log.error("vl-convert avslutades med kod %s: %s", run.returncode,
                  run.stderr.decode("utf-8", "replace")[-2000:])
        raise ExportError("Ett diagram kunde inte ritas (diagramverktyget avbröts). Exporten gjordes inte; "
                          "försök igen, och kontakta den som driftar dashboarden om felet kvarstår.")
    data, pngs, pos = run.stdout, [], 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 8], "big")
        pngs.append(data[pos + 8:pos + 8 + size])
        pos += 8 + size
    if len(pngs) != len(specs):
        raise ExportError("Diagrammen kunde inte ritas. Exporten gjordes inte; försök igen.")
    return pngs


def chart_spec(chart, width: float | None = None, height: float | None = None, font_size: int = 16) -> dict:
    """The chart's Vega-Lite spec for the renderer. With `width` × `height` (pixels; one pixel is
    one point on the slide at scale 1) the chart *including* its axes and legend fits that box
    (autosize "fit"), so its type is `font_size` points on the slide, never scaled down."""
    spec = chart.to_dict()
    if width is not None and height is not None and "facet" not in spec and "hconcat" not in spec:
        chart = chart.properties(width=int(width), height=int(height),
                                 autosize=alt.AutoSizeParams(type="fit", contains="padding"))
    elif spec.get("width") == "container":  # no container outside the browser: a fixed width
        chart = chart.properties(width=760)
    spec = charts.finish(chart, font_size=font_size).to_dict()
    spec["config"]["axis"]["labelLimit"] = 460  # a slide is wide: whole unit names, not "Tillväxt…"
    return clean_spec(spec)


def chart_aspect(chart) -> float | bool:
    """A chart with its own shape (a risk matrix: fixed width and height) keeps it; others fill."""
    # the chart's own width and height, as to_dict() would write them at the top level, without
    # serialising its data and validating the schema (2 s for Bildspel's charts on a new round
    # at full scale); tests/test_cached_charts.py checks both agree for every slide chart
    w, h = getattr(chart, "width", None), getattr(chart, "height", None)
    if isinstance(w, int | float) and isinstance(h, int | float) and h:
        return float(w) / float(h)
    return True


def chart_needs(chart, font_size: float = 16) -> tuple[float | bool, float]:
    """(aspect, least height) for the layout: a chart with one row per category (bars per
    verksamhet) needs about 1,25 lines of type per row plus its axis and legend."""
    rows = 0
    data = getattr(chart, "data", None)
    layers = getattr(chart, "layer", None) or []
    for candidate in [data, *[getattr(layer, "data", None) for layer in layers]]:
        if isinstance(candidate, pd.DataFrame) and "label" in candidate:
            rows = max(rows, int(candidate["label"].nunique()))
    return chart_aspect(chart), (rows * font_size * 1.25 + 110.0) if rows else 0.0


def slide_chart_needs(slide: Slide, font_size: float = 16) -> tuple[float | bool, float]:
    """chart_needs of the slide's chart, without making a chart that is still to be made."""
    from .slides import LazyChart

    lazy = slide.chart_source
    if isinstance(lazy, LazyChart) and not lazy.built:
        return lazy.aspect, (lazy.rows * font_size * 1.25 + 110.0) if lazy.rows else 0.0
    return chart_needs(slide.chart, font_size)


def chart_pngs(slides: list[Slide], scale: float = 2.0) -> dict[int, bytes]:
    """Every chart of the deck, rendered in one renderer process: slide index → PNG."""
    indexes = [i for i, s in enumerate(slides) if s.chart is not None]
    if not indexes:
        return {}
    return dict(zip(indexes, render_png([chart_spec(slides[i].chart) for i in indexes], scale), strict=True))


def chart_png(chart, scale: float = 2.0) -> bytes:
    return render_png([chart_spec(chart)], scale)[0]


def cell_text(value) -> str:
    """A table cell for PowerPoint and PDF: printable, missing as "–", short enough to lay out."""
    text = lay.cell_text(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"


def cell_texts(values: list) -> list[str]:
    """[cell_text(v) for v in values] (slidelayout.cell_texts: a clean column checked once)."""
    return [text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"
            for text in lay.cell_texts(values)]


def _cut(text: str, limit: int) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip() + " …"


def printable_slides(slides: list[Slide]) -> list[Slide]:
    """Copies of the slides with every text printable and cut to a length a slide can hold."""
    import dataclasses

    out = []
    for s in slides:
        table = None
        if s.table is not None and len(s.table):
            # column by column (what DataFrame.map gives, without its per-element machinery)
            table = pd.DataFrame({j: cell_texts(s.table.iloc[:, j].tolist())
                                  for j in range(s.table.shape[1])}, index=s.table.index)
            table.columns = [cell_text(c) for c in s.table.columns]
        out.append(dataclasses.replace(s, title=_cut(s.title, MAX_TITLE_CHARS), subtitle=_cut(s.subtitle, MAX_TITLE_CHARS),
                                       bullets=[_cut(b, MAX_BULLET_CHARS) for b in s.bullets], table=table,
                                       source=_cut(s.source, MAX_TITLE_CHARS),
                                       chart=s.chart_source))  # a chart still to be made stays so
    return out


def layout(slides: list[Slide], width: float = SLIDE_W, height: float = SLIDE_H) -> list[lay.Page]:
    """The deck's pages on a `width` × `height` (points) slide; every chart rendered once, in
    one renderer process, at the size of its box."""
    slides = printable_slides(slides)
    pages = lay.lay_out(slides, {i: slide_chart_needs(s) for i, s in enumerate(slides) if s.has_chart},
                        width, height)
    boxes = [(page, box) for page in pages for box in page.boxes if isinstance(box, lay.ImageBox)]
    if boxes:
        specs = [chart_spec(slides[page.slide_index].chart, box.w, box.h) for page, box in boxes]
        for (_, box), png in zip(boxes, render_png(specs), strict=True):
            px_w, px_h = lay.image_size(png)
            ratio = min(box.w / px_w, box.h / px_h)  # "fit" is exact for layers; keep the shape anyway
            box.png, box.w, box.h = png, px_w * ratio, px_h * ratio
    return pages


# --- PowerPoint -----------------------------------------------------------------------------

POTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def open_template(path: Path | str | None):
    """The municipality's PowerPoint (.pptx/.potx) without its own slides, or a blank 16:9 one.

    python-pptx refuses a .potx ("not a PowerPoint file") because its main part has the template
    content type; the same package with the presentation content type is a .pptx."""
    from pptx import Presentation
    from pptx.util import Pt

    if path is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
        return prs
    import zipfile

    path = Path(path)
    try:
        raw = path.read_bytes()
        source = zipfile.ZipFile(io.BytesIO(raw))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(POTX_MAIN.encode(), PPTX_MAIN.encode())
                target.writestr(item, data)
        prs = Presentation(io.BytesIO(buffer.getvalue()))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        log.warning("mallen %s kunde inte läsas: %s", path, exc)
        raise ExportError(f"Mallen «{path.name}» kunde inte läsas som PowerPoint (.pptx eller .potx). "
                          "Exporten gjordes inte.") from None
    ids = prs.slides._sldIdLst  # the template's sample slides are not part of the deck
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs


def _blank_layout(prs):
    """The template's blank layout ("Blank"/"Tom"), else the one with the fewest placeholders."""
    layouts = list(prs.slide_layouts)
    for lay_ in layouts:
        if lay_.name.strip().lower() in ("blank", "tom", "tom bild"):
            return lay_
    return min(layouts, key=lambda lay_: len(lay_.placeholders))


def _rgb(hex_: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_.upper())


def _set_font(run, size: float, bold: bool, color: str, italic: bool = False) -> None:
    from pptx.util import Pt

    run.font.name = lay.FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = _rgb(color)


def _paragraph(para, lines: list[str], size: float, bold: bool, color: str, align: str,
               indent: float = 0.0, hanging: bool = False, gap_before: float = 0.0, italic: bool = False) -> None:
    """One paragraph: its wrapped lines joined by line breaks, exact line height, no autofit."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    para.text = "\v".join(lines)  # \v is a line break inside the paragraph (a:br)
    para.line_spacing = Pt(size * lay.LINE)
    para.space_before = Pt(gap_before)
    para.space_after = Pt(0)
    para.alignment = PP_ALIGN.RIGHT if align == "r" else PP_ALIGN.LEFT
    if indent:
        ppr = para._p.get_or_add_pPr()
        ppr.set("marL", str(int(Emu(Pt(indent)))))
        if hanging:
            ppr.set("indent", str(-int(Emu(Pt(indent)))))
    for run in para.runs:
        _set_font(run, size, bold, color, italic)


def _pptx_text(slide, box: lay.TextBox) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Pt

    shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    shape.name = box.role
    frame = shape.text_frame
    frame.word_wrap = False  # lines are wrapped by the layout; the renderer must not wrap again
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, p in enumerate(box.paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        lines = [(f"{p.bullet} " + p.lines[0]) if p.bullet else p.lines[0]] + p.lines[1:]
        _paragraph(para, lines, box.size, box.bold, box.color, box.align, indent=p.indent,
                   hanging=bool(p.bullet), gap_before=p.gap_before)


def _pptx_table(slide, box: lay.TableBox) -> None:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Pt

    rows, cols = len(box.rows), len(box.col_widths)
    shape = slide.shapes.add_table(rows, cols, Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    shape.name = box.role
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for j, w in enumerate(box.col_widths):
        table.columns[j].width = Pt(w)
    for i, h in enumerate(box.row_heights):
        table.rows[i].height = Pt(h)
    for i, row in enumerate(box.rows):
        for j, cell in enumerate(row):
            target = table.cell(i, j)
            target.margin_left = target.margin_right = Pt(box.pad_x)
            target.margin_top = target.margin_bottom = Pt(box.pad_y)
            target.vertical_anchor = MSO_ANCHOR.TOP
            target.fill.solid()
            target.fill.fore_color.rgb = _rgb(box.fills[i] or "ffffff")
            _paragraph(target.text_frame.paragraphs[0], cell.lines, box.size, cell.bold, lay.INK, cell.align,
                       indent=cell.indent, italic=cell.italic)


def to_pptx(slides: list[Slide], path: Path | io.BytesIO, template: Path | str | None = None) -> int:
    """The slides as a PowerPoint; returns the number of slide pages (a long table continues)."""
    from pptx.util import Emu

    prs = open_template(template)
    width, height = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    blank = _blank_layout(prs)
    pages = layout(slides, width, height)
    for page in pages:
        slide = prs.slides.add_slide(blank)
        for placeholder in list(slide.placeholders):  # a template's layout may bring empty placeholders
            placeholder._element.getparent().remove(placeholder._element)
        for box in page.boxes:
            if isinstance(box, lay.TextBox):
                _pptx_text(slide, box)
            elif isinstance(box, lay.TableBox):
                _pptx_table(slide, box)
            elif isinstance(box, lay.ImageBox):
                from pptx.util import Pt

                pic = slide.shapes.add_picture(io.BytesIO(box.png), Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
                pic.name = box.role
    prs.save(path)
    return len(pages)


# --- PDF --------------------------------------------------------------------------------------

_FONTS: dict[str, str] = {}


def _pdf_fonts() -> dict[str, str]:
    """The layout's TTFs registered with reportlab: regular, bold, italic (DejaVu Sans)."""
    if _FONTS:
        return _FONTS
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = lay.font_path(False), lay.font_path(True)
    oblique = regular.with_name("DejaVuSans-Oblique.ttf")
    pdfmetrics.registerFont(TTFont("Dash", str(regular)))
    pdfmetrics.registerFont(TTFont("Dash-Bold", str(bold)))
    pdfmetrics.registerFont(TTFont("Dash-Italic", str(oblique if oblique.exists() else regular)))
    _FONTS.update(regular="Dash", bold="Dash-Bold", italic="Dash-Italic")
    return _FONTS


def _font() -> tuple[str, str]:
    fonts = _pdf_fonts()
    return fonts["regular"], fonts["bold"]


def to_pdf(slides: list[Slide], path: Path | io.BytesIO) -> int:
    """The slides as a PDF of slide-sized pages, drawn from the same layout as the PowerPoint;
    returns the number of pages."""
    try:
        return _to_pdf(slides, path)
    except ExportError:
        raise
    except Exception:  # noqa: BLE001 - a renderer failure is the user's export failing, in Swedish
        log.exception("PDF-exporten misslyckades")
        raise ExportError("PDF-filen kunde inte skapas. Välj färre bilder eller exportera till PowerPoint; "
                          "kontakta den som driftar dashboarden om felet kvarstår.") from None


def _to_pdf(slides: list[Slide], path: Path | io.BytesIO) -> int:
    from reportlab.lib import colors
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    fonts = _pdf_fonts()
    pages = layout(slides)
    target = str(path) if isinstance(path, Path) else path
    canvas = Canvas(target, pagesize=(SLIDE_W, SLIDE_H), lang="sv", pageCompression=1)
    canvas.setTitle(printable(slides[0].title) if slides else "Uppföljning")
    canvas.setAuthor("Ledningsdashboard")

    def line(text: str, x: float, top: float, width: float, size: float, font: str, color: str, align: str) -> None:
        canvas.setFont(font, size)
        canvas.setFillColor(colors.HexColor("#" + color))
        baseline = SLIDE_H - (top + size * ((lay.LINE - 1.164) / 2 + 0.928))  # DejaVu: 0,928 em ascent, centred
        if align == "r":
            canvas.drawRightString(x + width, baseline, text)
        else:
            canvas.drawString(x, baseline, text)

    for page in pages:
        for box in page.boxes:
            if isinstance(box, lay.TextBox):
                font = fonts["bold"] if box.bold else fonts["regular"]
                y = box.y
                for p in box.paragraphs:
                    y += p.gap_before
                    for k, text in enumerate(p.lines):
                        if k == 0 and p.bullet:
                            line(p.bullet, box.x, y, box.w, box.size, font, box.color, "l")
                        line(text, box.x + p.indent, y, box.w - p.indent, box.size, font, box.color, box.align)
                        y += box.line_h
            elif isinstance(box, lay.TableBox):
                y = box.y
                for i, row in enumerate(box.rows):
                    h = box.row_heights[i]
                    x = box.x
                    if box.fills[i]:
                        canvas.setFillColor(colors.HexColor("#" + box.fills[i]))
                        canvas.rect(box.x, SLIDE_H - y - h, box.w, h, stroke=0, fill=1)
                    for j, cell in enumerate(row):
                        w = box.col_widths[j]
                        font = fonts["bold"] if cell.bold else (fonts["italic"] if cell.italic else fonts["regular"])
                        for k, text in enumerate(cell.lines):
                            line(text, x + box.pad_x + cell.indent, y + box.pad_y + k * box.line_h,
                                 w - 2 * box.pad_x - cell.indent, box.size, font, lay.INK, cell.align)
                        x += w
                    y += h
                    canvas.setStrokeColor(colors.HexColor("#aab2bd"))
                    canvas.setLineWidth(0.6 if i else 1.2)
                    canvas.line(box.x, SLIDE_H - y, box.x + box.w, SLIDE_H - y)
            elif isinstance(box, lay.ImageBox):
                canvas.drawImage(ImageReader(io.BytesIO(box.png)), box.x, SLIDE_H - box.y - box.h, box.w, box.h)
        canvas.showPage()
    canvas.save()
    return len(pages)
