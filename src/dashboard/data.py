"""The only module that caches: Streamlit cache wrappers around `queries` and `economy`.

Every cached call is keyed on the data version (the newest import-log id), read once per script
run, so an import made from the command line or another process shows on the next click.
"""

from __future__ import annotations

import gc

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from . import economy as ec
from . import queries
from .db import DatabaseUnavailable, ensure_ready, make_engine

VERSION_KEY = "_data_version"


@st.cache_resource(show_spinner="Förbereder databasen …")
def engine() -> Engine:
    """One engine per process; on first start the schema is created and built-in data loaded."""
    eng = make_engine()
    ensure_ready(eng)
    # Freeze the heap after the heavy imports and the first load: Streamlit runs gc.collect()
    # after every script run, and a frozen heap makes that cheap (see docs/benchmark.md).
    gc.collect()
    gc.freeze()
    return eng


def refresh_version() -> tuple[int, int]:
    """Read the data version once per script run (called by app.py before any page)."""
    version = queries.data_version(engine())
    st.session_state[VERSION_KEY] = version
    return version


def _version() -> tuple[int, int]:
    return st.session_state.get(VERSION_KEY) or refresh_version()


@st.cache_data(ttl=3600, max_entries=5000, show_spinner=False)
def _query(version: tuple[int, int], name: str, args: tuple) -> pd.DataFrame:
    return getattr(queries, name)(engine(), *args)


def q(name: str, *args):
    """A cached query from `queries` by name, e.g. q("rounds", namnd_id)."""
    return _query(_version(), name, tuple(args))


@st.cache_data(ttl=3600, max_entries=500, show_spinner=False)
def _economy(version: tuple[int, int], namnd_id: int, round_id: int, prev_round_id: int | None) -> pd.DataFrame:
    units = q("units", round_id)
    econ = q("economy", round_id)
    prev = q("economy", prev_round_id) if prev_round_id else None
    rounds = q("rounds", namnd_id).set_index("round_id")
    factor = 1.0
    if prev_round_id and prev_round_id in rounds.index:  # a previous round in another unit (tkr/mnkr)
        scale = {"tkr": 1.0, "mnkr": 1000.0}
        factor = scale[rounds.loc[prev_round_id, "amount_unit"]] / scale[rounds.loc[round_id, "amount_unit"]]
    return ec.economy_table(units, econ, prev, factor)


def economy_table(namnd_id: int, round_id: int, prev_round_id: int | None) -> pd.DataFrame:
    return _economy(_version(), namnd_id, round_id, prev_round_id)


def clear() -> None:
    _query.clear()
    _economy.clear()


__all__ = ["engine", "refresh_version", "q", "economy_table", "clear", "DatabaseUnavailable"]
