"""Goal and activity follow-up across rounds: history side by side, and what changed, worse first.

Only items that both rounds reported with a status are compared: an item missing from a round,
or whose status the report did not give, is never counted as a change.
"""

from __future__ import annotations

import pandas as pd

from . import status as stt


def _info(kind: str):
    return stt.goal_info if kind == "goal" else stt.activity_info


def changes(history: pd.DataFrame, round_id: int, prev_round_id: int | None, kind: str = "goal") -> pd.DataFrame:
    """Items whose status changed between two rounds; worsened first (largest drop first), then improved.

    Columns: item_id, key, name, level, prev_status, status, prev_word, word, direction, step.
    """
    columns = ["item_id", "key", "name", "level", "prev_status", "status", "prev_word", "word", "direction", "step"]
    if prev_round_id is None or history.empty:
        return pd.DataFrame(columns=columns)
    cur = history[(history["round_id"] == round_id) & history["status"].notna()]
    prev = history[(history["round_id"] == prev_round_id) & history["status"].notna()]
    both = cur.merge(prev[["item_id", "status", "status_word"]], on="item_id", suffixes=("", "_prev"))
    both = both[both["status"] != both["status_prev"]]
    info = _info(kind)
    rows = []
    for r in both.itertuples():
        step = info(r.status).rank - info(r.status_prev).rank
        rows.append({
            "item_id": r.item_id, "key": r.key, "name": r.name, "level": r.level,
            "prev_status": r.status_prev, "status": r.status,
            "prev_word": r.status_word_prev if isinstance(r.status_word_prev, str) else info(r.status_prev).label,
            "word": r.status_word if isinstance(r.status_word, str) else info(r.status).label,
            "direction": "sämre" if step < 0 else "bättre", "step": step,
        })
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["step", "name"]).reset_index(drop=True)


def history_table(history: pd.DataFrame, kind: str = "goal") -> pd.DataFrame:
    """One row per item, one column per round (oldest first): symbol and the report's word."""
    if history.empty:
        return pd.DataFrame()
    info = _info(kind)
    rounds = history[["round_id", "period_end", "kind"]].drop_duplicates().sort_values("period_end")
    labels = {r.round_id: f"{r.kind} {r.period_end.isoformat()}" for r in rounds.itertuples()}
    out: dict[int, dict] = {}
    for r in history.itertuples():
        row = out.setdefault(r.item_id, {"Namn": r.name})
        s = info(r.status if isinstance(r.status, str) else None)
        word = r.status_word if isinstance(r.status_word, str) else s.label
        row[labels[r.round_id]] = f"{s.symbol} {word}"
    frame = pd.DataFrame(list(out.values()))
    for label in labels.values():  # a round that did not report the item
        if label not in frame:
            frame[label] = "–"
    return frame.fillna("– ej rapporterad")[["Namn", *labels.values()]]
