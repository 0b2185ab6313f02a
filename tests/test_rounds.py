"""The previous-round rule and the round-kind vocabulary (rounds.py), on plain records."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import rounds as r


def rnd(round_id: int, kind: str, end: str, has_forecast: bool | None = None) -> dict:
    out = {"round_id": round_id, "kind": kind, "period_end": dt.date.fromisoformat(end)}
    if has_forecast is not None:
        out["has_forecast"] = has_forecast
    return out


ROUNDS = [
    rnd(1, "Delår 1", "2024-04-30"),
    rnd(2, "Delår 2", "2024-08-31"),
    rnd(3, "Månad", "2024-10-31", has_forecast=True),
    rnd(4, "Månad", "2024-11-30", has_forecast=False),
    rnd(5, "Bokslut", "2024-12-31"),
    rnd(6, "Delår 1", "2025-04-30"),
    rnd(7, "Delår 2", "2025-08-31"),
    rnd(8, "Bokslut", "2025-12-31"),
]


def prev_id(rounds, round_id):
    this = next(x for x in rounds if x["round_id"] == round_id)
    found = r.previous_round(rounds, this)
    return found["round_id"] if found else None


def test_delar_1_has_no_previous_round_not_last_years_bokslut():
    assert prev_id(ROUNDS, 6) is None
    assert prev_id(ROUNDS, 1) is None


def test_delar_2_compares_with_delar_1_of_the_same_year():
    assert prev_id(ROUNDS, 2) == 1
    assert prev_id(ROUNDS, 7) == 6


def test_bokslut_compares_with_the_latest_forecast_round_of_the_year():
    # November carries no forecast: the Bokslut compares with the October forecast
    assert prev_id(ROUNDS, 5) == 3
    assert prev_id(ROUNDS, 8) == 7


def test_month_rounds_with_a_forecast_are_forecast_rounds():
    assert prev_id(ROUNDS, 3) == 2  # October's forecast against Delår 2
    assert prev_id(ROUNDS, 4) == 3  # November (no forecast) against the latest round of the year
    with_month = [rnd(1, "Delår 1", "2024-04-30"), rnd(2, "Månad", "2024-06-30", has_forecast=True),
                  rnd(3, "Delår 2", "2024-08-31")]
    assert prev_id(with_month, 3) == 2  # Delår 2 against the latest month round before it
    without = [rnd(1, "Delår 1", "2024-04-30"), rnd(2, "Månad", "2024-06-30", has_forecast=False),
               rnd(3, "Delår 2", "2024-08-31")]
    assert prev_id(without, 3) == 1


def test_only_the_rounds_given_count_and_order_does_not_matter():
    visible = [x for x in ROUNDS if x["round_id"] != 2][::-1]  # e.g. Delår 2 is a draft the viewer cannot see
    assert prev_id(visible, 3) == 1
    frame = pd.DataFrame(ROUNDS).iloc[::-1]  # newest first, as queries.rounds returns
    assert r.previous_round(frame, frame.iloc[0].to_dict())["round_id"] == 7


def test_forecast_rounds_of_year_and_headline_round():
    bokslut = ROUNDS[4]
    year = r.forecast_rounds_of_year(ROUNDS, bokslut)
    assert [x["round_id"] for x in year] == [1, 2, 3]
    assert r.headline_forecast_round(year)["round_id"] == 2  # Delår 2, not the later October round
    assert r.headline_forecast_round([ROUNDS[2]])["round_id"] == 3
    assert r.headline_forecast_round([]) is None


def test_names_and_fixed_phrases():
    assert r.round_name(ROUNDS[2]) == "Oktober"
    assert r.round_name_year(ROUNDS[1]) == "Delår 2 2024"
    assert r.forecast_subject(ROUNDS[1]) == "Delår 2-prognosen"
    assert r.forecast_subject(ROUNDS[2]) == "Oktoberprognosen"
    assert r.miss_phrase(ROUNDS[1], "3,1 mnkr", 3.1) == "Delår 2-prognosen var 3,1 mnkr för försiktig"
    assert r.miss_phrase(ROUNDS[1], "3,1 mnkr", -3.1) == "Delår 2-prognosen var 3,1 mnkr för optimistisk"
    assert r.miss_phrase(ROUNDS[1], "0 tkr", 0.0) == "Delår 2-prognosen träffade utfallet"
    assert r.miss_row_phrase(ROUNDS[1], "3,1 mnkr", 3.1) == "Delår 2 låg 3,1 mnkr under utfallet"
    assert r.miss_row_phrase(ROUNDS[1], "3,1 mnkr", -3.1) == "Delår 2 låg 3,1 mnkr över utfallet"


@pytest.mark.parametrize("kind,outcome", [("Bokslut", True), ("Delår 1", False), ("Delår 2", False), ("Månad", False)])
def test_vocabulary_by_kind(kind, outcome):
    words = r.vocabulary({"kind": kind, "period_end": dt.date(2024, 12, 31)})
    assert words.outcome is outcome
    if outcome:
        assert words.headline == "Resultat för helåret"
        assert words.deviation_field == "deviation_period"
        assert not words.show_period
        assert words.change_label(ROUNDS[1]) == "Utfall jämfört med prognosen i Delår 2"
        assert words.change_word(1.0) == "bättre än prognosen"
        assert [h for _, h in words.economy_columns()] == ["Budget helår", "Utfall helår", "Resultat mot budget"]
        assert not any("rognos" in h for _, h in words.economy_columns())
    else:
        assert words.headline == "Prognosen för helåret"
        assert words.deviation_field == "forecast_deviation"
        assert words.change_label(ROUNDS[0]) == "Förändring av prognosen sedan Delår 1 2024"
        assert words.change_word(-1.0) == "försämring"


def test_a_round_given_by_id_and_unknown_or_no_rounds():
    frame = pd.DataFrame(ROUNDS)
    assert r.previous_round(frame, {"round_id": 2})["round_id"] == 1
    assert r.previous_round(frame.iloc[0:0], {"round_id": 1}) is None
    assert r.previous_round(frame, {"round_id": 99}) is None
