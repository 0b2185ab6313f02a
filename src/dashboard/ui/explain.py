"""'The why is one click away': a unit's comment – or the nearest ancestor's that covers it,
labelled as such – with the deviation it explains beside it (Ekonomi and Verksamhet)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import formatting as fmt
from .. import rounds
from .. import views
from ..commentary import Explanation
from ..textsafe import md
from .elements import metric, text_block


def explanation(exp: Explanation | None, table: pd.DataFrame, rnd: dict, to_unit: str | None = None,
                empty: str = "Ingen analys för denna rad i rapporten.") -> None:
    """The comments, and beside them the owner's deviation in the round's own words (a Bokslut's
    is the outcome against budget, never a forecast: rounds.vocabulary)."""
    if exp is None:
        st.info(empty)
        return
    left, right = st.columns([3, 1], gap="medium")
    with left:
        if not exp.own:
            st.markdown(f"##### {md(exp.label())}")
            st.caption("Raden har ingen egen kommentar i rapporten; kommentaren för "
                       f"{md(exp.unit_name)} täcker den.")
        for c in exp.comments.itertuples():
            st.markdown(f"**{md(views.comment_title(c))}**")
            st.markdown(text_block(c.body))
    with right:
        row = table[table["unit_id"] == exp.unit_id] if len(table) else table
        if row.empty:
            return
        r = row.iloc[0].to_dict()
        words = rounds.vocabulary(rnd)
        a = dict(reported_unit=rnd["amount_unit"], reported_decimals=int(rnd["decimals"]), to_unit=to_unit)
        field = words.deviation_field
        star = lambda f: " *" if r.get(f + "_computed") and not fmt.is_missing(r.get(f)) else ""  # noqa: E731
        metric(st, f"{md(words.deviation_label)}, {md(exp.unit_name)}",
               fmt.amount(r.get(field), **a, signed=True) + star(field), fmt.deviation_word(r.get(field)), r.get(field))
        if field != "deviation_period" and not fmt.is_missing(r.get("deviation_period")):
            metric(st, "Periodavvikelse", fmt.amount(r.get("deviation_period"), **a, signed=True)
                   + star("deviation_period"), "mot periodbudget", r.get("deviation_period"))
