"""Status of an indicator value against its målvärde, and the latest status per indicator.

Rules (targets.py docstring, docs/import-format.md "Målvärden"/"Indikatorer"): the printed
comparator is used; without one the indicator's direction decides (högre -> reaching the target
or above, lägre -> at the target or below, ingen -> no judgement); an accumulating indicator is
judged only at year end (or on a forecast); I.U. is never judged; a text-only or missing target
gives no judgement.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import targets as tg

AUG = dt.date(2023, 8, 31)
APR = dt.date(2023, 4, 30)
YEAR_END = dt.date(2023, 12, 31)


# --- evaluate: comparators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "comparator", "expected"),
    [
        (86, 86, "≥", tg.MEETS),
        (90, 86, "≥", tg.MEETS),
        (85.9, 86, "≥", tg.MISSES),
        (30, 30, "≤", tg.MEETS),
        (12, 30, "≤", tg.MEETS),
        (30.1, 30, "≤", tg.MISSES),
        (0.9, 1, "<", tg.MEETS),
        (1, 1, "<", tg.MISSES),
        (1.5, 1, "<", tg.MISSES),
        (1.1, 1, ">", tg.MEETS),
        (1, 1, ">", tg.MISSES),
        (0.5, 1, ">", tg.MISSES),
        (100, 100, "=", tg.MEETS),
        (0.1 + 0.2, 0.3, "=", tg.MEETS),  # equal as printed, despite binary floats
        (99, 100, "=", tg.MISSES),
        (101, 100, "=", tg.MISSES),
        (0, 0, "≤", tg.MEETS),  # zero is a value, not missing
        (0, 5, "≥", tg.MISSES),
    ],
)
def test_every_comparator(value, target, comparator, expected):
    assert tg.evaluate(value, target, comparator=comparator) == expected


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (86, 86, "högre", tg.MEETS),  # reaching the target counts
        (87, 86, "högre", tg.MEETS),
        (85, 86, "högre", tg.MISSES),
        (30, 30, "lägre", tg.MEETS),
        (29, 30, "lägre", tg.MEETS),
        (31, 30, "lägre", tg.MISSES),
    ],
)
def test_direction_decides_when_no_comparator_is_printed(value, target, direction, expected):
    assert tg.evaluate(value, target, direction=direction) == expected
    assert tg.evaluate(value, target, comparator="", direction=direction) == expected


def test_nan_comparator_from_a_frame_means_none_printed():
    assert tg.evaluate(29, 30, comparator=float("nan"), direction="lägre") == tg.MEETS


@pytest.mark.parametrize("value", [0, 5, 10, 100])
def test_direction_ingen_without_comparator_is_not_judged(value):
    assert tg.evaluate(value, 10, direction="ingen") == tg.NO_TARGET


@pytest.mark.parametrize(
    ("value", "comparator", "direction", "expected"),
    [
        (20, "≤", "högre", tg.MEETS),  # printed ≤ beats direction "higher is better"
        (40, "≤", "högre", tg.MISSES),
        (40, "≥", "lägre", tg.MEETS),
        (20, "≥", "lägre", tg.MISSES),
        (30, "<", "lägre", tg.MISSES),  # strict: at the target is not under it
        (30, ">", "högre", tg.MISSES),
        (40, "≥", "ingen", tg.MEETS),  # a printed comparator judges even without direction
        (20, "≥", "ingen", tg.MISSES),
    ],
)
def test_printed_comparator_overrides_direction(value, comparator, direction, expected):
    assert tg.evaluate(value, 30, comparator=comparator, direction=direction) == expected


def test_effective_comparator():
    assert tg.effective_comparator("<", "högre") == "<"
    assert tg.effective_comparator(None, "högre") == "≥"
    assert tg.effective_comparator(None, "lägre") == "≤"
    assert tg.effective_comparator(None, "ingen") is None
    assert tg.effective_comparator("", "lägre") == "≤"


# --- evaluate: accumulating indicators -------------------------------------------------------


@pytest.mark.parametrize("value", [10, 500, 10_000])
def test_accumulating_part_way_is_pending_whatever_the_value(value):
    status = tg.evaluate(value, 500, accumulation="ackumulerande", value_period_end=AUG)
    assert status == tg.PENDING
    assert status.label == "Bedöms vid helår"


def test_accumulating_against_target_period_part_way_is_pending():
    status = tg.evaluate(
        700, 500, accumulation="ackumulerande", value_period_end=AUG, target_period_end=YEAR_END
    )
    assert status == tg.PENDING


def test_accumulating_at_year_end_is_judged():
    kw = dict(accumulation="ackumulerande", value_period_end=YEAR_END)
    assert tg.evaluate(520, 500, **kw) == tg.MEETS
    assert tg.evaluate(480, 500, **kw) == tg.MISSES
    assert tg.evaluate(480, 500, direction="lägre", **kw) == tg.MEETS


def test_accumulating_target_period_not_calendar_year():
    """A läsår target ending 30 June: judged on 30 June, pending before."""
    school_year_end = dt.date(2024, 6, 30)
    kw = dict(accumulation="ackumulerande", target_period_end=school_year_end)
    assert tg.evaluate(90, 100, value_period_end=dt.date(2024, 4, 30), **kw) == tg.PENDING
    assert tg.evaluate(90, 100, value_period_end=school_year_end, **kw) == tg.MISSES


def test_accumulating_forecast_is_judged_part_way():
    kw = dict(accumulation="ackumulerande", value_period_end=AUG, value_type="prognos")
    assert tg.evaluate(520, 500, **kw) == tg.MEETS
    assert tg.evaluate(480, 500, **kw) == tg.MISSES


@pytest.mark.parametrize("accumulation", ["andel", "ögonblick"])
def test_non_accumulating_is_judged_part_way(accumulation):
    assert tg.evaluate(90, 86, accumulation=accumulation, value_period_end=APR) == tg.MEETS
    assert tg.evaluate(80, 86, accumulation=accumulation, value_period_end=APR) == tg.MISSES


# --- evaluate: missing value, missing target -------------------------------------------------


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_value_is_never_judged(missing):
    assert tg.evaluate(missing, 86, comparator="≥") == tg.MISSING
    assert tg.evaluate(missing, 0, comparator="≤") == tg.MISSING  # not read as 0 ≤ 0
    assert tg.evaluate(missing, None) == tg.MISSING
    assert tg.evaluate(missing, 500, accumulation="ackumulerande", value_period_end=YEAR_END) == tg.MISSING


@pytest.mark.parametrize("target", [None, float("nan")])
def test_missing_target_is_no_judgement(target):
    assert tg.evaluate(90, target) == tg.NO_TARGET
    assert tg.evaluate(90, target, comparator="≥") == tg.NO_TARGET


def test_statuses_carry_word_and_symbol_not_only_colour():
    statuses = [tg.MEETS, tg.MISSES, tg.PENDING, tg.MISSING, tg.NO_TARGET]
    assert len({s.symbol for s in statuses}) == len(statuses)
    assert len({s.label for s in statuses}) == len(statuses)
    assert "I.U." in tg.MISSING.label
    assert tg.STATUSES["uppfylls_ej"] is tg.MISSES


# --- latest_status -----------------------------------------------------------------------------

IND_COLUMNS = ["indicator_id", "key", "name", "kind", "measure_unit", "direction", "accumulation",
               "goal_id", "goal_key", "goal_name", "unit_id", "source", "kolada_id", "footnote", "sort_order"]
VALUE_COLUMNS = ["indicator_id", "unit_id", "unit_key", "unit_name", "unit_level", "period_end", "period_label",
                 "value_type", "gender", "breakdown", "source_table", "value", "missing", "old_method_value",
                 "footnote"]
TARGET_COLUMNS = ["indicator_id", "unit_id", "unit_key", "gender", "breakdown", "period_end", "period_label",
                  "source_table", "comparator", "target_value", "target_text"]

GODKANDA, DELTAGARE, SJUK = 1, 2, 3
UNITS = {5: ("skola", "Skolan"), 6: ("vux", "Vuxenutbildningen")}


def indicators() -> pd.DataFrame:
    rows = [
        (GODKANDA, "godkanda", "Andel godkända", "nämndindikator", "%", "högre", "andel", 10, "m1", "Mål 1",
         None, None, None, None, 1),
        (DELTAGARE, "deltagare", "Antal deltagare", "volymtal", "antal", "högre", "ackumulerande", 10, "m1",
         "Mål 1", None, None, None, None, 2),
        (SJUK, "sjuk", "Sjukfrånvaro", "personal", "%", "lägre", "ögonblick", None, None, None,
         None, None, None, None, 3),
    ]
    return pd.DataFrame(rows, columns=IND_COLUMNS)


def val(indicator_id, period_end, value, *, unit_id=5, gender="T", breakdown="", source_table="",
        value_type="utfall", missing=False, label=None):
    key, name = UNITS[unit_id]
    return (indicator_id, unit_id, key, name, "verksamhet", period_end, label or period_end.isoformat(),
            value_type, gender, breakdown, source_table, None if missing else value, missing, None, None)


def tgt(indicator_id, period_end, target_value, *, unit_id=5, gender="T", breakdown="", comparator=None,
        text=None):
    return (indicator_id, unit_id, UNITS[unit_id][0], gender, breakdown, period_end, str(period_end.year),
            "", comparator, target_value, text)


def values_frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=VALUE_COLUMNS)


def targets_frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=TARGET_COLUMNS)


def one(result: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=result.index)
    for col, v in where.items():
        mask &= result[col] == v
    rows = result[mask]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]


def test_latest_period_is_judged_not_an_older_or_forecast_one():
    values = values_frame(
        val(GODKANDA, AUG, 80.0, label="Augusti 2023"),  # latest actual, given first on purpose
        val(GODKANDA, dt.date(2022, 12, 31), 90.0, label="Helår 2022"),
        val(GODKANDA, YEAR_END, 95.0, value_type="prognos", label="Prognos 2023"),
    )
    targets = targets_frame(tgt(GODKANDA, YEAR_END, 86.0))
    result = tg.latest_status(indicators(), values, targets)
    assert len(result) == 1
    row = result.iloc[0]
    assert row["period_end"] == AUG
    assert row["period_label"] == "Augusti 2023"
    assert row["value"] == pytest.approx(80.0)
    assert row["target_value"] == pytest.approx(86.0)
    assert row["comparator"] == "≥"  # from direction högre; none printed
    assert row["status"] == tg.MISSES.code
    assert not row["conflict"]
    assert row["name"] == "Andel godkända"
    assert row["unit_name"] == "Skolan"


def test_latest_value_iu_is_missing_even_if_older_value_exists():
    values = values_frame(
        val(GODKANDA, dt.date(2022, 12, 31), 90.0),
        val(GODKANDA, AUG, None, missing=True),
    )
    result = tg.latest_status(indicators(), values, targets_frame(tgt(GODKANDA, YEAR_END, 86.0)))
    row = result.iloc[0]
    assert row["period_end"] == AUG
    assert row["value"] is None or math.isnan(row["value"])
    assert row["status"] == tg.MISSING.code


def test_conflict_when_two_tables_print_different_values():
    values = values_frame(
        val(SJUK, AUG, 6.1, source_table="Nämndindikatorer"),
        val(SJUK, AUG, 6.4, source_table="Personal"),
    )
    result = tg.latest_status(indicators(), values, targets_frame(tgt(SJUK, YEAR_END, 6.0)))
    assert len(result) == 1  # one status per indicator × unit × gender × breakdown
    row = result.iloc[0]
    assert bool(row["conflict"]) is True
    assert row["value"] in (pytest.approx(6.1), pytest.approx(6.4))


def test_no_conflict_when_tables_agree():
    values = values_frame(
        val(SJUK, AUG, 6.1, source_table="Nämndindikatorer"),
        val(SJUK, AUG, 6.1, source_table="Personal"),
    )
    result = tg.latest_status(indicators(), values, targets_frame(tgt(SJUK, YEAR_END, 6.0)))
    row = result.iloc[0]
    assert bool(row["conflict"]) is False
    assert row["status"] == tg.MISSES.code  # 6,1 % sick leave against ≤ 6,0 (lägre)
    assert row["comparator"] == "≤"


def test_conflict_only_counts_the_latest_period():
    values = values_frame(
        val(SJUK, dt.date(2022, 12, 31), 5.0, source_table="Nämndindikatorer"),
        val(SJUK, dt.date(2022, 12, 31), 5.5, source_table="Personal"),
        val(SJUK, AUG, 6.1, source_table="Nämndindikatorer"),
        val(SJUK, AUG, 6.1, source_table="Personal"),
    )
    result = tg.latest_status(indicators(), values, targets_frame())
    assert bool(result.iloc[0]["conflict"]) is False


def test_conflict_when_one_table_prints_iu_and_another_a_number():
    """`I.U.` in one table and 6,1 in another is printing the same measure differently."""
    values = values_frame(
        val(SJUK, AUG, None, missing=True, source_table="Nämndindikatorer"),
        val(SJUK, AUG, 6.1, source_table="Personal"),
    )
    result = tg.latest_status(indicators(), values, targets_frame(tgt(SJUK, YEAR_END, 6.0)))
    assert bool(result.iloc[0]["conflict"]) is True


def test_target_chosen_per_gender():
    values = values_frame(
        val(GODKANDA, AUG, 85.0, gender="K"),
        val(GODKANDA, AUG, 75.0, gender="M"),
        val(GODKANDA, AUG, 80.0, gender="T"),
    )
    targets = targets_frame(
        tgt(GODKANDA, YEAR_END, 80.0, gender="K"),
        tgt(GODKANDA, YEAR_END, 70.0, gender="M"),
        tgt(GODKANDA, YEAR_END, 90.0, gender="T"),
    )
    result = tg.latest_status(indicators(), values, targets)
    assert len(result) == 3
    k, m, t = (one(result, gender=g) for g in "KMT")
    assert (k["target_value"], k["status"]) == (80.0, tg.MEETS.code)
    assert (m["target_value"], m["status"]) == (70.0, tg.MEETS.code)
    assert (t["target_value"], t["status"]) == (90.0, tg.MISSES.code)


def test_target_chosen_per_unit():
    values = values_frame(val(GODKANDA, AUG, 85.0, unit_id=5), val(GODKANDA, AUG, 85.0, unit_id=6))
    targets = targets_frame(tgt(GODKANDA, YEAR_END, 80.0, unit_id=6))
    result = tg.latest_status(indicators(), values, targets)
    skola, vux = one(result, unit_id=5), one(result, unit_id=6)
    assert skola["status"] == tg.NO_TARGET.code  # the other unit's target is not borrowed
    assert skola["target_value"] is None or math.isnan(skola["target_value"])
    assert vux["status"] == tg.MEETS.code
    assert vux["unit_key"] == "vux"


def test_target_chosen_per_breakdown():
    values = values_frame(
        val(GODKANDA, AUG, 70.0, breakdown="AMC"),
        val(GODKANDA, AUG, 70.0, breakdown=""),
    )
    targets = targets_frame(tgt(GODKANDA, YEAR_END, 65.0, breakdown="AMC"),
                            tgt(GODKANDA, YEAR_END, 75.0, breakdown=""))
    result = tg.latest_status(indicators(), values, targets)
    amc, total = one(result, breakdown="AMC"), one(result, breakdown="")
    assert (amc["target_value"], amc["status"]) == (65.0, tg.MEETS.code)
    assert (total["target_value"], total["status"]) == (75.0, tg.MISSES.code)


def test_target_of_the_value_period_is_used():
    targets = targets_frame(tgt(GODKANDA, YEAR_END, 86.0), tgt(GODKANDA, dt.date(2024, 12, 31), 88.0))
    v2023 = tg.latest_status(indicators(), values_frame(val(GODKANDA, AUG, 87.0)), targets).iloc[0]
    assert (v2023["target_value"], v2023["status"]) == (86.0, tg.MEETS.code)
    v2024 = tg.latest_status(indicators(), values_frame(val(GODKANDA, dt.date(2024, 4, 30), 87.0)),
                             targets).iloc[0]
    assert (v2024["target_value"], v2024["status"]) == (88.0, tg.MISSES.code)


def test_without_a_current_target_the_nearest_earlier_one_is_used_not_the_oldest():
    """Targets for 2022 (80) and 2023 (90), a value from April 2024: 2023's target is the nearest."""
    targets = targets_frame(tgt(GODKANDA, dt.date(2022, 12, 31), 80.0), tgt(GODKANDA, YEAR_END, 90.0))
    row = tg.latest_status(indicators(), values_frame(val(GODKANDA, dt.date(2024, 4, 30), 85.0)),
                           targets).iloc[0]
    assert row["target_value"] == pytest.approx(90.0)
    assert row["status"] == tg.MISSES.code


def test_accumulating_indicator_pending_mid_year_judged_at_year_end():
    targets = targets_frame(tgt(DELTAGARE, YEAR_END, 500.0))
    mid = tg.latest_status(indicators(), values_frame(val(DELTAGARE, AUG, 600.0)), targets).iloc[0]
    assert mid["status"] == tg.PENDING.code
    end = tg.latest_status(
        indicators(), values_frame(val(DELTAGARE, AUG, 300.0), val(DELTAGARE, YEAR_END, 480.0)), targets
    ).iloc[0]
    assert end["period_end"] == YEAR_END
    assert end["status"] == tg.MISSES.code


def test_printed_comparator_wins_and_is_reported():
    targets = targets_frame(tgt(SJUK, YEAR_END, 6.0, comparator="<"))
    row = tg.latest_status(indicators(), values_frame(val(SJUK, AUG, 6.0)), targets).iloc[0]
    assert row["comparator"] == "<"
    assert row["status"] == tg.MISSES.code  # 6,0 is not below 6,0


def test_text_only_target_is_no_judgement():
    targets = targets_frame(tgt(GODKANDA, YEAR_END, None, text="Målvärde sätts under 2023"))
    row = tg.latest_status(indicators(), values_frame(val(GODKANDA, AUG, 85.0)), targets).iloc[0]
    assert row["status"] == tg.NO_TARGET.code
    assert row["target_text"] == "Målvärde sätts under 2023"


def test_no_target_at_all():
    row = tg.latest_status(indicators(), values_frame(val(GODKANDA, AUG, 85.0)), targets_frame()).iloc[0]
    assert row["status"] == tg.NO_TARGET.code
    assert row["target_value"] is None
    assert row["comparator"] is None


def test_direction_ingen_is_not_judged():
    ind = indicators()
    ind.loc[ind["indicator_id"] == GODKANDA, "direction"] = "ingen"
    row = tg.latest_status(ind, values_frame(val(GODKANDA, AUG, 85.0)),
                           targets_frame(tgt(GODKANDA, YEAR_END, 80.0))).iloc[0]
    assert row["status"] == tg.NO_TARGET.code


def test_one_row_per_indicator_unit_gender_breakdown():
    values = values_frame(
        val(GODKANDA, AUG, 85.0),
        val(SJUK, AUG, 5.0),
        val(SJUK, AUG, 5.5, unit_id=6),
        val(SJUK, AUG, 4.0, gender="K"),
    )
    result = tg.latest_status(indicators(), values, targets_frame())
    keys = set(zip(result["indicator_id"], result["unit_id"], result["gender"], result["breakdown"], strict=True))
    assert keys == {(GODKANDA, 5, "T", ""), (SJUK, 5, "T", ""), (SJUK, 6, "T", ""), (SJUK, 5, "K", "")}


def test_no_values_no_rows():
    assert tg.latest_status(indicators(), values_frame(), targets_frame()).empty
