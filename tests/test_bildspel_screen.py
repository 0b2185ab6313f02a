"""Bildspel lays out only the slide it shows (ui/slideshow.ScreenDeck): every slide's page count
comes from slidelayout.slide_page_count (the layout's own attempts without its table boxes), the
table rows are made when a page asks for them (slidelayout._Rows), and a clean column of cell
texts is checked once (slidelayout.cell_texts). The footer's "bild N av M" and every page must be
those of the whole deck laid out (slideshow.screen_pages): checked page by page on the built-in
reports with the Bokslut workbooks (SQLite and PostgreSQL), on the bench's synthetic kommun, and
on made-up decks that reach the layout's other paths (a chart beside a table, bullets over pages,
a table that only fits at a smaller size)."""

from __future__ import annotations

import copy
import datetime as dt

import pandas as pd
import pytest

from dashboard import economy as ec
from dashboard import export, queries
from dashboard import slidelayout as lay
from dashboard import slides as sl
from dashboard.slides import LazyChart, Slide
from dashboard.ui import slideshow

DAY = dt.date(2026, 12, 1)


def _assert_same_screen(deck, what) -> int:
    """ScreenDeck's M and each of its pages (numbered as show_page numbers them) against the
    whole deck laid out; returns M."""
    slides, pages = slideshow.screen_pages(copy.deepcopy(deck))
    screen = slideshow.ScreenDeck(copy.deepcopy(deck))
    assert screen.total == len(pages), what
    assert screen.counts == [sum(1 for p in pages if p.slide_index == i) for i in range(len(slides))], what
    for number, expected in enumerate(pages, start=1):
        slide_index, k = screen.locate(number - 1)
        got = screen.slide_pages(slide_index)[k]
        assert got == expected, (what, number)
        assert lay.number_page(got, screen.slides, number, screen.total) == \
            lay.number_page(expected, slides, number, len(pages)), (what, number)
    with pytest.raises(IndexError):
        screen.locate(screen.total)
    return screen.total


def _decks(engine, every_round: bool):
    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    for r in queries.namnder(engine).itertuples():
        rounds = queries.rounds(engine, int(r.namnd_id))
        ends = list(rounds["period_end"])
        if not every_round:  # the synthetic kommun: a Bokslut, the month after it, the first round
            ends = list(dict.fromkeys([e for e in ends if e.month == 12][-1:] + ends[-1:] + ends[:1]))
        for end in ends:
            units = fetch("units", int(rounds[rounds["period_end"] == end].iloc[0]["round_id"]))
            forvaltningar = [k for k, level in zip(units["key"], units["level"], strict=True) if level == "förvaltning"]
            # every round's default deck; the other scopes and a chosen sequence on the newest round
            # and the first Bokslut (the suite's time: each deck is laid out twice, page by page)
            more = end == ends[-1] or end == next((e for e in ends if e.month == 12), None)
            for scope in [ec.ALL] + ([ec.NAMND_ONLY] + forvaltningar[:1] if more else []):
                yield (r.kommun_code, r.namnd_code, end, scope), sl.build(fetch, r.kommun_code, r.namnd_code, end,
                                                                         scope=scope, exported=DAY)
            if more:
                yield (r.kommun_code, r.namnd_code, end, "valda"), sl.build(
                    fetch, r.kommun_code, r.namnd_code, end, ["forandring", "ekonomi", "titel", "mal"], exported=DAY)


def test_screen_deck_equals_the_whole_deck_on_the_reports(bokslut_engine):
    kinds, decks, longest = set(), 0, 0
    for what, deck in _decks(bokslut_engine, every_round=True):
        longest = max(longest, _assert_same_screen(deck, what))
        kinds |= {s.kind for s in deck}
        decks += 1
    assert decks >= 10 and longest > len(sl.SLIDE_KINDS)  # some slide continues on follow-on pages
    assert {"ekonomi", "forandring", "avvikelser", "prognossakerhet", "mal", "risker"} <= kinds


def test_screen_deck_equals_the_whole_deck_on_the_synthetic_kommun(tmp_path):
    from dashboard.bench import SCALES, generate
    from dashboard.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    try:
        upgrade(engine)
        generate(engine, SCALES["small"])
        seen = [(_assert_same_screen(deck, what), what) for what, deck in _decks(engine, every_round=False)]
    finally:
        engine.dispose()
    assert len(seen) >= 4 and max(m for m, _ in seen) > 20  # long tables over many pages


def _table(rows: int, long_names: bool = False) -> pd.DataFrame:
    name = "Verksamhet med ett mycket långt namn som måste radbrytas i sin kolumn {}" if long_names else "Enhet {}"
    return pd.DataFrame({"Verksamhet": [name.format(i) for i in range(rows)],
                         "Budget (tkr)": [f"{i * 1017:,}".replace(",", " ") for i in range(rows)],
                         "Avvikelse (tkr)": [f"−{i * 7}" if i % 3 else "–" for i in range(rows)]})


def _made_up_decks():
    source = "Källa: påhittad uppföljning · uppgifter t.o.m. 2025-08-31"
    bullets = [f"Punkt {i}: " + "en lång mening om vad som hänt under perioden " * (1 + i % 3) for i in range(30)]
    chart = lambda aspect, rows: LazyChart(lambda: None, aspect, rows)  # noqa: E731 (the shape is all the layout reads)
    return {
        "tabell och punkter": [Slide("ekonomi", "Ekonomi", "Kommun · Nämnd", bullets[:3], _table(120, True),
                                     source=source, row_levels=[i % 3 for i in range(120)],
                                     row_kinds=["total" if i == 0 else ("subtotal" if i % 10 == 0 else "")
                                                for i in range(120)])],
        "liten tabell": [Slide("mal", "Mål", "Kommun · Nämnd", [], _table(4), source=source, draft=True)],
        "punkter över sidor": [Slide("handelser", "Händelser", "Kommun · Nämnd", bullets, source=source)],
        "diagram och tabell": [Slide("risker", "Risker", "Kommun · Nämnd", ["En risk"], _table(6),
                                     chart=chart(440 / 400, 0), source=source),
                               Slide("risker", "Risker", "Kommun · Nämnd", [], _table(60, True),
                                     chart=chart(440 / 400, 0), source=source)],
        "diagram under punkter": [Slide("avvikelser", "Avvikelser", "Kommun · Nämnd", bullets[:12],
                                        chart=chart(True, 40), source=source)],
        "tomt": [Slide("titel", "Uppföljning", "Kommun · Nämnd", ["Belopp i tkr"], source=source),
                 Slide("forandring", "Förändring", "Kommun · Nämnd", ["Oförändrad"], source=source)],
    }


@pytest.mark.parametrize("name", list(_made_up_decks()))
def test_screen_deck_equals_the_whole_deck_on_made_up_decks(name):
    deck = _made_up_decks()[name]
    _assert_same_screen(deck, name)
    slides = export.printable_slides(deck)
    charts = {i: export.slide_chart_needs(s, 18) for i, s in enumerate(slides) if s.has_chart}
    for scale in (lay.SCREEN, lay.PRINT):  # the count is the layout's on the printed slide too
        geo = lay.Geometry(960, 540, scale)
        for i, slide in enumerate(slides):
            assert lay.slide_page_count(copy.deepcopy(slide), charts.get(i), geo) == \
                len(lay.lay_out_slide(copy.deepcopy(slide), i, charts.get(i), geo)), (name, i)


def test_rows_made_on_demand_equal_the_table_cells():
    frame = _table(50, True)
    spec = lay.TableSpec.from_frame(frame, [i % 4 for i in range(50)],
                                    ["total" if i == 0 else ("summary" if i == 7 else ("subtotal" if i % 9 == 0 else ""))
                                     for i in range(50)])
    for size in (24, 16, 12):
        pad_x = size * 0.45
        widths = lay.column_widths(spec, size, 900, pad_x)
        rows, heights = lay._table_cells(spec, size, widths, pad_x)
        lazy, lazy_heights = lay._table_cells_lazy(spec, size, widths, pad_x)
        assert lazy_heights == heights
        assert len(lazy) == len(rows)
        assert [lazy[i] for i in reversed(range(len(rows)))][::-1] == rows  # in any order
        assert list(lazy) == rows
        with pytest.raises(IndexError):
            lazy[len(rows)]


def test_cell_texts_equal_cell_text_value_by_value():
    columns = [
        ["  Förvaltning A ", "nan", "None", "<NA>", "", "  ", "12 345", "−1,5 *"],
        ["med\ttabb", "ren"],
        ["styr\x07tecken", "ren"],
        ["ren", 1.5, None, float("nan"), pd.NA, 3],
        [],
        ["x" * 300, "kort"],
        ["\ud800ensam", "ren"],
    ]
    for values in columns:
        assert lay.cell_texts(values) == [lay.cell_text(v) for v in values], values
        assert export.cell_texts(values) == [export.cell_text(v) for v in values], values


def test_raw_lengths_equal_the_cell_by_cell_measure():
    """slidelayout._raw_lengths made column by column: every cell's length, and every text
    column's widest word, as measured cell by cell (a number column's words are never read)."""
    frame = _table(40, True)
    frame["Kommentar"] = ["kort" if i % 2 else "ett längre ord: överskridandet" for i in range(40)]
    kinds = ["total" if i == 0 else ("subtotal" if i % 9 == 0 else "") for i in range(40)]
    spec = lay.TableSpec.from_frame(frame, [i % 3 for i in range(40)], kinds)
    full, word, levels = lay._raw_lengths(spec)
    assert full.shape == word.shape == (40, 4) and list(levels) == [i % 3 for i in range(40)]
    for i, row in enumerate(spec.rows):
        bold = kinds[i] in ("total", "subtotal")
        for j, text in enumerate(row):
            assert full[i, j] == lay._font(bold).getlength(text), (i, j)
            if not spec.numeric[j]:
                expected = max((lay._font(bold).getlength(w) for w in text.split()), default=0.0)
                assert word[i, j] == expected, (i, j)
    assert spec.numeric == [False, True, True, False]
    empty = lay.TableSpec.from_frame(frame.iloc[:0])
    assert lay._raw_lengths(empty)[0].shape == (0, 4)
