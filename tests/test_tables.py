"""ui/tables.plan: which columns a table shows by default and how wide (issue 13)."""

from __future__ import annotations

import pandas as pd

from dashboard.ui.tables import MIN_NAME_PX, plan, prepared

GOAL_TABLE = pd.DataFrame({  # a row of Mål's indicator table for Kunskap & kompetens (Linköping)
    "Indikator": ["Genomströmningstid svenska för invandrare (antal betyg per deltagare under en termin)"],
    "Avser": ["Utbildningsförvaltningen (vuxenutbildning)"],
    "Senaste värde": ["1,2 betyg per deltagare"],
    "Målvärde": ["≥ 1,3 betyg per deltagare"],
    "Status": ["◷ Bedöms vid helår"],
    "Period": ["Augusti 2023"],
})


def widths(config: dict, columns: list) -> list[int]:
    return [int(config[c]["width"]) for c in columns]


def test_the_name_stays_readable_beside_long_answer_columns():
    shown, rest, config = plan(prepared(GOAL_TABLE), ["Senaste värde", "Målvärde", "Status"], budget=740)
    assert shown[:4] == ["Indikator", "Senaste värde", "Målvärde", "Status"]  # answer first after the name
    assert int(config["Indikator"]["width"]) >= MIN_NAME_PX
    assert sum(widths(config, shown)) <= 740  # fits the laptop's card: no sideways scroll
    assert "Avser" in rest or "Avser" in shown


def test_the_unit_column_comes_before_a_wider_name():
    # Personal's table (views.indicator_wide: Indikator, Avser, Kön, …), two of Linköping's rows
    frame = pd.DataFrame({"Indikator": ["Antal tillsvidare anställda"] * 2,
                          "Avser": ["Integrations- och arbetsmarknadsförvaltningen",
                                    "Utbildningsförvaltningen (vuxenutbildning)"],
                          "Kön": ["Totalt"] * 2, "Status": ["○ Inget målvärde"] * 2, "Målvärde": ["240", "171"]})
    shown, _, config = plan(prepared(frame), ["Status", "Målvärde"], budget=740)
    assert "Avser" in shown  # which förvaltning a row is: shown, not folded under Fler kolumner
    assert sum(widths(config, shown)) <= 740


def test_no_default_column_is_pinned_so_none_is_drawn_faded():
    # Streamlit draws a pinned column's cells faded (grey): the answer was the palest text on the
    # projector. The default columns fit without scrolling, so nothing is pinned there.
    _, _, config = plan(prepared(GOAL_TABLE), ["Senaste värde", "Målvärde", "Status"], budget=740)
    assert [c for c, cfg in config.items() if cfg.get("pinned")] == []
