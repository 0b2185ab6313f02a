"""Indicator small multiples: one trend chart per indicator with its status against target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import status as stt
from ..textsafe import md
from .elements import show_chart, status_badge

def indicator_cards(indicators: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame,
                    status: pd.DataFrame, genders: set[str], columns: int = 2) -> None:
    """Small multiples: one trend chart per indicator with its status against target and notes."""
    from .. import charts, targets as tg, views
    from .. import data as data_cache

    cols = st.columns(columns)
    for i, ind in enumerate(indicators.itertuples()):
        vals = values[(values["indicator_id"] == ind.indicator_id) & values["gender"].isin(genders)]
        if vals.empty:
            vals = values[values["indicator_id"] == ind.indicator_id]
        tgts = targets[(targets["indicator_id"] == ind.indicator_id) & targets["gender"].isin(set(vals["gender"]))]
        with cols[i % columns].container(border=True):
            st.markdown(f"**{md(ind.name)}**")
            mine = status[status["indicator_id"] == ind.indicator_id] if len(status) else status
            badges = []
            for s in mine.itertuples():
                info = tg.STATUSES[s.status]
                who = " · ".join(b for b in (s.unit_name if mine["unit_id"].nunique() > 1 else "",
                                             views.GENDER.get(s.gender, "") if s.gender != "T" else "", s.breakdown) if b)
                if s.gender in genders or not genders & set(mine["gender"]):
                    badges.append(status_badge(stt.Status(info.code, info.label, info.symbol, 0, info.tone),
                                               info.label + (f" ({who})" if who else "")))
            if badges:
                st.markdown(" ".join(badges[:6]), unsafe_allow_html=True)
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
