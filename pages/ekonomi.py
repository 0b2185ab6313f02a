"""Ekonomi: per verksamhet as an open/close hierarchy, charts, and the controller's analysis."""

from dataclasses import replace

import streamlit as st

from dashboard import charts, downloads
from dashboard import viewstate as vs
from dashboard import economy as ec
from dashboard import accuracy_view, rounds, views
from dashboard.data import economy_table, fingerprint, keyed, q
from dashboard.textsafe import md
from dashboard.commentary import explanation
from dashboard.ui import (
    COMPUTED_NOTE, PAGES, context, download_about, heading, namnd_follow_up_links, page_link, show_chart, stop_page,
    table_downloads,
)
from dashboard.ui import navigation as nav
from dashboard.ui.explain import explanation as show_explanation
from dashboard.ui.projector import projector, settings
from dashboard.ui.elements import deviation_spec
from dashboard.ui.tables import data_table


def selected_rows(state) -> tuple[int, ...]:
    """The rows of a table selection state (st.dataframe's event or our value for it)."""
    try:
        return tuple(int(i) for i in state["selection"]["rows"])
    except (KeyError, TypeError, ValueError):
        return ()


ctx = context()
ek = nav.view().ekonomi
heading(ctx, "Ekonomi")

table = economy_table(ctx.namnd_id, ctx.round_id, ctx.prev_round_id)
if table.empty:
    st.info("Tillfället redovisar ingen ekonomi per verksamhet.")
    stop_page()

# Every control below writes its value into the view (and so into the address) at once.
# On a projector the controls live in Inställningar (ui/projector.py), so the figures come first.
with settings():
    changed, value = nav.widget("eko_unit", ek.belopp or ctx.amount_unit, vs.AMOUNT_UNITS)
    if changed:
        ek = replace(ek, belopp=value)
    to_unit = st.segmented_control(
        "Belopp i", list(vs.AMOUNT_UNITS), key="eko_unit", required=True,
        help=f"Rapporten redovisar i {md(ctx.amount_unit)}. Omräknade belopp visas aldrig med fler decimaler än rapporten har.",
    ) or ctx.amount_unit
    fmt_axis = charts.axis_format(1 if to_unit == "mnkr" else 0)

    scope_ids = ctx.scope_unit_ids()
    parents = table[table["unit_id"].isin(set(table["parent_id"].dropna().astype(int)))]
    parents = parents[parents["unit_id"].isin(scope_ids)].sort_values("sort_order")
    every = list(parents["key"])  # the open levels are unit keys: they outlive a round without the row
    standard = list(parents[parents["level"].isin(ec.DEFAULT_OPEN_LEVELS)]["key"])
    names = {r.key: views.unit_label(r) for r in parents.itertuples()}
    with st.container(horizontal=True, gap="small"):
        if st.button("Öppna alla nivåer", key="eko_open_all"):
            ek = replace(ek, oppna=vs.OpenLevels("alla"))
        if st.button("Stäng alla", key="eko_close_all"):
            ek = replace(ek, oppna=vs.OpenLevels("inga"))
    open_now = ek.oppna.open_keys(standard, every)
    changed, value = nav.widget("eko_open", [k for k in every if k in open_now], norm=lambda v: frozenset(v or ()))
    if changed:
        ek = replace(ek, oppna=ek.oppna.with_choice(value, standard, every))
    opened_keys = st.multiselect("Öppna nivåer", every, format_func=names.get, key="eko_open",
                                 placeholder="Alla nivåer stängda",
                                 help="Välj vilka rader som visar sina underliggande verksamheter och enheter.")
nav.update_page(ekonomi=ek)
opened = set(table[table["key"].isin(set(opened_keys))]["unit_id"].astype(int))
# the table as shown depends on the round pair, scope, open levels and unit: once per data version
table_key = ("ekonomi.table", ctx.namnd_id, ctx.round_id, ctx.prev_round_id, ctx.scope, tuple(sorted(opened)))
rows = keyed(table_key, lambda: views.visible_rows(table, set(opened), scope_ids))
if rows.empty:
    st.info("Den valda förvaltningen har inga ekonomirader i detta tillfälle.")
    stop_page()
words = rounds.vocabulary(ctx.round)  # a Bokslut's columns are utfall and resultat, never prognos
display = keyed((*table_key, to_unit), lambda: views.economy_display(
    rows, set(opened), ctx.amount_unit, ctx.decimals, to_unit, None, round=ctx.round, prev_round=ctx.prev_round))
prev_label = f"{ctx.prev_round['kind']} {ctx.prev_round['period_end'].year}" if ctx.prev_round else None
columns = None
if words.outcome:  # the download in the same words as the table
    columns = words.economy_columns() + ([("prev_forecast_deviation", words.prev_column(ctx.prev_round)),
                                          ("forecast_change", words.change_column)] if ctx.prev_round else [])
computed_note = COMPUTED_NOTE if not words.outcome else "\\" + words.computed_note

# The chosen row (its analysis is shown below) is a unit key too: `rad` in the address.
shown_keys = list(rows["key"])
chosen_rows = [shown_keys.index(ek.rad)] if ek.rad in shown_keys else []
changed, value = nav.widget("eko_table", {"selection": {"rows": chosen_rows}}, norm=selected_rows)
if changed:
    picked = selected_rows(value)
    ek = nav.update_page(ekonomi=replace(ek, rad=shown_keys[picked[0]] if picked and picked[0] < len(shown_keys) else None)).ekonomi
with st.container():
    st.markdown(f"#### {words.table_heading} ({to_unit})")
    # the answer (the deviation) first after the name; the tree's names keep their indent. On a
    # projector, where the whole name takes the room of the columns after the answers, the change
    # since the last round is an answer too (what the nämnd asks next), not under "Fler kolumner"
    answer = [words.deviation_short, words.net_label] + ([words.change_column] if ctx.prev_round and projector() else [])
    data_table(
        display, answer=answer, budget=760, on_select="rerun",
        selection_mode="single-row", key="eko_table", height=min(35 * (len(display) + 1) + 3, 720),
    )
    # the download holds every level of the scope as numbers, not only the open rows
    stem = downloads.file_stem("ekonomi", ctx.namnd_code, ctx.period_end.isoformat())
    table_downloads(lambda: downloads.economy(table, scope_ids, ctx.amount_unit, ctx.decimals, to_unit, prev_label,
                                              stem, download_about(ctx), columns=columns), "eko_dl", name=stem)
    st.caption(
        "Positiv avvikelse = överskott, negativ = underskott. " + computed_note
        + " Markera en rad för att se analysen och gå vidare till verksamheten."
    )
    namnd_follow_up_links(ctx)
in_table = table[table["key"] == ek.rad] if ek.rad else table.head(0)
chosen = (in_table.iloc[0] if len(in_table) else rows.iloc[0]).to_dict()

with st.container(border=True):
    st.markdown(f"#### Analys och kommentar: {md(views.unit_label(chosen))}")
    page_link("verksamhet", f"Öppna {md(chosen['name'])}", ":material/arrow_forward:",
              ctx.link("verksamhet", enhet=chosen["key"]))
    show_explanation(explanation(ctx.units, q("commentary", ctx.round_id), int(chosen["unit_id"])), table,
                     ctx.round, to_unit)

lines = keyed(("ekonomi.lines", ctx.namnd_id, ctx.round_id, ctx.prev_round_id, ctx.scope),
              lambda: ec.leaf_lines(table, scope_ids))
accuracy_view.section(ctx, to_unit, scope_ids, lines, fmt_axis)  # only for a Bokslut round

# the chosen tab is in the view by its address value (the labels differ for a Bokslut)
tab_labels = vs.TABS | {"budget": words.budget_vs_label, "tid": "Prognoser och utfall" if words.outcome else "Prognos över tid"}
changed, value = nav.widget("eko_tab", tab_labels[ek.flik], list(tab_labels.values()))
if changed:
    ek = nav.update_page(ekonomi=replace(ek, flik={v: k for k, v in tab_labels.items()}[value])).ekonomi
# on_change="rerun": a click on a tab reruns the page, and only the chosen tab's charts are built and
# sent (each tab's `.open`) – every round's history of every verksamhet (Prognos över tid) and the
# other tabs were most of a first run at full scale, for content behind a tab nobody had opened
tabs = st.tabs(list(tab_labels.values()), key="eko_tab", on_change="rerun")
# The charts below show the round pair, scope and amount unit: their data and finished specs are
# kept per data version under that key (see show_chart).
chart_key = ("ekonomi", ctx.namnd_id, ctx.round_id, ctx.prev_round_id, ctx.scope, to_unit)
with tabs[0]:
    if tabs[0].open:  # only the chosen tab's content runs (its address value: flik=…)
        dev = keyed((*chart_key, "dev-data"), lambda: views.deviation_chart_data(
            lines, ctx.amount_unit, ctx.decimals, to_unit, field=words.deviation_field))
        if dev.empty:
            st.info(words.deviation_none)
        else:
            st.markdown(f"##### {words.deviation_chart_title}")
            # the spec from the first such chart's, with this round's rows (ui.elements.deviation_spec)
            event = show_chart(None, spec=lambda: deviation_spec(dev, to_unit, fmt_axis, words.deviation_short, click=True),
                               cache_key=(*chart_key, "dev"), width="stretch", on_select="rerun", key="eko_dev_chart")
            clicked = charts.clicked_label(event)
            if clicked:
                key = dict(zip(dev["label"], dev["key"], strict=True)).get(clicked)
                if key:
                    nav.switch(PAGES["verksamhet"], "verksamhet", enhet=key)
with tabs[1]:
    if tabs[1].open:  # only the chosen tab's content runs (its address value: flik=…)
        bf = keyed((*chart_key, "bf-data"), lambda: views.budget_forecast_chart_data(
            lines, ctx.amount_unit, ctx.decimals, to_unit, field=words.net_field))
        if bf.empty:
            st.info(words.budget_vs_none)
        else:
            show_chart(lambda: charts.budget_vs_forecast(bf, to_unit, fmt_axis, figure="utfall" if words.outcome else "prognos"),
                       cache_key=(*chart_key, "bf"), width="stretch")
            if bf["label"].str.endswith("*").any() and not words.outcome:
                st.caption("\\* prognos beräknad som budget − prognosavvikelse (rapporten anger avvikelsen).")
with tabs[2]:
    if tabs[2].open:  # only the chosen tab's content runs (its address value: flik=…)
        visible = tuple(sorted(int(r) for r in ctx.rounds["round_id"]))  # only rounds this user may see
        level_ids = list(lines["unit_id"].astype(int))

        def history_data():
            history = q("economy_history", ctx.namnd_id)
            history = history[history["round_id"].isin(set(visible))]
            return views.history_chart_data(history, q("units", ctx.round_id), level_ids, ctx.amount_unit, ctx.decimals,
                                            to_unit)

        # Every round's forecast for every unit (tens of thousands of labels at scale) does not depend
        # on the chosen round: formatted once per data version, reused when the round changes. The
        # round's labels enter the key by their fingerprint, taken once per data version and round
        # (hashing 2 000 units cost more than the rest of a warm rerun's key).
        hist = keyed(("ekonomi.history", ctx.namnd_id, visible, tuple(level_ids), ctx.amount_unit, ctx.decimals,
                      to_unit, keyed(("ekonomi.units-fp", ctx.round_id), lambda: fingerprint(
                          q("units", ctx.round_id), "unit_id", "name", "code", "parent_name", "level"))), history_data)
        if words.outcome:  # the year's forecasts, then the outcome as the last point (per data version:
            # the history above, the round's lines and the unit name everything it reads)
            hist = keyed((*chart_key, "history-outcome", visible, ctx.amount_unit, ctx.decimals), lambda: (
                views.history_with_outcome(hist, lines, ctx.round, ctx.amount_unit, ctx.decimals, to_unit)))
        if hist["round_label"].nunique() < 2:
            st.info("Bara ett uppföljningstillfälle har prognos – jämförelsen kräver två.")
        else:
            show_chart(lambda: charts.forecast_across_rounds(hist, to_unit, fmt_axis,
                                                             "Avvikelse mot budget" if words.outcome else "Prognosavvikelse"),
                       cache_key=(*chart_key, "history", visible), width="stretch")
            st.caption("Årets prognoser och sist utfallet i bokslutet (avvikelse mot budget, positivt = överskott)."
                       if words.outcome else "En verksamhet visas bara för tillfällen som redovisade en prognos för den.")
with tabs[3]:
    if tabs[3].open:  # only the chosen tab's content runs (its address value: flik=…)
        ly = keyed((*chart_key, "ly-data"), lambda: views.last_year_chart_data(lines, ctx.amount_unit, ctx.decimals, to_unit))
        if ly.empty:
            st.info("Rapporten anger inte utfall för samma period föregående år.")
        else:
            show_chart(lambda: charts.outcome_vs_last_year(ly, to_unit, fmt_axis), cache_key=(*chart_key, "ly"), width="stretch")
with tabs[4]:
    if tabs[4].open:  # only the chosen tab's content runs (its address value: flik=…)
        rs = q("result_lines", ctx.round_id)
        if rs.empty:
            st.info("Rapporten har ingen resultaträkning för detta tillfälle.")
        else:
            data_table(views.result_display(rs, ctx.amount_unit, ctx.decimals, to_unit), key="eko_result")
with tabs[5]:
    if tabs[5].open:  # only the chosen tab's content runs (its address value: flik=…)
        inv = q("investments", ctx.round_id)
        if inv.empty:
            st.info("Rapporten redovisar inga investeringar för detta tillfälle.")
        else:
            data_table(views.investment_display(inv, ctx.amount_unit, ctx.decimals, to_unit, outcome=words.outcome),
                       key="eko_inv")
            # the finished spec per data version (a warm rerun sent it again, built and converted)
            show_chart(lambda: charts.investment_bullets(
                views.investment_chart_data(inv, ctx.amount_unit, ctx.decimals, to_unit), to_unit,
                charts.axis_format(1 if to_unit == "mnkr" else 0), outcome=words.outcome),
                cache_key=(*chart_key, "inv", words.outcome), width="stretch")
