"""One snapshot per page run (issue 10.6): an import committed between two queries of one script
run never gives a page that mixes the two versions; the data version cannot lag the data."""

from __future__ import annotations

import pytest
import streamlit as st
from builders import base, set_cell, write_xlsx
from conftest import ROOT, keep_app_routing
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard import data, queries
from dashboard.importing import import_path
from dashboard.models import EconomyLine, GoalAssessment

NBSP = "\u00a0"


def _workbooks(tmp_path):
    v1 = base()
    v2 = base()
    set_cell(v2, "Ekonomi", 2, "Prognosavvikelse", "90")  # the nämnd's forecast: 50 -> 90 tkr
    set_cell(v2, "Mål", 2, "Bedömning", "Uppnås")  # the goal: delvis -> uppnås
    return write_xlsx(v1, tmp_path / "v1.xlsx"), write_xlsx(v2, tmp_path / "v2.xlsx")


@pytest.fixture
def two_versions(empty_engine, tmp_path, monkeypatch):
    v1, v2 = _workbooks(tmp_path)
    assert import_path(empty_engine, v1).ok
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", empty_engine.url.render_as_string(hide_password=False))
    keep_app_routing(monkeypatch)
    yield empty_engine, v2
    st.cache_data.clear()
    st.cache_resource.clear()


def _page(at: AppTest) -> str:
    parts = [f"{m.label}: {m.value}" for m in at.metric] + [m.value for m in at.markdown]
    return "\n".join(parts).replace(NBSP, " ")


def test_import_between_two_queries_of_one_run_never_mixes_versions(two_versions, monkeypatch):
    engine, v2 = two_versions
    seen: list[str] = []

    def then_import(real):
        def economy_then_import(eng, round_id):
            frame = real(eng, round_id)  # read in this run's snapshot (version 1) ...
            if not seen:
                seen.append("import")
                assert import_path(engine, v2).ok  # ... then version 2 is committed mid-run
            return frame
        return economy_then_import

    # the round's economy as printed, or its stored tree (rollups.py) where a page reads that first
    monkeypatch.setattr(queries, "economy", then_import(queries.economy))
    monkeypatch.setattr(queries, "economy_rollup", then_import(queries.economy_rollup))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert seen == ["import"]
    page = _page(at)
    # Version 2 everywhere: its forecast (90, not 50) beside its goal assessment (Uppnås, not delvis).
    assert "Prognosavvikelse helår: +90 tkr" in page, page
    assert "Uppnås delvis" not in page and "Uppnås" in page, page
    # The run that saw the import stored nothing under version 1 read after it: the store holds
    # version 2 only.
    versions = {key[0] for key in data.store()._entries}
    assert versions == {tuple(queries.data_version(engine))}

    at.run()  # the next rerun shows the same (cached) version 2
    assert "Prognosavvikelse helår: +90 tkr" in _page(at)


def test_a_miss_after_an_import_is_not_stored_under_the_old_version(two_versions):
    engine, v2 = two_versions
    data.engine()  # the process's engine on this database
    old = tuple(queries.data_version(engine))
    assert len(data.cached_query(old, "economy", (1,))) > 0
    assert import_path(engine, v2).ok
    new = tuple(queries.data_version(engine))
    assert new != old
    with pytest.raises(data.StaleVersion) as caught:
        data.cached_query(old, "goal_assessments", (1, 1))
    assert caught.value.now == new
    assert all(key[0] == old for key in data.store()._entries)  # nothing of version 2 under version 1


def test_snapshot_reads_one_state_while_an_import_commits(two_versions):
    engine, v2 = two_versions
    forecast = select(func.max(EconomyLine.forecast_deviation))
    goal = select(func.max(GoalAssessment.status))
    with data.snapshot(engine) as pinned, pinned.connect() as conn:
        before = tuple(queries.data_version(pinned))
        assert conn.execute(forecast).scalar_one() == 60
        assert import_path(engine, v2).ok  # committed by another connection
        assert conn.execute(goal).scalar_one() == "delvis"  # still version 1
        assert tuple(queries.data_version(pinned)) == before
    with engine.connect() as conn:
        assert conn.execute(forecast).scalar_one() == 90
        assert conn.execute(goal).scalar_one() == "uppnas"


def test_import_log_is_written_with_the_data(empty_engine, tmp_path):
    """The version (the log) and the data are one transaction: no committed import without it."""
    v1, _ = _workbooks(tmp_path)
    assert tuple(queries.data_version(empty_engine)) == (0, 0)
    assert import_path(empty_engine, v1).ok
    version = tuple(queries.data_version(empty_engine))
    assert version[1] == 1
    with empty_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EconomyLine)).scalar_one() == 4


def test_store_drops_large_values_first_when_the_bytes_run_out():
    """The byte bound holds, and the small values every run needs (rounds, visible rounds) survive
    a run that stores large ones; the entry bound still drops the oldest whatever its size."""
    import pandas as pd

    from dashboard import data

    store = data.Store(max_entries=10, max_bytes=3 * data.LARGE_BYTES)
    small = {"rounds": [1, 2, 3]}
    store.get(((1, 1), "q", "rounds", (1,)), lambda: small)
    big = [pd.DataFrame({"x": range(6_000)}) for _ in range(4)]  # each ≥ 1 MiB by the store's estimate
    assert all(data._size(b) >= data.LARGE_BYTES for b in big)
    for i, frame in enumerate(big):
        store.get(((1, 1), "q", "history", (i,)), lambda frame=frame: frame)
    keys = list(store._entries)
    assert ((1, 1), "q", "rounds", (1,)) in keys  # the small, oldest value stayed
    assert ((1, 1), "q", "history", (0,)) not in keys  # the oldest large one went
    assert store._bytes <= store.max_bytes
    for i in range(20):  # over the entry bound: the oldest goes, small or not
        store.get(((1, 1), "q", "tiny", (i,)), lambda: i)
    assert len(store) == 10 and ((1, 1), "q", "rounds", (1,)) not in store._entries
