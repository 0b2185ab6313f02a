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
    # only an outcome (utfall) part-way through the year waits for the year end
    return _status(value, target, comparator, direction, accumulation,
                   value_period_end if value_type == "utfall" else None, target_period_end)


def _status(value, target, comparator, direction, accumulation, value_period_end, target_period_end) -> TargetStatus:
    """evaluate's rules, positionally (judge calls it once per series)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return NO_TARGET
    op = effective_comparator(comparator, direction)
    if op is None:
        return NO_TARGET
    if accumulation == "ackumulerande" and value_period_end is not None:
        year_end = target_period_end or dt.date(value_period_end.year, 12, 31)
        if value_period_end < year_end:
            return PENDING
    return MEETS if _OPS[op](float(value), float(target)) else MISSES


KEYS = ["indicator_id", "unit_id", "gender", "breakdown"]  # one value series
# what latest_rows adds to each value row it keeps: its series' count of distinct values and target
SERIES_COLUMNS = ["n_values", "target_value", "target_text", "printed_comparator", "target_end"]


def latest_status(indicators: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """For each indicator × unit × gender × breakdown: the latest value and its status against target.

    Values printed in several tables are all kept in the input; here the first table's value (by
    table name) is used for the status and `conflict` says another table printed a different
    number (an I.U. against a number counts). The target is the earliest one at or after the
    value's period, else the nearest one before it.
    Vectorised: a large round has thousands of value series.

    In two steps, `judge(indicators, latest_rows(values, targets))`: the import stores a round's
    latest rows (indicator_status.py) and the pages judge the stored rows of their scope.
    """
    return judge(indicators, latest_rows(values, targets))


def latest_rows(values: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame | None:
    """The value rows latest_status judges – each series' outcomes (utfall) at its latest period,
    every table's – in the input's order, with SERIES_COLUMNS: the series' number of distinct
    values and its target. None where there is nothing to judge."""
    if values.empty:
        return None
    keys = KEYS
    actual = values[values["value_type"] == "utfall"]
    if actual.empty:
        return None
    # the max over datetime64, not over the date objects the query returns: pandas takes an
    # object column's max per group in Python (1,6 s for a round of 2 000 series at full scale)
    ends = pd.to_datetime(actual["period_end"])
    latest = actual[actual.assign(_end=ends).groupby(keys)["_end"].transform("max") == ends]
    # I.U. in one table and a number in another is a conflict too: count "missing" as a value
    marked = latest.assign(v=latest["value"].round(6).where(~latest["missing"].astype(bool), float("-inf")))
    distinct = marked.groupby(keys)["v"].nunique(dropna=False).rename("n_values")
    # a left merge keeps the left order: the rows stay in the input's order
    latest = latest.merge(distinct.reset_index(), on=keys, how="left")
    if len(targets):
        series = latest.drop_duplicates(keys)  # every row of a series has the same (latest) period
        t = targets.merge(series[keys + ["period_end"]].rename(columns={"period_end": "v_end"}), on=keys)
        # the earliest target at or after the value's period, else the nearest one before it
        t = t.assign(later=t["period_end"] >= t["v_end"],
                     distance=(pd.to_datetime(t["period_end"]) - pd.to_datetime(t["v_end"])).abs())
        t = t.sort_values(["later", "distance"], ascending=[False, True]).drop_duplicates(keys)
        t = t[keys + ["target_value", "target_text", "comparator", "period_end"]].rename(
            columns={"period_end": "target_end", "comparator": "printed_comparator"})
        latest = latest.merge(t, on=keys, how="left")
    else:
        latest = latest.assign(target_value=None, target_text=None, printed_comparator=None, target_end=None)
    return latest


def judge(indicators: pd.DataFrame, latest: pd.DataFrame | None, kept: bool = False) -> pd.DataFrame:
    """latest_status's frame from latest_rows' rows (or the stored ones of a scope, in the same
    order): the first table's row of each series, judged against its target.

    The rows' order is the order of `sort_values("source_table")` over them – pandas' default sort
    is not stable: how it orders ties depends on the input's order and length (the misses Översikt
    lists first depend on it), so a scope's stored rows, read in their stored order, give the frame
    latest_status gives that scope's values (tests/test_indicator_status.py), and rows judged once
    are not sorted again (`kept`).

    `kept`: the rows are already those judge keeps, in its order (the stored judged rows of
    `indicator_status.store`): judged as they come – sorting them again could reorder ties."""
    if latest is None or latest.empty:
        return pd.DataFrame()
    first = latest if kept else first_rows(latest)
    info = indicators[["indicator_id", "name", "measure_unit", "goal_id", "direction", "accumulation"]]
    merged = first.merge(info, on="indicator_id", how="left")
    # the columns as lists of the Python objects iterating them gives, the rows zipped as tuples:
    # pandas infers the same frame, without a loop body and a keyword call per row
    col = {c: merged[c].tolist() for c in _JUDGED}
    value = [None if m else v for v, m in zip(col["value"], col["missing"], strict=True)]
    target = [None if _blank(t) else t for t in col["target_value"]]
    target_end = [None if _blank(t) else t for t in col["target_end"]]
    status = [_status(v, t, printed, direction, accumulation, end, t_end).code
              for v, t, printed, direction, accumulation, end, t_end
              in zip(value, target, col["printed_comparator"], col["direction"], col["accumulation"],
                     col["period_end"], target_end, strict=True)]
    rows = list(zip(
        col["indicator_id"], col["unit_id"], col["unit_key"], col["unit_name"], col["gender"], col["breakdown"],
        col["name"], col["measure_unit"], col["goal_id"], col["period_label"], col["period_end"], value,
        col["footnote"], target, [None if _blank(t) else t for t in col["target_text"]],
        [effective_comparator(printed, direction) if t is not None else None
         for printed, direction, t in zip(col["printed_comparator"], col["direction"], target, strict=True)],
        status, [bool(n and n > 1) for n in col["n_values"]],
    ))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def first_rows(latest: pd.DataFrame) -> pd.DataFrame:
    """The rows judge judges, in its order: each series' first table's row (by table name)."""
    return latest.sort_values("source_table").drop_duplicates(KEYS)


# judge's input columns, in the order its loop takes them, and its output columns
_JUDGED = ["indicator_id", "unit_id", "unit_key", "unit_name", "gender", "breakdown", "name", "measure_unit", "goal_id",
           "period_label", "period_end", "value", "missing", "footnote", "target_value", "target_text",
           "printed_comparator", "target_end", "direction", "accumulation", "n_values"]
STATUS_COLUMNS = ["indicator_id", "unit_id", "unit_key", "unit_name", "gender", "breakdown", "name", "measure_unit",
                  "goal_id", "period_label", "period_end", "value", "footnote", "target_value", "target_text",
                  "comparator", "status", "conflict"]


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT
