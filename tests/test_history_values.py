"""Ekonomi's "Prognos över tid" formats each distinct amount once (views._per_value): the chart
data is exactly what formatting every row gave, also for repeated values, −0,0 and mnkr."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import formatting as fmt
from dashboard import views


def test_history_chart_data_equals_formatting_every_row():
    values = [1234.0, -0.0, 0.0, 1234.0, -7.5, 150.0, -150.0, 150.0, 2.0, -0.0]
    history = pd.DataFrame({
        "unit_id": [1, 2] * 5, "round_id": range(10), "kind": ["Månad"] * 10,
        "period_end": [dt.date(2025, 1 + i, 28) for i in range(10)],
        "budget_year": [None] * 10, "forecast_net": [None] * 10, "forecast_deviation": values})
    units = pd.DataFrame({"unit_id": [1, 2], "name": ["Skola", "Omsorg"], "code": [None, None],
                          "parent_name": [None, None], "level": ["verksamhetsområde"] * 2})
    for unit, dec, to in (("tkr", 0, "tkr"), ("tkr", 0, "mnkr"), ("mnkr", 1, "tkr")):
        got = views.history_chart_data(history, units, [1, 2], unit, dec, to)
        want_values = [fmt.amount_value(v, unit, dec, to) for v in values]
        assert [repr(v) for v in got["value"]] == [repr(v) for v in want_values]  # same bits, −0,0 too
        assert list(got["value_text"]) == [fmt.amount(v, unit, dec, to, signed=True) for v in values]
    assert list(views.history_chart_data(history, units, [1, 2], "tkr", 0, "mnkr")["value_text"][:3]) == [
        "+1,2\u00a0mnkr", "0,0\u00a0mnkr", "0,0\u00a0mnkr"]
