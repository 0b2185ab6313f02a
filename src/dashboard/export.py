"""Slides to PowerPoint (python-pptx) and PDF (reportlab), charts as PNG via vl-convert (no browser).

Every slide carries the scope and round in its subtitle, the data source in its footer and, for a
draft round, an UTKAST banner. Long tables are cut with a line saying how many rows were left out;
long text wraps.

Hardening: every text handed to a renderer is printable (textsafe.printable: control characters
break python-pptx's XML and make vl-convert panic), table cells are cut at a length reportlab can
lay out, charts are rendered in a worker process (chartproc) so a renderer crash cannot take the
app down, and every failure becomes an ExportError with a Swedish message.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from . import charts
from .slides import Slide
from .textsafe import printable

MAX_TABLE_ROWS = 12
MAX_CELL_CHARS = 400  # a longer cell cannot be laid out on one page (reportlab LayoutError)
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


def chart_spec(chart) -> dict:
    spec = chart.to_dict()
    if spec.get("width") == "container":  # no container outside the browser: a fixed width
        chart = chart.properties(width=760)
    return clean_spec(charts.finish(chart, font_size=16).to_dict())


def chart_pngs(slides: list[Slide], scale: float = 2.0) -> dict[int, bytes]:
    """Every chart of the deck, rendered in one renderer process: slide index → PNG."""
    indexes = [i for i, s in enumerate(slides) if s.chart is not None]
    if not indexes:
        return {}
    return dict(zip(indexes, render_png([chart_spec(slides[i].chart) for i in indexes], scale), strict=True))


def chart_png(chart, scale: float = 2.0) -> bytes:
    return render_png([chart_spec(chart)], scale)[0]


def cell_text(value) -> str:
    """A table cell for PowerPoint and PDF: printable, and short enough to lay out."""
    text = "" if value is None or (isinstance(value, float) and value != value) else printable(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"


def _table_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    if len(frame) <= MAX_TABLE_ROWS:
        return frame, 0
    return frame.head(MAX_TABLE_ROWS), len(frame) - MAX_TABLE_ROWS


# --- PowerPoint -----------------------------------------------------------------------------

def to_pptx(slides: list[Slide], path: Path | io.BytesIO) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    ink = RGBColor(0x1D, 0x23, 0x2B)

    def text(slide, left, top, width, height, lines, size, bold=False, color=ink):
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = printable(line)  # XML 1.0: no control characters
            para.font.size = Pt(size)
            para.font.bold = bold
            para.font.color.rgb = color
        return box

    pngs = chart_pngs(slides)
    for number, s in enumerate(slides, start=1):
        slide = prs.slides.add_slide(blank)
        title_size = 40 if s.kind == "titel" else 30
        text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0), [s.title], title_size, bold=True)
        text(slide, Inches(0.5), Inches(1.25), Inches(12.3), Inches(0.5), [s.subtitle], 16, color=RGBColor(0x44, 0x4B, 0x55))
        top = Inches(1.9)
        if s.bullets:
            box = text(slide, Inches(0.5), top, Inches(12.3), Inches(0.45 * len(s.bullets) + 0.2),
                       [f"• {b}" for b in s.bullets], 20 if s.kind != "handelser" else 16)
            top = Emu(box.top + box.height)
        available = prs.slide_height - top - Inches(0.8)
        has_table = s.table is not None and len(s.table)
        if s.chart is not None:
            png = pngs[number - 1]
            width = Inches(6.2) if has_table else Inches(11.5)
            pic = slide.shapes.add_picture(io.BytesIO(png), Inches(0.5), top, width=width)
            if pic.height > available:  # keep the chart on the slide
                ratio = available / pic.height
                pic.height, pic.width = int(available), int(pic.width * ratio)
        if has_table:
            frame, more = _table_rows(s.table)
            left = Inches(6.9) if s.chart is not None else Inches(0.5)
            width = Inches(5.9) if s.chart is not None else Inches(12.3)
            rows, cols = len(frame) + 1, len(frame.columns)
            shape = slide.shapes.add_table(rows, cols, left, top, width, min(available, Inches(0.38) * rows))
            table = shape.table
            for j, header in enumerate(frame.columns):
                table.cell(0, j).text = cell_text(header)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(i, j).text = cell_text(value)
            for i in range(rows):
                for j in range(cols):
                    for para in table.cell(i, j).text_frame.paragraphs:
                        para.font.size = Pt(13 if rows > 8 else 15)
            if more:
                text(slide, left, prs.slide_height - Inches(1.1), width, Inches(0.4),
                     [f"… och {more} rader till (se dashboarden)"], 12)
        footer = f"{s.source} · bild {number} av {len(slides)}"
        text(slide, Inches(0.5), prs.slide_height - Inches(0.6), Inches(12.3), Inches(0.4), [footer], 11,
             color=RGBColor(0x44, 0x4B, 0x55))
        if s.draft:
            text(slide, Inches(9.8), Inches(0.1), Inches(3.2), Inches(0.5), ["UTKAST – ej fastställd"], 16,
                 bold=True, color=RGBColor(0x8A, 0x11, 0x11))
    prs.save(path)


# --- PDF --------------------------------------------------------------------------------------

_FONT = None


def _font() -> tuple[str, str]:
    """A TrueType font with Swedish letters, − and the status symbols (DejaVu), else reportlab's Vera."""
    global _FONT
    if _FONT:
        return _FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    import reportlab

    candidates = [
        (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
        (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
    ]
    for regular, bold in candidates:
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("Dash", str(regular)))
            pdfmetrics.registerFont(TTFont("Dash-Bold", str(bold)))
            _FONT = ("Dash", "Dash-Bold")
            return _FONT
    _FONT = ("Helvetica", "Helvetica-Bold")
    return _FONT


def to_pdf(slides: list[Slide], path: Path | io.BytesIO) -> None:
    """The slides as a landscape A4 PDF; a layout reportlab cannot make is an ExportError."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        _to_pdf(slides, path)
    except LayoutError:
        log.exception("PDF-layouten misslyckades")
        raise ExportError("PDF-filen kunde inte ställas upp: en text eller tabell är för stor för en sida. "
                          "Välj färre bilder eller exportera till PowerPoint.") from None


def _to_pdf(slides: list[Slide], path: Path | io.BytesIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape as xml_escape

    def escape(text, limit: int = 600) -> str:
        """reportlab parses paragraph markup: data is escaped, printable, and cut to a length
        that fits a page (a longer paragraph is a LayoutError)."""
        text = printable(text)
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return xml_escape(text)

    regular, bold = _font()
    ink = colors.HexColor("#1d232b")
    title_style = ParagraphStyle("t", fontName=bold, fontSize=24, leading=29, textColor=ink)
    sub_style = ParagraphStyle("s", fontName=regular, fontSize=12, leading=15, textColor=colors.HexColor("#444b55"))
    body = ParagraphStyle("b", fontName=regular, fontSize=13, leading=17, textColor=ink)
    cell = ParagraphStyle("c", fontName=regular, fontSize=9.5, leading=12, textColor=ink)
    head = ParagraphStyle("h", fontName=bold, fontSize=9.5, leading=12, textColor=ink)
    page_w, page_h = landscape(A4)
    footers: list[tuple[str, bool]] = []

    def on_page(canvas, doc):
        source, draft = footers[doc.page - 1] if doc.page - 1 < len(footers) else ("", False)
        canvas.setFont(regular, 8.5)
        canvas.setFillColor(colors.HexColor("#444b55"))
        canvas.drawString(1.5 * cm, 0.9 * cm, printable(f"{source} · sida {doc.page}"))
        if draft:
            canvas.setFont(bold, 13)
            canvas.setFillColor(colors.HexColor("#8a1111"))
            canvas.drawRightString(page_w - 1.5 * cm, page_h - 1.1 * cm, "UTKAST – ej fastställd")

    story = []
    usable_w = page_w - 3 * cm
    pngs = chart_pngs(slides)
    for index, s in enumerate(slides):
        footers.append((s.source, s.draft))
        story += [Paragraph(escape(s.title), title_style), Spacer(1, 4), Paragraph(escape(s.subtitle), sub_style),
                  Spacer(1, 10)]
        for b in s.bullets:
            story.append(Paragraph("• " + escape(b), body))
        if s.bullets:
            story.append(Spacer(1, 8))
        flow = []
        has_table = s.table is not None and len(s.table)
        if s.chart is not None:
            png = pngs[index]
            from reportlab.lib.utils import ImageReader

            px_w, px_h = ImageReader(io.BytesIO(png)).getSize()
            max_w = usable_w * 0.9
            max_h = page_h * (0.42 if has_table else 0.55)
            ratio = min(max_w / px_w, max_h / px_h)
            flow.append(Image(io.BytesIO(png), width=px_w * ratio, height=px_h * ratio))
        if has_table:
            frame, more = _table_rows(s.table)
            data = [[Paragraph(escape(cell_text(h)), head) for h in frame.columns]]
            data += [[Paragraph(escape(cell_text(v)), cell) for v in row]
                     for row in frame.itertuples(index=False)]
            width = usable_w
            table = Table(data, colWidths=[width / len(frame.columns)] * len(frame.columns), repeatRows=1)
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#aab2bd")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            flow.append(table)
            if more:
                flow.append(Paragraph(escape(f"… och {more} rader till (se dashboarden)"), cell))
        story += flow  # chart above, table below: wide tables need the whole page width
        if index < len(slides) - 1:
            story.append(PageBreak())
    doc = SimpleDocTemplate(path if not isinstance(path, Path) else str(path), pagesize=landscape(A4),
                            leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.4 * cm, bottomMargin=1.6 * cm,
                            title=slides[0].title if slides else "Uppföljning", lang="sv")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
