"""Bildspel: the meeting's sequence of views, stepped with Nästa/Föregående, and its export."""

import datetime as dt

import streamlit as st

from dashboard import slides as sl
from dashboard.data import q
from dashboard.export import to_pdf, to_pptx
from dashboard.textsafe import bullets, md
from dashboard.ui import context, projector, show_chart

ctx = context()
params = st.query_params

# The sequence and the current slide live in the URL (bilder=…, bild=N).
if "bs_kinds" not in st.session_state:
    wanted = [k for k in (params.get("bilder") or "").split(",") if k]
    valid = [k for k in wanted if k in sl.SLIDE_KINDS]
    if wanted and len(valid) != len(wanted):
        st.warning(f"Okända bilder i länken ignoreras: {md(', '.join(k for k in wanted if k not in sl.SLIDE_KINDS))}.")
    st.session_state["bs_kinds"] = valid or list(sl.DEFAULT_SEQUENCE)
if "bs_index" not in st.session_state:
    try:
        st.session_state["bs_index"] = max(int(params.get("bild") or 1), 1) - 1
    except ValueError:
        st.warning(f"«{md(params.get('bild'))}» är inget bildnummer; visar första bilden.")
        st.session_state["bs_index"] = 0

if not projector():
    st.title(ctx.title("Bildspel"))
    st.multiselect("Bilder i bildspelet (i ordning)", list(sl.SLIDE_KINDS), format_func=sl.SLIDE_KINDS.get,
                   key="bs_kinds", placeholder="Välj minst en bild")
kinds = st.session_state["bs_kinds"] or list(sl.DEFAULT_SEQUENCE)
deck = sl.build(q, ctx.kommun_code, ctx.namnd_code, ctx.period_end, kinds, scope=ctx.scope,
                exported=dt.date.today(), visible_round_ids=set(ctx.rounds["round_id"]))
index = min(st.session_state["bs_index"], len(deck) - 1)
st.session_state["bs_index"] = index


def step(delta: int) -> None:
    st.session_state["bs_index"] = min(max(st.session_state["bs_index"] + delta, 0), len(deck) - 1)


c1, c2, c3 = st.columns([1, 1, 4], vertical_alignment="center")
c1.button("◀ Föregående", on_click=step, args=(-1,), disabled=index == 0, key="bs_prev", width="stretch")
c2.button("Nästa ▶", on_click=step, args=(1,), disabled=index >= len(deck) - 1, key="bs_next", width="stretch")
c3.markdown(f"**Bild {index + 1} av {len(deck)}** · {sl.SLIDE_KINDS[deck[index].kind]}")
params["bilder"] = ",".join(kinds)
params["bild"] = str(index + 1)

slide = deck[index]
with st.container(border=True):
    if slide.draft:
        st.error("UTKAST – ej fastställd av nämnden")
    st.header(md(slide.title))
    st.caption(md(slide.subtitle))
    if slide.bullets:
        st.markdown(bullets(slide.bullets))
    if slide.chart is not None:
        show_chart(slide.chart, width="stretch" if slide.kind != "risker" else "content")
    if slide.table is not None and len(slide.table):
        st.dataframe(slide.table, hide_index=True, width="stretch")
    st.caption(md(slide.source))

if not projector():
    st.markdown("#### Exportera till nämndens handlingar")
    stem = f"{ctx.kommun_code}_{ctx.namnd_code}_{ctx.period_end.isoformat()}"

    def pptx_bytes() -> bytes:
        import io

        buffer = io.BytesIO()
        to_pptx(deck, buffer)
        return buffer.getvalue()

    def pdf_bytes() -> bytes:
        import io

        buffer = io.BytesIO()
        to_pdf(deck, buffer)
        return buffer.getvalue()

    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button("Ladda ned PowerPoint", pptx_bytes, f"uppfoljning_{stem}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="bs_pptx", icon=":material/slideshow:", on_click="ignore")
    d2.download_button("Ladda ned PDF", pdf_bytes, f"uppfoljning_{stem}.pdf", "application/pdf",
                       key="bs_pdf", icon=":material/picture_as_pdf:", on_click="ignore")
    st.caption("Samma bilder från kommandoraden: `python -m dashboard export --kommun "
               f"{ctx.kommun_code} --namnd {ctx.namnd_code} --tillfalle {ctx.period_end.isoformat()} "
               f"--bilder {','.join(kinds)} --format pptx FIL.pptx`")
