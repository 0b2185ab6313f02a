"""Status mot målvärde stored per round (tables `indicator_status`, `indicator_status_round`,
revision 0006).

`targets.latest_status(indicators, values, targets)` is `judge(indicators, latest_rows(values,
targets))`. The expensive part, latest_rows – each series' latest outcomes, its distinct values
and its target – depends only on what the round's import wrote (every query it reads is of that
one round), so the import computes it once with that same function and stores the rows, in the
order of the round's values, in the same transaction; `init-db` does the same for rounds imported
before 0006. Pages then read the stored rows of their scope (the filter in the query) and judge
them (`from_stored`), which gives exactly latest_status's frame for the scope's values: rows, row
order (judge's sort follows its input's order, and a scope's rows are read in the stored order),
columns, dtypes and values (tests/test_indicator_status.py).

Scopes, as the pages filter the values and targets today:
- Översikt, Mål, Indikatorer, Bildspel (`views.indicator_scope`): the values of the scope's units
  and of the nämnd as a whole; the targets of the scope's units (and of units without values), so
  a nämnd-level value outside the scope's units is judged without a target;
- Verksamhet: the values of one unit's subtree (every value for the nämnd) with all targets.
"""

from __future__ import annotations


import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from . import models as m
from . import queries
from . import targets as tg

# the stored columns of a row, in latest_rows' names
VALUE_COLUMNS = ["indicator_id", "unit_id", "gender", "breakdown", "source_table", "period_end", "period_label",
                 "value", "missing", "footnote"]
STORED = VALUE_COLUMNS + tg.SERIES_COLUMNS


def compute(source, round_id: int) -> pd.DataFrame | None:
    """The round's latest rows as latest_status computes them from all its values and targets."""
    return tg.latest_rows(queries.indicator_values(source, round_id), queries.indicator_targets(source, round_id))


def _plain(v):
    """A frame cell as the database takes it: NaN/NaT (no target, no value) as NULL, numpy
    scalars as Python ones."""
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v.item() if hasattr(v, "item") else v


def _rows(round_id: int, latest: pd.DataFrame | None) -> list[dict]:
    if latest is None or latest.empty:
        return []
    rows = []
    for seq, rec in enumerate(latest[STORED].itertuples(index=False)):
        row = {"round_id": round_id, "seq": seq} | {f: _plain(v) for f, v in zip(STORED, rec, strict=True)}
        row["missing"] = bool(row["missing"])
        row["n_values"] = int(row["n_values"])
        rows.append(row)
    return rows


def _judged(round_id: int, indicators: pd.DataFrame, latest: pd.DataFrame | None) -> list[dict]:
    """The nämnd-wide status of the stored rows as judge gives it: the kept row of each series (its
    `seq`, the row's position in `latest`) in judge's order, with its status code."""
    if latest is None or latest.empty:
        return []
    # the rows as read back in seq order, which _rows numbers 0, 1, …: a row's position is its seq
    latest = latest.reset_index(drop=True)
    judged = tg.judge(indicators, latest)
    seqs = tg.first_rows(latest).index.tolist()
    assert len(seqs) == len(judged), "judge keeps one row per series"
    return [{"round_id": round_id, "position": n, "seq": int(seq), "status": code}
            for n, (seq, code) in enumerate(zip(seqs, judged["status"].tolist(), strict=True))]


def store(conn: Connection, round_id: int) -> int:
    """(Re)write the round's stored status rows and its nämnd-wide judged status on `conn`
    (inside the caller's transaction)."""
    for table in (m.IndicatorJudged, m.IndicatorJudgedRound, m.IndicatorStatus, m.IndicatorStatusRound):
        conn.execute(delete(table).where(table.round_id == round_id))
    source = queries.OnConnection(conn)
    latest = compute(source, round_id)
    rows = _rows(round_id, latest)
    if rows:
        conn.execute(insert(m.IndicatorStatus), rows)
        # judged from the rows as stored and read back – the page's frame (from_stored) – so the
        # stored status is exactly what judging them on a page gives
        judged = _judged(round_id, queries.indicators(source, round_id),
                         queries.indicator_status_rows(source, round_id))
        if judged:
            conn.execute(insert(m.IndicatorJudged), judged)
    conn.execute(insert(m.IndicatorStatusRound).values(round_id=round_id))
    conn.execute(insert(m.IndicatorJudgedRound).values(round_id=round_id))
    return len(rows)


def missing(engine: Engine) -> list[int]:
    """Rounds whose status rows or judged status are not stored (imported before revision 0006 or
    0007, or written without the import, as the bench's generator does)."""
    stored = select(m.IndicatorStatusRound.round_id).where(m.IndicatorStatusRound.round_id == m.Round.id).exists()
    judged = select(m.IndicatorJudgedRound.round_id).where(m.IndicatorJudgedRound.round_id == m.Round.id).exists()
    with engine.connect() as conn:
        return [int(r) for r in conn.execute(select(m.Round.id).where(~stored | ~judged).order_by(m.Round.id)).scalars()]


def backfill(engine: Engine) -> int:
    """Store the status rows of every round imported before they were stored (init-db); one
    transaction per round, so an interrupted backfill resumes where it stopped. Returns how many."""
    todo = missing(engine)
    for round_id in todo:
        with engine.begin() as conn:
            store(conn, round_id)
    return len(todo)


def from_stored(indicators: pd.DataFrame, stored: pd.DataFrame, scope_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """latest_status's frame from a scope's stored rows (queries.indicator_status_rows, in stored
    order). With `scope_ids` (views.indicator_scope's scope), a row of a unit outside them – a
    value of the nämnd as a whole – is judged without a target, as the scope's targets leave it."""
    if stored.empty:
        return pd.DataFrame()
    if scope_ids is not None:
        outside = ~stored["unit_id"].isin(set(scope_ids))
        if outside.any():
            stored = stored.copy()
            for column in ("target_value", "target_text", "printed_comparator", "target_end"):
                stored[column] = stored[column].astype(object).where(~outside, None)
    return tg.judge(indicators, stored)


def status(fetch, round_id: int, scope_ids: tuple[int, ...] | None = None, *, unit_ids: tuple[int, ...] | None = None,
           ) -> pd.DataFrame | None:
    """The round's status from its stored rows (`fetch(name, *args)` runs a `queries` function,
    cached by the caller): in a views.indicator_scope scope (`scope_ids`), or of these units with
    all targets (`unit_ids`, Verksamhet). None where the round's rows are not stored (a database
    init-db has not yet brought up to date): the caller computes it as before."""
    if scope_ids is not None:
        stored = fetch("indicator_status_rows", round_id, tuple(scope_ids), True)
    elif unit_ids is not None:
        stored = fetch("indicator_status_rows", round_id, tuple(unit_ids), False)
    else:
        stored = fetch("indicator_status_rows", round_id, None, False)
    if stored.empty and not fetch("indicator_status_stored", round_id):
        return None
    return from_stored(fetch("indicators", round_id), stored, scope_ids)
