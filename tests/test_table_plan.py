"""ui/tables.plan reading each column once (issue 15) plans every table the pages show exactly as
it did reading a pandas column per use: the same default columns, the rest, and column config –
for every table of the table pages on the built-in reports with the Bokslut workbooks and on the
bench's small synthetic kommun. Mål's goal tables, planned in one pass (tables.table_parts), are
each planned as the table of its own rows was."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from conftest import app_runner

from dashboard import queries
from dashboard.slidelayout import is_number
from dashboard.ui import tables


def _width_reference(frame, column, cap):
    longest = max([len(str(column))] + [len(v) for v in frame[column]]) if len(frame) else len(str(column))
    return min(cap, int(longest * tables.CHAR_PX + tables.PAD_PX))


def _numeric_reference(frame):
    out = set()
    for j, column in enumerate(frame.columns):
        values = [v for v in frame[column] if v != tables.MISSING]
        if values and all(is_number(v) for v in values) and (j > 0 or str(column) == "Nr"):
            out.add(column)
    return out


def _plan_reference(frame, answer=(), budget=740):
    """tables.plan as it was before (the reference)."""
    columns = list(frame.columns)
    first = columns[0]
    answer = [c for c in answer if c in columns and c != first]
    order = [first, *answer, *[c for c in columns if c != first and c not in answer]]
    numbers = _numeric_reference(frame)
    widths = {c: _width_reference(frame, c, tables.MAX_NAME_PX if c == first else tables.MAX_COLUMN_PX) for c in columns}
    name_want = min(widths[first], max(tables.MIN_NAME_PX, int(tables.NAME_SHARE * budget)))
    answer_px = sum(widths[c] for c in answer)
    room = budget - 12 - name_want
    if answer and answer_px > room:
        factor = max(0.6, room / answer_px)
        widths |= {c: int(widths[c] * factor) for c in answer}
    shown, used = [first], 0
    for c in order[1:]:
        if c in answer or used + widths[c] + tables.MIN_NAME_PX <= budget - 12:
            shown.append(c)
            used += widths[c]
    rest = [c for c in order if c not in shown]
    name_width = max(100, min(widths[first], budget - 12 - used))
    config = {}
    for c in columns:
        width = name_width if c == first else widths[c]
        config[c] = st.column_config.TextColumn(str(c), width=int(width), pinned=None,
                                                alignment="right" if c in numbers else "left")
    return shown, rest, config


PAGES = ["mal", "indikatorer", "verksamhet", "internkontroll", "personal", "volymer", "uppdrag"]


def _plans_on(engine, monkeypatch, addresses) -> int:
    seen = []
    original = tables.plan

    def recording(frame, answer=(), budget=740, projector=False):
        assert not projector  # the pages on a laptop: the reference is the laptop's plan
        out = original(frame, answer, budget, projector)
        seen.append((frame.copy(), tuple(answer), budget, out))
        return out

    original_parts = tables.table_parts

    def recording_parts(whole, groups, answer=(), budget=740, projector=False):
        # Mål's goal tables, planned in one pass: each group's plan as the table of its own rows
        assert not projector
        out = original_parts(whole, groups, answer, budget, projector)
        labels = pd.Series(list(groups), index=whole.index)
        for g, made in out.items():
            seen.append((whole[labels == g].reset_index(drop=True), tuple(answer), budget, made[2:]))
        return out

    monkeypatch.setattr(tables, "plan", recording)
    monkeypatch.setattr(tables, "table_parts", recording_parts)
    run = app_runner(monkeypatch, engine)
    for params in addresses:
        for page in PAGES:
            run(page, **params)
    for frame, answer, budget, got in seen:
        assert got == _plan_reference(frame, answer, budget), list(frame.columns)
    st.cache_resource.clear()
    return len(seen)


def _addresses(engine):
    out = []
    for r in queries.namnder(engine).itertuples():
        rounds = queries.rounds(engine, int(r.namnd_id))
        for end in list(rounds["period_end"])[:2]:
            namnd = "kommun" if r.namnd_code == "KOMMUN" else r.namnd_code
            units = queries.units(engine, int(rounds[rounds["period_end"] == end]["round_id"].iloc[0]))
            enhet = units[units["level"] == "förvaltning"]["key"]
            out.append({"kommun": r.kommun_code, "namnd": namnd, "tillfalle": end.isoformat(),
                        **({"enhet": enhet.iloc[0]} if len(enhet) else {})})
    return out


@pytest.mark.parametrize("bokslut_engine", ["sqlite"], indirect=True)
def test_plan_of_every_table_on_the_builtin_reports(bokslut_engine, monkeypatch):
    assert _plans_on(bokslut_engine, monkeypatch, _addresses(bokslut_engine)) >= 10


def test_plan_of_every_table_on_the_synthetic_kommun(tmp_path, monkeypatch):
    from dashboard.bench import SCALES, generate
    from dashboard.db import make_engine, upgrade
    from dashboard.rollups import backfill

    engine = make_engine(f"sqlite:///{tmp_path / 'syn.db'}")
    upgrade(engine)
    generate(engine, SCALES["small"])
    backfill(engine)
    assert _plans_on(engine, monkeypatch, _addresses(engine)) >= 4
    engine.dispose()
