"""Verksamhet: everything about one unit on one page, with a breadcrumb back up."""

import streamlit as st

from dashboard import formatting as fmt
from dashboard import status as stt
from dashboard import accuracy_view, rounds, views
from dashboard.data import economy_subtable, keyed, q, unit_indicator_status
from dashboard.textsafe import md
from dashboard.commentary import explanation
from dashboard.ui import COMPUTED_NOTE, context, metric, page_link, status_badge, text_block, unit_link, stop_page
from dashboard.ui import navigation as nav
from dashboard.ui.explain import explanation as show_explanation
from dashboard.ui.projector import projector, settings
from dashboard.ui.tables import cached_data_table, data_table

ctx = context()
# the round's units as a tree only (key, id, parent): the page reads the names and levels of the
# unit's branch – it, its ancestors, what lies below it – not the round's 2 000 (docs/benchmark.md)
tree = q("unit_tree", ctx.round_id)


def choice_index() -> tuple[dict, list[str]]:
    # (rows by key, keys to choose from): per data version and round, one pass over the round
    rows = list(ctx.units.itertuples())
    return {r.key: r for r in rows}, [r.key for r in rows if not r.historical]


wanted = ctx.unit_key  # the view's unit exists in this round (an unknown one in a link got a notice)
if not wanted or wanted not in tree.ids:
    by_key, choices = keyed(("verksamhet.units", ctx.round_id), choice_index)
    st.title(ctx.title("Verksamhet"))
    if projector():
        st.markdown("Välj verksamhet under **Inställningar** överst.")
    with settings():  # on a projector: inside Inställningar (ui/projector.py)
        pick = st.selectbox("Välj verksamhet", choices, index=None, placeholder="Välj …",
                            format_func=lambda k: views.unit_label(by_key[k]), key="vh_pick")
    if pick:  # like following a link: the view changes, and with it the address
        nav.update_page(enhet=pick)
        st.rerun()
    stop_page()

unit_id = tree.ids[wanted]
subtree = keyed(("verksamhet.subtree", ctx.round_id, unit_id), lambda: tree.descendants(unit_id))
# the branch's rows of queries.units (the nämnd's branch is the whole round), by id once per data
# version, round and unit (itertuples over the nämnd's 2 000 rows on every click otherwise)
branch = (ctx.units if tree.parent.get(unit_id) is None
          else q("units_of", ctx.round_id, tuple(sorted({*subtree, *tree.ancestors(unit_id)}))))
by_id = keyed(("verksamhet.branch", ctx.round_id, unit_id), lambda: {int(r.unit_id): r for r in branch.itertuples()})
unit = by_id[unit_id]

# Breadcrumb: every ancestor is a link back up.
chain, node = [], unit
while node is not None:
    chain.append(node)
    node = None if fmt.is_missing(node.parent_id) else by_id.get(int(node.parent_id))
with st.container(horizontal=True, gap="small"):
    for ancestor in reversed(chain[1:]):
        unit_link(ctx, ancestor.key, views.unit_label(ancestor) + " ›")
st.title(md(views.unit_label(unit)))
level = md(unit.level.capitalize())
forv = f" · {md(unit.forvaltning_name)}" if isinstance(unit.forvaltning_name, str) else " · hela nämnden"
st.caption(f"{level}{forv} · {md(ctx.kommun_name)} · {md(ctx.namnd_name)} · {md(ctx.round_label)}")

# --- economy ---------------------------------------------------------------------------------
# the unit's subtree of the round's economy tree – the same rows and figures, read for those units
# only (data.economy_subtable), not the round's 2 000 at full scale
table = economy_subtable(ctx.namnd_id, ctx.round_id, ctx.prev_round_id, subtree)
row = table[table.unit_id == unit.unit_id]
st.subheader("Ekonomi")
if row.empty:
    st.info("Rapporten redovisar ingen ekonomi för denna enhet i detta tillfälle.")
else:
    r = row.iloc[0].to_dict()
    words = rounds.vocabulary(ctx.round)  # a Bokslut speaks of its outcome, never of a forecast
    cols = st.columns(4)
    a = dict(reported_unit=ctx.amount_unit, reported_decimals=ctx.decimals)
    star = lambda f: " *" if r[f + "_computed"] else ""  # noqa: E731
    metric(cols[0], "Budget helår", fmt.amount(r["budget_year"], **a) + star("budget_year"))
    if words.outcome:
        metric(cols[1], "Utfall helår", fmt.amount(r["actual_period"], **a) + star("actual_period"))
    else:
        metric(cols[1], "Utfall period", fmt.amount(r["actual_period"], **a) + star("actual_period"),
               None if fmt.is_missing(r["deviation_period"])
               else fmt.amount(r["deviation_period"], **a, signed=True) + " mot periodbudget", r["deviation_period"])
    figure = r[words.deviation_field]
    metric(cols[2], words.deviation_label, fmt.amount(figure, **a, signed=True)
           + star(words.deviation_field), fmt.deviation_word(figure), figure)
    if ctx.prev_round is not None:
        change = r["forecast_change"]
        if words.outcome:
            label = f"{rounds.round_name(ctx.prev_round)}-prognosen (avvikelse)"
            delta = ("ej jämförbar" if fmt.is_missing(change)
                     else "utfallet " + fmt.amount(change, **a, signed=True) + " mot prognosen")
        else:
            label = f"Prognosavvikelse {ctx.prev_round['kind']}"
            delta = "ej jämförbar" if fmt.is_missing(change) else fmt.amount(change, **a, signed=True) + " sedan dess"
        metric(cols[3], md(label), fmt.amount(r["prev_forecast_deviation"], **a, signed=True), delta, change)
    unit_key = ("verksamhet.children", ctx.namnd_id, ctx.round_id, ctx.prev_round_id, int(unit.unit_id))
    children = keyed(unit_key, lambda: views.visible_rows(table, {int(unit.unit_id)}, subtree))
    children = children[children.unit_id != unit.unit_id]
    if len(children):
        st.markdown("##### Underliggande enheter")
        st.dataframe(keyed((*unit_key, "display"), lambda: views.economy_display(
            children, set(), ctx.amount_unit, ctx.decimals, ctx.amount_unit, None, round=ctx.round)),
            hide_index=True, width="stretch")
        # the links' keys and labels once per data version and unit (itertuples over the economy
        # table's columns was most of the rest of a warm rerun)
        links = keyed((*unit_key, "links"), lambda: [(c.key, views.unit_label(c)) for c in children.itertuples()])
        for child_key, child_label in links:
            unit_link(ctx, child_key, f"{child_label}", icon=":material/subdirectory_arrow_right:")
    if any(r.get(f + "_computed") for f in ("budget_year", "actual_period", "deviation_period", "forecast_deviation")) or len(children):
        st.caption(COMPUTED_NOTE if not words.outcome else "\\" + words.computed_note)
accuracy_view.unit_part(ctx, int(unit.unit_id), views.unit_label(unit))  # only for a Bokslut round

comments = q("commentary", ctx.round_id)
own = comments[comments.unit_id.isin(subtree)] if len(comments) else comments
covering = explanation(branch, comments, int(unit.unit_id))  # the unit's, else an ancestor's
if covering is not None and not covering.own:
    # no comment of its own: the ancestor's that explains it, labelled, beside its deviation
    st.subheader("Analys och kommentarer")
    owner = keyed(("verksamhet.subtree", ctx.round_id, int(covering.unit_id)),
                  lambda: tree.descendants(int(covering.unit_id)))
    show_explanation(covering, economy_subtable(ctx.namnd_id, ctx.round_id, ctx.prev_round_id, owner), ctx.round)
if len(own):
    if covering is None or covering.own:
        st.subheader("Analys och kommentarer")
    for c in own.itertuples():
        with st.expander(f"{md(views.comment_title(c))} ({md(c.unit_name)})", expanded=c.unit_id == unit.unit_id):
            st.markdown(text_block(c.body))

# --- indicators, volumes, staff ---------------------------------------------------------------
indicators = q("indicators", ctx.round_id)
# the nämnd shows every value of the round; any other unit its subtree's, read as such (the same
# rows in the same order as filtering the round's values: tests/test_latest_values.py)
mine = (q("indicator_values", ctx.round_id) if unit.level == "nämnd"
        else q("indicator_values_of_units", ctx.round_id, tuple(int(u) for u in subtree)))
if len(mine):
    st.subheader("Indikatorer, volymer och personal")
    # the unit's indicator table – frame, text, column plan and Arrow table – once per data version,
    # round and unit (ui/tables.cached_data_table: the same elements data_table sends; preparing and
    # converting it on every click was most of a warm rerun, docs/benchmark.md); the status of the
    # unit's values from the round's stored rows (data.unit_indicator_status: the frame
    # latest_status gave these values and the round's targets)
    own_ids = None if unit.level == "nämnd" else tuple(int(u) for u in subtree)
    cached_data_table(("verksamhet.indicators", ctx.round_id, int(unit.unit_id), unit.level),
                      lambda: views.indicator_wide(indicators, mine, unit_indicator_status(ctx.round_id, own_ids)),
                      answer=["Status", "Målvärde"], key="vh_ind")
    st.caption("I.U. = inget underlag (saknat värde, inte noll). Värde inom parentes = tidigare mätmetod.")

# --- goals and activities -------------------------------------------------------------------
goals = q("goal_assessments", ctx.round_id)
acts = q("activities", ctx.round_id)
if unit.level != "nämnd":
    goals = goals[goals.unit_id.isin(subtree)] if len(goals) else goals
    acts = acts[acts.unit_id.isin(subtree)] if len(acts) else acts
goals = goals[goals.level == "nämndmål"] if len(goals) else goals
if len(goals) or len(acts):
    st.subheader("Mål och aktiviteter")
for g in goals.itertuples() if len(goals) else []:
    info = stt.goal_info(g.status)
    st.markdown(f"{status_badge(info, g.status_word)} **{md(g.name)}**", unsafe_allow_html=True)
    if isinstance(g.comment, str) and g.comment:
        with st.expander("Kommentar" + (f" ({md(g.comment_date)})" if g.comment_date else "")):
            st.markdown(text_block(g.comment))
    for a in acts[acts.goal_id == g.goal_id].itertuples() if len(acts) else []:
        ainfo = stt.activity_info(a.status)
        st.markdown(f"&emsp;{status_badge(ainfo, a.status_word)} {md(a.name)}", unsafe_allow_html=True)
other = acts[acts.goal_id.isna()] if len(acts) else acts
for a in other.itertuples() if len(other) else []:
    ainfo = stt.activity_info(a.status)
    st.markdown(f"{status_badge(ainfo, a.status_word)} {md(a.name)} · *{md(a.kind)}*", unsafe_allow_html=True)

# --- risks, control, events ------------------------------------------------------------------
risks = q("risks", ctx.round_id)
if unit.level != "nämnd" and len(risks):
    risks = risks[risks.unit_id.isin(subtree)]
if len(risks):
    st.subheader("Risker")
    data_table(views.risk_display(risks), answer=["Riskvärde"], key="vh_risks")
events = q("events", ctx.round_id)
if unit.level != "nämnd" and len(events):
    events = events[events.unit_id.isin(subtree)]
if len(events):
    st.subheader("Händelser")
    for e in events.itertuples():
        with st.expander(f"{md(e.heading)} · {md(e.kind)}"):
            st.markdown(text_block(e.body))

page_link("ekonomi", "Till Ekonomi för hela nämnden", ":material/payments:", ctx.link("ekonomi"))
