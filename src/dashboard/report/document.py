"""The report as an editable Word document (python-docx): real heading styles, a table of
contents field, tables with a table style and right-aligned Swedish numbers, charts as images,
drafted sentences in the character style «Utkast – granska» with a Word comment each, and the
controller's own comments in the paragraph style «Kommentar ur uppföljningen».

A municipality's template (`.docx`, or `.dotx` after its content type is changed) gives the
styles, page setup, header, footer and logo; its body text is replaced by the report. Styles the
template lacks are added, so a template that defines them decides how they look.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401  (kept for templates in landscape)
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .content import Chart, DraftedParagraph, Heading, Report, Table, Text

DRAFT_STYLE = "Utkast – granska"
QUOTE_STYLE = "Kommentar ur uppföljningen"
NOTE_STYLE = "Tabellnot"
TABLE_STYLE = "Table Grid"
FALLBACK_TABLE_STYLE = "Rapporttabell"
DRAFT_HEADER = "UTKAST – ej fastställd av nämnden"
AUTHOR = "Ledningsdashboard"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DARK_RED = RGBColor(0x8A, 0x11, 0x11)


class TemplateError(ValueError):
    """The template cannot be used; the message is Swedish and says why."""


def _clean(text: str) -> str:
    """Text Word can hold: control characters from an import would make the XML invalid."""
    return _XML_INVALID.sub("", str(text))


# --- template -------------------------------------------------------------------------------------

def open_template(path: Path | None):
    """A Document from the municipality's template, its body emptied; python-docx's default without one.

    python-docx refuses a .dotx (its main part has the template content type): the package is
    rewritten in memory with the document content type, which is the only difference Word makes.
    """
    if path is None:
        return Document(), False
    path = Path(path)
    if path.suffix.lower() in (".dotm", ".docm"):
        raise TemplateError(f"Mallen {path.name} innehåller makron; spara den som .dotx eller .docx.")
    try:
        data = path.read_bytes()
        source = zipfile.ZipFile(io.BytesIO(data))
        types = source.read("[Content_Types].xml").decode("utf-8")
    except FileNotFoundError:
        raise TemplateError(f"Mallen {path} finns inte.") from None
    except (zipfile.BadZipFile, KeyError):
        raise TemplateError(f"{path.name} är ingen Word-mall (.docx eller .dotx).") from None
    if TEMPLATE_MAIN in types:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = types.replace(TEMPLATE_MAIN, DOCUMENT_MAIN).encode("utf-8")
                target.writestr(item, content)
        data = out.getvalue()
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a package it cannot read
        raise TemplateError(f"{path.name} kan inte öppnas som Word-mall: {exc}") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page setup and its header/footer references
            body.remove(child)
    return doc, True


def _style(doc, name: str, kind, base: str | None = "Normal"):
    try:
        return doc.styles[name], False
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base and kind != WD_STYLE_TYPE.CHARACTER:
            try:
                style.base_style = doc.styles[base]
            except KeyError:
                pass
        return style, True


def _ensure_styles(doc) -> str:
    """Add the styles the report uses where the template lacks them; returns the table style."""
    for level, size in ((1, 16), (2, 13), (3, 11.5)):
        style, new = _style(doc, f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
        if new:  # a template without heading styles: give them an outline level so the TOC sees them
            style.font.bold, style.font.size = True, Pt(size)
            style.paragraph_format.space_before, style.paragraph_format.keep_with_next = Pt(12), True
            ppr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            ppr.append(outline)
    for name, size, bold in (("Title", 24, True), ("Subtitle", 13, False), ("Caption", 9, False),
                             ("TOC Heading", 14, True)):
        style, new = _style(doc, name, WD_STYLE_TYPE.PARAGRAPH)
        if new:
            style.font.size, style.font.bold = Pt(size), bold
    for level in (1, 2):
        style, new = _style(doc, f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        if new:
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
    note, new = _style(doc, NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    if new:  # notes under a table (I.U. reasons, * computed): small and quiet, not a caption
        note.font.size, note.font.color.rgb = Pt(8.5), RGBColor(0x44, 0x4B, 0x55)
        note.paragraph_format.space_after = Pt(2)
    quote, new = _style(doc, QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    if new:  # the controller's own words: indented with a grey rule, so they read as quoted
        quote.paragraph_format.left_indent = Cm(0.5)
        quote.paragraph_format.space_after = Pt(6)
        ppr = quote.element.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "8A94A3")):
            left.set(qn(k), v)
        borders.append(left)
        ppr.append(borders)
    draft, new = _style(doc, DRAFT_STYLE, WD_STYLE_TYPE.CHARACTER, base=None)
    if new:  # drafted from the figures: highlighted until the controller has reviewed it
        draft.font.highlight_color = WD_COLOR_INDEX.YELLOW
        shading = OxmlElement("w:shd")  # LibreOffice shows character shading where it ignores highlight
        for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "FFF2A8")):
            shading.set(qn(k), v)
        draft.element.get_or_add_rPr().append(shading)
    try:
        doc.styles[TABLE_STYLE]
        return TABLE_STYLE
    except KeyError:
        pass
    table, new = _style(doc, FALLBACK_TABLE_STYLE, WD_STYLE_TYPE.TABLE, base=None)
    if new:
        tblpr = table.element.find(qn("w:tblPr"))
        if tblpr is None:
            tblpr = OxmlElement("w:tblPr")
            table.element.append(tblpr)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "8A94A3")):
                el.set(qn(k), v)
            borders.append(el)
        tblpr.append(borders)
    return FALLBACK_TABLE_STYLE


# --- fields, header, comments ---------------------------------------------------------------------

def _field_run(paragraph, kind: str, instruction: str | None = None, dirty: bool = False):
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run._r.append(char)
    if instruction:
        instr = paragraph.add_run()._r
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = instruction
        instr.append(text)
    return run


def _simple_field(paragraph, instruction: str, shown: str) -> None:
    _field_run(paragraph, "begin", f" {instruction} ")
    _field_run(paragraph, "separate")
    paragraph.add_run(shown)
    _field_run(paragraph, "end")


def _toc(doc, headings: list[Heading]) -> None:
    """A TOC field over Heading 1–3, marked dirty so Word fills in page numbers when the document is
    opened; its result is prefilled with the headings so the contents read before any update."""
    # prefilled with the main headings only; Word's update lists Heading 1–3 with page numbers
    entries = [h for h in headings if h.level == 1] or [Heading("Innehåll", 1)]
    first = doc.add_paragraph(style="TOC 1" if entries[0].level == 1 else "TOC 2")
    _field_run(first, "begin", ' TOC \\o "1-3" \\h \\z \\u ', dirty=True)
    _field_run(first, "separate")
    first.add_run(_clean(entries[0].text))
    last = first
    for h in entries[1:]:
        last = doc.add_paragraph(_clean(h.text), style=f"TOC {h.level}")
    _field_run(last, "end")
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def _headers(doc, report: Report, from_template: bool) -> None:
    for section in doc.sections:
        parts = [section.header]
        if section.different_first_page_header_footer:
            parts.append(section.first_page_header)
        if doc.settings.odd_and_even_pages_header_footer:
            parts.append(section.even_page_header)
        for header in parts:
            own = not from_template or header.is_linked_to_previous
            if own:  # no header of the template's own: ours
                header.is_linked_to_previous = False
                para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                para.text = _clean(report.header)
                para.runs[0].font.size = Pt(9)
            if report.draft:
                para = header.add_paragraph()
                run = para.add_run(DRAFT_HEADER)
                run.bold, run.font.color.rgb = True, DARK_RED
        if not from_template or section.footer.is_linked_to_previous:
            footer = section.footer
            footer.is_linked_to_previous = False
            para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para.add_run("Sida ")
            _simple_field(para, "PAGE", "1")
            para.add_run(" av ")
            _simple_field(para, "NUMPAGES", "1")
            for run in para.runs:
                run.font.size = Pt(9)


# --- blocks ---------------------------------------------------------------------------------------

def _text_lines(paragraph, text: str, style: str | None = None, **font) -> None:
    """Text with its line breaks kept (imported comments carry single line breaks)."""
    for i, line in enumerate(_clean(text).split("\n")):
        run = paragraph.add_run(line, style=style)
        for k, v in font.items():
            setattr(run, k, v) if k in ("bold", "italic") else setattr(run.font, k, v)
        if i < len(text.split("\n")) - 1:
            run.add_break(WD_BREAK.LINE)


def _table(doc, block: Table, style: str, usable: int) -> None:
    if block.caption:
        doc.add_paragraph(_clean(block.caption), style="Caption").paragraph_format.keep_with_next = True
    cols = len(block.header)
    table = doc.add_table(rows=1 + len(block.rows), cols=cols)
    table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # our widths, not the content's: LibreOffice and Word both honour the grid
    weights = block.widths or ([2.6] + [1.0] * (cols - 1))
    widths = [int(usable * w / sum(weights)) for w in weights]
    for j, column in enumerate(table.columns):
        column.width = widths[j]
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins: a number never breaks inside its column
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    size = Pt(8 if cols > 7 else 8.5 if cols > 5 else 9.5)
    head_row = table.rows[0]
    trpr = head_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header repeats on every page the table runs onto
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for i, row_cells in enumerate([block.header] + block.rows):
        row = table.rows[i]
        for j, value in enumerate(row_cells):
            cell = row.cells[j]
            cell.width = widths[j]
            para = cell.paragraphs[0]
            if j in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if j == 0 and i > 0 and block.indent:
                para.paragraph_format.left_indent = Cm(0.35 * block.indent[i - 1])
            _text_lines(para, value if value is not None else "", size=Pt(8) if i == 0 and cols > 6 else size,
                        bold=(i == 0 or (i - 1) in block.bold_rows))
    for note in block.notes:
        doc.add_paragraph(_clean(note), style=NOTE_STYLE)


def _render_all(charts: list, render: Callable | None) -> tuple[list[bytes | None], str]:
    """Every chart of the report in one renderer process (export.render_png: a crash there is an
    ExportError, not a dead server). A chart that cannot be drawn costs its picture, not the document."""
    if not charts:
        return [], ""
    try:
        if render is not None:
            return [render(c) for c in charts], ""
        from ..export import chart_spec, render_png

        return list(render_png([chart_spec(c) for c in charts])), ""
    except Exception as exc:  # ExportError, or anything a renderer raises
        return [None] * len(charts), str(exc)


def _chart(doc, block: Chart, png: bytes | None, failure: str, usable: int) -> None:
    if not png:
        doc.add_paragraph(f"Diagrammet kunde inte ritas ({_clean(failure or 'ingen bild')[:200]}). {_clean(block.alt_text)}")
        return
    from docx.shared import Emu

    doc.add_picture(io.BytesIO(png), width=Emu(min(usable, Cm(block.width_cm))))
    picture = doc.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    for doc_pr in picture._p.iter(qn("wp:docPr")):  # alternative text for screen readers
        doc_pr.set("descr", _clean(block.alt_text)[:1500])
    doc.add_paragraph(_clean(block.caption), style="Caption")


def _drafted(doc, block: DraftedParagraph) -> None:
    para = doc.add_paragraph()
    for i, sentence in enumerate(block.sentences):
        if i:
            para.add_run(" ")
        run = para.add_run(_clean(sentence.text), style=DRAFT_STYLE)
        doc.add_comment(run, text=_clean(sentence.note()), author=AUTHOR, initials="LD")


def write(report: Report, out: Path | io.BytesIO, template: Path | None = None,
          render_chart: Callable | None = None) -> None:
    """Write the report as .docx to a path or buffer. `render_chart(chart) -> PNG bytes` replaces
    the exports' chart renderer (vl-convert in a worker process, no browser), e.g. in tests."""
    doc, from_template = open_template(template)
    chart_blocks = [blk for blk in report.blocks if isinstance(blk, Chart)]
    pngs, failure = _render_all([blk.chart for blk in chart_blocks], render_chart)
    picture = {id(blk): png for blk, png in zip(chart_blocks, pngs, strict=True)}
    table_style = _ensure_styles(doc)
    section = doc.sections[0]
    if not from_template:  # python-docx's default is US Letter; Swedish reports are A4
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    usable = section.page_width - section.left_margin - section.right_margin
    props = doc.core_properties
    props.title, props.subject, props.author = _clean(report.title), _clean(report.subtitle), AUTHOR
    props.language, props.keywords = "sv-SE", "rapportutkast" + (", utkast" if report.draft else "")
    if not from_template:
        _swedish(doc)
    _headers(doc, report, from_template)

    doc.add_paragraph(_clean(report.title), style="Title")
    doc.add_paragraph(_clean(report.subtitle), style="Subtitle")
    if report.draft:
        run = doc.add_paragraph().add_run(DRAFT_HEADER)
        run.bold, run.font.color.rgb = True, DARK_RED
    doc.add_paragraph(_clean(report.source), style="Caption")
    doc.add_paragraph("Innehåll", style="TOC Heading")
    _toc(doc, [b for b in report.blocks if isinstance(b, Heading)])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(_clean(block.text), style=f"Heading {block.level}")
        elif isinstance(block, DraftedParagraph):
            _drafted(doc, block)
        elif isinstance(block, Table):
            _table(doc, block, table_style, usable)
        elif isinstance(block, Chart):
            _chart(doc, block, picture[id(block)], failure, usable)
        elif isinstance(block, Text):
            if block.kind == "quote":
                _text_lines(doc.add_paragraph(style=QUOTE_STYLE), block.text)
            elif block.kind == "caption":
                doc.add_paragraph(_clean(block.text), style="Caption")
            elif block.kind == "label":
                para = doc.add_paragraph()
                para.paragraph_format.keep_with_next = True
                para.add_run(_clean(block.text)).bold = True
            elif block.kind == "empty":
                doc.add_paragraph().add_run(_clean(block.text)).italic = True
            else:
                _text_lines(doc.add_paragraph(), block.text)
    doc.save(out if isinstance(out, io.BytesIO) else str(out))


def _swedish(doc) -> None:
    """Swedish proofing language for python-docx's default template (a municipality's template keeps its own)."""
    rpr = doc.styles.element.find(qn("w:docDefaults"))
    rpr = rpr.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr is not None and rpr.find(qn("w:rPrDefault")) is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "sv-SE")


def to_bytes(report: Report, template: Path | None = None, render_chart: Callable | None = None) -> bytes:
    buffer = io.BytesIO()
    write(report, buffer, template, render_chart)
    return buffer.getvalue()
