"""SQLAlchemy schema: organisation, rounds, economy, goals, indicators, internal control, log.

Dimension rows (units, goals, activities, indicators, risks, control steps) are identities only: a
nämnd and a natural key, so their ids stay stable across imports. What each is called, where it
sits and how it is described belongs to a round (`*Version` tables): an adopted round keeps its
own names when a later draft renames something, and an older round keeps its own organisation.
Fact rows belong to a round and have natural composite primary keys, so re-importing a round
reproduces them exactly. `RoundVersion` keeps every imported workbook of every round.
Every amount is stored as reported, in the round's `amount_unit`; NULL means "not reported".
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- organisation -------------------------------------------------------------------------


class Kommun(Base):
    __tablename__ = "kommun"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Namnd(Base):
    __tablename__ = "namnd"
    __table_args__ = (UniqueConstraint("kommun_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kommun_id: Mapped[int] = mapped_column(ForeignKey("kommun.id"))
    code: Mapped[str] = mapped_column(String(20))


class OrgUnit(Base):
    """A node of a nämnd's tree, by its stable key. What it is called, where it sits and whether
    it is historical belong to each round (`UnitVersion`), so a draft never renames an adopted
    round's units and an older round keeps its own organisation."""

    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


# --- rounds -------------------------------------------------------------------------------


class Round(Base):
    """An uppföljningstillfälle: one report of one nämnd for one period end."""

    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("namnd_id", "period_end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    # The nämnd's name as this round's workbook gives it (names are per round, like the units').
    namnd_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # Delår 1, Delår 2, Bokslut, Månad
    amount_unit: Mapped[str] = mapped_column(String(10))  # tkr | mnkr
    decimals: Mapped[int] = mapped_column(Integer)
    report_title: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="fastställd")
    adopted_date: Mapped[dt.date | None] = mapped_column(Date)
    adopted_paragraph: Mapped[str | None] = mapped_column(String(50))
    # Which sections the workbook contained; absent sections are "not reported" for the round.
    sections: Mapped[str] = mapped_column(Text, default="")
    # The förvaltning whose working draft this is (drafts only; NULL = the nämnd's own draft).
    forvaltning_key: Mapped[str | None] = mapped_column(String(200))


class UnitVersion(Base):
    """A unit as one round's organisation gives it: name, level, parent, code, historical."""

    __tablename__ = "unit_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    # Nearest ancestor (or self) of level "förvaltning"; NULL = belongs to the nämnd as a whole.
    forvaltning_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    code: Mapped[str | None] = mapped_column(String(40))
    historical: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(Integer, default=0)


class RoundVersion(Base):
    """Every import of a round, kept: the workbook's sheets as imported (JSON, compressed), so any
    earlier version can be listed and restored (`versioner`, `aterstall`)."""

    __tablename__ = "round_version"
    __table_args__ = (UniqueConstraint("namnd_id", "period_end", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(300))
    payload: Mapped[bytes] = mapped_column(LargeBinary)


# --- economy ------------------------------------------------------------------------------


class EconomyLine(Base):
    __tablename__ = "economy_line"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    budget_year: Mapped[float | None] = mapped_column(Float)
    budget_period: Mapped[float | None] = mapped_column(Float)
    actual_period: Mapped[float | None] = mapped_column(Float)
    deviation_period: Mapped[float | None] = mapped_column(Float)
    forecast_net: Mapped[float | None] = mapped_column(Float)
    forecast_deviation: Mapped[float | None] = mapped_column(Float)
    actual_prev_period: Mapped[float | None] = mapped_column(Float)
    bokslut_prev_year: Mapped[float | None] = mapped_column(Float)
    budget_share_pct: Mapped[float | None] = mapped_column(Float)


class EconomyRollup(Base):
    """A round's economy tree as `economy.economy_table` gives it for that round alone (its own
    organisation, no previous round), stored by the import in the same transaction as the
    economy lines, and by init-db for rounds imported before revision 0005. Printed figures are
    kept as printed; a figure the report did not print is the computed sum, flagged in
    `<field>_computed` (economy.py's rule, applied by the same code). One row per unit with any
    amount; pages read these instead of rebuilding the tree on every run (docs/benchmark.md)."""

    __tablename__ = "economy_rollup"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    budget_year: Mapped[float | None] = mapped_column(Float)
    budget_period: Mapped[float | None] = mapped_column(Float)
    actual_period: Mapped[float | None] = mapped_column(Float)
    deviation_period: Mapped[float | None] = mapped_column(Float)
    forecast_net: Mapped[float | None] = mapped_column(Float)
    forecast_deviation: Mapped[float | None] = mapped_column(Float)
    actual_prev_period: Mapped[float | None] = mapped_column(Float)
    bokslut_prev_year: Mapped[float | None] = mapped_column(Float)
    budget_share_pct: Mapped[float | None] = mapped_column(Float)
    budget_year_computed: Mapped[bool] = mapped_column(Boolean)
    budget_period_computed: Mapped[bool] = mapped_column(Boolean)
    actual_period_computed: Mapped[bool] = mapped_column(Boolean)
    deviation_period_computed: Mapped[bool] = mapped_column(Boolean)
    forecast_net_computed: Mapped[bool] = mapped_column(Boolean)
    forecast_deviation_computed: Mapped[bool] = mapped_column(Boolean)
    actual_prev_period_computed: Mapped[bool] = mapped_column(Boolean)
    bokslut_prev_year_computed: Mapped[bool] = mapped_column(Boolean)
    reported: Mapped[bool] = mapped_column(Boolean)
    own_forecast: Mapped[bool] = mapped_column(Boolean)
    summary_line: Mapped[bool] = mapped_column(Boolean)


class EconomyRollupRound(Base):
    """A round whose tree is stored (also when it has no economy: then no rows), and which value
    columns economy_table returned as object (all missing: a field the round printed for no unit
    keeps None where the unit reported and NaN elsewhere), so the stored tree reads back as the
    computed one down to its dtypes."""

    __tablename__ = "economy_rollup_round"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    object_columns: Mapped[str] = mapped_column(String(400))


class ResultLine(Base):
    __tablename__ = "result_line"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    actual_period: Mapped[float | None] = mapped_column(Float)
    budget_year: Mapped[float | None] = mapped_column(Float)
    forecast_year: Mapped[float | None] = mapped_column(Float)
    actual_prev_period: Mapped[float | None] = mapped_column(Float)


class CostByType(Base):
    __tablename__ = "cost_by_type"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # intäkt | kostnad
    category: Mapped[str] = mapped_column(String(200), primary_key=True)
    actual_period: Mapped[float | None] = mapped_column(Float)
    actual_prev_period: Mapped[float | None] = mapped_column(Float)


class Investment(Base):
    __tablename__ = "investment"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    project_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    actual: Mapped[float | None] = mapped_column(Float)
    forecast: Mapped[float | None] = mapped_column(Float)
    budget: Mapped[float | None] = mapped_column(Float)
    deviation: Mapped[float | None] = mapped_column(Float)


class Commentary(Base):
    """The controller's analysis text: why the figures look as they do."""

    __tablename__ = "commentary"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    section: Mapped[str] = mapped_column(String(40))
    heading: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)


class Event(Base):
    __tablename__ = "event"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    kind: Mapped[str] = mapped_column(String(40))
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    heading: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)


# --- goals and activities -----------------------------------------------------------------


class Goal(Base):
    """A goal by its stable key; its name, level and place are per round (`GoalVersion`)."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


class GoalVersion(Base):
    """A goal as one round's workbook gives it."""

    __tablename__ = "goal_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class GoalAssessment(Base):
    __tablename__ = "goal_assessment"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(30))  # canonical; NULL = not reported
    status_word: Mapped[str | None] = mapped_column(String(60))  # the report's own word
    comment: Mapped[str | None] = mapped_column(Text)
    comment_date: Mapped[dt.date | None] = mapped_column(Date)


class Activity(Base):
    """An activity, process or uppdrag by its stable key; the rest is per round."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


class ActivityVersion(Base):
    __tablename__ = "activity_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ActivityStatus(Base):
    __tablename__ = "activity_status"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(30))
    status_word: Mapped[str | None] = mapped_column(String(60))
    status_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    comment_date: Mapped[dt.date | None] = mapped_column(Date)


# --- indicators ---------------------------------------------------------------------------


class Indicator(Base):
    """An indicator by its stable key; name, unit, direction, footnote … are per round."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


class IndicatorVersion(Base):
    __tablename__ = "indicator_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))  # nämndindikator | volymtal | personal
    measure_unit: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))  # högre | lägre | ingen
    accumulation: Mapped[str] = mapped_column(String(20))  # ackumulerande | ögonblick | andel
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    source: Mapped[str | None] = mapped_column(String(200))
    kolada_id: Mapped[str | None] = mapped_column(String(20))
    footnote: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(Base):
    __tablename__ = "indicator_value"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    period_end: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value_type: Mapped[str] = mapped_column(String(10), primary_key=True)  # utfall | prognos
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)  # T | K | M
    breakdown: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    source_table: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    period_label: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    missing: Mapped[bool] = mapped_column(Boolean, default=False)  # I.U. printed
    old_method_value: Mapped[float | None] = mapped_column(Float)
    footnote: Mapped[str | None] = mapped_column(Text)


class IndicatorTarget(Base):
    __tablename__ = "indicator_target"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    period_end: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    source_table: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    period_label: Mapped[str] = mapped_column(String(60))
    comparator: Mapped[str | None] = mapped_column(String(2))  # as printed, else NULL
    target_value: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str | None] = mapped_column(Text)


class IndicatorStatus(Base):
    """A round's indicator values that status mot målvärde judges (`targets.latest_rows`): each
    series' outcomes at its latest period, every table's, in the order of the round's values
    (`seq`), each with its series' number of distinct values and its target. Stored by the import
    in the same transaction as the values and targets, and by init-db for rounds imported before
    revision 0006 (indicator_status.py); pages judge a scope's rows instead of recomputing the
    status from all values on every new round (docs/benchmark.md)."""

    __tablename__ = "indicator_status"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    gender: Mapped[str] = mapped_column(String(1))
    breakdown: Mapped[str] = mapped_column(String(100))
    source_table: Mapped[str] = mapped_column(String(100))
    period_end: Mapped[dt.date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    missing: Mapped[bool] = mapped_column(Boolean)
    footnote: Mapped[str | None] = mapped_column(Text)
    n_values: Mapped[int] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str | None] = mapped_column(Text)
    printed_comparator: Mapped[str | None] = mapped_column(String(2))
    target_end: Mapped[dt.date | None] = mapped_column(Date)


class IndicatorStatusRound(Base):
    """A round whose indicator_status rows are stored (also when it has none)."""

    __tablename__ = "indicator_status_round"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)


class IndicatorJudged(Base):
    """The round's status mot målvärde for the nämnd as a whole, judged when its status rows are
    stored (revision 0007): one row per value series – the `indicator_status` row (`seq`) that
    `targets.judge` keeps of it – in judge's order (`position`), with its status code. Översikt
    counts the round's statuses and lists its misses from it, instead of reading and judging
    every status row of a new round (docs/benchmark.md).

    Each row points at its status row (round, seq): a writer that replaced the status rows and left
    these would fail rather than pair old statuses with new rows. The codes are judge's rules
    (`targets._status`, its order of ties) at the time of storing: a change to those rules needs a
    revision that empties these tables, so that init-db judges every round again."""

    __tablename__ = "indicator_judged"
    __table_args__ = (ForeignKeyConstraint(["round_id", "seq"], ["indicator_status.round_id", "indicator_status.seq"]),)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))


class IndicatorJudgedRound(Base):
    """A round whose indicator_judged rows are stored (also when it has none)."""

    __tablename__ = "indicator_judged_round"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)


# --- internal control ---------------------------------------------------------------------


class Risk(Base):
    """A risk by its stable key; name and description are per round."""

    __tablename__ = "risk"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


class RiskVersion(Base):
    __tablename__ = "risk_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class RiskAssessment(Base):
    __tablename__ = "risk_assessment"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id"), primary_key=True)
    probability: Mapped[int | None] = mapped_column(Integer)
    consequence: Mapped[int | None] = mapped_column(Integer)
    risk_value: Mapped[int | None] = mapped_column(Integer)
    risk_value_computed: Mapped[bool] = mapped_column(Boolean, default=False)
    assessment_text: Mapped[str | None] = mapped_column(String(100))


class ControlStep(Base):
    """A kontrollmoment by its stable key; the rest is per round."""

    __tablename__ = "control_step"
    __table_args__ = (UniqueConstraint("namnd_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))


class ControlStepVersion(Base):
    __tablename__ = "control_step_version"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    control_step_id: Mapped[int] = mapped_column(ForeignKey("control_step.id"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ControlStepStatus(Base):
    __tablename__ = "control_step_status"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), primary_key=True)
    control_step_id: Mapped[int] = mapped_column(ForeignKey("control_step.id"), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(30))
    status_word: Mapped[str | None] = mapped_column(String(60))
    status_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    comment_date: Mapped[dt.date | None] = mapped_column(Date)


# --- Kolada ---------------------------------------------------------------------------------


class KoladaValue(Base):
    """A value from Kolada's open KPI database (all municipalities), for comparison."""

    __tablename__ = "kolada_value"
    kpi: Mapped[str] = mapped_column(String(20), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(4), primary_key=True)
    period: Mapped[int] = mapped_column(Integer, primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)  # T | K | M
    value: Mapped[float | None] = mapped_column(Float)  # NULL = missing, never 0
    count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(40))


# --- users and roles ------------------------------------------------------------------------


class UserRole(Base):
    """A role for a signed-in identity (e-mail or subject claim), managed with `users`.

    läsare: adopted rounds; redaktör: also the drafts of its nämnd (or one förvaltning) and imports
    for it; administratör: everything. kommun/nämnd/förvaltning NULL = every.
    """

    __tablename__ = "user_role"
    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(String(320), index=True)  # lower-cased e-mail or sub
    role: Mapped[str] = mapped_column(String(20))
    kommun_code: Mapped[str | None] = mapped_column(String(4))
    namnd_code: Mapped[str | None] = mapped_column(String(20))
    forvaltning_key: Mapped[str | None] = mapped_column(String(200))


# --- import log ---------------------------------------------------------------------------


class ImportLog(Base):
    """Every import attempt, accepted or refused. The only place that records import time."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    user_name: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))  # importerad | avvisad | provkörd
    kommun_code: Mapped[str | None] = mapped_column(String(4))
    namnd_code: Mapped[str | None] = mapped_column(String(20))
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    row_counts: Mapped[str | None] = mapped_column(Text)  # JSON
    messages: Mapped[str | None] = mapped_column(Text)
    # What the import added, replaced and removed (JSON, see importing.changes), and the round
    # version it wrote.
    changes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int | None] = mapped_column(Integer)


DATA_TABLES = [t for t in Base.metadata.sorted_tables if t.name not in ("import_log", "round_version")]
VERSION_TABLES = [UnitVersion, GoalVersion, ActivityVersion, IndicatorVersion, RiskVersion, ControlStepVersion]
