"""Status mot målvärde stored per round (revisions 0006 and 0007, `indicator_status.py`): the
import stores each round's latest value rows with their series' targets and the nämnd-wide status
judged from them, `init-db` builds them for rounds imported before, and the pages' status read
from the stored rows of a scope is exactly the frame `targets.latest_status` computes from the
scope's values and targets – rows, row order (its sort
is not stable: the order follows the input's), columns, dtypes, values (`check_exact`), and which
of two equally near targets wins (the first table's by name).

For every round and every scope Översikt, Mål, Indikatorer and Bildspel use (the whole nämnd,
each förvaltning, only the nämnd's own units) and units of every level for Verksamhet, on the
built-in reports with the Bokslut workbooks (SQLite and PostgreSQL) and on the bench's small
synthetic kommun (whose generator writes no status rows: init-db stores them)."""

from __future__ import annotations

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import inspect, select

import bokslut_data as bd
from conftest import _fresh_url
from dashboard import data, queries
from dashboard import economy as ec
from dashboard import indicator_status as stored
from dashboard import models as m
from dashboard import targets as tg
from dashboard.db import alembic_config, init_db, make_engine, upgrade


def _rounds(engine) -> list[int]:
    with engine.connect() as conn:
        return [int(r) for r in conn.execute(select(m.Round.id).order_by(m.Round.id)).scalars()]


def _scopes(units: pd.DataFrame) -> list[tuple[int, ...] | None]:
    keys = [k for k, level in zip(units["key"], units["level"], strict=True) if level == "förvaltning"]
    return [None, *(tuple(ec.scope_unit_ids(units, s)) for s in [*keys, ec.NAMND_ONLY])]


def _stored_rows(engine) -> list[tuple]:
    cols = list(m.IndicatorStatus.__table__.columns)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(*cols).order_by(m.IndicatorStatus.round_id,
                                                                       m.IndicatorStatus.seq))]
        marked = [int(r) for r in conn.execute(select(m.IndicatorStatusRound.round_id)
                                               .order_by(m.IndicatorStatusRound.round_id)).scalars()]
        judged = [tuple(r) for r in conn.execute(select(*m.IndicatorJudged.__table__.columns)
                                                 .order_by(m.IndicatorJudged.round_id, m.IndicatorJudged.position))]
        judged_marked = [int(r) for r in conn.execute(select(m.IndicatorJudgedRound.round_id)
                                                      .order_by(m.IndicatorJudgedRound.round_id)).scalars()]
    return rows, marked, judged, judged_marked


def _check(engine, monkeypatch) -> tuple[int, int, int]:
    """(rounds with statuses, statuses compared, units compared); asserts each is equal."""
    monkeypatch.setattr(data, "q", lambda name, *args: getattr(queries, name)(engine, *args))
    assert stored.missing(engine) == []
    rounds = statuses = units_checked = 0
    misses_compared = []
    for round_id in _rounds(engine):
        assert queries.indicator_status_stored(engine, round_id)
        units = queries.units(engine, round_id)
        indicators = queries.indicators(engine, round_id)
        values, targets = queries.indicator_values(engine, round_id), queries.indicator_targets(engine, round_id)
        for scope in _scopes(units):
            computed = data._computed_indicator_status(round_id, scope)
            # as computed before revision 0006, written out: the pages' views.indicator_scope
            from dashboard import views

            pd.testing.assert_frame_equal(
                computed, tg.latest_status(indicators, *views.indicator_scope(values, targets, list(scope) if scope
                                                                               is not None else None)),
                check_exact=True)
            pd.testing.assert_frame_equal(stored.status(data.q, round_id, scope), computed, check_exact=True)
            pd.testing.assert_frame_equal(data._indicator_status(round_id, scope), computed, check_exact=True)
            pd.testing.assert_frame_equal(data._latest_indicator_status(round_id, scope),
                                          data._computed_latest_indicator_status(round_id, scope), check_exact=True)
            statuses += len(computed)
            if scope is None:  # Översikt's misses of the whole nämnd, from what the import judged
                counts, misses = data._indicator_misses(round_id)
                assert sum(counts.values()) == len(computed)
                assert counts == ({} if computed.empty else
                                  computed.groupby(["status", "gender"]).size().astype(int).to_dict())
                want = (computed[(computed["status"] == tg.MISSES.code) & (computed["gender"] == "T")]
                        if len(computed) else computed)
                if len(want) or len(misses):
                    # the same rows, values and dtypes – but a column all missing among the misses
                    # (target_text) is inferred as object rather than text; what Översikt shows of
                    # them is the same
                    want = want.reset_index(drop=True)
                    for column in want.columns:
                        if misses[column].dtype != want[column].dtype:
                            assert misses[column].dtype == object and misses[column].isna().all(), column
                    pd.testing.assert_frame_equal(misses, want, check_exact=True, check_dtype=False)
                    pd.testing.assert_frame_equal(views.indicator_miss_table(misses.head(10)),
                                                  views.indicator_miss_table(want.head(10)), check_exact=True)
                    misses_compared.append(len(misses))
        # Verksamhet: the values of a unit's subtree (every value for the nämnd) with all targets
        step = max(1, len(units) // 40)
        for unit_id, level in list(zip(units["unit_id"], units["level"], strict=True))[::step]:
            subtree = tuple(int(u) for u in ec.descendants(units, int(unit_id)))
            own = None if level == "nämnd" else subtree
            mine = values if own is None else queries.indicator_values_of_units(engine, round_id, subtree)
            pd.testing.assert_frame_equal(data._unit_indicator_status(round_id, own),
                                          tg.latest_status(indicators, mine, targets), check_exact=True)
            units_checked += 1
        rounds += bool(len(values))
    assert sum(misses_compared) > 0  # some round has misses to list
    return rounds, statuses, units_checked


@pytest.fixture(scope="module")
def imported(bokslut_engine):
    return bokslut_engine


def test_builtin_reports(imported, monkeypatch):
    rounds, statuses, units_checked = _check(imported, monkeypatch)
    assert rounds >= 1 and statuses > 100 and units_checked > rounds


def test_synthetic_kommun_after_init_db(tmp_path, monkeypatch):
    from dashboard.bench import SCALES, generate

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    generate(engine, SCALES["small"])
    assert len(stored.missing(engine)) == len(_rounds(engine))  # the generator writes none
    # not stored: the pages compute the status as before
    monkeypatch.setattr(data, "q", lambda name, *args: getattr(queries, name)(engine, *args))
    assert stored.status(data.q, _rounds(engine)[-1]) is None
    init_db(engine, load_builtin=False)
    rounds, statuses, _ = _check(engine, monkeypatch)
    assert rounds >= 6 and statuses > 500
    engine.dispose()


def test_the_first_tables_target_wins_from_the_stored_rows(imported, monkeypatch):
    """Linköping AMN 2023 prints UTB's target for personalavgångar externt twice: 2,4 in
    Nämndindikatorer and 2,6 in Personal. The stored rows keep the first table's by name."""
    monkeypatch.setattr(data, "q", lambda name, *args: getattr(queries, name)(imported, *args))
    amn = queries.namnder(imported).query("kommun_code == '0580' and namnd_code == 'AMN'")
    round_id = int(queries.rounds(imported, int(amn["namnd_id"].iloc[0]))["round_id"].iloc[0])
    ids = queries.indicators(imported, round_id).set_index("key")["indicator_id"]
    status = stored.status(data.q, round_id)
    row = status[(status.indicator_id == ids["personalavgangar-externt"]) & (status.unit_key == "utb")
                 & (status.gender == "T")]
    assert row["target_value"].tolist() == [2.4]


def test_reimport_replaces_the_stored_rows(imported, tmp_path):
    before = _stored_rows(imported)
    bd.load_all(imported, tmp_path, bd.ALL[:1])  # the same Bokslut 2024 again
    assert _stored_rows(imported) == before


@pytest.mark.parametrize("revision, gone", [("0005", "indicator_status"), ("0006", "indicator_judged")])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_init_db_stores_the_rows_of_an_older_database(backend, revision, gone, tmp_path_factory, request):
    """Data imported at revision 0005 (no stored status rows) or 0006 (status rows, no judged
    status): init-db upgrades the database and stores every round's rows and judged status, equal
    row for row to what a fresh import stored."""
    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    fresh = _stored_rows(engine)
    n_rounds = len(_rounds(engine))
    assert len(fresh[0]) > 100 and fresh[1] == _rounds(engine)
    assert len(fresh[2]) > 100 and fresh[3] == _rounds(engine)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    assert gone not in inspect(engine).get_table_names()
    lines = init_db(engine)  # what `python -m dashboard init-db` does
    assert (f"Beräknade indikatorernas status mot målvärde för {n_rounds} tillfällen som lästes in tidigare."
            in lines)
    assert _stored_rows(engine) == fresh
    assert stored.missing(engine) == []
    assert not any(line.startswith("Beräknade") for line in init_db(engine))  # nothing left to build
    engine.dispose()


def test_many_misses_keep_the_order_of_the_whole_status(tmp_path, monkeypatch):
    """A round with more misses of one table than pandas sorts by insertion (its unstable sort
    reorders ties above 16 rows): Översikt's and the indicator slide's misses, judged from what
    the import stored, come in the order of the whole status's misses – the first ten Översikt
    lists are the same ones."""
    from dashboard.bench import Scale, generate

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    generate(engine, Scale("misses", namnder=1, units_per_namnd=30, rounds=2, indicators=40, indicator_units=3,
                           runs=1))
    init_db(engine, load_builtin=False)
    monkeypatch.setattr(data, "q", lambda name, *args: getattr(queries, name)(engine, *args))
    most = 0
    for round_id in _rounds(engine):
        whole = tg.latest_status(queries.indicators(engine, round_id), queries.indicator_values(engine, round_id),
                                 queries.indicator_targets(engine, round_id))
        want = whole[(whole["status"] == tg.MISSES.code) & (whole["gender"] == "T")].reset_index(drop=True)
        _, misses = data._indicator_misses(round_id)
        assert misses[["indicator_id", "unit_id", "breakdown"]].values.tolist() == \
            want[["indicator_id", "unit_id", "breakdown"]].values.tolist(), round_id
        most = max(most, len(want))  # the generator's values come from one table
    assert most > 16, most
    engine.dispose()
