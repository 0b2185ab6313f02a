"""Figures read directly from the two source reports, checked against what the database holds.

This is an independent check of the transcription: every expected value below was read from the
REPORT TEXT (../shared/seeds/000_39eed9b762de39df.txt, Luleå AGN Delårsuppföljning 2 2024, tkr;
../shared/seeds/003_45032e69149f1c23.txt, Linköping AMN Delårsrapport 2 2023, mnkr), never from the
workbooks in data/ or from the import code. The workbooks were consulted only for the KEYS the data
uses (unit keys, indicator keys, goal/activity/risk keys, breakdown and source-table labels).

Line numbers in the comments ("L123") refer to the report text file named by the case's prefix
(LU = Luleå 000_…, LI = Linköping 003_…). Reading conventions (domain.md): footnote numbers glued to
values are stripped (`6426` = 64 + footnote 26), I.U. = missing, Luleå's risk digits read as
konsekvens, sannolikhet, "Rektorer GY 18 10 803 -793 4 000 4 600" as budget, periodbudget, utfall,
avvikelse, prognos augusti, prognos april.

If a case fails, do not edit the expected figure to match the data: re-read the report line named
in the comment. A failure here means the database disagrees with the printed report.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard.models import (
    Activity,
    ActivityStatus,
    ActivityVersion,
    ControlStep,
    ControlStepStatus,
    EconomyLine,
    Goal,
    GoalAssessment,
    GoalVersion,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Investment,
    Kommun,
    Namnd,
    OrgUnit,
    ResultLine,
    Risk,
    RiskAssessment,
    Round,
)

# --- where the data lives ----------------------------------------------------------------------

LULEA = ("2580", "AGN")
LINKOPING = ("0580", "AMN")
LU_AUG = dt.date(2024, 8, 31)  # Delårsuppföljning 2 2024
LU_APR = dt.date(2024, 4, 30)  # Delår 1 2024, known only through the "Prognos April" column
LI_AUG = dt.date(2023, 8, 31)  # Delårsrapport 2 2023

# Indicator periods in Linköping's tables
H2021 = dt.date(2021, 12, 31)  # "Helår 2021"
H2022 = dt.date(2022, 12, 31)  # "Helår 2022"
A2023 = dt.date(2023, 8, 31)  # "Augusti 2023"
P2023 = dt.date(2023, 12, 31)  # "Prognos 2023" (volymtal) and "Målvärde 2023"

NOT_FOUND = object()  # no row matched: a transcription gap
AMBIGUOUS = object()  # more than one row matched the locator


class _IU:
    """Expected: I.U. (inget underlag) printed: missing = true and value NULL."""

    def __repr__(self) -> str:
        return "I.U."


IU = _IU()


class Word(str):
    """Expected: a status word as printed; compared without regard to letter case."""


# --- helpers: one value each, SQLAlchemy Core select() with bound parameters --------------------


def _in_round(stmt, org, period_end):
    """Restrict a statement that already selects from a fact table joined to Round."""
    kommun, namnd = org
    return (
        stmt.join(Namnd, Round.namnd_id == Namnd.id)
        .join(Kommun, Namnd.kommun_id == Kommun.id)
        .where(Kommun.code == kommun, Namnd.code == namnd, Round.period_end == period_end)
    )


def _one(conn, stmt):
    rows = conn.execute(stmt.limit(2)).all()
    if not rows:
        return NOT_FOUND
    if len(rows) > 1:
        return AMBIGUOUS
    return tuple(rows[0]) if len(rows[0]) > 1 else rows[0][0]


def fetch_economy(conn, org, period_end, unit_key, column):
    stmt = (
        select(getattr(EconomyLine, column))
        .select_from(EconomyLine)
        .join(Round, EconomyLine.round_id == Round.id)
        .join(OrgUnit, EconomyLine.unit_id == OrgUnit.id)
    )
    stmt = _in_round(stmt, org, period_end).where(
        OrgUnit.key == unit_key, OrgUnit.namnd_id == Namnd.id
    )
    return _one(conn, stmt)


def fetch_result_line(conn, org, period_end, line_name, column):
    stmt = (
        select(getattr(ResultLine, column))
        .select_from(ResultLine)
        .join(Round, ResultLine.round_id == Round.id)
    )
    return _one(conn, _in_round(stmt, org, period_end).where(ResultLine.name == line_name))


def fetch_investment(conn, org, period_end, project_key, column):
    stmt = (
        select(getattr(Investment, column))
        .select_from(Investment)
        .join(Round, Investment.round_id == Round.id)
    )
    return _one(conn, _in_round(stmt, org, period_end).where(Investment.project_key == project_key))


def fetch_round(conn, org, period_end, column):
    stmt = select(getattr(Round, column)).select_from(Round)
    return _one(conn, _in_round(stmt, org, period_end))


def fetch_goal(conn, org, period_end, goal_key, goal_name, column):
    stmt = (
        select(getattr(GoalAssessment, column))
        .select_from(GoalAssessment)
        .join(Round, GoalAssessment.round_id == Round.id)
        .join(Goal, GoalAssessment.goal_id == Goal.id)
        .join(GoalVersion, (GoalVersion.goal_id == Goal.id) & (GoalVersion.round_id == Round.id))
    )
    stmt = _in_round(stmt, org, period_end).where(Goal.namnd_id == Namnd.id)
    stmt = stmt.where(Goal.key == goal_key) if goal_key else stmt.where(GoalVersion.name == goal_name)
    return _one(conn, stmt)


def fetch_activity(conn, org, period_end, act_key, act_name, column):
    stmt = (
        select(getattr(ActivityStatus, column))
        .select_from(ActivityStatus)
        .join(Round, ActivityStatus.round_id == Round.id)
        .join(Activity, ActivityStatus.activity_id == Activity.id)
        .join(ActivityVersion, (ActivityVersion.activity_id == Activity.id) & (ActivityVersion.round_id == Round.id))
    )
    stmt = _in_round(stmt, org, period_end).where(Activity.namnd_id == Namnd.id)
    stmt = stmt.where(Activity.key == act_key) if act_key else stmt.where(ActivityVersion.name == act_name)
    return _one(conn, stmt)


def fetch_risk(conn, org, period_end, risk_key, column):
    stmt = (
        select(getattr(RiskAssessment, column))
        .select_from(RiskAssessment)
        .join(Round, RiskAssessment.round_id == Round.id)
        .join(Risk, RiskAssessment.risk_id == Risk.id)
    )
    stmt = _in_round(stmt, org, period_end).where(Risk.namnd_id == Namnd.id, Risk.key == risk_key)
    return _one(conn, stmt)


def fetch_control_step(conn, org, period_end, step_key, column):
    stmt = (
        select(getattr(ControlStepStatus, column))
        .select_from(ControlStepStatus)
        .join(Round, ControlStepStatus.round_id == Round.id)
        .join(ControlStep, ControlStepStatus.control_step_id == ControlStep.id)
    )
    stmt = _in_round(stmt, org, period_end).where(
        ControlStep.namnd_id == Namnd.id, ControlStep.key == step_key
    )
    return _one(conn, stmt)


def _indicator_stmt(columns, table, org, period_end_round, key, unit, gender, breakdown, source):
    stmt = (
        select(*columns)
        .select_from(table)
        .join(Round, table.round_id == Round.id)
        .join(Indicator, table.indicator_id == Indicator.id)
        .join(OrgUnit, table.unit_id == OrgUnit.id)
    )
    stmt = _in_round(stmt, org, period_end_round).where(
        Indicator.namnd_id == Namnd.id,
        Indicator.key == key,
        table.gender == gender,
        table.breakdown == breakdown,
    )
    if unit is not None:
        stmt = stmt.where(OrgUnit.key == unit)
    if source is not None:
        stmt = stmt.where(table.source_table == source)
    return stmt


def fetch_indicator(conn, key, period_end, unit, gender, breakdown, source, value_type):
    """(value, missing) of one Linköping indicator value."""
    stmt = _indicator_stmt(
        (IndicatorValue.value, IndicatorValue.missing), IndicatorValue, LINKOPING, LI_AUG,
        key, unit, gender, breakdown, source,
    ).where(IndicatorValue.period_end == period_end, IndicatorValue.value_type == value_type)
    return _one(conn, stmt)


def fetch_indicator_old(conn, key, period_end, unit, gender, breakdown, source, value_type):
    """The old-method value printed in parentheses (series break)."""
    stmt = _indicator_stmt(
        (IndicatorValue.old_method_value,), IndicatorValue, LINKOPING, LI_AUG,
        key, unit, gender, breakdown, source,
    ).where(IndicatorValue.period_end == period_end, IndicatorValue.value_type == value_type)
    return _one(conn, stmt)


def fetch_target(conn, key, unit, gender, breakdown, source, column):
    stmt = _indicator_stmt(
        (getattr(IndicatorTarget, column),), IndicatorTarget, LINKOPING, LI_AUG,
        key, unit, gender, breakdown, source,
    ).where(IndicatorTarget.period_end == P2023)
    return _one(conn, stmt)


FETCHERS = {
    "economy": fetch_economy,
    "result_line": fetch_result_line,
    "investment": fetch_investment,
    "round": fetch_round,
    "goal": fetch_goal,
    "activity": fetch_activity,
    "risk": fetch_risk,
    "control_step": fetch_control_step,
    "indicator": fetch_indicator,
    "indicator_old": fetch_indicator_old,
    "target": fetch_target,
}


# --- builders for the table of expectations -----------------------------------------------------


NOT_FIGURES: set[str] = set()  # cases that check an absence, not a printed figure


def _case(cid, where, fetch, args, expected, figure=True):
    if not figure:
        NOT_FIGURES.add(cid)
    return pytest.param(where, fetch, args, expected, id=cid)


def eco(cid, where, org, period, unit, column, expected):
    return _case(cid, where, "economy", (org, period, unit, column), expected)


def lu_aug(cid, where, unit, column, expected):
    return eco(cid, where, LULEA, LU_AUG, unit, column, expected)


def lu_apr(cid, where, unit, expected):
    return eco(cid, where, LULEA, LU_APR, unit, "forecast_deviation", expected)


def li_eco(cid, where, unit, column, expected):
    return eco(cid, where, LINKOPING, LI_AUG, unit, column, expected)


def lu_result(cid, where, line, column, expected):
    return _case(cid, where, "result_line", (LULEA, LU_AUG, line, column), expected)


def li_inv(cid, where, project, column, expected):
    return _case(cid, where, "investment", (LINKOPING, LI_AUG, project, column), expected)


def goal(cid, where, org, period, expected, key=None, name=None, column="status"):
    return _case(cid, where, "goal", (org, period, key, name, column), expected)


def act(cid, where, org, period, expected, key=None, name=None, column="status"):
    return _case(cid, where, "activity", (org, period, key, name, column), expected)


def lu_risk(cid, where, risk_key, column, expected):
    return _case(cid, where, "risk", (LULEA, LU_AUG, risk_key, column), expected)


def step(cid, where, org, period, step_key, expected, column="status"):
    return _case(cid, where, "control_step", (org, period, step_key, column), expected)


def ind(cid, where, key, period_end, expected, *, unit=None, gender="T", breakdown="",
        source="Nämndindikatorer", value_type="utfall"):
    args = (key, period_end, unit, gender, breakdown, source, value_type)
    return _case(cid, where, "indicator", args, expected)


def ind_old(cid, where, key, period_end, expected, *, unit=None, source="Volymutveckling"):
    args = (key, period_end, unit, "T", "", source, "utfall")
    return _case(cid, where, "indicator_old", args, expected)


def tgt(cid, where, key, expected, *, unit=None, gender="T", breakdown="",
        source="Nämndindikatorer", column="target_value"):
    return _case(cid, where, "target", (key, unit, gender, breakdown, source, column), expected)


# --- the expectations ---------------------------------------------------------------------------

G = "gymnasieskolan"
T = "tillvaxt-integration-arbete"
V = "vuxenutbildningen"

LULEA_ECONOMY_AUGUST = [
    # "Redovisning per verksamhet Augusti 2024-08-31 (Tkr)", L587-609. Columns: % budget, Budget
    # helår, Period Budget, Period Utfall, Period Avvikelse, Prognos August, Prognos April.
    # L609 "Total 100,0% 476 018 317 949 307 061 10 888 8 300 7 300"
    lu_aug("LU-total-budget", "LU Redovisning per verksamhet, Total, Budget helår (L609)",
           "agn", "budget_year", 476018),
    lu_aug("LU-total-periodbudget", "LU Redovisning per verksamhet, Total, Period Budget (L609)",
           "agn", "budget_period", 317949),
    lu_aug("LU-total-utfall", "LU Redovisning per verksamhet, Total, Period Utfall (L609)",
           "agn", "actual_period", 307061),
    lu_aug("LU-total-periodavvikelse", "LU Redovisning per verksamhet, Total, Period Avvikelse "
           "(L609)", "agn", "deviation_period", 10888),
    lu_aug("LU-total-prognos-aug", "LU Redovisning per verksamhet, Total, Prognos August (L609)",
           "agn", "forecast_deviation", 8300),
    lu_aug("LU-total-andel", "LU Redovisning per verksamhet, Total, % budget 100,0% (L609)",
           "agn", "budget_share_pct", 100.0),
    # L587-588 "Arbetsmarknads-och Gymnasienämnden 0,5% 2 500 1 667 896 771 0 0"
    lu_aug("LU-namnden-andel", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, % budget 0,5% (L588)", "namnden", "budget_share_pct", 0.5),
    lu_aug("LU-namnden-budget", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Budget helår (L588)", "namnden", "budget_year", 2500),
    lu_aug("LU-namnden-periodbudget", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Period Budget (L588)", "namnden", "budget_period", 1667),
    lu_aug("LU-namnden-utfall", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Period Utfall (L588)", "namnden", "actual_period", 896),
    lu_aug("LU-namnden-avvikelse", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Period Avvikelse (L588)", "namnden", "deviation_period", 771),
    lu_aug("LU-namnden-prognos-aug", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Prognos August (L588)", "namnden", "forecast_deviation", 0),
    # L590 "Gymnasieskolan 75,1% 357 468 237 660 234 955 2 704 5 100 4 700"
    lu_aug("LU-gy-andel", "LU Redovisning per verksamhet, Gymnasieskolan, % budget 75,1% (L590)",
           G, "budget_share_pct", 75.1),
    lu_aug("LU-gy-budget", "LU Redovisning per verksamhet, Gymnasieskolan, Budget helår (L590)",
           G, "budget_year", 357468),
    lu_aug("LU-gy-periodbudget", "LU Redovisning per verksamhet, Gymnasieskolan, Period Budget "
           "(L590)", G, "budget_period", 237660),
    lu_aug("LU-gy-utfall", "LU Redovisning per verksamhet, Gymnasieskolan, Period Utfall (L590)",
           G, "actual_period", 234955),
    lu_aug("LU-gy-avvikelse", "LU Redovisning per verksamhet, Gymnasieskolan, Period Avvikelse "
           "2 704 as printed (L590)", G, "deviation_period", 2704),
    lu_aug("LU-gy-prognos-aug", "LU Redovisning per verksamhet, Gymnasieskolan, Prognos August "
           "(L590; prose L554 'överskott med (5,1 mkr)')", G, "forecast_deviation", 5100),
    # L591 "- Gemensamma resurser 347 357 230 921 225 438 5 483 0 -1 000"
    lu_aug("LU-gy-gem-budget", "LU Redovisning per verksamhet, Gymnasieskolan - Gemensamma "
           "resurser, Budget helår (L591)", f"{G}/gemensamma-resurser", "budget_year", 347357),
    lu_aug("LU-gy-gem-utfall", "LU Redovisning per verksamhet, Gymnasieskolan - Gemensamma "
           "resurser, Period Utfall (L591)", f"{G}/gemensamma-resurser", "actual_period", 225438),
    lu_aug("LU-gy-gem-avvikelse", "LU Redovisning per verksamhet, Gymnasieskolan - Gemensamma "
           "resurser, Period Avvikelse (L591)", f"{G}/gemensamma-resurser", "deviation_period",
           5483),
    # L592 "- Rektorer GY 18 10 803 -793 4 000 4 600" (domain.md reading)
    lu_aug("LU-rektorer-budget", "LU Redovisning per verksamhet, Rektorer GY, Budget helår 18 "
           "(L592)", f"{G}/rektorer-gy", "budget_year", 18),
    lu_aug("LU-rektorer-periodbudget", "LU Redovisning per verksamhet, Rektorer GY, Period Budget "
           "10 (L592)", f"{G}/rektorer-gy", "budget_period", 10),
    lu_aug("LU-rektorer-utfall", "LU Redovisning per verksamhet, Rektorer GY, Period Utfall 803 "
           "(L592)", f"{G}/rektorer-gy", "actual_period", 803),
    lu_aug("LU-rektorer-avvikelse", "LU Redovisning per verksamhet, Rektorer GY, Period "
           "Avvikelse -793 (L592)", f"{G}/rektorer-gy", "deviation_period", -793),
    lu_aug("LU-rektorer-prognos-aug", "LU Redovisning per verksamhet, Rektorer GY, Prognos "
           "August 4 000 (L592)", f"{G}/rektorer-gy", "forecast_deviation", 4000),
    # L593 "- Rektor anpassad GY 21 145 14 097 13 091 1 006 1 100 1 100"
    lu_aug("LU-anpassad-budget", "LU Redovisning per verksamhet, Rektor anpassad GY, Budget "
           "helår (L593)", f"{G}/rektor-anpassad-gy", "budget_year", 21145),
    lu_aug("LU-anpassad-avvikelse", "LU Redovisning per verksamhet, Rektor anpassad GY, Period "
           "Avvikelse (L593)", f"{G}/rektor-anpassad-gy", "deviation_period", 1006),
    lu_aug("LU-anpassad-prognos-aug", "LU Redovisning per verksamhet, Rektor anpassad GY, "
           "Prognos August (L593)", f"{G}/rektor-anpassad-gy", "forecast_deviation", 1100),
    # L594 "- Interkommunalt netto -11 053 -7 368 -4 377 -2 991 0 0"
    lu_aug("LU-interkommunalt-budget", "LU Redovisning per verksamhet, Interkommunalt netto, "
           "Budget helår -11 053 (L594)", f"{G}/interkommunalt-netto", "budget_year", -11053),
    lu_aug("LU-interkommunalt-periodbudget", "LU Redovisning per verksamhet, Interkommunalt "
           "netto, Period Budget (L594)", f"{G}/interkommunalt-netto", "budget_period", -7368),
    lu_aug("LU-interkommunalt-utfall", "LU Redovisning per verksamhet, Interkommunalt netto, "
           "Period Utfall (L594)", f"{G}/interkommunalt-netto", "actual_period", -4377),
    lu_aug("LU-interkommunalt-avvikelse", "LU Redovisning per verksamhet, Interkommunalt netto, "
           "Period Avvikelse (L594)", f"{G}/interkommunalt-netto", "deviation_period", -2991),
    # L596 "Tillväxt, Integration och arbete 11,2% 53 144 36 782 30 770 6 012 3 200 3 200"
    lu_aug("LU-tia-andel", "LU Redovisning per verksamhet, Tillväxt, Integration och arbete, "
           "% budget 11,2% (L596)", T, "budget_share_pct", 11.2),
    lu_aug("LU-tia-budget", "LU Redovisning per verksamhet, Tillväxt, Integration och arbete, "
           "Budget helår (L596)", T, "budget_year", 53144),
    lu_aug("LU-tia-periodbudget", "LU Redovisning per verksamhet, Tillväxt, Integration och "
           "arbete, Period Budget (L596)", T, "budget_period", 36782),
    lu_aug("LU-tia-utfall", "LU Redovisning per verksamhet, Tillväxt, Integration och arbete, "
           "Period Utfall (L596)", T, "actual_period", 30770),
    lu_aug("LU-tia-avvikelse", "LU Redovisning per verksamhet, Tillväxt, Integration och arbete, "
           "Period Avvikelse (L596)", T, "deviation_period", 6012),
    lu_aug("LU-tia-prognos-aug", "LU Redovisning per verksamhet, Tillväxt, Integration och "
           "arbete, Prognos August (L596)", T, "forecast_deviation", 3200),
    # L597-599
    lu_aug("LU-tia-gem-budget", "LU Redovisning per verksamhet, TIA - Gemensamma resurser, "
           "Budget helår (L597)", f"{T}/gemensamma-resurser", "budget_year", 3908),
    lu_aug("LU-tillvaxtenheten-periodbudget", "LU Redovisning per verksamhet, Tillväxtenheten, "
           "Period Budget (L598)", f"{T}/tillvaxtenheten", "budget_period", 6304),
    lu_aug("LU-tillvaxtenheten-prognos-aug", "LU Redovisning per verksamhet, Tillväxtenheten, "
           "Prognos August '1400' (L598)", f"{T}/tillvaxtenheten", "forecast_deviation", 1400),
    lu_aug("LU-ame-utfall", "LU Redovisning per verksamhet, Arbetsmarknadsenheten, Period Utfall "
           "(L599)", f"{T}/arbetsmarknadsenheten", "actual_period", 24779),
    lu_aug("LU-ame-prognos-aug", "LU Redovisning per verksamhet, Arbetsmarknadsenheten, Prognos "
           "August '1800' (L599)", f"{T}/arbetsmarknadsenheten", "forecast_deviation", 1800),
    # L601 "Vuxenutbildningen 13,2% 62 906 41 841 40 440 1 401 0 -600"
    lu_aug("LU-vux-andel", "LU Redovisning per verksamhet, Vuxenutbildningen, % budget 13,2% "
           "(L601)", V, "budget_share_pct", 13.2),
    lu_aug("LU-vux-budget", "LU Redovisning per verksamhet, Vuxenutbildningen, Budget helår "
           "(L601)", V, "budget_year", 62906),
    lu_aug("LU-vux-utfall", "LU Redovisning per verksamhet, Vuxenutbildningen, Period Utfall "
           "(L601)", V, "actual_period", 40440),
    lu_aug("LU-vux-avvikelse", "LU Redovisning per verksamhet, Vuxenutbildningen, Period "
           "Avvikelse (L601)", V, "deviation_period", 1401),
    lu_aug("LU-vux-prognos-aug", "LU Redovisning per verksamhet, Vuxenutbildningen, Prognos "
           "August 0 (L601)", V, "forecast_deviation", 0),
    # L602-607
    lu_aug("LU-vux-gem-utfall", "LU Redovisning per verksamhet, Vuxenutbildningen - Gemensamma "
           "resurser, Period Utfall (L602)", f"{V}/gemensamma-resurser", "actual_period", 19068),
    lu_aug("LU-vux-gem-avvikelse", "LU Redovisning per verksamhet, Vuxenutbildningen - "
           "Gemensamma resurser, Period Avvikelse -531 (L602)", f"{V}/gemensamma-resurser",
           "deviation_period", -531),
    lu_aug("LU-rektor1-budget", "LU Redovisning per verksamhet, Rektor 1 Gundläggande "
           "vuxenutbild., Budget helår (L603-604)", f"{V}/rektor-1-grundlaggande", "budget_year", 17085),
    lu_aug("LU-rektor2-periodbudget", "LU Redovisning per verksamhet, Rektor 2 SFI, Period Budget "
           "(L605)", f"{V}/rektor-2-sfi", "budget_period", 8989),
    lu_aug("LU-rektor3-avvikelse", "LU Redovisning per verksamhet, Rektor 3 Yrkesvux, Period "
           "Avvikelse (L606-607)", f"{V}/rektor-3-yrkesvux", "deviation_period", 1209),
]

LULEA_FORECAST_APRIL = [
    # Column "Prognos April" of the same table (L587-609): the forecast of round 2024-04-30.
    lu_apr("LU-apr-total", "LU Redovisning per verksamhet, Total, Prognos April (L609)",
           "agn", 7300),
    lu_apr("LU-apr-namnden", "LU Redovisning per verksamhet, Arbetsmarknads-och "
           "Gymnasienämnden, Prognos April (L588)", "namnden", 0),
    lu_apr("LU-apr-gy", "LU Redovisning per verksamhet, Gymnasieskolan, Prognos April (L590)",
           G, 4700),
    lu_apr("LU-apr-gy-gem", "LU Redovisning per verksamhet, Gymnasieskolan - Gemensamma "
           "resurser, Prognos April -1 000 (L591)", f"{G}/gemensamma-resurser", -1000),
    lu_apr("LU-apr-rektorer", "LU Redovisning per verksamhet, Rektorer GY, Prognos April 4 600 "
           "(L592)", f"{G}/rektorer-gy", 4600),
    lu_apr("LU-apr-anpassad", "LU Redovisning per verksamhet, Rektor anpassad GY, Prognos April "
           "(L593)", f"{G}/rektor-anpassad-gy", 1100),
    lu_apr("LU-apr-tia", "LU Redovisning per verksamhet, Tillväxt, Integration och arbete, "
           "Prognos April (L596)", T, 3200),
    lu_apr("LU-apr-tillvaxtenheten", "LU Redovisning per verksamhet, Tillväxtenheten, Prognos "
           "April (L598)", f"{T}/tillvaxtenheten", 1400),
    lu_apr("LU-apr-vux", "LU Redovisning per verksamhet, Vuxenutbildningen, Prognos April -600 "
           "(L601; prose L556-557)", V, -600),
    lu_apr("LU-apr-vux-gem", "LU Redovisning per verksamhet, Vuxenutbildningen - Gemensamma "
           "resurser, Prognos April -600 (L602)", f"{V}/gemensamma-resurser", -600),
]

LULEA_RESULT = [
    # "Resultaträkning, (tkr)" L525-539: Periodens Resultat jan-augusti 2024 | Kommunbidrag helår
    lu_result("LU-rr-intakter-utfall", "LU Resultaträkning, Verksamhetens intäkter, jan-augusti "
              "(L534)", "Verksamhetens intäkter", "actual_period", 100489),
    lu_result("LU-rr-intakter-helar", "LU Resultaträkning, Verksamhetens intäkter, Kommunbidrag "
              "helår-kolumnen (L534)", "Verksamhetens intäkter", "budget_year", 132337),
    lu_result("LU-rr-kostnader-utfall", "LU Resultaträkning, Verksamhetens kostnader, "
              "jan-augusti (L535)", "Verksamhetens kostnader", "actual_period", -407551),
    lu_result("LU-rr-kostnader-helar", "LU Resultaträkning, Verksamhetens kostnader, helår "
              "(L535)", "Verksamhetens kostnader", "budget_year", -608355),
    lu_result("LU-rr-netto-utfall", "LU Resultaträkning, Nettokostnader -307 062 as printed "
              "(L537; Total row says 307 061)", "Nettokostnader", "actual_period", -307062),
    lu_result("LU-rr-netto-helar", "LU Resultaträkning, Nettokostnader, helår (L537)",
              "Nettokostnader", "budget_year", -476018),
    lu_result("LU-rr-kommunbidrag-utfall", "LU Resultaträkning, Kommunbidrag, jan-augusti (L538)",
              "Kommunbidrag", "actual_period", 317949),
    lu_result("LU-rr-kommunbidrag-helar", "LU Resultaträkning, Kommunbidrag, helår (L538)",
              "Kommunbidrag", "budget_year", 476018),
    lu_result("LU-rr-resultat-utfall", "LU Resultaträkning, Resultat, jan-augusti (L539)",
              "Resultat", "actual_period", 10888),
    lu_result("LU-rr-resultat-helar", "LU Resultaträkning, Resultat, helår 0 (L539)",
              "Resultat", "budget_year", 0),
]

LULEA_GOALS_ACTIVITIES = [
    # "Nämndsmål Bedömning" L101-160 and the detail pages: the goal icons did not survive the text
    # dump ("Bedömning av målet" L181, L423, L447 are blank) -> not reported (NULL).
    goal("LU-mal1-ingen-bedomning", "LU Nämndsmål 1 'Utveckla de arbetsprocesser…', Bedömning "
         "blank (L101-104, L181)", LULEA, LU_AUG, None, key="mal-1"),
    goal("LU-mal2-ingen-bedomning", "LU Nämndsmål 2 'Kartlägga befintlig branschrådsstruktur…', "
         "Bedömning blank (L140-141, L423)", LULEA, LU_AUG, None, key="mal-2"),
    goal("LU-mal3-ingen-bedomning", "LU Nämndsmål 3 'Identifiera hur kommunens "
         "utbildningskapacitet…', Bedömning blank (L151-152, L447)", LULEA, LU_AUG, None,
         key="mal-3"),
    # Activities: the words are printed (L108-160, repeated on the detail pages)
    act("LU-akt-nulage-klar", "LU Nämndsmål 1, 'Skapa en nulägesbeskrivning  Klar' (L108, L185)",
        LULEA, LU_AUG, "klar", name="Skapa en nulägesbeskrivning"),
    act("LU-akt-nulage-ord", "LU Nämndsmål 1, 'Skapa en nulägesbeskrivning', report word Klar "
        "(L108)", LULEA, LU_AUG, Word("Klar"), key="mal-1/nulagesbeskrivning",
        column="status_word"),
    act("LU-akt-floden-pagar", "LU Nämndsmål 1, 'Skapa effektiva flöden…' Pågående (L110-113, "
        "L217)", LULEA, LU_AUG, "pagar", key="mal-1/effektiva-floden"),
    act("LU-akt-yrkespaket-pagar", "LU Nämndsmål 1, 'Undersöka möjligheterna … fler yrkespaket' "
        "Pågående (L115-119, L264)", LULEA, LU_AUG, "pagar", key="mal-1/fler-yrkespaket"),
    act("LU-akt-af-klar", "LU Nämndsmål 1, 'Undersöka möjligheten till samverkan med "
        "Arbetsförmedlingen…' Klar (L121-124, L308)", LULEA, LU_AUG, "klar",
        key="mal-1/samverkan-arbetsformedlingen"),
    act("LU-akt-sfi-pagar", "LU Nämndsmål 1, 'Kartlägga om man kan utöka samverkan … SFI-elever' "
        "Pågående (L126-129, L323)", LULEA, LU_AUG, "pagar", key="mal-1/samverkan-sfi"),
    act("LU-akt-info-pagar", "LU Nämndsmål 1, 'Förstärkt information om vuxenutbildningens "
        "möjligheter…' Pågående (L131-134, L369)", LULEA, LU_AUG, "pagar",
        key="mal-1/information-vuxenutbildning"),
    act("LU-akt-dialog-vantande", "LU Nämndsmål 1, 'Förstärkt dialog mellan de fristående "
        "gymnasieskolorna, vuxenutbildningen och KAA Väntande' (L136, L390-393)", LULEA, LU_AUG,
        "vantande",
        name="Förstärkt dialog mellan de fristående gymnasieskolorna, vuxenutbildningen och KAA"),
    act("LU-akt-dialog-ord", "LU Nämndsmål 1, 'Förstärkt dialog…', report word Väntande (L136)",
        LULEA, LU_AUG, Word("Väntande"), key="mal-1/dialog-fristaende", column="status_word"),
    act("LU-akt-branschrad-pagar", "LU Nämndsmål 2, 'Kartlägga befintlig branschrådsstruktur "
        "Pågående' (L145)", LULEA, LU_AUG, "pagar", name="Kartlägga befintlig branschrådsstruktur"),
    act("LU-akt-plan-branschrad-pagar", "LU Nämndsmål 2, 'Skapa plan för utveckling av "
        "branschråden Pågående' (L147)", LULEA, LU_AUG, "pagar", key="mal-2/plan-branschrad"),
    act("LU-akt-dimensionering-pagar", "LU Nämndsmål 3, 'Dimensionering av utbildning baserat på "
        "efterfrågan Pågående' (L156)", LULEA, LU_AUG, "pagar", key="mal-3/dimensionering"),
    act("LU-akt-validering-pagar", "LU Nämndsmål 3, 'Kartlägga hur man kan samverka för att öka "
        "valideringskapaciteten Pågående' (L158, L478)", LULEA, LU_AUG, "pagar",
        key="mal-3/valideringskapacitet"),
    act("LU-akt-lokaler-pagar", "LU Nämndsmål 3, 'Kartlägga möjligheter till framtida "
        "samnyttjande av lokaler och lärresurser Pågående' (L160)", LULEA, LU_AUG, "pagar",
        key="mal-3/samnyttjande-lokaler"),
    act("LU-uppdrag-flyttlots-ingen-status", "LU 'Uppdrag Status', 'Inrätta en flyttlots…' "
        "status blank (L512-514)", LULEA, LU_AUG, None, key="uppdrag/flyttlots"),
]

LULEA_RISKS = [
    # Internkontroll L696-878. Prose L713-714: sannolikhet 4, konsekvens 3, riskvärde 12, kritisk;
    # the flattened "Riskvärde Sannolikhet Konsekvens / 3 4" thus reads konsekvens, sannolikhet.
    lu_risk("LU-risk-valfard-sannolikhet", "LU Välfärdsbrottslighet, sannolikhet 4 (L713, L718)",
            "valfardsbrottslighet", "probability", 4),
    lu_risk("LU-risk-valfard-konsekvens", "LU Välfärdsbrottslighet, konsekvens 3 (L714, L718)",
            "valfardsbrottslighet", "consequence", 3),
    lu_risk("LU-risk-valfard-riskvarde", "LU Välfärdsbrottslighet, riskvärde 12 printed in prose "
            "(L714)", "valfardsbrottslighet", "risk_value", 12),
    lu_risk("LU-risk-valfard-ej-beraknad", "LU Välfärdsbrottslighet, riskvärde printed, not "
            "computed (L714)", "valfardsbrottslighet", "risk_value_computed", False),
    lu_risk("LU-risk-valfard-kritisk", "LU Välfärdsbrottslighet, 'dvs kritisk' (L714)",
            "valfardsbrottslighet", "assessment_text", "kritisk"),
    lu_risk("LU-risk-massflykt-sannolikhet", "LU Massflyktingdirektivet-boende, '3 4' -> "
            "sannolikhet 4 (L752-754)", "massflyktingdirektivet-boende", "probability", 4),
    lu_risk("LU-risk-massflykt-konsekvens", "LU Massflyktingdirektivet-boende, '3 4' -> "
            "konsekvens 3 (L752-754)", "massflyktingdirektivet-boende", "consequence", 3),
    lu_risk("LU-risk-tentamen-sannolikhet", "LU Fusk vid tentamen på distans, '3 4' -> "
            "sannolikhet 4 (L780-782)", "fusk-tentamen-distans", "probability", 4),
    lu_risk("LU-risk-tentamen-konsekvens", "LU Fusk vid tentamen på distans, '3 4' -> "
            "konsekvens 3 (L780-782)", "fusk-tentamen-distans", "consequence", 3),
    lu_risk("LU-risk-gallring-sannolikhet", "LU Gallring personuppgifter, '4 4' (L806-808)",
            "gallring-personuppgifter", "probability", 4),
    lu_risk("LU-risk-gallring-konsekvens", "LU Gallring personuppgifter, '4 4' (L806-808)",
            "gallring-personuppgifter", "consequence", 4),
    lu_risk("LU-risk-gallring-riskvarde", "LU Gallring personuppgifter, riskvärde 4x4 = 16 "
            "(L806-808)", "gallring-personuppgifter", "risk_value", 16),
    lu_risk("LU-risk-gallring-beraknad", "LU Gallring personuppgifter, riskvärde not printed -> "
            "computed (L806-808)", "gallring-personuppgifter", "risk_value_computed", True),
    lu_risk("LU-risk-heder-sannolikhet", "LU Hedersrelaterat våld, '4 4' (L832-834)",
            "hedersrelaterat-vald", "probability", 4),
    lu_risk("LU-risk-heder-konsekvens", "LU Hedersrelaterat våld, '4 4' (L832-834)",
            "hedersrelaterat-vald", "consequence", 4),
    lu_risk("LU-risk-heder-riskvarde", "LU Hedersrelaterat våld, riskvärde 4x4 = 16 (L832-834)",
            "hedersrelaterat-vald", "risk_value", 16),
    lu_risk("LU-risk-heder-beraknad", "LU Hedersrelaterat våld, riskvärde computed (L832-834)",
            "hedersrelaterat-vald", "risk_value_computed", True),
    lu_risk("LU-risk-skolattacker-sannolikhet", "LU Skolattacker, '4 4' (L860-862)",
            "skolattacker", "probability", 4),
    lu_risk("LU-risk-skolattacker-konsekvens", "LU Skolattacker, '4 4' (L860-862)",
            "skolattacker", "consequence", 4),
    lu_risk("LU-risk-skolattacker-riskvarde", "LU Skolattacker, riskvärde 4x4 = 16 (L860-862)",
            "skolattacker", "risk_value", 16),
    lu_risk("LU-risk-skolattacker-beraknad", "LU Skolattacker, riskvärde computed (L860-862)",
            "skolattacker", "risk_value_computed", True),
    # "Kontrollmoment Status Bedömning": icons lost, nothing printed -> not reported.
    step("LU-km-avbrott-ingen-status", "LU Kontrollmoment avbrottsregistrering, Status blank "
         "(L720-725)", LULEA, LU_AUG, "valfardsbrottslighet/avbrottsregistrering", None),
    step("LU-km-hembesok-ingen-status", "LU Kontrollmoment hembesök, Status blank (L756-761)",
         LULEA, LU_AUG, "massflyktingdirektivet-boende/hembesok", None),
    step("LU-km-skolattacker-ingen-status", "LU Kontrollmoment skolattacker, Status blank "
         "(L864-869)", LULEA, LU_AUG, "skolattacker/utbildning-rutiner", None),
]

LULEA_ROUNDS = [
    _case("LU-aug-tkr", "LU 'Redovisning per verksamhet … (Tkr)', 'Resultaträkning, (tkr)' "
          "(L525, L565)", "round", (LULEA, LU_AUG, "amount_unit"), "tkr"),
    _case("LU-apr-tkr", "LU Prognos April, same table in tkr (L565)", "round",
          (LULEA, LU_APR, "amount_unit"), "tkr"),
    # Luleå prints only forecast deviations, never a forecast net cost: not reported.
    _case("LU-total-ingen-prognos-netto", "LU Redovisning per verksamhet: no forecast net cost "
          "column (L563-609)", "economy", (LULEA, LU_AUG, "agn", "forecast_net"), None,
          figure=False),
]

LINKOPING_ECONOMY = [
    # "Driftsammandrag för prognos för helår 2023, belopp mnkr" L316-346:
    # Prognos helår 2023 | Budget helår 2023 | Avvikelse | Bokslut 2022
    li_eco("LI-575-prognos", "LI Driftsammandrag prognos, 575 Ekonomiskt bistånd, Prognos helår "
           "(L336)", "575", "forecast_net", 313.0),
    li_eco("LI-575-budget", "LI Driftsammandrag prognos, 575 Ekonomiskt bistånd, Budget helår "
           "(L336)", "575", "budget_year", 323.7),
    li_eco("LI-575-avvikelse", "LI Driftsammandrag prognos, 575 Ekonomiskt bistånd, Avvikelse "
           "10,8 as printed (L336)", "575", "forecast_deviation", 10.8),
    li_eco("LI-575-bokslut", "LI Driftsammandrag prognos, 575 Ekonomiskt bistånd, Bokslut 2022 "
           "(L336)", "575", "bokslut_prev_year", 303.5),
    li_eco("LI-470-prognos", "LI Driftsammandrag prognos, 470 Grundläggande vuxenutb, Prognos "
           "helår (L332)", "470", "forecast_net", 23.7),
    li_eco("LI-470-avvikelse", "LI Driftsammandrag prognos, 470 Grundläggande vuxenutb, Avvikelse "
           "(L332)", "470", "forecast_deviation", -6.4),
    li_eco("LI-472-avvikelse", "LI Driftsammandrag prognos, 472 Gymn vuxenutb, Avvikelse (L333)",
           "472", "forecast_deviation", 10.9),
    li_eco("LI-476-budget", "LI Driftsammandrag prognos, 476 Svenska för invandrare, Budget helår "
           "(L335)", "476", "budget_year", 57.2),
    li_eco("LI-600-bokslut", "LI Driftsammandrag prognos, 600 Flyktingmottagande, Bokslut 2022 "
           "(L337)", "600", "bokslut_prev_year", 44.5),
    li_eco("LI-610-prognos", "LI Driftsammandrag prognos, 610 Arbetsmarknadsåtgärder, Prognos "
           "helår (L338)", "610", "forecast_net", 106.8),
    li_eco("LI-610-avvikelse", "LI Driftsammandrag prognos, 610 Arbetsmarknadsåtgärder, Avvikelse "
           "(L338; prose L404 -2,8)", "610", "forecast_deviation", -2.8),
    li_eco("LI-926-bokslut", "LI Driftsammandrag prognos, 926 Integrations- och "
           "arbetsmarknadsförvaltningen, Bokslut 2022 (L340-341)", "926", "bokslut_prev_year",
           11.3),
    li_eco("LI-100-prognos", "LI Driftsammandrag prognos, 100 Nämnd- och styrelseverksamhet, "
           "Prognos helår (L331)", "100", "forecast_net", 1.8),
    li_eco("LI-summa-prognos", "LI Driftsammandrag prognos, Summa nettokostnader 608,2 as printed "
           "(L343; rows sum to 608,1)", "summa-nettokostnader", "forecast_net", 608.2),
    li_eco("LI-summa-avvikelse", "LI Driftsammandrag prognos, Summa nettokostnader, Avvikelse "
           "(L343)", "summa-nettokostnader", "forecast_deviation", 16.4),
    li_eco("LI-summa-bokslut", "LI Driftsammandrag prognos, Summa nettokostnader, Bokslut 2022 "
           "(L343)", "summa-nettokostnader", "bokslut_prev_year", 583.9),
    li_eco("LI-enheter-prognos", "LI Driftsammandrag prognos, Resultat nämndens enheter, Prognos "
           "12,4 (L344)", "resultat-namndens-enheter", "forecast_net", 12.4),
    li_eco("LI-enheter-budget", "LI Driftsammandrag prognos, Resultat nämndens enheter, Budget "
           "0,0 (L344)", "resultat-namndens-enheter", "budget_year", 0.0),
    li_eco("LI-enheter-avvikelse", "LI Driftsammandrag prognos, Resultat nämndens enheter, "
           "Avvikelse -12,4 (L344)", "resultat-namndens-enheter", "forecast_deviation", -12.4),
    li_eco("LI-total-prognos", "LI Driftsammandrag prognos, Summa nettokostnader inkl. kommunal "
           "verksamhet, Prognos 620,6 (L345-346; also L90)", "amn", "forecast_net", 620.6),
    li_eco("LI-total-budget", "LI Driftsammandrag prognos, Summa inkl. kommunal verksamhet, "
           "Budget 624,6 (L346; also L90)", "amn", "budget_year", 624.6),
    li_eco("LI-total-avvikelse", "LI Driftsammandrag prognos, Summa inkl. kommunal verksamhet, "
           "Avvikelse 4,0 (L346; also L90)", "amn", "forecast_deviation", 4.0),
    li_eco("LI-total-bokslut", "LI Driftsammandrag prognos, Summa inkl. kommunal verksamhet, "
           "Bokslut 2022 (L346)", "amn", "bokslut_prev_year", 574.4),
    # "Driftsammandrag för resultat 31 augusti 2023" L277-312: Redovisat jan.-aug. 2023 | Budget
    # jan.-aug. 2023 | Avvikelse | Redovisat samma period föregående år
    li_eco("LI-575-utfall", "LI Driftsammandrag resultat, 575 Ekonomiskt bistånd, Redovisat "
           "jan.-aug. (L302)", "575", "actual_period", 206.1),
    li_eco("LI-575-periodbudget", "LI Driftsammandrag resultat, 575 Ekonomiskt bistånd, Budget "
           "jan.-aug. (L302)", "575", "budget_period", 215.8),
    li_eco("LI-575-periodavvikelse", "LI Driftsammandrag resultat, 575 Ekonomiskt bistånd, "
           "Avvikelse (L302)", "575", "deviation_period", 9.8),
    li_eco("LI-575-fg-ar", "LI Driftsammandrag resultat, 575 Ekonomiskt bistånd, samma period "
           "föregående år (L302)", "575", "actual_prev_period", 205.1),
    li_eco("LI-474-periodavvikelse", "LI Driftsammandrag resultat, 474 Särskild utbildning för "
           "vuxna, Avvikelse 0,2 as printed (L300)", "474", "deviation_period", 0.2),
    li_eco("LI-476-utfall", "LI Driftsammandrag resultat, 476 Svenska för invandrare, Redovisat "
           "(L301)", "476", "actual_period", 41.8),
    li_eco("LI-600-fg-ar", "LI Driftsammandrag resultat, 600 Flyktingmottagande, samma period "
           "föregående år (L303)", "600", "actual_prev_period", 30.7),
    li_eco("LI-921-fg-ar", "LI Driftsammandrag resultat, 921 Utbildningsförvaltningen, samma "
           "period föregående år 0,0 (L305)", "921", "actual_prev_period", 0.0),
    li_eco("LI-summa-utfall", "LI Driftsammandrag resultat, Summa nettokostnader, Redovisat "
           "(L309)", "summa-nettokostnader", "actual_period", 401.5),
    li_eco("LI-summa-periodbudget", "LI Driftsammandrag resultat, Summa nettokostnader, Budget "
           "jan.-aug. (L309)", "summa-nettokostnader", "budget_period", 415.7),
    li_eco("LI-enheter-utfall", "LI Driftsammandrag resultat, Resultat nämndens enheter, "
           "Redovisat 2,5 (L310)", "resultat-namndens-enheter", "actual_period", 2.5),
    li_eco("LI-enheter-fg-ar", "LI Driftsammandrag resultat, Resultat nämndens enheter, samma "
           "period föregående år -16,1 (L310)", "resultat-namndens-enheter",
           "actual_prev_period", -16.1),
    li_eco("LI-total-utfall", "LI Driftsammandrag resultat, Summa inkl. kommunal verksamhet, "
           "Redovisat 403,9 (L311-312; prose L70)", "amn", "actual_period", 403.9),
    li_eco("LI-total-periodbudget", "LI Driftsammandrag resultat, Summa inkl. kommunal "
           "verksamhet, Budget jan.-aug. (L312)", "amn", "budget_period", 408.5),
    li_eco("LI-total-periodavvikelse", "LI Driftsammandrag resultat, Summa inkl. kommunal "
           "verksamhet, Avvikelse 4,6 (L312; prose L71)", "amn", "deviation_period", 4.6),
    li_eco("LI-total-fg-ar", "LI Driftsammandrag resultat, Summa inkl. kommunal verksamhet, "
           "samma period föregående år (L312)", "amn", "actual_prev_period", 378.1),
    # Investeringar L419-435: "1250 - Pågående investeringar, trattinläsning 2,4 4,7 5,1 0,4"
    li_inv("LI-inv-1250-redovisat", "LI Investeringar, 1250, Redovisat jan.-aug. (L435)",
           "1250", "actual", 2.4),
    li_inv("LI-inv-1250-prognos", "LI Investeringar, 1250, Prognos 2023 (L435; also L92)",
           "1250", "forecast", 4.7),
    li_inv("LI-inv-1250-budget", "LI Investeringar, 1250, Budget 2023 (L435; also L92)",
           "1250", "budget", 5.1),
    li_inv("LI-inv-1250-avvikelse", "LI Investeringar, 1250, Avvikelse (L435; also L92)",
           "1250", "deviation", 0.4),
    _case("LI-mnkr", "LI 'Driftsammandrag …, belopp mnkr' (L277)", "round",
          (LINKOPING, LI_AUG, "amount_unit"), "mnkr"),
]

LINKOPING_GOALS_UPPDRAG = [
    # "Målredovisning med prognos" L446-682
    goal("LI-mal-professionellt-delvis", "LI Målområde Medborgare, 'Professionellt bemötande och "
         "hög tillgängligt' Uppnås delvis (L454-455)", LINKOPING, LI_AUG, "delvis",
         key="professionellt-bemotande"),
    goal("LI-mal-egenforsorjning-delvis", "LI 'Hög egenförsörjningsgrad' Uppnås delvis "
         "(L478-479)", LINKOPING, LI_AUG, "delvis", name="Hög egenförsörjningsgrad"),
    goal("LI-mal-kunskap-delvis", "LI 'Kunskap & kompetens' Uppnås delvis (L510-511)",
         LINKOPING, LI_AUG, "delvis", key="kunskap-kompetens"),
    goal("LI-mal-trygghet-uppnas", "LI 'Trygghet och Inflytande' Uppnås (L519-520)",
         LINKOPING, LI_AUG, "uppnas", name="Trygghet och Inflytande"),
    goal("LI-mal-likvardiga-uppnas", "LI 'Likvärdiga förutsättningar' Uppnås (L524-525)",
         LINKOPING, LI_AUG, "uppnas", key="likvardiga-forutsattningar"),
    goal("LI-mal-avtalstrohet-delvis", "LI Målområde Ekonomi, 'Hög avtalstrohet' Uppnås delvis "
         "(L532-533)", LINKOPING, LI_AUG, "delvis", key="hog-avtalstrohet"),
    goal("LI-mal-kostnadseffektiva-delvis", "LI 'Kostnadseffektiva arbetsmarknadsåtgärder' "
         "Uppnås delvis (L556-557)", LINKOPING, LI_AUG, "delvis",
         key="kostnadseffektiva-arbetsmarknadsatgarder"),
    goal("LI-mal-styrning-uppnas", "LI 'God ekonomisk styrning' Uppnås (L582-583)",
         LINKOPING, LI_AUG, "uppnas", name="God ekonomisk styrning"),
    goal("LI-mal-digitalisering-delvis", "LI Målområde Verksamhet, 'Digitaliseringens möjligheter "
         "tas tillvara' Uppnås delvis (L607-608)", LINKOPING, LI_AUG, "delvis",
         key="digitaliseringens-mojligheter"),
    goal("LI-mal-arbetsplatser-uppnas", "LI Målområde Medarbetare, 'Goda arbetsplatser' Uppnås "
         "(L633-634)", LINKOPING, LI_AUG, "uppnas", key="goda-arbetsplatser"),
    goal("LI-mal-chef-delvis", "LI 'Hållbart chef- och ledarskap' Uppnås delvis (L651-652)",
         LINKOPING, LI_AUG, "delvis", key="hallbart-chef-ledarskap"),
    goal("LI-mal-kompetens-uppnas", "LI 'Nya vägar för kompetensförsörjning' Uppnås (L670-671)",
         LINKOPING, LI_AUG, "uppnas", key="nya-vagar-kompetensforsorjning"),
    # "Strategiska utvecklingsuppdrag" L683-777
    act("LI-uppdrag-k01-pagar", "LI Kommungemensamma 1 (totalförsvarsplanering) pågår (L694-695)",
        LINKOPING, LI_AUG, "pagar", key="kommungemensamt-01"),
    act("LI-uppdrag-k02-pagar", "LI Kommungemensamma 2 (segregation) pågår (L697-700)",
        LINKOPING, LI_AUG, "pagar", key="kommungemensamt-02"),
    act("LI-uppdrag-k04-kvarstar", "LI Kommungemensamma 4 (ekologisk hållbarhet) kvarstår "
        "(L705-707)", LINKOPING, LI_AUG, "kvarstar", key="kommungemensamt-04"),
    act("LI-uppdrag-k04-ord", "LI Kommungemensamma 4, report word 'kvarstår' (L707)",
        LINKOPING, LI_AUG, Word("kvarstår"), key="kommungemensamt-04", column="status_word"),
    act("LI-uppdrag-k11-pagar", "LI Kommungemensamma 11 (sjukfrånvaro) pågår (L727)",
        LINKOPING, LI_AUG, "pagar", key="kommungemensamt-11"),
    act("LI-uppdrag-k12-pagar", "LI Kommungemensamma 12 (medarbetarnas perspektiv) pågår "
        "(L729-730)", LINKOPING, LI_AUG, "pagar", key="kommungemensamt-12"),
    act("LI-uppdrag-k13-pagar", "LI Kommungemensamma 13 (inköpsorganisation) 'pågår - "
        "genomförande av vissa delaktiviteter flyttas fram…' (L737-752)", LINKOPING, LI_AUG,
        "pagar", key="kommungemensamt-13"),
    act("LI-uppdrag-n01-pagar", "LI Nämndspecifika 1 (vuxenutbildningen möter arbetsmarknadens "
        "behov) pågår (L758-759)", LINKOPING, LI_AUG, "pagar", key="namndspecifikt-01"),
    act("LI-uppdrag-n04-pagar", "LI Nämndspecifika 4 (växla medel från försörjningsstöd) pågår "
        "(L767-769)", LINKOPING, LI_AUG, "pagar", key="namndspecifikt-04"),
    act("LI-uppdrag-n06-pagar", "LI Nämndspecifika 6 (sysselsättningsplatser) pågår (L775-777)",
        LINKOPING, LI_AUG, "pagar", key="namndspecifikt-06"),
    # "Uppföljning av internkontrollplan 2023" L804-865
    step("LI-ik01-pagar", "LI Internkontroll 1 (korrekta uppgifter i ansökan) 'Pågår enligt "
         "plan' (L808-809)", LINKOPING, LI_AUG, "ik-01", "pagar"),
    step("LI-ik12-pagar", "LI Internkontroll 12 (IST studieplanshantering) 'Pågår enligt plan' "
         "(L861-865)", LINKOPING, LI_AUG, "ik-12", "pagar"),
]

VOL = "Volymutveckling"
PERS = "Personal"

LINKOPING_VOLUMES_STAFF = [
    # "Volymutveckling" L966-1021: Helår 2022 | Augusti 2023 | Prognos 2023
    ind("LI-vol-hushall-2022", "LI Volymutveckling, Antal hushåll med insats ekonomiskt bistånd, "
        "Helår 2022 (L973-977)", "hushall-ekonomiskt-bistand", H2022, 2917, source=VOL),
    ind("LI-vol-hushall-aug", "LI Volymutveckling, Antal hushåll … ekonomiskt bistånd, Augusti "
        "2023 (L977)", "hushall-ekonomiskt-bistand", A2023, 2527, source=VOL),
    ind("LI-vol-hushall-prognos", "LI Volymutveckling, Antal hushåll … ekonomiskt bistånd, "
        "Prognos 2023 (L977)", "hushall-ekonomiskt-bistand", P2023, 2500, source=VOL,
        value_type="prognos"),
    ind("LI-vol-vuxna-aug", "LI Volymutveckling, Antal vuxna individer i insats ekonomiskt "
        "bistånd, Augusti 2023 (L979-983)", "vuxna-individer-ekonomiskt-bistand", A2023, 2990,
        source=VOL),
    ind("LI-vol-arena-2022-iu", "LI Volymutveckling, Arena arbetsmarknad, Helår 2022 'I.U5' "
        "(L985-989)", "deltagare-arena-arbetsmarknad", H2022, IU, source=VOL),
    ind("LI-vol-arena-aug", "LI Volymutveckling, Arena arbetsmarknad, Augusti 2023 (L992)",
        "deltagare-arena-arbetsmarknad", A2023, 483, source=VOL),
    ind("LI-vol-arena-prognos", "LI Volymutveckling, Arena arbetsmarknad, Prognos 2023 (L992)",
        "deltagare-arena-arbetsmarknad", P2023, 700, source=VOL, value_type="prognos"),
    ind("LI-vol-osa-aug", "LI Volymutveckling, Antal OSA per år, Augusti 2023 (L994-997)",
        "osa-anstallningar", A2023, 78, source=VOL),
    ind("LI-vol-elever-2022", "LI Volymutveckling, elever grundläggande och gymnasial nivå, Helår "
        "2022 '1850 (2100)' (L999-1004)", "elever-vux-grund-gymn", H2022, 1850, source=VOL),
    ind("LI-vol-elever-aug", "LI Volymutveckling, elever grundläggande och gymnasial nivå, "
        "Augusti 2023 '1800 (2300)' (L1006-1007)", "elever-vux-grund-gymn", A2023, 1800,
        source=VOL),
    ind_old("LI-vol-elever-aug-gammal", "LI Volymutveckling, elever grundläggande och gymnasial "
            "nivå, Augusti 2023 old method '(2300)' (L1007, footnote 6 L1062)",
            "elever-vux-grund-gymn", A2023, 2300),
    ind_old("LI-vol-elever-2022-gammal", "LI Volymutveckling, elever grundläggande och gymnasial "
            "nivå, Helår 2022 old method '(2100)' (L1004)", "elever-vux-grund-gymn", H2022, 2100),
    ind("LI-vol-sfi-aug", "LI Volymutveckling, elever SFI, Augusti 2023 '1350 (1300)' "
        "(L1011-1018)", "elever-sfi", A2023, 1350, source=VOL),
    ind_old("LI-vol-sfi-aug-gammal", "LI Volymutveckling, elever SFI, Augusti 2023 old method "
            "'(1300)' (L1018)", "elever-sfi", A2023, 1300),
    ind("LI-vol-sfi-prognos", "LI Volymutveckling, elever SFI, Prognos 2023 (L1020)",
        "elever-sfi", P2023, 1200, source=VOL, value_type="prognos"),
    # "Personal" L1027-1079: Helår 2022 | Augusti 2023 | Målvärde 2023, per förvaltning
    ind("LI-pers-tillsvidare-iaf-aug", "LI Personal, Antal tillsvidare anställda, IAF Augusti "
        "2023 (L1036)", "tillsvidareanstallda", A2023, 264, unit="iaf", source=PERS),
    ind("LI-pers-tillsvidare-iaf-2022", "LI Personal, Antal tillsvidare anställda, IAF Helår 2022 "
        "(L1032)", "tillsvidareanstallda", H2022, 241, unit="iaf", source=PERS),
    ind("LI-pers-tillsvidare-utb-aug", "LI Personal, Antal tillsvidare anställda, UTB (vux) "
        "Augusti 2023 (L1037)", "tillsvidareanstallda", A2023, 161, unit="utb", source=PERS),
    tgt("LI-pers-tillsvidare-iaf-mal", "LI Personal, Antal tillsvidare anställda, IAF Målvärde "
        "2023 (L1040)", "tillsvidareanstallda", 240, unit="iaf", source=PERS),
    ind("LI-pers-sjuk-iaf-aug", "LI Personal, Total sjukfrånvaro (%), IAF Augusti 2023 (L1050)",
        "sjukfranvaro-total", A2023, 6.7, unit="iaf", source=PERS),
    tgt("LI-pers-sjuk-iaf-mal", "LI Personal, Total sjukfrånvaro (%), IAF Målvärde 2023 (L1054)",
        "sjukfranvaro-total", 6.5, unit="iaf", source=PERS),
    ind("LI-pers-sjuk-utb-aug", "LI Personal, Total sjukfrånvaro (%), UTB (vux) Augusti 2023 "
        "(L1051)", "sjukfranvaro-total", A2023, 6.1, unit="utb", source=PERS),
    tgt("LI-pers-sjuk-utb-mal", "LI Personal, Total sjukfrånvaro (%), UTB (vux) Målvärde 2023 "
        "(L1055)", "sjukfranvaro-total", 5.2, unit="utb", source=PERS),
    ind("LI-pers-sjuk-iaf-2022", "LI Personal, Total sjukfrånvaro (%), IAF Helår 2022 = 7,7 "
        "(L1046)", "sjukfranvaro-total", H2022, 7.7, unit="iaf", source=PERS),
    ind("LI-pers-sjuk-utb-2022", "LI Personal, Total sjukfrånvaro (%), UTB (vux) Helår 2022 "
        "(L1047)", "sjukfranvaro-total", H2022, 3.9, unit="utb", source=PERS),
    ind("LI-pers-sjuk-hok", "LI Personal kommentar, sjukfrånvaro HÖK-medarbetare per augusti 5% "
        "(L1094)", "sjukfranvaro-total", A2023, 5, unit="iaf", breakdown="HÖK", source=PERS),
    ind("LI-pers-sjuk-osa", "LI Personal kommentar, sjukfrånvaro OSA-medarbetare 14,5% "
        "(L1094-1095)", "sjukfranvaro-total", A2023, 14.5, unit="iaf", breakdown="OSA",
        source=PERS),
    ind("LI-pers-avgangar-iaf-aug", "LI Personal, Personalavgångar externt (%), IAF Augusti 2023 "
        "(L1074)", "personalavgangar-externt", A2023, 5.1, unit="iaf", source=PERS),
    ind("LI-pers-avgangar-utb-2022", "LI Personal, Personalavgångar externt (%), UTB (vux) Helår "
        "2022 (L1071)", "personalavgangar-externt", H2022, 5.0, unit="utb", source=PERS),
    tgt("LI-pers-avgangar-utb-mal-personal", "LI Personal, Personalavgångar externt, UTB (vux) "
        "Målvärde 2,6 (L1079)", "personalavgangar-externt", 2.6, unit="utb", source=PERS),
    tgt("LI-pers-avgangar-iaf-mal", "LI Personal, Personalavgångar externt, IAF Målvärde 6 "
        "(L1078)", "personalavgangar-externt", 6, unit="iaf", source=PERS),
]

LINKOPING_INDICATORS = [
    # Målområde Medborgare, Välfärdstjänster (L1098-1213): Helår 2021 | Helår 2022 | Aug 2023 | Mål
    ind("LI-brukar-2021", "LI Nämndindikatorer, Andel positiva svar i brukarenkät, Helår 2021 "
        "'908' = 90 + footnote 8 (L1119)", "brukarenkat-positiva-svar", H2021, 90),
    ind("LI-brukar-2022", "LI Nämndindikatorer, Andel positiva svar i brukarenkät, Helår 2022 "
        "'88,99' = 88,9 + footnote 9 (L1119)", "brukarenkat-positiva-svar", H2022, 88.9),
    ind("LI-brukar-aug-iu", "LI Nämndindikatorer, Andel positiva svar i brukarenkät, Augusti "
        "2023 'I.U.10' (L1119, footnote 10 L1205)", "brukarenkat-positiva-svar", A2023, IU),
    tgt("LI-brukar-mal", "LI Nämndindikatorer, Andel positiva svar i brukarenkät, Målvärde 88 "
        "(L1122)", "brukarenkat-positiva-svar", 88),
    ind("LI-tillganglighet-amc-2022", "LI Nämndindikatorer, Tillgänglighet AMC Helår 2022 96,4 "
        "(L1130-1131)", "brukarenkat-tillganglighet", H2022, 96.4, breakdown="AMC"),
    ind("LI-tillganglighet-amf-2022", "LI Nämndindikatorer, Tillgänglighet AMF Helår 2022 '85,7.' "
        "(L1133-1134)", "brukarenkat-tillganglighet", H2022, 85.7, breakdown="AMF"),
    ind("LI-bemotande-amf-2021", "LI Nämndindikatorer, Bemötande AMF Helår 2021 92 (L1141-1142)",
        "brukarenkat-bemotande", H2021, 92, breakdown="AMF"),
    ind("LI-vantetid-2021", "LI Nämndindikatorer, Väntetid … försörjningsstöd, Helår 2021 15 "
        "(L1159)", "vantetid-forsorjningsstod", H2021, 15),
    ind("LI-vantetid-2022-iu", "LI Nämndindikatorer, Väntetid, Helår 2022 'I.U12' (L1159)",
        "vantetid-forsorjningsstod", H2022, IU),
    ind("LI-vantetid-aug-iu", "LI Nämndindikatorer, Väntetid, Augusti 2023 'I.U13' (L1159)",
        "vantetid-forsorjningsstod", A2023, IU),
    tgt("LI-vantetid-mal", "LI Nämndindikatorer, Väntetid, Målvärde 12 (L1159)",
        "vantetid-forsorjningsstod", 12),
    # Stark gemenskap och människor i arbete (L1214-1388)
    ind("LI-avslut-med-sub-2022", "LI Nämndindikatorer, avslutas till arbete med subvention, "
        "Helår 2022 '6217' = 62 + footnote 17 (L1238)", "avslut-arbete-med-subvention", H2022, 62),
    ind("LI-avslut-med-sub-aug", "LI Nämndindikatorer, avslutas till arbete med subvention, "
        "Augusti 2023 (L1238)", "avslut-arbete-med-subvention", A2023, 25),
    ind("LI-avslut-med-sub-kvinnor-aug", "LI Nämndindikatorer, arbete med subvention, Kvinnor "
        "Augusti 2023 (L1240)", "avslut-arbete-med-subvention", A2023, 9, gender="K"),
    ind("LI-avslut-med-sub-man-2021", "LI Nämndindikatorer, arbete med subvention, Män Helår 2021 "
        "(L1242)", "avslut-arbete-med-subvention", H2021, 25, gender="M"),
    tgt("LI-avslut-med-sub-mal", "LI Nämndindikatorer, arbete med subvention, Målvärde 100 "
        "(L1238)", "avslut-arbete-med-subvention", 100),
    ind("LI-avslut-utan-sub-aug", "LI Nämndindikatorer, avslutas till arbete utan subvention, "
        "Augusti 2023 41 as printed (L1260; K 26 + M 21 = 47)", "avslut-arbete-utan-subvention",
        A2023, 41),
    ind("LI-avslut-utan-sub-kvinnor-2021", "LI Nämndindikatorer, arbete utan subvention, Kvinnor "
        "Helår 2021 (L1262)", "avslut-arbete-utan-subvention", H2021, 39, gender="K"),
    ind("LI-avslut-studier-2021", "LI Nämndindikatorer, avslutas till studier med ersättning, "
        "Helår 2021 (L1275)", "avslut-studier-med-ersattning", H2021, 69),
    ind("LI-avslut-studier-kvinnor-2021", "LI Nämndindikatorer, till studier, Kvinnor Helår 2021 "
        "(L1283)", "avslut-studier-med-ersattning", H2021, 52, gender="K"),
    ind("LI-hushall-nind-2021-iu", "LI Nämndindikatorer, Antal hushåll med insats ekonomiskt "
        "bistånd, Helår 2021 'I.U20' (L1304, footnote 20 L1311)", "hushall-ekonomiskt-bistand",
        H2021, IU),
    ind("LI-hushall-nind-aug", "LI Nämndindikatorer, Antal hushåll med insats ekonomiskt bistånd, "
        "Augusti 2023 (L1304)", "hushall-ekonomiskt-bistand", A2023, 2527),
    tgt("LI-hushall-nind-mal", "LI Nämndindikatorer, Antal hushåll med insats ekonomiskt "
        "bistånd, Målvärde 2500 (L1304)", "hushall-ekonomiskt-bistand", 2500),
    ind("LI-utbetalning-2021", "LI Nämndindikatorer, Antal utbetalningshushåll, Helår 2021 "
        "(L1329)", "utbetalningshushall", H2021, 2535),
    ind("LI-utbetalning-2022", "LI Nämndindikatorer, Antal utbetalningshushåll, Helår 2022 "
        "(L1329)", "utbetalningshushall", H2022, 2385),
    ind("LI-utbetalning-aug", "LI Nämndindikatorer, Antal utbetalningshushåll, Augusti 2023 "
        "(L1329)", "utbetalningshushall", A2023, 2160),
    tgt("LI-utbetalning-mal", "LI Nämndindikatorer, Antal utbetalningshushåll, Målvärde 2200 "
        "(L1329)", "utbetalningshushall", 2200),
    ind("LI-langvarigt-aug", "LI Nämndindikatorer, hushåll långvarigt biståndsbehov, Augusti 2023 "
        "(L1338)", "hushall-langvarigt-bistand", A2023, 1505),
    tgt("LI-langvarigt-mal", "LI Nämndindikatorer, hushåll långvarigt biståndsbehov, Målvärde "
        "(L1338)", "hushall-langvarigt-bistand", 1650),
    ind("LI-barn-2021-iu", "LI Nämndindikatorer, Antal registrerade barn, Helår 2021 I.U "
        "(L1344)", "barn-hushall-ekonomiskt-bistand", H2021, IU),
    ind("LI-barn-aug", "LI Nämndindikatorer, Antal registrerade barn, Augusti 2023 (L1344)",
        "barn-hushall-ekonomiskt-bistand", A2023, 2441),
    ind("LI-barn-langvarigt-2022", "LI Nämndindikatorer, barn långvarigt biståndsbehov, Helår "
        "2022 (L1351)", "barn-langvarigt-bistand", H2022, 1342),
    ind("LI-andel-befolkning-2021", "LI Nämndindikatorer, Andel av befolkningen … ekonomiskt "
        "bistånd, Helår 2021 '4,823' = 4,8 + footnote 23 (L1359)",
        "andel-befolkning-ekonomiskt-bistand", H2021, 4.8),
    ind("LI-andel-befolkning-aug", "LI Nämndindikatorer, Andel av befolkningen, Augusti 2023 "
        "'4,425' = 4,4 + footnote 25 (L1359)", "andel-befolkning-ekonomiskt-bistand", A2023, 4.4),
    tgt("LI-andel-befolkning-mal", "LI Nämndindikatorer, Andel av befolkningen, Målvärde 4,6 "
        "(L1359)", "andel-befolkning-ekonomiskt-bistand", 4.6),
    ind("LI-ej-ater-2021", "LI Nämndindikatorer, Andel ej återaktualiserade, Helår 2021 '6426' = "
        "64 + footnote 26 (L1368)", "ej-ateraktualiserade", H2021, 64),
    ind("LI-ej-ater-2022", "LI Nämndindikatorer, Andel ej återaktualiserade, Helår 2022 '7427' = "
        "74 + footnote 27 (L1368)", "ej-ateraktualiserade", H2022, 74),
    ind("LI-ej-ater-aug", "LI Nämndindikatorer, Andel ej återaktualiserade, Augusti 2023 '7628' = "
        "76 + footnote 28 (L1368)", "ej-ateraktualiserade", A2023, 76),
    tgt("LI-ej-ater-mal", "LI Nämndindikatorer, Andel ej återaktualiserade, Målvärde 77 (L1368)",
        "ej-ateraktualiserade", 77),
    # Skolor med studiero (L1389-1587)
    ind("LI-gymn-aug", "LI Nämndindikatorer, Vuxenutbildning gymnasiala kurser andel godkända, "
        "Augusti 2023 '81,7.' (L1411)", "godkanda-gymnasiala", A2023, 81.7),
    ind("LI-gymn-2021", "LI Nämndindikatorer, gymnasiala kurser andel godkända, Helår 2021 "
        "(L1411)", "godkanda-gymnasiala", H2021, 86.0),
    tgt("LI-gymn-mal", "LI Nämndindikatorer, gymnasiala kurser andel godkända, Målvärde 86,0 "
        "(L1411)", "godkanda-gymnasiala", 86.0),
    ind("LI-gymn-kvinnor-aug", "LI Nämndindikatorer, gymnasiala kurser, Kvinnor Augusti 2023 "
        "'83,5.' (L1413)", "godkanda-gymnasiala", A2023, 83.5, gender="K"),
    ind("LI-gymn-kvinnor-2022", "LI Nämndindikatorer, gymnasiala kurser, Kvinnor Helår 2022 "
        "'82,6.' (L1413)", "godkanda-gymnasiala", H2022, 82.6, gender="K"),
    tgt("LI-gymn-kvinnor-mal", "LI Nämndindikatorer, gymnasiala kurser, Kvinnor Målvärde 90,0 "
        "(L1413)", "godkanda-gymnasiala", 90.0, gender="K"),
    ind("LI-gymn-man-aug", "LI Nämndindikatorer, gymnasiala kurser, Män Augusti 2023 '77,9.' "
        "(L1415)", "godkanda-gymnasiala", A2023, 77.9, gender="M"),
    tgt("LI-gymn-man-mal", "LI Nämndindikatorer, gymnasiala kurser, Män Målvärde 85,0 (L1415)",
        "godkanda-gymnasiala", 85.0, gender="M"),
    ind("LI-grund-aug", "LI Nämndindikatorer, grundläggande kurser andel godkända, Augusti 2023 "
        "(L1424)", "godkanda-grundlaggande", A2023, 81.0),
    ind("LI-grund-man-2022", "LI Nämndindikatorer, grundläggande kurser, Män Helår 2022 (L1428)",
        "godkanda-grundlaggande", H2022, 72.9, gender="M"),
    ind("LI-sfi-n18409-2022", "LI Nämndindikatorer, SFI klarat minst två kurser (Kolada N18409), "
        "Helår 2022 (L1437)", "sfi-klarat-tva-kurser", H2022, 33.4),
    ind("LI-sfi-n18409-2021", "LI Nämndindikatorer, SFI N18409, Helår 2021 (L1437)",
        "sfi-klarat-tva-kurser", H2021, 33.8),
    ind("LI-sfi-n18409-aug-iu", "LI Nämndindikatorer, SFI N18409, Augusti 2023 I.U. (L1437)",
        "sfi-klarat-tva-kurser", A2023, IU),
    tgt("LI-sfi-n18409-mal", "LI Nämndindikatorer, SFI N18409, Målvärde 38,0 (L1437)",
        "sfi-klarat-tva-kurser", 38.0),
    ind("LI-sfi-n18409-kvinnor-2022", "LI Nämndindikatorer, SFI N18409, Kvinnor Helår 2022 "
        "(L1439)", "sfi-klarat-tva-kurser", H2022, 40.7, gender="K"),
    ind("LI-sfi-n18409-man-aug-iu", "LI Nämndindikatorer, SFI N18409, Män Augusti 2023 I.U. "
        "(L1441)", "sfi-klarat-tva-kurser", A2023, IU, gender="M"),
    ind("LI-sfi-genomstromning-sv2-aug", "LI Nämndindikatorer, Genomströmningstid SFI, "
        "Studieväg 2 Augusti 2023 (L1450, L1458)", "sfi-genomstromning", A2023, 1.5,
        breakdown="Studieväg 2"),
    ind("LI-laer-mig-2022", "LI Nämndindikatorer, Jag lär mig mycket i skolan, Helår 2022 "
        "(L1483)", "jag-lar-mig-mycket", H2022, 85.6),
    ind("LI-inflytande-aug-iu", "LI Nämndindikatorer, Jag har inflytande på arbetssätt…, "
        "Augusti 2023 I.U. (L1510)", "inflytande-arbetssatt", A2023, IU),
    ind("LI-framfora-2021", "LI Nämndindikatorer, Som kursdeltagare … framföra synpunkter, Helår "
        "2021 '83,4.' (L1527)", "framfora-synpunkter", H2021, 83.4),
    ind("LI-trygg-sfi-2022", "LI Nämndindikatorer, SFI 'Jag känner mig trygg i skolan', Helår "
        "2022 (L1555)", "trygg-i-skolan-sfi", H2022, 93.5),
    tgt("LI-behandlar-lika-mal", "LI Nämndindikatorer, Skolan behandlar alla lika, Målvärde "
        "(L1587)", "behandlar-alla-lika", 90.0),
    # Målområde Ekonomi (L1588-1706)
    ind("LI-ehandel-aug", "LI Nämndindikatorer, E-handelstrohet %, Augusti 2023 83,5% (L1611)",
        "e-handelstrohet", A2023, 83.5),
    ind("LI-ehandel-2022", "LI Nämndindikatorer, E-handelstrohet %, Helår 2022 76,8 % (L1611)",
        "e-handelstrohet", H2022, 76.8),
    tgt("LI-ehandel-mal", "LI Nämndindikatorer, E-handelstrohet %, Målvärde 95 % (L1611)",
        "e-handelstrohet", 95),
    ind("LI-belaggning-externa-aug", "LI Nämndindikatorer, Beläggningsgrad (externa platser), "
        "Augusti 2023 (L1616)", "belaggningsgrad-externa", A2023, 58.4),
    ind("LI-kostnad-plats-interna-aug", "LI Nämndindikatorer, Kostnad per plats "
        "(förvaltningsinterna), Augusti 2023 244 tkr/år (L1634-1635)",
        "kostnad-per-plats-interna", A2023, 244),
    tgt("LI-kostnad-plats-externa-mal", "LI Nämndindikatorer, Kostnad per plats (externa), "
        "Målvärde 25 tkr/år (L1652)", "kostnad-per-plats-externa", 25),
    ind("LI-avvikelse-budget-2021", "LI Nämndindikatorer, Avvikelse mot budget %, Helår 2021 "
        "-1,6 % (L1672)", "avvikelse-mot-budget", H2021, -1.6),
    ind("LI-avvikelse-budget-aug", "LI Nämndindikatorer, Avvikelse mot budget %, Augusti 2023 "
        "1,1 % (L1672)", "avvikelse-mot-budget", A2023, 1.1),
    tgt("LI-avvikelse-budget-mal", "LI Nämndindikatorer, Avvikelse mot budget, Målvärde ≥0 "
        "(L1672)", "avvikelse-mot-budget", 0),
    tgt("LI-avvikelse-budget-jmf", "LI Nämndindikatorer, Avvikelse mot budget, Målvärde '≥0' "
        "comparator (L1672)", "avvikelse-mot-budget", "≥", column="comparator"),
    ind("LI-traffsakerhet-aug-2021", "LI Nämndindikatorer, Träffsäkerhet ekonomiprognos, "
        "Augusti, Helår 2021 -2,6 % (L1684)", "traffsakerhet-ekonomiprognos", H2021, -2.6,
        breakdown="Augusti"),
    ind("LI-traffsakerhet-okt-2022", "LI Nämndindikatorer, Träffsäkerhet ekonomiprognos, "
        "Oktober, Helår 2022 1,3 % (L1692)", "traffsakerhet-ekonomiprognos", H2022, 1.3,
        breakdown="Oktober"),
    tgt("LI-traffsakerhet-okt-mal", "LI Nämndindikatorer, Träffsäkerhet, Oktober Målvärde "
        "<0,5 % (L1692)", "traffsakerhet-ekonomiprognos", 0.5, breakdown="Oktober"),
    # Målområde Verksamhet (L1714-1767)
    ind("LI-eansok-aug", "LI Nämndindikatorer, Andel e-ansökningar, Augusti 2023 '5534' = 55 + "
        "footnote 34 (L1735)", "e-ansokningar", A2023, 55),
    ind("LI-eansok-2022", "LI Nämndindikatorer, Andel e-ansökningar, Helår 2022 (L1735)",
        "e-ansokningar", H2022, 43.5),
    tgt("LI-eansok-mal", "LI Nämndindikatorer, Andel e-ansökningar, Målvärde 60 (L1735)",
        "e-ansokningar", 60),
    ind("LI-digitalisering-2022", "LI Nämndindikatorer, Vuxenutbildningen: Digitalisering i "
        "skolan, Helår 2022 (L1767)", "digitalisering-i-skolan", H2022, 80.7),
    # Målområde Medarbetare (L1771-2262), per förvaltning
    ind("LI-nind-sjuk-iaf-2022", "LI Nämndindikatorer, Total sjukfrånvaro %, Helår 2022 7,6 "
        "(L1802; contradicts Personal 7,7 at L1046)", "sjukfranvaro-total", H2022, 7.6,
        unit="iaf"),
    ind("LI-nind-sjuk-iaf-aug", "LI Nämndindikatorer, Total sjukfrånvaro %, IAF Augusti 2023 6,7 "
        "(L1794)", "sjukfranvaro-total", A2023, 6.7, unit="iaf"),
    tgt("LI-nind-sjuk-iaf-mal", "LI Nämndindikatorer, Total sjukfrånvaro %, IAF Målvärde 6,5 "
        "(L1794)", "sjukfranvaro-total", 6.5, unit="iaf"),
    ind("LI-nind-sjuk-utb-aug", "LI Nämndindikatorer, Total sjukfrånvaro %, UTB (vux) Augusti "
        "2023 6,1 (L1804-1806)", "sjukfranvaro-total", A2023, 6.1, unit="utb"),
    ind("LI-nind-sjuk-sof-2021", "LI Nämndindikatorer, Total sjukfrånvaro %, SOF Helår 2021 4,8 "
        "(L1788-1789)", "sjukfranvaro-total", H2021, 4.8, unit="sof"),
    ind("LI-hme-iaf-aug", "LI Nämndindikatorer, HME, IAF Augusti 2023 72 (L1894)", "hme", A2023,
        72, unit="iaf"),
    ind("LI-chefsindex-iaf-aug", "LI Nämndindikatorer, Chefsindex, IAF Augusti 2023 69 (L2016; "
        "prose L667 'IAF når inte målvärdet')", "chefsindex", A2023, 69, unit="iaf"),
    tgt("LI-chefsindex-iaf-mal", "LI Nämndindikatorer, Chefsindex, IAF Målvärde 74,6 (L2016)",
        "chefsindex", 74.6, unit="iaf"),
    ind("LI-medarbetare-per-chef-iaf-aug", "LI Nämndindikatorer, Antal medarbetare per 1:a "
        "linjens chef, IAF Augusti 2023 14 (L1946)", "medarbetare-per-chef", A2023, 14,
        unit="iaf"),
    tgt("LI-medarbetare-per-chef-iaf-mal", "LI Nämndindikatorer, medarbetare per chef, IAF "
        "Målvärde ≤ 30 (L1946-1947)", "medarbetare-per-chef", 30, unit="iaf"),
    ind("LI-heltid-iaf-aug", "LI Nämndindikatorer, Andel heltidsanställningar, IAF Augusti 2023 "
        "97,3 (L2145-2146)", "andel-heltid", A2023, 97.3, unit="iaf"),
    ind("LI-nind-avgangar-iaf-aug", "LI Nämndindikatorer, Personalavgångar externt %, IAF "
        "Augusti 2023 5,1 (L2225-2226)", "personalavgangar-externt", A2023, 5.1, unit="iaf"),
    tgt("LI-nind-avgangar-utb-mal", "LI Nämndindikatorer, Personalavgångar externt, UTB (vux) "
        "Målvärde 2,4 (L2242-2243; Personal says 2,6 at L1079)", "personalavgangar-externt", 2.4,
        unit="utb"),
]

CASES = (
    LULEA_ECONOMY_AUGUST
    + LULEA_FORECAST_APRIL
    + LULEA_RESULT
    + LULEA_GOALS_ACTIVITIES
    + LULEA_RISKS
    + LULEA_ROUNDS
    + LINKOPING_ECONOMY
    + LINKOPING_GOALS_UPPDRAG
    + LINKOPING_VOLUMES_STAFF
    + LINKOPING_INDICATORS
)


# --- the test -----------------------------------------------------------------------------------


def _check(found, expected, where):
    assert found is not AMBIGUOUS, f"{where}: more than one row matches; the locator is ambiguous"
    if found is NOT_FOUND:
        pytest.fail(f"{where}: no row in the database (expected {expected!r})")
    if expected is IU:
        value, missing = found
        assert missing is True and value is None, (
            f"{where}: report prints I.U.; database has value={value!r}, missing={missing!r}"
        )
        return
    if isinstance(found, tuple) and len(found) == 2:  # (value, missing) of an indicator value
        value, missing = found
        assert not missing, f"{where}: report prints {expected!r}; database marks it I.U."
        found = value
    if expected is None:
        assert found is None, f"{where}: report gives nothing; database has {found!r}"
    elif isinstance(expected, bool):
        assert found == expected, f"{where}: report gives {expected}; database has {found!r}"
    elif isinstance(expected, (int, float)):
        assert found is not None, f"{where}: report prints {expected}; database has NULL"
        assert found == pytest.approx(float(expected), abs=1e-9), (
            f"{where}: report prints {expected}; database has {found!r}"
        )
    elif isinstance(expected, Word):
        assert isinstance(found, str) and found.casefold() == expected.casefold(), (
            f"{where}: report prints {str(expected)!r}; database has {found!r}"
        )
    else:
        assert found == expected, f"{where}: report prints {expected!r}; database has {found!r}"


@pytest.mark.parametrize(("where", "fetch", "args", "expected"), CASES)
def test_report_figure(builtin_engine, where, fetch, args, expected):
    with builtin_engine.connect() as conn:
        found = FETCHERS[fetch](conn, *args)
    _check(found, expected, where)


def test_enough_figures():
    """The table holds at least 70 figures read from the reports, from both reports."""
    figures = [c for c in CASES if c.id not in NOT_FIGURES]
    assert len(figures) >= 70
    assert sum(1 for c in figures if c.id.startswith("LU-")) >= 35
    assert sum(1 for c in figures if c.id.startswith("LI-")) >= 35
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
