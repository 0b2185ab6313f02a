"""Bildspel: the meeting's sequence of views, stepped with Nästa/Föregående, and its export."""

import datetime as dt
from dataclasses import replace

import streamlit as st

from dashboard import accuracy_view, rounds
from dashboard import slides as sl
from dashboard import viewstate as vs
from dashboard.data import economy_table, indicator_misses, indicator_status, keyed, q
from dashboard.export import ExportError, to_pdf, to_pptx
from dashboard.report import TemplateError
from dashboard.report import build as build_report
from dashboard.report import to_bytes as report_bytes
from dashboard.textsafe import md
from dashboard.ui import PROJECTOR_KEY, access, context, projector
from dashboard.ui import navigation as nav
from dashboard.ui import slideshow

ctx = context()
bs = nav.view().bildspel  # the sequence and the current slide are in the view (bilder=…, bild=N)

if not projector():
    st.title(ctx.title("Bildspel"))
    changed, value = nav.widget("bs_kinds", list(bs.bilder), norm=tuple)
    if changed:
        bs = nav.update_page(bildspel=replace(bs, bilder=tuple(value) or vs.SLIDE_KINDS)).bildspel
    st.multiselect("Bilder i bildspelet (i ordning)", list(sl.SLIDE_KINDS), format_func=sl.SLIDE_KINDS.get,
                   key="bs_kinds", placeholder="Välj minst en bild")
kinds = list(bs.bilder)
# The deck depends on the nämnd, round, chosen slides, scope, date and visible rounds: built once
# per data version for that key (data.keyed). The default sequence leaves out what the round does
# not report (named on the title slide).
deck_key = ("bildspel", ctx.kommun_code, ctx.namnd_code, ctx.period_end, tuple(kinds), ctx.scope, dt.date.today(),
            tuple(sorted(int(r) for r in ctx.rounds["round_id"])))
deck = keyed(deck_key, lambda: sl.build(q, ctx.kommun_code, ctx.namnd_code, ctx.period_end,
                                        None if kinds == list(sl.DEFAULT_SEQUENCE) else kinds, scope=ctx.scope,
                                        exported=dt.date.today(), visible_round_ids=set(ctx.rounds["round_id"]),
                                        # prognossäkerhet from the stored trees' compared
                                        # columns, as on Ekonomi (one query for the year)
                                        economy=(accuracy_view.economy_for(ctx) if rounds.is_outcome(ctx.round)
                                                 else lambda r: economy_table(ctx.namnd_id, int(r["round_id"]), None)),
                                        # the same trees and statuses the other pages use (stored
                                        # or cached per data version), not rebuilt for the deck
                                        pair_economy=lambda r, p: economy_table(
                                            ctx.namnd_id, int(r["round_id"]), int(p["round_id"]) if p else None),
                                        indicator_status=indicator_status, indicator_misses=indicator_misses))
# The screen pages come from the same layout as the PowerPoint and the PDF: a long table continues
# on a numbered follow-on slide ("Mål 2/3"), and bild=N counts those pages.
# Every page is counted (the footer's "av M"), only the slide shown is laid out (per slide, cached).
screen = keyed((*deck_key, "screen"), lambda: slideshow.ScreenDeck(deck))
slides, total = screen.slides, screen.total
index = min(bs.bild, total) - 1
if index + 1 != bs.bild:  # a link's number beyond this deck (the deck changes with the data)
    st.warning(f"Bild {bs.bild} finns inte (bildspelet har {total} bilder); visar den sista.",
               icon=":material/warning:")
    bs = nav.update_page(bildspel=replace(bs, bild=index + 1)).bildspel


def step(delta: int) -> None:
    """Button callback (runs before the next run): the slide number is part of the view."""
    shown = nav.view().bildspel
    nav.update_page(bildspel=replace(shown, bild=min(max(shown.bild + delta, 1), total)))


def leave() -> None:
    st.session_state[PROJECTOR_KEY] = False


slide_index, slide_page = screen.locate(index)
page = keyed((*deck_key, "screen", slide_index), lambda: screen.slide_pages(slide_index))[slide_page]
with st.container(horizontal=True, vertical_alignment="center", gap="small", key="bs_controls"):
    st.button("◀ Föregående", on_click=step, args=(-1,), disabled=index == 0, key="bs_prev")
    st.button("Nästa ▶", on_click=step, args=(1,), disabled=index >= total - 1, key="bs_next")
    st.markdown(f"**Bild {index + 1} av {total}** · {sl.SLIDE_KINDS[slides[page.slide_index].kind]}")
    if projector():
        st.button("Avsluta bildspelet", icon=":material/close_fullscreen:", on_click=leave, key="bs_exit")
slideshow.keyboard()  # → ← Page Up/Down, as a presenter's clicker sends
if projector():  # full screen: the slide and its controls only, no app chrome
    st.html("<style>" + slideshow.PROJECTOR_CSS + "</style>")
slideshow.show_page(slides, page, slideshow.PROJECTOR_WIDTH if projector() else "100%", index + 1, total)

if not projector():
    st.markdown("#### Exportera till nämndens handlingar")
    stem = f"{ctx.kommun_code}_{ctx.namnd_code}_{ctx.period_end.isoformat()}"

    # Made on a click, then offered for download: a failed export says why in Swedish (a
    # download button's deferred data could only fail silently). Renderers run so that their
    # crash cannot stop the server (export.py).
    made_key = "bs_export"
    # The Word draft of the nämnd's report, from the same data; only for a round this user may see
    # (ctx.rounds holds the visible rounds: a draft the user may not see never reaches this page).
    omit_empty = st.checkbox("Utelämna avsnitt utan uppgifter i rapportutkastet", key="bs_report_omit",
                             help="Annars står det «Inte rapporterat.» under avsnittet.")

    def write_report(_deck, buffer) -> None:  # built on the click only: the page run stays cheap
        report = build_report(q, ctx.kommun_code, ctx.namnd_code, ctx.period_end, scope=ctx.scope,
                              visible_round_ids=set(ctx.rounds["round_id"]), omit_empty=omit_empty)
        buffer.write(report_bytes(report))

    d1, d2, d3, _ = st.columns([1, 1, 1.5, 1.5])
    wanted = None
    if d1.button("Skapa PowerPoint", key="bs_make_pptx", icon=":material/slideshow:"):
        wanted = ("pptx", to_pptx)
    if d2.button("Skapa PDF", key="bs_make_pdf", icon=":material/picture_as_pdf:"):
        wanted = ("pdf", to_pdf)
    if d3.button("Skapa rapportutkast (Word)", key="bs_make_docx", icon=":material/description:",
                 help="Redigerbart Word-dokument: rubriker, innehållsförteckning, tabeller och diagram. "
                      "Meningar skrivna ur talen är markerade «Utkast – granska»."):
        wanted = ("docx", write_report)
    if wanted:
        import io

        buffer = io.BytesIO()
        try:
            with st.spinner("Skapar filen …"):
                wanted[1](deck, buffer)
            st.session_state[made_key] = (wanted[0], stem, ",".join(kinds) + f"|{omit_empty}", buffer.getvalue())
        except (ExportError, TemplateError) as exc:
            st.session_state.pop(made_key, None)
            st.error(f"**Exporten misslyckades.** {exc}", icon=":material/error:")
    made = st.session_state.get(made_key)
    if made and made[1:3] == (stem, ",".join(kinds) + f"|{omit_empty}"):
        fmt_, _, _, payload = made
        mime = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[fmt_]
        label = {"pptx": "Ladda ned PowerPoint", "pdf": "Ladda ned PDF", "docx": "Ladda ned rapportutkast (Word)"}[fmt_]
        name = (f"rapportutkast_{stem}{'_' + ctx.scope if ctx.scope else ''}.docx" if fmt_ == "docx"
                else f"uppfoljning_{stem}.{fmt_}")
        st.download_button(label, payload, name, mime, key=f"bs_{fmt_}", type="primary",
                           icon=":material/download:", on_click="ignore")
    if access().can_import_anything:  # command lines only for those who can act on them (issue 13)
        with st.expander("För administratören"):
            st.markdown("Samma bilder från kommandoraden: `python -m dashboard export --kommun "
                        f"{ctx.kommun_code} --namnd {ctx.namnd_code} --tillfalle {ctx.period_end.isoformat()} "
                        f"--bilder {','.join(kinds)} --format pptx [--mall KOMMUNENS_MALL.potx] FIL.pptx` · "
                        "rapportutkastet: `python -m dashboard rapport "
                        f"--kommun {ctx.kommun_code} --namnd {ctx.namnd_code} --tillfalle {ctx.period_end.isoformat()} "
                        "[--mall KOMMUNENS_MALL.dotx] FIL.docx`")
