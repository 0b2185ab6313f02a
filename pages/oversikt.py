"""Översikt: the weekly look – economy, change since last round, worst deviations, goals, events."""

import streamlit as st

from dashboard import economy as ec
from dashboard import formatting as fmt
from dashboard import status as stt
from dashboard import targets as tg
from dashboard import accuracy_view, rounds, views
from dashboard.data import economy_table, indicator_misses, keyed, latest_indicator_status, q
from dashboard.textsafe import md
from dashboard.ui import COMPUTED_NOTE, context, metric, namnd_follow_up_links, page_link, status_badge, text_block, unit_link
from dashboard.ui.tables import cached_data_table

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

    def worst_lines() -> list[tuple[str, str, str]]:
        # (unit key, link text, icon) of the largest deviations: worked out once per data version
        # and round pair (the labels and amounts depend on nothing else), not by itertuples over
        # the wide economy table on every click
        lines = []
        for row in ec.largest_deviations(table, scope_ids, field=words.deviation_field).to_dict("records"):
            value = row[words.deviation_field]
            text = fmt.amount(value, ctx.amount_unit, ctx.decimals, signed=True)
            word = fmt.deviation_word(value)
            icon = ":material/trending_down:" if value < 0 else ":material/trending_up:"
            lines.append((row["key"], f"{views.unit_label(row)} · {text} {word}", icon))
        return lines

    worst = keyed((*view_key, "worst_lines", words.deviation_field), worst_lines)
    if not worst:
        st.info(words.deviation_none)
    for key, label, icon in worst:
        unit_link(ctx, key, label, icon=icon)

    st.markdown("#### Indikatorer som inte når målvärdet")

    def miss_summary() -> tuple[int, object, list[tuple[str, str]], int]:
        # (indicators, table of the first ten misses, (unit key, name) to link, misses): per data
        # version, round and scope – the filtering and the table are the same on every click
        # the whole nämnd: the count and the misses the import judged (data.indicator_misses)
        judged = None if ctx.scope else indicator_misses(ctx.round_id)
        if judged is not None:
            n_status, misses = sum(judged[0].values()), judged[1]
        else:
            status = latest_indicator_status(ctx.round_id, scope_ids if ctx.scope else None)
            n_status = len(status)
            misses = status[(status["status"] == tg.MISSES.code) & (status["gender"] == "T")] if len(status) else status
        if misses.empty:
            return n_status, None, [], 0
        units = [tuple(u) for u in misses[["unit_key", "unit_name"]].drop_duplicates().itertuples(index=False)]
        return n_status, views.indicator_miss_table(misses.head(10)), units, len(misses)

    n_status, miss_table, miss_units, n_misses = keyed((*view_key, "misses"), miss_summary)
    if n_status == 0:
        st.info("Tillfället har inga indikatorer.")
    elif n_misses == 0:
        st.success("Alla bedömda indikatorer når sina målvärden.", icon=":material/check_circle:")
    else:
        # text, column plan and Arrow table once per data version and view (ui/tables.cached_data_table
        # sends what data_table sends): preparing it was half of a cached rerun on the built-in data
        cached_data_table((*view_key, "misses"), lambda: miss_table, answer=["Värde", "Målvärde"], budget=440,
                          key="ov_misses")
        for key, name in miss_units:
            unit_link(ctx, key, f"Indikatorerna för {name}", icon=":material/monitoring:")
        if n_misses > 10:
            st.caption(f"… och {n_misses - 10} till. Uppdelning på kön visas per verksamhet.")


def goals_and_activities() -> tuple[str | None, str | None, bool, list[str]]:
    """(the nämndmål's badges, the goals off track, any activities, a line per kind) as markdown: once
    per data version, round and scope, not rebuilt from the frames on every click."""
    goals_all = q("goal_assessments", ctx.round_id)
    acts_all = q("activities", ctx.round_id)
    goals_scoped, acts_scoped = views.goals_in_scope(goals_all, acts_all, set(scope_ids) if ctx.scope else None, ctx.scope) \
        if len(goals_all) else (goals_all, acts_all)
    nm = goals_scoped[goals_scoped["level"] == "nämndmål"] if len(goals_scoped) else goals_scoped
    badges = off_text = None
    if not nm.empty:
        badges = "  \n".join(f"{status_badge(info, word, large=True)} **{n}**"  # worst first, the report's words
                             for info, word, n in stt.tally(list(nm["status"]), list(nm["status_word"]), stt.goal_info))
        # name the goals off track, worst first (issue 13): a count alone sends the reader to Mål
        off = [(status, name) for status, name in zip(nm["status"], nm["name"])
               if stt.goal_info(status if isinstance(status, str) else None).tone in ("bad", "warn")]
        off.sort(key=lambda g: stt.goal_info(g[0]).rank)
        if off:
            off_text = f"**Inte på rätt spår ({len(off)}):**  \n" + "  \n".join(
                f"{stt.goal_info(status).symbol} {md(name)}" for status, name in off)
    kinds = []
    if len(acts_scoped):
        for kind, group in acts_scoped.groupby("kind", sort=False):
            parts = [f"{status_badge(info, word)} {n}"
                     for info, word, n in stt.tally(list(group["status"]), list(group["status_word"]), stt.activity_info)]
            kinds.append(f"**{md(kind.capitalize())}:** " + " ".join(parts))
    return badges, off_text, bool(len(acts_scoped)), kinds


def important_events() -> list[tuple[str, str, object, object]]:
    """(heading, text block, unit key, unit name) of the round's important events in scope."""
    events = q("events", ctx.round_id)
    events = events[events["kind"] == "viktig händelse"] if len(events) else events
    if ctx.scope and len(events):  # events of the förvaltning, and those of the nämnd as a whole
        events = events[events["unit_id"].isna() | events["unit_id"].isin(scope_ids)]
    return [(heading, text_block(body), unit_key, unit_name) for heading, body, unit_key, unit_name
            in zip(events["heading"], events["body"], events["unit_key"], events["unit_name"])] if len(events) else []


with right:
    st.markdown("#### Mål")
    badges, off_text, any_activities, activity_lines = keyed((*view_key, "goals"), goals_and_activities)
    if badges is None:
        st.info("Tillfället redovisar inga nämndmål.")
    else:
        st.markdown(badges, unsafe_allow_html=True)
        if off_text:
            st.markdown(off_text)
        page_link("mal", "Till målen med bedömning och kommentarer", ":material/flag:", ctx.link("mal"))
    if any_activities:
        st.markdown("#### Aktiviteter och uppdrag")
        for line in activity_lines:
            st.markdown(line, unsafe_allow_html=True)
        page_link("uppdrag", "Till uppdragen", ":material/assignment:", ctx.link("uppdrag"))

    events = keyed((*view_key, "events"), important_events)
    st.markdown(f"#### Viktiga händelser ({len(events)})" if events else "#### Viktiga händelser")
    if not events:
        st.info("Inga händelser redovisade för tillfället.")
    # Never cut silently (issue 13): up to EVENTS_SHOWN each in its own expander, the rest one click
    # away under "Fler händelser" (expanders cannot nest, so there as headings with their text).
    EVENTS_SHOWN = 5
    for heading, block, unit_key, unit_name in events[:EVENTS_SHOWN]:
        with st.expander(md(heading)):
            st.markdown(block)
            if unit_key:
                unit_link(ctx, unit_key, f"Till {unit_name}", icon=":material/arrow_forward:")
    if len(events) > EVENTS_SHOWN:
        more = events[EVENTS_SHOWN:]
        st.caption(f"Visar {EVENTS_SHOWN} av {len(events)} händelser.")
        with st.expander(f"Fler händelser ({len(more)})"):
            for heading, block, unit_key, unit_name in more:
                st.markdown(f"**{md(heading)}**")
                st.markdown(block)
                if unit_key:
                    unit_link(ctx, unit_key, f"Till {unit_name}", icon=":material/arrow_forward:")

page_link("ekonomi", "Hela ekonomin per verksamhet", ":material/payments:", ctx.link("ekonomi"))
