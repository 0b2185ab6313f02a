"""Prognossäkerhet rules (accuracy.py) on small hand-made frames, and its chart builders."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import accuracy as acc
from dashboard import charts
from dashboard import economy as ec

UNITS = pd.DataFrame([
    # unit_id, key, name, level, parent_id, depth, sort_order
    (1, "n", "Nämnden", "nämnd", None, 0, 1),
    (2, "f", "Förvaltningen", "förvaltning", 1, 1, 2),
    (3, "a", "Skola A", "verksamhet", 2, 2, 3),
    (4, "b", "Skola B", "verksamhet", 2, 2, 4),
    (5, "c", "Skola C", "verksamhet", 2, 2, 5),
], columns=["unit_id", "key", "name", "level", "parent_id", "depth", "sort_order"]).assign(
    parent_name=None, forvaltning_id=None, forvaltning_key=None, forvaltning_name=None, code=None, historical=False)

D2 = {"round_id": 11, "kind": "Delår 2", "period_end": dt.date(2025, 8, 31), "amount_unit": "tkr", "decimals": 0}
D1 = {"round_id": 10, "kind": "Delår 1", "period_end": dt.date(2025, 4, 30), "amount_unit": "tkr", "decimals": 0}
BOKSLUT_MNKR = {"round_id": 12, "kind": "Bokslut", "period_end": dt.date(2025, 12, 31), "amount_unit": "mnkr", "decimals": 1}
BOKSLUT_TKR = {**BOKSLUT_MNKR, "amount_unit": "tkr", "decimals": 0}


def econ(rows: dict[int, dict]) -> pd.DataFrame:
    fields = ec.AMOUNT_FIELDS + ["budget_share_pct"]
    return pd.DataFrame([{"unit_id": u, **{f: v.get(f) for f in fields}} for u, v in rows.items()],
                        columns=["unit_id", *fields]).astype({f: float for f in fields})


def outcome_table(rows):
    return ec.economy_table(UNITS, econ(rows), outcome=True)


def forecast_table(rows):
    return ec.economy_table(UNITS, econ(rows))


def row(result, unit_id, round_id):
    hits = result.rows[(result.rows["unit_id"] == unit_id) & (result.rows["round_id"] == round_id)]
    assert len(hits) == 1, result.rows
    return hits.iloc[0].to_dict()


def test_miss_in_the_reports_unit_never_adds_decimals():
    # forecast 5 123 tkr, outcome 6,3 mnkr: in mnkr 6,3 − 5,1 = 1,2; in tkr 6 300 − 5 123 = 1 177,
    # which the outcome's precision (100 tkr) cannot carry: 1 200 tkr
    out = outcome_table({1: {"budget_year": 400.0, "deviation_period": 6.3}})
    fc = forecast_table({1: {"forecast_deviation": 5123.0}})
    in_mnkr = acc.compare(UNITS, BOKSLUT_MNKR, out, [(D2, fc)])
    r = row(in_mnkr, 1, 11)
    assert (r["forecast_text"], r["outcome_text"], r["miss_text"]) == ("+5,1\xa0mnkr", "+6,3\xa0mnkr", "+1,2\xa0mnkr")
    assert r["miss_pct_text"] == "+0,3\xa0%"  # 1,2 of 400,0
    assert r["phrase"] == "Delår 2-prognosen var 1,2\xa0mnkr för försiktig"
    in_tkr = acc.compare(UNITS, BOKSLUT_MNKR, out, [(D2, fc)], to_unit="tkr")
    r = row(in_tkr, 1, 11)
    assert (r["forecast_text"], r["outcome_text"], r["miss_text"]) == ("+5\xa0123\xa0tkr", "+6\xa0300\xa0tkr", "+1\xa0200\xa0tkr")


def test_outcome_derived_from_budget_and_utfall_and_flagged():
    out = outcome_table({3: {"budget_year": 1000.0, "actual_period": 940.0}})  # no avvikelse printed
    fc = forecast_table({3: {"forecast_deviation": 100.0}})
    r = row(acc.compare(UNITS, BOKSLUT_TKR, out, [(D2, fc)]), 3, 11)
    assert (r["outcome_text"], r["miss_text"]) == ("+60\xa0tkr *", "−40\xa0tkr *")
    assert r["phrase"] == "Delår 2-prognosen var 40\xa0tkr för optimistisk"


def test_printed_totals_win_over_sums():
    # the forecast round prints a total (900) that its rows do not add up to (500 + 300)
    out = outcome_table({1: {"deviation_period": 1000.0}, 3: {"deviation_period": 600.0}, 4: {"deviation_period": 400.0}})
    fc = forecast_table({1: {"forecast_deviation": 900.0}, 3: {"forecast_deviation": 500.0}, 4: {"forecast_deviation": 300.0}})
    r = row(acc.compare(UNITS, BOKSLUT_TKR, out, [(D2, fc)]), 1, 11)
    assert (r["forecast_text"], r["miss_text"], r["computed"]) == ("+900\xa0tkr", "+100\xa0tkr", False)


def test_sums_over_different_rows_are_not_compared_and_missing_sides_are_listed():
    # the förvaltning (2) is printed in neither round; the outcome has C, the forecast does not
    out = outcome_table({3: {"deviation_period": 10.0}, 4: {"deviation_period": 20.0}, 5: {"deviation_period": 5.0}})
    fc = forecast_table({3: {"forecast_deviation": 12.0}, 4: {"forecast_deviation": 18.0}})
    result = acc.compare(UNITS, BOKSLUT_TKR, out, [(D2, fc)])
    reasons = dict(zip(result.not_comparable["label"], result.not_comparable["reason"], strict=True))
    assert reasons["Skola C"] == "Utfall i bokslutet men ingen prognos i Delår 2"
    assert reasons["Förvaltningen"] == ("Ingen av rapporterna skriver ut summan, och summorna bygger på olika rader "
                                        "(Delår 2: 2, bokslutet: 3)")
    assert reasons["Nämnden"].startswith("Ingen av rapporterna skriver ut summan")
    assert row(result, 3, 11)["miss_text"] == "−2\xa0tkr"
    # the reverse: a forecast without an outcome
    result = acc.compare(UNITS, BOKSLUT_TKR, outcome_table({3: {"deviation_period": 1.0}}),
                         [(D2, forecast_table({3: {"forecast_deviation": 1.0}, 4: {"forecast_deviation": 2.0}}))])
    assert dict(zip(result.not_comparable["label"], result.not_comparable["reason"], strict=True))["Skola B"] == \
        "Prognos i Delår 2 men inget utfall i bokslutet"


def test_budget_change_between_forecast_and_bokslut_is_noted():
    out = outcome_table({3: {"budget_year": 1100.0, "deviation_period": 50.0}})
    fc = forecast_table({3: {"budget_year": 1000.0, "forecast_deviation": 0.0}})
    r = row(acc.compare(UNITS, BOKSLUT_TKR, out, [(D2, fc)]), 3, 11)
    assert r["note"] == "Budgeten ändrades: 1\xa0000\xa0tkr i Delår 2, 1\xa0100\xa0tkr i bokslutet"
    assert r["miss_pct_text"] == "+4,5\xa0%"  # of the Bokslut's budget 1 100


def test_headline_round_is_delar_2_and_tendency_words():
    out = outcome_table({1: {"deviation_period": 100.0}})
    result = acc.compare(UNITS, BOKSLUT_TKR, out, [(D1, forecast_table({1: {"forecast_deviation": 50.0}})),
                                                   (D2, forecast_table({1: {"forecast_deviation": 120.0}}))])
    assert result.headline_round["kind"] == "Delår 2"
    head = result.headline(1)
    assert (head["miss_text"], head["row_phrase"]) == ("−20\xa0tkr", "Delår 2 låg 20\xa0tkr över utfallet")
    assert acc.tendency([1.0, 2.0]) == "för försiktig alla 2 år"
    assert acc.tendency([-1.0, -0.5, -3.0]) == "för optimistisk alla 3 år"
    assert acc.tendency([1.0, -1.0]) == "växlande"
    assert acc.tendency([1.0]) == "ett år – ingen tendens"


def test_investments_compare_amounts_with_words():
    out_inv = pd.DataFrame([{"project_key": "p1", "name": "Skolan", "actual": 8.4, "forecast": None, "budget": 15.0,
                             "deviation": 6.6}])
    d2_inv = pd.DataFrame([{"project_key": "p1", "name": "Skolan", "actual": 6200.0, "forecast": 10500.0,
                            "budget": 15000.0, "deviation": 4500.0},
                           {"project_key": "p2", "name": "IT", "actual": 100.0, "forecast": 900.0, "budget": 900.0,
                            "deviation": 0.0}])
    rows, missing = acc.compare_investments(BOKSLUT_MNKR, out_inv, [(D2, d2_inv)], "mnkr")
    r = rows.iloc[0].to_dict()
    assert (r["forecast_text"], r["outcome_text"], r["difference_text"], r["difference_pct_text"]) == \
        ("10,5\xa0mnkr", "8,4\xa0mnkr", "−2,1\xa0mnkr", "−14,0\xa0%")
    assert r["phrase"] == "Utfallet blev 2,1\xa0mnkr lägre än Delår 2-prognosen"
    assert missing.to_dict("records") == [{"label": "p2 IT", "round_name": "Delår 2",
                                           "reason": "Prognos i Delår 2 men inget utfall i bokslutet"}]


def test_download_holds_numbers_and_the_rows_not_compared():
    from dashboard import downloads

    out = outcome_table({3: {"budget_year": 1000.0, "deviation_period": 60.0}, 5: {"deviation_period": 1.0}})
    fc = forecast_table({3: {"forecast_deviation": 100.0}})
    result = acc.compare(UNITS, BOKSLUT_TKR, out, [(D2, fc)])
    values = acc.download(result, "prognossakerhet").values()
    first = values[0]
    assert (first["Verksamhet"], first["Prognos i"], first["Prognosavvikelse (tkr)"], first["Resultat mot budget (tkr)"],
            first["Skillnad utfall − prognos (tkr)"], first["Skillnad i % av budget"]) == \
        ("Skola A", "Delår 2", 100.0, 60.0, -40.0, -4.0)
    assert values[-1]["Bedömning"] == "Ej jämförbar"
    csv = downloads.to_csv(acc.download(result, "prognossakerhet")).decode("utf-8-sig")
    assert "Skola A;Delår 2;1000;100;60;-40;;-4,0;Delår 2-prognosen var 40 tkr för optimistisk" in csv.replace("\xa0", " ")


def test_dumbbell_marks_rounds_by_shape_and_outcome_last():
    data = pd.DataFrame([
        {"label": "A", "series": "Prognos Delår 1", "series_order": 0, "value": 1.0, "value_text": "+1", "miss_text": "+2", "rank": 1},
        {"label": "A", "series": "Prognos Delår 2", "series_order": 1, "value": 2.0, "value_text": "+2", "miss_text": "+2", "rank": 1},
        {"label": "A", "series": "Utfall (bokslut)", "series_order": 2, "value": 4.0, "value_text": "+4", "miss_text": "+2", "rank": 1},
        {"label": "B", "series": "Prognos Delår 2", "series_order": 1, "value": -1.0, "value_text": "−1", "miss_text": "−5", "rank": 0},
        {"label": "B", "series": "Utfall (bokslut)", "series_order": 2, "value": -6.0, "value_text": "−6", "miss_text": "−5", "rank": 0},
    ])
    spec = charts.forecast_outcome_dumbbell(data, "tkr").to_dict()
    points = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point")
    assert points["encoding"]["shape"]["scale"]["range"][-1] == "diamond"
    assert points["encoding"]["shape"]["scale"]["domain"] == ["Prognos Delår 1", "Prognos Delår 2", "Utfall (bokslut)"]
    assert points["encoding"]["y"]["sort"] == ["B", "A"]  # the largest miss first
    assert points["encoding"]["x"]["title"] == "Avvikelse mot budget, tkr (+ = överskott)"


def test_miss_trend_is_small_multiples_with_a_zero_line():
    data = pd.DataFrame({"label": ["A", "A"], "year": ["2024", "2025"], "miss": [1.0, -2.0],
                         "miss_text": ["+1", "−2"], "order": [0, 0]})
    spec = charts.miss_trend(data, "mnkr", ",.1f").to_dict()
    assert spec["facet"]["field"] == "label" and spec["columns"] == 3
    assert "för försiktig" in spec["title"]
    assert any(layer["mark"]["type"] == "rule" for layer in spec["spec"]["layer"])
