"""Översikt: the weekly look – economy, change since last round, worst deviations, goals, events."""

import streamlit as st

from dashboard import economy as ec
from dashboard import formatting as fmt
from dashboard import status as stt
from dashboard import targets as tg
from dashboard import accuracy_view, rounds, views
from dashboard.data import economy_table, indicator_status, keyed, q
from dashboard.textsafe import md
from dashboard.ui import COMPUTED_NOTE, PAGES, context, metric, namnd_follow_up_links, status_badge, text_block, unit_link
from dashboard.ui.tables import data_table

ctx = context()
st.title(ctx.title("Översikt"))
st.caption(ctx.choice_line())

table = economy_table(ctx.namnd_id, ctx.round_id, ctx.prev_round_id)
scope_ids = ctx.scope_unit_ids()
# The scope's totals and worst lines depend only on the round pair and the scope: once per data
# version (data.keyed), not on every click.
view_key = ("oversikt", ctx.namnd_id, ctx.round_id, ctx.prev_round_id, ctx.scope)
total = keyed((*view_key, "total"), lambda: ec.scope_total(table, ctx.units, ctx.scope) if len(table) else {})
words = rounds.vocabulary(ctx.round)  # a Bokslut speaks of its outcome, never of a forecast
summary = views.economy_summary(total, ctx.amount_unit, ctx.decimals, ctx.prev_round, ctx.round)

st.subheader(md(summary["headline"]))
c1, c2, c3 = st.columns(3)
metric(c1, summary["deviation_label"], summary["deviation"], summary["deviation_share"],
       total.get(words.deviation_field), help=summary["deviation_help"])
if summary["show_period"]:
    metric(c2, "Periodresultat (avvikelse mot periodbudget)", summary["period"], summary["period_share"],
           total.get("deviation_period"))
else:  # a Bokslut's period is the year: its result is shown once, beside the year's net cost
    metric(c2, summary["net_label"], summary["net"], f"budget {summary['budget']}")
metric(c3, md(summary["change_label"]), summary["change"], summary["change_word"], total.get("forecast_change"))
if summary["any_computed"]:
    st.caption(COMPUTED_NOTE if summary["show_period"] else "\\" + words.computed_note)
accuracy_view.overview_row(ctx)
namnd_follow_up_links(ctx)

left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(f"#### {words.largest_heading}")
    worst = keyed((*view_key, "worst"), lambda: ec.largest_deviations(table, scope_ids, field=words.deviation_field))
    if worst.empty:
        st.info(words.deviation_none)
    for row in worst.itertuples():
        value = getattr(row, words.deviation_field)
        text = fmt.amount(value, ctx.amount_unit, ctx.decimals, signed=True)
        word = fmt.deviation_word(value)
        icon = ":material/trending_down:" if value < 0 else ":material/trending_up:"
        unit_link(ctx, row.key, f"{views.unit_label(row)} · {text} {word}", icon=icon)

    st.markdown("#### Indikatorer som inte når målvärdet")
    status = indicator_status(ctx.round_id, scope_ids if ctx.scope else None)
    misses = status[(status["status"] == tg.MISSES.code) & (status["gender"] == "T")] if len(status) else status
    if len(status) == 0:
        st.info("Tillfället har inga indikatorer.")
    elif misses.empty:
        st.success("Alla bedömda indikatorer når sina målvärden.", icon=":material/check_circle:")
    else:
        data_table(views.indicator_miss_table(misses.head(10)), answer=["Värde", "Målvärde"], budget=440,
                   key="ov_misses")
        for key, name in misses[["unit_key", "unit_name"]].drop_duplicates().itertuples(index=False):
            unit_link(ctx, key, f"Indikatorerna för {name}", icon=":material/monitoring:")
        if len(misses) > 10:
            st.caption(f"… och {len(misses) - 10} till. Uppdelning på kön visas per verksamhet.")

with right:
    st.markdown("#### Mål")
    goals_all = q("goal_assessments", ctx.round_id)
    acts_all = q("activities", ctx.round_id)
    goals_scoped, acts_scoped = views.goals_in_scope(goals_all, acts_all, set(scope_ids) if ctx.scope else None, ctx.scope) \
        if len(goals_all) else (goals_all, acts_all)
    nm = goals_scoped[goals_scoped["level"] == "nämndmål"] if len(goals_scoped) else goals_scoped
    if nm.empty:
        st.info("Tillfället redovisar inga nämndmål.")
    else:
        badges = [f"{status_badge(info, word, large=True)} **{n}**"  # worst first, the report's words
                  for info, word, n in stt.tally(list(nm["status"]), list(nm["status_word"]), stt.goal_info)]
        st.markdown("  \n".join(badges), unsafe_allow_html=True)
        # name the goals off track, worst first (issue 13): a count alone sends the reader to Mål
        off = [g for g in nm.itertuples() if stt.goal_info(g.status if isinstance(g.status, str) else None).tone in ("bad", "warn")]
        off.sort(key=lambda g: stt.goal_info(g.status).rank)
        if off:
            st.markdown(f"**Inte på rätt spår ({len(off)}):**  \n" + "  \n".join(
                f"{stt.goal_info(g.status).symbol} {md(g.name)}" for g in off))
        st.page_link(PAGES["mal"], label="Till målen med bedömning och kommentarer", icon=":material/flag:",
                     query_params=ctx.link("mal"))
    if len(acts_scoped):
        st.markdown("#### Aktiviteter och uppdrag")
        for kind, group in acts_scoped.groupby("kind", sort=False):
            parts = [f"{status_badge(info, word)} {n}"
                     for info, word, n in stt.tally(list(group["status"]), list(group["status_word"]), stt.activity_info)]
            st.markdown(f"**{md(kind.capitalize())}:** " + " ".join(parts), unsafe_allow_html=True)
        st.page_link(PAGES["uppdrag"], label="Till uppdragen", icon=":material/assignment:", query_params=ctx.link("uppdrag"))

    events = q("events", ctx.round_id)
    events = events[events["kind"] == "viktig händelse"] if len(events) else events
    if ctx.scope and len(events):  # events of the förvaltning, and those of the nämnd as a whole
        events = events[events["unit_id"].isna() | events["unit_id"].isin(scope_ids)]
    st.markdown(f"#### Viktiga händelser ({len(events)})" if len(events) else "#### Viktiga händelser")
    if events.empty:
        st.info("Inga händelser redovisade för tillfället.")
    # Never cut silently (issue 13): up to EVENTS_SHOWN each in its own expander, the rest one click
    # away under "Fler händelser" (expanders cannot nest, so there as headings with their text).
    EVENTS_SHOWN = 5
    for row in events.head(EVENTS_SHOWN).itertuples():
        with st.expander(md(row.heading)):
            st.markdown(text_block(row.body))
            if row.unit_key:
                unit_link(ctx, row.unit_key, f"Till {row.unit_name}", icon=":material/arrow_forward:")
    if len(events) > EVENTS_SHOWN:
        more = events.iloc[EVENTS_SHOWN:]
        st.caption(f"Visar {EVENTS_SHOWN} av {len(events)} händelser.")
        with st.expander(f"Fler händelser ({len(more)})"):
            for row in more.itertuples():
                st.markdown(f"**{md(row.heading)}**")
                st.markdown(text_block(row.body))
                if row.unit_key:
                    unit_link(ctx, row.unit_key, f"Till {row.unit_name}", icon=":material/arrow_forward:")

st.page_link(PAGES["ekonomi"], label="Hela ekonomin per verksamhet", icon=":material/payments:", query_params=ctx.link("ekonomi"))
