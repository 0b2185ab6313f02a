"""Indikatorer: nämndindikatorer per målområde and nämndmål, trends against targets, or as a table."""

import streamlit as st

from dashboard import targets as tg
from dashboard import views
from dashboard.data import q
from dashboard.ui import context, indicator_cards

ctx = context()
st.title(ctx.title("Indikatorer"))
st.caption(f"{ctx.round_label} · nämndindikatorer mot målvärden")

indicators = q("indicators", ctx.namnd_id)
values = q("indicator_values", ctx.round_id)
if values.empty:
    st.info("Tillfället redovisar inga indikatorer. Välj ett annat uppföljningstillfälle i sidofältet.")
    st.stop()
targets = q("indicator_targets", ctx.round_id)
values, targets = views.indicator_scope(values, targets, ctx.scope_unit_ids() if ctx.scope else None)
status = tg.latest_status(indicators, values, targets)
goals = q("goal_assessments", ctx.round_id, ctx.namnd_id)

kind = indicators[indicators["kind"] == "nämndindikator"]
areas = goals[goals["level"] == "målområde"]
c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
area = c1.selectbox("Målområde", [None, *areas["goal_id"]], key="ind_area",
                    format_func=lambda g: "Alla målområden" if g is None else areas.set_index("goal_id").loc[g, "name"])
status_pick = c2.multiselect("Status mot målvärde", list(tg.STATUSES), key="ind_status",
                             format_func=lambda c: f"{tg.STATUSES[c].symbol} {tg.STATUSES[c].label}")
split = c3.segmented_control("Kön", ["Totalt", "Kvinnor och män", "Alla"], default="Totalt", key="ind_gender",
                             required=True)
mode = c4.segmented_control("Visa", ["Diagram", "Tabell"], default="Diagram", key="ind_mode", required=True)
genders = {"Totalt": {"T"}, "Kvinnor och män": {"K", "M"}, "Alla": {"T", "K", "M"}}[split or "Totalt"]

groups = views.indicators_by_goal(kind, goals, area, status, status_pick)
if not groups:
    st.info("Inga indikatorer matchar urvalet.")
for area_name, goal_name, goal_status, members in groups:
    st.subheader(goal_name or "Utan nämndmål")
    st.caption(" · ".join(x for x in (area_name, goal_status) if x))
    if mode == "Tabell":
        mine = values[values["indicator_id"].isin(members["indicator_id"]) & values["gender"].isin(genders)]
        st.dataframe(views.indicator_wide(indicators, mine, status), hide_index=True, width="stretch")
    else:
        indicator_cards(members, values, targets, status, genders)
st.caption("I.U. = inget underlag: saknat värde, aldrig noll; skälet står i noten. Ackumulerande mått "
           "(t.ex. antal avslutade till arbete) bedöms först vid helår. Streckad linje = målvärde.")
