"""Streamlit parts of prognossäkerhet (forecast against outcome) for a Bokslut round: the section
on Ekonomi, the row on Översikt and the unit's part on Verksamhet.

The figures come from `accuracy` (pure); this module only lays them out. Every part sits in a
container keyed `psak_*`, so tests can tell the prognossäkerhet parts – where forecasts are
named on purpose – from the rest of a Bokslut page, which never presents the outcome as a forecast.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from . import accuracy as acc_mod
from . import charts, downloads
from . import rounds as rd
from .data import economy_table, keyed, memo, q
from .textsafe import md
from .ui import Context, download_about, page_link, show_chart, table_downloads


def _visible(ctx: Context) -> tuple[int, ...]:
    return tuple(sorted(int(r) for r in ctx.rounds["round_id"]))  # drafts the viewer may not see are out


def load(ctx: Context, to_unit: str, unit_ids: list[int] | None = None, with_investments: bool = True):
    """The Accuracy of the context's Bokslut round (None for other rounds), once per data version."""
    if not rd.is_outcome(ctx.round):
        return None
    return memo(_compute, ctx.namnd_id, ctx.round_id, _visible(ctx), to_unit,
                tuple(unit_ids) if unit_ids is not None else None, with_investments)


def _rounds(namnd_id: int, visible: tuple[int, ...]):
    rounds = q("rounds", namnd_id)
    return rounds[rounds["round_id"].isin(set(visible))].reset_index(drop=True)


def _economy_of(namnd_id: int, needed: tuple[int, ...] | None = None, within: tuple[int, ...] | None = None):
    """Each round's tree alone as `accuracy.compare` reads it: the stored trees' compared columns,
    read in one query once per data version – the `needed` rounds (`accuracy.rounds_compared`:
    one set for the section, the years and Översikt's row, so one query serves them all), else
    the whole nämnd; `within`: only those units' rows (a scope's `accuracy.subtree`). A round
    without a stored tree (a database init-db has not brought up to date, or one outside
    `needed`) – or without a row of `within` – is rolled up whole as before."""
    if needed is None:
        tables = memo(_comparison_tables, namnd_id)
    else:
        tables = memo(_comparison_tables_of, needed) if within is None else memo(_comparison_tables_within, needed, within)
    return acc_mod.stored_economy_fn(tables, lambda rnd: economy_table(namnd_id, int(rnd["round_id"]), None))


def _tree(round_id: int) -> tuple:
    return acc_mod.tree_of(q("units", round_id))


def _within(round_id: int, unit_ids: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """The rows a comparison limited to `unit_ids` reads (None: all): Verksamhet's unit compares
    its own subtree's rows, not a large nämnd's 2 000 units in each of fifteen rounds."""
    if not unit_ids:  # no scope, or an empty one: the whole tables (an empty list read none)
        return None
    units = q("units", round_id)
    within = acc_mod.subtree(units, list(unit_ids), memo(_tree, round_id))
    return None if len(within) >= len(units) else within  # the whole tree: no list of every id


def economy_for(ctx: Context):
    """The EconomyFn of the context's round for prognossäkerhet elsewhere (Bildspel's slides): the
    stored trees' compared columns of the rounds the comparison reads, the same query and cache
    as this page's section – not each forecast round's whole tree (eleven at scale)."""
    return _economy_of(ctx.namnd_id, acc_mod.rounds_compared(_rounds(ctx.namnd_id, _visible(ctx)), ctx.round))


def _comparison_tables(namnd_id: int) -> dict[int, pd.DataFrame]:
    return acc_mod.comparison_tables(q("economy_rollup_comparison", namnd_id))


def _comparison_tables_of(needed: tuple[int, ...]) -> dict[int, pd.DataFrame]:
    return acc_mod.comparison_tables(q("economy_rollup_comparison_of", needed))


def _comparison_tables_within(needed: tuple[int, ...], within: tuple[int, ...]) -> dict[int, pd.DataFrame]:
    """The subtree's rows of each round; a stored round without one (a unit that did not exist
    that year) compares as its whole table would, with no rows of the scope: an empty table, not
    the whole tree rolled up again (stored_economy_fn's fallback is for rounds not stored)."""
    return acc_mod.comparison_tables(q("economy_rollup_comparison_of", needed, within),
                                     stored_rounds=q("economy_rollup_stored_rounds", needed))


def _compute(namnd_id: int, round_id: int, visible: tuple[int, ...], to_unit: str,
             unit_ids: tuple[int, ...] | None, with_investments: bool):
    rounds = _rounds(namnd_id, visible)
    rnd = rounds[rounds["round_id"] == round_id].iloc[0].to_dict()
    economy = _economy_of(namnd_id, acc_mod.rounds_compared(rounds, rnd), _within(round_id, unit_ids))
    return acc_mod.for_round(q, economy, q("units", round_id), rounds, rnd, to_unit,
                             list(unit_ids) if unit_ids is not None else None, with_investments, memo(_tree, round_id))


def _key(ctx: Context, to_unit: str, unit_ids: list[int] | None) -> tuple:
    return (ctx.namnd_id, ctx.round_id, _visible(ctx), to_unit, tuple(unit_ids) if unit_ids is not None else None)


def _shaped(what: str, key: tuple, extra=None):
    """A page-ready frame (or download) of the comparison, computed once per data version: a large
    nämnd's year has tens of thousands of rows, not to be shaped again on every rerun."""
    if what == "trend":
        return acc_mod.trend_display(memo(_years_of, *key, True))
    acc = memo(_compute, *key, True)
    if what == "table":
        return acc_mod.table_display(acc, extra)
    if what == "chart":
        return acc_mod.chart_data(acc, None if extra is None else pd.DataFrame({"unit_id": list(extra)}))
    if what == "download":
        return acc_mod.download(acc, extra)
    raise ValueError(what)


def years(ctx: Context, to_unit: str, unit_ids: list[int] | None, with_investments: bool = True):
    """The headline forecast's miss per unit and year up to this Bokslut, once per data version.
    `with_investments`: as the caller's `load` (the year's comparison it made is reused)."""
    return memo(_years_of, ctx.namnd_id, ctx.round_id, _visible(ctx), to_unit,
                tuple(unit_ids) if unit_ids is not None else None, with_investments)


def _years_of(namnd_id: int, round_id: int, visible: tuple[int, ...], to_unit: str, unit_ids: tuple[int, ...] | None,
              with_investments: bool = True):
    rounds = _rounds(namnd_id, visible)
    rnd = rounds[rounds["round_id"] == round_id].iloc[0].to_dict()
    # this year's headline rows from the caller's comparison (memo: made once per data version;
    # its rows are the same with or without the investments, so Verksamhet's is not made twice)
    known = memo(_compute, namnd_id, round_id, visible, to_unit, unit_ids, with_investments)
    return acc_mod.across_years(_economy_of(namnd_id, acc_mod.rounds_compared(rounds, rnd), _within(round_id, unit_ids)),
                                q("units", round_id), rounds, to_unit, list(unit_ids) if unit_ids is not None else None,
                                until=rnd, known=known, tree=memo(_tree, round_id))


def scope_root(ctx: Context) -> int | None:
    return acc_mod.scope_root(ctx.units, ctx.scope)


def _no_forecast_text(ctx: Context) -> str:
    return (f"Året {ctx.period_end.year} har inget prognostillfälle att jämföra bokslutet med "
            "(Delår 1, Delår 2 eller en månadsuppföljning med prognos).")


def _headline_of(namnd_id: int, round_id: int, visible: tuple[int, ...], to_unit: str, root: int | None):
    """Only what Översikt shows: the headline forecast against the outcome for the scope's root."""
    rounds = _rounds(namnd_id, visible)
    rnd = rounds[rounds["round_id"] == round_id].iloc[0].to_dict()
    year = rd.forecast_rounds_of_year(rounds, rnd)
    head = rd.headline_forecast_round(year)
    # the two rounds it compares, not every round the section and the years read (~15 at scale):
    # most of Översikt's first run on a Bokslut was reading those
    economy = _economy_of(namnd_id, headline_rounds(rnd, head))
    acc = acc_mod.compare(q("units", round_id), rnd, economy(rnd), [(head, economy(head))] if head else [],
                          to_unit, [root] if root is not None else [])
    return year, acc.headline(root)


def headline_rounds(rnd: dict, head: dict | None) -> tuple[int, ...]:
    """The round ids Översikt's headline compares: the Bokslut and its headline forecast."""
    return tuple(sorted({int(rnd["round_id"])} | ({int(head["round_id"])} if head else set())))


def overview_row(ctx: Context) -> None:
    """Översikt: one line, `Prognossäkerhet: Delår 2 låg 3,1 mnkr under utfallet`, and a link."""
    if not rd.is_outcome(ctx.round):
        return
    year, head = memo(_headline_of, ctx.namnd_id, ctx.round_id, _visible(ctx), ctx.amount_unit, scope_root(ctx))
    with st.container(key="psak_oversikt"):
        if not year:
            st.markdown(f"**Prognossäkerhet:** {md(_no_forecast_text(ctx))}")
        elif head is None:
            st.markdown("**Prognossäkerhet:** visas per verksamhet på sidan Ekonomi.")
        else:
            st.markdown(f"**Prognossäkerhet:** {md(head['row_phrase'])} "
                        f"({md(head['phrase'])}; prognos {md(head['forecast_text'])}, utfall {md(head['outcome_text'])}).")
        page_link("ekonomi", "Till prognossäkerheten per verksamhet", ":material/target:", ctx.url_params())


def section(ctx: Context, to_unit: str, scope_ids: list[int], lines, fmt_axis: str) -> None:
    """Ekonomi: the whole comparison for a Bokslut round."""
    acc = load(ctx, to_unit, scope_ids)
    if acc is None:
        return
    with st.container(key="psak_ekonomi"):
        st.markdown("#### Prognossäkerhet: årets prognoser mot utfallet")
        if not acc.forecast_rounds:
            st.info(_no_forecast_text(ctx))
            return
        head = acc.headline(scope_root(ctx))
        if head is not None:
            st.markdown(f"**{md(head['phrase'])}** – prognosen i {md(head['round_name'])} var "
                        f"{md(head['forecast_text'])} mot budget, utfallet blev {md(head['outcome_text'])} "
                        f"(skillnad {md(head['miss_text'])}, {md(head['miss_pct_text'])} av budget).")
        st.caption(acc_mod.SIGN_NOTE)
        names = {int(r["round_id"]): rd.round_name(r) for r in acc.forecast_rounds}  # unique within a year
        by_name = {v: k for k, v in names.items()}
        chosen = int(acc.headline_round["round_id"])
        if len(names) > 1:
            from .ui.projector import settings

            with settings():  # on a projector: inside Inställningar
                picked = st.segmented_control(
                    "Jämför utfallet med prognosen i", list(by_name), default=names[chosen],
                    required=True, key=f"psak_round_{ctx.namnd_id}_{ctx.round_id}")
            chosen = by_name.get(picked, chosen)
        key = _key(ctx, to_unit, scope_ids)
        shown = memo(_shaped, "table", key, chosen)
        if shown.empty:
            st.info(f"Ingen rad har både prognos i {md(names[chosen])} och utfall.")
        else:
            st.markdown(f"**Prognosen i {md(names[chosen])} mot utfallet per verksamhet** "
                        f"(avvikelser mot budget, {md(to_unit)})")
            # pixel widths that add up to the section at 1280 px with the sidebar open
            st.dataframe(shown, hide_index=True, width="stretch", key="psak_table",
                         height=min(35 * (len(shown) + 1) + 3, 560), column_config=_widths(shown, "Verksamhet"))
            st.caption("Raderna följer nämndens organisation (indrag = underliggande nivå). Nedladdningen "
                       "innehåller alla prognostillfällen och raderna som inte kan jämföras.")
            stem = downloads.file_stem("prognossakerhet", ctx.namnd_code, ctx.period_end.isoformat())
            about = download_about(ctx)
            # built when a file is asked for, not in the run: every forecast round's rows of a large
            # nämnd as numbers took longer than the rest of the section (docs/benchmark.md)
            table_downloads(lambda: _with_about(memo(_shaped, "download", key, stem), about), "psak_dl", name=stem)
            if acc.numbers["computed"].any():
                st.caption("\\* summa beräknad av raderna under – rapporten skriver inte ut den.")
        line_ids = tuple(int(u) for u in lines["unit_id"]) if lines is not None else None
        data = memo(_shaped, "chart", key, line_ids)
        if len(data):
            st.markdown("##### Från prognos till utfall, störst skillnad först")
            # the finished spec per data version (its data is per key and lines): not rebuilt per rerun
            show_chart(lambda: charts.forecast_outcome_dumbbell(data, to_unit, fmt_axis),
                       cache_key=("psak-dumbbell", *key, line_ids, fmt_axis), width="stretch")
            st.caption("Ringar = prognoserna (avvikelse mot budget), romb = utfallet i bokslutet; talet över "
                       f"romben är skillnaden utfall − prognos i {md(rd.round_name(acc.headline_round))}. "
                       "Till höger om nollinjen = överskott.")
        if len(acc.not_comparable):
            st.markdown("##### Rader som inte kan jämföras")
            st.dataframe(acc_mod.not_comparable_display(acc.not_comparable), hide_index=True, width="stretch",
                         key="psak_nc")
        _years_part(ctx, to_unit, scope_ids, fmt_axis)
        _investments(ctx, acc, to_unit, chosen)
        st.caption(acc_mod.CAPTION)


def _with_about(stored, about: list[tuple[str, str]]):
    return dataclasses.replace(stored, about=about + stored.about)


def _round(acc, round_id: int) -> dict:
    return next(r for r in acc.forecast_rounds if int(r["round_id"]) == int(round_id))


def _widths(frame, first: str) -> dict:
    """Pixel widths that add up to the main column at 1280 px with the sidebar open, so the
    phrase (Bedömning) is read without scrolling sideways."""
    widths = {first: 240, "Budget": 56, "Prognos": 64, "Utfall": 60, "Skillnad": 68, "% av budget": 82,
              "Bedömning": 300, "Not": 260}
    if "Budget" in frame.columns:  # investments: a longer phrase, a shorter project name
        widths |= {first: 150, "Prognos": 62, "Utfall": 56, "Skillnad": 64, "Bedömning": 345}
    return {c: st.column_config.TextColumn(width=w) for c, w in widths.items() if c in frame.columns}


def _years_part(ctx: Context, to_unit: str, scope_ids: list[int], fmt_axis: str) -> None:
    frame = years(ctx, to_unit, scope_ids)
    name = rd.HEADLINE_FORECAST_KIND
    st.markdown(f"##### Över åren: skillnaden utfall − prognos i {name}")
    if frame.empty or frame["year"].nunique() < 2:
        st.info("Jämförelsen över år kräver bokslut och prognoser för minst två år.")
        return
    data = acc_mod.trend_chart_data(frame)
    if len(data):  # the finished spec per data version: `frame` is per this key
        show_chart(lambda: charts.miss_trend(data, to_unit, fmt_axis, name),
                   cache_key=("psak-trend", *_key(ctx, to_unit, scope_ids), fmt_axis, name), width="content")
    st.dataframe(memo(_shaped, "trend", _key(ctx, to_unit, scope_ids)), hide_index=True, width="stretch",
                 key="psak_years")
    st.caption("Positiv skillnad = prognosen var för försiktig, negativ = för optimistisk. Ett år utan "
               "Delår 2 jämförs med årets senaste prognos.")


def _investments(ctx: Context, acc, to_unit: str, round_id: int) -> None:
    if acc.investments.empty and acc.investments_not_comparable.empty:
        return
    st.markdown("##### Investeringar: prognos mot utfall")
    shown = acc_mod.investment_display(acc.investments, to_unit, round_id) if len(acc.investments) else None
    if shown is not None and len(shown):
        st.markdown(f"**Investeringsprognosen i {md(rd.round_name(_round(acc, round_id)))} mot årets utfall** "
                    f"(belopp, {md(to_unit)})")
        st.dataframe(shown, hide_index=True, width="stretch", key="psak_inv", column_config=_widths(shown, "Projekt"))
    if len(acc.investments_not_comparable):
        st.dataframe(acc_mod.not_comparable_display(acc.investments_not_comparable).rename(columns={"Rad": "Projekt"}),
                     hide_index=True, width="stretch", key="psak_inv_nc")
    table_downloads(acc_mod.investment_download(acc, downloads.file_stem("prognossakerhet_investeringar", ctx.namnd_code,
                                                                         ctx.period_end.isoformat()), download_about(ctx)),
                    "psak_inv_dl")
    st.caption(acc_mod.INVESTMENT_NOTE)


def unit_part(ctx: Context, unit_id: int, label: str) -> None:
    """Verksamhet: the unit's forecasts against its outcome, and its Delår 2 miss over the years."""
    if not rd.is_outcome(ctx.round):
        return
    # the part's lines per data version, round, visible rounds and unit (the rows, the reasons and
    # the years are the same on every click; going through them was a third of a warm rerun)
    lines = keyed(("psak_verksamhet", *_key(ctx, ctx.amount_unit, [unit_id]), label),
                  lambda: _unit_lines(ctx, unit_id, label))
    with st.container(key="psak_verksamhet"):
        st.subheader("Prognossäkerhet")
        if lines is None:
            st.info(_no_forecast_text(ctx))
            return
        bullets, notice, years_line = lines
        for line in bullets:
            st.markdown(line)
        if notice:
            st.info(notice)
        if years_line:
            st.markdown(years_line)
        st.caption(acc_mod.SIGN_NOTE + " " + acc_mod.CAPTION)


def _unit_lines(ctx: Context, unit_id: int, label: str) -> tuple[list[str], str | None, str | None] | None:
    """(the bullets of the unit's rows and reasons, the notice when it has neither, the line of
    its miss per year), or None when the year has no forecast round."""
    acc = load(ctx, ctx.amount_unit, [unit_id], with_investments=False)
    if not acc.forecast_rounds:
        return None
    mine = acc.rows[acc.rows["unit_id"] == unit_id]
    bullets = [f"- **{md(r.phrase)}** (prognos {md(r.forecast_text)}, utfall {md(r.outcome_text)}, "
               f"skillnad {md(r.miss_text)}, {md(r.miss_pct_text)} av budget)" for r in mine.itertuples()]
    reasons = acc.not_comparable[acc.not_comparable["unit_id"] == unit_id]
    bullets += [f"- {md(r.round_name)}: ej jämförbar – {md(r.reason)}" for r in reasons.itertuples()]
    notice = f"{md(label)} har varken prognos eller utfall att jämföra." if mine.empty and reasons.empty else None
    mine_years = years(ctx, ctx.amount_unit, [unit_id], with_investments=False)
    years_line = None
    if mine_years["year"].nunique() >= 2:
        parts = " · ".join(f"{y}: {t}" for y, t in zip(mine_years["year"], mine_years["miss_text"], strict=True))
        years_line = (f"Skillnad utfall − prognos i {rd.HEADLINE_FORECAST_KIND} per år: {md(parts)} – "
                      f"{md(acc_mod.tendency(list(mine_years['miss'])))}.")
    return bullets, notice, years_line
