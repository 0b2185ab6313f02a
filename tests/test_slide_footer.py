"""A slide's footer keeps its page number whole: "bild 6 av 11" is never split over two lines
(the projector showed "… · uppgifter t.o.m. 2024-08-31 · bild 6" / "av 11" on Luleå AGN's slide 6
at 1280×720), and the footer's lines fit the height its box reserved. Checked on every page of
every built-in deck, on the screen (1280×720) and in the exported slides (16:9 print scale)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard import export, queries
from dashboard import slidelayout as lay
from dashboard import slides as sl
from dashboard.ui import slideshow

DAY = dt.date(2026, 12, 1)
NUMBER = re.compile(r"bild (\d+) av (\d+)$")


def _decks(engine):
    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    for r in queries.namnder(engine).itertuples():
        for end in queries.rounds(engine, int(r.namnd_id))["period_end"]:
            yield (r.kommun_code, r.namnd_code, end), sl.build(fetch, r.kommun_code, r.namnd_code, end, exported=DAY)


def _footer_lines(page) -> tuple[list[str], float, float]:
    (box,) = [b for b in page.boxes if b.role == "footer"]
    lines = [line for p in box.paragraphs for line in p.lines]
    return lines, len(lines) * box.size * lay.LINE, box.h


def _check(pages, what) -> int:
    split = 0
    for number, page in enumerate(pages, start=1):
        lines, used, reserved = _footer_lines(page)
        assert NUMBER.search(lines[-1]), (what, number, lines)  # the whole number on the last line
        assert NUMBER.search(lines[-1]).groups() == (str(number), str(len(pages))), (what, number, lines)
        assert " ".join(lines).count(" bild ") == 1, (what, number, lines)
        assert used <= reserved + 0.01, (what, number, lines, used, reserved)
        split += len(lines) > 1
    return split


def test_footer_page_number_is_never_split_on_screen(builtin_engine):
    wrapped = 0
    for what, deck in _decks(builtin_engine):
        slides, pages = slideshow.screen_pages(deck)
        numbered = [lay.number_page(p, slides, n, len(pages)) for n, p in enumerate(pages, start=1)]
        wrapped += _check(numbered, what)
    assert wrapped > 0  # some footers are long enough to take two lines: the case that split the number


def test_footer_page_number_is_never_split_in_the_exported_slides(builtin_engine):
    for what, deck in _decks(builtin_engine):
        slides = export.printable_slides(deck)
        charts = {i: export.slide_chart_needs(s) for i, s in enumerate(slides) if s.has_chart}
        _check(lay.lay_out(slides, charts, export.SLIDE_W, export.SLIDE_H), what)


def test_the_number_unit_wraps_as_one_word():
    size, text = 20, "Källa: en mycket lång källa som fyller raden nästan helt och hållet · bild 6 av 11"
    width = lay.text_width("Källa: en mycket lång källa som fyller raden nästan helt och hållet · bild 6", size) + 1
    assert lay.wrap(text, size, width)[-1] == "av 11"  # plain wrap splits it
    assert lay.wrap_footer(text, size, width)[-1] == "bild 6 av 11"
    assert lay.wrap_footer("bild 1 av 2", size, 1000) == ["bild 1 av 2"]
    assert lay.wrap_footer("Källa: X", size, 1000) == lay.wrap("Källa: X", size, 1000)


if __name__ == "__main__":
    pytest.main([__file__])
