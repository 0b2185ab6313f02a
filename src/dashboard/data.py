"""The only module that caches: query results and derived results per data version.

The data version is the newest import-log row (`queries.data_version`). Every import writes its
log row in the same transaction as its data, so a transaction that sees version v sees exactly
the data of version v. That gives one snapshot per page run without holding a connection open:

- `refresh_version()` reads the version once at the start of each script run (app.py);
- every cached value is keyed on (version, name, args), so a run only ever gets values stored
  under its own version;
- a cache miss runs the query inside one read transaction (a REPEATABLE READ snapshot on
  PostgreSQL, an explicit BEGIN on SQLite) that first re-reads the version: if an import was
  committed since the run began, nothing is stored and the run is restarted (`st.rerun`), so it
  reads the new version from its first query on. A page never shows two versions.

Values live in one process-wide store (cleared with `st.cache_resource.clear()`, like the engine)
and are handed out as shallow copies: pandas' copy-on-write means a page that modifies its frame
never changes the stored one, and a cache hit costs microseconds instead of a pickle round trip
(st.cache_data copies every hit by unpickling it). Entries of older versions are dropped as soon
as a newer version is stored, and the store is bounded in entries and bytes.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Connection, Engine

from . import economy as ec
from . import queries, rollups
from .db import DatabaseUnavailable, ensure_ready, make_engine
from .rounds import BOKSLUT

VERSION_KEY = "_data_version"
MAX_ENTRIES = 4000
MAX_BYTES = 600 * 1024 * 1024  # keeps one process at full scale well under 1 GiB (docs/benchmark.md)
LARGE_BYTES = 1024 * 1024  # values at least this large are evicted first when the bytes run out


@st.cache_resource(show_spinner="Förbereder databasen …")
def engine() -> Engine:
    """One engine per process; on first start the schema is created and built-in data loaded."""
    eng = make_engine()
    ensure_ready(eng)
    # Freeze the heap after the heavy imports and the first load: Streamlit runs gc.collect()
    # after every script run, and a frozen heap makes that cheap (see docs/benchmark.md).
    gc.collect()
    gc.freeze()
    tune_gc()
    return eng


# A page run builds tens of thousands of short-lived tuples and lists (rows, texts); at Python's
# default 700 allocations per young collection a first run at full scale made ~300 of them, and the
# cache's growing heap made each of its three or so full collections 20–40 ms: 50–100 ms of a
# first Ekonomi or Bildspel run was the collector (docs/benchmark.md, ninth round). Frames free
# their memory by reference counting; the collector only finds cycles, which are rare here.
GC_THRESHOLDS = (50_000, 20, 10)


def tune_gc() -> None:
    """Fewer, larger young collections and a full one every ~10 million allocations."""
    gc.set_threshold(*GC_THRESHOLDS)


# --- snapshots ----------------------------------------------------------------------------------


class _Pinned:
    """Looks like an Engine to `queries` (which call `engine.connect()`) but hands out one open
    connection, so several statements read the same snapshot."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.dialect = conn.dialect
        self.url = conn.engine.url

    def connect(self):
        return contextlib.nullcontext(self._conn)


@contextlib.contextmanager
def snapshot(eng: Engine) -> Iterator[_Pinned]:
    """One read transaction: every statement inside sees the same committed state."""
    if eng.dialect.name == "postgresql":
        # READ COMMITTED (the default) takes a new snapshot per statement; REPEATABLE READ keeps
        # the first statement's snapshot for the whole transaction.
        with eng.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True) as conn:
            yield _Pinned(conn)
            conn.rollback()
    else:
        with eng.connect() as conn:
            # pysqlite begins transactions only before writes; an explicit BEGIN makes the reads
            # that follow one WAL snapshot. Closing the connection rolls it back.
            conn.exec_driver_sql("BEGIN")
            yield _Pinned(conn)
            conn.rollback()


class StaleVersion(Exception):
    """An import was committed after this script run read its data version."""

    def __init__(self, now: tuple[int, int]) -> None:
        super().__init__(f"data version changed to {now}")
        self.now = now


# --- the store ----------------------------------------------------------------------------------


def _size(value: Any, depth: int = 0) -> int:
    """Roughly the bytes a stored value holds (frames, chart specs with their Arrow data)."""
    if isinstance(value, pd.DataFrame):
        # ~8 bytes a cell and ~200 for what an object cell points to, from the shape: no Series
        # per column (value.items()) on every cache miss
        return value.index.nbytes + 208 * int(value.size)
    if depth < 4 and isinstance(value, tuple | list):
        return sys.getsizeof(value) + _sampled(value, depth)
    if depth < 4 and isinstance(value, dict):
        return sys.getsizeof(value) + _sampled(list(value.values()), depth)
    return sys.getsizeof(value)


SIZE_SAMPLE = 64  # items measured of a longer list/tuple/dict, the rest estimated from them


def _sampled(items, depth: int) -> int:
    """The summed sizes of the items, measured on at most SIZE_SAMPLE evenly spaced ones and scaled
    up. Every item measured was ~70 000 calls (0,5 s profiled) for Verksamhet's unit index of a
    round's 2 000 units on each new round; an estimate is all the byte bound needs."""
    n = len(items)
    if n <= SIZE_SAMPLE:
        return sum(_size(v, depth + 1) for v in items)
    step = n / SIZE_SAMPLE
    measured = sum(_size(items[int(i * step)], depth + 1) for i in range(SIZE_SAMPLE))
    return int(measured * n / SIZE_SAMPLE)


class Store:
    """Process-wide LRU of values keyed on (version, kind, name, args); one computation per key."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._inflight: dict[tuple, threading.Lock] = {}
        self._bytes = 0
        self._newest = (0, 0)
        self.hits = self.misses = 0

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key][0]
            gate = self._inflight.setdefault(key, threading.Lock())
        try:
            with gate:  # concurrent sessions asking for the same value compute it once
                with self._lock:
                    if key in self._entries:
                        self.hits += 1
                        return self._entries[key][0]
                value = compute()
                self._put(key, value)
                return value
        finally:
            with self._lock:
                self._inflight.pop(key, None)

    def _put(self, key: tuple, value: Any) -> None:
        size = _size(value)
        with self._lock:
            self.misses += 1
            version = key[0]
            if version > self._newest:  # an import happened: older versions are dead weight
                self._newest = version
                for old in [k for k in self._entries if k[0] < version]:
                    self._bytes -= self._entries.pop(old)[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
                victim = None
                if len(self._entries) <= self.max_entries:
                    # Over in bytes: the least recently used *large* value goes first. Plain LRU let
                    # one Ekonomi run at full scale (history, prognossäkerhet: 600 MB) push out the
                    # small values every run needs (rounds, visible rounds per nämnd), so each
                    # rerun recomputed them (~1 s profiled; docs/benchmark.md).
                    victim = next((k for k, (_, sz) in self._entries.items() if sz >= LARGE_BYTES and k != key), None)
                if victim is None:
                    victim = next(iter(self._entries))
                self._bytes -= self._entries.pop(victim)[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._newest = (0, 0)

    def __len__(self) -> int:
        return len(self._entries)


_LIVE: list[Store] = []  # the Store cache_resource holds now (empty after st.cache_resource.clear())


def _released(value: Store) -> None:
    if _LIVE and _LIVE[0] is value:
        _LIVE.clear()


@st.cache_resource(show_spinner=False, on_release=_released)
def _store_resource() -> Store:
    return Store()


def store() -> Store:
    """The process-wide store. Asked for by every cached value a run reads (25 times per rerun
    of Översikt): a cache_resource lookup each time was a tenth of app.py's own time on the
    built-in data (docs/benchmark.md), so the live store is kept here as well and dropped when
    Streamlit releases it (st.cache_resource.clear())."""
    live = _LIVE[:1]
    if live:
        return live[0]
    value = _store_resource()
    _LIVE[:] = [value]
    return value


def _handout(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # copy-on-write: the caller cannot change the stored frame
    if isinstance(value, tuple):
        return tuple(_handout(v) for v in value)
    if isinstance(value, list | dict | set):
        return copy.copy(value)
    return value


# --- the data version of this script run --------------------------------------------------------


def refresh_version() -> tuple[int, int]:
    """Read the data version once per script run (called by app.py before any page)."""
    version = tuple(queries.data_version(engine()))
    st.session_state[VERSION_KEY] = version
    return version


def _version() -> tuple[int, int]:
    return st.session_state.get(VERSION_KEY) or refresh_version()


def _stale(exc: StaleVersion):
    """Restart the script run on the new version (nothing of the old one was stored)."""
    st.session_state[VERSION_KEY] = exc.now
    st.rerun()


# --- cached queries -----------------------------------------------------------------------------


# Wall seconds spent reading the database on cache misses (the query and its frame), summed over
# the process: the bench reads it around a run to tell a page's reads from the rest of its work.
READS = {"seconds": 0.0, "queries": 0}
_READS_LOCK = threading.Lock()


def _verified_query(version: tuple[int, int], name: str, args: tuple):
    started = time.perf_counter()
    try:
        with snapshot(engine()) as pinned:
            now = tuple(queries.data_version(pinned))
            if now != version:
                raise StaleVersion(now)
            return getattr(queries, name)(pinned, *args)
    finally:
        with _READS_LOCK:
            READS["seconds"] += time.perf_counter() - started
            READS["queries"] += 1


def cached_query(version: tuple[int, int], name: str, args: tuple):
    """The stored result of queries.<name>(*args) at `version` (raises StaleVersion)."""
    return _handout(store().get((version, "q", name, args), lambda: _verified_query(version, name, args)))


def q(name: str, *args):
    """A cached query from `queries` by name, e.g. q("rounds", namnd_id)."""
    try:
        return cached_query(_version(), name, tuple(args))
    except StaleVersion as exc:
        _stale(exc)


# --- cached derived values ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A query result by reference: `memo` resolves it inside the cached computation, so the
    cache key is the query's name and arguments, never a hash of a large frame."""

    name: str
    args: tuple

    def resolve(self):
        return q(self.name, *self.args)


def ref(name: str, *args) -> Ref:
    return Ref(name, tuple(args))


def _resolve(value):
    if isinstance(value, Ref):
        return value.resolve()
    if isinstance(value, tuple) and any(isinstance(v, Ref) for v in value):
        return tuple(_resolve(v) for v in value)
    return value


def memo(fn: Callable, *args, **kwargs):
    """fn(*args, **kwargs) computed once per data version (args hashable; `ref(...)` for frames).

    For pure functions of the data (tree roll-ups, chart data, chart specs): a rerun, another
    session or another filter that leads to the same arguments reuses the value.
    """
    version = _version()
    key = (version, "memo", f"{fn.__module__}.{fn.__qualname__}", args, tuple(sorted(kwargs.items())))
    try:
        return _handout(store().get(key, lambda: fn(*(_resolve(a) for a in args),
                                                    **{k: _resolve(v) for k, v in kwargs.items()})))
    except StaleVersion as exc:
        _stale(exc)


def keyed(key: tuple, compute: Callable[[], Any]):
    """compute() once per data version under `key`, which must name every input compute reads
    (query names and arguments, filters, a fingerprint of a frame it is given)."""
    try:
        return _handout(store().get((_version(), "keyed", *key), compute))
    except StaleVersion as exc:
        _stale(exc)


def fingerprint(frame: pd.DataFrame, *columns: str) -> tuple:
    """A cheap key for a frame's content in the given columns (all by default), for `keyed`.

    pandas' row hashes, not Python's hash(): NaN hashes by identity in Python, so equal frames
    would never meet in the cache."""
    cols = list(columns) or list(frame.columns)
    rows = pd.util.hash_pandas_object(frame[cols], index=False) if len(frame) else pd.Series([], dtype="uint64")
    return (tuple(cols), len(frame), rows.values.tobytes())


def _content_key(value):
    if isinstance(value, pd.DataFrame):
        return ("frame", fingerprint(value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(value, key=repr)))
    if isinstance(value, list):
        return ("list", tuple(_content_key(v) for v in value))
    return value


def derive(fn: Callable, *args, **kwargs):
    """fn(*args, **kwargs) for a pure function of frames and plain values, once per data version
    and content: frames are keyed by their row hashes (`fingerprint`), so any page or session that
    asks with equal inputs gets the stored result without recomputing it."""
    key = ("derive", f"{fn.__module__}.{fn.__qualname__}", tuple(_content_key(a) for a in args),
           tuple(sorted((k, _content_key(v)) for k, v in kwargs.items())))
    return keyed(key, lambda: fn(*args, **kwargs))


def _prev_factor(rounds: pd.DataFrame, round_id: int, prev_round_id: int | None) -> float:
    """What the previous round's amounts are multiplied by: it may be in another unit (tkr/mnkr)."""
    if prev_round_id and prev_round_id in rounds.index:
        scale = {"tkr": 1.0, "mnkr": 1000.0}
        return scale[rounds.loc[prev_round_id, "amount_unit"]] / scale[rounds.loc[round_id, "amount_unit"]]
    return 1.0


def _economy(namnd_id: int, round_id: int, prev_round_id: int | None) -> pd.DataFrame:
    rounds = q("rounds", namnd_id).set_index("round_id")
    if not prev_round_id and round_id in rounds.index:  # the round alone: its stored tree (rollups.py), no rebuild
        return rollups.table(q, round_id, rounds.loc[round_id, "kind"])
    factor = _prev_factor(rounds, round_id, prev_round_id)
    if prev_round_id and round_id in rounds.index and prev_round_id in rounds.index:
        # the pair from the two stored trees where the organisation is unchanged (rollups.paired_table)
        paired = rollups.paired_table(q, round_id, rounds.loc[round_id, "kind"], prev_round_id,
                                      rounds.loc[prev_round_id, "kind"], factor)
        if paired is not None:
            return paired
    units = q("units", round_id)
    econ = q("economy", round_id)
    prev = q("economy", prev_round_id) if prev_round_id else None
    outcome = round_id in rounds.index and rounds.loc[round_id, "kind"] == BOKSLUT  # the year's outcome
    return ec.economy_table(units, econ, prev, factor, outcome=bool(outcome))


def economy_table(namnd_id: int, round_id: int, prev_round_id: int | None) -> pd.DataFrame:
    """The economy tree of a round (with the previous round's forecast), once per data version."""
    return memo(_economy, namnd_id, round_id, prev_round_id)


def _economy_of_units(namnd_id: int, round_id: int, prev_round_id: int | None, unit_ids: tuple[int, ...]) -> pd.DataFrame:
    rounds = q("rounds", namnd_id).set_index("round_id")
    if not prev_round_id and round_id in rounds.index:
        alone = rollups.table(q, round_id, rounds.loc[round_id, "kind"], unit_ids)
        if alone is not None:
            return alone
    if prev_round_id and round_id in rounds.index and prev_round_id in rounds.index:
        paired = rollups.paired_table(q, round_id, rounds.loc[round_id, "kind"], prev_round_id,
                                      rounds.loc[prev_round_id, "kind"], _prev_factor(rounds, round_id, prev_round_id),
                                      unit_ids)
        if paired is not None:
            return paired
    # the round alone, or a pair the stored trees cannot give: the whole table's rows
    table = economy_table(namnd_id, round_id, prev_round_id)
    return table[table["unit_id"].isin(set(unit_ids))].reset_index(drop=True)


def economy_subtable(namnd_id: int, round_id: int, prev_round_id: int | None, unit_ids) -> pd.DataFrame:
    """economy_table's rows of one unit and everything below it (`unit_ids`, economy.descendants),
    in the same order, with the same figures – read for those units only where the stored trees
    give the pair (rollups.paired_table), once per data version."""
    return memo(_economy_of_units, namnd_id, round_id, prev_round_id, tuple(int(u) for u in unit_ids))


def _indicator_status(round_id: int, scope_ids: tuple[int, ...] | None) -> pd.DataFrame:
    from . import indicator_status as stored

    found = stored.status(q, round_id, scope_ids)  # the round's stored rows of the scope (revision 0006)
    return found if found is not None else _computed_indicator_status(round_id, scope_ids)


def _computed_indicator_status(round_id: int, scope_ids: tuple[int, ...] | None) -> pd.DataFrame:
    """The status computed from all the round's values: a round whose status rows are not stored."""
    from . import targets, views

    values, targets_ = views.indicator_scope(q("indicator_values", round_id), q("indicator_targets", round_id),
                                             list(scope_ids) if scope_ids is not None else None)
    return targets.latest_status(q("indicators", round_id), values, targets_)


def indicator_status(round_id: int, scope_ids: list[int] | None = None) -> pd.DataFrame:
    """Status mot målvärde of a round's indicators (in a förvaltning scope), once per data version.

    What `derive(latest_status, …)` gives for the same frames, keyed on the round and the scope
    instead of the frames' row hashes: hashing the indicator values took ~13 ms per run on the
    built-in data, a tenth of a warm Översikt rerun (docs/benchmark.md)."""
    return memo(_indicator_status, int(round_id), tuple(int(u) for u in scope_ids) if scope_ids is not None else None)


def _latest_indicator_status(round_id: int, scope_ids: tuple[int, ...] | None) -> pd.DataFrame:
    from . import indicator_status as stored

    found = stored.status(q, round_id, scope_ids)  # the same stored rows as indicator_status
    return found if found is not None else _computed_latest_indicator_status(round_id, scope_ids)


def _computed_latest_indicator_status(round_id: int, scope_ids: tuple[int, ...] | None) -> pd.DataFrame:
    from . import targets, views

    values, targets_ = views.indicator_scope(q("indicator_latest_values", round_id), q("indicator_targets", round_id),
                                             list(scope_ids) if scope_ids is not None else None)
    return targets.latest_status(q("indicators", round_id), values, targets_)


def latest_indicator_status(round_id: int, scope_ids: list[int] | None = None) -> pd.DataFrame:
    """indicator_status(round_id, scope_ids) – the same frame, rows in the same order – from only
    the values latest_status uses (queries.indicator_latest_values: each series' latest outcome),
    for a page that needs the status but not the values themselves (Översikt). A new round at
    full scale read and shaped 5 400 values for 1 800 statuses (tests/test_latest_values.py).
    Where the round's status rows are stored (revision 0006) both are judged from the same rows:
    the one stored value of indicator_status, shared with Mål, Indikatorer and Bildspel."""
    if q("indicator_status_stored", int(round_id)):
        return indicator_status(round_id, scope_ids)
    return memo(_latest_indicator_status, int(round_id),
                tuple(int(u) for u in scope_ids) if scope_ids is not None else None)


def _indicator_misses(round_id: int) -> tuple[dict[tuple[str, str], int], pd.DataFrame] | None:
    from . import targets

    found = q("indicator_judged_rows", round_id, targets.MISSES.code, "T")
    if found is None:
        return None
    counts, rows = found
    return counts, targets.judge(q("indicators", round_id), rows, kept=True)  # in the stored order


def indicator_misses(round_id: int) -> tuple[dict[tuple[str, str], int], pd.DataFrame] | None:
    """(how many rows of s there are per (status, gender), s[(s.status == misses) & (s.gender ==
    "T")]) of the round's nämnd-wide status s = indicator_status(round_id) – the same rows in the
    same order – from what the import judged (queries.indicator_judged_rows): the misses' rows
    judged, not all the round's; None where that is not stored (tests/test_indicator_status.py)."""
    return memo(_indicator_misses, int(round_id))


def _unit_indicator_status(round_id: int, unit_ids: tuple[int, ...] | None) -> pd.DataFrame:
    from . import indicator_status as stored
    from . import targets

    found = stored.status(q, round_id, unit_ids=unit_ids)
    if found is not None:
        return found
    values = (q("indicator_values", round_id) if unit_ids is None
              else q("indicator_values_of_units", round_id, unit_ids))
    return targets.latest_status(q("indicators", round_id), values, q("indicator_targets", round_id))


def unit_indicator_status(round_id: int, unit_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Status mot målvärde of these units' values (a unit's subtree; None: every value of the
    round) against all the round's targets, as Verksamhet judged `latest_status(indicators,
    values of the units, targets)`: the same frame, from the round's stored rows (revision 0006)."""
    return memo(_unit_indicator_status, int(round_id), tuple(int(u) for u in unit_ids) if unit_ids is not None else None)


def clear() -> None:
    store().clear()


__all__ = ["engine", "refresh_version", "q", "memo", "ref", "keyed", "fingerprint", "derive", "economy_table", "economy_subtable", "indicator_status", "latest_indicator_status", "unit_indicator_status", "snapshot",
           "clear", "DatabaseUnavailable"]
