"""Prognossäkerhet: how far each forecast of a year was from the year's outcome (the Bokslut).

Pure Python on the frames `economy.economy_table` and `queries.investments` return; no
Streamlit, no SQL. Pages, slides and exports call `for_round(...)` (and `across_years(...)`).

The rules, stated rather than guessed:
- A forecast and an outcome are compared only for the same unit (org unit id). Each round's
  amounts are first shown in one unit of amount (`to_unit`) at the precision its report has
  (`formatting.amount_value`: 10,8 mnkr is 10 800 tkr, never 10 753); the difference is then
  rounded to the coarser of the two precisions, so converting never adds decimals.
- Miss = outcome deviation − forecast deviation (both budget − net cost, positive = överskott).
  A positive miss: the forecast was too cautious (the result was better); negative: too
  optimistic. The words are the fixed phrases of `rounds.miss_phrase`.
- Printed totals win over sums, as everywhere. A total that neither round printed is a sum of
  the rows below it; two such sums are compared only when they cover the same rows.
- A row with a forecast but no outcome, or the reverse, is listed as not comparable with the
  reason – never silently dropped, never counted as zero.
- Month rounds count as forecast rounds when they carry a forecast (rounds.carries_forecast).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from . import economy as ec
from . import formatting as fmt
from . import rounds as rd

CAPTION = (
    "Jämförelsen visar hur långt prognosen låg från utfallet, inte varför. En nämnd som vidtar "
    "åtgärder efter en negativ prognos förbättrar själv utfallet – då är skillnaden ett tecken på att "
    "åtgärderna gav effekt, inte på en dålig prognos. Engångsposter, budgetjusteringar under året "
    "och ändrad organisation syns inte i skillnaden; läs den tillsammans med analysen i bokslutet."
)
SIGN_NOTE = (
    "Prognos och utfall är avvikelser mot budget: budget − prognos respektive budget − utfall "
    "(positivt = överskott). Skillnad = utfall − prognos: positiv = prognosen var för försiktig, "
    "negativ = för optimistisk."
)
INVESTMENT_NOTE = (
    "Investeringar jämförs som belopp: skillnad = utfall − prognos. Ett lägre utfall än prognosen "
    "betyder oftast att projekt försenats eller skjutits till nästa år, inte att prognosen var försiktig."
)
COLUMNS = ["unit_id", "key", "name", "label", "level", "depth", "order", "round_id", "round_name", "round_period_end",
           "budget", "budget_text", "forecast", "forecast_text", "outcome", "outcome_text", "miss", "miss_text",
           "miss_abs_text", "miss_pct", "miss_pct_text", "phrase", "row_phrase", "computed", "note",
           "forecast_dec", "outcome_dec", "miss_dec", "budget_dec"]


TEXT_COLUMNS = ["budget_text", "forecast_text", "outcome_text", "miss_text", "miss_abs_text", "miss_pct_text",
                "phrase", "row_phrase", "note"]
# what the texts are written from, beside COLUMNS' numbers: each side's computed mark and budget
_SIDES = ["computed_o", "computed_f", "budget_o", "budget_f", "budget_o_dec", "budget_f_dec"]
NUMBERS = [c for c in COLUMNS if c not in TEXT_COLUMNS] + _SIDES


@dataclass
class Accuracy:
    """One Bokslut against the forecast rounds of its year, in one unit of amount.

    `numbers` holds every compared row without its texts; `rows` (every row) and `rows_of`
    (one forecast round's) write them when first asked for, once. A large nämnd's year is
    ~23 000 rows in eleven forecast rounds, and a page shows one round's texts: writing all
    of them was most of Ekonomi's first run on a Bokslut (docs/benchmark.md). An Accuracy is
    shared between sessions (data.memo): the parts written later are pure functions of the
    numbers, so two threads writing the same part at once store equal frames, nothing else."""

    outcome_round: dict
    forecast_rounds: list[dict]  # oldest first
    headline_round: dict | None  # Delår 2, else the latest forecast round
    to_unit: str
    numbers: pd.DataFrame  # comparable: one row per unit × forecast round (COLUMNS but TEXT_COLUMNS, and _SIDES)
    not_comparable: pd.DataFrame  # label, round_name, reason
    investments: pd.DataFrame = field(default_factory=pd.DataFrame)
    investments_not_comparable: pd.DataFrame = field(default_factory=pd.DataFrame)
    _written: dict = field(default_factory=dict, repr=False, compare=False)
    _seen: dict = field(default_factory=dict, repr=False, compare=False)  # the texts of amounts already written

    def __post_init__(self) -> None:
        if all(c in self.numbers for c in TEXT_COLUMNS):  # rows given with their texts (COLUMNS)
            self._written["all"] = self.numbers[COLUMNS]

    @property
    def rows(self) -> pd.DataFrame:
        """Every compared row with its texts (COLUMNS), ordered by the tree, then the round."""
        if "all" not in self._written:
            self._written["all"] = self.with_texts(self.numbers)
        return self._written["all"]

    def rows_of(self, round_id) -> pd.DataFrame:
        """One forecast round's rows with their texts: `rows[rows.round_id == round_id]`."""
        key = int(round_id)
        if "all" in self._written:
            rows = self._written["all"]
            return rows[rows["round_id"] == key]
        if key not in self._written:
            self._written[key] = self.with_texts(self.numbers[self.numbers["round_id"] == key])
        return self._written[key]

    def with_texts(self, numbers: pd.DataFrame, only: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Rows of `numbers` (any of them, in their order and index) with their texts, COLUMNS;
        `only`: those texts alone, beside the numbers (the others are not written)."""
        if "all" in self._written:  # written already (rows share the numbers' index)
            rows = self._written["all"].loc[numbers.index]
            return rows if only is None else rows[[c for c in rows if c not in TEXT_COLUMNS or c in only]]
        return _with_texts(numbers, self.forecast_rounds, self.outcome_round, self.to_unit, self._seen, only)

    @property
    def empty(self) -> bool:
        return self.numbers.empty and self.not_comparable.empty

    def headline(self, unit_id: int | None) -> dict | None:
        """The headline round's row for one unit (the scope's root), or None."""
        if self.headline_round is None or unit_id is None or self.numbers.empty:
            return None
        rows = self.rows_of(self.headline_round["round_id"])  # the round a page shows first
        hit = rows[rows["unit_id"] == unit_id]
        return hit.iloc[0].to_dict() if len(hit) else None


# --- numbers --------------------------------------------------------------------------------

def _step_decimals(step: float) -> int:
    exponent = Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _shown(value, rnd: dict, to_unit: str) -> tuple[float | None, float, int]:
    """(value in to_unit at the report's precision, its step, its decimals)."""
    unit, dec = rnd["amount_unit"], int(rnd["decimals"])
    step = fmt.display_step(unit, dec, to_unit)
    decimals = fmt.display_decimals(unit, dec, to_unit)
    if value is not None and unit == to_unit and dec == 0 and float(value).is_integer():
        return float(value), step, decimals  # already at the report's precision (the common case, fast)
    return fmt.amount_value(value, unit, dec, to_unit), step, decimals


def _number(value: float, decimals: int, signed: bool = False) -> str:
    """formatting.number for a value already rounded to `decimals`, without babel's per-call cost
    (a large nämnd has tens of thousands of these): `476 018`, `−7,2`, `+3,1`."""
    if value == 0:
        value = 0.0  # no "−0"
    text = f"{abs(value):,.{decimals}f}".replace(",", fmt.NBSP).replace(".", ",")
    if value < 0:
        return fmt.MINUS + text
    return ("+" + text) if signed and value > 0 else text


def _text(value: float | None, decimals: int, to_unit: str, signed: bool = True) -> str:
    if value is None or fmt.is_missing(value):
        return fmt.MISSING
    return f"{_number(value, decimals, signed)}{fmt.NBSP}{to_unit}"


def _difference(a: float, a_step: float, b: float, b_step: float) -> tuple[float, int]:
    """a − b rounded to the coarser precision of the two, with its decimals."""
    step = max(a_step, b_step)
    decimals = _step_decimals(step)
    if step == 1 and float(a).is_integer() and float(b).is_integer():
        return float(a - b), 0  # exact in floating point
    raw = float(Decimal(repr(a)) - Decimal(repr(b)))
    value = fmt.round_half_up(raw, step=step) if step != 1 else fmt.round_half_up(raw)
    return fmt.round_half_up(value, decimals), decimals


def _pct(miss: float, budget: float | None) -> tuple[float | None, str]:
    """Miss as % of the budget's size (net-income lines have negative budgets: their size counts)."""
    if budget is None or fmt.is_missing(budget) or budget == 0:
        return None, fmt.MISSING
    value = 100 * miss / abs(budget)
    return value, _number(fmt.round_half_up(value, 1), 1, signed=True) + fmt.NBSP + "%"


def _each(values, text: Callable, seen: dict | None = None) -> list:
    """text(v) for every value, computed once per distinct value: a large nämnd's year compares
    tens of thousands of rows whose amounts repeat (the outcome and budget of a unit in every
    forecast round; the texts were most of the comparison's time, docs/benchmark.md). `seen`
    shares the texts between calls with the same `text`. NaN is not equal to itself, so it is
    never looked up, only computed."""
    seen = {} if seen is None else seen
    out = []
    for v in (values.tolist() if isinstance(values, np.ndarray) else values):
        t = seen.get(v)
        if t is None:
            t = seen[v] = text(v)
        out.append(t)
    return out


_SV_SEPARATORS = str.maketrans({",": fmt.NBSP, ".": ","})


def _texts(values: np.ndarray, decimals: int, to_unit: str, signed: bool = True, seen: dict | None = None) -> list[str]:
    """[_text(v, decimals, to_unit, signed) for v in values] for a float column, in one loop
    without a call per value: at scale a Bokslut's year compares ~23 000 rows, and the calls per
    text were most of the comparison's time (docs/benchmark.md). `seen` shares texts between
    columns written with the same decimals and sign rule; NaN is written, never looked up."""
    seen = {} if seen is None else seen
    spec, tail, minus, plus = f",.{decimals}f", fmt.NBSP + to_unit, fmt.MINUS, "+" if signed else ""
    table, missing = _SV_SEPARATORS, fmt.MISSING
    out = []
    append = out.append
    for v in values.tolist():
        t = seen.get(v)
        if t is None:
            if v != v:
                append(missing)
                continue
            body = format(abs(v), spec).translate(table)
            t = seen[v] = (minus + body if v < 0 else plus + body if v > 0 else body) + tail
        append(t)
    return out


def _pct_texts(pct: np.ndarray, seen: dict) -> list[str]:
    """The `+3,4 %` of every miss in % of budget: half up to one decimal as
    `formatting.round_half_up` does in decimal arithmetic, here in floating point wherever the
    tenth is not within a hair of a half (the rounding cannot differ there); the rest – near
    halves, huge or missing values – through the decimal rounding itself."""
    q = np.abs(pct) * 10
    with np.errstate(invalid="ignore"):
        whole = np.floor(q)
        exact = np.isfinite(q) & (q < 1e8) & (np.abs(q - whole - 0.5) > 1e-6)
    tenths = np.where(exact, np.sign(pct) * np.floor(q + 0.5), 0.0) / 10
    out = []
    append = out.append
    for p, e, v in zip(pct.tolist(), exact.tolist(), tenths.tolist(), strict=True):
        t = seen.get(p)
        if t is None:
            if p != p:
                append(fmt.MISSING)
                continue
            r = v if e else fmt.round_half_up(p, 1)
            t = seen[p] = _number(r, 1, signed=True) + fmt.NBSP + "%"
        append(t)
    return out


def _phrases(phrase: Callable, rnd: dict, abs_texts: list[str], signs: list[float]) -> list[str]:
    """phrase(rnd, text, sign) for every row: the round's three sentences (too cautious, too
    optimistic, on target) written once with a marker where the amount goes, the amount put in
    per row (rounds.miss_phrase and miss_row_phrase only insert the text)."""
    marker = "\x00"
    sentence = {s: phrase(rnd, marker, s) for s in (1.0, -1.0, 0.0)}
    return [sentence[s].replace(marker, t) for t, s in zip(abs_texts, signs, strict=True)]


def _signed(abs_texts: list[str], signs: list[float]) -> list[str]:
    """_text(v, signed=True) from the text of |v|: `+` before a positive, `−` before a negative."""
    prefix = {1.0: "+", -1.0: fmt.MINUS, 0.0: ""}
    return [prefix[s] + t for t, s in zip(abs_texts, signs, strict=True)]


def _with_star(texts: list[str], stars: np.ndarray) -> list[str]:
    return [t + s if s else t for t, s in zip(texts, stars.tolist(), strict=True)]


def _budget_texts(budget: np.ndarray, decimals: np.ndarray, to_unit: str, shared: Callable) -> list[str]:
    """The unsigned budget texts, each at its own decimals (the Bokslut's budget, else the
    forecast round's): column by column when the rows share their decimals (always, unless the
    two reports differ in precision), else value by value."""
    decs = set(decimals.tolist())
    if len(decs) == 1:
        d = int(decs.pop())
        return _texts(budget, d, to_unit, False, shared(("budget", d)))
    return [_text(None if np.isnan(b) else b, int(d), to_unit, False) for b, d in zip(budget.tolist(), decimals.tolist(),
                                                                                    strict=True)]


# --- the tree -------------------------------------------------------------------------------

def tree_of(units: pd.DataFrame) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Tree order (parents before children, by sort order) and children per unit."""
    children: dict[int | None, list] = {}
    for r in units.sort_values("sort_order", kind="stable").itertuples():
        parent = None if fmt.is_missing(r.parent_id) else int(r.parent_id)
        children.setdefault(parent, []).append(int(r.unit_id))
    ids = set(int(u) for u in units["unit_id"])
    roots = [u for p, us in children.items() if p is None or p not in ids for u in us]
    order: dict[int, int] = {}
    stack = list(reversed(roots))
    while stack:
        uid = stack.pop()
        if uid in order:
            continue
        order[uid] = len(order)
        stack.extend(reversed(children.get(uid, [])))
    return order, {p: c for p, c in children.items() if p is not None}


def _leaves(uid: int, children: dict[int, list[int]], historical: set[int]) -> frozenset[int]:
    out, stack = set(), [uid]
    while stack:
        u = stack.pop()
        kids = children.get(u, [])
        if kids:
            stack.extend(kids)
        elif u not in historical:
            out.add(u)
    return frozenset(out)


def _coverage(table: pd.DataFrame, field_name: str, children: dict[int, list[int]],
              historical: set[int]) -> dict[int, frozenset[int]]:
    """The rows (as the leaves they cover) that each unit's figure is built from: itself where the
    row gave the figure, else the union of its children that have one (economy._rollup's sum)."""
    own = dict(zip(table["unit_id"].astype(int), table["own_forecast"].astype(bool), strict=True))
    has = dict(zip(table["unit_id"].astype(int), table[field_name].notna(), strict=True))
    memo: dict[int, frozenset[int]] = {}

    def visit(uid: int) -> frozenset[int]:
        if uid in memo:
            return memo[uid]
        if own.get(uid):
            memo[uid] = _leaves(uid, children, historical)
        else:
            parts = [visit(c) for c in children.get(uid, []) if has.get(c)]
            memo[uid] = frozenset().union(*parts) if parts else frozenset()
        return memo[uid]

    for uid in has:
        if has[uid]:
            visit(uid)
    return memo


# --- comparison -----------------------------------------------------------------------------

def _shown_column(values: pd.Series | np.ndarray, rnd: dict, to_unit: str) -> tuple[np.ndarray, float, int]:
    """A column (a Series or an array) in to_unit at the report's precision (formatting.amount_value,
    vectorised: half up to the step the report's precision allows), with that step and its decimals."""
    unit, dec = rnd["amount_unit"], int(rnd["decimals"])
    step = fmt.display_step(unit, dec, to_unit)
    decimals = fmt.display_decimals(unit, dec, to_unit)
    x = np.asarray(values, dtype=float) * (fmt.UNIT_FACTOR[unit] / fmt.UNIT_FACTOR[to_unit])
    return _round_to(x, step, decimals), step, decimals


def _round_to(x: np.ndarray, step: float, decimals: int) -> np.ndarray:
    """Half away from zero to a multiple of `step` (as the printed reports round); the tiny
    epsilon undoes binary noise (0,15 stored as 0,1499…), not a real half."""
    q = x / step
    return np.round(np.sign(q) * np.floor(np.abs(q) + 0.5 + 1e-9) * step, decimals)


def subtree(units: pd.DataFrame, unit_ids: list[int], tree: tuple | None = None) -> tuple[int, ...]:
    """The units (`unit_ids` and everything under them in `units`' tree, sorted) whose rows a
    comparison limited to `unit_ids` reads: the scope's own rows, and below them the rows a sum's
    coverage is checked on. A table cut to them compares as the whole table does."""
    _, children = tree if tree is not None else tree_of(units)
    out, stack = set(), [int(u) for u in unit_ids]
    while stack:
        u = stack.pop()
        if u not in out:
            out.add(u)
            stack.extend(children.get(u, []))
    return tuple(sorted(out))


def _match(outcome, forecast) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """(the units on both sides with their columns suffixed _o and _f, the forecast's units without
    an outcome, the outcome's units without a forecast), each by unit id ascending: an outer merge
    with an indicator, as arrays (the merge cost ~5 ms whatever the size, and a year compares
    up to eleven forecasts on every page that shows prognossäkerhet). The sides are frames or
    columns (name → array); the units on both sides are columns."""
    o_ids, f_ids = np.asarray(outcome["unit_id"]), np.asarray(forecast["unit_id"])
    if len(np.unique(o_ids)) < len(o_ids) or len(np.unique(f_ids)) < len(f_ids):  # not one row per unit: as merge pairs them
        merged = pd.DataFrame(outcome).merge(pd.DataFrame(forecast), on="unit_id", how="outer", suffixes=("_o", "_f"),
                                             indicator=True)
        both = merged["_merge"] == "both"
        return ({c: merged.loc[both, c].to_numpy() for c in merged.columns if c != "_merge"},
                merged.loc[merged["_merge"] == "right_only", "unit_id"].to_numpy(),
                merged.loc[merged["_merge"] == "left_only", "unit_id"].to_numpy())
    ids, oi, fi = np.intersect1d(o_ids, f_ids, assume_unique=True, return_indices=True)
    columns = {"unit_id": ids}
    for frame, rows, suffix in ((outcome, oi, "_o"), (forecast, fi, "_f")):
        for c in frame:
            if c != "unit_id":
                columns[c + suffix] = np.asarray(frame[c])[rows]
    # the rest of each side, sorted as the merge sorts its keys (setdiff1d, without its own sort
    # of both sides: the positions on both sides are known)
    return columns, np.sort(np.delete(f_ids, fi)), np.sort(np.delete(o_ids, oi))


def _optional_floats(parts: list[np.ndarray]) -> object:
    """The column pandas makes of the parts' `[None if isnan(v) else float(v) …]` lists, each a
    frame of its own, concatenated: a part with a value is float (NaN for None), a part without
    any is None objects, and float parts beside None parts are objects too."""
    empty = [bool(np.isnan(p).all()) for p in parts]
    if not any(empty):
        return np.concatenate(parts)
    if all(empty):
        return [None] * sum(len(p) for p in parts)
    return np.concatenate([np.full(len(p), None, dtype=object) if e else p.astype(object)
                           for p, e in zip(parts, empty, strict=True)])


def _inferred(values) -> object:
    """`values` as the array pandas makes of them in a frame's column (text becomes pandas' str),
    inferred once: picking rows from it keeps the type, where a frame made of the picked objects
    inferred it again for every row (most of building a large nämnd's comparison)."""
    column = pd.Series(values)
    return column.array if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) else column.to_numpy()


def _joined(parts: list) -> object:
    """The parts (arrays of one type from `_inferred`) end to end, as concatenated frames join them."""
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    return pd.concat([pd.Series(p, copy=False) for p in parts], ignore_index=True).array


def compare(units: pd.DataFrame, outcome_round: dict, outcome_table: pd.DataFrame,
            forecasts: list[tuple[dict, pd.DataFrame]], to_unit: str | None = None,
            unit_ids: list[int] | None = None, tree: tuple | None = None) -> Accuracy:
    """Each forecast round's deviation against the Bokslut's outcome deviation, per unit.

    `outcome_table` is `economy.economy_table(..., outcome=True)` of the Bokslut, `forecasts`
    (round, economy_table) of the forecast rounds, each in its own round's organisation; rows are
    matched by unit id and named, ordered and summed-checked in `units`, the Bokslut's
    organisation. `unit_ids` limits to a scope (the tables may then be cut to its `subtree`).
    `tree`: `tree_of(units)`, when the caller compares several times on the same units. Vectorised:
    a large nämnd has thousands of units and a year can have eleven month forecasts, so each
    round's rows are arrays picked by position and the rounds make one frame, not one each."""
    from .views import unit_labels

    to_unit = to_unit or outcome_round["amount_unit"]
    order, children = tree if tree is not None else tree_of(units)
    historical = set(int(u) for u in units.loc[units["historical"].astype(bool), "unit_id"]) if "historical" in units else set()
    scope = set(int(u) for u in unit_ids) if unit_ids is not None else None
    # every unit's columns by its position in `units` (`at`: the positions of unit ids)
    known_ids = units["unit_id"].to_numpy().astype(np.int64)
    if len(np.unique(known_ids)) < len(known_ids):  # a round's organisation has each unit once
        raise ValueError("compare: units must have one row per unit_id")
    sorter = np.argsort(known_ids, kind="stable")
    sorted_ids = known_ids[sorter]

    def at(ids: np.ndarray) -> np.ndarray:
        return sorter[np.searchsorted(sorted_ids, ids)]

    # inferred once per unit, not once per compared row (the units' key, name and level are
    # never missing, so a round's rows infer as the whole column does)
    key_of, name_of, level_of = (_inferred(units[c].to_numpy()) for c in ("key", "name", "level"))
    depth_of = units["depth"].astype(int).to_numpy()
    order_of = np.array([order.get(u, 0) for u in known_ids.tolist()], dtype=np.int64)
    # a label is only read for a row of the scope (a compared row or a reason): one unit's
    # comparison (Verksamhet) named all 2 000 units of a large nämnd to use one name
    named = units if scope is None else units[units["unit_id"].astype(int).isin(scope)]
    labels = dict(zip(named["unit_id"].astype(int).tolist(), unit_labels(named), strict=True))
    label_of = _inferred(np.array([labels.get(u) for u in known_ids.tolist()], dtype=object))
    scope_ids = np.fromiter(scope, dtype=np.int64) if scope is not None else None

    def side(table: pd.DataFrame, field_name: str) -> dict[str, np.ndarray]:
        if table.empty:
            return {"unit_id": np.empty(0, dtype=np.int64), "value": np.empty(0), "computed": np.empty(0, dtype=bool),
                    "own": np.empty(0, dtype=bool), "budget_year": np.empty(0)}
        # the rows to keep first, the columns of them only: one unit's comparison (Verksamhet)
        # read five whole columns of every round to keep one row
        ids = table["unit_id"].to_numpy().astype(np.int64)
        value = table[field_name].to_numpy(dtype=float, na_value=np.nan)
        keep = ~np.isnan(value) & np.isin(ids, known_ids)
        if scope_ids is not None:
            keep &= np.isin(ids, scope_ids)
        rows = np.flatnonzero(keep)
        return {"unit_id": ids[rows], "value": value[rows],
                "computed": table[field_name + "_computed"].to_numpy()[rows].astype(bool),
                "own": table["own_forecast"].to_numpy()[rows].astype(bool),
                "budget_year": table["budget_year"].to_numpy(dtype=float, na_value=np.nan)[rows]}

    outcome = side(outcome_table, "deviation_period")
    covered: list[dict] = []  # the outcome's coverage, worked out only when a sum must be checked

    def outcome_coverage() -> dict[int, frozenset[int]]:
        if not covered:
            covered.append(_coverage(outcome_table, "deviation_period", children, historical) if len(outcome_table) else {})
        return covered[0]

    forecast_rounds = sorted([r for r, _ in forecasts], key=lambda r: r["period_end"])
    parts: dict[str, list] = {c: [] for c in NUMBERS}
    missing = []
    for rnd, table in sorted(forecasts, key=lambda pair: pair[0]["period_end"]):
        name, fc = rd.round_name(rnd), side(table, "forecast_deviation")
        both, forecast_only, outcome_only = _match(outcome, fc)
        for uid in forecast_only:
            missing.append((int(uid), name, f"Prognos i {name} men inget utfall i bokslutet"))
        for uid in outcome_only:
            missing.append((int(uid), name, f"Utfall i bokslutet men ingen prognos i {name}"))
        sums = both["unit_id"][~both["own_o"].astype(bool) & ~both["own_f"].astype(bool)]  # a sum in both reports: same rows?
        if len(sums):
            f_cov = _coverage(table, "forecast_deviation", children, historical)
            out_cov = outcome_coverage()
            differ = [int(u) for u in sums.tolist() if out_cov.get(int(u)) != f_cov.get(int(u))]
            for uid in differ:
                missing.append((uid, name, "Ingen av rapporterna skriver ut summan, och summorna bygger på olika "
                                f"rader ({name}: {len(f_cov.get(uid, ()))}, bokslutet: {len(out_cov.get(uid, ()))})"))
            if differ:
                kept = ~np.isin(both["unit_id"], differ)
                both = {c: v[kept] for c, v in both.items()}
        if not len(both["unit_id"]):
            continue
        o_val, o_step, o_dec = _shown_column(both["value_o"], outcome_round, to_unit)
        f_val, f_step, f_dec = _shown_column(both["value_f"], rnd, to_unit)
        step = max(o_step, f_step)
        miss_dec = _step_decimals(step)
        miss = _round_to(o_val - f_val, step, miss_dec)
        use_outcome_budget = ~np.isnan(np.asarray(both["budget_year_o"], dtype=float))
        b_o, _, b_o_dec = _shown_column(both["budget_year_o"], outcome_round, to_unit)
        b_f, _, b_f_dec = _shown_column(both["budget_year_f"], rnd, to_unit)
        budget = np.where(use_outcome_budget, b_o, b_f)
        budget_dec = np.where(use_outcome_budget, b_o_dec, b_f_dec)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(np.isfinite(budget) & (budget != 0), 100 * miss / np.abs(budget), np.nan)
        computed_o, computed_f = both["computed_o"].astype(bool), both["computed_f"].astype(bool)
        ids = both["unit_id"].astype(int)
        pos, n = at(ids), len(ids)
        same = np.zeros(n, dtype=np.intp)

        def repeated(value):  # a round's value on each of its rows, typed as a frame's column of it
            return _inferred([value]).take(same)

        for c, values in (
            ("unit_id", ids), ("key", key_of.take(pos)), ("name", name_of.take(pos)), ("label", label_of.take(pos)),
            ("level", level_of.take(pos)), ("depth", depth_of[pos]), ("order", order_of[pos]),
            ("round_id", repeated(rnd["round_id"])), ("round_name", repeated(name)),
            ("round_period_end", repeated(rnd["period_end"])),
            ("budget", budget), ("forecast", f_val), ("outcome", o_val), ("miss", miss), ("miss_pct", pct),
            ("computed", computed_o | computed_f), ("forecast_dec", repeated(f_dec)), ("outcome_dec", repeated(o_dec)),
            ("miss_dec", repeated(miss_dec)), ("budget_dec", budget_dec.astype(int)),
            ("computed_o", computed_o), ("computed_f", computed_f), ("budget_o", b_o), ("budget_f", b_f),
            ("budget_o_dec", repeated(b_o_dec)), ("budget_f_dec", repeated(b_f_dec)),
        ):
            parts[c].append(values)
    if parts["unit_id"]:
        # one frame of every round's rows, the columns as a frame per round concatenated made them
        frame = pd.DataFrame({c: _optional_floats(v) if c in ("budget", "miss_pct") else _joined(v)
                              for c, v in parts.items()})
        frame = frame.sort_values(["order", "round_period_end"], kind="stable").reset_index(drop=True)
    else:
        frame = pd.DataFrame(columns=NUMBERS)
    nc = pd.DataFrame([{"unit_id": u, "order": order.get(u, 0), "label": labels.get(u, str(u)), "round_name": n,
                        "reason": reason} for u, n, reason in missing],
                      columns=["unit_id", "order", "label", "round_name", "reason"])
    if len(nc):
        nc = nc.sort_values(["order"], kind="stable").reset_index(drop=True)
    return Accuracy(outcome_round, forecast_rounds, rd.headline_forecast_round(forecast_rounds), to_unit, frame, nc)


def _with_texts(numbers: pd.DataFrame, forecast_rounds: list[dict], outcome_round: dict, to_unit: str,
                seen: dict, only: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The texts of compared rows (COLUMNS), round by round: each round's amounts are written at
    its own precision, its phrases in its own name. `seen`: per text function, the texts of the
    amounts already written (an Accuracy's, shared by its rounds and calls). `only`: those texts
    alone (COLUMNS without the others), the same as they are among all of them."""
    def shared(key: tuple) -> dict:
        return seen.setdefault(key, {})

    wanted = TEXT_COLUMNS if only is None else [c for c in TEXT_COLUMNS if c in only]
    columns_out = [c for c in COLUMNS if c not in TEXT_COLUMNS or c in wanted]
    if numbers.empty:
        return pd.DataFrame({c: numbers[c] if c in numbers else pd.Series(dtype=object) for c in columns_out},
                            index=numbers.index)
    by_id = {int(r["round_id"]): r for r in forecast_rounds}
    n = len(numbers)
    written = {c: np.empty(n, dtype=object) for c in wanted}
    round_ids = numbers["round_id"].to_numpy().astype(np.int64)
    # every column the texts are written from as an array once, each round's rows picked from
    # them: a frame of each round's rows cost more than its texts for a chart's dozen units
    floats = {c: numbers[c].to_numpy(dtype=float, na_value=np.nan)
              for c in ("miss", "budget_f", "budget_o", "budget", "miss_pct", "forecast", "outcome")}
    flags = {c: numbers[c].to_numpy(dtype=bool) for c in ("computed", "computed_o", "computed_f")}
    decimals = {c: numbers[c].to_numpy() for c in ("forecast_dec", "outcome_dec", "miss_dec", "budget_f_dec",
                                                   "budget_o_dec", "budget_dec")}
    round_names = numbers["round_name"].to_numpy()
    for rid in dict.fromkeys(round_ids.tolist()):
        at = np.flatnonzero(round_ids == rid)
        rnd, name, first = by_id[rid], round_names[at[0]], at[0]
        f_dec, o_dec, miss_dec = (int(decimals[c][first]) for c in ("forecast_dec", "outcome_dec", "miss_dec"))
        b_f_dec, b_o_dec = int(decimals["budget_f_dec"][first]), int(decimals["budget_o_dec"][first])
        miss, b_f, b_o, budget, pct = (floats[c][at] for c in ("miss", "budget_f", "budget_o", "budget", "miss_pct"))
        star = np.where(flags["computed"][at], " *", "")
        o_star = np.where(flags["computed_o"][at], " *", "")
        f_star = np.where(flags["computed_f"][at], " *", "")
        abs_text = _texts(np.abs(miss), miss_dec, to_unit, False, shared(("abs", miss_dec)))
        sign = np.sign(miss).tolist()  # a miss is never missing here: both sides have a value

        def note(b_f=b_f, b_o=b_o, b_f_dec=b_f_dec, b_o_dec=b_o_dec, name=name):
            # a budget changed during the year is named in a note (the texts as the budget column's)
            fb_text = _texts(b_f, b_f_dec, to_unit, False, shared(("budget", b_f_dec)))
            ob_text = _texts(b_o, b_o_dec, to_unit, False, shared(("budget", b_o_dec)))
            return ["" if fb != fb or ob != ob or fb == ob else f"Budgeten ändrades: {ft} i {name}, {ot} i bokslutet"
                    for fb, ob, ft, ot in zip(b_f.tolist(), b_o.tolist(), fb_text, ob_text, strict=True)]

        makers = {  # each text column, written only when wanted
            "budget_text": lambda: _budget_texts(budget, decimals["budget_dec"][at], to_unit, shared),
            "forecast_text": lambda: _with_star(_texts(floats["forecast"][at], f_dec, to_unit, True,
                                                       shared(("signed", f_dec))), f_star),
            "outcome_text": lambda: _with_star(_texts(floats["outcome"][at], o_dec, to_unit, True,
                                                      shared(("signed", o_dec))), o_star),
            "miss_text": lambda: _with_star(_signed(abs_text, sign), star),
            "miss_abs_text": lambda: abs_text,
            "miss_pct_text": lambda: _pct_texts(pct, shared(("pct",))),
            # the phrase of a row follows from the unsigned text and the sign of its miss
            "phrase": lambda: _phrases(rd.miss_phrase, rnd, abs_text, sign),
            "row_phrase": lambda: _phrases(rd.miss_row_phrase, rnd, abs_text, sign),
            "note": note,
        }
        for c in wanted:
            written[c][at] = makers[c]()
    out = numbers.assign(**{c: list(v) for c, v in written.items()})
    return out[columns_out]


def scope_root(units: pd.DataFrame, scope: str) -> int | None:
    """The unit whose miss is the scope's headline: the tree's root (the nämnd, or the kommun in
    a kommun's own follow-up) or the chosen förvaltning; none for the lines outside förvaltningar."""
    if scope == ec.NAMND_ONLY:
        return None
    if scope == ec.ALL:
        root = units[units["parent_id"].isna()]
    else:
        root = units[units["key"] == scope]
    return int(root.iloc[0]["unit_id"]) if len(root) == 1 else None


def _label(unit) -> str:  # one unit's label (the tests' reference comparison; compare uses views.unit_labels)
    from .views import unit_label

    return unit_label(unit)


def compare_investments(outcome_round: dict, outcome_inv: pd.DataFrame,
                        forecasts: list[tuple[dict, pd.DataFrame]], to_unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per project and forecast round: the forecast against the year's utfall (Bokslut's Redovisat).
    Difference = utfall − prognos, an amount (see INVESTMENT_NOTE)."""
    outcome = {r["project_key"]: r for r in outcome_inv.to_dict("records")} if len(outcome_inv) else {}
    rows, missing = [], []
    for rnd, inv in sorted(forecasts, key=lambda pair: pair[0]["period_end"]):
        name = rd.round_name(rnd)
        subject = rd.forecast_subject(rnd)
        f_rows = {r["project_key"]: r for r in inv.to_dict("records")} if len(inv) else {}
        for key in sorted(set(outcome) | set(f_rows)):
            o, f = outcome.get(key), f_rows.get(key)
            label = f"{key} {(o or f)['name']}"
            o_raw = None if o is None or fmt.is_missing(o.get("actual")) else float(o["actual"])
            f_raw = None if f is None or fmt.is_missing(f.get("forecast")) else float(f["forecast"])
            if o_raw is None and f_raw is None:
                continue
            if o_raw is None:
                missing.append({"label": label, "round_name": name, "reason": f"Prognos i {name} men inget utfall i bokslutet"})
                continue
            if f_raw is None:
                missing.append({"label": label, "round_name": name, "reason": f"Utfall i bokslutet men ingen prognos i {name}"})
                continue
            o_val, o_step, o_dec = _shown(o_raw, outcome_round, to_unit)
            f_val, f_step, f_dec = _shown(f_raw, rnd, to_unit)
            diff, dec = _difference(o_val, o_step, f_val, f_step)
            budget_raw, budget_round = o.get("budget"), outcome_round
            if fmt.is_missing(budget_raw):
                budget_raw, budget_round = f.get("budget"), rnd
            budget_val = fmt.amount_value(None if fmt.is_missing(budget_raw) else budget_raw, budget_round["amount_unit"],
                                          int(budget_round["decimals"]), to_unit)
            pct, pct_text = _pct(diff, budget_val)
            abs_text = _text(abs(diff), dec, to_unit, signed=False)
            if diff > 0:
                phrase = f"Utfallet blev {abs_text} högre än {subject}"
            elif diff < 0:
                phrase = f"Utfallet blev {abs_text} lägre än {subject}"
            else:
                phrase = f"Utfallet blev som {subject}"
            rows.append({"project_key": key, "label": label, "round_id": rnd["round_id"], "round_name": name,
                         "round_period_end": rnd["period_end"], "budget": budget_val,
                         "budget_text": fmt.MISSING if budget_val is None else fmt.amount(budget_raw, budget_round["amount_unit"], int(budget_round["decimals"]), to_unit),
                         "forecast": f_val, "forecast_text": _text(f_val, f_dec, to_unit, False),
                         "outcome": o_val, "outcome_text": _text(o_val, o_dec, to_unit, False),
                         "difference": diff, "difference_text": _text(diff, dec, to_unit),
                         "difference_pct": pct, "difference_pct_text": pct_text, "phrase": phrase,
                         "forecast_dec": f_dec, "outcome_dec": o_dec, "difference_dec": dec,
                         "budget_dec": fmt.display_decimals(budget_round["amount_unit"], int(budget_round["decimals"]), to_unit)})
    cols = ["project_key", "label", "round_id", "round_name", "round_period_end", "budget", "budget_text", "forecast",
            "forecast_text", "outcome", "outcome_text", "difference", "difference_text", "difference_pct",
            "difference_pct_text", "phrase", "forecast_dec", "outcome_dec", "difference_dec", "budget_dec"]
    return pd.DataFrame(rows, columns=cols), pd.DataFrame(missing, columns=["label", "round_name", "reason"])


# --- gathering from the database (through the caller's cached fetch) ---------------------------

EconomyFn = Callable[[dict], pd.DataFrame]  # round -> economy.economy_table of that round alone


def economy_fn(fetch: Callable) -> EconomyFn:
    """An EconomyFn from a `fetch(name, *args)` (slides, exports, the command line): each round's
    figures rolled up in that round's own organisation, as the round reported them."""
    def table(rnd: dict) -> pd.DataFrame:
        from . import rollups  # the stored tree of the round (economy_table of the round alone)

        return rollups.table(fetch, int(rnd["round_id"]), rnd["kind"])
    return table


def comparison_tables(stored: pd.DataFrame, stored_rounds: tuple[int, ...] = ()) -> dict[int, pd.DataFrame]:
    """`queries.economy_rollup_comparison` split per round: each the columns of the round's stored
    tree that `compare` reads (unit_id, budget_year, deviation_period, forecast_deviation, their
    `_computed` flags, own_forecast), the same rows and values as `economy_fn`'s table. One query
    for a nämnd instead of a tree and an organisation per round: at scale those were most of a
    first Ekonomi run on a Bokslut (docs/benchmark.md; tests/test_accuracy_store.py).

    `stored_rounds`: rounds whose tree is stored, for rows cut to a scope's subtree – a stored
    round without a row of it (a unit that did not exist that year) gets an empty table, which
    compares as its whole table does within the scope, instead of the whole tree rolled up again."""
    tables = {int(rid): part.drop(columns="round_id").reset_index(drop=True)
              for rid, part in stored.groupby("round_id", sort=False)}
    if stored_rounds:
        empty = stored.drop(columns="round_id").iloc[:0].reset_index(drop=True)
        for rid in stored_rounds:
            tables.setdefault(int(rid), empty)
    return tables


def stored_economy_fn(tables: dict[int, pd.DataFrame], fallback: EconomyFn) -> EconomyFn:
    """An EconomyFn for `compare` from `comparison_tables`; `fallback` for a round without a
    stored tree (a database init-db has not yet brought up to date)."""
    def table(rnd: dict) -> pd.DataFrame:
        found = tables.get(int(rnd["round_id"]))
        return found if found is not None else fallback(rnd)
    return table


def rounds_compared(rounds, rnd: dict) -> tuple[int, ...]:
    """The round ids `for_round(…, rnd)` and `across_years(…, until=rnd)` read the trees of: the
    Bokslut, its year's forecast rounds, and every Bokslut up to it with its headline forecast."""
    records = rounds.to_dict("records") if isinstance(rounds, pd.DataFrame) else list(rounds)
    ids = {int(rnd["round_id"])} | {int(r["round_id"]) for r in rd.forecast_rounds_of_year(records, rnd)}
    for b in records:
        if rd.is_outcome(b) and b["period_end"] <= rnd["period_end"]:
            ids.add(int(b["round_id"]))
            head = rd.headline_forecast_round(rd.forecast_rounds_of_year(records, b))
            if head is not None:
                ids.add(int(head["round_id"]))
    return tuple(sorted(ids))


def for_round(fetch: Callable, economy: EconomyFn, units: pd.DataFrame, rounds: pd.DataFrame, rnd: dict,
              to_unit: str | None = None, unit_ids: list[int] | None = None,
              with_investments: bool = True, tree: tuple | None = None) -> Accuracy | None:
    """Prognossäkerhet for a Bokslut round (None for any other round). `rounds` are the rounds the
    viewer may see: a draft forecast is never compared. `tree`: as `compare`'s."""
    if not rd.is_outcome(rnd):
        return None
    year = rd.forecast_rounds_of_year(rounds, rnd)
    outcome_table = economy(rnd)
    acc = compare(units, rnd, outcome_table, [(r, economy(r)) for r in year], to_unit, unit_ids, tree)
    if with_investments:
        # the year's investments in one query, split per round (up to twelve queries before)
        every = fetch("investments_of", tuple(sorted({int(rnd["round_id"])} | {int(r["round_id"]) for r in year})))
        by_round = {int(k): g.drop(columns="round_id").reset_index(drop=True) for k, g in every.groupby("round_id")}
        empty = every.drop(columns="round_id").head(0)

        def investments(r: dict) -> pd.DataFrame:
            return by_round.get(int(r["round_id"]), empty)

        inv_rows, inv_nc = compare_investments(rnd, investments(rnd), [(r, investments(r)) for r in year], acc.to_unit)
        acc.investments, acc.investments_not_comparable = inv_rows, inv_nc
    return acc


def across_years(economy: EconomyFn, units: pd.DataFrame, rounds: pd.DataFrame, to_unit: str,
                 unit_ids: list[int] | None = None, until: dict | None = None,
                 known: Accuracy | None = None, tree: tuple | None = None) -> pd.DataFrame:
    """The headline forecast's (Delår 2's) miss per unit and year, for every year with a Bokslut
    (up to `until`'s year). Columns: unit_id, label, level, depth, order, year, round_name, miss,
    miss_text, phrase, computed.

    `known`: a Bokslut's whole comparison already made (`for_round` with the same rounds, units,
    unit and scope): its headline round's rows are that year's, not compared again."""
    records = rounds.to_dict("records") if isinstance(rounds, pd.DataFrame) else list(rounds)
    bokslut = sorted((r for r in records if rd.is_outcome(r)), key=lambda r: r["period_end"])
    if until is not None:
        bokslut = [b for b in bokslut if b["period_end"] <= until["period_end"]]
    parts = []
    if tree is None and bokslut:
        tree = tree_of(units)  # one tree for every year's comparison
    for b in bokslut:
        head = rd.headline_forecast_round(rd.forecast_rounds_of_year(records, b))
        if head is None:
            continue
        if (known is not None and int(known.outcome_round["round_id"]) == int(b["round_id"])
                and known.to_unit == to_unit):
            rows = known.rows_of(head["round_id"]).reset_index(drop=True)
        else:
            # a year compared here shows its miss in words only: its other texts are not written
            year_acc = compare(units, b, economy(b), [(head, economy(head))], to_unit, unit_ids, tree)
            rows = year_acc.with_texts(year_acc.numbers, only=("miss_text", "phrase"))
        if len(rows):
            parts.append(rows.assign(year=b["period_end"].year))
    cols = ["unit_id", "label", "level", "depth", "order", "year", "round_name", "miss", "miss_text", "phrase", "computed"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


# --- shaping for pages, slides and downloads -------------------------------------------------

def _bare(text: str, unit: str) -> str:
    """An amount without its unit (the column header carries it): `+2,7 mnkr *` -> `+2,7 *`."""
    return text.replace(f"{fmt.NBSP}{unit}", "")


def table_display(acc: Accuracy, round_id: int | None = None) -> pd.DataFrame:
    """The comparison as the user reads it at 1280 px, for one forecast round (default the
    headline round): one row per unit, the tree by indentation, amounts without their unit (the
    page says it above the table: short headers keep the table inside the window). Prognos and
    Utfall are each a deviation against budget; the Not column only when a row has a note."""
    if round_id is None and acc.headline_round is not None:
        round_id = int(acc.headline_round["round_id"])
    rows = acc.rows_of(round_id) if round_id is not None else acc.with_texts(acc.numbers.head(0))
    u = acc.to_unit
    # columns as lists (tolist): the same objects as iterating them, without pandas' per-element
    # iterator over its Arrow text columns (~12× slower for a year's 2 000 rows)
    col = {c: rows[c].tolist() for c in ("depth", "name", "forecast_text", "outcome_text", "miss_text",
                                         "miss_pct_text", "phrase", "note")}
    out = pd.DataFrame({
        "Verksamhet": ["\u2003" * int(d) + n for d, n in zip(col["depth"], col["name"], strict=True)],
        "Prognos": [_bare(t, u) for t in col["forecast_text"]],
        "Utfall": [_bare(t, u) for t in col["outcome_text"]],
        "Skillnad": [_bare(t, u) for t in col["miss_text"]],
        "% av budget": col["miss_pct_text"],
        "Bedömning": col["phrase"],
    })
    if rows["note"].astype(bool).any():
        out["Not"] = col["note"]
    return out


def _num(value, decimals) -> object:
    from .downloads import Number

    if value is None or fmt.is_missing(value):
        return Number(None)
    return Number(float(value), int(decimals))


def download(acc: Accuracy, name: str, about: list[tuple[str, str]] | None = None):
    """The comparison as a downloads.Download: amounts as numbers at the report's precision,
    the words beside them, and the rows that cannot be compared with their reason."""
    from .downloads import COMPUTED, Column, Download

    u = acc.to_unit
    columns = [Column("Nivå", "level", 6), Column("Verksamhet", "text", 42), Column("Prognos i", "text", 12),
               Column(f"Budget helår ({u})", "number"), Column(f"Prognosavvikelse ({u})", "number"),
               Column(f"Resultat mot budget ({u})", "number"), Column(f"Skillnad utfall − prognos ({u})", "number"),
               Column(f"Skillnad {COMPUTED}", "text", 5), Column("Skillnad i % av budget", "number"),
               Column("Bedömning", "text", 48), Column("Not", "text", 40)]
    rows: list[list[object]] = []
    for r in acc.rows.itertuples():
        rows.append([int(r.depth) + 1, r.label, r.round_name, _num(r.budget, r.budget_dec),
                     _num(r.forecast, r.forecast_dec), _num(r.outcome, r.outcome_dec), _num(r.miss, r.miss_dec),
                     COMPUTED if r.computed else None, _num(r.miss_pct, 1), r.phrase, r.note or None])
    for r in acc.not_comparable.itertuples():
        rows.append([None, r.label, r.round_name, _num(None, 0), _num(None, 0), _num(None, 0), _num(None, 0), None,
                     _num(None, 1), "Ej jämförbar", r.reason])
    return Download(name, columns, rows, (about or []) + [("Skillnad", SIGN_NOTE), ("Att läsa den", CAPTION)],
                    indent_by_level="Verksamhet")


def investment_download(acc: Accuracy, name: str, about: list[tuple[str, str]] | None = None):
    from .downloads import Column, Download

    u = acc.to_unit
    columns = [Column("Projekt", "text", 36), Column("Prognos i", "text", 12), Column(f"Budget helår ({u})", "number"),
               Column(f"Prognos helår ({u})", "number"), Column(f"Utfall helår ({u})", "number"),
               Column(f"Skillnad utfall − prognos ({u})", "number"), Column("Skillnad i % av budget", "number"),
               Column("Bedömning", "text", 48)]
    rows: list[list[object]] = []
    for r in acc.investments.itertuples():
        rows.append([r.label, r.round_name, _num(r.budget, r.budget_dec), _num(r.forecast, r.forecast_dec),
                     _num(r.outcome, r.outcome_dec), _num(r.difference, r.difference_dec), _num(r.difference_pct, 1),
                     r.phrase])
    for r in acc.investments_not_comparable.itertuples():
        rows.append([r.label, r.round_name, _num(None, 0), _num(None, 0), _num(None, 0), _num(None, 0), _num(None, 1),
                     f"Ej jämförbar: {r.reason}"])
    return Download(name, columns, rows, (about or []) + [("Skillnad", INVESTMENT_NOTE)])


def not_comparable_display(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Rad": list(frame["label"]), "Prognos i": list(frame["round_name"]), "Skäl": list(frame["reason"])})


def investment_display(frame: pd.DataFrame, to_unit: str, round_id: int | None = None) -> pd.DataFrame:
    """Investments against one forecast round (all rounds when None), amounts without their unit."""
    if round_id is not None:
        frame = frame[frame["round_id"] == round_id]
    u = to_unit
    out = pd.DataFrame({"Projekt": list(frame["label"])})
    if round_id is None:
        out["Prognos i"] = list(frame["round_name"])
    out["Budget"] = [_bare(t, u) for t in frame["budget_text"]]
    out["Prognos"] = [_bare(t, u) for t in frame["forecast_text"]]
    out["Utfall"] = [_bare(t, u) for t in frame["outcome_text"]]
    out["Skillnad"] = [_bare(t, u) for t in frame["difference_text"]]
    out["% av budget"] = list(frame["difference_pct_text"])
    out["Bedömning"] = list(frame["phrase"])
    return out


def chart_data(acc: Accuracy, lines: pd.DataFrame | None = None, n: int = 12, short: bool = False) -> pd.DataFrame:
    """Dumbbell data: per unit one point per forecast round and the outcome last, the units with
    the largest headline misses first. `lines` (economy leaf lines) picks the rows; default all.
    Rows whose forecasts all hit the outcome carry no mark worth drawing (the table lists them).

    `short`: the unit's own name as label (a slide's narrow chart), not `parent › name`.

    Columns: label, series, series_order, value, value_text, miss_text, rank."""
    columns = ["label", "series", "series_order", "value", "value_text", "miss_text", "rank"]
    rows = acc.numbers  # ranked on the numbers; only the drawn units' texts are written
    if lines is not None and len(rows):
        rows = rows[rows["unit_id"].isin(set(lines["unit_id"].astype(int)))]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    head_id = acc.headline_round["round_id"] if acc.headline_round else None
    # per unit (by id): the largest miss, the headline round's where it has one, and whether any
    # forecast missed – in arrays, as groupby would give them (a year at scale is 23 000 rows)
    miss = rows["miss"].to_numpy(dtype=float)
    ids, first, unit_of = np.unique(rows["unit_id"].to_numpy(), return_index=True, return_inverse=True)
    size = np.full(len(ids), -np.inf)
    np.maximum.at(size, unit_of, np.abs(miss))
    at_head = rows["round_id"].to_numpy() == head_id
    size[unit_of[at_head]] = np.abs(miss[at_head])
    missed = np.zeros(len(ids), dtype=bool)
    np.logical_or.at(missed, unit_of, miss != 0)
    keep = np.flatnonzero(missed)
    # the largest first, then the tree's order (stable: as sort_values on size and order)
    by = np.lexsort((rows["order"].to_numpy()[first][keep], -size[keep]))
    ranked = ids[keep][by][:n].tolist()
    names = [rd.round_name(r) for r in acc.forecast_rounds]
    mine = acc.with_texts(rows[rows["unit_id"].isin(ranked)])
    groups: dict[int, list[dict]] = {}  # each unit's rows in their order, as plain records
    for r in mine[["unit_id", "round_id", "round_name", "name", "label", "forecast", "forecast_text", "outcome",
                   "outcome_text", "miss_text"]].to_dict("records"):
        groups.setdefault(r["unit_id"], []).append(r)
    out = []
    for rank, uid in enumerate(ranked):
        group = groups[uid]
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


def trend_display(years: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, one column per year (the headline miss), and the tendency in words."""
    if years.empty:
        return pd.DataFrame()
    wide = years.pivot_table(index="unit_id", columns="year", values="miss_text", aggfunc="first")
    first = years.groupby("unit_id")[["order", "depth", "label"]].first().sort_values("order")
    misses: dict = {}  # the words depend on the signs of a unit's misses, not on their order
    for uid, miss in zip(years["unit_id"].tolist(), years["miss"].tolist(), strict=True):
        misses.setdefault(uid, []).append(miss)
    out = pd.DataFrame({"Verksamhet": ["\u2003" * int(d) + lbl for d, lbl in
                                       zip(first["depth"].tolist(), first["label"].tolist(), strict=True)]})
    for y in sorted(wide.columns):
        out[str(y)] = [v if isinstance(v, str) else fmt.MISSING for v in wide.loc[first.index, y].tolist()]
    out["Tendens"] = [tendency(misses[u]) for u in first.index.tolist()]
    return out


def tendency(misses: list[float]) -> str:
    """Whether a unit's forecasts are systematically cautious or optimistic, in words."""
    values = [m for m in misses if not fmt.is_missing(m)]
    if len(values) < 2:
        return "ett år – ingen tendens"
    if all(m > 0 for m in values):
        return f"för försiktig alla {len(values)} år"
    if all(m < 0 for m in values):
        return f"för optimistisk alla {len(values)} år"
    if all(m == 0 for m in values):
        return "träffade utfallet alla år"
    return "växlande"


def trend_chart_data(years: pd.DataFrame, max_units: int = 8) -> pd.DataFrame:
    """Small multiples data: the top of the tree (nämnd, förvaltningar, verksamhetsområden)."""
    if years.empty:
        return pd.DataFrame(columns=["label", "year", "miss", "miss_text", "order"])
    top = years[years["depth"] <= years["depth"].min() + 2]
    keep = list(dict.fromkeys(top.sort_values("order")["unit_id"]))[:max_units]
    data = top[top["unit_id"].isin(keep)].sort_values(["order", "year"])
    return pd.DataFrame({"label": data["label"], "year": data["year"].astype(str), "miss": data["miss"],
                         "miss_text": data["miss_text"], "order": data["order"]})
