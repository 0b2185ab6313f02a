"""Economy roll-ups stored per round (table `economy_rollup`, revision 0005).

A round's economy tree for that round alone – `economy.economy_table(units, economy,
outcome=…)` in the round's own organisation, with no previous round – depends only on what the
round's import wrote. So the import computes it once, with that same function (printed figures
win, computed sums flagged: economy.py's rule, not a second copy of it), and stores it in the same
transaction as the economy lines; `init-db` does the same for rounds imported before 0005.
Prognossäkerhet (every round of the year), its trend over the years, Översikt's headline, slides
and exports then read the stored rows instead of rebuilding the tree per round: at full scale a
Bokslut's first Ekonomi run needed twelve trees (docs/benchmark.md, "Tredje omgången").

`table(...)` gives back exactly the frame `economy_table` gives (same rows, order, columns and
floats – floats are stored as 8-byte doubles on SQLite and PostgreSQL, so a stored sum is the sum
bit for bit); tests/test_rollup_store.py checks that for every round of the real reports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from . import economy as ec
from . import models as m
from . import queries
from . import rounds as rd

AMOUNTS = list(ec.AMOUNT_FIELDS)
VALUES = list(queries.ECONOMY_FIELDS)  # the amounts and budget_share_pct, as economy_table returns them
FLAGS = [f + "_computed" for f in AMOUNTS]
STORED = VALUES + ["reported", *FLAGS, "own_forecast", "summary_line"]  # economy_table's column order


class _Conn:
    """Looks like an Engine to `queries` but runs on the caller's connection (the import's
    transaction, which sees the rows it has just written)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.dialect = conn.dialect

    def connect(self):
        return contextlib.nullcontext(self._conn)


def compute(source, round_id: int, kind: str) -> pd.DataFrame:
    """The round's tree as the pages built it before 0005: economy_table of the round alone."""
    return ec.economy_table(queries.units(source, round_id), queries.economy(source, round_id),
                            outcome=rd.is_outcome({"kind": kind}))


def _rows(round_id: int, table: pd.DataFrame) -> list[dict]:
    def value(v):
        return None if v is None or v != v else float(v)  # NaN and None are both "not printed"

    rows = []
    for rec in table[["unit_id", *STORED]].to_dict("records"):
        row = {"round_id": round_id, "unit_id": int(rec["unit_id"])}
        row |= {f: value(rec[f]) for f in VALUES}
        row |= {f: bool(rec[f]) for f in STORED if f not in VALUES}
        rows.append(row)
    return rows


def store(conn: Connection, round_id: int, kind: str) -> int:
    """(Re)write the round's stored roll-ups on `conn` (inside the caller's transaction)."""
    conn.execute(delete(m.EconomyRollup).where(m.EconomyRollup.round_id == round_id))
    conn.execute(delete(m.EconomyRollupRound).where(m.EconomyRollupRound.round_id == round_id))
    tree = compute(_Conn(conn), round_id, kind)
    rows = _rows(round_id, tree)
    if rows:
        conn.execute(insert(m.EconomyRollup), rows)
    objects = ",".join(f for f in VALUES if tree[f].dtype == object)
    conn.execute(insert(m.EconomyRollupRound).values(round_id=round_id, object_columns=objects))
    return len(rows)


def missing(engine: Engine) -> list[tuple[int, str]]:
    """Rounds whose roll-ups are not stored (imported before revision 0005, or written without
    the import, as the bench's generator does)."""
    stored = select(m.EconomyRollupRound.round_id).where(m.EconomyRollupRound.round_id == m.Round.id).exists()
    with engine.connect() as conn:
        return [(int(r), k) for r, k in conn.execute(
            select(m.Round.id, m.Round.kind).where(~stored).order_by(m.Round.id))]


def backfill(engine: Engine) -> int:
    """Store the roll-ups of every round imported before they were stored (init-db); one
    transaction per round, so an interrupted backfill resumes where it stopped. Returns how many."""
    todo = missing(engine)
    for round_id, kind in todo:
        with engine.begin() as conn:
            store(conn, round_id, kind)
    return len(todo)


def from_stored(units: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """economy_table(units, economy, outcome=…) of a round rebuilt from its stored rows: the
    units' columns, then the stored ones, in the units' order (an inner merge keeps the left
    order), with the previous-round columns as economy_table leaves them without one."""
    table = units.merge(stored[["unit_id", *STORED]], on="unit_id", how="inner")
    for f in STORED[len(VALUES):]:
        table[f] = table[f].astype(bool)
    objects = stored["object_columns"].iloc[0] if len(stored) else ""
    for f in VALUES:
        if f in objects.split(","):
            # what economy_table has for a field no unit printed: None on a reported unit's row
            # (the query's object column), NaN where the unit had no economy line (the merge)
            table[f] = pd.Series([None if r else float("nan") for r in table["reported"]], index=table.index, dtype=object)
        else:
            table[f] = table[f].astype("float64")
    summary = table.pop("summary_line")
    table["prev_forecast_deviation"] = float("nan")
    table["prev_forecast_deviation_computed"] = False
    table["forecast_change"] = float("nan")
    table["summary_line"] = summary
    return table.reset_index(drop=True)


def table(fetch: Callable, round_id: int, kind: str) -> pd.DataFrame:
    """The round's economy tree alone, from the stored roll-ups where there are any (`fetch(name,
    *args)` runs a `queries` function, cached by the caller); computed as before otherwise (a
    round without economy lines, or a database init-db has not yet brought up to date)."""
    stored = fetch("economy_rollup", round_id)
    units = fetch("units", round_id)
    if len(stored):
        return from_stored(units, stored)
    return ec.economy_table(units, fetch("economy", round_id), outcome=rd.is_outcome({"kind": kind}))
