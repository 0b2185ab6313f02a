"""Slides to PowerPoint (python-pptx) and PDF (reportlab), charts as PNG via vl-convert (no browser).

Every slide carries the scope and round in its subtitle, the data source in its footer and, for a
draft round, an UTKAST banner. Long tables are cut with a line saying how many rows were left out;
long text wraps.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from . import charts
from .slides import Slide

MAX_TABLE_ROWS = 12


def chart_png(chart, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    spec = chart.to_dict()
    if spec.get("width") == "container":  # no container outside the browser: a fixed width
        chart = chart.properties(width=760)
    return vlc.vegalite_to_png(charts.finish(chart, font_size=16).to_json(), scale=scale)


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
            para.text = line
            para.font.size = Pt(size)
            para.font.bold = bold
            para.font.color.rgb = color
        return box

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
            png = chart_png(s.chart)
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
                table.cell(0, j).text = str(header)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(i, j).text = "" if value is None else str(value)
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
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

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
        canvas.drawString(1.5 * cm, 0.9 * cm, f"{source} · sida {doc.page}")
        if draft:
            canvas.setFont(bold, 13)
            canvas.setFillColor(colors.HexColor("#8a1111"))
            canvas.drawRightString(page_w - 1.5 * cm, page_h - 1.1 * cm, "UTKAST – ej fastställd")

    story = []
    usable_w = page_w - 3 * cm
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
            png = chart_png(s.chart)
            from reportlab.lib.utils import ImageReader

            px_w, px_h = ImageReader(io.BytesIO(png)).getSize()
            max_w = usable_w * 0.9
            max_h = page_h * (0.42 if has_table else 0.55)
            ratio = min(max_w / px_w, max_h / px_h)
            flow.append(Image(io.BytesIO(png), width=px_w * ratio, height=px_h * ratio))
        if has_table:
            frame, more = _table_rows(s.table)
            data = [[Paragraph(escape(str(h)), head) for h in frame.columns]]
            data += [[Paragraph(escape("" if v is None else str(v)), cell) for v in row]
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
