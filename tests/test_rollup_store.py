"""Stored economy roll-ups (revision 0005, `rollups.py`): the import stores each round's tree in
its own transaction, `init-db` builds it for rounds imported before, and the stored tree reads
back as exactly the frame `economy.economy_table` computes from the round's lines (bit for bit:
`check_exact`, and the computed flags). SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import inspect, select

import bokslut_data as bd
from conftest import _fresh_url
from dashboard import economy as ec
from dashboard import models as m
from dashboard import queries, rollups
from dashboard.db import alembic_config, init_db, make_engine
from dashboard.rounds import BOKSLUT


def _fetch(engine):
    return lambda name, *args: getattr(queries, name)(engine, *args)


def _rounds(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [(int(r), k) for r, k in conn.execute(select(m.Round.id, m.Round.kind).order_by(m.Round.id))]


def _stored_rows(engine) -> list[tuple]:
    cols = [c for c in m.EconomyRollup.__table__.columns]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*cols).order_by(m.EconomyRollup.round_id, m.EconomyRollup.unit_id))]


@pytest.fixture(scope="module")
def imported(bokslut_engine):
    return bokslut_engine


def test_every_round_reads_back_as_the_computed_tree(imported):
    fetch = _fetch(imported)
    rounds = _rounds(imported)
    assert {k for _, k in rounds} >= {"Delår 1", "Delår 2", BOKSLUT}
    for rid, kind in rounds:
        stored = queries.economy_rollup(imported, rid)
        computed = ec.economy_table(queries.units(imported, rid), queries.economy(imported, rid),
                                    outcome=kind == BOKSLUT)
        assert len(stored) == len(computed) > 1, rid
        pd.testing.assert_frame_equal(rollups.table(fetch, rid, kind), computed, check_exact=True)
        # printed figures stay printed: a stored value that the round reported is never flagged computed
        econ = queries.economy(imported, rid).set_index("unit_id")
        for f in ec.AMOUNT_FIELDS:
            printed = stored[stored["unit_id"].map(lambda u, f=f: u in econ.index and pd.notna(econ.loc[u, f]))]
            assert not printed[f + "_computed"].any(), (rid, f)


def test_luleas_forvaltning_total_is_stored_as_computed(imported):
    """Luleå's Delår 2 2024 prints no total for the förvaltning: the stored row is the sum of its
    verksamheter, flagged computed, while the nämnd's printed total stays as printed."""
    with imported.connect() as conn:
        rid = conn.execute(select(m.Round.id).join(m.Namnd, m.Namnd.id == m.Round.namnd_id)
                           .where(m.Namnd.code == "AGN", m.Round.kind == "Delår 2")
                           .order_by(m.Round.period_end)).scalars().first()
    stored = queries.economy_rollup(imported, rid).merge(queries.units(imported, rid)[["unit_id", "level"]])
    forv = stored[stored["level"] == "förvaltning"]
    assert len(forv) and forv["forecast_deviation_computed"].all()
    assert not stored.loc[stored["level"] == "nämnd", "forecast_deviation_computed"].any()


def test_reimport_replaces_the_stored_tree(imported, tmp_path):
    before = _stored_rows(imported)
    bd.load_all(imported, tmp_path, bd.ALL[:1])  # the same Bokslut 2024 again
    assert _stored_rows(imported) == before


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_init_db_builds_the_rollups_of_a_database_at_0004(backend, tmp_path_factory, request):
    """A database with data at revision 0004 (no stored roll-ups): init-db upgrades it and stores
    every round's tree, equal row for row to what a fresh import stored."""
    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    fresh = _stored_rows(engine)
    with_lines = len({r[0] for r in fresh})
    assert with_lines >= 7  # Luleå 2024 and 2025, Linköping
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert "economy_rollup" not in inspect(engine).get_table_names()
    lines = init_db(engine)  # what `python -m dashboard init-db` does
    assert f"Beräknade ekonomins summeringar för {with_lines} tillfällen som lästes in tidigare." in lines
    assert _stored_rows(engine) == fresh
    assert rollups.missing(engine) == []
    assert not any(line.startswith("Beräknade") for line in init_db(engine))  # nothing left to build
    engine.dispose()


def test_backfill_of_rounds_written_without_the_import(tmp_path):
    """The bench's generator writes economy lines directly: init-db stores their trees too, and
    they read back as computed (deeper trees, Bokslut rounds)."""
    from dashboard.bench import SCALES, generate
    from dashboard.db import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    generate(engine, SCALES["small"])
    assert len(rollups.missing(engine)) == len(_rounds(engine))
    init_db(engine, load_builtin=False)
    assert rollups.missing(engine) == []
    fetch = _fetch(engine)
    for rid, kind in _rounds(engine):
        computed = ec.economy_table(queries.units(engine, rid), queries.economy(engine, rid), outcome=kind == BOKSLUT)
        pd.testing.assert_frame_equal(rollups.table(fetch, rid, kind), computed, check_exact=True)
    engine.dispose()
