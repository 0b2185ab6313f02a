"""Speed-ups that must change nothing, each against the plain computation it replaced, on the
built-in reports and the bench's synthetic kommun (Bokslut with prognossäkerhet, deep trees):

- the slide layout with its caches (measured tables per size and width, wrapped lines, the widest
  word per text) lays out the same pages; so do the column widths measured for all cells at once,
  figures measured as the sum of their characters, and tables made column by column;
- a chart's own size read from its attributes equals the serialised spec's;
- the indicator table (views.indicator_wide) in one pass equals the groupby version.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from dashboard import export, queries, views
from dashboard import slidelayout as lay
from dashboard import targets as tg
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


def _column_widths_reference(spec, size, width, pad_x):
    """slidelayout.column_widths measuring cell by cell (the reference)."""
    cols = len(spec.header)
    minimum, natural = [], []
    for j in range(cols):
        head_min = _longest_word_reference(spec.header[j], size, True)
        head_nat = lay.text_width(spec.header[j], size, True)
        cell_min, cell_nat = 0.0, 0.0
        for i, row in enumerate(spec.rows):
            bold = spec.kinds[i] in ("total", "subtotal")
            indent = lay._indent_step(size) * spec.levels[i] if j == 0 else 0.0
            full = lay.text_width(row[j], size, bold) + indent
            cell_nat = max(cell_nat, full)
            cell_min = max(cell_min, full if spec.numeric[j] else _longest_word_reference(row[j], size, bold) + indent)
        minimum.append(max(head_min, cell_min) + 2 * pad_x)
        natural.append(max(head_nat, cell_nat) + 2 * pad_x)
    if sum(minimum) > width:
        return None
    widths = list(minimum)
    spare = width - sum(widths)
    for group in ([j for j in range(cols) if not spec.numeric[j]], [j for j in range(cols) if spec.numeric[j]]):
        want = {j: natural[j] - widths[j] for j in group if natural[j] > widths[j]}
        while want and spare > 0:
            fair = spare / len(want)
            small = [j for j, w in want.items() if w <= fair]
            if not small:
                total = sum(want.values())
                for j, w in want.items():
                    widths[j] += spare * w / total
                spare = 0.0
                break
            for j in small:
                widths[j] += want.pop(j)
            spare = width - sum(widths)
    if spare > 0:
        text_cols = [j for j in range(cols) if not spec.numeric[j]] or list(range(cols))
        weight = sum(natural[j] for j in text_cols)
        for j in text_cols:
            widths[j] += spare * natural[j] / weight
    return widths


def _longest_word_reference(text, size, bold=False):
    return max((lay.text_width(w, size, bold) for w in lay.printable(text).split()), default=0.0)


def _aspect_reference(chart):
    spec = chart.to_dict()
    w, h = spec.get("width"), spec.get("height")
    if isinstance(w, int | float) and isinstance(h, int | float) and h:
        return float(w) / float(h)
    return True


@pytest.fixture(scope="module", params=["inbyggda", "syntetisk"])
def db(request, tmp_path_factory):
    """(engine, [(kommun, nämnd, tillfälle)]) of the built-in reports or the small synthetic kommun."""
    from dashboard.bench import SCALES, generate
    from dashboard.db import init_db, make_engine, upgrade

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('speed') / 's.db'}")
    if request.param == "inbyggda":
        init_db(eng)
        wanted = [("0580", "AMN", "2023-08-31"), ("2580", "AGN", "2024-08-31"), ("2580", "AGN", "2024-04-30")]
    else:
        upgrade(eng)
        generate(eng, SCALES["small"])
        wanted = [(r.kommun_code, r.namnd_code, end) for r in queries.namnder(eng).itertuples()
                  for end in queries.rounds(eng, int(r.namnd_id))["period_end"]]
    yield eng, wanted
    eng.dispose()


@pytest.fixture(scope="module")
def decks(db):
    eng, wanted = db
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    return [build(fetch, k, n, t) for k, n, t in wanted]


def test_chart_made_on_demand_needs_what_its_chart_needs(db):
    """A slide's chart made when first shown (slides.LazyChart): the shape the layout got for it
    beforehand is what export.chart_needs reads off the chart once it is made."""
    from dashboard.slides import LazyChart

    eng, wanted = db
    fetch = lambda name, *args: getattr(queries, name)(eng, *args)  # noqa: E731
    seen = set()
    for k, n, t in wanted:
        for slide in build(fetch, k, n, t):
            lazy = slide.chart_source
            if not isinstance(lazy, LazyChart):
                continue
            assert not lazy.built
            before = {fs: export.slide_chart_needs(slide, fs) for fs in (16, 18)}
            assert not lazy.built  # the layout's question made no chart
            chart = slide.chart
            assert lazy.built and slide.chart is chart  # made once
            for fs, needs in before.items():
                assert needs == export.chart_needs(chart, fs), (slide.kind, fs)
            seen.add(slide.kind)
    assert seen == {"avvikelser", "risker"}


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
            lay.text_width.cache_clear()  # measured again, every text through Pillow
            mp.setattr(lay, "_length", lambda text, bold: lay._font(bold).getlength(text))
            mp.setattr(lay, "column_widths", _column_widths_reference)
            mp.setattr(lay, "fit_table", _fit_table_reference)
            mp.setattr(lay, "wrap", lambda text, size, width, bold=False, first_width=None:
                       lay._wrap(text, size, width, bold, first_width))
            mp.setattr(lay, "longest_word", _longest_word_reference)
            plain = lay.lay_out(copy.deepcopy(slides), charts, 1280, 720, scale)
        lay.text_width.cache_clear()
        assert len(fast) == len(plain) > 0
        # the screen numbers the page it shows (lay_out(numbered=False), then number_page)
        unnumbered = lay.lay_out(copy.deepcopy(slides), charts, 1280, 720, scale, numbered=False)
        kept = copy.deepcopy(unnumbered)
        assert [lay.number_page(p, slides, k, len(unnumbered)) for k, p in enumerate(unnumbered, start=1)] == plain
        assert unnumbered == kept  # the shared pages are not changed by numbering a copy
        assert fast == plain
        assert again == plain


def _indicator_wide_reference(indicators, values, status):
    """views.indicator_wide before the one-pass grouping (the reference)."""
    info = indicators.set_index("indicator_id")
    status_map = {}
    for r in status.itertuples() if len(status) else []:
        status_map[(r.indicator_id, r.unit_id, r.gender, r.breakdown)] = r
    periods = (values[["period_end", "period_label", "value_type"]].drop_duplicates()
               .sort_values(["period_end", "value_type"]))
    labels = [p if t == "utfall" or p.lower().startswith("prognos") else f"Prognos {p}"
              for p, t in zip(periods["period_label"], periods["value_type"], strict=True)]
    labels = list(dict.fromkeys(labels))
    rows = []
    keys = ["indicator_id", "unit_id", "gender", "breakdown", "source_table"]
    for key, group in values.groupby(keys, sort=False):
        ind = info.loc[key[0]]
        first = group.iloc[0]
        row = {"Indikator": ind["name"], "Avser": first["unit_name"] + (f", {key[3]}" if key[3] else ""),
               "Kön": views.GENDER.get(key[2], key[2])}
        for label in labels:
            row[label] = ""
        notes = []
        for v in group.itertuples():
            label = v.period_label if v.value_type == "utfall" or v.period_label.lower().startswith("prognos") else f"Prognos {v.period_label}"
            text = "I.U." if v.missing else views.fmt.indicator_value(v.value, ind["measure_unit"])
            if v.old_method_value is not None and not views.fmt.is_missing(v.old_method_value):
                text += f" ({views.fmt.indicator_value(v.old_method_value, ind['measure_unit'])})"
            row[label] = text
            if isinstance(v.footnote, str) and v.footnote:
                notes.append(f"{v.period_label}: {v.footnote}")
        st_row = status_map.get(tuple(key[:4]))
        if st_row is not None and st_row.target_value is not None and not views.fmt.is_missing(st_row.target_value):
            row["Målvärde"] = f"{views._comparator(st_row.comparator)} {views.fmt.indicator_value(st_row.target_value, ind['measure_unit'])}".strip()
        elif st_row is not None and isinstance(st_row.target_text, str):
            row["Målvärde"] = st_row.target_text
        else:
            row["Målvärde"] = "–"
        s = tg.STATUSES[st_row.status] if st_row is not None else tg.NO_TARGET
        row["Status"] = f"{s.symbol} {s.label}"
        row["Källa"] = key[4] or (ind["source"] or "")
        row["Fotnot"] = " · ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)


def test_indicator_table_in_one_pass_equals_the_groupby_version(db):
    eng, _ = db
    compared = 0
    for namnd in queries.namnder(eng).itertuples():
        for rid in queries.rounds(eng, int(namnd.namnd_id))["round_id"]:
            indicators, values = queries.indicators(eng, int(rid)), queries.indicator_values(eng, int(rid))
            if values.empty:
                continue
            targets = queries.indicator_targets(eng, int(rid))
            subsets = [values] + [values[values["unit_id"] == u] for u in list(values["unit_id"].unique())[:6]]
            for part in subsets:
                status = tg.latest_status(indicators, part, targets)
                fast = views.indicator_wide(indicators, part, status)
                pd.testing.assert_frame_equal(fast, _indicator_wide_reference(indicators, part, status), check_exact=True)
                compared += len(fast)
    assert compared > 50


def test_figures_measured_by_their_characters_equal_pillow():
    """A figure's length as the sum of its characters' lengths is Pillow's length, to the bit."""
    import random

    from dashboard import formatting as fmt

    rng = random.Random(15)
    texts = {fmt.amount(rng.uniform(-1e9, 1e9) / 10 ** rng.randint(0, 6), unit, rng.randint(0, 2), signed=signed,
                        with_unit=False)
             for _ in range(3000) for unit in ("tkr", "mnkr") for signed in (False, True)}
    texts |= {fmt.percent(rng.uniform(-300, 300)) for _ in range(500)}
    chars = sorted(lay.FIGURE_CHARS)
    texts |= {"".join(rng.choice(chars) for _ in range(rng.randint(1, 16))) for _ in range(3000)}
    for bold in (False, True):
        assert lay._advances(bold) is not None  # DejaVu kerns none of them: the sum is in use
        for text in texts:
            assert lay.FIGURE_CHARS.issuperset(text)  # the fast path, not Pillow, measured it
            assert lay._length(text, bold) == lay._font(bold).getlength(text), (text, bold)


def test_tables_made_column_by_column_equal_the_cell_by_cell_ones(decks):
    seen = 0
    for deck in decks:
        printed = export.printable_slides(deck)
        for s, p in zip(deck, printed, strict=True):
            if s.table is None or not len(s.table):
                continue
            reference = s.table.map(export.cell_text)
            reference.columns = [export.cell_text(c) for c in s.table.columns]
            pd.testing.assert_frame_equal(p.table, reference, check_exact=True)
            spec = p.table_spec
            assert spec.rows == [[lay.cell_text(v) for v in row] for row in p.table.itertuples(index=False)]
            assert spec.rows == [[lay.cell_text(v) for v in row] for row in s.table.map(export.cell_text)
                                 .itertuples(index=False)]
            seen += 1
    assert seen >= 5


def test_indicator_chart_data_from_lists_equals_the_pandas_version(db):
    """views.indicator_chart_data (column lists, no merge) equals the pandas version it replaced,
    frames, dtypes and index included, for every indicator of every round in every Kön choice,
    in the whole nämnd and in each unit (as a förvaltning scope narrows the values)."""
    eng, _ = db
    compared = with_targets = 0
    for namnd in queries.namnder(eng).itertuples():
        for rid in queries.rounds(eng, int(namnd.namnd_id))["round_id"][:1]:  # kept short: a few hundred cards
            indicators, values = queries.indicators(eng, int(rid)), queries.indicator_values(eng, int(rid))
            targets = queries.indicator_targets(eng, int(rid))
            for ind in indicators.itertuples():
                own = values[values["indicator_id"] == ind.indicator_id]
                parts = [own] + [own[own["unit_id"] == u] for u in list(own["unit_id"].unique())[:1]]
                if ind.Index == 0:
                    parts.append(own.iloc[:0])
                for part in parts:
                    for genders in views.GENDER_CHOICES.values():
                        vals = part[part["gender"].isin(genders)]
                        if vals.empty:
                            vals = part
                        tgts = targets[(targets["indicator_id"] == ind.indicator_id) & targets["gender"].isin(set(vals["gender"]))]
                        fast = views.indicator_chart_data(vals, tgts, ind.measure_unit)
                        slow = views._indicator_chart_data_pandas(vals, tgts, ind.measure_unit)
                        for a, b in zip(fast, slow, strict=True):
                            pd.testing.assert_frame_equal(a, b, check_exact=True)
                            assert list(a.index) == list(b.index)
                        compared += 1
                        with_targets += bool(len(fast[1]))
    assert compared > 100 and with_targets > 20, (compared, with_targets)
