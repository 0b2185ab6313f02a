"""Uppdrag: kommungemensamma and nämndspecifika strategiska utvecklingsuppdrag with status and comment."""


import streamlit as st

from dashboard import followup
from dashboard import status as stt
from dashboard import views
from dashboard.ui import navigation as nav
from dashboard.ui import stop_page
from dashboard.data import keyed, q
from dashboard.textsafe import md
from dashboard.ui import context, status_badge, status_strip, text_block
from dashboard.ui.projector import columns, settings

ctx = context()
st.title(ctx.title("Uppdrag"))
st.caption(f"{ctx.choice_line()} · strategiska utvecklingsuppdrag och andra uppdrag")

acts = q("activities", ctx.round_id)
uppdrag = acts[acts["kind"].str.contains("uppdrag")] if len(acts) else acts
if uppdrag.empty:
    st.info("Tillfället redovisar inga uppdrag.")
    stop_page()

status_strip("Uppdrag", uppdrag["status"], stt.activity_info, stt.ACTIVITY_SCALE, uppdrag["status_word"])
f = nav.synced_filters("upp", nav.view().uppdrag)
nav.update_page(uppdrag=f)
with settings():  # on a projector: inside Inställningar (ui/projector.py)
    c1, c2 = columns([1, 2])
    off_track = c1.toggle("Visa bara det som inte är på rätt spår", key="upp_off_track")
    search = c2.text_input("Sök i uppdrag och kommentarer", key="upp_search").strip().casefold()

if ctx.prev_round is not None:
    visible = set(ctx.rounds["round_id"])  # only rounds this user may see

    def _changes():
        history = q("activity_history", ctx.namnd_id)
        history = history[history["round_id"].isin(visible)] if len(history) else history
        return followup.changes(history, ctx.round_id, ctx.prev_round_id, "activity")

    # a function of the nämnd, the rounds this user sees and the pair: once per data version, under
    # the key Mål keeps the same activity changes (pages/mal.py)
    pair = (int(ctx.namnd_id), tuple(sorted(int(r) for r in visible)), int(ctx.round_id), int(ctx.prev_round_id))
    changed = keyed(("mal_changes", "activity", *pair), _changes)
    changed = changed[changed["level"].str.contains("uppdrag")] if len(changed) else changed
    if len(changed):
        st.markdown("#### Ändrat sedan föregående uppföljning")
        for r in changed.itertuples():
            st.markdown(f"{'▼ sämre' if r.direction == 'sämre' else '▲ bättre'}: {md(r.name)} – "
                        f"{status_badge(stt.activity_info(r.prev_status), r.prev_word)} → "
                        f"{status_badge(stt.activity_info(r.status), r.word)}", unsafe_allow_html=True)

TITLES = {"kommungemensamt uppdrag": "Kommungemensamma uppdrag", "nämndspecifikt uppdrag": "Nämndspecifika uppdrag",
          "uppdrag": "Uppdrag"}
for kind, group in uppdrag.groupby("kind", sort=False):
    st.subheader(md(TITLES.get(kind, kind.capitalize())))
    for a in group.itertuples():
        info = stt.activity_info(a.status if isinstance(a.status, str) else None)
        body = views.activity_text(a)
        if off_track and info.tone not in ("bad", "warn"):
            continue
        if search and search not in (a.name + " " + body).casefold():
            continue
        st.markdown(f"{status_badge(info, a.status_word)} &nbsp; {md(a.name)}", unsafe_allow_html=True)
        if body:
            with st.expander("Status och kommentar" + (f" ({md(a.comment_date)})" if a.comment_date else ""),
                             expanded=bool(search) and search in body.casefold()):
                st.markdown(text_block(body))
