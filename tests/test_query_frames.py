"""`queries._to_frame` (columns whose Python types settle their dtype straight from NumPy) builds
exactly the frame pandas' own inference gave (`_to_frame_inferred`, the way every query was read
before): same columns, dtypes and values, None for missing text – for every query on the built-in reports with the Bokslut
workbooks and on the bench's small synthetic kommun, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import bokslut_data as bd
from conftest import _fresh_url
from dashboard import queries
from dashboard.db import init_db, make_engine, upgrade

PER_ROUND = ["units", "economy", "economy_rollup", "economy_rollup_previous", "result_lines", "investments",
             "costs_by_type", "commentary", "events", "goal_assessments", "goal_counts", "activities",
             "activity_counts", "indicators", "indicator_values", "indicator_targets", "risks", "control_steps"]
PER_NAMND = ["rounds", "economy_history", "goal_history", "activity_history"]


def _compare_every_query(engine, monkeypatch) -> int:
    seen: list[tuple[list[tuple], list[str]]] = []
    original = queries._to_frame

    def both(rows, columns):
        seen.append((rows, columns))
        return original(rows, columns)

    monkeypatch.setattr(queries, "_to_frame", both)
    queries.namnder(engine)
    queries.user_roles(engine, "nobody")
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        for name in PER_NAMND:
            getattr(queries, name)(engine, int(namnd_id))
        for round_id in queries.rounds(engine, int(namnd_id))["round_id"]:
            for name in PER_ROUND:
                getattr(queries, name)(engine, int(round_id))
    monkeypatch.setattr(queries, "_to_frame", original)
    for rows, columns in seen:
        pd.testing.assert_frame_equal(queries._to_frame(rows, columns), queries._to_frame_inferred(rows, columns),
                                      check_exact=True, obj=",".join(columns))
        got = queries._to_frame(rows, columns)
        for column in got.columns:  # missing text is None, never NaN
            if got[column].dtype == object:
                assert not any(isinstance(v, float) and v != v for v in got[column]), column
    return len(seen)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_query_on_the_builtin_reports(backend, tmp_path_factory, request, monkeypatch):
    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    assert _compare_every_query(engine, monkeypatch) > 100
    engine.dispose()


def test_every_query_on_the_synthetic_kommun(tmp_path, monkeypatch):
    from dashboard.bench import SCALES, generate

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    generate(engine, SCALES["small"])
    init_db(engine, load_builtin=False)
    assert _compare_every_query(engine, monkeypatch) > 20
    engine.dispose()


def test_text_dates_and_missing_values():
    rows = [("a", None, 1, 1.5, None, dt.date(2024, 4, 30), True, None, None, 0.5),
            (None, None, 2, None, 3, dt.date(2024, 8, 31), False, "x", dt.date(2024, 12, 31), 2)]
    columns = ["text", "empty", "int", "float", "int_or_none", "date", "flag", "late_text", "date_or_none",
               "float_and_int"]
    got = queries._to_frame(rows, columns)
    pd.testing.assert_frame_equal(got, queries._to_frame_inferred(rows, columns), check_exact=True)
    assert list(got["text"]) == ["a", None] and list(got["empty"]) == [None, None]
    assert got["text"].dtype == object and got["late_text"].dtype == object
    assert got["int"].dtype == "int64" and got["float"].dtype == "float64" and got["flag"].dtype == bool
    assert got["date_or_none"].dtype == object and list(got["date_or_none"]) == [None, dt.date(2024, 12, 31)]
    assert got["int_or_none"].dtype == "float64" and got["float_and_int"].dtype == "float64"
    pd.testing.assert_frame_equal(queries._to_frame([], columns), queries._to_frame_inferred([], columns))
