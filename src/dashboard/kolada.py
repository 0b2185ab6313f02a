"""Comparison with other municipalities from Kolada values: rank, median, spread.

Municipality groups (count > 1, an unweighted average of members) and missing values (null)
take no part in the ranking; missing is never 0.
"""

from __future__ import annotations

import pandas as pd


def compare(values: pd.DataFrame, municipality: str, direction: str, gender: str = "T") -> dict | None:
    """This municipality's value against the others for one KPI, year and gender."""
    rows = values[(values["gender"] == gender) & (values["count"].fillna(1) <= 1)]
    present = rows[rows["value"].notna()]
    if present.empty:
        return None
    own = rows[rows["municipality"] == municipality]
    own_value = None if own.empty or pd.isna(own.iloc[0]["value"]) else float(own.iloc[0]["value"])
    ascending = direction == "lägre"
    ordered = present.sort_values("value", ascending=ascending)
    rank = None
    if own_value is not None:
        better = (ordered["value"] < own_value).sum() if ascending else (ordered["value"] > own_value).sum()
        rank = int(better) + 1
    v = present["value"].astype(float)
    return {
        "value": own_value,
        "rank": rank,
        "n": int(len(present)),
        "missing": int(rows["value"].isna().sum()),
        "median": float(v.median()),
        "q1": float(v.quantile(0.25)),
        "q3": float(v.quantile(0.75)),
        "min": float(v.min()),
        "max": float(v.max()),
        "direction": direction,
    }


def strip_data(values: pd.DataFrame, municipality: str, gender: str = "T") -> pd.DataFrame:
    rows = values[(values["gender"] == gender) & (values["count"].fillna(1) <= 1) & values["value"].notna()]
    return pd.DataFrame({
        "municipality": rows["municipality"],
        "value": rows["value"].astype(float),
        "own": rows["municipality"] == municipality,
    })
