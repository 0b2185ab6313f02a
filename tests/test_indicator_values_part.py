"""Indikatorer reads the values of the cards it draws (`queries.indicator_values_of_indicators`),
not the round's 5 400 values at full scale, and scopes targets with the units of all the round's
values (`queries.indicator_value_units`, `views.scope_targets`). What it shows is the same:

- data: for every round and scope of the built-in reports with the Bokslut workbooks (SQLite and
  PostgreSQL) and of the bench's small synthetic kommun, the scoped targets equal
  views.indicator_scope's, and every card's chart data from a part of the values (the indicators a
  screen draws, twelve at a time) equals the card's chart data from all of them, exactly;
- page: the Indikatorer page draws the same elements, charts' data included, as when the part
  query hands it every value of the round – and on its first screen it reads twelve indicators'
  values, not the round's."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT, keep_app_routing
from dashboard import bench, queries, views
from dashboard import economy as ec
from dashboard.db import make_engine, upgrade
from test_navigation import run

SCREEN = 12  # the cards of Indikatorer's first screen


def _rounds(engine) -> list[int]:
    return [int(r) for n in queries.namnder(engine)["namnd_id"] for r in queries.rounds(engine, int(n))["round_id"]]


def _scopes(engine, round_id: int) -> list[list[int] | None]:
    units = queries.units(engine, round_id)
    keys = [k for k, level in zip(units["key"], units["level"], strict=True) if level == "förvaltning"]
    return [None, *(ec.scope_unit_ids(units, k) for k in keys)]


def _card(values: pd.DataFrame, targets: pd.DataFrame, indicator_id: int, genders: set[str], unit):
    """A card's chart data as ui/indicators.indicator_cards makes it (values numbered from 0, the
    numbers as floats)."""
    vals = values[(values["indicator_id"] == indicator_id) & values["gender"].isin(genders)]
    if vals.empty:
        vals = values[values["indicator_id"] == indicator_id]
    tgts = targets[(targets["indicator_id"] == indicator_id) & targets["gender"].isin(set(vals["gender"]))]
    vals = vals.reset_index(drop=True).astype({"value": "float64", "old_method_value": "float64"})
    return views.indicator_chart_data(vals, tgts, unit)


def _check(engine) -> tuple[int, int]:
    rounds = cards = 0
    for round_id in _rounds(engine):
        everything = queries.indicator_values(engine, round_id)
        if everything.empty:
            assert not queries.has_indicator_values(engine, round_id)
            continue
        rounds += 1
        targets = queries.indicator_targets(engine, round_id)
        indicators = queries.indicators(engine, round_id)
        units_with_values = queries.indicator_value_units(engine, round_id)
        assert units_with_values == frozenset(int(u) for u in everything["unit_id"])
        ids = [int(i) for i in indicators["indicator_id"]]
        for scope in _scopes(engine, round_id):
            whole_values, whole_targets = views.indicator_scope(everything, targets, scope)
            scoped_targets = views.scope_targets(targets, scope, units_with_values)
            pd.testing.assert_frame_equal(scoped_targets, whole_targets, check_exact=True)
            for start in range(0, len(ids), SCREEN):
                part_ids = tuple(ids[start:start + SCREEN])
                part = views.scope_values(queries.indicator_values_of_indicators(engine, round_id, part_ids), scope)
                for ind in indicators[indicators["indicator_id"].isin(part_ids)].itertuples():
                    for genders in views.GENDER_CHOICES.values():
                        want = _card(whole_values, whole_targets, int(ind.indicator_id), genders, ind.measure_unit)
                        got = _card(part, scoped_targets, int(ind.indicator_id), genders, ind.measure_unit)
                        for w, g in zip(want, got, strict=True):
                            pd.testing.assert_frame_equal(g, w, check_exact=True)
                        cards += 1
    return rounds, cards


def test_builtin_reports(bokslut_engine):
    rounds, cards = _check(bokslut_engine)
    assert rounds >= 1 and cards > 100


def test_synthetic_kommun(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    bench.generate(engine, bench.SCALES["small"])
    try:
        rounds, cards = _check(engine)
        assert rounds >= 6 and cards > 500
    finally:
        engine.dispose()


# --- the page ------------------------------------------------------------------------------------

SCALE = bench.Scale("part", namnder=1, units_per_namnd=110, rounds=2, indicators=40, indicator_units=2, runs=1)
PARAMS = {"kommun": "9990", "namnd": "N1", "tillfalle": "2025-12-31"}
VIEWS = [{}, {"fler": "1"}, {"alla": "1", "kon": "km"}, {"forvaltning": "f0"}, {"kon": "alla", "tillfalle": "2025-11-30"},
         {"visa": "tabell"}]


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('part') / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    bench.generate(engine, SCALE)
    engine.dispose()
    return url


def _shown(at: AppTest) -> list:
    """What the page drew: every chart's spec and data, every text, every table's data."""
    out = []
    for chart in at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"):
        out.append((chart.proto.spec, [(d.name, d.data.data) for d in chart.proto.datasets]))
    out += [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    out += [d.proto.arrow_data.data for d in at.dataframe]
    return out


def test_the_page_draws_the_same_from_the_drawn_cards_values(synthetic_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", synthetic_url)
    keep_app_routing(monkeypatch)
    read = []
    part = queries.indicator_values_of_indicators

    def counted(engine, round_id, indicator_ids):
        read.append(len(indicator_ids))
        return part(engine, round_id, indicator_ids)

    def page(**params: str) -> list:
        st.cache_resource.clear()  # each way reads the database itself
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in (PARAMS | params).items():
            at.query_params[key] = value
        at.switch_page("pages/indikatorer.py")
        return _shown(run(at))

    try:
        for view in VIEWS:
            monkeypatch.setattr(queries, "indicator_values_of_indicators", counted)
            read.clear()
            drawn = page(**view)
            if not view:  # the first screen: twelve cards, twelve indicators' values
                assert read == [SCREEN]
                assert sum(1 for x in drawn if isinstance(x, tuple)) == SCREEN
            if view.get("visa") == "tabell":  # the tables and the download need every value
                assert read == []
            # the same page when the part query hands over every value of the round
            monkeypatch.setattr(queries, "indicator_values_of_indicators",
                                lambda engine, round_id, ids: queries.indicator_values(engine, round_id))
            assert page(**view) == drawn, view
    finally:
        st.cache_resource.clear()
