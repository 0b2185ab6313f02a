"""Which round is compared with which: the one rule every page, slide and export calls.

`previous_round` is owned by the Bokslut work (issue 12), which may refine the rule (e.g. a
Bokslut compared with the previous Delår); callers only depend on its signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def previous_round(rounds: pd.DataFrame, round: Mapping[str, Any]) -> dict | None:
    """The round `round` is compared with: the next older round in `rounds`, or None.

    `rounds` are the rounds the viewer may see (one nämnd, any order, columns as
    `queries.rounds`); a draft the viewer may not see must already be filtered out, so it never
    becomes the comparison. `round` is a row of `rounds` (needs `round_id`).
    """
    if rounds is None or rounds.empty:
        return None
    ordered = rounds.sort_values("period_end", ascending=False, kind="stable").reset_index(drop=True)
    ids = [int(r) for r in ordered["round_id"]]
    current = int(round["round_id"])
    if current not in ids:
        return None
    position = ids.index(current)
    return ordered.iloc[position + 1].to_dict() if position + 1 < len(ordered) else None
