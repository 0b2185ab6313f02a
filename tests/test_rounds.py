"""The previous-round rule (today: the next older visible round)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.rounds import previous_round


def _rounds(*rows: tuple[int, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"round_id": rid, "period_end": dt.date.fromisoformat(d), "kind": kind}
                         for rid, d, kind in rows])


def test_next_older_round_whatever_the_order():
    rounds = _rounds((1, "2024-04-30", "Delår 1"), (2, "2024-08-31", "Delår 2"), (3, "2023-12-31", "Bokslut"))
    assert previous_round(rounds, {"round_id": 2})["round_id"] == 1
    assert previous_round(rounds, {"round_id": 1})["round_id"] == 3
    assert previous_round(rounds, {"round_id": 3}) is None


def test_hidden_round_is_never_the_comparison():
    visible = _rounds((2, "2024-08-31", "Delår 2"), (3, "2023-12-31", "Bokslut"))  # draft 1 filtered out
    assert previous_round(visible, {"round_id": 2})["round_id"] == 3


def test_unknown_or_no_rounds():
    assert previous_round(_rounds(), {"round_id": 1}) is None
    assert previous_round(_rounds((1, "2024-04-30", "Delår 1")), {"round_id": 9}) is None
