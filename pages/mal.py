"""Mål: målområde → kommunövergripande mål → nämndmål with assessment, indicators and activities."""

import functools
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import followup
from dashboard import status as stt
from dashboard import views
from dashboard.ui import navigation as nav
from dashboard.ui import stop_page
from dashboard.data import indicator_status, keyed, q
from dashboard.textsafe import md
from dashboard.ui import context, status_badge, status_strip, text_block
from dashboard.ui.projector import columns, projector, settings
from dashboard.ui.tables import cached_data_table, cached_data_tables, send_table

ctx = context()
st.title(ctx.title("Mål"))
st.caption(f"{ctx.choice_line()} · målbedömning, aktiviteter och kommentarer")

goals = q("goal_assessments", ctx.round_id)
acts = q("activities", ctx.round_id)
acts = acts[acts["kind"].isin(["aktivitet", "process"])] if len(acts) else acts
if goals.empty:
    st.info("Tillfället redovisar inga mål. Välj ett annat uppföljningstillfälle i sidofältet.")
    stop_page()

scope_ids = set(ctx.scope_unit_ids()) if ctx.scope else None
goals, acts = views.goals_in_scope(goals, acts, scope_ids, ctx.scope)
namndmal = goals[goals["level"] == "nämndmål"]

status_strip("Nämndmål", namndmal["status"], stt.goal_info, stt.GOAL_SCALE, namndmal["status_word"])
if len(acts):
    status_strip("Aktiviteter", acts["status"], stt.activity_info, stt.ACTIVITY_SCALE, acts["status_word"])

f = nav.synced_filters("mal", nav.view().mal)
changed, value = nav.widget("mal_all", f.alla)
if changed:
    f = replace(f, alla=bool(value))
nav.update_page(mal=f)
with settings():  # on a projector: inside Inställningar (ui/projector.py)
    c1, c2 = columns([1, 1])
    only_off_track = c1.toggle("Visa bara det som inte är på rätt spår", key="mal_off_track",
                               help="Mål som inte bedöms uppnås fullt ut, och aktiviteter som är försenade, väntar eller kvarstår.")
    search = c2.text_input("Sök i mål, aktiviteter och kommentarer", key="mal_search", placeholder="t.ex. SFI").strip()
    show_all = c1.toggle("Visa alla mål", key="mal_all",
                         help="Annars visas de mål som behöver uppmärksamhet först, och övriga mål med namn.")

visible = set(ctx.rounds["round_id"])  # only rounds this user may see
# the history and what changed depend on the nämnd, the rounds this user sees and the pair of
# rounds only: computed once per data version, not on every click (docs/benchmark.md)
seen = (int(ctx.namnd_id), tuple(sorted(int(r) for r in visible)))


def _history(name: str):
    frame = q(name, ctx.namnd_id)
    return frame[frame["round_id"].isin(visible)] if len(frame) else frame


# the rounds this user sees of every round's goals: filtered once per data version, not per rerun
history = keyed(("mal_history_rows", "goal", *seen), lambda: _history("goal_history"))
act_history = keyed(("mal_history_rows", "activity", *seen), lambda: _history("activity_history"))
changed_goal_ids, changed_act_ids = [], []
if ctx.prev_round is not None:
    pair = (*seen, int(ctx.round_id), int(ctx.prev_round_id))
    changed = keyed(("mal_changes", "goal", *pair), lambda: followup.changes(history, ctx.round_id, ctx.prev_round_id, "goal"))
    changed_acts = keyed(("mal_changes", "activity", *pair),
                         lambda: followup.changes(act_history, ctx.round_id, ctx.prev_round_id, "activity"))
    changed_goal_ids, changed_act_ids = list(changed["item_id"]), list(changed_acts["item_id"])
    with st.expander(f"Ändrat sedan föregående uppföljning ({md(ctx.prev_round['kind'])} "
                     f"{ctx.prev_round['period_end'].isoformat()})", expanded=bool(len(changed) or len(changed_acts))):
        if changed.empty and changed_acts.empty:
            st.markdown("Ingen bedömning ändrades bland de mål och aktiviteter som båda tillfällena redovisade.")
        for frame, info in ((changed, stt.goal_info), (changed_acts, stt.activity_info)):
            for r in frame.itertuples():
                arrow = "▼ sämre" if r.direction == "sämre" else "▲ bättre"
                st.markdown(f"**{arrow}:** {md(r.name)} – {status_badge(info(r.prev_status), r.prev_word)} → "
                            f"{status_badge(info(r.status), r.word)}", unsafe_allow_html=True)

status_rows = indicator_status(ctx.round_id)


def _goal_table_rows():
    """Every goal card's indicator table of the round as one prepared frame and each row's goal:
    made, planned and converted in one pass (ui/tables.table_parts; one table per goal cost the
    pandas overhead and Arrow's conversion 20 times over on a new round); each row is
    views.goal_indicator_table's."""
    from dashboard.ui.tables import prepared

    rows = status_rows[status_rows["gender"] == "T"] if len(status_rows) else status_rows
    if not len(rows):
        return pd.DataFrame(), []
    return prepared(views.goal_indicator_table(rows)), rows["goal_id"].to_numpy()


@functools.cache  # once per script run, and only when a goal card has an indicator table
def _goal_tables() -> dict:
    # status_rows is the round's (indicator_status): the round names the tables
    return cached_data_tables(("mal_ind", int(ctx.round_id)), _goal_table_rows,
                              answer=["Senaste värde", "Målvärde", "Status"], budget=740)  # a card at 1280 × 720: ~780 px


# what is drawn depends on the round, the scope, the pair of rounds (what changed) and the
# filters only: chosen and grouped once per data version, not on every rerun (goals_needing_attention
# and group_goals were a sixth of a warm rerun at full scale, docs/benchmark.md)
choice = (int(ctx.round_id), ctx.scope, *seen, None if ctx.prev_round_id is None else int(ctx.prev_round_id))
attention_first = not (show_all or only_off_track or search)


def _choose():
    chosen = views.filter_goals(namndmal, acts, only_off_track, search)
    rest_ = chosen.iloc[:0]
    if attention_first and len(chosen):
        need = views.goals_needing_attention(chosen, acts, changed_goal_ids, changed_act_ids)
        rest_, chosen = chosen[~need], chosen[need]
    # each card's goal as a row (itertuples per group and rerun was a fifth of a warm rerun)
    grouped_rows = [(area, [(parent, tuple(members.itertuples())) for parent, members in group])
                    for area, group in views.group_goals(goals, chosen)]
    return chosen, rest_, grouped_rows


def _activities_by_goal() -> dict:
    """Each goal's activities (only those off track with the toggle) as rows, in report order."""
    mine = acts
    if only_off_track and len(mine):
        mine = mine[mine["status"].map(lambda s: stt.activity_info(s if isinstance(s, str) else None).tone in ("bad", "warn"))]
    out: dict = {}
    for a in mine.itertuples():
        out.setdefault(a.goal_id, []).append(a)
    return out


shown, rest, grouped = keyed(("mal_shown", *choice, bool(show_all), bool(only_off_track), search), _choose)
activities_by_goal = keyed(("mal_activities", int(ctx.round_id), ctx.scope, bool(only_off_track)), _activities_by_goal)
# the goals with an indicator table (the round's indicator_status rows of gender T): once per round
with_indicators = keyed(("mal_with_indicators", int(ctx.round_id)), lambda: set(
    status_rows.loc[status_rows["gender"] == "T", "goal_id"]) if len(status_rows) else set())
if attention_first and len(shown) + len(rest):
    if len(rest):
        with st.container(key="mal_attention"):
            st.markdown(f"**Visar {len(shown)} av {len(shown) + len(rest)} nämndmål: de som behöver "
                        "uppmärksamhet** (bedöms inte uppnås fullt ut, har en försenad eller väntande aktivitet "
                        "eller ändrades sedan föregående uppföljning).")
            st.markdown(f"På rätt spår ({len(rest)}): " + " · ".join(md(n) for n in rest["name"]))
            if projector():
                st.markdown("Övriga mål: **Inställningar → Visa alla mål**.")
            else:
                st.button(f"Visa alla {len(shown) + len(rest)} nämndmål", icon=":material/unfold_more:",
                          key="mal_all_button", on_click=lambda: st.session_state.__setitem__("mal_all", True))
    if shown.empty:
        st.success("Alla nämndmål bedöms uppnås, utan försenade aktiviteter och utan ändring sedan föregående "
                   "uppföljning.", icon=":material/check_circle:")
elif shown.empty:
    st.info("Inga mål matchar urvalet.")

for area_name, group in grouped:
    if area_name:
        st.header(md(area_name), divider="gray")
    for parent_name, members in group:
        if parent_name:
            st.subheader(md(parent_name))
        for g in members:
            info = stt.goal_info(g.status)
            with st.container(border=True):
                st.markdown(f"{status_badge(info, g.status_word, large=True)} &nbsp; **{md(g.name)}**",
                            unsafe_allow_html=True)
                if isinstance(g.description, str) and g.description:
                    st.caption(text_block(g.description))
                if isinstance(g.comment, str) and g.comment:
                    date = f" ({md(g.comment_date)})" if g.comment_date else ""
                    with st.expander(f"Bedömning och kommentar{date}", expanded=bool(search) and search.casefold() in g.comment.casefold()):
                        st.markdown(text_block(g.comment))
                if g.goal_id in with_indicators:
                    send_table(_goal_tables()[g.goal_id], key=f"mal_ind_{g.goal_id}")
                for a in activities_by_goal.get(g.goal_id, ()):
                    ainfo = stt.activity_info(a.status if isinstance(a.status, str) else None)
                    st.markdown(f"{status_badge(ainfo, a.status_word)} &nbsp; {md(a.name)}", unsafe_allow_html=True)
                    body = views.activity_text(a)
                    if body:
                        date = f" ({md(a.comment_date)})" if a.comment_date else ""
                        with st.expander(f"Beskrivning och senaste kommentar{date}",
                                         expanded=bool(search) and search.casefold() in body.casefold()):
                            st.markdown(text_block(body))

# opening it reruns the page (on_change="rerun"): its tables over every round are made and sent only
# then (`.open`), not on every first run for a box most readers leave closed
with st.expander("Historik: bedömning per uppföljningstillfälle", key="mal_history", on_change="rerun") as box:
    if box.open:
        st.markdown("**Nämndmål**")
        cached_data_table(("mal_hist", "goal", *seen),
                          lambda: followup.history_table(history[history["level"] == "nämndmål"], "goal"), key="mal_hist")
        if len(act_history):
            st.markdown("**Aktiviteter och uppdrag**")
            cached_data_table(("mal_hist", "activity", *seen), lambda: followup.history_table(act_history, "activity"),
                              key="mal_act_hist")
