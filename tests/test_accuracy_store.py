"""Prognossäkerhet read from the stored trees' compared columns (`queries.economy_rollup_comparison`,
one query per nämnd) gives exactly the comparison built from each round's whole stored tree
(`accuracy.economy_fn`), on SQLite and PostgreSQL; and the page shows a re-imported forecast on
its next rerun (the per-nämnd read is cached per data version, never across an import).

Expected page figures are written out by hand from `bokslut_data`'s workbooks."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import delete, select
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import bokslut_data as bd
from conftest import ROOT, _fresh_url
from dashboard import accuracy as acc
from dashboard import models as m
from dashboard import queries
from dashboard import rounds as rd
from dashboard.db import init_db, make_engine

NBSP = "\u00a0"


def _fetch(engine):
    return lambda name, *args: getattr(queries, name)(engine, *args)


@pytest.fixture(scope="module")
def imported(bokslut_engine):
    return bokslut_engine


def _not_stored(rnd):
    raise AssertionError(f"round {rnd['round_id']} read outside the stored comparison columns")


def _assert_same(a: acc.Accuracy, b: acc.Accuracy) -> None:
    pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
    pd.testing.assert_frame_equal(a.not_comparable, b.not_comparable, check_exact=True)
    assert [r["round_id"] for r in a.forecast_rounds] == [r["round_id"] for r in b.forecast_rounds]


def test_stored_columns_compare_exactly_like_the_whole_tree(imported):
    fetch = _fetch(imported)
    whole = acc.economy_fn(fetch)
    compared = 0
    for namnd_id in queries.namnder(imported)["namnd_id"]:
        rounds = fetch("rounds", int(namnd_id))
        stored = acc.stored_economy_fn(acc.comparison_tables(fetch("economy_rollup_comparison", int(namnd_id))),
                                       _not_stored)
        for rnd in [r for r in rounds.to_dict("records") if rd.is_outcome(r)]:
            units = fetch("units", int(rnd["round_id"]))
            scopes = [None] + [[int(u) for u in units.loc[units["forvaltning_id"] == f, "unit_id"]]
                               for f in units["forvaltning_id"].dropna().unique()]
            for to_unit in ("tkr", "mnkr"):
                for scope in scopes:
                    a = acc.for_round(fetch, whole, units, rounds, rnd, to_unit, scope)
                    b = acc.for_round(fetch, stored, units, rounds, rnd, to_unit, scope)
                    _assert_same(a, b)
                    compared += len(a.rows)
                    pd.testing.assert_frame_equal(acc.across_years(whole, units, rounds, to_unit, scope, until=rnd),
                                                  acc.across_years(stored, units, rounds, to_unit, scope, until=rnd),
                                                  check_exact=True)
    assert compared > 100  # Luleå's two Bokslut against their Delår, in both units and every scope


def test_a_round_without_a_stored_tree_is_rolled_up_as_before(tmp_path_factory, request):
    """A database init-db has not brought up to date: the round has no stored rows, so the
    comparison rolls it up from its lines (the fallback), with the same result."""
    engine = make_engine(_fresh_url("sqlite", tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut-unstored"))
    fetch = _fetch(engine)
    with engine.begin() as conn:
        rid, namnd_id = conn.execute(select(m.Round.id, m.Round.namnd_id).where(
            m.Round.kind == "Delår 2", m.Round.period_end == pd.Timestamp("2025-08-31").date())).one()
        conn.execute(delete(m.EconomyRollup).where(m.EconomyRollup.round_id == rid))
        conn.execute(delete(m.EconomyRollupRound).where(m.EconomyRollupRound.round_id == rid))
    tables = acc.comparison_tables(fetch("economy_rollup_comparison", namnd_id))
    assert rid not in tables
    fell_back = []

    def fallback(rnd):
        fell_back.append(int(rnd["round_id"]))
        return acc.economy_fn(fetch)(rnd)

    rounds = fetch("rounds", namnd_id)
    rnd = next(r for r in rounds.to_dict("records") if rd.is_outcome(r) and r["period_end"].year == 2025)
    units = fetch("units", int(rnd["round_id"]))
    _assert_same(acc.for_round(fetch, acc.economy_fn(fetch), units, rounds, rnd, "mnkr"),
                 acc.for_round(fetch, acc.stored_economy_fn(tables, fallback), units, rounds, rnd, "mnkr"))
    assert fell_back == [rid]
    engine.dispose()


# --- the page after an import --------------------------------------------------------------------

@pytest.fixture
def bokslut_app(tmp_path_factory, request, monkeypatch):
    url = _fresh_url("sqlite", tmp_path_factory, request)
    engine = make_engine(url)
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut-page"))
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # see test_pages: keep app.py routing on every rerun
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield engine
    st.cache_data.clear()
    st.cache_resource.clear()
    engine.dispose()


def _accuracy_text(at: AppTest) -> str:
    return "\n".join(str(md.value) for md in at.main.markdown).replace(NBSP, " ").replace("**", "")


def test_ekonomi_shows_a_reimported_forecast_on_the_next_rerun(bokslut_app, tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in {"kommun": "2580", "namnd": "AGN", "tillfalle": "2025-12-31"}.items():
        at.query_params[key] = value
    at.switch_page("pages/ekonomi.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # Bokslut 2025: +1,8 mnkr against Delår 2's +2 700 tkr
    assert "Delår 2-prognosen var 0,9 mnkr för optimistisk" in _accuracy_text(at)

    # Delår 2 2025 again, with the nämnd's forecast deviation 1 300 instead of 2 700
    changed = copy.deepcopy(bd.DELAR2_2025)
    row = next(r for r in changed["Ekonomi"] if r[0] == "agn")
    row[2] = "1 300"
    bd.load_all(bokslut_app, tmp_path, [("delar2_2025_again", changed)])

    at.run()  # the same session's next rerun: the new data version, the new comparison
    assert not at.exception, [e.value for e in at.exception]
    text = _accuracy_text(at)
    assert "Delår 2-prognosen var 0,5 mnkr för försiktig" in text, text
    assert "0,9 mnkr för optimistisk" not in text
    years = next(df.value for df in at.dataframe if list(df.value.columns) == ["Verksamhet", "2024", "2025", "Tendens"])
    nämnd = years[years["Verksamhet"].str.strip() == "Arbetsmarknads- och gymnasienämnden"].iloc[0]
    assert (nämnd["2024"], nämnd["2025"]) == (f"+3,5{NBSP}mnkr", f"+0,5{NBSP}mnkr")


def test_overview_headline_from_its_two_rounds_equals_the_whole_comparison(imported):
    """Översikt's line reads only the Bokslut's and its headline forecast's stored columns
    (accuracy_view.headline_rounds); its figures equal the headline of the whole comparison."""
    from dashboard.accuracy_view import headline_rounds

    fetch = _fetch(imported)
    whole = acc.economy_fn(fetch)
    seen = 0
    for namnd_id in queries.namnder(imported)["namnd_id"]:
        rounds = fetch("rounds", int(namnd_id))
        for rnd in [r for r in rounds.to_dict("records") if rd.is_outcome(r)]:
            units = fetch("units", int(rnd["round_id"]))
            head = rd.headline_forecast_round(rd.forecast_rounds_of_year(rounds, rnd))
            if head is None:
                continue
            two = acc.stored_economy_fn(acc.comparison_tables(
                fetch("economy_rollup_comparison_of", headline_rounds(rnd, head))), _not_stored)
            root = acc.scope_root(units, "")
            for to_unit in ("tkr", "mnkr"):
                a = acc.compare(units, rnd, two(rnd), [(head, two(head))], to_unit, [root])
                b = acc.for_round(fetch, whole, units, rounds, rnd, to_unit)
                assert a.headline(root) == b.headline(root), (rnd["period_end"], to_unit)
                assert a.headline(root) is not None
                seen += 1
    assert seen >= 4  # Luleå's two Bokslut, tkr and mnkr


def test_one_units_comparison_from_its_subtree_equals_the_whole_tables(imported):
    """Verksamhet compares one unit from its subtree's stored rows only (accuracy.subtree,
    `economy_rollup_comparison_of` with unit ids) and one tree for every year: for every unit of
    every Bokslut, the rows, the reasons and the years equal those from the whole tables."""
    fetch = _fetch(imported)
    whole = acc.economy_fn(fetch)
    units_seen = rows_seen = empty_seen = 0
    for namnd_id in queries.namnder(imported)["namnd_id"]:
        rounds = fetch("rounds", int(namnd_id))
        for rnd in [r for r in rounds.to_dict("records") if rd.is_outcome(r)]:
            units = fetch("units", int(rnd["round_id"]))
            needed = acc.rounds_compared(rounds, rnd)
            tree = acc.tree_of(units)
            stored = fetch("economy_rollup_stored_rounds", needed)
            assert set(stored) == set(needed)  # every compared round's tree is stored here
            # each unit alone, and each förvaltning's units together (Ekonomi's förvaltning scope)
            scopes = [[int(u)] for u in units["unit_id"]]
            scopes += [[int(u) for u in units.loc[units["parent_id"] == p, "unit_id"]]
                       for p in units.loc[units["level"] == "förvaltning", "unit_id"]]
            for scope in [s for s in scopes if s]:
                within = acc.subtree(units, scope, tree)
                assert set(scope) <= set(within)
                tables = acc.comparison_tables(fetch("economy_rollup_comparison_of", needed, within), stored)
                assert set(tables) == set(needed)  # a round without a row of the subtree: an empty table
                cut = acc.stored_economy_fn(tables, lambda r: pytest.fail("rolled up again"))
                a = acc.for_round(fetch, whole, units, rounds, rnd, "tkr", scope, False)
                b = acc.for_round(fetch, cut, units, rounds, rnd, "tkr", scope, False, tree)
                _assert_same(a, b)
                pd.testing.assert_frame_equal(
                    acc.across_years(whole, units, rounds, "tkr", scope, until=rnd),
                    acc.across_years(cut, units, rounds, "tkr", scope, until=rnd, known=b, tree=tree),
                    check_exact=True)
                assert set(tables[int(rnd["round_id"])]["unit_id"]) <= set(within)
                assert len(tables[int(rnd["round_id"])]) < len(whole(rnd)) or len(within) == len(units)
                empty_seen += sum(1 for t in tables.values() if t.empty)
                units_seen += 1
                rows_seen += len(a.rows)
    assert empty_seen > 0  # some scope has no row in a compared round: the empty table was compared
    assert units_seen > 20 and rows_seen > 20
