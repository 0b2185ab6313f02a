"""The nearest comment that covers a unit, on a tree written here (the shape of Linköping AMN)."""

from __future__ import annotations

import pandas as pd

from dashboard.commentary import explanation

UNITS = pd.DataFrame([
    (1, "amn", "Arbetsmarknadsnämnden", None),
    (2, "summa", "Summa nettokostnader", 1),
    (4, "utb", "Utbildningsförvaltningen (vuxenutbildning)", 2),
    (6, "470", "Grundläggande vuxenutb", 4),
    (10, "575", "Ekonomiskt bistånd", 3),
    (3, "iaf", "Integrations- och arbetsmarknadsförvaltningen", 2),
], columns=["unit_id", "key", "name", "parent_id"])
COMMENTS = pd.DataFrame([
    (1, "prognos", "Analys och kommentar", "Helårsprognosen för 2023 …"),
    (4, "personal", "Kommentar (Personal)", "Vuxenutbildningen visar inga större avvikelser …"),
    (4, "prognos", "Analys och kommentar", "Vuxenutbildningen prognostiseras redovisa ett underskott på -5,6 mnkr …"),
    (10, "utfall", "Analys och kommentar", "Utvecklingen för utbetalt ekonomiskt bistånd …"),
], columns=["unit_id", "section", "heading", "body"])


def test_own_comment_first():
    e = explanation(UNITS, COMMENTS, 10)
    assert e.own and e.unit_id == 10 and e.label() == ""
    assert list(e.comments["body"]) == ["Utvecklingen för utbetalt ekonomiskt bistånd …"]


def test_nearest_ancestor_that_covers_the_unit_with_its_label():
    e = explanation(UNITS, COMMENTS, 6)
    assert not e.own and e.unit_id == 4
    assert e.label() == "Kommentar för Utbildningsförvaltningen (vuxenutbildning)"
    assert list(e.comments["section"]) == ["prognos"]  # the personal comment explains no deviation


def test_skips_ancestors_without_an_economy_comment():
    e = explanation(UNITS, COMMENTS, 3)  # IAF has none here, Summa none: the nämnd's
    assert e.unit_id == 1 and e.label() == "Kommentar för Arbetsmarknadsnämnden"


def test_nothing_to_say():
    assert explanation(UNITS, COMMENTS.head(0), 6) is None
    assert explanation(UNITS, COMMENTS[COMMENTS["unit_id"] == 10], 6) is None
