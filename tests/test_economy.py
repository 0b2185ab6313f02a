"""The economy tree: printed figures kept, missing totals rolled up, derived forecasts, rounds.

Frames are built with the columns `queries.units()` and `queries.economy()` return, for a tiny
tree (amounts in tkr, 0 decimals):

    tn  Testnämnden (nämnd, printed)
    ├── namnden  Nämnden (egna kostnader)   verksamhetsområde, no förvaltning, printed
    └── forv     Testförvaltningen           förvaltning, NOT printed
        ├── skola   100 Skolan               verksamhet, printed
        │   ├── skola/a  Enhet A             enhet, printed
        │   └── skola/b  Enhet B             enhet, printed
        └── omsorg  200 Omsorgen             verksamhet, printed
    gammal  Gamla förvaltningen              förvaltning, historical, no economy at all

Expected values are worked out by hand below each fixture.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import economy as ec
from dashboard import views
from dashboard.queries import ECONOMY_FIELDS

NB = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"

UNIT_COLUMNS = ["unit_id", "key", "name", "level", "parent_id", "parent_name", "forvaltning_id",
                "forvaltning_key", "forvaltning_name", "code", "historical", "depth", "sort_order"]
ECON_COLUMNS = ["unit_id", *ECONOMY_FIELDS]

TN, NAMNDEN, FORV, SKOLA, SKOLA_A, SKOLA_B, OMSORG, GAMMAL = 1, 2, 3, 4, 41, 42, 5, 9


def units_frame(rows: list[tuple]) -> pd.DataFrame:
    """Like queries.units(): a DataFrame from result tuples (None parents become NaN)."""
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def units() -> pd.DataFrame:
    forv = (FORV, "forv", "Testförvaltningen")
    return units_frame([
        (TN, "tn", "Testnämnden", "nämnd", None, None, None, None, None, None, False, 0, 1),
        (NAMNDEN, "namnden", "Nämnden (egna kostnader)", "verksamhetsområde", TN, "Testnämnden",
         None, None, None, None, False, 1, 2),
        (FORV, "forv", "Testförvaltningen", "förvaltning", TN, "Testnämnden", *forv, None, False, 1, 3),
        (GAMMAL, "gammal", "Gamla förvaltningen", "förvaltning", TN, "Testnämnden", GAMMAL, "gammal",
         "Gamla förvaltningen", None, True, 1, 9),
        (SKOLA, "skola", "Skolan", "verksamhet", FORV, "Testförvaltningen", *forv, "100", False, 2, 4),
        (OMSORG, "omsorg", "Omsorgen", "verksamhet", FORV, "Testförvaltningen", *forv, "200", False, 2, 7),
        (SKOLA_A, "skola/a", "Enhet A", "enhet", SKOLA, "Skolan", *forv, None, False, 3, 5),
        (SKOLA_B, "skola/b", "Enhet B", "enhet", SKOLA, "Skolan", *forv, None, False, 3, 6),
    ])


def econ_frame(rows: dict[int, dict]) -> pd.DataFrame:
    """Like queries.economy(): one row per reported unit, every field, None where not printed."""
    return pd.DataFrame(
        [(uid, *(fields.get(f) for f in ECONOMY_FIELDS)) for uid, fields in rows.items()],
        columns=ECON_COLUMNS,
    )


# Current round. Printed root budget 1 000 while its lines add up to 1 001 (rounding in the
# report); skola 600 while its enheter add up to 601. forv is not printed.
CURRENT = {
    TN: dict(budget_year=1000, budget_period=667, actual_period=660, deviation_period=7, forecast_deviation=30),
    NAMNDEN: dict(budget_year=100, budget_period=67, actual_period=50, deviation_period=17, forecast_deviation=0),
    SKOLA: dict(budget_year=600, budget_period=400, actual_period=380, deviation_period=20, forecast_deviation=50,
                actual_prev_period=350),
    SKOLA_A: dict(budget_year=350, budget_period=233, actual_period=200, deviation_period=33, forecast_deviation=60),
    SKOLA_B: dict(budget_year=251, budget_period=167, actual_period=180, deviation_period=-13, forecast_deviation=-10),
    OMSORG: dict(budget_year=301, budget_period=200, actual_period=230, deviation_period=-30, forecast_deviation=-20,
                 actual_prev_period=210),
}
# Previous round: omsorg reported no forecast; namnden printed net cost only (deviation derived 0).
PREVIOUS = {
    TN: dict(budget_year=1000, forecast_deviation=20),
    NAMNDEN: dict(budget_year=100, forecast_net=100),
    SKOLA: dict(budget_year=600, forecast_deviation=40),
    SKOLA_A: dict(budget_year=350, forecast_deviation=45),
    SKOLA_B: dict(budget_year=251, forecast_deviation=-5),
    OMSORG: dict(budget_year=301),
}


@pytest.fixture
def table() -> pd.DataFrame:
    return ec.economy_table(units(), econ_frame(CURRENT))


@pytest.fixture
def table_prev() -> pd.DataFrame:
    return ec.economy_table(units(), econ_frame(CURRENT), econ_frame(PREVIOUS))


def row(table: pd.DataFrame, uid: int) -> pd.Series:
    rows = table[table["unit_id"] == uid]
    assert len(rows) == 1, f"unit {uid}: {len(rows)} rows"
    return rows.iloc[0]


def isnan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# --- economy_table: printed values and roll-ups ------------------------------------------------


def test_one_row_per_unit_with_economy(table):
    # gammal has nothing, reported or below it: no row. forv has no row printed but gets a roll-up.
    assert set(table["unit_id"]) == {TN, NAMNDEN, FORV, SKOLA, SKOLA_A, SKOLA_B, OMSORG}


def test_reported_flag(table):
    assert bool(row(table, TN)["reported"]) is True
    assert bool(row(table, SKOLA)["reported"]) is True
    assert bool(row(table, FORV)["reported"]) is False


def test_every_amount_field_has_a_computed_flag(table):
    for f in ec.AMOUNT_FIELDS:
        assert f + "_computed" in table.columns


def test_printed_values_are_kept_and_not_flagged(table):
    omsorg = row(table, OMSORG)
    assert omsorg["budget_year"] == 301
    assert omsorg["deviation_period"] == -30
    assert omsorg["forecast_deviation"] == -20
    for f in ("budget_year", "budget_period", "actual_period", "deviation_period", "forecast_deviation"):
        assert not omsorg[f + "_computed"], f


def test_printed_total_wins_over_a_sum_that_differs_by_rounding(table):
    tn = row(table, TN)
    assert tn["budget_year"] == 1000  # lines add up to 100 + 600 + 301 = 1 001
    assert not tn["budget_year_computed"]
    skola = row(table, SKOLA)
    assert skola["budget_year"] == 600  # enheter add up to 350 + 251 = 601
    assert not skola["budget_year_computed"]


def test_unprinted_forvaltning_is_rolled_up_from_nearest_printed_rows(table):
    forv = row(table, FORV)
    # skola's printed 600 is used, not its enheter's 601; plus omsorg 301.
    assert forv["budget_year"] == 901
    assert forv["budget_period"] == 600
    assert forv["actual_period"] == 610
    assert forv["deviation_period"] == -10
    assert forv["forecast_deviation"] == 30
    for f in ("budget_year", "budget_period", "actual_period", "deviation_period", "forecast_deviation"):
        assert bool(forv[f + "_computed"]) is True, f


def test_printed_row_missing_one_field_gets_only_that_field_rolled_up(table):
    tn = row(table, TN)
    assert tn["actual_prev_period"] == 560  # not printed on tn: skola 350 + omsorg 210
    assert bool(tn["actual_prev_period_computed"]) is True
    assert not tn["actual_period_computed"]


def test_field_nobody_reported_stays_missing_not_zero(table):
    for uid in (TN, FORV, SKOLA, OMSORG):
        r = row(table, uid)
        assert isnan(r["bokslut_prev_year"])
        assert not r["bokslut_prev_year_computed"]


# --- derived forecasts ---------------------------------------------------------------------------


def test_forecast_net_derived_from_printed_deviation(table):
    skola = row(table, SKOLA)
    assert skola["forecast_net"] == 550  # budget 600 − deviation 50
    assert bool(skola["forecast_net_computed"]) is True
    assert not skola["forecast_deviation_computed"]
    tn = row(table, TN)
    assert tn["forecast_net"] == 970  # printed budget 1 000 − printed deviation 30
    forv = row(table, FORV)
    assert forv["forecast_net"] == 871  # computed 901 − computed 30


def test_forecast_deviation_derived_from_printed_net_cost():
    econ = econ_frame({SKOLA: dict(budget_year=600, forecast_net=620)})
    skola = row(ec.economy_table(units(), econ), SKOLA)
    assert skola["forecast_deviation"] == -20  # budget − prognos: a deficit
    assert bool(skola["forecast_deviation_computed"]) is True
    assert not skola["forecast_net_computed"]


def test_nothing_derived_without_budget():
    econ = econ_frame({SKOLA: dict(forecast_deviation=50)})
    skola = row(ec.economy_table(units(), econ), SKOLA)
    assert isnan(skola["forecast_net"])
    assert not skola["forecast_net_computed"]


def test_both_printed_are_kept_even_if_they_disagree():
    econ = econ_frame({SKOLA: dict(budget_year=600, forecast_net=560, forecast_deviation=50)})
    skola = row(ec.economy_table(units(), econ), SKOLA)
    assert (skola["forecast_net"], skola["forecast_deviation"]) == (560, 50)
    assert not skola["forecast_net_computed"]
    assert not skola["forecast_deviation_computed"]


def test_rollup_includes_forecasts_given_in_the_other_convention():
    """skola prints deviation 50, omsorg prints net cost 321 (= deviation −20) on budget 301.

    The unprinted förvaltning's forecast deviation is 50 + (−20) = 30 and its net cost
    (600 − 50) + 321 = 871; budget 901 − net 871 = deviation 30 holds for the total too.
    """
    econ = econ_frame({
        SKOLA: dict(budget_year=600, forecast_deviation=50),
        OMSORG: dict(budget_year=301, forecast_net=321),
    })
    table = ec.economy_table(units(), econ)
    assert row(table, OMSORG)["forecast_deviation"] == -20
    forv = row(table, FORV)
    assert forv["forecast_deviation"] == 30
    assert forv["forecast_net"] == 871
    assert forv["budget_year"] - forv["forecast_net"] == forv["forecast_deviation"]


# --- previous round ------------------------------------------------------------------------------


def test_change_where_both_rounds_reported(table_prev):
    skola = row(table_prev, SKOLA)
    assert skola["prev_forecast_deviation"] == 40
    assert skola["forecast_change"] == 10
    tn = row(table_prev, TN)
    assert (tn["prev_forecast_deviation"], tn["forecast_change"]) == (20, 10)
    a = row(table_prev, SKOLA_A)
    assert a["forecast_change"] == 15


def test_previous_round_derived_deviation_is_compared(table_prev):
    namnden = row(table_prev, NAMNDEN)  # previous round printed net 100 on budget 100
    assert namnden["prev_forecast_deviation"] == 0
    assert namnden["forecast_change"] == 0


def test_no_change_where_previous_round_has_no_forecast(table_prev):
    omsorg = row(table_prev, OMSORG)
    assert isnan(omsorg["prev_forecast_deviation"])
    assert isnan(omsorg["forecast_change"])


def test_no_previous_round_no_comparison(table):
    assert table["prev_forecast_deviation"].isna().all()
    assert table["forecast_change"].isna().all()


def test_rolled_up_change_compares_only_units_reported_in_both_rounds(table_prev):
    """forv: skola went 40 -> 50 (+10); omsorg had no forecast in the previous round.

    Comparing the roll-ups (30 now, 40 then) would call omsorg's whole −20 a worsening and say
    −10; like for like the förvaltning's forecast changed by +10.
    """
    assert row(table_prev, FORV)["forecast_change"] == 10


# --- scopes ----------------------------------------------------------------------------------------


def test_scope_all_is_every_unit():
    assert set(ec.scope_unit_ids(units(), ec.ALL)) == {TN, NAMNDEN, FORV, GAMMAL, SKOLA, SKOLA_A, SKOLA_B, OMSORG}


def test_scope_forvaltning_is_it_and_everything_below():
    assert set(ec.scope_unit_ids(units(), "forv")) == {FORV, SKOLA, SKOLA_A, SKOLA_B, OMSORG}
    below_skola = ec.descendants(units(), SKOLA)
    assert below_skola[0] == SKOLA
    assert sorted(below_skola) == sorted([SKOLA, SKOLA_A, SKOLA_B])


def test_unknown_scope_is_empty():
    assert ec.scope_unit_ids(units(), "finns-inte") == []


def test_scope_namnd_only_is_the_lines_outside_every_forvaltning():
    """Only namnden: not the förvaltningar, and not the nämnd row, whose figures include them."""
    ids = set(ec.scope_unit_ids(units(), ec.NAMND_ONLY))
    assert NAMNDEN in ids
    assert not ids & {FORV, GAMMAL, SKOLA, SKOLA_A, SKOLA_B, OMSORG}
    assert TN not in ids


def test_scope_total_all_is_the_printed_namnd_row(table_prev):
    total = ec.scope_total(table_prev, units(), ec.ALL)
    assert total["key"] == "tn"
    assert total["budget_year"] == 1000
    assert total["forecast_deviation"] == 30
    assert not total["forecast_deviation_computed"]
    assert total["forecast_change"] == 10


def test_scope_total_forvaltning_is_its_rolled_up_row(table):
    total = ec.scope_total(table, units(), "forv")
    assert total["budget_year"] == 901
    assert total["forecast_deviation"] == 30
    assert bool(total["forecast_deviation_computed"]) is True


def test_scope_total_forvaltning_change_is_like_for_like(table_prev):
    total = ec.scope_total(table_prev, units(), "forv")
    assert total["forecast_change"] == 10


def test_scope_total_namnd_only(table_prev):
    total = ec.scope_total(table_prev, units(), ec.NAMND_ONLY)
    assert total["name"] == "Hela nämnden"
    assert total["budget_year"] == 100
    assert total["forecast_deviation"] == 0
    assert total["forecast_change"] == 0
    assert total["forecast_deviation_computed"] is True


def test_scope_total_namnd_only_counts_top_most_lines_once():
    """namnden with two printed enheter below it: 'Hela nämnden' is namnden's 100, not 100 + 40 + 60."""
    u = pd.concat([
        units(),
        units_frame([
            (21, "namnden/politik", "Politik", "enhet", NAMNDEN, "Nämnden (egna kostnader)", None, None, None,
             None, False, 2, 21),
            (22, "namnden/kansli", "Kansli", "enhet", NAMNDEN, "Nämnden (egna kostnader)", None, None, None,
             None, False, 2, 22),
        ]),
    ], ignore_index=True)
    econ = econ_frame({
        NAMNDEN: dict(budget_year=100, forecast_deviation=5),
        21: dict(budget_year=40, forecast_deviation=2),
        22: dict(budget_year=60, forecast_deviation=3),
    })
    total = ec.scope_total(ec.economy_table(u, econ), u, ec.NAMND_ONLY)
    assert total["budget_year"] == 100
    assert total["forecast_deviation"] == 5


# --- leaf lines and largest deviations -------------------------------------------------------------


def test_leaf_lines_are_reported_rows_without_reported_rows_below(table):
    assert set(ec.leaf_lines(table)["unit_id"]) == {NAMNDEN, SKOLA_A, SKOLA_B, OMSORG}


def test_leaf_lines_in_a_scope(table):
    ids = ec.scope_unit_ids(units(), "forv")
    assert set(ec.leaf_lines(table, ids)["unit_id"]) == {SKOLA_A, SKOLA_B, OMSORG}


def test_largest_deviations_deficits_first_then_surpluses_zero_left_out(table):
    worst = ec.largest_deviations(table)
    # leaves: namnden 0 (none), skola/a +60, skola/b −10, omsorg −20
    assert list(worst["key"]) == ["omsorg", "skola/b", "skola/a"]
    assert list(worst["forecast_deviation"]) == [-20, -10, 60]


def test_largest_deviations_keeps_the_n_largest_by_size(table):
    worst = ec.largest_deviations(table, n=2)
    # the two largest by size are +60 and −20; the deficit is listed first
    assert list(worst["key"]) == ["omsorg", "skola/a"]


def test_largest_deviations_in_a_scope(table):
    worst = ec.largest_deviations(table, [NAMNDEN, OMSORG])
    assert list(worst["key"]) == ["omsorg"]


def test_largest_deviations_sorted_by_size_within_sign():
    econ = econ_frame({
        SKOLA_A: dict(forecast_deviation=5),
        SKOLA_B: dict(forecast_deviation=-3),
        OMSORG: dict(forecast_deviation=-40),
        NAMNDEN: dict(forecast_deviation=25),
    })
    worst = ec.largest_deviations(ec.economy_table(units(), econ))
    assert list(worst["forecast_deviation"]) == [-40, -3, 25, 5]


def test_no_deviations_gives_empty_frame():
    econ = econ_frame({OMSORG: dict(budget_year=301, forecast_deviation=0)})
    assert ec.largest_deviations(ec.economy_table(units(), econ)).empty


# --- what the pages show: views helpers on economy rows ---------------------------------------------

PREV_ROUND = {"kind": "Delår 1", "period_end": dt.date(2025, 4, 30)}


def test_summary_for_the_whole_namnd(table_prev):
    total = ec.scope_total(table_prev, units(), ec.ALL)
    s = views.economy_summary(total, "tkr", 0, PREV_ROUND)
    assert s["forecast"] == f"+30{NB}tkr"
    assert s["forecast_share"] == f"+3,0{NB}% av budget"  # 30 / 1 000
    assert s["period"] == f"+7{NB}tkr"
    assert s["period_share"] == f"+1,0{NB}% av periodbudget"  # 7 / 667 = 1,05 %
    assert s["change_label"] == "Förändring av prognosen sedan Delår 1 2025"
    assert s["change"] == f"+10{NB}tkr"
    assert s["change_word"] == "förbättring"
    assert s["headline"] == f"Prognosen för helåret: 30{NB}tkr överskott – förbättras med 10{NB}tkr sedan delår 1"
    assert s["any_computed"] is False


def test_summary_marks_computed_forecast(table):
    total = ec.scope_total(table, units(), "forv")
    s = views.economy_summary(total, "tkr", 0, None)
    assert s["forecast"] == f"+30{NB}tkr *"
    assert s["any_computed"] is True
    assert s["change"] == DASH
    assert s["change_word"] == "inget tidigare tillfälle"
    assert s["headline"] == f"Prognosen för helåret: 30{NB}tkr överskott"


def test_summary_deficit_and_worsening():
    total = {"forecast_deviation": -2.2, "budget_year": 624.6, "forecast_change": -1.0,
             "deviation_period": -9.7, "budget_period": 408.5}
    s = views.economy_summary(total, "mnkr", 1, {"kind": "Delår 1", "period_end": dt.date(2023, 4, 30)})
    assert s["forecast"] == f"{MINUS}2,2{NB}mnkr"
    assert s["change"] == f"{MINUS}1,0{NB}mnkr"
    assert s["change_word"] == "försämring"
    assert s["headline"] == (
        f"Prognosen för helåret: 2,2{NB}mnkr underskott – försämras med 1,0{NB}mnkr sedan delår 1"
    )


def test_summary_missing_forecast_is_a_dash_without_computed_marker():
    """A scope with no forecast at all: the figure is `–`, never `– *` (nothing was computed)."""
    u = units()
    econ = econ_frame({SKOLA: dict(budget_year=600)})
    total = ec.scope_total(ec.economy_table(u, econ), u, ec.NAMND_ONLY)
    s = views.economy_summary(total, "tkr", 0, None)
    assert s["forecast"] == DASH
    assert s["headline"] == "Tillfället redovisar ingen helårsprognos"


def test_summary_change_that_rounds_to_zero_is_unchanged():
    """0,1 + 0,2 mnkr now against 0,3 + 0,0 then: the roll-ups differ only by binary float noise.

    The user must not read "förbättras med 0,0 mnkr".
    """
    econ_now = econ_frame({SKOLA: dict(forecast_deviation=0.1), OMSORG: dict(forecast_deviation=0.2)})
    econ_then = econ_frame({SKOLA: dict(forecast_deviation=0.3), OMSORG: dict(forecast_deviation=0.0)})
    table = ec.economy_table(units(), econ_now, econ_then)
    total = ec.scope_total(table, units(), "forv")
    s = views.economy_summary(total, "mnkr", 1, PREV_ROUND)
    assert s["change_word"] == "oförändrad"
    assert "0,0" not in s["headline"]
    assert "förbättras" not in s["headline"] and "försämras" not in s["headline"]


def test_economy_display_amounts_signs_and_computed_stars(table_prev):
    rows = views.visible_rows(table_prev, {TN, FORV})
    shown = views.economy_display(rows, {TN, FORV}, "tkr", 0, "tkr", "Delår 1 2025")
    by_name = {name.strip(" \u2003▾▸"): r for name, (_, r) in zip(shown["Verksamhet"], shown.iterrows(), strict=True)}
    assert set(by_name) == {"Testnämnden", "Nämnden (egna kostnader)", "Testförvaltningen", "100 Skolan",
                            "200 Omsorgen"}
    tn = by_name["Testnämnden"]
    assert tn["Budget helår"] == f"1{NB}000"
    assert tn["Prognosavvikelse"] == "+30"
    assert tn["Prognos helår"] == "970 *"
    forv = by_name["Testförvaltningen"]
    assert forv["Budget helår"] == "901 *"
    assert forv["Periodavvikelse"] == f"{MINUS}10 *"
    omsorg = by_name["200 Omsorgen"]
    assert omsorg["Prognosavvikelse"] == f"{MINUS}20"
    assert omsorg["Prognosavv. Delår 1 2025"] == DASH  # not reported then: no star, no zero
    assert omsorg["Förändring"] == DASH
    assert by_name["100 Skolan"]["Förändring"] == "+10"
    assert by_name["Nämnden (egna kostnader)"]["Prognosavvikelse"] == "0"


def test_economy_display_in_mnkr(table):
    rows = views.visible_rows(table, {TN})
    shown = views.economy_display(rows, {TN}, "tkr", 0, "mnkr", None)
    first = shown.iloc[0]
    assert first["Budget helår"] == "1,0"
    assert first["Prognosavvikelse"] == "0,0"  # 30 tkr = 0,03 mnkr: shown as 0,0, no sign on zero
    assert "Förändring" not in shown.columns


def test_visible_rows_tree_order_and_depth(table):
    rows = views.visible_rows(table, {TN, FORV})
    assert list(rows["unit_id"]) == [TN, NAMNDEN, FORV, SKOLA, OMSORG]
    assert list(rows["tree_depth"]) == [0, 1, 1, 2, 2]
    closed = views.visible_rows(table, set())
    assert list(closed["unit_id"]) == [TN]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"code": "575", "name": "Ekonomiskt bistånd", "level": "verksamhet"}, "575 Ekonomiskt bistånd"),
        ({"code": None, "name": "Rektorer GY", "level": "enhet", "parent_name": "Gymnasieskolan"},
         "Gymnasieskolan › Rektorer GY"),
        ({"code": float("nan"), "name": "Gymnasieskolan", "level": "verksamhetsområde",
          "parent_name": "Förvaltningen"}, "Gymnasieskolan"),
        ({"code": None, "name": "Testnämnden", "level": "nämnd", "parent_name": None}, "Testnämnden"),
    ],
)
def test_unit_label(fields, expected):
    assert views.unit_label(fields) == expected
    assert views.unit_label(pd.Series(fields)) == expected


def test_previous_round_in_another_unit_is_converted_before_comparing():
    import pandas as pd

    from dashboard import economy as ec

    units = pd.DataFrame({"unit_id": [1, 2], "key": ["n", "a"], "name": ["Nämnd", "A"], "level": ["nämnd", "verksamhet"],
                          "parent_id": [None, 1], "parent_name": [None, "Nämnd"], "forvaltning_id": [None, None],
                          "forvaltning_key": [None, None], "forvaltning_name": [None, None], "code": [None, None],
                          "historical": [False, False], "depth": [0, 1], "sort_order": [0, 1]})
    cols = {f: [None] for f in ec.AMOUNT_FIELDS} | {"budget_share_pct": [None]}
    now = pd.DataFrame({"unit_id": [2], **{k: v for k, v in cols.items()}}).assign(forecast_deviation=[-1000.0])  # tkr
    before = pd.DataFrame({"unit_id": [2], **{k: v for k, v in cols.items()}}).assign(forecast_deviation=[-2.0])  # mnkr
    table = ec.economy_table(units, now, before, prev_factor=1000.0).set_index("key")
    assert table.loc["a", "prev_forecast_deviation"] == -2000.0
    assert table.loc["a", "forecast_change"] == 1000.0  # −1 000 tkr now against −2 000 tkr before
    assert table.loc["n", "forecast_change"] == 1000.0 and bool(table.loc["n", "prev_forecast_deviation_computed"])
