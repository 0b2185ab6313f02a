"""Every table on the pages through one helper: answer first, numbers right-aligned, widths that
fit the screen, missing values as "–", the rest behind "Fler kolumner".

- `st.column_config` for every column: a column whose cells are Swedish figures ("476 018",
  "−2,2", "3,4 %", "≤ 25 tkr/år") is a TextColumn with alignment="right" – never
  `NumberColumn(format="localized")`, which follows the browser's language.
- The first column (the name) and the answer columns come first. Nothing is pinned in the default
  table: Streamlit draws a pinned column's cells *faded* (grey, like an index), which put the
  answer in the palest text on the screen (projector screenshots, issue 13); the default columns
  fit without sideways scrolling, so pinning bought nothing there. In the whole table under
  "Fler kolumner", which may scroll sideways, the name is pinned so each row keeps its label.
- Widths are estimated from the content (Streamlit's grid draws 14 px Source Sans: about 7,5 px
  per character) and the default columns are chosen to fit `budget` pixels (1280 × 720 with the
  sidebar open leaves about 800 px; a half-width column about 440 px); the others are shown in
  a "Fler kolumner" expander with the whole table (sent when the expander is opened).
- A missing value is "–" (never None or nan).
- The name keeps at least MIN_NAME_PX: when the answer columns would leave it less, they give up
  width (down to 60 %, the rest of a long value ends in "…"); a name cut to a few letters made
  the Mål tables unreadable (issue 13, screenshots).
- On a projector there is no sidebar: the page is about 1.5 × as wide as on the laptop, so the
  budget grows with it, 1.5 ×; the grid's type is larger there (PROJECTOR_CHAR_PX, measured at
  1280 × 720), and the name gets its whole width before any column that is not an answer: the
  room shown on the wall is for reading the rows, so Periodbudget and Utfall move under "Fler
  kolumner" rather than cut "Arbetsmarknads- och gymnasienämnden" to "Arbetsmarknads- och gy"
  (projector screenshot of Ekonomi, Luleå).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..slidelayout import is_number

MISSING = "–"
CHAR_PX = 8.2  # measured against the grid's own widths at 1280 × 720, with room to spare
PAD_PX = 30
MIN_NAME_PX = 160
MAX_NAME_PX = 520  # a long name (indicator, verksamhet) may take this much when the table has room
NAME_SHARE = 0.4
PROJECTOR_BUDGET = 1.5  # 1280 px without the sidebar against ~800 px beside it (less the selection column)
MAX_COLUMN_PX = 240  # a long value in an answer column wraps to "…" rather than push the table wide
PROJECTOR_CHAR_PX = 9.6  # the grid's larger type on a projector (projector.css), measured likewise


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return MISSING
    text = str(value)
    return MISSING if text.strip().lower() in ("", "none", "nan", "<na>", "nat") else text


def prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, missing as "–"."""
    return frame.astype(object).map(_text) if len(frame) else frame.astype(object)


def _column_values(frame: pd.DataFrame) -> dict | None:
    """Each column's cells as a list, read once (a pandas column look-up per use was most of a
    table's column plan: Mål's 20 goal tables, docs/benchmark.md); None when two columns share a
    name (then frame[name] is a frame, and the plan reads it as before)."""
    if not frame.columns.is_unique:
        return None
    return {c: frame.iloc[:, j].tolist() for j, c in enumerate(frame.columns)}


def _width(frame: pd.DataFrame, column, cap: int = MAX_COLUMN_PX, values: list | None = None,
           char_px: float = CHAR_PX) -> int:
    cells = frame[column] if values is None else values
    longest = max([len(str(column))] + [len(v) for v in cells]) if len(frame) else len(str(column))
    return min(cap, int(longest * char_px + PAD_PX))


def numeric_columns(frame: pd.DataFrame, values: dict | None = None) -> set:
    out = set()
    for j, column in enumerate(frame.columns):
        cells = frame[column] if values is None else values[column]
        cells = [v for v in cells if v != MISSING]
        if cells and all(is_number(v) for v in cells) and (j > 0 or str(column) == "Nr"):
            out.add(column)
    return out


def plan(frame: pd.DataFrame, answer: list | tuple = (), budget: int = 740,
         projector: bool = False) -> tuple[list, list, dict]:
    """(default columns in order, the other columns, column_config) for a prepared frame;
    `projector`: the projector's type, and the whole name before the other columns."""
    char_px = PROJECTOR_CHAR_PX if projector else CHAR_PX
    columns = list(frame.columns)
    first = columns[0]
    values = _column_values(frame)
    numbers = numeric_columns(frame, values)
    widths = {c: _width(frame, c, MAX_NAME_PX if c == first else MAX_COLUMN_PX, None if values is None else values[c],
                        char_px) for c in columns}
    return _planned(columns, widths, numbers, answer, budget, projector)


def _planned(columns: list, widths: dict, numbers: set, answer, budget: int,
             projector: bool) -> tuple[list, list, dict]:
    """plan() from each column's width and whether it holds figures."""
    first = columns[0]
    answer = [c for c in answer if c in columns and c != first]
    order = [first, *answer, *[c for c in columns if c != first and c not in answer]]
    widths = dict(widths)
    # the name before the answers' full width: up to 40 % of the table (at least MIN_NAME_PX)
    name_want = min(widths[first], max(MIN_NAME_PX, int(NAME_SHARE * budget)))
    answer_px = sum(widths[c] for c in answer)
    room = budget - 12 - name_want
    if answer and answer_px > room:  # the answers give up width so the name stays readable
        factor = max(0.6, room / answer_px)
        widths |= {c: int(widths[c] * factor) for c in answer}
    keep_name = max(name_want, widths[first]) if projector else MIN_NAME_PX
    shown, used = [first], 0
    for c in order[1:]:
        if c in answer or used + widths[c] + keep_name <= budget - 12:  # "Avser" before a longer name
            shown.append(c)
            used += widths[c]
    rest = [c for c in order if c not in shown]
    name_width = max(100, min(widths[first], budget - 12 - used))  # the whole default table fits `budget`
    config = {}
    for c in columns:
        width = name_width if c == first else widths[c]
        config[c] = st.column_config.TextColumn(
            str(c), width=int(width), pinned=None,
            alignment="right" if c in numbers else "left")
    return shown, rest, config


def data_table(frame: pd.DataFrame, answer: list | tuple = (), budget: int = 740, key: str | None = None,
               **kwargs):
    """st.dataframe with the house rules (see the module docstring); kwargs go to st.dataframe."""
    from .projector import projector

    table = prepared(frame)
    if projector():
        budget = int(budget * PROJECTOR_BUDGET)
    if not len(table.columns):  # nothing to lay out (an empty selection)
        return st.dataframe(table, key=key, **{"hide_index": True, **kwargs})
    shown, rest, config = plan(table, answer, budget, projector())
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch" if not rest else "stretch")
    event = st.dataframe(table, column_order=shown, column_config=config, key=key, **kwargs)
    if rest:
        _more_columns(table, list(table.columns), shown, rest, config, key)
    return event


def _more_columns(data, columns: list, shown: list, rest: list, config: dict, key: str | None) -> None:
    """The whole table under "Fler kolumner", the name pinned so each row keeps its label.

    With a key the box reruns the page when it is opened (on_change="rerun") and the table is
    sent only while it is open (`.open`): column_order only hides columns, so the default table
    already carries every column's data and the closed box sent the same Arrow bytes a second
    time (Verksamhet's 300 indicator rows: 2 × 56 kB on every rerun, its warm rerun 1,5× the
    floor's; docs/benchmark.md, ninth round). Without a key – two boxes may share a label – the
    table is sent closed, as before."""
    label = f"Fler kolumner ({', '.join(map(str, rest))})"
    if key is None:
        box = st.expander(label)
    else:
        box = st.expander(label, key=f"{key}_more", on_change="rerun")
    with box:
        if key is not None and not box.open:
            return
        full = {c: config[c] for c in columns}
        full[columns[0]] = {**config[columns[0]], "pinned": True}  # the row's label stays
        st.dataframe(data, column_order=shown + rest, column_config=full, hide_index=True, width="stretch",
                     key=f"{key}_all" if key else None)


def cached_data_table(cache_key: tuple, build, answer: list | tuple = (), budget: int = 740, key: str | None = None):
    """`data_table(build(), answer, budget, key)` with the work kept per data version: the frame
    `build` returns, its text, its column plan and its Arrow table are made once under
    `cache_key` (which must name everything `build` reads), so a rerun or another session sends
    the same table without preparing and converting it again (Mål's goal cards: most of a warm
    rerun, docs/benchmark.md). The elements sent are the ones data_table sends (tested). Several
    tables cut from one frame: cached_data_tables."""

    from streamlit import dataframe_util

    from .. import data
    from .projector import projector

    def make():
        table = prepared(build())
        width = int(budget * PROJECTOR_BUDGET) if projector() else budget
        if not len(table.columns):
            return table, None, None, None, None
        shown, rest, config = plan(table, answer, width, projector())
        # what st.dataframe does with a pandas frame (streamlit==1.67.0), done once; the frame
        # itself is not kept (its column names are enough): sizing a stored frame for the cache
        # (memory_usage) cost more than the rest of a small table
        return None, dataframe_util.convert_pandas_df_to_arrow_table(table), shown, rest, config

    made = data.keyed(("data_table", *cache_key, tuple(answer), budget, projector()), make)
    return send_table(made, key)


def send_table(made: tuple, key: str | None = None):
    """The elements cached_data_table sends for a table it has made (or table_parts made)."""
    import copy

    table, arrow, shown, rest, config = made
    if arrow is None:
        return st.dataframe(table, key=key, hide_index=True)
    columns = list(arrow.column_names)
    config = copy.deepcopy(config)  # Streamlit may add to a column's config; the stored one stays
    event = st.dataframe(arrow, column_order=shown, column_config=config, key=key, hide_index=True, width="stretch")
    if rest:
        _more_columns(arrow, columns, shown, rest, config, key)
    return event


def table_parts(whole: pd.DataFrame, groups, answer: list | tuple = (), budget: int = 740,
                projector: bool = False) -> dict:
    """For each group of a prepared frame's rows (`groups`: one label per row), what
    cached_data_table makes of that group's rows as a table of its own (numbered from 0): its plan
    and its Arrow table – measured and converted in one pass over the whole frame, not once per
    table (Mål's twenty goal tables: a third of a new round's rerun at full scale,
    docs/benchmark.md). tests/test_cached_tables.py checks the elements sent are those of
    cached_data_table of each part."""
    import json

    import numpy as np
    from streamlit import dataframe_util

    if not len(whole) or not len(whole.columns):
        return {}
    char_px = PROJECTOR_CHAR_PX if projector else CHAR_PX
    columns = list(whole.columns)
    if not whole.columns.is_unique:  # plan reads such a frame column by column: part by part as before
        labels = np.asarray(groups)
        return {g: (None, dataframe_util.convert_pandas_df_to_arrow_table(whole[labels == g].reset_index(drop=True)),
                    *plan(whole[labels == g].reset_index(drop=True), answer, budget, projector))
                for g in dict.fromkeys(labels.tolist()) if g == g}
    labels = pd.Series(np.asarray(groups), index=whole.index)
    order = [g for g in dict.fromkeys(labels.tolist()) if g == g]  # as groupby: rows without a label are no table
    # per group and column: the longest cell, and whether every cell but "–" is a figure (and one is)
    lengths = pd.DataFrame({c: whole[c].str.len() for c in columns}).groupby(labels, sort=False).max()
    missing = pd.DataFrame({c: whole[c] == MISSING for c in columns})
    figures = pd.DataFrame({c: [is_number(v) for v in whole[c].tolist()] for c in columns}, index=whole.index)
    any_value = (~missing).groupby(labels, sort=False).any()
    all_figures = (figures | missing).groupby(labels, sort=False).all()
    arrow = dataframe_util.convert_pandas_df_to_arrow_table(whole.reset_index(drop=True))
    meta = json.loads(arrow.schema.metadata[b"pandas"])
    positions = labels.reset_index(drop=True).groupby(labels.to_numpy(), sort=False).indices
    out = {}
    for g in order:
        rows = positions[g]
        part = arrow.take(rows)
        # the schema a part converted on its own has: its RangeIndex ends at its own length
        meta["index_columns"] = [dict(ix, stop=len(rows)) if isinstance(ix, dict) else ix for ix in meta["index_columns"]]
        part = part.replace_schema_metadata({**arrow.schema.metadata, b"pandas": json.dumps(meta).encode()})
        widths = {c: min(MAX_NAME_PX if j == 0 else MAX_COLUMN_PX,
                         int(max(len(str(c)), int(lengths.at[g, c])) * char_px + PAD_PX))
                  for j, c in enumerate(columns)}
        numbers = {c for j, c in enumerate(columns)
                   if any_value.at[g, c] and all_figures.at[g, c] and (j > 0 or str(c) == "Nr")}
        out[g] = (None, part, *_planned(columns, widths, numbers, answer, budget, projector))
    return out


def cached_data_tables(cache_key: tuple, build, answer: list | tuple = (), budget: int = 740) -> dict:
    """table_parts of `build()` – (prepared frame, one group label per row) – kept per data version
    under `cache_key` (which must name everything `build` reads), as cached_data_table keeps one
    table; send a part with `send_table(parts[label], key)`."""
    from .. import data
    from .projector import projector

    def make():
        whole, groups = build()
        width = int(budget * PROJECTOR_BUDGET) if projector() else budget
        return table_parts(whole, groups, answer, width, projector())

    return data.keyed(("data_tables", *cache_key, tuple(answer), budget, projector()), make)
