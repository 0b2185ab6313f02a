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
    tree = compute(queries.OnConnection(conn), round_id, kind)
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


# Above this many units a subtree's rows come from the round's whole organisation (read once and
# shared): the nämnd's subtree is the round, and an IN list of 2 000 ids cost more than the round.
_WHOLE_ROUND_FROM = 300


def _units_of(fetch: Callable, round_id: int, ids: tuple[int, ...]) -> pd.DataFrame:
    """queries.units' rows of `ids` – read for those units alone (queries.units_of, the same rows)
    unless they are many."""
    if len(ids) < _WHOLE_ROUND_FROM:
        return fetch("units_of", round_id, ids)
    units = fetch("units", round_id)
    return units[units["unit_id"].isin(set(ids))]


def from_stored(units: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """economy_table(units, economy, outcome=…) of a round rebuilt from its stored rows: the
    units' columns, then the stored ones, in the units' order (an inner merge keeps the left
    order), with the previous-round columns as economy_table leaves them without one."""
    # the stored columns get their dtypes before the merge, all at once: assigned one by one after
    # it, each column split pandas' blocks again (~10 ms of ~20 per tree at full scale)
    objects = set((stored["object_columns"].iloc[0] if len(stored) else "").split(","))
    reported = stored["reported"].astype(bool)
    columns = {"unit_id": stored["unit_id"]}
    for f in STORED:
        if f in VALUES and f in objects:
            # what economy_table has for a field no unit printed: None on a reported unit's row
            # (the query's object column), NaN where the unit had no economy line (the merge)
            columns[f] = pd.Series([None if r else float("nan") for r in reported], index=stored.index, dtype=object)
        elif f in VALUES:
            columns[f] = stored[f].astype("float64")
        else:
            columns[f] = stored[f].astype(bool)
    table = units.merge(pd.DataFrame(columns), on="unit_id", how="inner")
    summary = table.pop("summary_line")
    table["prev_forecast_deviation"] = float("nan")
    table["prev_forecast_deviation_computed"] = False
    table["forecast_change"] = float("nan")
    table["summary_line"] = summary
    return table.reset_index(drop=True)


def table(fetch: Callable, round_id: int, kind: str, unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame | None:
    """The round's economy tree alone, from the stored roll-ups where there are any (`fetch(name,
    *args)` runs a `queries` function, cached by the caller); computed as before otherwise (a
    round without economy lines, or a database init-db has not yet brought up to date).

    With `unit_ids` (a unit and everything below it) the rows of those units from their stored
    rows, or None where nothing is stored for them (the caller filters the whole tree)."""
    if unit_ids is not None:
        ids = tuple(int(u) for u in unit_ids)
        stored = fetch("economy_rollup", round_id, ids)
        if not len(stored):
            return None
        return from_stored(_units_of(fetch, round_id, ids), stored)
    stored = fetch("economy_rollup", round_id)
    units = fetch("units", round_id)
    if len(stored):
        return from_stored(units, stored)
    return ec.economy_table(units, fetch("economy", round_id), outcome=rd.is_outcome({"kind": kind}))


def paired_table(fetch: Callable, round_id: int, kind: str, prev_round_id: int, prev_kind: str,
                 prev_factor: float, unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame | None:
    """economy_table(units, economy, prev_economy, prev_factor, outcome=…) of a round paired with
    its previous round, from the two stored trees – or None where they cannot give it, and the
    caller rebuilds it as before.

    The pair's tree is the round's own tree (stored) plus the previous round's forecast deviation
    in this round's organisation and the change summed upwards (`economy.add_previous`). The
    previous round's stored tree is that only when it was built the same way: the same
    organisation in the same order (`queries.same_organisation`), and no outcome rule (a Bokslut's
    stored tree derives its avvikelse from budget − utfall; the pair builds the previous tree
    without). A previous round with no forecast deviation at all, or a round without stored rows
    (no economy, or a database init-db has not brought up to date) is rebuilt as well.
    tests/test_rollup_pairs.py compares this with the rebuilt pair for every pair of rounds of
    the built-in reports and the bench's synthetic kommun.

    `unit_ids`, a unit and everything below it (`economy.descendants`): the pair's rows of those
    units only, in the same order. A unit's figures and its change depend only on the rows below
    it, so they are those of the whole pair (the same tests, for every unit): Verksamhet reads
    its subtree's rows, not the round's 2 000 (docs/benchmark.md)."""
    if rd.is_outcome({"kind": prev_kind}):
        return None
    subset = () if unit_ids is None else (tuple(int(u) for u in unit_ids),)
    stored = fetch("economy_rollup", round_id, *subset)
    prev = fetch("economy_rollup_previous", prev_round_id, *subset)
    if not len(stored) or not len(prev) or "forecast_deviation" in prev["object_columns"].iloc[0].split(","):
        return None
    prev = prev.astype({"forecast_deviation": "float64", "forecast_deviation_computed": bool, "own_forecast": bool})
    if not prev["forecast_deviation"].notna().any() or not fetch("same_organisation", round_id, prev_round_id):
        return None
    units = fetch("units", round_id) if unit_ids is None else _units_of(fetch, round_id, subset[0])
    table = from_stored(units, stored)
    ec.add_previous(table, prev, prev_factor, outcome=rd.is_outcome({"kind": kind}))
    return table
