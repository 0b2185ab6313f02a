"""Ekonomi's speed-ups that must change nothing, each against the plain computation it replaced,
on the built-in reports and the bench's small synthetic kommun:

- `views._per_value` spreading fn's results by the floats' bit patterns equals the loop over
  every value (−0,0 and 0,0 apart, NaN, ints and mixed columns through the loop);
- `views.history_chart_data` with labels per round and unit equals the row-by-row version;
- the bars' row order as `charts._Order` sends the same spec as the plain list;
- the deviation and budget/forecast bars' data and a Bokslut's history with its outcome, with
  labels read from the label columns and amounts written a column at a time
  (`formatting.amounts`/`amount_values`), equal the row-by-row versions – also on the built-in
  reports with the Bokslut workbooks on SQLite and PostgreSQL (`conftest.bokslut_engine`).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import formatting as fmt
from dashboard import queries, views


def _per_value_reference(fn, values) -> list:
    """views._per_value before the float path (the reference)."""
    done: dict = {}
    out = []
    for v in values:
        key = (v, math.copysign(1.0, v)) if isinstance(v, float) else (v, type(v))
        if key not in done:
            done[key] = fn(v)
        out.append(done[key])
    return out


def _history_chart_data_reference(history, units, unit_ids, unit, decimals, to_unit):
    """views.history_chart_data before labels per round and unit (the reference)."""
    data = history[history["unit_id"].isin(unit_ids)].copy()
    if "budget_year" in data:
        derive = data["forecast_deviation"].isna() & data["forecast_net"].notna() & data["budget_year"].notna()
        data.loc[derive, "forecast_deviation"] = data["budget_year"] - data["forecast_net"]
    data = data[data["forecast_deviation"].notna()]
    labels = {int(r.unit_id): views.unit_label(r) for r in units.itertuples()}
    values = data["forecast_deviation"]
    return pd.DataFrame({
        "label": [labels[int(u)] for u in data["unit_id"]],
        "round_label": [f"{k} {d.year}" for k, d in zip(data["kind"], data["period_end"], strict=True)],
        "period_end": [d.isoformat() for d in data["period_end"]],
        "value": _per_value_reference(lambda v: fmt.amount_value(v, unit, decimals, to_unit), values),
        "value_text": _per_value_reference(lambda v: fmt.amount(v, unit, decimals, to_unit, signed=True), values),
    })


def _deviation_chart_data_reference(lines, unit, decimals, to_unit, field="forecast_deviation"):
    """views.deviation_chart_data row by row (the reference)."""
    data = lines[lines[field].notna()]
    summary = data["summary_line"].astype(bool) if "summary_line" in data else pd.Series(False, index=data.index)
    return pd.DataFrame({
        "key": data["key"],
        "label": [views.unit_label(r) for r in data.itertuples()],
        "value": _per_value_reference(lambda v: fmt.amount_value(v, unit, decimals, to_unit), data[field]),
        "value_text": _per_value_reference(lambda v: fmt.amount(v, unit, decimals, to_unit, signed=True), data[field]),
        "summary": list(summary),
    })


def _budget_forecast_chart_data_reference(lines, unit, decimals, to_unit, field="forecast_net"):
    """views.budget_forecast_chart_data row by row (the reference)."""
    data = lines[lines["budget_year"].notna() & lines[field].notna()]
    return pd.DataFrame({
        "key": data["key"],
        "label": [views.unit_label(r) + (" *" if getattr(r, field + "_computed") else "") for r in data.itertuples()],
        "budget": _per_value_reference(lambda v: fmt.amount_value(v, unit, decimals, to_unit), data["budget_year"]),
        "forecast": _per_value_reference(lambda v: fmt.amount_value(v, unit, decimals, to_unit), data[field]),
        "budget_text": _per_value_reference(lambda v: fmt.amount(v, unit, decimals, to_unit), data["budget_year"]),
        "forecast_text": [t + (" (beräknad)" if c else "") for t, c in zip(
            _per_value_reference(lambda v: fmt.amount(v, unit, decimals, to_unit), data[field]),
            data[field + "_computed"], strict=True)],
    })


def _history_with_outcome_reference(hist, lines, rnd, unit, decimals, to_unit):
    """views.history_with_outcome row by row (the reference)."""
    year = rnd["period_end"].year
    hist = hist[[d.startswith(f"{year}-") for d in hist["period_end"]]]
    data = lines[lines["deviation_period"].notna()]
    outcome = pd.DataFrame({
        "label": [views.unit_label(r) for r in data.itertuples()],
        "round_label": f"Utfall {year}",
        "period_end": rnd["period_end"].isoformat(),
        "value": _per_value_reference(lambda v: fmt.amount_value(v, unit, decimals, to_unit), data["deviation_period"]),
        "value_text": _per_value_reference(lambda v: fmt.amount(v, unit, decimals, to_unit, signed=True),
                                           data["deviation_period"]),
    })
    return pd.concat([hist, outcome], ignore_index=True)


def _chart_data_both_ways(engine) -> int:
    """Every round's (the last six per nämnd) leaf lines in the whole scope and one förvaltning,
    both units: the column-at-a-time chart data against the row-by-row references."""
    from dashboard import economy as ec
    from dashboard import rollups
    from dashboard import rounds as rd

    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    compared = 0
    for namnd in queries.namnder(engine).itertuples():
        history = queries.economy_history(engine, int(namnd.namnd_id))
        for rnd in queries.rounds(engine, int(namnd.namnd_id)).to_dict("records")[-6:]:
            table = rollups.table(fetch, int(rnd["round_id"]), rnd["kind"])
            if table.empty:
                continue
            forv = table["forvaltning_id"].dropna().unique()[:1]
            scopes = [list(table["unit_id"].astype(int))] + [
                list(table.loc[table["forvaltning_id"] == f, "unit_id"].astype(int)) for f in forv]
            words = rd.vocabulary(rnd)
            for scope in scopes:
                lines = ec.leaf_lines(table, scope)
                for to_unit in ("tkr", "mnkr"):
                    args = (lines, rnd["amount_unit"], int(rnd["decimals"]), to_unit)
                    for field in {"forecast_deviation", words.deviation_field}:
                        got, want = views.deviation_chart_data(*args, field=field), _deviation_chart_data_reference(*args, field=field)
                        pd.testing.assert_frame_equal(got, want, check_exact=True)
                        compared += len(got)
                    for field in {"forecast_net", words.net_field}:
                        got = views.budget_forecast_chart_data(*args, field=field)
                        pd.testing.assert_frame_equal(got, _budget_forecast_chart_data_reference(*args, field=field),
                                                      check_exact=True)
                        compared += len(got)
                    if rd.is_outcome(rnd):
                        hist = views.history_chart_data(history, fetch("units", int(rnd["round_id"])),
                                                        list(lines["unit_id"].astype(int)), *args[1:])
                        got = views.history_with_outcome(hist, lines, rnd, *args[1:])
                        pd.testing.assert_frame_equal(got, _history_with_outcome_reference(hist, lines, rnd, *args[1:]),
                                                      check_exact=True)
                        compared += len(got)
    return compared


def test_bar_and_history_data_equal_the_row_by_row_versions(eng):
    assert _chart_data_both_ways(eng) > 100


def test_bar_and_history_data_equal_the_row_by_row_versions_with_bokslut(bokslut_engine):
    assert _chart_data_both_ways(bokslut_engine) > 100


@pytest.fixture(scope="module", params=["inbyggda", "syntetisk"])
def eng(request, tmp_path_factory):
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('eko') / 's.db'}")
    if request.param == "inbyggda":
        init_db(engine)
    else:
        upgrade(engine)
        generate(engine, SCALES["small"])
    yield engine
    engine.dispose()


def _formatters(unit="tkr", decimals=0):
    calls = []
    for to_unit in ("tkr", "mnkr"):
        calls.append(lambda v, to_unit=to_unit: fmt.amount_value(v, unit, decimals, to_unit))
        calls.append(lambda v, to_unit=to_unit: fmt.amount(v, unit, decimals, to_unit, signed=True))
        calls.append(lambda v, to_unit=to_unit: (repr(v), math.copysign(1.0, v) if isinstance(v, float) else v))
    return calls


def test_per_value_equals_the_loop_on_edge_values():
    values = [0.0, -0.0, float("nan"), 1.5, -1.5, 1e15, -2.2, -2.2, 0.0, -0.0, float("nan"), 123456.78]
    series = [pd.Series(values * 20, dtype="float64"), pd.Series(values, dtype="float64"),
              pd.Series([1, 2, 2, -3] * 40), pd.Series([], dtype="float64")]
    for s in series:
        for fn in _formatters():
            got, want = views._per_value(fn, s), _per_value_reference(fn, s)
            assert [repr(g) for g in got] == [repr(w) for w in want]
    mixed = pd.Series([1.0, None, "x", 2, -0.0] * 40, dtype="object")  # through the loop
    for fn in (repr, lambda v: (repr(v), type(v).__name__)):
        for s in (mixed, list(mixed)):
            got, want = views._per_value(fn, s), _per_value_reference(fn, s)
            assert [repr(g) for g in got] == [repr(w) for w in want]
    # −0,0 keeps its sign through the float path (a signed format may tell them apart)
    probe = views._per_value(lambda v: math.copysign(1.0, v), pd.Series([0.0, -0.0] * 50))
    assert probe[:2] == [1.0, -1.0]


def test_per_value_equals_the_loop_on_every_economy_column(eng):
    compared = 0
    for namnd in queries.namnder(eng).itertuples():
        history = queries.economy_history(eng, int(namnd.namnd_id))
        for column in ("budget_year", "forecast_net", "forecast_deviation"):
            for fn in _formatters():
                got, want = views._per_value(fn, history[column]), _per_value_reference(fn, history[column])
                assert [repr(g) for g in got] == [repr(w) for w in want]
                compared += len(got)
    assert compared > 100


def test_history_chart_data_equals_the_row_by_row_version(eng):
    compared = 0
    for namnd in queries.namnder(eng).itertuples():
        history = queries.economy_history(eng, int(namnd.namnd_id))
        for rid in list(queries.rounds(eng, int(namnd.namnd_id))["round_id"])[-3:]:
            units = queries.units(eng, int(rid))
            ids = list(units["unit_id"].astype(int))
            for unit_ids in (ids, ids[: max(1, len(ids) // 3)]):
                for to_unit in ("tkr", "mnkr"):
                    fast = views.history_chart_data(history, units, unit_ids, "tkr", 0, to_unit)
                    want = _history_chart_data_reference(history, units, unit_ids, "tkr", 0, to_unit)
                    pd.testing.assert_frame_equal(fast, want, check_exact=True)
                    compared += len(fast)
    assert compared > 100


def _chart_frames(eng):
    """Per round, the deviation and budget/forecast bars' frames from the round's economy."""
    for namnd in queries.namnder(eng).itertuples():
        history = queries.economy_history(eng, int(namnd.namnd_id))
        for rid in list(queries.rounds(eng, int(namnd.namnd_id))["round_id"])[-3:]:
            units = queries.units(eng, int(rid))
            mine = history[history["round_id"] == rid]
            rows = views.history_chart_data(mine, units, list(units["unit_id"].astype(int)), "tkr", 0, "tkr")
            if rows.empty:
                continue
            dev = rows.assign(key=[f"k{i}" for i in range(len(rows))], summary=[i % 7 == 3 for i in range(len(rows))])
            bf = pd.DataFrame({"key": dev["key"], "label": rows["label"], "budget": rows["value"].abs() * 3,
                               "forecast": rows["value"].abs() * 2, "budget_text": rows["value_text"],
                               "forecast_text": rows["value_text"]})
            yield dev, bf


def test_bars_with_their_order_by_reference_send_the_same_spec(eng, monkeypatch):
    """deviation_bars and budget_vs_forecast give Altair their row order as charts._Order (kept by
    reference, not copied and walked per layer): the spec Streamlit sends equals the one built with
    the plain list, as before."""
    import json

    from streamlit.elements import vega_charts

    from dashboard import charts
    from dashboard.ui.elements import _finished, _spec

    def specs(dev, bf):
        built = [charts.deviation_bars(dev, "tkr").add_params(charts.click_param()),
                 charts.deviation_bars(dev, "mnkr", charts.axis_format(1), measure="Resultat mot budget"),
                 charts.budget_vs_forecast(bf, "tkr"), charts.budget_vs_forecast(bf, "tkr", figure="utfall")]
        # as Streamlit sends it: the stabilised JSON (Altair's view and parameter counters reset)
        return [vega_charts._stabilize_vega_json_spec(json.dumps(_spec(_finished(c)), sort_keys=True, default=repr))
                for c in built]

    compared = 0
    for dev, bf in _chart_frames(eng):
        fast = specs(dev, bf)
        with monkeypatch.context() as m:
            m.setattr(charts, "_order", list)  # the module as it was: the order as a list
            before = specs(dev, bf)
        assert fast == before
        assert all(json.loads(s) for s in fast)
        compared += 1
    assert compared >= 3


class _Shorthand:
    """altair as the economy charts used it before: a channel named only by its shorthand is the
    plain string ("x:Q"), which Altair converts itself."""

    def __init__(self, alt) -> None:
        self._alt = alt

    def __getattr__(self, name):
        real = getattr(self._alt, name)
        if name not in ("X", "Y", "X2", "Text"):
            return real
        return lambda *a, **k: a[0] if len(a) == 1 and not k and isinstance(a[0], str) else real(*a, **k)


def _economy_chart_specs(engine) -> list[str]:
    """Every economy chart of the last rounds' leaf lines as Streamlit sends it (stabilised JSON)."""
    import json

    import altair as alt
    from streamlit.elements import vega_charts

    from dashboard import accuracy as acc
    from dashboard import charts
    from dashboard import economy as ec
    from dashboard import rollups
    from dashboard import rounds as rd
    from dashboard.ui.elements import _finished, _spec

    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    out = []
    for namnd in queries.namnder(engine).itertuples():
        history = queries.economy_history(engine, int(namnd.namnd_id))
        rounds = queries.rounds(engine, int(namnd.namnd_id))
        for rnd in rounds.to_dict("records")[-4:]:
            table = rollups.table(fetch, int(rnd["round_id"]), rnd["kind"])
            if table.empty:
                continue
            words = rd.vocabulary(rnd)
            lines = ec.leaf_lines(table, list(table["unit_id"].astype(int)))
            args = (rnd["amount_unit"], int(rnd["decimals"]), rnd["amount_unit"])
            dev = views.deviation_chart_data(lines, *args, field=words.deviation_field)
            bf = views.budget_forecast_chart_data(lines, *args, field=words.net_field)
            hist = views.history_chart_data(history, fetch("units", int(rnd["round_id"])),
                                            list(lines["unit_id"].astype(int)), *args)
            ly = views.last_year_chart_data(lines, *args)
            inv = fetch("investments", int(rnd["round_id"]))
            built = [charts.deviation_bars(dev, "tkr").add_params(charts.click_param()) if len(dev) else None,
                     charts.budget_vs_forecast(bf, "tkr", charts.axis_format(1)) if len(bf) else None,
                     charts.forecast_across_rounds(hist, "tkr") if len(hist) else None,
                     charts.outcome_vs_last_year(ly, "tkr") if len(ly) else None]
            if len(inv):
                built.append(charts.investment_bullets(views.investment_chart_data(inv, *args), "tkr",
                                                       outcome=words.outcome))
            if rd.is_outcome(rnd):
                a = acc.for_round(fetch, acc.economy_fn(fetch), fetch("units", int(rnd["round_id"])), rounds, rnd)
                data = acc.chart_data(a)
                if len(data):
                    built.append(charts.forecast_outcome_dumbbell(data, "tkr"))
            out += [vega_charts._stabilize_vega_json_spec(json.dumps(_spec(_finished(c)), sort_keys=True, default=repr))
                    for c in built if c is not None]
    assert out and alt  # noqa: B015 - altair imported for the proxy below
    return out


def _specs_both_ways(engine, monkeypatch) -> int:
    import altair as alt

    from dashboard import charts

    fast = _economy_chart_specs(engine)
    with monkeypatch.context() as m:
        m.setattr(charts, "alt", _Shorthand(alt))  # the module as it was: shorthand strings
        before = _economy_chart_specs(engine)
    assert fast == before
    return len(fast)


def test_channels_as_objects_send_the_same_spec(eng, monkeypatch):
    assert _specs_both_ways(eng, monkeypatch) >= 4


def test_channels_as_objects_send_the_same_spec_with_bokslut(bokslut_engine, monkeypatch):
    assert _specs_both_ways(bokslut_engine, monkeypatch) >= 4
