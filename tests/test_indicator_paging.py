"""Indikatorer at more indicators than a screen holds (issue 15): the first screen draws 12 trend
charts of those that need attention, "Visa fler" draws 12 more and says so in the address
(fler=N), so a copied link shows the same charts; a bad fler gives a notice; and the cached cards
follow an import on the next run (cache per data version).

The data is the bench's synthetic kommun (bench.generate) at a small scale: 40 indicators, two
units with values; every indicator's target is 50 and its values are random, so most miss it."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from sqlalchemy import insert, select, update
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from dashboard import bench
from dashboard import models as m
from dashboard.db import make_engine, upgrade
from test_navigation import address, run

SCALE = bench.Scale("paging", namnder=1, units_per_namnd=110, rounds=2, indicators=40, indicator_units=2, runs=1)
PARAMS = {"kommun": "9990", "namnd": "N1", "tillfalle": "2025-12-31"}


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('paging') / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    bench.generate(engine, SCALE)
    engine.dispose()
    return url


@pytest.fixture
def app(synthetic_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", synthetic_url)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # see tests/test_pages.py
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    st.cache_resource.clear()

    def make(**params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in (PARAMS | params).items():
            at.query_params[key] = value
        at.switch_page("pages/indikatorer.py")
        return run(at)

    yield make
    st.cache_resource.clear()


def charts(at) -> list:
    return [c.proto for c in at.get("arrow_vega_lite_chart")] or [c.proto for c in at.get("vega_lite_chart")]


def needing_attention(at) -> int:
    line = next(m.value for m in at.markdown if "indikatorer behöver uppmärksamhet" in m.value)
    return int(line.removeprefix("**").split()[0])


def test_first_screen_draws_twelve_and_visa_fler_is_in_the_address(app):
    at = app()
    need = needing_attention(at)
    assert need > 24  # the data gives more than two screens (else the test proves nothing)
    assert len(charts(at)) == 12
    assert "fler" not in address(at)
    more = at.button(key="ind_more")
    assert more.label == f"Visa 12 indikatorer till ({need - 12} visas inte ännu)"
    more.click()
    run(at)
    assert len(charts(at)) == 24 and address(at)["fler"] == "1"

    again = app(**address(at))  # a copied link shows the same charts
    assert len(charts(again)) == 24
    assert [c.spec for c in charts(again)] == [c.spec for c in charts(at)]

    at.toggle(key="ind_all").set_value(True)  # another list opens on its first screen
    run(at)
    assert "fler" not in address(at) and len(charts(at)) == 40  # Visa alla: 48 a screen


def test_a_bad_fler_gives_a_notice_and_the_first_screen(app):
    at = app(fler="många")
    assert len(charts(at)) == 12
    notices = " ".join(str(x.value) for x in [*at.warning, *at.info, *at.toast, *at.caption, *at.markdown])
    assert "Värdet «många» för «fler» förstås inte" in notices


def test_an_import_is_seen_on_the_next_run(app, synthetic_url):
    at = app()
    first = charts(at)[0]
    engine = make_engine(synthetic_url)
    try:
        with engine.begin() as conn:
            rid = conn.execute(select(m.Round.id).where(m.Round.period_end == dt.date(2025, 12, 31))).scalar_one()
            # every value of the round changes to 12.5, in the same transaction as a new import-log
            # row (the data version), as an import writes them
            conn.execute(update(m.IndicatorValue).where(m.IndicatorValue.round_id == rid).values(value=12.5))
            conn.execute(insert(m.ImportLog).values(imported_at=dt.datetime.now(dt.UTC), file_name="test",
                                                    outcome="importerad", row_counts="{}"))
        run(at)  # the same session, its next run
        after = charts(at)
        assert [d.data.data for d in after[0].datasets] != [d.data.data for d in first.datasets]
        assert b"12,5" in after[0].datasets[0].data.data  # the new value's text in the chart's data
        assert b"12,5" not in first.datasets[0].data.data
    finally:
        engine.dispose()
