"""Indicator small multiples: one trend chart per indicator with its status against target."""

from __future__ import annotations

import copy

import pandas as pd
import streamlit as st

from .. import status as stt
from ..textsafe import md
from .elements import show_chart, status_badge
from .projector import projector


def _trend_frames(data: pd.DataFrame, tdata: pd.DataFrame) -> list[pd.DataFrame | None]:
    """The frames charts.indicator_trend hands to Altair, layer by layer (None: no such layer)."""
    missing = data[data["value"].isna()]
    old = data[data["old_value"].notna()]
    has_targets = bool(len(tdata) and tdata["target"].notna().any())
    return [data, missing if len(missing) else None, old if len(old) else None,
            tdata[tdata["target"].notna()] if has_targets else None]


def trend_spec(data: pd.DataFrame, tdata: pd.DataFrame, unit: str | None) -> dict:
    """The Vega-Lite spec `show_chart(lambda: charts.indicator_trend(data, tdata, unit))` sends,
    without building it in Altair for every card.

    An indicator trend's spec depends on its data only through the datasets (Arrow bytes, named
    by their hash) and its shape: the number of series (height, legend), which layers exist
    (I.U., old method, target), the unit and the screen. Building and converting one chart in
    Altair cost ~30–80 ms (most of Indikatorer's time at 100 indicators, docs/benchmark.md), so
    the chart is built in Altair once per shape and data version (the template), and each card
    takes the template with its own datasets put in place of the template's.
    tests/test_indicator_specs.py checks the result equals Altair's for every built-in card."""
    from streamlit import dataframe_util
    from streamlit.util import calc_hash  # as streamlit==1.67.0 names a chart's datasets

    from .. import charts
    from .. import data as data_cache
    from .elements import _finished, _spec

    frames = _trend_frames(data, tdata)
    payloads = [dataframe_util.convert_anything_to_arrow_bytes(f) if f is not None else None for f in frames]
    names = [calc_hash(p) if p is not None else None for p in payloads]
    # which layers share one dataset (equal bytes share a name): part of the shape, so the
    # template's names map one to one onto this card's
    pattern = tuple(names.index(n) if n is not None else None for n in names)
    n_series = int(data["series"].nunique()) if len(data) else 0
    shape = ("indicator_trend_template", n_series, unit, pattern, projector())

    def build():
        spec = _spec(_finished(charts.indicator_trend(data, tdata, unit)))
        return spec, names

    template, template_names = data_cache.keyed(shape, build)
    rename = {old: new for old, new in zip(template_names, names, strict=True) if old is not None}
    spec = _renamed(template, rename)
    spec["datasets"] = {rename[k]: v for k, v in template["datasets"].items()}
    for name, payload in zip(names, payloads, strict=True):
        if name is not None:
            spec["datasets"][name] = payload
    return spec


def _renamed(value, rename: dict):
    """A copy of a spec with every {"name": dataset} reference renamed (datasets left out)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "datasets":
                continue
            out[k] = rename.get(v, v) if k == "name" and isinstance(v, str) else _renamed(v, rename)
        return out
    if isinstance(value, list):
        return [_renamed(v, rename) for v in value]
    return value


def indicator_cards(indicators: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame,
                    status: pd.DataFrame, genders: set[str], columns: int = 2,
                    cache_key: tuple | None = None) -> None:
    """Small multiples: one trend chart per indicator with its status against target and notes.

    `cache_key` names what `values`, `targets` and `status` are (e.g. the round and the scope):
    then each card's chart data and spec are kept per data version under it and the indicator,
    without hashing the frames, and the spec is made from a template (`trend_spec`)."""
    from .. import charts, targets as tg, views
    from .. import data as data_cache

    cols = st.columns(columns)
    by_indicator = dict(tuple(values.groupby("indicator_id", sort=False))) if cache_key is not None and len(values) else None
    # the drawn cards' targets, grouped once (a filter of the round's targets per card was a third
    # of a card's frames at full scale); a group keeps its rows' order and index
    drawn = set(indicators["indicator_id"])
    targets_by = (dict(tuple(targets[targets["indicator_id"].isin(drawn)].groupby("indicator_id", sort=False)))
                  if cache_key is not None and len(targets) else None)
    for i, ind in enumerate(indicators.itertuples()):
        with cols[i % columns].container(border=True):
            st.markdown(f"**{md(ind.name)}**")
            mine = status[status["indicator_id"] == ind.indicator_id] if len(status) else status
            badges = []
            several_units = len(mine) > 1 and mine["unit_id"].nunique() > 1  # once a card, not once a row
            for s in mine.itertuples():
                info = tg.STATUSES[s.status]
                who = " · ".join(b for b in (s.unit_name if several_units else "",
                                             views.GENDER.get(s.gender, "") if s.gender != "T" else "", s.breakdown) if b)
                if s.gender in genders or not genders & set(mine["gender"]):
                    badges.append(status_badge(stt.Status(info.code, info.label, info.symbol, 0, info.tone),
                                               info.label + (f" ({who})" if who else "")))
            if badges:
                st.markdown(" ".join(badges[:6]), unsafe_allow_html=True)

            def frames(ind=ind):
                own = values if by_indicator is None else by_indicator.get(ind.indicator_id, values.iloc[:0])
                vals = own[(own["indicator_id"] == ind.indicator_id) & own["gender"].isin(genders)]
                if vals.empty:
                    vals = own[own["indicator_id"] == ind.indicator_id]
                own_targets = targets if targets_by is None else targets_by.get(ind.indicator_id, targets.iloc[:0])
                tgts = own_targets[(own_targets["indicator_id"] == ind.indicator_id)
                                   & own_targets["gender"].isin(set(vals["gender"]))]
                if cache_key is not None:
                    # numbered from 0 and the numbers as floats: the chart data keeps the values' index
                    # and dtypes (views.indicator_chart_data) and its Arrow bytes carry both, so a card
                    # is the same whether the page read all the round's values or only the drawn
                    # cards' (queries.indicator_values_of_indicators), where a column all blank in the
                    # part but not in the round would be untyped Nones
                    untyped = {c: "float64" for c in ("value", "old_method_value") if vals[c].dtype != "float64"}
                    vals = vals.reset_index(drop=True)
                    if untyped:
                        vals = vals.astype(untyped)
                return vals, tgts

            if cache_key is not None:
                key = ("indicator_card_fast", *cache_key, int(ind.indicator_id), tuple(sorted(genders)))

                def card(ind=ind):
                    vals, tgts = frames()
                    data, tdata = views.indicator_chart_data(vals, tgts, ind.measure_unit)
                    drawn = bool(data["value"].notna().any() or data["old_value"].notna().any())
                    return data, (trend_spec(data, tdata, ind.measure_unit) if drawn else None)

                data, spec = data_cache.keyed((*key, projector()), card)
                if spec is not None:
                    # the same call show_chart makes for a cached spec
                    st.vega_lite_chart(spec=copy.deepcopy(spec), width="stretch", theme=None)
                else:
                    st.caption("Inga värden att visa (I.U.).")
            else:
                vals, tgts = frames()
                # keyed on the chart's own content: the same card in another session, scope or rerun
                # reuses its data and finished chart spec (data.keyed, once per data version)
                card_key = ("indicator_card", int(ind.indicator_id), ind.measure_unit,
                            data_cache.fingerprint(vals), data_cache.fingerprint(tgts))
                data, tdata = data_cache.keyed((*card_key, "data"),
                                               lambda: views.indicator_chart_data(vals, tgts, ind.measure_unit))
                if data["value"].notna().any() or data["old_value"].notna().any():
                    show_chart(lambda: charts.indicator_trend(data, tdata, ind.measure_unit), cache_key=card_key,
                               width="stretch")
                else:
                    st.caption("Inga värden att visa (I.U.).")
            notes = sorted({n for n in data["note"] if n})
            if ind.footnote and isinstance(ind.footnote, str):
                notes.insert(0, ind.footnote)
            if len(mine) and mine["conflict"].any():
                notes.append("⚠ Rapporten skriver olika värden för samma period i två tabeller – båda visas.")
            if data["old_value"].notna().any():
                notes.append("◇ = värde enligt tidigare mätmetod (metodbyte).")
            source = " · ".join(x for x in (ind.source if isinstance(ind.source, str) else "",
                                             f"Kolada {ind.kolada_id}" if isinstance(ind.kolada_id, str) else "") if x)
            if source:
                notes.append(f"Källa: {source}")
            if notes:
                st.caption("  \n".join(md(n) for n in notes))
