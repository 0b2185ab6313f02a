"""Queries rewritten for speed give the frames their SQL-only form gave – columns, dtypes, values,
row order – for every round of the built-in reports with the Bokslut workbooks and of the bench's
small synthetic kommun, SQLite and PostgreSQL:

- `queries.units` looks up the parent's and the förvaltning's names and keys in the round's own
  rows instead of three self-joins (and a förvaltning or parent outside the round: its key from
  its unit, no names);
- `units_of` gives `units`' rows of some units (a verksamhet's branch, its subtree) read for them
  alone, and `unit_tree` the tree `economy.descendants` and the parent chain walk;
- `economy_rollup` and `economy_rollup_previous` read the round's `object_columns` once instead of
  a correlated subquery per row (all units and a subtree; a round without stored rows).

The references read their rows through `queries._frame` like the code, which
tests/test_query_frames.py holds to pandas' own inference; missing text must be None, never NaN
(assert_frame_equal takes the two as equal), which `_no_nan_text` checks."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import and_, select, update
from sqlalchemy.orm import aliased

import bokslut_data as bd
from conftest import _fresh_url
from dashboard import models as m
from dashboard import queries
from dashboard.db import init_db, make_engine, upgrade


def joined(engine, round_id: int) -> pd.DataFrame:
    """The organisation by the three self-joins `units` used before (the reference)."""
    v = m.UnitVersion
    forv, forv_unit, parent = aliased(m.UnitVersion), aliased(m.OrgUnit), aliased(m.UnitVersion)
    stmt = (
        select(v.unit_id, m.OrgUnit.key, v.name, v.level, v.parent_id, parent.name.label("parent_name"),
               v.forvaltning_id, forv_unit.key.label("forvaltning_key"), forv.name.label("forvaltning_name"),
               v.code, v.historical, v.depth, v.sort_order)
        .join(m.OrgUnit, m.OrgUnit.id == v.unit_id)
        .outerjoin(forv, and_(forv.unit_id == v.forvaltning_id, forv.round_id == v.round_id))
        .outerjoin(forv_unit, forv_unit.id == v.forvaltning_id)
        .outerjoin(parent, and_(parent.unit_id == v.parent_id, parent.round_id == v.round_id))
        .where(v.round_id == round_id)
        .order_by(v.depth, v.sort_order, v.unit_id)  # ties as SQLite's scan gave them, on PostgreSQL too
    )
    frame = queries._frame(engine, stmt)
    frame["name_repeated"] = (frame.duplicated(subset=["name", "level"], keep=False) if len(frame)
                              else pd.Series(dtype=bool))
    return frame


def subqueried(engine, round_id: int, previous: bool, unit_ids=None) -> pd.DataFrame:
    """economy_rollup(_previous) with object_columns by a correlated subquery per row (the reference)."""
    r = m.EconomyRollup
    cols = ([r.forecast_deviation, r.forecast_deviation_computed, r.own_forecast] if previous
            else [getattr(r, f) for f in queries.ROLLUP_COLUMNS])
    objects = (select(m.EconomyRollupRound.object_columns)
               .where(m.EconomyRollupRound.round_id == r.round_id).scalar_subquery())
    stmt = select(r.unit_id, *cols, objects.label("object_columns")).where(r.round_id == round_id)
    if unit_ids is not None:
        stmt = stmt.where(r.unit_id.in_([int(u) for u in unit_ids]))
    return queries._frame(engine, stmt)


def _no_nan_text(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        if frame[column].dtype == object:
            assert not any(isinstance(v, float) and v != v for v in frame[column]), column


def _branches_as_the_round_gives_them(engine, round_id: int, whole: pd.DataFrame, step: int = 1) -> None:
    """units_of of a unit's subtree and of its branch (ancestors too) is the whole frame's rows of
    them; unit_tree's keys, subtrees and ancestors are those of the whole frame."""
    from dashboard import economy as ec

    reference = joined(engine, round_id)
    tree = queries.unit_tree(engine, round_id)
    assert tree.ids == dict(zip(whole["key"], (int(u) for u in whole["unit_id"]), strict=True))
    parent_of = {int(u): None if pd.isna(p) else int(p) for u, p in zip(whole["unit_id"], whole["parent_id"], strict=True)}
    for uid in [int(u) for u in whole["unit_id"]][::step]:
        below = tree.descendants(uid)
        assert below == ec.descendants(whole, uid)
        chain, node = [], parent_of[uid]
        while node is not None:
            chain.append(node)
            node = parent_of.get(node)
        assert tree.ancestors(uid) == chain
        for ids in (tuple(below), tuple(sorted({*below, *chain}))):
            got = queries.units_of(engine, round_id, ids)
            want = reference[reference["unit_id"].isin(ids)].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"units_of({round_id}, {uid})")
            _no_nan_text(got)


def _every_round(engine, step: int = 1) -> int:
    """Every round's frames; `step`: every step-th unit's branch (the synthetic kommun's are alike)."""
    n = 0
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        for round_id in queries.rounds(engine, int(namnd_id))["round_id"]:
            rid = int(round_id)
            got = queries.units(engine, rid)
            pd.testing.assert_frame_equal(got, joined(engine, rid), check_exact=True, obj=f"units({rid})")
            _no_nan_text(got)
            _branches_as_the_round_gives_them(engine, rid, got, step)
            some = tuple(int(u) for u in queries.units(engine, rid)["unit_id"][::3])
            for previous, fn in ((False, queries.economy_rollup), (True, queries.economy_rollup_previous)):
                for ids in (None, some):
                    got = fn(engine, rid, ids)
                    pd.testing.assert_frame_equal(got, subqueried(engine, rid, previous, ids),
                                                  check_exact=True, obj=f"{fn.__name__}({rid}, {ids is not None})")
                    _no_nan_text(got)
            n += 1
    return n


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_units_as_the_joins_gave_them(backend, tmp_path_factory, request):
    import builders as b
    from test_import_own_data import KOMMUN_BOOK

    from dashboard.importing import import_path

    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    # and a kommun's overall follow-up: no unit of it has a förvaltning (an all-None column)
    assert import_path(engine, b.write_xlsx(KOMMUN_BOOK, tmp_path_factory.mktemp("kommun") / "kommun.xlsx")).ok
    assert _every_round(engine) >= 6
    # a förvaltning and a parent the round does not list: the joins gave the förvaltning's key
    # (from its unit) and neither name
    with engine.begin() as conn:
        rid, uid = conn.execute(select(m.UnitVersion.round_id, m.UnitVersion.unit_id)
                                .where(m.UnitVersion.forvaltning_id.is_not(None)).limit(1)).one()
        other = _unit_not_in(conn, rid)
        conn.execute(update(m.UnitVersion).where(m.UnitVersion.round_id == rid, m.UnitVersion.unit_id == uid)
                     .values(forvaltning_id=other, parent_id=other))
        other_key = conn.execute(select(m.OrgUnit.key).where(m.OrgUnit.id == other)).scalar_one()
    got = queries.units(engine, rid)
    pd.testing.assert_frame_equal(got, joined(engine, rid), check_exact=True)
    _no_nan_text(got)
    row = got[got["unit_id"] == uid].iloc[0]
    assert row["forvaltning_key"] == other_key and row["forvaltning_name"] is None and row["parent_name"] is None
    alone = queries.units_of(engine, rid, (uid,))  # the same outside the round's rows as inside them
    pd.testing.assert_frame_equal(alone, got[got["unit_id"] == uid].reset_index(drop=True), check_exact=True)
    engine.dispose()


def _unit_not_in(conn, round_id: int) -> int:
    listed = select(m.UnitVersion.unit_id).where(m.UnitVersion.round_id == round_id)
    return conn.execute(select(m.OrgUnit.id).where(m.OrgUnit.id.not_in(listed)).limit(1)).scalar_one()


def test_units_of_the_synthetic_kommun(tmp_path):
    from dashboard.bench import SCALES, generate

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(engine)
    generate(engine, SCALES["small"])
    init_db(engine, load_builtin=False)
    assert _every_round(engine, step=9) >= 5
    assert queries.units(engine, 10**6).empty and list(queries.units(engine, 10**6).columns) == list(
        joined(engine, 10**6).columns)
    for previous, fn in ((False, queries.economy_rollup), (True, queries.economy_rollup_previous)):
        pd.testing.assert_frame_equal(fn(engine, 10**6), subqueried(engine, 10**6, previous))
    engine.dispose()
