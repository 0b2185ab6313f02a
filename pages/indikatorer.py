"""Indikatorer: nämndindikatorer per målområde and nämndmål, trends against targets, or as a table."""

from dataclasses import replace

import streamlit as st

from dashboard import downloads
from dashboard import targets as tg
from dashboard import views
from dashboard import viewstate as vs
from dashboard.ui import navigation as nav
from dashboard.ui import stop_page
from dashboard.data import indicator_status, keyed, q
from dashboard.textsafe import md
from dashboard.ui import access, context, download_about, indicator_cards, show_chart, table_downloads
from dashboard.ui.projector import columns, projector
from dashboard.ui.projector import settings as settings_area  # `settings` is the page's view
from dashboard.ui.tables import cached_data_table

ctx = context()
st.title(ctx.title("Indikatorer"))
st.caption(f"{ctx.choice_line()} · nämndindikatorer mot målvärden")

indicators = q("indicators", ctx.round_id)
if not q("has_indicator_values", ctx.round_id):
    st.info("Tillfället redovisar inga indikatorer. Välj ett annat uppföljningstillfälle i sidofältet.")
    stop_page()
scope_ids = ctx.scope_unit_ids() if ctx.scope else None
# views.indicator_scope in two parts: the targets need the units of all the round's values, the
# values are read below for what is drawn (the cards of one screen, or the whole table)
targets = views.scope_targets(q("indicator_targets", ctx.round_id), scope_ids,
                              q("indicator_value_units", ctx.round_id) if scope_ids is not None else ())
# what derive(latest_status, …) gives for these frames, keyed on the round and scope: hashing a
# round's values cost more than the status itself at 100 indicators (docs/benchmark.md)
status = indicator_status(ctx.round_id, scope_ids)
# names what values/targets/status are, so each card is cached without hashing its frames
cards_key = ("indikatorer", int(ctx.round_id), tuple(int(u) for u in scope_ids) if scope_ids is not None else None)
goals = q("goal_assessments", ctx.round_id)

kind = indicators[indicators["kind"] == "nämndindikator"]
areas = goals[goals["level"] == "målområde"]
# every filter is part of the view (omr, status, kon, visa in the address)
settings = nav.view().indikatorer
area_names = dict(zip(areas["key"], areas["name"], strict=True))
area_ids = dict(zip(areas["key"], areas["goal_id"], strict=True))
# "" (not None) is "every målområde": a select showing None shows its placeholder instead of the label
changed, value = nav.widget("ind_area", settings.omr or "", ["", *area_names])
if changed:
    settings = replace(settings, omr=value or None)
changed, value = nav.widget("ind_status", list(settings.status), norm=lambda v: frozenset(v or ()))
if changed:
    settings = replace(settings, status=tuple(s for s in vs.TARGET_STATUSES if s in set(value or ())))
changed, value = nav.widget("ind_gender", vs.GENDERS[settings.kon], list(views.GENDER_CHOICES))
if changed:
    settings = replace(settings, kon={v: k for k, v in vs.GENDERS.items()}[value])
changed, value = nav.widget("ind_mode", vs.MODES[settings.visa], list(vs.MODES.values()))
if changed:
    settings = replace(settings, visa={v: k for k, v in vs.MODES.items()}[value])
changed, value = nav.widget("ind_all", settings.alla)
if changed:
    settings = replace(settings, alla=bool(value))
if settings != nav.view().indikatorer and settings.fler == nav.view().indikatorer.fler:
    settings = replace(settings, fler=0)  # another list of indicators: it opens on its first screen
changed, value = nav.widget("ind_fler", settings.fler)
if changed:
    settings = replace(settings, fler=max(0, min(int(value), vs.MAX_MORE)))
nav.update_page(indikatorer=settings)
with settings_area():  # on a projector: inside Inställningar (ui/projector.py)
    c1, c2 = columns(2)
    c3, c4 = columns(2)
area_key = c1.selectbox("Målområde", ["", *area_names], key="ind_area",
                        format_func=lambda k: area_names.get(k, "Alla målområden"))
area = area_ids.get(area_key)
status_pick = c2.multiselect("Status mot målvärde", list(tg.STATUSES), key="ind_status", placeholder="Alla",
                             format_func=lambda c: f"{tg.STATUSES[c].symbol} {tg.STATUSES[c].label}")
split = c3.segmented_control("Kön", list(views.GENDER_CHOICES), key="ind_gender", required=True)
mode = c4.segmented_control("Visa", list(vs.MODES.values()), key="ind_mode", required=True)
with settings_area():
    show_all = st.toggle("Visa alla indikatorer", key="ind_all",
                         help="Annars visas de indikatorer som behöver uppmärksamhet: de som inte når målvärdet "
                              "eller har ändrat status sedan föregående uppföljning.")
genders = views.GENDER_CHOICES[split or "Totalt"]

groups = views.indicators_by_goal(kind, goals, area, status, status_pick)
# Attention first (issue 13): without "Visa alla" (alla=1) or a status filter only the indicators
# that miss their target or changed status since the previous round are drawn; the others are
# counted, and drawn only on demand – the first screen does not grow with the number of indicators.
if groups and not (show_all or status_pick):
    prev = None
    if ctx.prev_round_id is not None:
        prev = (q("indicators", ctx.prev_round_id), indicator_status(ctx.prev_round_id, scope_ids))
    # a function of the round pair and the scope (cards_key): once per data version
    need = keyed(("ind_need", *cards_key, ctx.prev_round_id),
                 lambda: views.indicators_needing_attention(kind, status, *(prev or (None, None))))
    total = sum(len(m) for *_, m in groups)
    groups = [(a, g, w, m[m["indicator_id"].isin(need)]) for a, g, w, m in groups]
    groups = [group for group in groups if len(group[3])]
    shown_n = sum(len(m) for *_, m in groups)
    with st.container(key="ind_attention"):
        since = " eller har ändrat status sedan föregående uppföljning" if prev else ""
        if shown_n:
            st.markdown(f"**{shown_n} av {total} indikatorer behöver uppmärksamhet:** de som inte når "
                        f"målvärdet (för nämnden eller en förvaltning){since}.")
        else:
            st.success(f"Alla {total} indikatorer når sina målvärden eller saknar bedömning{since and ', och ingen har ändrat status'}.",
                       icon=":material/check_circle:")
        if total > shown_n:
            rest = (f"Övriga {total - shown_n} (når målvärdet, saknar värde, bedöms vid helår eller har inget "
                    "målvärde)")
            if projector():
                st.markdown(f"{rest}: **Inställningar → Visa alla indikatorer**.")
            else:
                st.markdown(f"{rest}:")
                st.button(f"Visa alla {total} indikatorer", icon=":material/unfold_more:", key="ind_all_button",
                          on_click=lambda: st.session_state.__setitem__("ind_all", True))
elif not groups:
    st.info("Inga indikatorer matchar urvalet.")
# A screen draws at most this many trend charts, so the first paint does not grow with the number
# of indicators (each chart costs milliseconds: issue 15's first screen ≤ 0,5 s at 100
# indicators); "Visa fler" draws one more screen, and how many are drawn is in the address
# (fler=N), so a copied link shows the same charts. The indicators that need attention open on
# six rows of two cards; "Visa alla" asks for everything and gets 48 a screen.
CARDS_PER_SCREEN = 48 if (show_all or status_pick) else 12
room = CARDS_PER_SCREEN * (1 + settings.fler) if mode != "Tabell" else None
drawn, hidden = [], 0  # (group number, group, its members drawn); the cards not drawn yet
for table_n, (area_name, goal_name, goal_status, members) in enumerate(groups):
    if room is not None and room <= 0:
        hidden += len(members)
        continue
    if room is not None:
        hidden += max(0, len(members) - room)
        members = members.head(room)
        room -= len(members)
    drawn.append((table_n, (area_name, goal_name, goal_status), members))
if mode == "Tabell":  # every indicator's values: the tables and the download
    values = views.scope_values(q("indicator_values", ctx.round_id), scope_ids)
else:  # only the drawn cards' values: at full scale 12 of a round's ~100 indicators on a first screen
    drawn_ids = tuple(sorted({int(i) for *_, members in drawn for i in members["indicator_id"]}))
    values = views.scope_values(q("indicator_values_of_indicators", ctx.round_id, drawn_ids), scope_ids)
for table_n, (area_name, goal_name, goal_status), members in drawn:
    st.subheader(md(goal_name) or "Utan nämndmål")
    st.caption(" · ".join(md(x) for x in (area_name, goal_status) if x))
    if mode == "Tabell":
        mine = values[values["indicator_id"].isin(members["indicator_id"]) & values["gender"].isin(genders)]
        # the round, scope, indicators and genders name the table: kept per data version, no hashing
        cached_data_table(("ind_wide", *cards_key, tuple(int(i) for i in members["indicator_id"]), tuple(sorted(genders))),
                          lambda mine=mine: views.indicator_wide(indicators, mine, status), answer=["Status", "Målvärde"],
                          key=f"ind_wide_{table_n}")  # a key: its "Fler kolumner" is sent when opened
    else:
        indicator_cards(members, values, targets, status, genders, cache_key=cards_key)
if hidden:
    def _more():
        st.session_state["ind_fler"] = settings.fler + 1

    st.button(f"Visa {min(hidden, CARDS_PER_SCREEN)} indikatorer till ({hidden} visas inte ännu)",
              icon=":material/expand_more:", on_click=_more, key="ind_more")
if mode == "Tabell":
    every = values[values["indicator_id"].isin(kind["indicator_id"]) & values["gender"].isin(genders)]
    stem = downloads.file_stem("indikatorer", ctx.namnd_code, ctx.period_end.isoformat())
    table_downloads(lambda: downloads.indicators(indicators, every, status, stem, download_about(ctx, with_amounts=False)),
                    "ind_dl", name=stem)
st.caption("I.U. = inget underlag: saknat värde, aldrig noll; skälet står i noten. Ackumulerande mått "
           "(t.ex. antal avslutade till arbete) bedöms först vid helår. Streckad linje = målvärde.")

# --- Kolada: comparison with other municipalities --------------------------------------------
with_kolada = indicators[indicators["kolada_id"].notna()]
if len(with_kolada):
    from dashboard import charts, kolada
    from dashboard import formatting as fmt

    st.header("Jämförelse med andra kommuner", divider="gray")
    for ind in with_kolada.itertuples():
        st.subheader(f"{md(ind.name)} ({md(ind.kolada_id)})")
        periods = q("kolada_periods", ind.kolada_id)
        if not periods:
            st.info(f"Inga Kolada-värden är inlästa för {md(ind.kolada_id)}. Källa: Kolada.", icon=":material/info:")
            if access().can_import_anything:  # command lines only for those who can act on them (issue 13)
                with st.expander("För administratören"):
                    st.markdown(
                        "Hämta värdena på en dator med internetåtkomst:  \n"
                        f"`python -m dashboard fetch-kolada --kpi {ind.kolada_id.replace('`', '')} --kommuner {ctx.kommun_code.replace('`', '')},… --ar 2021,2022 kolada.json`  \n"
                        "och läs in filen: `python -m dashboard import-kolada kolada.json`.")
            continue
        chosen_years = dict(nav.view().indikatorer.kolada)
        changed, value = nav.widget(f"kolada_year_{ind.kolada_id}", chosen_years.get(ind.kolada_id, periods[0]), periods)
        if changed:
            chosen_years[ind.kolada_id] = int(value)
            if chosen_years[ind.kolada_id] == periods[0]:
                del chosen_years[ind.kolada_id]  # the newest year is the default
            nav.update_page(indikatorer=replace(nav.view().indikatorer, kolada=tuple(sorted(chosen_years.items()))))
        with settings_area():
            year = st.selectbox(f"Kolada-år för {md(ind.kolada_id)}" if projector() else "År", periods,
                                key=f"kolada_year_{ind.kolada_id}")
        frame = q("kolada_values", ind.kolada_id, year)
        result = kolada.compare(frame, ctx.kommun_code, ind.direction)
        if result is None:
            st.info(f"Kolada har inga värden för {year}.")
            continue
        unit = ind.measure_unit if isinstance(ind.measure_unit, str) else None
        c1, c2, c3 = st.columns(3)
        c1.metric(f"{md(ctx.kommun_name)} {year}", fmt.indicator_value(result["value"], unit),
                  f"plats {result['rank']} av {result['n']}" if result["rank"] else "värde saknas i Kolada",
                  delta_color="off", delta_arrow="off")
        c2.metric("Median bland kommunerna", fmt.indicator_value(result["median"], unit))
        c3.metric("Spridning (min–max)", f"{fmt.number(result['min'], 1)}–{fmt.number(result['max'], 1)}",
                  f"mittersta hälften {fmt.number(result['q1'], 1)}–{fmt.number(result['q3'], 1)}",
                  delta_color="off", delta_arrow="off")
        show_chart((charts.kolada_strip(kolada.strip_data(frame, ctx.kommun_code),
                                                          ctx.kommun_name, unit, result["median"])), width="stretch")
        better = "högre" if ind.direction == "högre" else "lägre"
        st.caption(f"Plats 1 = bäst ({better} är bättre). {result['missing']} kommuner saknar värde (räknas inte). "
                   "Kommungrupper räknas inte. Källa: Kolada.")
