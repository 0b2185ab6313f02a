"""Internkontroll: risk matrix (sannolikhet × konsekvens) and the control steps with status and comment."""

import streamlit as st

from dashboard import charts
from dashboard import status as stt
from dashboard import views
from dashboard.data import q
from dashboard.textsafe import md
from dashboard.ui import show_chart, context, status_badge, status_strip, text_block, stop_page
from dashboard.ui.tables import data_table

ctx = context()
st.title(ctx.title("Internkontroll"))
st.caption(f"{ctx.choice_line()} · risker och kontrollmoment")

risks = q("risks", ctx.round_id)
steps = q("control_steps", ctx.round_id)
if risks.empty and steps.empty:
    st.info("Tillfället redovisar ingen internkontroll.")
    stop_page()

if len(risks):
    numbered = views.numbered_risks(risks)
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown("#### Riskmatris")
        show_chart(lambda: charts.risk_matrix(numbered), cache_key=("risk_matrix", ctx.round_id), width="content")
        st.caption("Riskvärde = sannolikhet × konsekvens. Streckad ram = kritisk zon (riskvärde 12 eller mer). "
                   "Siffran i rutan är riskens nummer i tabellen.")
    with right:
        st.markdown("#### Riskernas beskrivning")
        for r in numbered.itertuples():
            if isinstance(r.description, str) and r.description:
                with st.expander(f"{r.number}\\. {md(r.name)}"):
                    st.markdown(text_block(r.description))
    st.markdown("#### Risker, högst riskvärde först")
    data_table(views.risk_display(numbered, numbered=True), answer=["Riskvärde"], key="ik_risks")
else:
    st.info("Rapporten anger inga riskvärden för detta tillfälle.")

if len(steps):
    st.markdown("#### Kontrollmoment")
    status_strip("Status", steps["status"], stt.activity_info, stt.ACTIVITY_SCALE, steps["status_word"])
    for s in steps.itertuples():
        info = stt.activity_info(s.status if isinstance(s.status, str) else None)
        risk = f" · risk: {md(s.risk_name)}" if isinstance(s.risk_name, str) else ""
        st.markdown(f"{status_badge(info, s.status_word)} &nbsp; **{md(s.name)}**{risk}", unsafe_allow_html=True)
        body = views.activity_text(s)
        if body:
            with st.expander("Resultat och kommentar" + (f" ({md(s.comment_date)})" if s.comment_date else "")):
                st.markdown(text_block(body))
