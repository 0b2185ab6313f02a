"""Shaping for pages: figures and sentences from query frames. Pure functions, no Streamlit.

Everything a page shows as text is formatted here, so tests can check the exact Swedish wording.
"""

from __future__ import annotations

import math

import pandas as pd

from . import formatting as fmt

GENDER = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}
# the gender filter on indicator pages: choice -> genders shown
GENDER_CHOICES = {"Totalt": {"T"}, "Kvinnor och män": {"K", "M"}, "Alla": {"T", "K", "M"}}


def _num(v) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def economy_summary(total: dict, unit: str, decimals: int, prev_round: dict | None,
                    round: dict | None = None) -> dict:
    """Headline and metric texts for a scope's economy, in the words of the round's kind
    (rounds.vocabulary): a Bokslut speaks of its outcome, every other round of its forecast.

    Keys: `headline`, `deviation` (+ `deviation_share`, `deviation_label`, `deviation_help`) – the
    round's figure; `net`/`net_label`/`budget` (full-year net cost: forecast or outcome);
    `period`/`period_share` and `show_period` (False for a Bokslut, whose period is the year, so
    the result is shown once); `change_label`, `change`, `change_word`; `any_computed`.
    `forecast`/`forecast_share` are kept as names for `deviation`/`deviation_share`.
    """
    from . import rounds as rd

    words = rd.vocabulary(round or {})
    fc = _num(total.get(words.deviation_field))
    budget = _num(total.get("budget_year"))
    period = _num(total.get("deviation_period"))
    budget_period = _num(total.get("budget_period"))
    change = _num(total.get("forecast_change"))
    fields = (words.deviation_field, "deviation_period", "budget_year")
    computed = any(total.get(f + "_computed") for f in fields)
    if change is not None and fmt.round_half_up(change, decimals) == 0:
        change = 0.0  # float leftovers below the printed precision are no change
    star = lambda f: " *" if total.get(f + "_computed") and _num(total.get(f)) is not None else ""  # noqa: E731
    deviation = fmt.amount(fc, unit, decimals, signed=True) + star(words.deviation_field)
    share = (fmt.percent(100 * fc / budget, 1, signed=True) + " av budget") if fc is not None and budget else None
    out = {
        "deviation": deviation,
        "deviation_share": share,
        "deviation_label": words.deviation_label,
        "deviation_help": words.deviation_help,
        "forecast": deviation,
        "forecast_share": share,
        "net": fmt.amount(_num(total.get(words.net_field)), unit, decimals) + star(words.net_field),
        "net_label": words.net_label,
        "budget": fmt.amount(budget, unit, decimals) + star("budget_year"),
        "period": fmt.amount(period, unit, decimals, signed=True) + star("deviation_period"),
        "period_share": (fmt.percent(100 * period / budget_period, 1, signed=True) + " av periodbudget")
        if period is not None and budget_period else None,
        "show_period": words.show_period,
        "any_computed": bool(computed),
        "change_label": words.change_label(prev_round),
    }
    if prev_round is None:
        out |= {"change": "–", "change_word": "inget tidigare tillfälle"}
    else:
        out["change_word"] = words.change_word(change)
        out["change"] = "–" if change is None else fmt.amount(change, unit, decimals, signed=True)
    if fc is None:
        out["headline"] = words.no_figure
    else:
        head = (f"{words.headline}: {fmt.amount(abs(fc), unit, decimals)} {fmt.deviation_word(fc)}" if fc
                else f"{words.headline}: budget i balans")
        if prev_round is not None and change and not words.outcome:
            verb = "förbättras" if change > 0 else "försämras"
            head += f" – {verb} med {fmt.amount(abs(change), unit, decimals)} sedan {prev_round['kind'].lower()}"
        out["headline"] = head
    if total.get("level") == "kommun":
        out |= _kommun_summary(total, unit, decimals, words)
    return out


def _kommun_summary(total: dict, unit: str, decimals: int, words) -> dict:
    """A kommun's overall follow-up: the headline is årets resultat against budget, as printed
    (the deviations of nämnder and posts are stored as printed, never derived)."""
    result = _num(total.get(words.net_field))
    budget = _num(total.get("budget_year"))
    dev = _num(total.get(words.deviation_field))
    subject = "Årets resultat" + ("" if words.outcome else " (prognos)")
    if result is not None and budget is not None:
        head = f"{subject}: {fmt.amount(result, unit, decimals)} mot budget {fmt.amount(budget, unit, decimals)}"
        if dev is not None:
            head += f" ({fmt.amount(dev, unit, decimals, signed=True)})"
    elif dev is not None:
        head = (f"{subject}: {fmt.amount(abs(dev), unit, decimals)} "
                f"{'bättre' if dev > 0 else 'sämre'} än budget" if dev else f"{subject}: som budgeterat")
    else:
        head = "Tillfället redovisar inte årets resultat"
    return {
        "headline": head,
        "deviation_label": "Avvikelse mot budgeterat resultat",
        "deviation_help": "Positivt = bättre för kommunens resultat. Kommunens uppföljning redovisar "
                          "avvikelserna som de skrivs ut: för nämnderna budget − nettokostnad, för "
                          "finansiering och andra poster utfall − budget.",
        "deviation_share": None,
        "net_label": "Årets resultat",
        "kommun_level": True,
    }


def namnd_links(units: pd.DataFrame, namnder: pd.DataFrame, kommun_code: str) -> list[tuple[str, str]]:
    """In a kommun's overall follow-up: the rows of level nämnd whose code is a nämnd with its own
    follow-up in the database, as (label, nämnd code)."""
    own = {str(c).upper() for c in namnder.loc[namnder["kommun_code"] == kommun_code, "namnd_code"]}
    rows = units[(units["level"] == "nämnd") & units["parent_id"].notna()] if len(units) else units
    return [(unit_label(r), str(r.code).upper()) for r in rows.itertuples()
            if isinstance(r.code, str) and r.code.upper() in own]


def unit_label(row) -> str:
    """`575 Ekonomiskt bistånd`, or the name; an enhet, and a unit whose name another unit of the
    round also has, carries its parent: `Gymnasieskolan › Rektorer GY`."""
    get = row.get if isinstance(row, dict | pd.Series) else (lambda k, d=None: getattr(row, k, d))
    return _label(get("code"), get("name"), get("parent_name"), get("level"), get("name_repeated"))


def _label(code, name, parent, level, name_repeated) -> str:
    if isinstance(code, str) and code and level != "nämnd":  # a nämnd's code (AMN) is not a report code
        return f"{code} {name}"
    repeated = name_repeated == True  # noqa: E712 - a numpy bool, or NaN/None where not known
    if (level == "enhet" or repeated) and isinstance(parent, str) and parent:
        return f"{parent} › {name}"
    return name


def indicator_miss_table(misses: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in misses.itertuples():
        target = fmt.indicator_value(r.target_value, r.measure_unit) if r.target_value is not None else (r.target_text or "–")
        rows.append({
            "Indikator": r.name,
            "Avser": r.unit_name if r.breakdown == "" else f"{r.unit_name}, {r.breakdown}",
            "Kön": GENDER.get(r.gender, r.gender),
            "Period": r.period_label,
            "Värde": fmt.indicator_value(r.value, r.measure_unit),
            "Målvärde": f"{_comparator(r.comparator)} {target}".strip(),
        })
    return pd.DataFrame(rows)


ECONOMY_COLUMNS = [
    ("budget_year", "Budget helår"),
    ("budget_period", "Periodbudget"),
    ("actual_period", "Utfall"),
    ("deviation_period", "Periodavvikelse"),
    ("forecast_net", "Prognos helår"),
    ("forecast_deviation", "Prognosavvikelse"),
]
SIGNED = {"deviation_period", "forecast_deviation", "prev_forecast_deviation", "forecast_change"}


def visible_rows(table: pd.DataFrame, expanded: set[int], scope_ids: list[int] | None = None) -> pd.DataFrame:
    """Rows of the economy tree whose every ancestor is open, in tree order."""
    if table.empty:
        return table
    ids = set(table["unit_id"].astype(int))
    if scope_ids is not None:
        ids &= set(scope_ids)
    by_parent: dict[int | None, list] = {}
    for row in table.sort_values("sort_order").itertuples():
        if int(row.unit_id) not in ids:
            continue
        parent = None if pd.isna(row.parent_id) or int(row.parent_id) not in ids else int(row.parent_id)
        by_parent.setdefault(parent, []).append(row)
    order: list[int] = []

    def walk(parent, depth):
        for row in by_parent.get(parent, []):
            order.append((int(row.unit_id), depth))
            if int(row.unit_id) in expanded:
                walk(int(row.unit_id), depth + 1)

    walk(None, 0)
    depth = dict(order)
    out = table.set_index("unit_id").loc[[u for u, _ in order]].reset_index()
    out["tree_depth"] = out["unit_id"].map(depth)
    out["has_children"] = out["unit_id"].isin({int(p) for p in by_parent if p is not None})
    return out


def economy_display(rows: pd.DataFrame, expanded: set[int], unit: str, decimals: int, to_unit: str,
                    prev_label: str | None, round: dict | None = None, prev_round: dict | None = None) -> pd.DataFrame:
    """The hierarchy table as the user sees it: indented names, Swedish amounts, * for computed.

    With `round` the columns are the round kind's (a Bokslut shows utfall and resultat, no
    forecast columns); with `prev_round` the comparison columns are named for that round."""
    from . import rounds as rd

    out = pd.DataFrame()
    names = []
    for r in rows.itertuples():
        marker = ("▾ " if int(r.unit_id) in expanded else "▸ ") if r.has_children else "  "
        names.append("\u2003" * int(r.tree_depth) + marker + unit_label(r))
    out["Verksamhet"] = names
    words = rd.vocabulary(round) if round is not None else None
    columns = words.economy_columns() if words else list(ECONOMY_COLUMNS)
    if prev_round is not None and words is not None:
        columns += [("prev_forecast_deviation", words.prev_column(prev_round)),
                    ("forecast_change", words.change_column)]
    elif prev_label:
        columns += [("prev_forecast_deviation", f"Prognosavv. {prev_label}"),
                    ("forecast_change", "Förändring")]
    n = len(rows)
    for field, header in columns:
        # column by column, each distinct amount formatted once (a row per unit at scale; the
        # values are the frame's own, as iterating its rows gave them)
        values = rows[field].tolist() if field in rows.columns else [None] * n
        flags = rows[field + "_computed"].tolist() if field + "_computed" in rows.columns else [False] * n
        signed = field in SIGNED
        texts = _per_value(lambda v, signed=signed: fmt.amount(v, unit, decimals, to_unit, signed=signed,
                                                                with_unit=False), values)
        out[header] = [t + " *" if bool(c) and t != fmt.MISSING else t for t, c in zip(texts, flags, strict=True)]
    return out


def deviation_chart_data(lines: pd.DataFrame, unit: str, decimals: int, to_unit: str,
                         field: str = "forecast_deviation") -> pd.DataFrame:
    """Bars of the round's figure per line: `field` is the forecast deviation, or for a Bokslut
    the outcome (`rounds.vocabulary(round).deviation_field`)."""
    data = lines[lines[field].notna()]
    summary = data["summary_line"].astype(bool) if "summary_line" in data else pd.Series(False, index=data.index)
    return pd.DataFrame({
        "key": data["key"],
        "label": unit_labels(data),
        "value": _per_values(lambda vs: fmt.amount_values(vs, unit, decimals, to_unit), data[field]),
        "value_text": _per_values(lambda vs: fmt.amounts(vs, unit, decimals, to_unit, signed=True), data[field]),
        "summary": list(summary),  # a summary line (economy.summary_line_ids): shown apart, never ranked
    })


def budget_forecast_chart_data(lines: pd.DataFrame, unit: str, decimals: int, to_unit: str,
                               field: str = "forecast_net") -> pd.DataFrame:
    """Budget against the full-year figure: the forecast, or for a Bokslut the outcome (`field`
    = `actual_period`). Columns keep the name `forecast` for the chart's encoding."""
    data = lines[lines["budget_year"].notna() & lines[field].notna()]
    return pd.DataFrame({
        "key": data["key"],
        "label": [label + (" *" if c else "") for label, c in zip(unit_labels(data), data[field + "_computed"], strict=True)],
        "budget": _per_values(lambda vs: fmt.amount_values(vs, unit, decimals, to_unit), data["budget_year"]),
        "forecast": _per_values(lambda vs: fmt.amount_values(vs, unit, decimals, to_unit), data[field]),
        "budget_text": _per_values(lambda vs: fmt.amounts(vs, unit, decimals, to_unit), data["budget_year"]),
        "forecast_text": [t + (" (beräknad)" if c else "") for t, c in zip(
            _per_values(lambda vs: fmt.amounts(vs, unit, decimals, to_unit), data[field]), data[field + "_computed"], strict=True)],
    })


def history_chart_data(history: pd.DataFrame, units: pd.DataFrame, unit_ids: list[int], unit: str,
                       decimals: int, to_unit: str) -> pd.DataFrame:
    """Forecast deviation per unit and round; a unit appears only for rounds that reported it."""
    data = history[history["unit_id"].isin(unit_ids)].copy()
    if "budget_year" in data:
        derive = data["forecast_deviation"].isna() & data["forecast_net"].notna() & data["budget_year"].notna()
        data.loc[derive, "forecast_deviation"] = data["budget_year"] - data["forecast_net"]
    data = data[data["forecast_deviation"].notna()]
    labels = {int(r.unit_id): unit_label(r) for r in units.itertuples()}
    values = data["forecast_deviation"]
    # a round's label and date once per round, a unit's label once per unit (~63 000 rows at scale)
    rounds = {(k, d): (f"{k} {d.year}", d.isoformat()) for k, d in set(zip(data["kind"], data["period_end"], strict=True))}
    pairs = [rounds[p] for p in zip(data["kind"], data["period_end"], strict=True)]
    out = pd.DataFrame({
        "label": [labels[u] for u in data["unit_id"].astype(int).tolist()],
        "round_label": [p[0] for p in pairs],
        "period_end": [p[1] for p in pairs],
        "value": _per_values(lambda vs: fmt.amount_values(vs, unit, decimals, to_unit), values),
        "value_text": _per_values(lambda vs: fmt.amounts(vs, unit, decimals, to_unit, signed=True), values),
    })
    return out


def _per_value(fn, values) -> list:
    """[fn(v) for v in values], calling the pure `fn` once per distinct value: every round's
    forecast for every unit is ~66 000 amounts at full scale but far fewer distinct ones, and the
    decimal rounding in `formatting` took ~4 s per first Ekonomi run (docs/benchmark.md). −0,0 and
    0,0 are kept apart (they are equal as keys but may format differently)."""
    if isinstance(values, pd.Series) and values.dtype == "float64" and len(values) > 64:
        # the same calls by the floats' bit patterns (−0,0 and 0,0 differ there too), without a
        # Python loop over every value: fn once per distinct value, spread by its code
        codes, distinct = pd.factorize(values.to_numpy().view("int64"), use_na_sentinel=False)
        done_list = [fn(v) for v in distinct.view("float64").tolist()]
        return [done_list[c] for c in codes.tolist()]
    return _per_value_loop(fn, values)


def _per_values(fn_many, values) -> list:
    """_per_value for a function of a whole list (`formatting.amounts`/`amount_values`, which
    skip the decimal arithmetic for whole figures in their own unit): fn_many once over the
    distinct values, spread back; anything but a long float column goes to fn_many as it is."""
    if isinstance(values, pd.Series) and values.dtype == "float64" and len(values) > 64:
        codes, distinct = pd.factorize(values.to_numpy().view("int64"), use_na_sentinel=False)
        done_list = fn_many(distinct.view("float64").tolist())
        return [done_list[c] for c in codes.tolist()]
    return fn_many(list(values))


LABEL_COLUMNS = ("code", "name", "parent_name", "level", "name_repeated")  # what unit_label reads


def unit_labels(frame: pd.DataFrame) -> list[str]:
    """[unit_label(r) for r in frame.itertuples()], from the label's columns as lists (tolist: the
    Python objects itertuples gives; a missing column reads as None either way): a round's economy
    lines have ~40 columns, and a named tuple per row with its attribute lookups cost more than
    the labels (Ekonomi's prognossäkerhet labels ~8 000 lines on its first run at full scale)."""
    n = len(frame)
    columns = [frame[c].tolist() if c in frame else [None] * n for c in LABEL_COLUMNS]
    return [_label(*values) for values in zip(*columns, strict=True)]


def _per_value_loop(fn, values) -> list:
    """_per_value for any values (the reference the float path is tested against)."""
    done: dict = {}
    out = []
    for v in values:
        key = (v, math.copysign(1.0, v)) if isinstance(v, float) else (v, type(v))
        if key not in done:
            done[key] = fn(v)
        out.append(done[key])
    return out


def history_with_outcome(hist: pd.DataFrame, lines: pd.DataFrame, rnd: dict, unit: str, decimals: int,
                         to_unit: str) -> pd.DataFrame:
    """A Bokslut's history chart: the year's forecasts, then the outcome as the last point
    (labelled as utfall, never as a forecast). `hist` from history_chart_data, `lines` the
    Bokslut's leaf lines (economy_table with outcome=True)."""
    year = rnd["period_end"].year
    hist = hist[[d.startswith(f"{year}-") for d in hist["period_end"]]]
    data = lines[lines["deviation_period"].notna()]
    outcome = pd.DataFrame({
        "label": unit_labels(data),
        "round_label": f"Utfall {year}",
        "period_end": rnd["period_end"].isoformat(),
        "value": _per_values(lambda vs: fmt.amount_values(vs, unit, decimals, to_unit), data["deviation_period"]),
        "value_text": _per_values(lambda vs: fmt.amounts(vs, unit, decimals, to_unit, signed=True), data["deviation_period"]),
    })
    return pd.concat([hist, outcome], ignore_index=True)


def last_year_chart_data(lines: pd.DataFrame, unit: str, decimals: int, to_unit: str) -> pd.DataFrame:
    data = lines[lines["actual_period"].notna() & lines["actual_prev_period"].notna()]
    rows = []
    for r in data.itertuples():
        for series, value in (("Utfall i år", r.actual_period), ("Samma period fg år", r.actual_prev_period)):
            rows.append({"label": unit_label(r), "series": series,
                         "value": fmt.amount_value(value, unit, decimals, to_unit),
                         "value_text": fmt.amount(value, unit, decimals, to_unit)})
    return pd.DataFrame(rows)


def result_display(rs: pd.DataFrame, unit: str, decimals: int, to_unit: str) -> pd.DataFrame:
    """The results statement as printed (costs negative)."""
    cols = [("actual_period", "Utfall period"), ("budget_year", "Budget helår"),
            ("forecast_year", "Prognos helår"), ("actual_prev_period", "Utfall samma period fg år")]
    out = pd.DataFrame({"Rad": rs["name"]})
    for field, header in cols:
        if rs[field].notna().any():
            out[f"{header} ({to_unit})"] = [fmt.amount(v, unit, decimals, to_unit, with_unit=False) for v in rs[field]]
    return out


def investment_display(inv: pd.DataFrame, unit: str, decimals: int, to_unit: str, outcome: bool = False) -> pd.DataFrame:
    """Investments as printed; for a Bokslut (`outcome`) Redovisat is the year's utfall and no
    forecast column is shown (a Bokslut has none)."""
    out = pd.DataFrame({"Projekt": [f"{k} {n}" for k, n in zip(inv["project_key"], inv["name"], strict=True)]})
    columns = ((("actual", "Utfall helår", False), ("budget", "Budget helår", False),
                ("deviation", "Avvikelse mot budget", True)) if outcome else
               (("actual", "Redovisat", False), ("forecast", "Prognos helår", False),
                ("budget", "Budget helår", False), ("deviation", "Avvikelse", True)))
    for field, header, signed in columns:
        out[f"{header} ({to_unit})"] = [fmt.amount(v, unit, decimals, to_unit, signed=signed, with_unit=False)
                                       for v in inv[field]]
    return out


def investment_chart_data(inv: pd.DataFrame, unit: str, decimals: int, to_unit: str) -> pd.DataFrame:
    out = pd.DataFrame({"label": [f"{k} {n}" for k, n in zip(inv["project_key"], inv["name"], strict=True)]})
    for field in ("actual", "forecast", "budget"):
        out[field] = [fmt.amount_value(v, unit, decimals, to_unit) for v in inv[field]]
        out[field + "_text"] = [fmt.amount(v, unit, decimals, to_unit) for v in inv[field]]
    return out


def indicator_wide(indicators: pd.DataFrame, values: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × unit × gender × breakdown × source; one column per period."""
    from . import targets as tg

    # the status rows, the values and the indicators as plain tuples of their columns' lists
    # (tolist), not itertuples' named tuples or a pandas row per indicator: those, and iterating
    # Arrow text columns element by element, were most of the table at full scale
    col = lambda frame, c: frame[c].tolist()  # noqa: E731
    status_map = {}
    if len(status):
        for key, target_value, comparator, target_text, code in zip(
                zip(*(col(status, c) for c in ("indicator_id", "unit_id", "gender", "breakdown"))),
                col(status, "target_value"), col(status, "comparator"), col(status, "target_text"),
                col(status, "status")):
            status_map[key] = (target_value, comparator, target_text, code)
    info = {iid: {"name": name, "measure_unit": unit, "source": source} for iid, name, unit, source in zip(
        *(col(indicators, c) for c in ("indicator_id", "name", "measure_unit", "source")))}
    periods = (values[["period_end", "period_label", "value_type"]].drop_duplicates()
               .sort_values(["period_end", "value_type"]))
    labels = [p if t == "utfall" or p.lower().startswith("prognos") else f"Prognos {p}"
              for p, t in zip(periods["period_label"], periods["value_type"], strict=True)]
    labels = list(dict.fromkeys(labels))
    rows = []
    keys = ["indicator_id", "unit_id", "gender", "breakdown", "source_table"]
    # The rows grouped as values.groupby(keys, sort=False) groups them – groups in the order of
    # their first row, rows in order, rows with a missing key left out – in one pass over the
    # rows: a groupby with an itertuples per group cost ~5 s for a verksamhetsområde at full scale.
    groups: dict[tuple, list] = {}
    complete = values[keys].notna().all(axis=1).tolist() if len(values) else []
    fields = ["unit_name", "period_label", "value_type", "missing", "value", "old_method_value", "footnote"]
    for key, v, ok in zip(zip(*(col(values, k) for k in keys)), zip(*(col(values, f) for f in fields)), complete,
                          strict=True):
        if ok:
            groups.setdefault(key, []).append(v)
    for key, group in groups.items():
        ind = info[key[0]]
        unit = ind["measure_unit"]
        row = {
            "Indikator": ind["name"],
            "Avser": group[0][0] + (f", {key[3]}" if key[3] else ""),
            "Kön": GENDER.get(key[2], key[2]),
        }
        for label in labels:
            row[label] = ""
        notes = []
        for _, period_label, value_type, missing, value, old_method_value, footnote in group:
            label = period_label if value_type == "utfall" or period_label.lower().startswith("prognos") else f"Prognos {period_label}"
            text = "I.U." if missing else fmt.indicator_value(value, unit)
            if old_method_value is not None and not fmt.is_missing(old_method_value):
                text += f" ({fmt.indicator_value(old_method_value, unit)})"
            row[label] = text
            if isinstance(footnote, str) and footnote:
                notes.append(f"{period_label}: {footnote}")
        target_value, comparator, target_text, code = status_map.get(key[:4], (None, None, None, None))
        if target_value is not None and not fmt.is_missing(target_value):
            row["Målvärde"] = f"{_comparator(comparator)} {fmt.indicator_value(target_value, unit)}".strip()
        elif isinstance(target_text, str):
            row["Målvärde"] = target_text
        else:
            row["Målvärde"] = "–"
        s = tg.STATUSES[code] if code is not None else tg.NO_TARGET
        row["Status"] = f"{s.symbol} {s.label}"
        row["Källa"] = key[4] or (ind["source"] or "")
        row["Fotnot"] = " · ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)


def numbered_risks(risks: pd.DataFrame) -> pd.DataFrame:
    """Risks sorted by riskvärde (highest first) with a running number for the matrix."""
    out = risks.sort_values(["risk_value", "sort_order"], ascending=[False, True], na_position="last").reset_index(drop=True)
    return out.assign(number=range(1, len(out) + 1))


def risk_display(risks: pd.DataFrame, numbered: bool = False) -> pd.DataFrame:
    out = pd.DataFrame({"Nr": risks["number"]}) if numbered else pd.DataFrame(index=risks.index)
    return out.assign(**{
        "Risk": risks["name"],
        "Sannolikhet": [fmt.number(v) for v in risks["probability"]],
        "Konsekvens": [fmt.number(v) for v in risks["consequence"]],
        "Riskvärde": [fmt.number(v) + (" (beräknat)" if c else "")
                      for v, c in zip(risks["risk_value"], risks["risk_value_computed"], strict=True)],
        "Bedömning": [a if isinstance(a, str) else "" for a in risks["assessment_text"]],
    })


SECTION_TITLES = {"utfall": "Kommentar utfall", "prognos": "Kommentar prognos", "sammanfattning": "Sammanfattning",
                  "investeringar": "Investeringar", "intäkter och kostnader": "Intäkter och kostnader",
                  "volymer": "Volymer", "personal": "Personal", "övrigt": "Övrigt"}


def comment_title(c) -> str:
    heading = getattr(c, "heading", None)
    if isinstance(heading, str) and heading.strip():
        return heading
    return SECTION_TITLES.get(c.section, c.section.capitalize())


def goals_in_scope(goals: pd.DataFrame, acts: pd.DataFrame, scope_ids: set[int] | None, scope: str):
    """Goals and activities of a förvaltning scope; goals without a unit belong to the whole nämnd
    and stay visible under every förvaltning (their activities are filtered)."""
    if scope_ids is None:
        return goals, acts
    from .economy import NAMND_ONLY

    def in_scope(unit_id) -> bool:
        if unit_id is None or (isinstance(unit_id, float) and math.isnan(unit_id)):
            return True  # the nämnd as a whole: shown under every scope
        return scope != NAMND_ONLY and int(unit_id) in scope_ids

    acts = acts[acts["unit_id"].map(in_scope)] if len(acts) else acts
    keep_goal = goals["unit_id"].map(in_scope)
    return goals[keep_goal | (goals["level"] != "nämndmål")], acts


def activity_text(a) -> str:
    parts = []
    if isinstance(getattr(a, "status_text", None), str) and a.status_text:
        parts.append(f"Status enligt rapporten: {a.status_text}")
    if isinstance(a.description, str) and a.description:
        parts.append(a.description)
    if isinstance(a.comment, str) and a.comment:
        parts.append(("Senaste kommentar" + (f" ({a.comment_date})" if a.comment_date else "") + ":\n") + a.comment)
    return "\n\n".join(parts)


def filter_goals(namndmal: pd.DataFrame, acts: pd.DataFrame, off_track: bool, search: str) -> pd.DataFrame:
    """Nämndmål left after 'only what is off track' and free-text search (goal or its activities)."""
    from . import status as stt

    shown = namndmal
    if off_track:
        def goal_off(row) -> bool:
            if stt.goal_info(row.status if isinstance(row.status, str) else None).tone in ("bad", "warn"):
                return True
            mine = acts[acts["goal_id"] == row.goal_id] if len(acts) else acts
            return any(stt.activity_info(s if isinstance(s, str) else None).tone in ("bad", "warn") for s in mine["status"]) if len(mine) else False
        shown = shown[[goal_off(r) for r in shown.itertuples()]]
    if search:
        needle = search.casefold()

        def hit(row) -> bool:
            texts = [row.name, row.description, row.comment]
            mine = acts[acts["goal_id"] == row.goal_id] if len(acts) else acts
            for a in mine.itertuples():
                texts += [a.name, a.description, a.comment, getattr(a, "status_text", None)]
            return any(isinstance(t, str) and needle in t.casefold() for t in texts)
        shown = shown[[hit(r) for r in shown.itertuples()]]
    return shown


def _comparator(value) -> str:
    """A target's printed comparator (≥, ≤ …); a missing one (None or NaN from the database) is
    no text, never "nan" (issue 13: no cell shows None/nan)."""
    return value if isinstance(value, str) else ""


def goals_needing_attention(namndmal: pd.DataFrame, acts: pd.DataFrame, changed_goal_ids=(),
                            changed_activity_ids=()) -> pd.Series:
    """Which nämndmål Mål opens on (issue 13: attention first, "Visa alla" for the rest): a goal
    not assessed as on track (Uppnås delvis/ej, or no assessment reported – the report does not
    say it is on track), with an activity that is late, waiting or remains, or whose assessment
    (or one of its activities') changed since the previous round. Boolean, aligned on `namndmal`."""
    from . import status as stt

    changed_goals = {int(i) for i in changed_goal_ids}
    changed_acts = {int(i) for i in changed_activity_ids}

    def attention(row) -> bool:
        if stt.goal_info(row.status if isinstance(row.status, str) else None).tone != "good":
            return True
        if int(row.goal_id) in changed_goals:
            return True
        mine = acts[acts["goal_id"] == row.goal_id] if len(acts) else acts
        for a in mine.itertuples():
            if int(a.activity_id) in changed_acts:
                return True
            if stt.activity_info(a.status if isinstance(a.status, str) else None).tone in ("bad", "warn"):
                return True
        return False

    return pd.Series([attention(r) for r in namndmal.itertuples()], index=namndmal.index, dtype=bool)


def indicators_needing_attention(indicators: pd.DataFrame, status: pd.DataFrame,
                                 prev_indicators: pd.DataFrame | None = None,
                                 prev_status: pd.DataFrame | None = None) -> set[int]:
    """Indicator ids Indikatorer opens on: some unit's total (gender T) misses its target, or its
    status against target changed since the previous round (matched by indicator and unit key)."""
    from . import targets as tg

    if status is None or status.empty:
        return set()
    total = status[status["gender"] == "T"]
    out = set(total[total["status"] == tg.MISSES.code]["indicator_id"].astype(int))
    if prev_status is not None and len(prev_status) and prev_indicators is not None and len(indicators):
        keys = dict(zip(indicators["indicator_id"].astype(int), indicators["key"], strict=True))
        prev_keys = dict(zip(prev_indicators["indicator_id"].astype(int), prev_indicators["key"], strict=True))
        prev = prev_status[prev_status["gender"] == "T"]
        before = {(prev_keys.get(int(i)), u, b): v for i, u, b, v in
                  zip(prev["indicator_id"], prev["unit_key"], prev["breakdown"], prev["status"], strict=True)}
        for r in total.itertuples():
            was = before.get((keys.get(int(r.indicator_id)), r.unit_key, r.breakdown))
            if was is not None and was != r.status:
                out.add(int(r.indicator_id))
    return out


def group_goals(goals: pd.DataFrame, shown: pd.DataFrame):
    """[(målområde name, [(kommunövergripande mål name, nämndmål frame)])] in report order."""
    by_id = {int(r.goal_id): r for r in goals.itertuples()}
    groups: dict = {}
    for g in shown.itertuples():
        parent = by_id.get(int(g.parent_id)) if not (g.parent_id is None or (isinstance(g.parent_id, float) and math.isnan(g.parent_id))) else None
        area = None
        if parent is not None and parent.level == "målområde":
            area, parent = parent, None
        elif parent is not None and not (parent.parent_id is None or (isinstance(parent.parent_id, float) and math.isnan(parent.parent_id))):
            area = by_id.get(int(parent.parent_id))
        area_key = (area.sort_order, area.name) if area is not None else (-1, None)
        parent_key = (parent.sort_order, parent.name) if parent is not None else (-1, None)
        groups.setdefault(area_key, {}).setdefault(parent_key, []).append(g.Index)
    out = []
    for area_key in sorted(groups, key=lambda k: k[0]):
        inner = [(pk[1], shown.loc[idx]) for pk, idx in sorted(groups[area_key].items(), key=lambda kv: kv[0][0])]
        out.append((area_key[1], inner))
    return out


def goal_indicator_table(status: pd.DataFrame) -> pd.DataFrame:
    from . import targets as tg

    rows = []
    for r in status.itertuples():
        s = tg.STATUSES[r.status]
        target = (f"{_comparator(r.comparator)} {fmt.indicator_value(r.target_value, r.measure_unit)}".strip()
                  if r.target_value is not None and not fmt.is_missing(r.target_value) else (r.target_text or "–"))
        rows.append({
            "Indikator": r.name,
            "Avser": r.unit_name + (f", {r.breakdown}" if r.breakdown else ""),
            "Senaste värde": fmt.indicator_value(r.value, r.measure_unit),  # the period has its own column: a short answer column
            "Målvärde": target,
            "Status": f"{s.symbol} {s.label}",
            "Period": r.period_label,
        })
    return pd.DataFrame(rows)


def series_labels(frame: pd.DataFrame) -> list[str]:
    """Name each row's series by what varies: unit, gender, breakdown, source table."""
    parts = []
    vary_unit = frame["unit_name"].nunique() > 1
    vary_gender = frame["gender"].nunique() > 1
    vary_source = frame["source_table"].nunique() > 1
    for r in frame.itertuples():
        bits = []
        if vary_unit:
            bits.append(r.unit_name)
        if vary_gender or r.gender != "T":
            bits.append(GENDER.get(r.gender, r.gender))
        if r.breakdown:
            bits.append(r.breakdown)
        if vary_source and r.source_table:
            bits.append(f"enl. {r.source_table}")
        parts.append(" · ".join(bits) or "Totalt")
    return parts


def _key_part(value):
    """A merge key as pandas matches it: every missing value (None, NaN) is the same key."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _distinct(values: list) -> int:
    """Series.nunique() of a column's values (missing values not counted)."""
    return len({v for v in values if not fmt.is_missing(v)})


def indicator_chart_data(values: pd.DataFrame, targets: pd.DataFrame, measure_unit: str | None):
    """Tidy frames for charts.indicator_trend from one indicator's values and targets.

    The frames `_indicator_chart_data_pandas` makes (equal, tested on every built-in card and the
    synthetic scale in tests/test_speed_equivalence.py), from plain column lists: its copy, row
    tuples and merge were ~10 ms a card at full scale, most of a new round's 12 cards on
    Indikatorer (docs/benchmark.md)."""
    if values.empty:
        return _indicator_chart_data_pandas(values, targets, measure_unit)
    units, genders = values["unit_name"].tolist(), values["gender"].tolist()
    breakdowns, sources = values["breakdown"].tolist(), values["source_table"].tolist()
    vary_unit, vary_gender, vary_source = _distinct(units) > 1, _distinct(genders) > 1, _distinct(sources) > 1
    series = []
    for unit, gender, breakdown, source in zip(units, genders, breakdowns, sources, strict=True):
        bits = []  # as series_labels names a row
        if vary_unit:
            bits.append(unit)
        if vary_gender or gender != "T":
            bits.append(GENDER.get(gender, gender))
        if breakdown:
            bits.append(breakdown)
        if vary_source and source:
            bits.append(f"enl. {source}")
        series.append(" · ".join(bits) or "Totalt")
    value, missing = values["value"].tolist(), values["missing"].tolist()
    old = values["old_method_value"]
    data = pd.DataFrame({
        "date": [d.isoformat() for d in values["period_end"]],
        "period_label": [p if t == "utfall" else f"{p} (prognos)" for p, t in zip(values["period_label"], values["value_type"], strict=True)],
        "series": series,
        "value": [None if m else val for val, m in zip(value, missing, strict=True)],
        "value_text": ["I.U." if m else fmt.indicator_value(val, measure_unit) for val, m in zip(value, missing, strict=True)],
        "note": [f if isinstance(f, str) else "" for f in values["footnote"]],
        "old_value": old,  # a Series: the frame keeps the values' index, as before
        "old_text": [fmt.indicator_value(o, measure_unit) if not fmt.is_missing(o) else "" for o in old],
    })
    # the inner merge on (unit, gender, breakdown) with each key's first series, in the targets' order
    first_series: dict = {}
    for unit_id, gender, breakdown, label in zip(values["unit_id"].tolist(), genders, breakdowns, series, strict=True):
        first_series.setdefault((unit_id, gender, _key_part(breakdown)), label)
    picked, labels = [], []
    if len(targets):
        for i, key in enumerate(zip(targets["unit_id"].tolist(), targets["gender"].tolist(),
                                    [_key_part(b) for b in targets["breakdown"].tolist()], strict=True)):
            if key in first_series:
                picked.append(i)
                labels.append(first_series[key])
    if not picked:
        return data, pd.DataFrame({"series": [], "target": [], "target_text": []})
    t = targets.iloc[picked]
    tdata = pd.DataFrame({
        "series": labels,
        "target": t["target_value"].reset_index(drop=True),
        "target_text": [(f"{c or ''} {fmt.indicator_value(tv, measure_unit)}".strip() if not fmt.is_missing(tv) else (tt or ""))
                        for c, tv, tt in zip(t["comparator"], t["target_value"], t["target_text"], strict=True)],
    })
    return data, tdata


def _indicator_chart_data_pandas(values: pd.DataFrame, targets: pd.DataFrame, measure_unit: str | None):
    """indicator_chart_data as it was built in pandas (kept for empty inputs and as the reference)."""
    v = values.copy()
    v["series"] = series_labels(v) if len(v) else []
    data = pd.DataFrame({
        "date": [d.isoformat() for d in v["period_end"]],
        "period_label": [p if t == "utfall" else f"{p} (prognos)" for p, t in zip(v["period_label"], v["value_type"], strict=True)],
        "series": v["series"],
        "value": [None if m else val for val, m in zip(v["value"], v["missing"], strict=True)],
        "value_text": ["I.U." if m else fmt.indicator_value(val, measure_unit) for val, m in zip(v["value"], v["missing"], strict=True)],
        "note": [f if isinstance(f, str) else "" for f in v["footnote"]],
        "old_value": v["old_method_value"],
        "old_text": [fmt.indicator_value(o, measure_unit) if not fmt.is_missing(o) else "" for o in v["old_method_value"]],
    })
    t = targets.copy()
    if len(t):
        t = t.merge(v[["unit_id", "gender", "breakdown", "series"]].drop_duplicates(["unit_id", "gender", "breakdown"]),
                    on=["unit_id", "gender", "breakdown"], how="inner")
    tdata = pd.DataFrame({
        "series": t["series"] if len(t) else [],
        "target": t["target_value"] if len(t) else [],
        "target_text": [(f"{c or ''} {fmt.indicator_value(tv, measure_unit)}".strip() if not fmt.is_missing(tv) else (tt or ""))
                        for c, tv, tt in zip(t["comparator"], t["target_value"], t["target_text"], strict=True)] if len(t) else [],
    })
    return data, tdata


def indicator_scope(values: pd.DataFrame, targets: pd.DataFrame, scope_ids: list[int] | None):
    """Values and targets of a förvaltning scope (values of the nämnd as a whole stay)."""
    if scope_ids is None or values.empty:
        return values, targets
    return scope_values(values, scope_ids), scope_targets(targets, scope_ids, set(values["unit_id"]))


def scope_values(values: pd.DataFrame, scope_ids: list[int] | None) -> pd.DataFrame:
    """indicator_scope's values: of the scope's units and of the nämnd as a whole. Row by row, so
    the values of some indicators (queries.indicator_values_of_indicators) scope to those rows of
    the whole round's scoped values."""
    if scope_ids is None or values.empty:
        return values
    return values[values["unit_id"].isin(set(scope_ids)) | (values["unit_level"] == "nämnd")]


def scope_targets(targets: pd.DataFrame, scope_ids: list[int] | None, value_unit_ids) -> pd.DataFrame:
    """indicator_scope's targets: of the scope's units, and of units without any value.
    `value_unit_ids`: the units with a value in the round – all its values
    (queries.indicator_value_units), also where a page reads only some of them."""
    if scope_ids is None or not len(value_unit_ids) or not len(targets):
        return targets
    ids = set(scope_ids)
    return targets[targets["unit_id"].isin(ids) | ~targets["unit_id"].isin(set(value_unit_ids))]


def indicators_by_goal(indicators: pd.DataFrame, goals: pd.DataFrame, area_id, status: pd.DataFrame,
                       status_filter: list[str]):
    """[(målområde, nämndmål, the goal's assessment word, indicators)] in report order."""
    from . import status as stt

    by_id = {int(r.goal_id): r for r in goals.itertuples()} if len(goals) else {}
    out = []
    selected = indicators
    if status_filter and len(status):
        keep = set(status[(status["status"].isin(status_filter)) & (status["gender"] == "T")]["indicator_id"])
        selected = selected[selected["indicator_id"].isin(keep)]
    for goal_id, members in selected.groupby("goal_id", dropna=False, sort=False):
        goal = by_id.get(int(goal_id)) if not fmt.is_missing(goal_id) else None
        area = None
        node = goal
        while node is not None and not fmt.is_missing(node.parent_id):
            node = by_id.get(int(node.parent_id))
            if node is not None and node.level == "målområde":
                area = node
                break
        if area_id is not None and (area is None or int(area.goal_id) != int(area_id)):
            continue
        word = None
        if goal is not None:
            info = stt.goal_info(goal.status if isinstance(goal.status, str) else None)
            word = f"Målbedömning: {info.symbol} {goal.status_word if isinstance(goal.status_word, str) else info.label}"
        out.append((area.name if area is not None else None, goal.name if goal is not None else None, word, members))
    return out


def values_of_table(values: pd.DataFrame, indicators: pd.DataFrame, kind: str, table: str) -> pd.DataFrame:
    """Values of indicators of a kind (volymtal/personal) and of any indicator the report also prints
    in that table, from every table – so a figure printed differently in two tables shows both."""
    if values.empty:
        return values
    ids = set(indicators.loc[indicators["kind"] == kind, "indicator_id"])
    ids |= set(values.loc[values["source_table"] == table, "indicator_id"])
    return values[values["indicator_id"].isin(ids)]
