"""app.py's per-run work made cheaper must give what it gave before (issue 15):

- a round's unit keys and förvaltning choices from their own small queries (queries.unit_keys,
  queries.round_forvaltningar) equal what the whole organisation (queries.units) gave the sidebar
  and the address check, for every round of the built-in reports with the Bokslut workbooks and of
  the bench's small synthetic kommun, on SQLite and PostgreSQL;
- the data version as plain SQL equals the select it replaced, before and after an import;
- the catalog cached per user and data version shows a round imported after it was cached on the
  very next run.
"""

from __future__ import annotations

import pytest
import streamlit as st
from builders import base, set_cell, write_xlsx
from conftest import ROOT, _fresh_url, keep_app_routing
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard import viewstate as vs
from dashboard.db import make_engine, upgrade
from dashboard.importing import import_path
from dashboard.ui import navigation as nav


def _labels_reference(units) -> dict[str, str]:
    """navigation._forvaltning_labels as it was: from the round's whole organisation."""
    forv = units[(units["level"] == "förvaltning") & ~units["historical"].astype(bool)]
    labels = {vs.ALL: "Alla förvaltningar (hela nämndens redovisning)"}
    labels |= {r.key.casefold(): f"{r.name} ({r.key.upper()})" for r in forv.itertuples()}
    labels[vs.NAMND_ONLY] = "Hela nämnden (ej förvaltningsfördelat)"
    return labels


def _keys_reference(units) -> list[str]:
    forv = units[(units["level"] == "förvaltning") & ~units["historical"].astype(bool)]
    return [k.casefold() for k in forv["key"]]


def _compare_every_round(engine, monkeypatch) -> int:
    monkeypatch.setattr(nav, "q", lambda name, *args: getattr(queries, name)(engine, *args))
    rounds = 0
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        for round_id in queries.rounds(engine, int(namnd_id))["round_id"]:
            units = queries.units(engine, int(round_id))
            assert nav._unit_keys(int(round_id)) == set(units["key"])
            labels = nav._forvaltning_labels(int(round_id))
            assert labels == _labels_reference(units)
            assert list(labels) == list(_labels_reference(units))  # the sidebar's order too
            assert nav._forvaltning_keys(int(round_id)) == _keys_reference(units)
            rounds += 1
    return rounds


def test_unit_keys_and_forvaltningar_on_the_builtin_reports(bokslut_engine, monkeypatch):
    assert _compare_every_round(bokslut_engine, monkeypatch) >= 5


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_unit_keys_and_forvaltningar_on_the_synthetic_kommun(backend, tmp_path_factory, request, monkeypatch):
    from dashboard.bench import SCALES, generate

    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    upgrade(engine)
    generate(engine, SCALES["small"])
    assert _compare_every_round(engine, monkeypatch) == 6  # 2 nämnder × 3 rounds
    engine.dispose()


def test_data_version_as_plain_sql_equals_the_select(empty_engine, tmp_path):
    def reference():
        with empty_engine.connect() as conn:
            return tuple(conn.execute(queries.data_version_statement()).one())

    assert queries.data_version(empty_engine) == reference() == (0, 0)
    assert import_path(empty_engine, write_xlsx(base(), tmp_path / "a.xlsx")).ok
    version = queries.data_version(empty_engine)
    assert version == reference() and version != (0, 0)
    assert all(type(v) is int for v in version)


@pytest.fixture
def app_on(empty_engine, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", empty_engine.url.render_as_string(hide_password=False))
    keep_app_routing(monkeypatch)
    yield empty_engine
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_round_imported_after_the_catalog_was_cached_is_seen_on_the_next_run(app_on, tmp_path):
    engine = app_on
    first = base()
    assert import_path(engine, write_xlsx(first, tmp_path / "first.xlsx")).ok
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    select = next(s for s in at.sidebar.selectbox if s.key == "f_round")
    before = list(select.options)
    at.run()  # a cached rerun: the same rounds
    assert list(next(s for s in at.sidebar.selectbox if s.key == "f_round").options) == before

    later = base()
    set_cell(later, "Tillfälle", 2, "Typ", "Delår 2")
    set_cell(later, "Tillfälle", 2, "Periodslut", "2025-08-31")
    assert import_path(engine, write_xlsx(later, tmp_path / "later.xlsx")).ok
    at.run()  # the next run: the new round is there (the catalog is cached per data version)
    assert not at.exception, [e.value for e in at.exception]
    after = list(next(s for s in at.sidebar.selectbox if s.key == "f_round").options)
    assert len(after) == len(before) + 1, (before, after)
