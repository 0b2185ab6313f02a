"""The slide layout's speed-ups change nothing: pages laid out with the caches (measured tables per
size and width, wrapped lines, the widest word per text) and the chart's own size read from its
attributes equal the pages and sizes of the plain computation, for the built-in decks and the
bench's synthetic kommun (Bokslut with prognossäkerhet, deep trees)."""

from __future__ import annotations

import copy

import pytest

from dashboard import export, queries
from dashboard import slidelayout as lay
from dashboard.slides import build


def _fit_table_reference(spec, width, height, sizes=lay.PRINT.table):
    """slidelayout.fit_table before the per-spec cache (the reference)."""
    chosen = None
    for size in sizes:
        pad_x = size * 0.45
        widths = lay.column_widths(spec, size, width, pad_x)
        if widths is None:
            continue
        rows, heights = lay._table_cells(spec, size, widths, pad_x)
        chosen = (size, pad_x, widths, rows, heights)
        if sum(heights) <= height:
            return chosen
    if chosen is None:
        size = sizes[-1]
        pad_x = size * 0.45
        widths = [width / len(spec.header)] * len(spec.header)
        rows, heights = lay._table_cells(spec, size, widths, pad_x)
        chosen = (size, pad_x, widths, rows, heights)
    return chosen


def _longest_word_reference(text, size, bold=False):
    return max((lay.text_width(w, size, bold) for w in lay.printable(text).split()), default=0.0)


def _aspect_reference(chart):
    spec = chart.to_dict()
    w, h = spec.get("width"), spec.get("height")
    if isinstance(w, int | float) and isinstance(h, int | float) and h:
        return float(w) / float(h)
    return True


@pytest.fixture(scope="module", params=["inbyggda", "syntetisk"])
def decks(request, tmp_path_factory):
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('layout') / 'l.db'}")
    if request.param == "inbyggda":
        init_db(eng)
        wanted = [("0580", "AMN", "2023-08-31"), ("2580", "AGN", "2024-08-31"), ("2580", "AGN", "2024-04-30")]
    else:
        upgrade(eng)
        generate(eng, SCALES["small"])
        namnder = queries.namnder(eng)
        wanted = []
        for r in namnder.itertuples():
            for end in queries.rounds(eng, int(r.namnd_id))["period_end"]:
                wanted.append((r.kommun_code, r.namnd_code, end))
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    out = [build(fetch, k, n, t) for k, n, t in wanted]
    yield out
    eng.dispose()


def test_chart_aspect_from_attributes_equals_the_serialised_spec(decks):
    seen = 0
    for deck in decks:
        for slide in deck:
            if slide.chart is not None:
                assert export.chart_aspect(slide.chart) == _aspect_reference(slide.chart), slide.kind
                seen += 1
    assert seen >= 3


@pytest.mark.parametrize("scale", [lay.SCREEN, lay.PRINT], ids=["skärm", "utskrift"])
def test_layout_with_caches_equals_layout_without(decks, scale, monkeypatch):
    for deck in decks:
        slides = export.printable_slides(deck)
        charts = {i: export.chart_needs(s.chart, 18) for i, s in enumerate(slides) if s.chart is not None}
        lay._wrap_cached.cache_clear()
        lay._widest_word.cache_clear()
        fast = lay.lay_out(copy.deepcopy(slides), charts, 1280, 720, scale)
        again = lay.lay_out(copy.deepcopy(slides), charts, 1280, 720, scale)  # from warm caches
        with monkeypatch.context() as mp:
            mp.setattr(lay, "fit_table", _fit_table_reference)
            mp.setattr(lay, "wrap", lambda text, size, width, bold=False, first_width=None:
                       lay._wrap(text, size, width, bold, first_width))
            mp.setattr(lay, "longest_word", _longest_word_reference)
            plain = lay.lay_out(copy.deepcopy(slides), charts, 1280, 720, scale)
        assert len(fast) == len(plain) > 0
        assert fast == plain
        assert again == plain
