"""Economy per unit for a scope: printed figures first, computed roll-ups only where none is printed.

Input frames come from `queries` (small: one row per unit of one nämnd and round). A value the
report printed is kept as printed, also when its rows do not add up; a value the report did not
print is computed from the nearest reported rows below it and flagged `<field>_computed`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .queries import ECONOMY_FIELDS

AMOUNT_FIELDS = [f for f in ECONOMY_FIELDS if f != "budget_share_pct"]  # amounts that roll up

# A kommun's overall follow-up prints deviations (positive = better for the kommun's result, for
# nämnder and income posts alike) and a result for the kommun: its net costs and the result do not
# add up, so nothing is derived from them and only deviations roll up.
KOMMUN_ROLLUP_FIELDS = ("deviation_period", "forecast_deviation")

# Rows the Ekonomi tree opens by default (the report's own summary levels): the root of a kommun's
# overall follow-up too.
DEFAULT_OPEN_LEVELS = ("kommun", "nämnd", "summa", "förvaltning")

ALL = ""  # scope: the whole nämnd, every line
NAMND_ONLY = "hela-namnden"  # scope: lines that belong to no förvaltning


def _isnan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _derive_forecasts(table: pd.DataFrame, rows) -> None:
    """Fill the other forecast convention where a row printed only one (flagged computed)."""
    net = rows & table["forecast_net"].isna() & table["forecast_deviation"].notna() & table["budget_year"].notna()
    table.loc[net, "forecast_net"] = table["budget_year"] - table["forecast_deviation"]
    table.loc[net, "forecast_net_computed"] = True
    dev = rows & table["forecast_deviation"].isna() & table["forecast_net"].notna() & table["budget_year"].notna()
    table.loc[dev, "forecast_deviation"] = table["budget_year"] - table["forecast_net"]
    table.loc[dev, "forecast_deviation_computed"] = True


class _Tree:
    """The tree of a table's rows as positions, for roll-ups without Python recursion.

    `parent[i]` is the row position of row i's parent (-1: a root, or a parent with no row);
    `levels` lists, deepest first, the rows of each depth in table order. A roll-up walks the
    levels bottom-up and sums each level's values into their parents with `np.bincount`, which
    adds in input order: siblings are summed in the same order, from the same 0.0, as
    `sum(parts)` over the children list did, so every float is bit for bit what the recursive
    roll-up gave (the 308-figure report test holds on that). ~2 100 units × 10 fields per round
    pair took ~0.5 s in Python on a loaded core; this takes milliseconds.
    """

    def __init__(self, unit_ids: pd.Series, parent_ids: pd.Series) -> None:
        pos = {int(u): i for i, u in enumerate(unit_ids)}
        self.n = len(pos)
        self.parent = np.fromiter(
            (-1 if _isnan(p) else pos.get(int(p), -1) for p in parent_ids), dtype=np.int64, count=self.n)
        depth = np.zeros(self.n, dtype=np.int64)
        up = self.parent.copy()
        for _ in range(self.n):  # at most n steps; a cycle would never finish (as the recursion)
            alive = up >= 0
            if not alive.any():
                break
            depth[alive] += 1
            up[alive] = self.parent[up[alive]]
        self.levels = [np.flatnonzero((depth == d) & (self.parent >= 0)) for d in range(int(depth.max(initial=0)), 0, -1)]

    def rollup(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Missing values filled with the sum of the nearest values below; (values, filled)."""
        out = values.astype(np.float64, copy=True)
        filled = np.zeros(self.n, dtype=bool)
        for rows in self.levels:  # deepest first: a child's value is final before its parent's
            have = rows[~np.isnan(out[rows])]
            if not len(have):
                continue
            parents = self.parent[have]
            sums = np.bincount(parents, weights=out[have], minlength=self.n)
            counts = np.bincount(parents, minlength=self.n)
            take = (counts > 0) & np.isnan(out)
            out[take] = sums[take]
            filled |= take
        return out, filled


def _children(table: pd.DataFrame) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for uid, parent in zip(table["unit_id"], table["parent_id"], strict=True):
        if not _isnan(parent):
            children.setdefault(int(parent), []).append(int(uid))
    return children


def _rollup(values: dict[int, float], children: dict[int, list[int]]) -> dict[int, bool]:
    """Fill missing values from the nearest values below (in place); returns which were filled.
    The reference roll-up: `_Tree.rollup` gives the same values for float columns, and this one
    serves the rest (object columns, repeated unit ids)."""
    filled: dict[int, bool] = {}

    def visit(uid: int) -> float | None:
        v = values.get(uid)
        if not _isnan(v):
            return v
        parts = [p for p in (visit(c) for c in children.get(uid, [])) if p is not None]
        if not parts:
            return None
        values[uid] = float(sum(parts))
        filled[uid] = True
        return values[uid]

    for uid in list(values):
        visit(uid)
    return filled


def _rollup_column(table: pd.DataFrame, column: pd.Series, tree: _Tree | None, children) -> tuple[pd.Series, pd.Series]:
    """(rolled-up column, filled flags) of one field, aligned with the table.

    The column holds floats and missing values (queries return a Float column as object when a
    round printed none, with floats derived into some rows). Nothing printed: nothing to fill,
    and the column comes back as the reference path returned it (object, all None)."""
    no_flags = pd.Series(False, index=table.index)
    if column.isna().all():
        return table["unit_id"].map(dict(zip(table["unit_id"], column, strict=True))), no_flags
    floats = column.dtype.kind == "f" or (
        column.dtype == object and all(isinstance(v, float) for v in column if v is not None and v == v))
    if tree is not None and floats:
        values, filled = tree.rollup(column.to_numpy(dtype=np.float64, na_value=np.nan))
        return pd.Series(values, index=table.index), pd.Series(filled, index=table.index)
    values = dict(zip(table["unit_id"], column, strict=True))
    filled = _rollup(values, children)
    return table["unit_id"].map(values), table["unit_id"].map(lambda u: filled.get(u, False))


def _derive_outcome(table: pd.DataFrame, rows) -> None:
    """A Bokslut row that printed budget and utfall but no avvikelse: budget − utfall (computed)."""
    budget = table["budget_period"].where(table["budget_period"].notna(), table["budget_year"])
    dev = rows & table["deviation_period"].isna() & table["actual_period"].notna() & budget.notna()
    table.loc[dev, "deviation_period"] = budget - table["actual_period"]
    table.loc[dev, "deviation_period_computed"] = True


def economy_table(units: pd.DataFrame, econ: pd.DataFrame, prev_econ: pd.DataFrame | None = None,
                  prev_factor: float = 1.0, outcome: bool = False) -> pd.DataFrame:
    """One row per unit that has economy (reported or rolled up), with `_computed` flags.

    Columns: unit info, every amount field, `<field>_computed`, `prev_forecast_deviation` (in
    this round's unit: `prev_factor` converts, e.g. 1000 from mnkr to tkr) with its `_computed`
    flag, `forecast_change` (like for like: only units whose own figure both rounds reported,
    summed upwards), `reported`.

    `outcome=True` for a Bokslut round (rounds.is_outcome): its figure is the year's outcome
    deviation (`deviation_period`, budget − utfall), so `forecast_change` is the outcome against
    the previous round's forecast, and a missing avvikelse is derived from budget − utfall.
    """
    table = units.merge(econ, on="unit_id", how="left")
    table["reported"] = table["unit_id"].isin(set(econ["unit_id"])) if len(econ) else False
    for f in AMOUNT_FIELDS:
        table[f + "_computed"] = False
    kommun = is_kommun_level(units)
    if not kommun:
        _derive_forecasts(table, table["reported"])
        if outcome:
            _derive_outcome(table, table["reported"])
    children = _children(table)
    # the vectorised roll-up needs one row per unit (always so for queries.units); else the
    # reference recursion, whose dict keeps the last row of a repeated id
    tree = _Tree(table["unit_id"], table["parent_id"]) if table["unit_id"].is_unique else None
    figure = "deviation_period" if outcome else "forecast_deviation"
    own_forecast = table["reported"] & table[figure].notna()  # printed or derived on the row
    for f in AMOUNT_FIELDS:
        if kommun and f not in KOMMUN_ROLLUP_FIELDS:
            continue
        table[f], filled = _rollup_column(table, table[f], tree, children)
        table[f + "_computed"] = table[f + "_computed"] | filled
    table["own_forecast"] = own_forecast

    table["prev_forecast_deviation"] = float("nan")
    table["prev_forecast_deviation_computed"] = False
    table["forecast_change"] = float("nan")
    if prev_econ is not None and len(prev_econ):
        add_previous(table, economy_table(units, prev_econ), prev_factor, outcome, tree, children)
    has_any = table[AMOUNT_FIELDS].notna().any(axis=1)
    table["summary_line"] = table["unit_id"].isin(summary_line_ids(table))
    return table[has_any].reset_index(drop=True)


def add_previous(table: pd.DataFrame, prev: pd.DataFrame, prev_factor: float = 1.0, outcome: bool = False,
                 tree: _Tree | None = None, children: dict[int, list[int]] | None = None) -> None:
    """Fill the previous round's columns of a round's tree in place: `prev_forecast_deviation`
    (with its `_computed` flag) and `forecast_change`, summed upwards like for like.

    `prev` is the previous round's tree in this round's organisation with no round before it and
    no outcome rule (`economy_table(units, prev_econ)`); `tree`/`children` are this table's
    (built here when not given: the stored-tree path of `rollups.paired_table` passes none)."""
    figure = "deviation_period" if outcome else "forecast_deviation"
    if children is None:
        children = _children(table)
        tree = _Tree(table["unit_id"], table["parent_id"]) if table["unit_id"].is_unique else None
    prev_map = dict(zip(prev["unit_id"], prev["forecast_deviation"] * prev_factor, strict=True))
    table["prev_forecast_deviation"] = table["unit_id"].map(prev_map)
    table["prev_forecast_deviation_computed"] = table["unit_id"].map(
        dict(zip(prev["unit_id"], prev["forecast_deviation_computed"], strict=True))).fillna(False).astype(bool)
    # like for like: a change where the unit's own row gave a forecast in both rounds, summed upwards
    prev_own = set(prev.loc[prev["own_forecast"], "unit_id"])
    direct = table["own_forecast"] & table["unit_id"].isin(prev_own)
    change = (table[figure] - table["prev_forecast_deviation"]).where(direct, float("nan"))
    table["forecast_change"], _ = _rollup_column(table, change, tree, children)


def summary_line_ids(table: pd.DataFrame) -> set[int]:
    """Lines the report prints beside its sum of the verksamheter, not among them: a line directly
    under the nämnd next to a "summa" line (Linköping's "Resultat nämndens enheter", which the
    report sets below "Summa nettokostnader"). Part of the nämnd's total, but no verksamhet of its
    own: charts and lists of the largest deviations never rank it among the verksamheter."""
    roots = set(table.loc[table["parent_id"].map(_isnan), "unit_id"].astype(int))
    parents = table["parent_id"].map(lambda p: None if _isnan(p) else int(p))
    with_summa = set(parents[table["level"] == "summa"].dropna().astype(int)) & roots
    mask = parents.isin(with_summa) & ~table["level"].isin(["summa", "förvaltning", "nämnd"])
    return {int(u) for u in table.loc[mask, "unit_id"]}


def descendants(units: pd.DataFrame, unit_id: int) -> list[int]:
    """The unit and everything below it."""
    children: dict[int, list[int]] = {}
    for uid, parent in zip(units["unit_id"], units["parent_id"], strict=True):
        if not _isnan(parent):
            children.setdefault(int(parent), []).append(int(uid))
    out, stack = [], [int(unit_id)]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(children.get(uid, []))
    return out


def is_kommun_level(units: pd.DataFrame) -> bool:
    """A kommun's overall follow-up (Nämndkod KOMMUN): its root has level kommun."""
    return bool(len(units)) and bool((units.loc[units["parent_id"].isna(), "level"] == "kommun").any())


def is_root(frame: pd.DataFrame) -> pd.Series:
    """The tree's root: the nämnd (or, in a kommun's overall follow-up, the kommun's result). Found
    by having no parent, since a kommun-level round has rows of level nämnd below its root."""
    return frame["parent_id"].isna()


def scope_unit_ids(units: pd.DataFrame, scope: str) -> list[int]:
    """Units in a förvaltning scope: ALL, NAMND_ONLY, or a förvaltning key."""
    if scope == ALL:
        return [int(u) for u in units["unit_id"]]
    if scope == NAMND_ONLY:
        mask = units["forvaltning_id"].isna() & ~units["level"].isin(["nämnd", "summa", "förvaltning"])
        return [int(u) for u in units.loc[mask, "unit_id"]]
    match = units[units["key"] == scope]
    if match.empty:
        return []
    return descendants(units, int(match.iloc[0]["unit_id"]))


def scope_total(table: pd.DataFrame, units: pd.DataFrame, scope: str) -> dict:
    """The scope's figures: a printed row where one exists, otherwise a computed sum."""
    if scope == ALL:
        root = table[is_root(table)]
        if len(root):
            return root.iloc[0].to_dict()
    elif scope != NAMND_ONLY:
        row = table[table["key"] == scope]
        if len(row):
            return row.iloc[0].to_dict()
    lines = namnd_lines(table) if scope == NAMND_ONLY else table[table["unit_id"].isin(scope_unit_ids(units, scope))]
    out: dict = {"key": scope, "name": "Hela nämnden" if scope == NAMND_ONLY else scope, "level": "scope"}
    for f in AMOUNT_FIELDS + ["prev_forecast_deviation", "forecast_change"]:
        vals = lines[f].dropna() if f in lines else []
        out[f] = float(vals.sum()) if len(vals) else None
        out[f + "_computed"] = out[f] is not None
    return out


def namnd_lines(table: pd.DataFrame) -> pd.DataFrame:
    """Top-most lines that belong to no förvaltning (e.g. the nämnd's own costs): their sub-lines
    are not counted again."""
    mask = table["forvaltning_id"].isna() & ~table["level"].isin(["nämnd", "summa", "förvaltning"])
    ids = set(table.loc[mask, "unit_id"].astype(int))
    top = mask & ~table["parent_id"].map(lambda p: not _isnan(p) and int(p) in ids)
    return table[top]


def leaf_lines(table: pd.DataFrame, unit_ids: list[int] | None = None) -> pd.DataFrame:
    """Reported rows with no reported rows below them: the verksamheter and enheter."""
    reported = table[table["reported"]]
    # a reported row is a leaf if no reported row has it as an ancestor
    ids = set(reported["unit_id"].astype(int))
    parent_of = dict(zip(table["unit_id"], table["parent_id"], strict=True))
    has_reported_desc = set()
    for uid in ids:
        p = parent_of.get(uid)
        while not _isnan(p) and int(p) not in has_reported_desc:  # a marked parent's ancestors are marked
            has_reported_desc.add(int(p))
            p = parent_of.get(int(p))
    leaves = reported[~reported["unit_id"].isin(has_reported_desc) & ~is_root(reported) & (reported["level"] != "summa")]
    if unit_ids is not None:
        leaves = leaves[leaves["unit_id"].isin(unit_ids)]
    return leaves


def largest_deviations(table: pd.DataFrame, unit_ids: list[int] | None = None, n: int = 6,
                       field: str = "forecast_deviation") -> pd.DataFrame:
    """The verksamheter with the largest deviations (zero is none): deficits first. `field` is the
    round's figure: the forecast deviation, or for a Bokslut the outcome (`deviation_period`)."""
    leaves = leaf_lines(table, unit_ids)
    leaves = leaves[leaves[field].notna() & (leaves[field] != 0)]
    if "summary_line" in leaves:  # a summary line is not ranked among the verksamheter
        leaves = leaves[~leaves["summary_line"].astype(bool)]
    top = leaves.reindex(leaves[field].abs().sort_values(ascending=False).index).head(n)
    # Deficits first, the deepest first; then surpluses, the largest first.
    deficits = top[top[field] < 0].sort_values(field)
    surpluses = top[top[field] > 0].sort_values(field, ascending=False)
    return pd.concat([deficits, surpluses]).reset_index(drop=True)
