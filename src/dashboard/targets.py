"""Status of an indicator value against its target (målvärde).

The comparator is the one printed (`≥ 0`, `≤ 30`, `< 1 %`) or, where the report prints a bare
number, follows the indicator's direction (higher or lower is better). A value that accumulates
over the year is judged only at year end or on its forecast: part-way it reads "bedöms vid helår".
Missing values (I.U.) are never judged and never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class TargetStatus:
    code: str
    label: str
    symbol: str
    tone: str


MEETS = TargetStatus("uppfylls", "Når målvärdet", "✓", "good")
MISSES = TargetStatus("uppfylls_ej", "Når inte målvärdet", "✕", "bad")
PENDING = TargetStatus("vid_helar", "Bedöms vid helår", "◷", "neutral")
MISSING = TargetStatus("saknas", "Värde saknas (I.U.)", "–", "neutral")
NO_TARGET = TargetStatus("inget_mal", "Inget målvärde", "○", "neutral")

STATUSES = {s.code: s for s in (MEETS, MISSES, PENDING, MISSING, NO_TARGET)}

_OPS = {
    "≥": lambda v, t: v >= t,
    "≤": lambda v, t: v <= t,
    ">": lambda v, t: v > t,
    "<": lambda v, t: v < t,
    "=": lambda v, t: math.isclose(v, t),
}


def effective_comparator(printed: str | None, direction: str) -> str | None:
    if isinstance(printed, str) and printed:
        return printed
    return {"högre": "≥", "lägre": "≤"}.get(direction)


def evaluate(
    value: float | None,
    target: float | None,
    *,
    comparator: str | None = None,
    direction: str = "högre",
    accumulation: str = "andel",
    value_period_end: dt.date | None = None,
    value_type: str = "utfall",
    target_period_end: dt.date | None = None,
) -> TargetStatus:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return NO_TARGET
    op = effective_comparator(comparator, direction)
    if op is None:
        return NO_TARGET
    if accumulation == "ackumulerande" and value_type == "utfall" and value_period_end is not None:
        year_end = target_period_end or dt.date(value_period_end.year, 12, 31)
        if value_period_end < year_end:
            return PENDING
    return MEETS if _OPS[op](float(value), float(target)) else MISSES


def latest_status(indicators: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """For each indicator × unit × gender × breakdown: the latest value and its status against target.

    Values printed in several tables are all kept in the input; here the first table's value is used
    for the status and `conflict` says another table printed a different number.
    """
    if values.empty:
        return pd.DataFrame()
    info = indicators.set_index("indicator_id")
    keys = ["indicator_id", "unit_id", "gender", "breakdown"]
    actual = values[values["value_type"] == "utfall"].sort_values(["period_end", "source_table"])
    rows = []
    for key, group in actual.groupby(keys, sort=False):
        latest_end = group["period_end"].max()
        latest = group[group["period_end"] == latest_end]
        first = latest.iloc[0]
        distinct = {round(v, 6) for v in latest["value"].dropna()}
        ind = info.loc[key[0]]
        match = targets[
            (targets["indicator_id"] == key[0])
            & (targets["unit_id"] == key[1])
            & (targets["gender"] == key[2])
            & (targets["breakdown"] == key[3])
        ].sort_values("period_end")
        later = match[match["period_end"] >= latest_end]
        target = (later if len(later) else match).head(1)
        t = target.iloc[0] if len(target) else None
        status = evaluate(
            None if first["missing"] else first["value"],
            None if t is None else t["target_value"],
            comparator=None if t is None else t["comparator"],
            direction=ind["direction"],
            accumulation=ind["accumulation"],
            value_period_end=latest_end,
            target_period_end=None if t is None else t["period_end"],
        )
        rows.append(
            {
                "indicator_id": key[0],
                "unit_id": key[1],
                "unit_key": first["unit_key"],
                "unit_name": first["unit_name"],
                "gender": key[2],
                "breakdown": key[3],
                "name": ind["name"],
                "measure_unit": ind["measure_unit"],
                "goal_id": ind["goal_id"],
                "period_label": first["period_label"],
                "period_end": latest_end,
                "value": None if first["missing"] else first["value"],
                "footnote": first["footnote"],
                "target_value": None if t is None else t["target_value"],
                "target_text": None if t is None else t["target_text"],
                "comparator": None if t is None else effective_comparator(t["comparator"], ind["direction"]),
                "status": status.code,
                "conflict": len(distinct) > 1,
            }
        )
    return pd.DataFrame(rows)
