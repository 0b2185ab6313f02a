"""Prognossäkerhet's speed-ups that must change nothing, each against the computation it replaced,
on the built-in reports with the Bokslut workbooks (SQLite and PostgreSQL) and on the bench's
small synthetic kommun (a Bokslut per year against eleven month forecasts):

- `accuracy.compare` writing its texts column by column (`_texts`, `_pct_texts`, `_phrases`)
  gives exactly the frame the value-by-value version gave, in both units and every scope;
- the percent texts and amounts on edge values (halves, −0,0, NaN, huge values) equal the
  decimal rounding's;
- the texts an Accuracy writes only when asked (one round, some rows, the headline, the chart's
  rows) equal the same part of every row written at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import accuracy as acc
from dashboard import formatting as fmt
from dashboard import queries
from dashboard import rounds as rd


def _compare_reference(units: pd.DataFrame, outcome_round: dict, outcome_table: pd.DataFrame,
                       forecasts: list[tuple[dict, pd.DataFrame]], to_unit: str | None = None,
                       unit_ids: list[int] | None = None) -> acc.Accuracy:
    """accuracy.compare before its texts were written column by column (the reference)."""
    to_unit = to_unit or outcome_round["amount_unit"]
    order, children = acc.tree_of(units)
    historical = set(int(u) for u in units.loc[units["historical"].astype(bool), "unit_id"]) if "historical" in units else set()
    info = units.assign(unit_id=units["unit_id"].astype(int)).set_index("unit_id")
    labels = {int(r.unit_id): acc._label(r) for r in units.itertuples()}
    scope = set(int(u) for u in unit_ids) if unit_ids is not None else None
    cols = ["unit_id", "value", "computed", "own", "budget_year"]
    texts: dict[tuple, dict] = {}  # per text function: the texts of the amounts already written

    def shared(key: tuple) -> dict:
        return texts.setdefault(key, {})

    def side(table: pd.DataFrame, field_name: str) -> pd.DataFrame:
        if table.empty:
            return pd.DataFrame(columns=cols)
        out = pd.DataFrame({"unit_id": table["unit_id"].astype(int), "value": table[field_name].astype(float),
                            "computed": table[field_name + "_computed"].astype(bool),
                            "own": table["own_forecast"].astype(bool), "budget_year": table["budget_year"].astype(float)})
        out = out[out["value"].notna()]
        keep = out["unit_id"].isin(info.index)
        if scope is not None:
            keep &= out["unit_id"].isin(scope)
        return out[keep]

    outcome = side(outcome_table, "deviation_period")
    out_cov = acc._coverage(outcome_table, "deviation_period", children, historical) if len(outcome_table) else {}
    forecast_rounds = sorted([r for r, _ in forecasts], key=lambda r: r["period_end"])
    parts, missing = [], []
    for rnd, table in sorted(forecasts, key=lambda pair: pair[0]["period_end"]):
        name, fc = rd.round_name(rnd), side(table, "forecast_deviation")
        both = outcome.merge(fc, on="unit_id", how="outer", suffixes=("_o", "_f"), indicator=True)
        for uid in both.loc[both["_merge"] == "right_only", "unit_id"]:
            missing.append((int(uid), name, f"Prognos i {name} men inget utfall i bokslutet"))
        for uid in both.loc[both["_merge"] == "left_only", "unit_id"]:
            missing.append((int(uid), name, f"Utfall i bokslutet men ingen prognos i {name}"))
        both = both[both["_merge"] == "both"].drop(columns="_merge")
        sums = both[~both["own_o"].astype(bool) & ~both["own_f"].astype(bool)]  # a sum in both reports: same rows?
        if len(sums):
            f_cov = acc._coverage(table, "forecast_deviation", children, historical)
            differ = [int(u) for u in sums["unit_id"] if out_cov.get(int(u)) != f_cov.get(int(u))]
            for uid in differ:
                missing.append((uid, name, "Ingen av rapporterna skriver ut summan, och summorna bygger på olika "
                                f"rader ({name}: {len(f_cov.get(uid, ()))}, bokslutet: {len(out_cov.get(uid, ()))})"))
            both = both[~both["unit_id"].isin(differ)]
        if both.empty:
            continue
        o_val, o_step, o_dec = acc._shown_column(both["value_o"], outcome_round, to_unit)
        f_val, f_step, f_dec = acc._shown_column(both["value_f"], rnd, to_unit)
        step = max(o_step, f_step)
        miss_dec = acc._step_decimals(step)
        miss = acc._round_to(o_val - f_val, step, miss_dec)
        use_outcome_budget = both["budget_year_o"].notna().to_numpy()
        b_o, _, b_o_dec = acc._shown_column(both["budget_year_o"], outcome_round, to_unit)
        b_f, _, b_f_dec = acc._shown_column(both["budget_year_f"], rnd, to_unit)
        budget = np.where(use_outcome_budget, b_o, b_f)
        budget_dec = np.where(use_outcome_budget, b_o_dec, b_f_dec)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(np.isfinite(budget) & (budget != 0), 100 * miss / np.abs(budget), np.nan)
        computed = (both["computed_o"].astype(bool) | both["computed_f"].astype(bool)).to_numpy()
        star = np.where(computed, " *", "")
        o_star = np.where(both["computed_o"].astype(bool), " *", "")
        f_star = np.where(both["computed_f"].astype(bool), " *", "")
        abs_text = acc._each(np.abs(miss), lambda v: acc._text(v, miss_dec, to_unit, signed=False), shared(("abs", miss_dec)))
        sign = np.sign(miss).tolist()  # a miss is never missing here: both sides have a value
        ids = both["unit_id"].astype(int).to_numpy()
        notes = []
        for fb, ob in zip(b_f, b_o, strict=True):
            notes.append("" if np.isnan(fb) or np.isnan(ob) or fb == ob else
                         f"Budgeten ändrades: {acc._text(fb, b_f_dec, to_unit, False)} i {name}, "
                         f"{acc._text(ob, b_o_dec, to_unit, False)} i bokslutet")
        parts.append(pd.DataFrame({
            "unit_id": ids, "key": info.loc[ids, "key"].to_numpy(), "name": info.loc[ids, "name"].to_numpy(),
            "label": [labels[u] for u in ids], "level": info.loc[ids, "level"].to_numpy(),
            "depth": info.loc[ids, "depth"].astype(int).to_numpy(), "order": [order.get(u, 0) for u in ids],
            "round_id": rnd["round_id"], "round_name": name, "round_period_end": rnd["period_end"],
            "budget": [None if np.isnan(b) else float(b) for b in budget],
            "budget_text": acc._each(zip(budget.tolist(), budget_dec.tolist(), strict=True),
                                 lambda bd: acc._text(None if np.isnan(bd[0]) else bd[0], int(bd[1]), to_unit, False),
                                 shared(("budget",))),
            "forecast": f_val, "forecast_text": acc._with_star(acc._each(f_val, lambda v: acc._text(v, f_dec, to_unit),
                                                                 shared(("signed", f_dec))), f_star),
            "outcome": o_val, "outcome_text": acc._with_star(acc._each(o_val, lambda v: acc._text(v, o_dec, to_unit),
                                                               shared(("signed", o_dec))), o_star),
            "miss": miss, "miss_text": acc._with_star(acc._signed(abs_text, sign), star),
            "miss_abs_text": abs_text,
            "miss_pct": [None if np.isnan(p) else float(p) for p in pct],
            "miss_pct_text": acc._each(pct, lambda p: fmt.MISSING if np.isnan(p) else
                                   acc._number(fmt.round_half_up(p, 1), 1, signed=True) + fmt.NBSP + "%", shared(("pct",))),
            # the phrase of a row follows from the unsigned text and the sign of its miss
            "phrase": acc._each(zip(abs_text, sign, strict=True), lambda ts: rd.miss_phrase(rnd, ts[0], ts[1])),
            "row_phrase": acc._each(zip(abs_text, sign, strict=True), lambda ts: rd.miss_row_phrase(rnd, ts[0], ts[1])),
            "computed": computed, "note": notes,
            "forecast_dec": f_dec, "outcome_dec": o_dec, "miss_dec": miss_dec, "budget_dec": budget_dec.astype(int),
        }))
    frame = pd.concat(parts, ignore_index=True)[acc.COLUMNS] if parts else pd.DataFrame(columns=acc.COLUMNS)
    if len(frame):
        frame = frame.sort_values(["order", "round_period_end"], kind="stable").reset_index(drop=True)
    nc = pd.DataFrame([{"unit_id": u, "order": order.get(u, 0), "label": labels.get(u, str(u)), "round_name": n,
                        "reason": reason} for u, n, reason in missing],
                      columns=["unit_id", "order", "label", "round_name", "reason"])
    if len(nc):
        nc = nc.sort_values(["order"], kind="stable").reset_index(drop=True)
    return acc.Accuracy(outcome_round, forecast_rounds, rd.headline_forecast_round(forecast_rounds), to_unit, frame, nc)


def _fetch(engine):
    return lambda name, *args: getattr(queries, name)(engine, *args)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The bench's small synthetic kommun, its trees stored as init-db stores them."""
    from dashboard.bench import SCALES, generate
    from dashboard.db import make_engine, upgrade
    from dashboard.rollups import backfill

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('psak') / 's.db'}")
    upgrade(eng)
    generate(eng, SCALES["small"])
    backfill(eng)
    yield eng
    eng.dispose()


def _boksluts(engine, fetch):
    """(its nämnd's rounds, Bokslut round) of every Bokslut."""
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        rounds = fetch("rounds", int(namnd_id))
        for rnd in [r for r in rounds.to_dict("records") if rd.is_outcome(r)]:
            yield rounds, rnd


def _cases(engine):
    """(units, Bokslut round, its year's forecast rounds, economy fn) of every Bokslut."""
    fetch = _fetch(engine)
    economy = acc.economy_fn(fetch)
    for rounds, rnd in _boksluts(engine, fetch):
        yield fetch("units", int(rnd["round_id"])), rnd, rd.forecast_rounds_of_year(rounds, rnd), economy


def _compare_both_ways(engine) -> int:
    compared = 0
    for units, rnd, year, economy in _cases(engine):
        forecasts = [(r, economy(r)) for r in year]
        outcome = economy(rnd)
        scopes = [None] + [[int(u) for u in units.loc[units["forvaltning_id"] == f, "unit_id"]]
                           for f in units["forvaltning_id"].dropna().unique()][:3]
        for to_unit in ("tkr", "mnkr"):
            for scope in scopes:
                # every forecast of the year, and each alone (across_years compares the headline alone)
                for fc in [forecasts] + [[f] for f in forecasts[-2:]]:
                    a = acc.compare(units, rnd, outcome, fc, to_unit, scope)
                    b = _compare_reference(units, rnd, outcome, fc, to_unit, scope)
                    pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
                    pd.testing.assert_frame_equal(a.not_comparable, b.not_comparable, check_exact=True)
                    assert a.headline_round == b.headline_round
                    compared += len(a.rows)
    return compared


def test_compare_with_column_texts_equals_the_value_by_value_version(bokslut_engine):
    assert _compare_both_ways(bokslut_engine) > 100  # Luleå's Bokslut against their Delår


def test_compare_with_column_texts_equals_the_value_by_value_version_synthetic(synthetic):
    assert _compare_both_ways(synthetic) > 1000



def _without_budget(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(budget_year=np.nan)


def _compare_without_budgets(engine) -> int:
    """A round whose report gives no budget at all: its rows' budgets are missing (None), beside
    rounds that have one – the frame of every round's rows types them as the frames per round did."""
    compared = 0
    for units, rnd, year, economy in _cases(engine):
        if len(year) < 2:
            continue
        outcome = _without_budget(economy(rnd))  # the forecasts' budgets, where they have one
        forecasts = [(r, economy(r)) for r in year]
        for blank in ([0], [len(year) - 1], list(range(len(year)))):  # one round without, or every round
            fc = [(r, _without_budget(t) if i in blank else t) for i, (r, t) in enumerate(forecasts)]
            a = acc.compare(units, rnd, outcome, fc, "tkr")
            b = _compare_reference(units, rnd, outcome, fc, "tkr")
            pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
            assert [type(v) for v in a.rows["budget"]] == [type(v) for v in b.rows["budget"]]
            compared += len(a.rows)
    return compared


def test_rounds_without_a_budget_compare_as_before(bokslut_engine):
    assert _compare_without_budgets(bokslut_engine) > 10


def test_rounds_without_a_budget_compare_as_before_synthetic(synthetic):
    assert _compare_without_budgets(synthetic) > 1000


@pytest.mark.parametrize("parts", [
    [[1.5, 2.0], [3.0]],  # every round has its values
    [[1.5, np.nan], [np.nan, np.nan], [2.5]],  # one round without any, beside rounds with some
    [[np.nan], [np.nan, np.nan]],  # no round has any
])
def test_optional_floats_are_the_column_the_frames_per_round_made(parts):
    expected = pd.concat([pd.DataFrame({"x": [None if np.isnan(v) else float(v) for v in p]}) for p in parts],
                         ignore_index=True)["x"]
    got = pd.DataFrame({"x": acc._optional_floats([np.array(p, dtype=float) for p in parts])})["x"]
    pd.testing.assert_series_equal(got, expected, check_exact=True)
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_texts_on_edge_values_equal_the_value_by_value_texts():
    values = np.array([0.0, -0.0, np.nan, 1.5, -1.5, 1e15, -2.2, 123456.7, 999.95, -0.05, 0.05, 1234567.0, 2.5])
    for decimals in (0, 1, 2):
        for signed in (True, False):
            assert acc._texts(values, decimals, "mnkr", signed) == [acc._text(v, decimals, "mnkr", signed)
                                                                  for v in values.tolist()]
    halves = np.array([0.05, 0.15, 0.25, 1.45, -1.45, 2.675, -0.05, 0.0, -0.0, 12.25, 99.95, -99.95, 1e9 + 0.05,
                       np.nan, 33.333333, -66.666666, 1e-12, 7.049999999, 7.0500000001])
    expected = [fmt.MISSING if np.isnan(p) else acc._number(fmt.round_half_up(p, 1), 1, signed=True) + fmt.NBSP + "%"
                for p in halves.tolist()]
    assert acc._pct_texts(halves, {}) == expected
    rng = np.random.default_rng(1)
    many = np.array([round(x, int(d)) for x, d in zip(rng.normal(0, 40, 20_000), rng.integers(0, 4, 20_000))])
    assert acc._pct_texts(many, {}) == [acc._number(fmt.round_half_up(p, 1), 1, signed=True) + fmt.NBSP + "%"
                                        for p in many.tolist()]


def _only_the_compared_rounds(engine) -> int:
    """for_round and across_years read from the rounds `rounds_compared` names alone (any other
    round's tree asked for fails) equal the comparison from every round's whole tree."""
    fetch = _fetch(engine)
    whole = acc.economy_fn(fetch)
    compared = 0
    for rounds, rnd in _boksluts(engine, fetch):
        needed = acc.rounds_compared(rounds, rnd)

        def not_read(r, needed=needed):
            raise AssertionError(f"round {r['round_id']} is not in {needed}")

        stored = acc.stored_economy_fn(acc.comparison_tables(fetch("economy_rollup_comparison_of", needed)), not_read)
        units = fetch("units", int(rnd["round_id"]))
        for to_unit in ("tkr", "mnkr"):
            a = acc.for_round(fetch, whole, units, rounds, rnd, to_unit)
            b = acc.for_round(fetch, stored, units, rounds, rnd, to_unit)
            pd.testing.assert_frame_equal(a.rows, b.rows, check_exact=True)
            pd.testing.assert_frame_equal(a.not_comparable, b.not_comparable, check_exact=True)
            pd.testing.assert_frame_equal(acc.across_years(whole, units, rounds, to_unit, until=rnd),
                                          acc.across_years(stored, units, rounds, to_unit, until=rnd),
                                          check_exact=True)
            compared += len(a.rows)
        assert len(needed) < len(rounds) or len(rounds) <= 3
    return compared


def test_the_compared_rounds_alone_give_the_same_comparison(bokslut_engine):
    assert _only_the_compared_rounds(bokslut_engine) > 100


def test_the_compared_rounds_alone_give_the_same_comparison_synthetic(synthetic):
    assert _only_the_compared_rounds(synthetic) > 1000


def _years_with_the_known_year(engine) -> int:
    """across_years taking this Bokslut's headline rows from its whole comparison (`known`) equals
    comparing the headline round alone, in both units and every scope."""
    fetch = _fetch(engine)
    economy = acc.economy_fn(fetch)
    compared = 0
    for namnd_id in queries.namnder(engine)["namnd_id"]:
        rounds = fetch("rounds", int(namnd_id))
        for rnd in [r for r in rounds.to_dict("records") if rd.is_outcome(r)]:
            units = fetch("units", int(rnd["round_id"]))
            scopes = [None] + [[int(u) for u in units.loc[units["forvaltning_id"] == f, "unit_id"]]
                               for f in units["forvaltning_id"].dropna().unique()][:3]
            for to_unit in ("tkr", "mnkr"):
                for scope in scopes:
                    known = acc.for_round(fetch, economy, units, rounds, rnd, to_unit, scope)
                    got = acc.across_years(economy, units, rounds, to_unit, scope, until=rnd, known=known)
                    want = acc.across_years(economy, units, rounds, to_unit, scope, until=rnd)
                    pd.testing.assert_frame_equal(got, want, check_exact=True)
                    # each year's texts as every row's texts written whole gave them
                    reference = _across_years_reference(economy, units, rounds, to_unit, scope, rnd)
                    pd.testing.assert_frame_equal(want, reference, check_exact=True)
                    compared += len(got)
    return compared


def _across_years_reference(economy, units: pd.DataFrame, rounds: pd.DataFrame, to_unit: str,
                            unit_ids: list[int] | None, until: dict) -> pd.DataFrame:
    """across_years from each year's comparison with all its texts (the reference)."""
    records = rounds.to_dict("records")
    parts = []
    for b in sorted((r for r in records if rd.is_outcome(r) and r["period_end"] <= until["period_end"]),
                    key=lambda r: r["period_end"]):
        head = rd.headline_forecast_round(rd.forecast_rounds_of_year(records, b))
        if head is None:
            continue
        rows = _compare_reference(units, b, economy(b), [(head, economy(head))], to_unit, unit_ids).rows
        if len(rows):
            parts.append(rows.assign(year=b["period_end"].year))
    cols = ["unit_id", "label", "level", "depth", "order", "year", "round_name", "miss", "miss_text", "phrase", "computed"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def test_years_with_the_known_year_equal_the_years_compared_alone(bokslut_engine):
    assert _years_with_the_known_year(bokslut_engine) > 20


def test_years_with_the_known_year_equal_the_years_compared_alone_synthetic(synthetic):
    assert _years_with_the_known_year(synthetic) > 1000


def _frame(ids: list, values: list) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({"unit_id": ids, "value": values, "computed": [False] * n, "own": [True] * n,
                         "budget_year": [100.0] * n})


@pytest.mark.parametrize("outcome_ids, forecast_ids", [
    ([1, 2, 3, 7], [2, 3, 4, 9]),  # units on one side only, either way
    ([5, 1, 3], [3, 5, 1]),  # both sides in another order than by id
    ([7, 1, 3], [3, 9, 2]), ([9, 2], [5, 1, 4]),  # one side's own units not in id order
    ([], [1, 2]), ([1, 2], []),  # a side without rows
    ([1, 1, 2], [1, 2]),  # not one row per unit: paired as the merge pairs them
])
def test_match_equals_the_outer_merge_it_replaced(outcome_ids, forecast_ids):
    """compare's `_match`: the rows on both sides (columns, values and order) and the units of one
    side only, in id order, exactly as the outer merge with an indicator that it replaced."""
    outcome = _frame(outcome_ids, [10.0 * i for i in range(len(outcome_ids))])
    forecast = _frame(forecast_ids, [-1.5 * i for i in range(len(forecast_ids))])
    both, forecast_only, outcome_only = acc._match(outcome, forecast)
    both = pd.DataFrame(both)  # the units on both sides, as columns
    merged = outcome.merge(forecast, on="unit_id", how="outer", suffixes=("_o", "_f"), indicator=True)
    expected = merged[merged["_merge"] == "both"].drop(columns="_merge").reset_index(drop=True)
    assert list(both.columns) == list(expected.columns)
    assert both.reset_index(drop=True).astype(float).equals(expected.astype(float))
    assert [int(u) for u in forecast_only] == [int(u) for u in merged.loc[merged["_merge"] == "right_only", "unit_id"]]
    assert [int(u) for u in outcome_only] == [int(u) for u in merged.loc[merged["_merge"] == "left_only", "unit_id"]]
    assert sorted(set(forecast_ids) - set(outcome_ids)) == [int(u) for u in forecast_only]


def _chart_data_reference(acc_: acc.Accuracy, lines: pd.DataFrame | None = None, n: int = 12,
                          short: bool = False) -> pd.DataFrame:
    """accuracy.chart_data before its ranking was made in arrays (the reference): groupby and sort_values."""
    columns = ["label", "series", "series_order", "value", "value_text", "miss_text", "rank"]
    rows = acc_.rows
    if lines is not None and len(rows):
        rows = rows[rows["unit_id"].isin(set(lines["unit_id"].astype(int)))]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    head_id = acc_.headline_round["round_id"] if acc_.headline_round else None
    size = rows["miss"].abs().groupby(rows["unit_id"]).max()
    head = rows[rows["round_id"] == head_id].set_index("unit_id")
    size.loc[head.index] = head["miss"].abs()
    order = rows.groupby("unit_id")["order"].first()
    any_miss = (rows["miss"] != 0).groupby(rows["unit_id"]).any()
    ranking = pd.DataFrame({"size": size, "order": order})[any_miss]
    ranked = list(ranking.sort_values(["size", "order"], ascending=[False, True]).index[:n])
    names = [rd.round_name(r) for r in acc_.forecast_rounds]
    out = []
    for rank, uid in enumerate(ranked):
        group = rows[rows["unit_id"] == uid].to_dict("records")
        label = group[0]["name" if short else "label"]
        own_head = [r for r in group if r["round_id"] == head_id]
        miss_text = (own_head or group)[-1]["miss_text"]
        for r in group:
            out.append({"label": label, "series": f"Prognos {r['round_name']}", "series_order": names.index(r["round_name"]),
                        "value": r["forecast"], "value_text": r["forecast_text"], "miss_text": miss_text, "rank": rank})
        first = group[0]
        out.append({"label": label, "series": "Utfall (bokslut)", "series_order": len(names),
                    "value": first["outcome"], "value_text": first["outcome_text"], "miss_text": miss_text, "rank": rank})
    return pd.DataFrame(out, columns=columns)


def _chart_data_both_ways(engine) -> int:
    """The dumbbell's rows – which units, in which order, with which texts – as the groupby
    ranking gave them: every Bokslut, both units, the whole nämnd and each förvaltning's lines,
    the page's twelve and a slide's five or six, the headline round alone (a slide's ranking)."""
    checked = 0
    for units, rnd, year, economy in _cases(engine):
        forecasts = [(r, economy(r)) for r in year]
        outcome = economy(rnd)
        for to_unit in ("tkr", "mnkr"):
            head = rd.headline_forecast_round(year)
            for fc in (forecasts, [(head, economy(head))] if head else []):
                whole = acc.compare(units, rnd, outcome, fc, to_unit)
                line_sets = [None] + [units[units["forvaltning_id"] == f][["unit_id"]]
                                      for f in units["forvaltning_id"].dropna().unique()[:3]]
                for lines in line_sets:
                    for n, short in ((12, False), (5, True), (6, False), (10_000, False)):
                        got = acc.chart_data(acc.compare(units, rnd, outcome, fc, to_unit), lines, n=n, short=short)
                        pd.testing.assert_frame_equal(got, _chart_data_reference(whole, lines, n=n, short=short),
                                                      check_exact=True)
                        checked += len(got)
    return checked


def test_chart_data_ranks_as_the_groupby_it_replaced(bokslut_engine):
    assert _chart_data_both_ways(bokslut_engine) > 20


def test_chart_data_ranks_as_the_groupby_it_replaced_synthetic(synthetic):
    assert _chart_data_both_ways(synthetic) > 1000


def _texts_when_asked(engine) -> int:
    """An Accuracy writes its texts when asked (`rows_of` one round, `with_texts` some rows,
    `headline`, `chart_data`, `table_display`), and what each gives equals the same part of
    `rows` written whole, on a fresh comparison each time (nothing written before)."""
    checked = 0
    for units, rnd, year, economy in _cases(engine):
        forecasts = [(r, economy(r)) for r in year]
        outcome = economy(rnd)
        root = acc.scope_root(units, "")
        for to_unit in ("tkr", "mnkr"):
            def fresh():
                return acc.compare(units, rnd, outcome, forecasts, to_unit)

            whole = _compare_reference(units, rnd, outcome, forecasts, to_unit)
            rows = whole.rows
            for r in year:
                pd.testing.assert_frame_equal(fresh().rows_of(r["round_id"]), rows[rows["round_id"] == r["round_id"]],
                                              check_exact=True)
                checked += 1
            some = fresh()
            picked = some.numbers.iloc[::7]
            pd.testing.assert_frame_equal(some.with_texts(picked), rows.iloc[::7], check_exact=True)
            for only in (("miss_text", "phrase"), ("note",), ("budget_text", "miss_pct_text", "row_phrase")):
                alone = [c for c in acc.COLUMNS if c not in acc.TEXT_COLUMNS or c in only]
                pd.testing.assert_frame_equal(fresh().with_texts(picked, only=only), rows.iloc[::7][alone],
                                              check_exact=True)
            assert fresh().headline(root) == whole.headline(root)
            pd.testing.assert_frame_equal(acc.chart_data(fresh()), acc.chart_data(whole), check_exact=True)
            pd.testing.assert_frame_equal(acc.chart_data(fresh(), n=5, short=True), acc.chart_data(whole, n=5, short=True),
                                          check_exact=True)
            pd.testing.assert_frame_equal(acc.table_display(fresh()), acc.table_display(whole), check_exact=True)
            written = fresh()
            written.rows  # noqa: B018 – all written first, then one round from them
            pd.testing.assert_frame_equal(written.rows_of(year[0]["round_id"]), rows[rows["round_id"] == year[0]["round_id"]])
    return checked


def test_texts_written_when_asked_equal_the_whole_rows(bokslut_engine):
    assert _texts_when_asked(bokslut_engine) >= 2


def test_texts_written_when_asked_equal_the_whole_rows_synthetic(synthetic):
    assert _texts_when_asked(synthetic) >= 8  # every forecast round of each Bokslut, in both units


def test_the_years_investments_in_one_query_equal_each_rounds_own(bokslut_engine):
    """for_round reads a year's investments in one query (`investments_of`); the comparison
    equals the one made from each round's own `investments`, on Luleå's Bokslut with projects."""
    fetch = _fetch(bokslut_engine)
    economy = acc.economy_fn(fetch)
    compared = 0
    for rounds, rnd in _boksluts(bokslut_engine, fetch):
        got = acc.for_round(fetch, economy, fetch("units", int(rnd["round_id"])), rounds, rnd, "mnkr")
        want_rows, want_nc = acc.compare_investments(
            rnd, fetch("investments", int(rnd["round_id"])),
            [(r, fetch("investments", int(r["round_id"]))) for r in rd.forecast_rounds_of_year(rounds, rnd)], "mnkr")
        pd.testing.assert_frame_equal(got.investments, want_rows, check_exact=True)
        pd.testing.assert_frame_equal(got.investments_not_comparable, want_nc, check_exact=True)
        compared += len(want_rows) + len(want_nc)
    assert compared > 0
