"""One function per question: (engine, keys) -> DataFrame. No Streamlit here.

Statements are SQLAlchemy `select(...)` with bound parameters; filtering, joining, counting and
sorting happen in SQL. Tree roll-ups (a förvaltning's total where the report prints none) are done
in `economy.py`, because printed totals must win over computed ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from . import models as m


class OnConnection:
    """Looks like an Engine to the functions here but runs on the caller's connection: the
    import's transaction, which sees the rows it has just written (rollups.store,
    indicator_status.store)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.dialect = conn.dialect

    def connect(self):
        return contextlib.nullcontext(self._conn)


def _frame(engine: Engine, stmt, **params) -> pd.DataFrame:
    with engine.connect() as conn:
        return _fetch(conn, stmt, params)


def _fetch(conn: Connection, stmt, params: dict | None = None) -> pd.DataFrame:
    """The frame of `stmt` on `conn`. The rows go to _to_frame by column (zip), never to pandas as
    rows: pandas takes a SQLAlchemy Row for an unknown sequence and probes each one (~10 µs a row)."""
    result = conn.execute(stmt, params) if params else conn.execute(stmt)
    return _to_frame(result.fetchall(), list(result.keys()))


def _round_params(round_id: int, unit_ids=None) -> dict:
    """A round statement's bound values: the round and, where given, the unit ids (`_UNITS`)."""
    return {"round_id": round_id} | ({} if unit_ids is None else {"unit_ids": [int(u) for u in unit_ids]})


_NONE = type(None)
# Column types whose frame column is known without asking pandas: what pandas' inference gives
# for a list of exactly these Python types (tests/test_query_frames.py compares every query both
# ways). Anything else (datetimes, Decimals, bool with None, mixed) is left to pandas. Database
# integers are 64-bit, so an int column with None is always pandas' float64.
_TEXT_TYPES = frozenset({str, _NONE})
_DATE_TYPES = frozenset({dt.date, _NONE})  # exactly date (a datetime pandas makes datetime64)
_INT, _BOOL = frozenset({int}), frozenset({bool})
_FLOAT_TYPES = (frozenset({float}), frozenset({float, _NONE}), frozenset({float, int}),
                frozenset({float, int, _NONE}), frozenset({int, _NONE}))


def _typed(values: tuple):
    """The column as a NumPy array where its Python types say what pandas would make of it
    (text, dates and None: objects; floats, ints with None: float64 with NaN; ints; bools), else None."""
    types = frozenset(map(type, values))
    if types <= _TEXT_TYPES or types <= _DATE_TYPES:  # pandas keeps dates as objects too
        return np.array(values, dtype=object)
    if types in _FLOAT_TYPES:
        return np.array(values, dtype=np.float64)  # None becomes NaN, as in pandas
    if types == _INT:
        try:
            return np.array(values, dtype=np.int64)
        except OverflowError:  # beyond int64: pandas' own choice (uint64 or objects)
            return None
    if types == _BOOL:
        return np.array(values, dtype=bool)
    return None


def _to_frame(rows, columns: list[str]) -> pd.DataFrame:
    """The frame pandas builds from the rows, with every column that is not numeric or bool as
    objects and None for missing (pandas would make missing text NaN, which is truthy and prints
    as "nan").

    Columns whose Python types settle their dtype (text, dates and None, floats, ints, bools:
    `_typed`) are built straight from NumPy arrays: pandas 3 would first infer its Arrow-backed str
    dtype for text and convert it back, and its per-column inference and the where() for missing
    text cost more than many queries (docs/benchmark.md, thirteenth round). The other columns are
    inferred by pandas as before, so the frame is the same (tests/test_query_frames.py compares
    both ways for every query on the built-in data)."""
    if not rows:
        # pandas gives every column of no rows as objects
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns}, columns=columns)
    values = list(zip(*rows))
    arrays = [_typed(v) for v in values]
    other = [i for i, a in enumerate(arrays) if a is None]
    inferred = _to_frame_inferred(list(zip(*(values[i] for i in other))), [columns[i] for i in other]) if other else None
    data = {}
    for name, array in zip(columns, arrays):
        if array is None:
            data[name] = inferred[name]
        elif array.dtype == object:
            data[name] = pd.Series(array, dtype=object)  # not pandas 3's str dtype
        else:
            data[name] = array
    return pd.DataFrame(data, columns=columns)


def _to_frame_inferred(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """pandas' own inference for every column, text as objects with None for missing."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


_DATA_VERSION_SQL = f"SELECT coalesce(max(id), 0), count(id) FROM {m.ImportLog.__tablename__}"


def data_version(engine: Engine) -> tuple[int, int]:
    """Changes whenever an import is made (from any process): the cache key of every query.

    Read at the start of every script run and in every cache miss's snapshot, as plain SQL: the
    same statement through SQLAlchemy's compiler and result machinery was 0,9 ms against 0,25 ms
    (SQLite, full scale), a few per cent of a cached rerun. `data_version_statement` is the same
    question as a select (tests/test_app_catalog.py compares them)."""
    with engine.connect() as conn:
        max_id, count = conn.exec_driver_sql(_DATA_VERSION_SQL).one()
    return int(max_id), int(count)


def data_version_statement():
    return select(func.coalesce(func.max(m.ImportLog.id), 0), func.count(m.ImportLog.id))


def namnder(engine: Engine) -> pd.DataFrame:
    """Every nämnd, labelled with the name of its newest adopted round (or, with none adopted, its
    newest round): the name a reader sees. A round's own name is in `rounds`."""
    newest = (
        select(m.Round.namnd_name)
        .where(m.Round.namnd_id == m.Namnd.id)
        .order_by((m.Round.status == "utkast").asc(), m.Round.period_end.desc())
        .limit(1)
        .correlate(m.Namnd)
        .scalar_subquery()
    )
    stmt = (
        select(
            m.Namnd.id.label("namnd_id"),
            m.Namnd.code.label("namnd_code"),
            newest.label("namnd_name"),
            m.Kommun.code.label("kommun_code"),
            m.Kommun.name.label("kommun_name"),
        )
        .join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
        .where(select(m.Round.id).where(m.Round.namnd_id == m.Namnd.id).exists())
        .order_by(m.Kommun.name, m.Namnd.code)
    )
    frame = _frame(engine, stmt)
    if not len(frame):
        return frame
    # within a kommun, its overall follow-up ("Kommunen totalt") first, then the nämnder by name
    frame["_order"] = (frame["namnd_code"] != "KOMMUN").astype(int)
    frame = frame.sort_values(["kommun_name", "_order", "namnd_name", "namnd_code"],
                              key=lambda c: c.str.casefold() if c.dtype == object else c)
    return frame.drop(columns="_order").reset_index(drop=True)


def rounds(engine: Engine, namnd_id: int) -> pd.DataFrame:
    """The nämnd's rounds, newest first, with when each was last imported."""
    last_import = (
        select(func.max(m.ImportLog.imported_at))
        .where(
            m.ImportLog.outcome == "importerad",
            m.ImportLog.period_end == m.Round.period_end,
            m.ImportLog.namnd_code == m.Namnd.code,
            m.ImportLog.kommun_code == m.Kommun.code,
        )
        .scalar_subquery()
    )
    # A month round counts as a forecast round only when it carries a forecast (rounds.py).
    has_forecast = (
        select(m.EconomyLine.round_id)
        .where(m.EconomyLine.round_id == m.Round.id,
               or_(m.EconomyLine.forecast_net.is_not(None), m.EconomyLine.forecast_deviation.is_not(None)))
        .exists()
    )
    stmt = (
        select(
            m.Round.id.label("round_id"),
            m.Round.period_end,
            m.Round.kind,
            m.Round.namnd_name,
            m.Round.amount_unit,
            m.Round.decimals,
            m.Round.report_title,
            m.Round.status,
            m.Round.sections,
            m.Round.forvaltning_key,
            m.Round.adopted_date,
            m.Round.adopted_paragraph,
            last_import.label("imported_at"),
            has_forecast.label("has_forecast"),
        )
        .join(m.Namnd, m.Namnd.id == m.Round.namnd_id)
        .join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
        .where(m.Round.namnd_id == namnd_id)
        .order_by(m.Round.period_end.desc())
    )
    frame = _frame(engine, stmt)
    frame["has_forecast"] = frame["has_forecast"].astype(bool)  # SQLite answers 0/1
    return frame


def round_visibility(engine: Engine) -> dict[int, list[tuple[int, str, str | None]]]:
    """Per nämnd id, its rounds as (round id, status, förvaltning key), newest first (`rounds`'
    order): what deciding which rounds a viewer may see reads. One statement for every nämnd –
    the sidebar asks for all of them on a first run, and a `rounds` per nämnd (eight at scale)
    was most of app.py's part of it."""
    stmt = (select(m.Round.namnd_id, m.Round.id, m.Round.status, m.Round.forvaltning_key)
            .order_by(m.Round.namnd_id, m.Round.period_end.desc()))
    out: dict[int, list[tuple[int, str, str | None]]] = {}
    with engine.connect() as conn:
        for namnd_id, round_id, status, forv in conn.execute(stmt):
            out.setdefault(int(namnd_id), []).append((int(round_id), status, forv))
    return out


# Statements a round change reads are built once (`functools.cache`), their values bound by name
# (`bindparam`) at execution: building a select with its aliases cost 1–3 ms per query in SQLAlchemy,
# a tenth of a round change's reads at full scale (docs/benchmark.md, thirteenth round), and the same
# statement object also spares the compiled cache's lookup work. The SQL is the same.
_ROUND = bindparam("round_id")
_UNITS = bindparam("unit_ids", expanding=True)  # a list of unit ids, as IN (…)


@functools.cache
def _units_stmt(of_units: bool = False):
    v = m.UnitVersion
    stmt = (
        select(v.unit_id, m.OrgUnit.key, v.name, v.level, v.parent_id, v.forvaltning_id, v.code, v.historical,
               v.depth, v.sort_order)
        .join(m.OrgUnit, m.OrgUnit.id == v.unit_id)
        .where(v.round_id == _ROUND)
        # unit id last: the order SQLite gave ties (its scan of the primary key), written out so
        # PostgreSQL gives the same rather than whatever its plan gives
        .order_by(v.depth, v.sort_order, v.unit_id)
    )
    return stmt.where(v.unit_id.in_(_UNITS)) if of_units else stmt


UNIT_COLUMNS = ["unit_id", "key", "name", "level", "parent_id", "parent_name", "forvaltning_id", "forvaltning_key",
                "forvaltning_name", "code", "historical", "depth", "sort_order"]


def units(engine: Engine, round_id: int) -> pd.DataFrame:
    """The organisation as the round gives it (names, levels, parents are per round).

    The parent's and the förvaltning's names are the round's own (a unit of another round gives
    none), the förvaltning's key its unit's: looked up in the round's rows rather than by three
    self-joins, half the SQL at full scale (tests/test_query_rewrites.py compares the two)."""
    with engine.connect() as conn:
        frame = _fetch(conn, _units_stmt(), _round_params(round_id))
        return _unit_frame(conn, frame, {})


def units_of(engine: Engine, round_id: int, unit_ids: tuple[int, ...]) -> pd.DataFrame:
    """`units(round_id)`'s rows of these units – the same columns, figures and order – read for
    them alone: Verksamhet shows one unit, its ancestors and what lies below it, not the round's
    2 000 (tests/test_query_rewrites.py compares it with the whole frame's rows). A parent or
    förvaltning outside the set is looked up by id, and a name counts as repeated by the whole
    round's units."""
    with engine.connect() as conn:
        frame = _fetch(conn, _units_stmt(True), _round_params(round_id, unit_ids))
        ids = set(frame["unit_id"].tolist())
        linked = {int(u) for c in ("parent_id", "forvaltning_id") for u in frame[c].tolist() if u == u and u is not None}
        outside = sorted(linked - ids)
        named = (conn.execute(_unit_names_stmt(), _round_params(round_id, outside)).fetchall() if outside else [])
        names = sorted(set(frame["name"].tolist()))
        repeated = (set(conn.execute(_repeated_names_stmt(), {"round_id": round_id, "names": names}).fetchall())
                    if names else set())
        total, *set_counts = conn.execute(_unit_links_stmt(), _round_params(round_id)).one()
        # the parent's and the förvaltning's ids typed as in the round's frame (`_typed`): ids with
        # a None among them as floats, all None as objects – a subset's rows alone may be all set
        # (a subtree below the root) or all None
        id_types = {c: "object" if n == 0 else ("int64" if n == total else "float64")
                    for c, n in zip(("parent_id", "forvaltning_id"), set_counts, strict=True)}
        return _unit_frame(conn, frame, {int(u): name for u, name in named}, repeated, id_types)


@functools.cache
def _unit_links_stmt():
    v = m.UnitVersion
    return select(func.count(), func.count(v.parent_id), func.count(v.forvaltning_id)).where(v.round_id == _ROUND)


@functools.cache
def _unit_names_stmt():
    v = m.UnitVersion
    return select(v.unit_id, v.name).where(v.round_id == _ROUND, v.unit_id.in_(_UNITS))


@functools.cache
def _repeated_names_stmt():
    v = m.UnitVersion
    return (select(v.name, v.level).where(v.round_id == _ROUND, v.name.in_(bindparam("names", expanding=True)))
            .group_by(v.name, v.level).having(func.count() > 1))


def _unit_frame(conn: Connection, frame: pd.DataFrame, other_names: dict[int, str],
                repeated: set[tuple[str, str]] | None = None, id_types: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """The units' frame of `_units_stmt` rows: the parent's and the förvaltning's names (of these
    rows, else `other_names`: the round's names of units outside them), the förvaltning's key and
    `name_repeated` – among these rows, or `repeated` (name, level) pairs where given; `id_types`
    the dtypes of the id columns it names (else as read)."""
    name_of = other_names | dict(zip(frame["unit_id"].tolist(), frame["name"].tolist()))
    key_of = dict(zip(frame["unit_id"].tolist(), frame["key"].tolist()))
    parents = [None if p is None or p != p else int(p) for p in frame["parent_id"].tolist()]  # NaN: none
    forv = [None if f is None or f != f else int(f) for f in frame["forvaltning_id"].tolist()]
    elsewhere = {f for f in forv if f is not None and f not in key_of}  # a förvaltning not in these rows
    if elsewhere:
        key_of = key_of | dict(conn.execute(select(m.OrgUnit.id, m.OrgUnit.key)
                                            .where(m.OrgUnit.id.in_(sorted(elsewhere)))).fetchall())
    texts = {
        "parent_name": [None if p is None else name_of.get(p) for p in parents],
        "forvaltning_key": [None if f is None else key_of.get(f) for f in forv],
        "forvaltning_name": [None if f is None else name_of.get(f) for f in forv],
    }
    # two units of one name and level (a "Gemensamma resurser" under each verksamhetsområde): their
    # labels carry the parent (views.unit_label), else a list or a chart shows two rows it cannot tell
    # apart. (Linköping's förvaltning and its own line of the same name are told apart by level.)
    if repeated is not None:
        name_repeated = np.array([pair in repeated for pair in zip(frame["name"].tolist(), frame["level"].tolist())],
                                 dtype=bool)
    else:
        name_repeated = (frame.duplicated(subset=["name", "level"], keep=False).to_numpy() if len(frame)
                         else np.array([], dtype=bool))
    # one frame from its columns: assigning, selecting and casting them one by one cost more in
    # pandas than the query for a branch of a few dozen units
    index = frame.index
    objects = lambda values: pd.Series(np.array(values, dtype=object), index=index, dtype=object)  # noqa: E731
    columns = {}
    for c in UNIT_COLUMNS:
        if c in texts:
            columns[c] = objects(texts[c])
        elif id_types and c in id_types and len(frame):
            columns[c] = (objects([None] * len(frame)) if id_types[c] == "object"
                          else frame[c].astype(id_types[c]))
        else:
            columns[c] = frame[c]
    columns["name_repeated"] = pd.Series(name_repeated, index=index, dtype=bool)
    return pd.DataFrame(columns, index=index)


@dataclass(frozen=True)
class UnitTree:
    """A round's units as a tree only – key, id and parent – for a page that shows one branch
    (Verksamhet): finding a unit, its ancestors and its subtree without the round's names."""
    ids: dict[str, int]  # key → unit id
    parent: dict[int, int | None]
    children: dict[int, tuple[int, ...]]  # in `units` order

    def descendants(self, unit_id: int) -> list[int]:
        """The unit and everything below it, in economy.descendants' order."""
        out, stack = [], [int(unit_id)]
        while stack:
            uid = stack.pop()
            out.append(uid)
            stack.extend(self.children.get(uid, ()))
        return out

    def ancestors(self, unit_id: int) -> list[int]:
        """The unit's parent, its parent and so on up to the root (a cycle stops the walk)."""
        out, seen, node = [], {int(unit_id)}, self.parent.get(int(unit_id))
        while node is not None and node not in seen:
            out.append(node)
            seen.add(node)
            node = self.parent.get(node)
        return out


def unit_tree(engine: Engine, round_id: int) -> UnitTree:
    """The round's units as a tree (`UnitTree`), children in `units`' order; one query of three
    columns instead of the whole organisation."""
    with engine.connect() as conn:
        rows = conn.execute(_unit_tree_stmt(), _round_params(round_id)).fetchall()
    children: dict[int, list[int]] = {}
    for uid, _, parent in rows:
        if parent is not None:
            children.setdefault(int(parent), []).append(int(uid))
    return UnitTree({key: int(uid) for uid, key, _ in rows},
                    {int(uid): None if parent is None else int(parent) for uid, _, parent in rows},
                    {p: tuple(c) for p, c in children.items()})


@functools.cache
def _unit_tree_stmt():
    v = m.UnitVersion
    return (select(v.unit_id, m.OrgUnit.key, v.parent_id).join(m.OrgUnit, m.OrgUnit.id == v.unit_id)
            .where(v.round_id == _ROUND).order_by(v.depth, v.sort_order, v.unit_id))


def unit_keys(engine: Engine, round_id: int) -> frozenset[str]:
    """The keys of a round's units – what an address or a remembered unit is checked against.
    One column, no joins: the sidebar asks on every new round, and the whole organisation
    (`units`: names, parents, förvaltningar) was most of a rerun on pages that
    never show it (Uppdrag at full scale, docs/benchmark.md)."""
    with engine.connect() as conn:  # fetchall: no per-row iterator
        return frozenset(key for (key,) in conn.execute(_unit_keys_stmt(), {"round_id": round_id}).fetchall())


@functools.cache
def _unit_keys_stmt():
    return (select(m.OrgUnit.key).join(m.UnitVersion, m.UnitVersion.unit_id == m.OrgUnit.id)
            .where(m.UnitVersion.round_id == _ROUND))


def round_forvaltningar(engine: Engine, round_id: int) -> tuple[tuple[str, str], ...]:
    """The round's current förvaltningar as (key, name) in the order `units` gives them (depth,
    sort order): the sidebar's choices, without reading the whole organisation (plain tuples: a
    frame of a few rows cost more to build than the query)."""
    with engine.connect() as conn:
        return tuple((key, name) for key, name in
                     conn.execute(_round_forvaltningar_stmt(), {"round_id": round_id}).fetchall())


@functools.cache
def _round_forvaltningar_stmt():
    v = m.UnitVersion
    return (
        select(m.OrgUnit.key, v.name)
        .join(m.OrgUnit, m.OrgUnit.id == v.unit_id)
        .where(v.round_id == _ROUND, v.level == "förvaltning", v.historical.is_(False))
        .order_by(v.depth, v.sort_order, v.unit_id)  # as units orders them
    )


ECONOMY_FIELDS = [
    "budget_year",
    "budget_period",
    "actual_period",
    "deviation_period",
    "forecast_net",
    "forecast_deviation",
    "actual_prev_period",
    "bokslut_prev_year",
    "budget_share_pct",
]


def economy(engine: Engine, round_id: int) -> pd.DataFrame:
    """The economy rows a round reported, one per unit, as printed."""
    cols = [getattr(m.EconomyLine, f) for f in ECONOMY_FIELDS]
    stmt = select(m.EconomyLine.unit_id, *cols).where(m.EconomyLine.round_id == round_id)
    return _frame(engine, stmt)


ROLLUP_COLUMNS = ECONOMY_FIELDS + ["reported"] + [f + "_computed" for f in ECONOMY_FIELDS if f != "budget_share_pct"] + [
    "own_forecast", "summary_line"]


def economy_rollup(engine: Engine, round_id: int, unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The round's stored economy tree (revision 0005, `rollups.py`): printed figures and computed
    sums with their `_computed` flags, one row per unit with any amount; `object_columns` (the
    same on every row) names the fields the tree had as all-missing objects. With `unit_ids`,
    those units' rows only (one verksamhet's subtree: `rollups.paired_table`)."""
    return _with_object_columns(engine, _economy_rollup_stmt(unit_ids is not None), round_id, unit_ids)



@functools.cache
def _economy_rollup_stmt(of_units: bool):
    cols = [getattr(m.EconomyRollup, f) for f in ROLLUP_COLUMNS]
    stmt = select(m.EconomyRollup.unit_id, *cols).where(m.EconomyRollup.round_id == _ROUND)
    return stmt.where(m.EconomyRollup.unit_id.in_(_UNITS)) if of_units else stmt


@functools.cache
def _object_columns_stmt():
    return select(m.EconomyRollupRound.object_columns).where(m.EconomyRollupRound.round_id == _ROUND)


def _with_object_columns(engine: Engine, stmt, round_id: int, unit_ids) -> pd.DataFrame:
    """The rows of `stmt` with the round's `object_columns` as their last column (NULL without a
    stored round), as a correlated subquery per row gave it, read once instead of per row. Both
    statements run on one connection: one snapshot where the caller pins it (data.snapshot, an
    import's OnConnection), as every page read is."""
    with engine.connect() as conn:
        frame = _fetch(conn, stmt, _round_params(round_id, unit_ids))
        objects = (conn.execute(_object_columns_stmt(), _round_params(round_id)).scalar_one_or_none()
                   if len(frame) else None)
    frame["object_columns"] = pd.Series(np.array([objects] * len(frame), dtype=object), index=frame.index,
                                        dtype=object)
    return frame


def economy_rollup_previous(engine: Engine, round_id: int, unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """What a later round needs of this round's stored tree to compare with it (`rollups.
    paired_table`): the forecast deviation per unit, its `_computed` flag, whether the unit's own
    row gave it, and `object_columns` as in `economy_rollup`. Four columns instead of 27. With
    `unit_ids`, those units' rows only."""
    return _with_object_columns(engine, _economy_rollup_previous_stmt(unit_ids is not None), round_id, unit_ids)


@functools.cache
def _economy_rollup_previous_stmt(of_units: bool):
    r = m.EconomyRollup
    stmt = select(r.unit_id, r.forecast_deviation, r.forecast_deviation_computed, r.own_forecast).where(
        r.round_id == _ROUND)
    return stmt.where(r.unit_id.in_(_UNITS)) if of_units else stmt


def same_organisation(engine: Engine, round_id: int, other_round_id: int) -> bool:
    """Whether two rounds give the same organisation as far as the economy tree is concerned:
    the same units with the same parent, level, depth and sort order, and no two units of the
    round in the same (depth, sort order) – so `units` lists both rounds in one and the same
    order and a tree built in either organisation adds the same figures in the same order."""
    with engine.connect() as conn:
        n, n_other, n_matched, n_positions = conn.execute(
            _same_organisation_stmt(), {"round_id": round_id, "other_round_id": other_round_id}).one()
    return bool(n) and n == n_other == n_matched == n_positions


@functools.cache
def _same_organisation_stmt():
    other = bindparam("other_round_id")
    a, b = aliased(m.UnitVersion), aliased(m.UnitVersion)
    same_parent = or_(b.parent_id == a.parent_id, and_(b.parent_id.is_(None), a.parent_id.is_(None)))
    matched = (select(func.count()).select_from(a)
               .join(b, and_(b.round_id == other, b.unit_id == a.unit_id, b.level == a.level,
                             b.depth == a.depth, b.sort_order == a.sort_order, same_parent))
               .where(a.round_id == _ROUND).scalar_subquery())
    count = lambda rid: (select(func.count()).select_from(m.UnitVersion)  # noqa: E731
                         .where(m.UnitVersion.round_id == rid).scalar_subquery())
    positions = select(m.UnitVersion.depth, m.UnitVersion.sort_order).where(
        m.UnitVersion.round_id == _ROUND).distinct().subquery()
    distinct = select(func.count()).select_from(positions).scalar_subquery()
    return select(count(_ROUND), count(other), matched, distinct)


COMPARISON_COLUMNS = ["budget_year", "deviation_period", "deviation_period_computed", "forecast_deviation",
                      "forecast_deviation_computed", "own_forecast"]


def economy_rollup_comparison(engine: Engine, namnd_id: int) -> pd.DataFrame:
    """The stored trees' columns prognossäkerhet compares (`accuracy.compare`), for every round of
    the nämnd in one statement: the comparison reads a year's dozen trees and the years before,
    and one query per round (with its organisation) was most of a first Ekonomi run at scale."""
    cols = [getattr(m.EconomyRollup, f) for f in COMPARISON_COLUMNS]
    stmt = (select(m.EconomyRollup.round_id, m.EconomyRollup.unit_id, *cols)
            .join(m.Round, m.Round.id == m.EconomyRollup.round_id)
            .where(m.Round.namnd_id == namnd_id)
            .order_by(m.EconomyRollup.round_id, m.EconomyRollup.unit_id))
    return _frame(engine, stmt)


def economy_rollup_stored_rounds(engine: Engine, round_ids: tuple[int, ...]) -> tuple[int, ...]:
    """Which of the rounds have their economy tree stored (revision 0005; with or without rows)."""
    stmt = (select(m.EconomyRollupRound.round_id).where(m.EconomyRollupRound.round_id.in_([int(r) for r in round_ids]))
            .order_by(m.EconomyRollupRound.round_id))
    with engine.connect() as conn:
        return tuple(int(r) for r in conn.execute(stmt).scalars())


def economy_rollup_comparison_of(engine: Engine, round_ids: tuple[int, ...],
                                 unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """`economy_rollup_comparison` for the given rounds only (the same columns and order): a
    Bokslut's comparison reads its year's forecasts and each year's Bokslut with its headline
    forecast, not every round the nämnd ever had (at scale about half of them). `unit_ids`: only
    those units' rows (a unit's subtree, Verksamhet), in the same order."""
    cols = [getattr(m.EconomyRollup, f) for f in COMPARISON_COLUMNS]
    stmt = (select(m.EconomyRollup.round_id, m.EconomyRollup.unit_id, *cols)
            .where(m.EconomyRollup.round_id.in_([int(r) for r in round_ids]))
            .order_by(m.EconomyRollup.round_id, m.EconomyRollup.unit_id))
    if unit_ids is not None:
        stmt = stmt.where(m.EconomyRollup.unit_id.in_([int(u) for u in unit_ids]))
    return _frame(engine, stmt)


def economy_history(engine: Engine, namnd_id: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """Forecast (deviation and net cost) and budget of units across every round of the nämnd."""
    stmt = (
        select(
            m.EconomyLine.unit_id,
            m.Round.id.label("round_id"),
            m.Round.period_end,
            m.Round.kind,
            m.EconomyLine.budget_year,
            m.EconomyLine.forecast_net,
            m.EconomyLine.forecast_deviation,
        )
        .join(m.Round, m.Round.id == m.EconomyLine.round_id)
        .where(m.Round.namnd_id == namnd_id)
        .order_by(m.Round.period_end)
    )
    if unit_ids is not None:
        stmt = stmt.where(m.EconomyLine.unit_id.in_(unit_ids))
    return _frame(engine, stmt)


def result_lines(engine: Engine, round_id: int) -> pd.DataFrame:
    stmt = (
        select(m.ResultLine.name, m.ResultLine.actual_period, m.ResultLine.budget_year,
               m.ResultLine.forecast_year, m.ResultLine.actual_prev_period)
        .where(m.ResultLine.round_id == round_id)
        .order_by(m.ResultLine.seq)
    )
    return _frame(engine, stmt)


def investments(engine: Engine, round_id: int) -> pd.DataFrame:
    stmt = (
        select(m.Investment.project_key, m.Investment.name, m.Investment.actual,
               m.Investment.forecast, m.Investment.budget, m.Investment.deviation)
        .where(m.Investment.round_id == round_id)
        .order_by(m.Investment.project_key)
    )
    return _frame(engine, stmt)


def investments_of(engine: Engine, round_ids: tuple[int, ...]) -> pd.DataFrame:
    """`investments` of several rounds in one query, with their round_id: prognossäkerhet reads a
    Bokslut's and every forecast round's of its year (up to twelve queries)."""
    stmt = (
        select(m.Investment.round_id, m.Investment.project_key, m.Investment.name, m.Investment.actual,
               m.Investment.forecast, m.Investment.budget, m.Investment.deviation)
        .where(m.Investment.round_id.in_([int(r) for r in round_ids]))
        .order_by(m.Investment.round_id, m.Investment.project_key)
    )
    return _frame(engine, stmt)


def costs_by_type(engine: Engine, round_id: int) -> pd.DataFrame:
    stmt = (
        select(m.CostByType.kind, m.CostByType.category, m.CostByType.actual_period,
               m.CostByType.actual_prev_period)
        .where(m.CostByType.round_id == round_id)
        .order_by(m.CostByType.kind, m.CostByType.category)
    )
    return _frame(engine, stmt)


def commentary(engine: Engine, round_id: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    return _frame(engine, _commentary_stmt(unit_ids is not None), **_round_params(round_id, unit_ids))


@functools.cache
def _commentary_stmt(of_units: bool):
    stmt = (
        select(m.Commentary.unit_id, m.OrgUnit.key.label("unit_key"), m.UnitVersion.name.label("unit_name"),
               m.Commentary.section, m.Commentary.heading, m.Commentary.body)
        .join(m.OrgUnit, m.OrgUnit.id == m.Commentary.unit_id)
        .outerjoin(m.UnitVersion, and_(m.UnitVersion.unit_id == m.Commentary.unit_id,
                                       m.UnitVersion.round_id == m.Commentary.round_id))
        .where(m.Commentary.round_id == _ROUND)
        .order_by(m.Commentary.seq)
    )
    return stmt.where(m.Commentary.unit_id.in_(_UNITS)) if of_units else stmt


def events(engine: Engine, round_id: int, unit_ids: list[int] | None = None, limit: int | None = None) -> pd.DataFrame:
    stmt = _events_stmt()
    if unit_ids is not None:
        stmt = stmt.where(m.Event.unit_id.in_(unit_ids))
    if limit:
        stmt = stmt.limit(limit)
    return _frame(engine, stmt, round_id=round_id)


@functools.cache
def _events_stmt():
    return (
        select(m.Event.seq, m.Event.unit_id, m.OrgUnit.key.label("unit_key"),
               m.UnitVersion.name.label("unit_name"), m.Event.kind, m.Event.event_date,
               m.Event.heading, m.Event.body)
        .outerjoin(m.OrgUnit, m.OrgUnit.id == m.Event.unit_id)
        .outerjoin(m.UnitVersion, and_(m.UnitVersion.unit_id == m.Event.unit_id,
                                       m.UnitVersion.round_id == m.Event.round_id))
        .where(m.Event.round_id == _ROUND)
        .order_by(m.Event.seq)
    )


def goal_assessments(engine: Engine, round_id: int, namnd_id: int | None = None) -> pd.DataFrame:
    """Every goal of the round (as the round names them) with its assessment (NULL status = not
    reported). `namnd_id` is accepted for older callers and not needed."""
    return _frame(engine, _goal_assessments_stmt(), round_id=round_id)


@functools.cache
def _goal_assessments_stmt():
    v = m.GoalVersion
    parent = aliased(m.Goal)
    stmt = (
        select(
            v.goal_id, m.Goal.key, v.level, v.name,
            v.parent_id, parent.key.label("parent_key"), v.unit_id,
            v.description, v.sort_order,
            m.GoalAssessment.status, m.GoalAssessment.status_word,
            m.GoalAssessment.comment, m.GoalAssessment.comment_date,
        )
        .join(m.Goal, m.Goal.id == v.goal_id)
        .outerjoin(parent, parent.id == v.parent_id)
        .outerjoin(m.GoalAssessment, and_(m.GoalAssessment.goal_id == v.goal_id,
                                          m.GoalAssessment.round_id == v.round_id))
        .where(v.round_id == _ROUND)
        .order_by(v.sort_order)
    )
    return stmt


def goal_counts(engine: Engine, round_id: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """Nämndmål counted per assessment status in the round."""
    v = m.GoalVersion
    stmt = (
        select(m.GoalAssessment.status, func.count().label("antal"))
        .join(v, and_(v.goal_id == m.GoalAssessment.goal_id, v.round_id == m.GoalAssessment.round_id))
        .where(m.GoalAssessment.round_id == round_id, v.level == "nämndmål")
        .group_by(m.GoalAssessment.status)
    )
    if unit_ids is not None:
        stmt = stmt.where(v.unit_id.in_(unit_ids))
    return _frame(engine, stmt)


def activities(engine: Engine, round_id: int) -> pd.DataFrame:
    return _frame(engine, _activities_stmt(), round_id=round_id)


@functools.cache
def _activities_stmt():
    v = m.ActivityVersion
    goal = aliased(m.Goal)
    goal_v = aliased(m.GoalVersion)
    stmt = (
        select(
            v.activity_id, m.Activity.key, v.kind, v.name,
            v.goal_id, goal.key.label("goal_key"), goal_v.name.label("goal_name"),
            v.unit_id, v.description, v.sort_order,
            m.ActivityStatus.status, m.ActivityStatus.status_word, m.ActivityStatus.status_text,
            m.ActivityStatus.comment, m.ActivityStatus.comment_date,
        )
        .join(m.Activity, m.Activity.id == v.activity_id)
        .join(m.ActivityStatus, and_(m.ActivityStatus.activity_id == v.activity_id,
                                     m.ActivityStatus.round_id == v.round_id))
        .outerjoin(goal, goal.id == v.goal_id)
        .outerjoin(goal_v, and_(goal_v.goal_id == v.goal_id, goal_v.round_id == v.round_id))
        .where(v.round_id == _ROUND)
        .order_by(v.sort_order)
    )
    return stmt


def activity_counts(engine: Engine, round_id: int, unit_ids: list[int] | None = None) -> pd.DataFrame:
    v = m.ActivityVersion
    stmt = (
        select(v.kind, m.ActivityStatus.status, func.count().label("antal"))
        .join(v, and_(v.activity_id == m.ActivityStatus.activity_id, v.round_id == m.ActivityStatus.round_id))
        .where(m.ActivityStatus.round_id == round_id)
        .group_by(v.kind, m.ActivityStatus.status)
    )
    if unit_ids is not None:
        stmt = stmt.where(v.unit_id.in_(unit_ids))
    return _frame(engine, stmt)


def indicators(engine: Engine, round_id: int) -> pd.DataFrame:
    """The round's indicators as the round describes them (name, unit, footnote are per round)."""
    return _frame(engine, _indicators_stmt(), round_id=round_id)


@functools.cache
def _indicators_stmt():
    v = m.IndicatorVersion
    goal = aliased(m.Goal)
    goal_v = aliased(m.GoalVersion)
    stmt = (
        select(
            v.indicator_id, m.Indicator.key, v.name,
            v.kind, v.measure_unit, v.direction,
            v.accumulation, v.goal_id, goal.key.label("goal_key"),
            goal_v.name.label("goal_name"), v.unit_id, v.source,
            v.kolada_id, v.footnote, v.sort_order,
        )
        .join(m.Indicator, m.Indicator.id == v.indicator_id)
        .outerjoin(goal, goal.id == v.goal_id)
        .outerjoin(goal_v, and_(goal_v.goal_id == v.goal_id, goal_v.round_id == v.round_id))
        .where(v.round_id == _ROUND)
        .order_by(v.sort_order)
    )
    return stmt


def _indicator_values_stmt(v, round_id: int):
    """The columns of indicator_values over `v` (the table or a subquery with its columns)."""
    return (
        select(
            v.indicator_id, v.unit_id,
            m.OrgUnit.key.label("unit_key"), m.UnitVersion.name.label("unit_name"),
            m.UnitVersion.level.label("unit_level"),
            v.period_end, v.period_label,
            v.value_type, v.gender, v.breakdown,
            v.source_table, v.value, v.missing,
            v.old_method_value, v.footnote,
        )
        .join(m.OrgUnit, m.OrgUnit.id == v.unit_id)
        .outerjoin(m.UnitVersion, and_(m.UnitVersion.unit_id == v.unit_id,
                                       m.UnitVersion.round_id == v.round_id))
        .where(v.round_id == round_id)
        # indicator and period, then the rest of the primary key: the order SQLite gave for equal
        # (indicator, period) – its scan of the primary key, kept by the sort – written out, so that
        # indicator_latest_values gives the same rows in the same order on any plan and database
        # (latest_status sorts with an unstable sort: its output order follows its input order).
        .order_by(v.indicator_id, v.period_end, v.unit_id, v.value_type, v.gender, v.breakdown,
                  v.source_table)
    )


def indicator_values(engine: Engine, round_id: int, indicator_ids: list[int] | None = None) -> pd.DataFrame:
    stmt = _indicator_values_stmt(m.IndicatorValue, round_id)
    if indicator_ids is not None:
        stmt = stmt.where(m.IndicatorValue.indicator_id.in_(indicator_ids))
    return _frame(engine, stmt)


def indicator_values_of_indicators(engine: Engine, round_id: int, indicator_ids: tuple[int, ...]) -> pd.DataFrame:
    """indicator_values(round_id) of these indicators only, in the same order: the trend cards
    Indikatorer draws (twelve on its first screen) without reading and shaping the round's 5 400
    values at full scale on every new round (tests/test_indicator_values_part.py)."""
    return _numbers(indicator_values(engine, round_id, [int(i) for i in indicator_ids]))


def indicator_value_units(engine: Engine, round_id: int) -> frozenset[int]:
    """The units with any indicator value in the round (views.scope_targets)."""
    stmt = select(m.IndicatorValue.unit_id).where(m.IndicatorValue.round_id == round_id).distinct()
    with engine.connect() as conn:
        return frozenset(int(u) for (u,) in conn.execute(stmt).fetchall())


def has_indicator_values(engine: Engine, round_id: int) -> bool:
    """Whether the round has any indicator value: what the indicator slide asks before it reads
    the stored status, without reading and shaping the round's 5 400 values at full scale."""
    stmt = select(m.IndicatorValue.round_id).where(m.IndicatorValue.round_id == round_id).limit(1)
    with engine.connect() as conn:
        return conn.execute(stmt).first() is not None


def indicator_values_of_units(engine: Engine, round_id: int, unit_ids: tuple[int, ...]) -> pd.DataFrame:
    """indicator_values(round_id) of these units only, in the same order – what Verksamhet shows
    for one unit's subtree – without reading and shaping the whole round's values (5 400 at full
    scale) on every new round (tests/test_latest_values.py)."""
    return _numbers(_frame(engine, _indicator_values_of_units_stmt(), **_round_params(round_id, unit_ids)))


@functools.cache
def _indicator_values_of_units_stmt():
    return _indicator_values_stmt(m.IndicatorValue, _ROUND).where(m.IndicatorValue.unit_id.in_(_UNITS))


def indicator_latest_values(engine: Engine, round_id: int) -> pd.DataFrame:
    """The rows of indicator_values that `targets.latest_status` uses, in the same order: the
    outcomes (utfall) at the latest period of their series (indicator × unit × gender ×
    breakdown). latest_status of these rows is latest_status of all the round's values
    (tests/test_latest_values.py); Översikt needs no more, and a round at full scale has three
    periods per series, so the query reads and shapes a third of the rows."""
    iv = m.IndicatorValue
    later = aliased(iv)
    # no later outcome in the series: a range search in the primary key (round, indicator, unit,
    # period > …) per row, cheaper on SQLite than a window max (EXPLAIN in docs/benchmark.md)
    newer = exists().where(later.round_id == iv.round_id, later.indicator_id == iv.indicator_id,
                           later.unit_id == iv.unit_id, later.gender == iv.gender,
                           later.breakdown == iv.breakdown, later.value_type == "utfall",
                           later.period_end > iv.period_end)
    stmt = _indicator_values_stmt(iv, round_id).where(iv.value_type == "utfall", ~newer)
    return _numbers(_frame(engine, stmt))


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """A part of a round's values with its number columns as floats, as the whole round's are: a
    part whose values are all blank (I.U.) would be untyped Nones, which latest_status cannot round."""
    if not len(frame):
        return frame
    out = frame.copy(deep=False)  # column by column: astype with a dict rebuilt the whole frame (5× slower)
    for column in ("value", "old_method_value"):
        if out[column].dtype != "float64":
            out[column] = out[column].astype("float64")
    return out


def indicator_targets(engine: Engine, round_id: int) -> pd.DataFrame:
    stmt = (
        select(
            m.IndicatorTarget.indicator_id, m.IndicatorTarget.unit_id,
            m.OrgUnit.key.label("unit_key"), m.IndicatorTarget.gender,
            m.IndicatorTarget.breakdown, m.IndicatorTarget.period_end,
            m.IndicatorTarget.period_label, m.IndicatorTarget.source_table,
            m.IndicatorTarget.comparator, m.IndicatorTarget.target_value,
            m.IndicatorTarget.target_text,
        )
        .join(m.OrgUnit, m.OrgUnit.id == m.IndicatorTarget.unit_id)
        .where(m.IndicatorTarget.round_id == round_id)
        # the primary key's order (what SQLite gave unasked; PostgreSQL's join order can change with
        # its statistics): a target printed in two tables is then the first table's by name, as a
        # value is (targets.latest_status keeps the first of equally near targets)
        .order_by(m.IndicatorTarget.indicator_id, m.IndicatorTarget.unit_id, m.IndicatorTarget.gender,
                  m.IndicatorTarget.breakdown, m.IndicatorTarget.period_end, m.IndicatorTarget.source_table)
    )
    return _frame(engine, stmt)


def indicator_status_rows(engine: Engine, round_id: int, unit_ids: tuple[int, ...] | None = None,
                          with_namnd: bool = False) -> pd.DataFrame:
    """The round's stored status rows (revision 0006, `indicator_status.py`) in their stored order
    (the order of the round's values), with the unit's key and name as indicator_values gives them:
    all of them, or those of `unit_ids` – and, `with_namnd`, of the nämnd as a whole, as
    views.indicator_scope keeps its values."""
    stmt = _indicator_status_rows_stmt(unit_ids is not None, unit_ids is not None and bool(with_namnd))
    return _frame(engine, stmt, **_round_params(round_id, unit_ids))


@functools.cache
def _indicator_status_rows_stmt(of_units: bool, with_namnd: bool):
    s = m.IndicatorStatus
    stmt = (
        select(s.indicator_id, s.unit_id, m.OrgUnit.key.label("unit_key"), m.UnitVersion.name.label("unit_name"),
               s.gender, s.breakdown, s.source_table, s.period_end, s.period_label, s.value, s.missing, s.footnote,
               s.n_values, s.target_value, s.target_text, s.printed_comparator, s.target_end)
        .join(m.OrgUnit, m.OrgUnit.id == s.unit_id)
        .outerjoin(m.UnitVersion, and_(m.UnitVersion.unit_id == s.unit_id, m.UnitVersion.round_id == s.round_id))
        .where(s.round_id == _ROUND)
        .order_by(s.seq)
    )
    if of_units:
        inside = s.unit_id.in_(_UNITS)
        stmt = stmt.where(or_(inside, m.UnitVersion.level == "nämnd") if with_namnd else inside)
    return stmt


def indicator_judged_rows(engine: Engine, round_id: int, status: str, gender: str
                          ) -> tuple[dict[tuple[str, str], int], pd.DataFrame] | None:
    """(how many of the round's nämnd-wide statuses there are per (status, gender), the stored
    status rows – as indicator_status_rows gives them – of those judged `status` for `gender`, in
    judge's order), from what the import judged (revision 0007, `indicator_status.store`); None
    where it is not stored. Översikt's and the indicator slide's misses: a few rows, not the
    round's 1 800 read and judged again."""
    params = {"round_id": round_id}
    with engine.connect() as conn:
        if conn.execute(_indicator_judged_round_stmt(), params).first() is None:
            return None
        counts = {(s, g): int(n) for s, g, n in conn.execute(_indicator_judged_counts_stmt(), params).fetchall()}
        rows = _fetch(conn, _indicator_judged_rows_stmt(), params | {"status": status, "gender": gender})
    return counts, rows


@functools.cache
def _indicator_judged_rows_stmt():
    s, j = m.IndicatorStatus, m.IndicatorJudged
    return (_indicator_status_rows_stmt(False, False)
            .join(j, and_(j.round_id == s.round_id, j.seq == s.seq))
            .where(j.status == bindparam("status"), s.gender == bindparam("gender"))
            .order_by(None).order_by(j.position))


@functools.cache
def _indicator_judged_round_stmt():
    return select(m.IndicatorJudgedRound.round_id).where(m.IndicatorJudgedRound.round_id == _ROUND)


@functools.cache
def _indicator_judged_counts_stmt():
    s, j = m.IndicatorStatus, m.IndicatorJudged
    return (select(j.status, s.gender, func.count()).select_from(j)
            .join(s, and_(s.round_id == j.round_id, s.seq == j.seq))
            .where(j.round_id == _ROUND).group_by(j.status, s.gender))


def indicator_status_stored(engine: Engine, round_id: int) -> bool:
    """Whether the round's status rows are stored (an import since revision 0006, or init-db)."""
    with engine.connect() as conn:
        return conn.execute(_indicator_status_stored_stmt(), {"round_id": round_id}).first() is not None


@functools.cache
def _indicator_status_stored_stmt():
    return select(m.IndicatorStatusRound.round_id).where(m.IndicatorStatusRound.round_id == _ROUND)


def risks(engine: Engine, round_id: int) -> pd.DataFrame:
    return _frame(engine, _risks_stmt(), round_id=round_id)


@functools.cache
def _risks_stmt():
    v = m.RiskVersion
    stmt = (
        select(
            v.risk_id, m.Risk.key, v.name, v.unit_id,
            v.description, v.sort_order, m.RiskAssessment.probability,
            m.RiskAssessment.consequence, m.RiskAssessment.risk_value,
            m.RiskAssessment.risk_value_computed, m.RiskAssessment.assessment_text,
        )
        .join(m.Risk, m.Risk.id == v.risk_id)
        .join(m.RiskAssessment, and_(m.RiskAssessment.risk_id == v.risk_id,
                                     m.RiskAssessment.round_id == v.round_id))
        .where(v.round_id == _ROUND)
        .order_by(m.RiskAssessment.risk_value.desc(), v.sort_order)
    )
    return stmt


def control_steps(engine: Engine, round_id: int) -> pd.DataFrame:
    v = m.ControlStepVersion
    risk = aliased(m.Risk)
    risk_v = aliased(m.RiskVersion)
    stmt = (
        select(
            v.control_step_id, m.ControlStep.key, v.name,
            v.risk_id, risk.key.label("risk_key"), risk_v.name.label("risk_name"),
            v.unit_id, v.description, v.sort_order,
            m.ControlStepStatus.status, m.ControlStepStatus.status_word,
            m.ControlStepStatus.status_text, m.ControlStepStatus.comment,
            m.ControlStepStatus.comment_date,
        )
        .join(m.ControlStep, m.ControlStep.id == v.control_step_id)
        .join(m.ControlStepStatus, and_(m.ControlStepStatus.control_step_id == v.control_step_id,
                                        m.ControlStepStatus.round_id == v.round_id))
        .outerjoin(risk, risk.id == v.risk_id)
        .outerjoin(risk_v, and_(risk_v.risk_id == v.risk_id, risk_v.round_id == v.round_id))
        .where(v.round_id == round_id)
        .order_by(v.sort_order)
    )
    return _frame(engine, stmt)


def last_import(engine: Engine) -> dt.datetime | None:
    stmt = select(func.max(m.ImportLog.imported_at)).where(m.ImportLog.outcome == "importerad")
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()




def goal_history(engine: Engine, namnd_id: int) -> pd.DataFrame:
    """Every goal assessment of the nämnd in every round, each with that round's name of the goal
    (for history and change lists; callers keep only the rounds the viewer may see)."""
    v = m.GoalVersion
    stmt = (
        select(m.GoalAssessment.goal_id.label("item_id"), m.Goal.key, v.name, v.level,
               m.Round.id.label("round_id"), m.Round.period_end, m.Round.kind,
               m.GoalAssessment.status, m.GoalAssessment.status_word)
        .join(m.Goal, m.Goal.id == m.GoalAssessment.goal_id)
        .join(v, and_(v.goal_id == m.GoalAssessment.goal_id, v.round_id == m.GoalAssessment.round_id))
        .join(m.Round, m.Round.id == m.GoalAssessment.round_id)
        .where(m.Goal.namnd_id == namnd_id)
        .order_by(m.Round.period_end, v.sort_order)
    )
    return _frame(engine, stmt)


def activity_history(engine: Engine, namnd_id: int) -> pd.DataFrame:
    """Every activity/uppdrag status of the nämnd in every round, with that round's name."""
    v = m.ActivityVersion
    stmt = (
        select(m.ActivityStatus.activity_id.label("item_id"), m.Activity.key, v.name,
               v.kind.label("level"), m.Round.id.label("round_id"), m.Round.period_end,
               m.Round.kind, m.ActivityStatus.status, m.ActivityStatus.status_word)
        .join(m.Activity, m.Activity.id == m.ActivityStatus.activity_id)
        .join(v, and_(v.activity_id == m.ActivityStatus.activity_id, v.round_id == m.ActivityStatus.round_id))
        .join(m.Round, m.Round.id == m.ActivityStatus.round_id)
        .where(m.Activity.namnd_id == namnd_id)
        .order_by(m.Round.period_end, v.sort_order)
    )
    return _frame(engine, stmt)


def kolada_values(engine: Engine, kpi: str, period: int | None = None) -> pd.DataFrame:
    stmt = select(m.KoladaValue.municipality, m.KoladaValue.period, m.KoladaValue.gender,
                  m.KoladaValue.value, m.KoladaValue.count, m.KoladaValue.status).where(m.KoladaValue.kpi == kpi)
    if period is not None:
        stmt = stmt.where(m.KoladaValue.period == period)
    return _frame(engine, stmt.order_by(m.KoladaValue.period, m.KoladaValue.municipality))


def kolada_periods(engine: Engine, kpi: str) -> list[int]:
    stmt = select(m.KoladaValue.period).where(m.KoladaValue.kpi == kpi).distinct().order_by(m.KoladaValue.period.desc())
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(stmt)]


def user_roles(engine: Engine, identity: str) -> pd.DataFrame:
    stmt = select(m.UserRole.role, m.UserRole.kommun_code, m.UserRole.namnd_code,
                  m.UserRole.forvaltning_key).where(m.UserRole.identity == identity.strip().lower())
    return _frame(engine, stmt)
