"""Indikatorer's trend charts come from a template per shape (ui/indicators.trend_spec): every card
of the built-in reports, in every Kön choice, on the screen and on a projector, is exactly the spec
Altair builds for it (the path show_chart takes), datasets included; and cards are cached per data
version, so an import is seen on the next run."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

SCRIPT = '''
import streamlit as st
from dashboard import charts, queries, views
from dashboard.data import engine, q
from dashboard.ui.elements import _finished, _spec
from dashboard.ui.indicators import trend_spec
from dashboard.ui.projector import PROJECTOR_KEY

st.session_state[PROJECTOR_KEY] = st.session_state.get("projector_flag", False)
checked, templates, differ = 0, set(), []
projector = st.session_state[PROJECTOR_KEY]
for namnd_id in q("namnder")["namnd_id"]:
    # on a projector only the shapes differ (type size, height): the newest round is enough there
    for round_id in q("rounds", int(namnd_id))["round_id"][: 1 if projector else None]:
        indicators = q("indicators", int(round_id))
        values, targets = q("indicator_values", int(round_id)), q("indicator_targets", int(round_id))
        for ind in indicators.itertuples():
            for label, genders in views.GENDER_CHOICES.items():
                if label == "Kvinnor och män" or (projector and label != "Totalt"):
                    continue  # "Alla" has the same series and more
                vals = values[(values["indicator_id"] == ind.indicator_id) & values["gender"].isin(genders)]
                if vals.empty:
                    vals = values[values["indicator_id"] == ind.indicator_id]
                if vals.empty:
                    continue
                tgts = targets[(targets["indicator_id"] == ind.indicator_id) & targets["gender"].isin(set(vals["gender"]))]
                data, tdata = views.indicator_chart_data(vals, tgts, ind.measure_unit)
                fast = trend_spec(data, tdata, ind.measure_unit)
                altair = _spec(_finished(charts.indicator_trend(data, tdata, ind.measure_unit)))
                checked += 1
                if fast != altair or list(fast["datasets"]) != list(altair["datasets"]):
                    differ.append(f"{ind.name} {sorted(genders)}")
                templates.add(str(sorted(k for k in fast if k != "datasets")))
st.session_state["result"] = (checked, differ)
'''


def test_template_specs_equal_altair_for_every_builtin_card(sqlite_builtin_url, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", sqlite_builtin_url)
    st.cache_resource.clear()
    try:
        for projector in (False, True):
            at = AppTest.from_string(SCRIPT, default_timeout=300)
            at.session_state["projector_flag"] = projector
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            checked, differ = at.session_state["result"]
            assert checked >= (30 if projector else 90), checked  # every kind: nämndindikatorer, volymer, personal
            assert differ == []
    finally:
        st.cache_resource.clear()


def test_shapes_with_missing_values_old_method_and_shared_datasets(monkeypatch, tmp_path):
    """Layers the built-in cards may lack: I.U. in every period, an old-method value, no target,
    several series; each against Altair's own spec."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    from dashboard.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    st.cache_resource.clear()
    script = '''
import pandas as pd
import streamlit as st
from dashboard import charts
from dashboard.ui.elements import _finished, _spec
from dashboard.ui.indicators import trend_spec

def frame(values, old, series):
    n = len(values)
    return pd.DataFrame({"date": [f"202{i}-12-31" for i in range(n)], "period_label": [f"Helår 202{i}" for i in range(n)],
                         "series": series, "value": values, "value_text": ["x"] * n, "note": [""] * n,
                         "old_value": old, "old_text": ["" if o is None else "y" for o in old]})

targets = pd.DataFrame({"series": ["A"], "target": [5.0], "target_text": ["≥ 5"]})
no_targets = pd.DataFrame({"series": [], "target": [], "target_text": []})
cases = [
    (frame([None, None], [None, None], ["A", "A"]), targets, "%"),  # every period I.U.
    (frame([1.0, None, 3.0], [2.0, None, None], ["A", "A", "B"]), targets, "antal"),
    (frame([1.0, 2.0], [None, None], ["A", "B"]), no_targets, None),
    (frame([4.0, 5.0], [None, None], ["A", "A"]), targets, "%"),
    (frame([7.0, 8.0], [None, None], ["A", "A"]), targets, "%"),  # the same shape again: from the template
]
st.session_state["same"] = [trend_spec(d, t, u) == _spec(_finished(charts.indicator_trend(d, t, u))) for d, t, u in cases]
'''
    try:
        at = AppTest.from_string(script, default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["same"] == [True] * 5
    finally:
        st.cache_resource.clear()


def test_frames_for_the_chart_are_altairs(monkeypatch):
    from dashboard.ui.indicators import _trend_frames

    data = pd.DataFrame({"value": [1.0, None], "old_value": [None, 2.0]})
    tdata = pd.DataFrame({"series": ["A", "B"], "target": [None, 3.0], "target_text": ["", "≥ 3"]})
    main, missing, old, target = _trend_frames(data, tdata)
    assert main is data and list(missing.index) == [1] and list(old.index) == [1] and list(target["series"]) == ["B"]
