"""Bildspel's deck for a new round made cheaper, changing nothing: the figures of its large tables
(Prognosförändring, the economy table, the deviation bars) written in one pass each
(formatting.amounts / amount_values, slides._deviation_data), their labels read from the label
columns only and the scope's leaf lines computed once per deck give the same deck – every slide's
title, bullets, table, chart and screen pages – as the per-figure computations they replaced, on
the built-in reports and the bench's synthetic kommun."""

from __future__ import annotations

import json

import pytest

from dashboard import formatting as fmt
from dashboard import queries, views
from dashboard import slides as sl
from dashboard.ui import slideshow


@pytest.fixture(scope="module", params=["inbyggda", "syntetisk"])
def db(request, tmp_path_factory):
    """(engine, [(kommun, nämnd, tillfälle)]) of the built-in reports or the small synthetic kommun."""
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('bildspel') / 's.db'}")
    if request.param == "inbyggda":
        init_db(eng)
        # both reports' rounds, a delårsrapport and the round before it (mnkr with a decimal, tkr)
        wanted = [("0580", "AMN", "2023-08-31"), ("2580", "AGN", "2024-08-31"), ("2580", "AGN", "2024-04-30")]
    else:
        upgrade(eng)
        generate(eng, SCALES["small"])
        wanted = []
        for i, r in enumerate(queries.namnder(eng).itertuples()):
            ends = list(queries.rounds(eng, int(r.namnd_id))["period_end"])
            # a Bokslut (prognossäkerhet), the months after it and the first round (no previous one)
            chosen = [e for e in ends if e.month == 12][-1:] + ends[-1:] + ends[:1] if i == 0 else []
            wanted += [(r.kommun_code, r.namnd_code, end) for end in dict.fromkeys(chosen)]
    yield eng, wanted
    eng.dispose()


def _reference(monkeypatch):
    """The per-figure computations the batch ones replaced."""
    monkeypatch.setattr(fmt, "amounts", lambda values, unit="tkr", dec=0, to_unit=None, signed=False, with_unit=True:
                        [fmt.amount(v, unit, dec, to_unit, signed, with_unit) for v in values])
    monkeypatch.setattr(fmt, "amount_values", lambda values, unit="tkr", dec=0, to_unit=None:
                        [fmt.amount_value(v, unit, dec, to_unit or unit) for v in values])
    monkeypatch.setattr(sl, "_deviation_data", lambda lines, unit, dec, field:
                        views.deviation_chart_data(lines, unit, dec, unit, field=field))
    monkeypatch.setattr(sl, "_labels", lambda frame: [views.unit_label(r) for r in frame.itertuples()])
    monkeypatch.setattr(sl, "_once", lambda compute: compute)  # each slide its own leaf lines


def _seen(deck):
    out = []
    for s in deck:
        lazy = s.chart_source
        chart = s.chart
        out.append((s.kind, s.title, s.subtitle, list(s.bullets),
                     None if s.table is None else s.table.to_dict("split"), s.source, s.draft, s.row_levels,
                     s.row_kinds, s.empty, getattr(lazy, "rows", None), getattr(lazy, "aspect", None),
                     None if chart is None else json.dumps(chart.to_dict(validate=False), sort_keys=True, default=str)))
    return out


def test_deck_with_batch_figures_equals_the_per_figure_deck(db, monkeypatch):
    import datetime as dt

    eng, wanted = db
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    day = dt.date(2026, 12, 1)
    kinds_checked = set()
    for k, n, t in wanted:
        for kinds in (None,):  # the default deck: every kind the round reports
            fast = sl.build(fetch, k, n, t, kinds, exported=day)
            fast_pages = slideshow.screen_pages(fast)[1]
            with monkeypatch.context() as m:
                _reference(m)
                ref = sl.build(fetch, k, n, t, kinds, exported=day)
                ref_pages = slideshow.screen_pages(ref)[1]
            assert _seen(fast) == _seen(ref), (k, n, t, kinds)
            assert repr(fast_pages) == repr(ref_pages), (k, n, t, kinds)
            kinds_checked |= {s.kind for s in fast if s.table is not None or s.chart is not None}
    assert {"ekonomi", "forandring", "avvikelser"} <= kinds_checked


def test_accuracy_slides_from_texts_when_asked_equal_those_from_every_rows_texts(db, monkeypatch):
    """The Prognossäkerhet slides read the ranking's numbers and the headline round's texts
    (accuracy.Accuracy.numbers, rows_of), not every row's texts: the same slides as when every
    comparison has written all its texts first (`rows`), on each Bokslut and scope of the decks."""
    import datetime as dt

    from dashboard import accuracy
    from dashboard import economy as ec

    eng, wanted = db
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    day = dt.date(2026, 12, 1)
    compare = accuracy.compare
    checked = 0
    for k, n, t in wanted:
        for scope in (ec.ALL, "f0"):
            if scope != ec.ALL and k != "9990":
                continue
            asked = sl.build(fetch, k, n, t, ["prognossakerhet"], scope=scope, exported=day)
            with monkeypatch.context() as m:
                def written_first(*args, **kwargs):
                    result = compare(*args, **kwargs)
                    result.rows  # noqa: B018 - every row's texts, as before
                    return result

                m.setattr(accuracy, "compare", written_first)
                every = sl.build(fetch, k, n, t, ["prognossakerhet"], scope=scope, exported=day)
            assert _seen(asked) == _seen(every), (k, n, t, scope)
            checked += sum(1 for s in asked if s.kind == "prognossakerhet" and not s.empty)
    # the synthetic kommun's Bokslut: the picture and the table, in both scopes (the built-in
    # reports have no Bokslut: the test of their figures is tests/test_bokslut.py)
    assert checked >= 4 if any(k == "9990" for k, *_ in wanted) else checked == 0


def test_deviation_data_equals_the_chart_data_of_views(db):
    """slides._deviation_data against views.deviation_chart_data for every round (forecast and
    Bokslut figures), frame for frame."""
    import datetime as dt

    import pandas.testing as pdt

    from dashboard import economy as ec
    from dashboard import rounds as rd

    eng, wanted = db
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    compared = 0
    for k, n, t in wanted:
        namnd = queries.namnder(eng).query("kommun_code == @k and namnd_code == @n").iloc[0]
        rounds = queries.rounds(eng, int(namnd["namnd_id"]))
        rnd = rounds[rounds["period_end"] == dt.date.fromisoformat(str(t))].iloc[0].to_dict()
        units = fetch("units", int(rnd["round_id"]))
        table = ec.economy_table(units, fetch("economy", int(rnd["round_id"])), None, outcome=rd.is_outcome(rnd))
        lines = ec.leaf_lines(table, ec.scope_unit_ids(units, ec.ALL))
        field = rd.vocabulary(rnd).deviation_field
        for unit in ("tkr", "mnkr"):
            for dec in (0, 1):
                pdt.assert_frame_equal(sl._deviation_data(lines, unit, dec, field),
                                       views.deviation_chart_data(lines, unit, dec, unit, field=field))
                compared += 1
    assert compared


def test_indicator_slide_from_the_stored_status_equals_the_computed_one(db, tmp_path, monkeypatch):
    """The deck on Bildspel asks only whether the round has values before it reads the stored
    status (queries.has_indicator_values); the CLI's deck reads every value and computes the
    status; Bildspel's passes the counts and misses the import judged (data.indicator_misses). All
    give the same indicator slide for every round – and for a round whose values
    are gone, both the empty slide "Tillfället redovisar inga indikatorer"."""
    import datetime as dt
    import sqlite3

    from sqlalchemy import delete

    from dashboard import data, indicator_status
    from dashboard import models as m
    from dashboard.db import make_engine

    eng, _ = db

    def copied(name):
        with sqlite3.connect(eng.url.database) as src, sqlite3.connect(tmp_path / name) as dst:
            src.backup(dst)  # the WAL's pages too (a file copy would leave them behind)
        e = make_engine(f"sqlite:///{tmp_path / name}")
        indicator_status.backfill(e)  # as init-db stores them (the bench's generator does not)
        return e

    full_eng, emptied_eng = copied("full.db"), copied("emptied.db")
    with emptied_eng.begin() as conn:  # every round as a re-import without indicators leaves it
        for rid in conn.execute(m.Round.__table__.select().with_only_columns(m.Round.id)).scalars().all():
            conn.execute(delete(m.IndicatorValue).where(m.IndicatorValue.round_id == rid))
            indicator_status.store(conn, rid)
    day = dt.date(2026, 12, 1)
    titles = {}
    for label, e in (("med värden", full_eng), ("utan värden", emptied_eng)):
        fetch = lambda name, *args, e=e: getattr(queries, name)(e, *args)  # noqa: E731
        stored = lambda rid, fetch=fetch: indicator_status.status(fetch, rid)  # noqa: E731
        monkeypatch.setattr(data, "q", fetch)  # data.indicator_misses' queries on this database, uncached
        judged = data._indicator_misses
        for r in queries.namnder(e).itertuples():
            for t in queries.rounds(e, int(r.namnd_id))["period_end"]:
                page = sl.build(fetch, r.kommun_code, r.namnd_code, t, ["indikatorer"], exported=day, indicator_status=stored)
                cli = sl.build(fetch, r.kommun_code, r.namnd_code, t, ["indikatorer"], exported=day)
                # what Bildspel passes: the counts and misses the import judged
                misses = sl.build(fetch, r.kommun_code, r.namnd_code, t, ["indikatorer"], exported=day,
                                  indicator_status=stored, indicator_misses=judged)
                assert _seen(page) == _seen(cli) == _seen(misses), (label, r.namnd_code, t)
                titles.setdefault(label, []).extend(s.title for s in page if s.kind == "indikatorer")
    full_eng.dispose()
    emptied_eng.dispose()
    assert set(titles["utan värden"]) == {"Tillfället redovisar inga indikatorer"}, titles
    assert any(t.endswith(("når inte målvärdet", "når sina målvärden")) for t in titles["med värden"]), titles


def _bokslut_decks_equal(eng) -> int:
    """Every Bokslut's prognossäkerhet slides from the stored trees' compared columns (what
    Bildspel passes: accuracy_view.economy_for, one query for the year) equal the slides from
    each round's whole tree (the CLI's default). Returns how many Bokslut were compared."""
    import datetime as dt

    from dashboard import accuracy
    from dashboard import rollups
    from dashboard import rounds as rd

    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    day = dt.date(2026, 12, 1)
    compared = 0
    for r in queries.namnder(eng).itertuples():
        rounds = queries.rounds(eng, int(r.namnd_id))
        for rnd in rounds.to_dict("records"):
            if not rd.is_outcome(rnd):
                continue
            needed = accuracy.rounds_compared(rounds, rnd)
            stored = accuracy.stored_economy_fn(
                accuracy.comparison_tables(queries.economy_rollup_comparison_of(eng, needed)),
                lambda x: rollups.table(fetch, int(x["round_id"]), x["kind"]))
            for scope in ("", *[k for k, lv in zip(queries.units(eng, int(rnd["round_id"]))["key"],
                                                        queries.units(eng, int(rnd["round_id"]))["level"], strict=True)
                                    if lv == "förvaltning"][:1]):
                fast = sl.build(fetch, r.kommun_code, r.namnd_code, rnd["period_end"], ["prognossakerhet"],
                                scope=scope, exported=day, economy=stored)
                ref = sl.build(fetch, r.kommun_code, r.namnd_code, rnd["period_end"], ["prognossakerhet"],
                               scope=scope, exported=day)
                assert _seen(fast) == _seen(ref), (r.namnd_code, rnd["period_end"], scope)
                assert any(s.chart is not None or s.table is not None for s in fast)
                compared += 1
    return compared


@pytest.mark.parametrize("bokslut_engine", ["sqlite"], indirect=True)
def test_prognossakerhet_slides_from_the_stored_comparison_columns_on_the_reports(bokslut_engine):
    assert _bokslut_decks_equal(bokslut_engine) >= 2


def test_prognossakerhet_slides_from_the_stored_comparison_columns_on_the_synthetic_kommun(tmp_path):
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    eng = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    upgrade(eng)
    generate(eng, SCALES["small"])
    init_db(eng, load_builtin=False)  # the stored trees, as for a database imported before 0005
    assert _bokslut_decks_equal(eng) >= 2
    eng.dispose()
