"""A chart shown from the per-version spec cache (show_chart with cache_key) is exactly the chart
st.altair_chart sends: same spec, same datasets, on the screen and on a projector."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SCRIPT = '''
import pandas as pd
import streamlit as st
from dashboard import charts
from dashboard.ui import show_chart
from dashboard.ui.projector import PROJECTOR_KEY

st.session_state[PROJECTOR_KEY] = st.session_state.get("projector_flag", False)
frame = pd.DataFrame({"key": ["a", "b", "c"], "label": ["Skola A", "Skola B", "Omsorg"],
                      "value": [-1200.0, 300.0, 45.5], "value_text": ["−1 200 tkr", "+300 tkr", "+46 tkr"],
                      "kind": ["Underskott", "Överskott", "Överskott"]})
build = lambda: charts.deviation_bars(frame, "tkr", charts.axis_format(0)).add_params(charts.click_param())
show_chart(build(), width="stretch", on_select="rerun", key="direct")
show_chart(build, cache_key=("test", "deviation"), width="stretch", on_select="rerun", key="cached")
'''


def _charts(at):
    return [c.proto for c in at.get("arrow_vega_lite_chart")] or [c.proto for c in at.get("vega_lite_chart")]


def test_cached_chart_equals_direct_chart(monkeypatch, tmp_path):
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    from dashboard.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    st.cache_resource.clear()
    for projector in (False, True):
        at = AppTest.from_string(SCRIPT, default_timeout=60)
        at.session_state["projector_flag"] = projector
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        direct, cached = _charts(at)
        assert direct.spec == cached.spec
        assert [(d.name, d.data.data) for d in direct.datasets] == [(d.name, d.data.data) for d in cached.datasets]
        assert list(direct.selection_mode) == list(cached.selection_mode)
        assert "Skola A" in cached.spec or any(b"Skola A" in d.data.data for d in cached.datasets)
        at.run()  # the second run comes from the cache and is still the same chart
        direct, cached = _charts(at)
        assert direct.spec == cached.spec
    st.cache_resource.clear()


def test_sending_a_cached_spec_leaves_it_unchanged():
    """show_chart hands st.vega_lite_chart a copy of only the dicts Streamlit changes (top level,
    encoding, encoding.color and its legend): after sending, the cached spec is as before, and
    what was sent equals what a deep copy would have sent."""
    import copy
    import json

    import pandas as pd
    from streamlit.elements import vega_charts
    from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart

    from dashboard import charts
    from dashboard.ui.elements import _finished, _spec, _spec_copy

    frame = pd.DataFrame({"key": ["a", "b"], "label": ["Skola A", "Omsorg"], "value": [-1200.0, 45.5],
                          "value_text": ["−1 200 tkr", "+46 tkr"]})
    specs = [_spec(_finished(charts.deviation_bars(frame, "tkr").add_params(charts.click_param()))),
             # a single view whose colour has null titles: the one nested place Streamlit patches
             {"mark": "bar", "data": {"values": [{"a": 1}]}, "datasets": {"x": [{"a": 1}]},
              "encoding": {"color": {"field": "a", "title": None, "legend": {"title": None}}}}]
    for spec in specs:
        before = copy.deepcopy(spec)
        sent = []
        for given in (_spec_copy(spec), copy.deepcopy(spec)):
            for stretch in (True, False):
                out = vega_charts._prepare_vega_lite_spec(given, stretch)
                vega_charts._marshall_chart_data(VegaLiteChart(), out, None)
                sent.append(json.dumps(out, sort_keys=True, default=str))
        assert spec == before
        assert sent[:2] == sent[2:]


INVESTMENT_SCRIPT = '''
import pandas as pd
import streamlit as st
from dashboard import charts
from dashboard.ui import show_chart
from dashboard.ui.projector import PROJECTOR_KEY

st.session_state[PROJECTOR_KEY] = st.session_state.get("projector_flag", False)
frame = pd.DataFrame({"label": ["P1 Skolgård", "P2 Kök"], "budget": [1200.0, 300.0], "actual": [800.0, 310.0],
                      "forecast": [1100.0, 305.0], "budget_text": ["1 200 tkr", "300 tkr"],
                      "actual_text": ["800 tkr", "310 tkr"], "forecast_text": ["1 100 tkr", "305 tkr"]})
outcome = st.session_state.get("outcome_flag", False)
build = lambda: charts.investment_bullets(frame, "tkr", charts.axis_format(0), outcome=outcome)
show_chart(build(), width="stretch")
show_chart(build, cache_key=("test", "inv", outcome), width="stretch")
'''


def test_cached_investment_chart_equals_direct_chart(monkeypatch, tmp_path):
    """Ekonomi's investment bullets from the spec cache (a warm rerun no longer builds them)."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    from dashboard.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    st.cache_resource.clear()
    for projector in (False, True):
        for outcome in (False, True):
            at = AppTest.from_string(INVESTMENT_SCRIPT, default_timeout=60)
            at.session_state["projector_flag"] = projector
            at.session_state["outcome_flag"] = outcome
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            direct, cached = _charts(at)
            assert direct.spec == cached.spec
            assert [(d.name, d.data.data) for d in direct.datasets] == [(d.name, d.data.data) for d in cached.datasets]
    st.cache_resource.clear()


def _deviation_cases(engine):
    """(chart data, unit, axis format, measure) as Ekonomi draws them: every round of every nämnd,
    the whole nämnd and each förvaltning, in both units, the forecast and (a Bokslut) the result."""
    from dashboard import accuracy as acc
    from dashboard import charts, queries, views
    from dashboard import economy as ec
    from dashboard import rounds as rd

    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    economy = acc.economy_fn(fetch)
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        for rnd in fetch("rounds", int(namnd_id)).to_dict("records"):
            units, table = fetch("units", int(rnd["round_id"])), economy(rnd)
            if table.empty:
                continue
            words = rd.vocabulary(rnd)
            scopes = [ec.ALL] + list(units.loc[units["level"] == "förvaltning", "key"])[:2]
            for scope in scopes:
                lines = ec.leaf_lines(table, ec.scope_unit_ids(units, scope))
                for to_unit in ("tkr", "mnkr"):
                    dev = views.deviation_chart_data(lines, rnd["amount_unit"], int(rnd["decimals"]), to_unit,
                                                     field=words.deviation_field)
                    yield dev, to_unit, charts.axis_format(int(rnd["decimals"])), words.deviation_short


def test_deviation_spec_from_its_template_equals_the_chart_built_anew(bokslut_engine, monkeypatch):
    """Ekonomi's deviation chart from the first chart of its kind with another round's rows put in
    (ui.elements.deviation_spec) is exactly the spec built from the chart itself: every round,
    scope and unit of the built-in reports and the Bokslut workbooks, with and without the click
    parameter, on the screen and on a projector, with no rows, a summary line and one row."""
    from dashboard import charts
    from dashboard.ui import elements

    cases = list(_deviation_cases(bokslut_engine))
    first = cases[0][0]
    summary = first.assign(summary=[i == 0 for i in range(len(first))])
    cases += [(first.assign(value=0.0), "tkr", ",.0f", "Prognosavvikelse"),  # nothing drawn but zero
              (summary, "tkr", ",.0f", "Prognosavvikelse"), (first.head(1), "tkr", ",.0f", "Prognosavvikelse")]
    filled = 0
    for on_projector in (False, True):
        monkeypatch.setattr(elements, "projector", lambda flag=on_projector: flag)
        elements._DEVIATION_TEMPLATES.clear()
        for dev, unit, value_format, measure in cases:
            for click in (True, False):
                reused = (unit, value_format, measure, click, charts.deviation_parts(dev).kinds,
                          on_projector) in elements._DEVIATION_TEMPLATES
                got = elements.deviation_spec(dev, unit, value_format, measure, click=click)
                chart = charts.deviation_bars(dev, unit, value_format, measure=measure)
                want = elements._spec(elements._finished(chart.add_params(charts.click_param()) if click else chart))
                assert _named(got) == _named(want), (unit, measure, len(dev), on_projector)
                assert got["datasets"] == want["datasets"]  # the same names and Arrow bytes, in order
                assert list(got["datasets"]) == list(want["datasets"])
                filled += reused
    assert filled > 50  # most charts came from a template


def _named(spec: dict) -> str:
    """The spec without its datasets, Altair's per-chart view name made one (Streamlit makes
    the names it sends stable itself: `view_<random>_0` differs between two builds of one chart)."""
    import json
    import re

    return re.sub(r"view_[0-9a-f]+_", "view_", json.dumps({k: v for k, v in spec.items() if k != "datasets"},
                                                          sort_keys=True, ensure_ascii=False))
