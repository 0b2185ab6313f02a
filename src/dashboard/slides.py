"""The meeting's slide sequence for one nämnd and round, as data: used by the Bildspel page and
the PowerPoint/PDF export alike, so what is shown and what is attached are the same.

`fetch(name, *args)` returns a query frame (cached in the app, direct on the command line).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from . import charts, economy as ec, formatting as fmt, status as stt, targets as tg, views
from . import rounds as rd
from .rounds import is_outcome, previous_round

SLIDE_KINDS: dict[str, str] = {
    "titel": "Titel",
    "ekonomi": "Ekonomisk sammanfattning",
    "avvikelser": "Avvikelser per verksamhet",
    "forandring": "Prognosförändring sedan förra tillfället",
    "prognossakerhet": "Prognossäkerhet (bokslut)",
    "mal": "Mål per bedömning",
    "indikatorer": "Indikatorer som inte når målvärdet",
    "risker": "Risker",
    "handelser": "Viktiga händelser",
}
DEFAULT_SEQUENCE = list(SLIDE_KINDS)
BOKSLUT_ONLY = {"prognossakerhet"}  # left out of a deck for any other round


class LazyChart:
    """A slide's chart, made when it is first asked for (`Slide.chart`), with what the layout
    needs to place it known beforehand. The screen shows one slide at a time, and building the
    Altair chart of a large nämnd (2 000 bars, layered) cost more than laying out the whole deck;
    an export asks for every chart and gets exactly the chart it got before (one per slide,
    shared by the slide's copies)."""

    def __init__(self, make: Callable[[], alt.TopLevelMixin], aspect: float | bool, rows: int) -> None:
        self._make = make
        self.aspect, self.rows = aspect, rows  # as export.chart_aspect and chart_needs read them
        self._chart = None
        self._lock = threading.Lock()

    def get(self) -> alt.TopLevelMixin:
        with self._lock:  # one build even when two sessions show the same cached deck
            if self._chart is None:
                self._chart = self._make()
            return self._chart

    @property
    def built(self) -> bool:
        return self._chart is not None

    def __deepcopy__(self, memo):  # the chart it makes never changes: copies share it
        return self


@dataclass
class Slide:
    kind: str
    title: str
    subtitle: str
    bullets: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    chart: alt.TopLevelMixin | None = None
    source: str = ""
    draft: bool = False
    # the table as a tree: indent step of each row's first cell, and what the row is
    # ("total", "subtotal", "summary" – a line the report prints beside the sum – or "")
    row_levels: list[int] | None = None
    row_kinds: list[str] | None = None
    empty: bool = False  # nothing to show for the round: left out of the default deck

    @property
    def table_spec(self):
        """The table as the layout (slidelayout) measures it, or None. Made once per slide: the
        layout asks for it in every attempt (page counts, kicker lines), and the spec keeps the
        measurements it has made (a 2 000-row table at full scale was measured anew each time)."""
        from .slidelayout import TableSpec

        if self.table is None or not len(self.table):
            return None
        made = self.__dict__.get("_table_spec")
        if made is None or made[0] is not self.table or made[1:3] != (self.row_levels, self.row_kinds):
            made = (self.table, self.row_levels, self.row_kinds,
                    TableSpec.from_frame(self.table, self.row_levels, self.row_kinds))
            self.__dict__["_table_spec"] = made
        return made[3]

    @property
    def has_chart(self) -> bool:
        """The slide has a chart (made or still to be made), without making it."""
        return self.__dict__.get("_chart") is not None

    @property
    def chart_source(self):
        """The chart or its LazyChart, as given: for a copy of the slide that must not make it."""
        return self.__dict__.get("_chart")


def _get_chart(self) -> alt.TopLevelMixin | None:
    chart = self.__dict__.get("_chart")
    return chart.get() if isinstance(chart, LazyChart) else chart


def _set_chart(self, value) -> None:
    self.__dict__["_chart"] = value


# `chart` stays a field (constructor, replace, repr) but reads through the LazyChart: whoever
# asks for a slide's chart gets the Altair chart, made on first use.
Slide.chart = property(_get_chart, _set_chart)


class NotFound(LookupError):
    """Unknown kommun, nämnd or round; the message is Swedish."""


def _short(text: str, limit: int = 260) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# a sentence ends at . ! ? before a capital or a digit ("bl.a. lägre" and "kl. 9" stay whole)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ0-9\"”«(])")


def _lead(text: str, limit: int = 160, longest: int = 260) -> str:
    """The whole sentences of `text` that fit in `limit` characters – a meeting paper states what
    happened in full sentences, it does not stop mid-clause with "…". A first sentence longer than
    `limit` is kept whole up to `longest`; only a text with no sentence that short is cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    lead = sentences[0]
    for sentence in sentences[1:]:
        if len(lead) + 1 + len(sentence) > limit:
            break
        lead = f"{lead} {sentence}"
    return lead if len(lead) <= longest else _short(lead, limit)


def build(fetch: Callable, kommun: str, namnd: str, tillfalle: str | dt.date, kinds: list[str] | None = None,
          scope: str = ec.ALL, exported: dt.date | None = None, visible_round_ids: set[int] | None = None,
          economy: Callable | None = None, pair_economy: Callable | None = None,
          indicator_status: Callable | None = None, indicator_misses: Callable | None = None) -> list[Slide]:
    """The slides; `visible_round_ids` limits the rounds (and so the previous round) to what the
    viewer may see – a draft never leaks into a comparison. `economy(round)` gives a round's
    economy tree for prognossäkerhet, `pair_economy(round, previous)` the round's tree with the
    previous round, `indicator_status(round_id)` status mot målvärde of all the round's
    indicators (the app passes its cached ones, data.py; default: built from fetch),
    `indicator_misses(round_id)` the counts and misses the import judged (data.indicator_misses)."""
    namnder = fetch("namnder")
    match = namnder[(namnder["kommun_code"] == kommun) & (namnder["namnd_code"] == namnd.upper())]
    if match.empty:
        raise NotFound(f"Nämnden {namnd} i kommun {kommun} finns inte i databasen.")
    n = match.iloc[0]
    rounds = fetch("rounds", int(n["namnd_id"]))
    if visible_round_ids is not None:
        rounds = rounds[rounds["round_id"].isin(visible_round_ids)].reset_index(drop=True)
    period_end = tillfalle if isinstance(tillfalle, dt.date) else dt.date.fromisoformat(str(tillfalle))
    position = [i for i, d in enumerate(rounds["period_end"]) if d == period_end]
    if not position:
        raise NotFound(f"{n['namnd_name']} har ingen uppföljning med periodslut {period_end.isoformat()}.")
    rnd = rounds.iloc[position[0]].to_dict()
    prev = previous_round(rounds, rnd)
    unit, dec = rnd["amount_unit"], int(rnd["decimals"])
    units = fetch("units", int(rnd["round_id"]))
    if scope not in (ec.ALL, ec.NAMND_ONLY):  # a typo must not give an empty deck (issue 10.10)
        keys = [k for k, level in zip(units["key"], units["level"], strict=True) if level == "förvaltning"]
        if scope not in keys:
            raise NotFound(f"Förvaltningen «{scope.upper()}» finns inte i {n['namnd_name']}. Välj bland: "
                           f"{', '.join(k.upper() for k in keys) or 'inga förvaltningar'} eller {ec.NAMND_ONLY}.")
    if pair_economy is not None:
        table = pair_economy(rnd, prev)
    else:
        econ = fetch("economy", int(rnd["round_id"]))
        prev_econ = fetch("economy", int(prev["round_id"])) if prev else None
        factor = fmt.UNIT_FACTOR[prev["amount_unit"]] / fmt.UNIT_FACTOR[rnd["amount_unit"]] if prev else 1.0
        table = ec.economy_table(units, econ, prev_econ, factor, outcome=is_outcome(rnd))
    scope_ids = ec.scope_unit_ids(units, scope)
    round_text = fmt.round_label(rnd["kind"], rnd["period_end"])
    subtitle = f"{n['kommun_name']} · {rnd['namnd_name']} · {round_text}"
    source = (f"Källa: {rnd['report_title'] or 'nämndens uppföljning'} · uppgifter t.o.m. "
              f"{rnd['period_end'].isoformat()}")
    draft = rnd.get("status") == "utkast"
    ctx = dict(subtitle=subtitle, source=source, draft=draft)
    leaf = _once(lambda: ec.leaf_lines(table, scope_ids))  # the scope's lines, for the slides that read them
    out: list[Slide] = []
    for kind in kinds or DEFAULT_SEQUENCE:
        builder = _BUILDERS.get(kind)
        if builder is None:
            continue
        slide = builder(fetch=fetch, n=n, rnd=rnd, prev=prev, unit=unit, dec=dec, units=units, table=table,
                        scope=scope, scope_ids=scope_ids, leaf=leaf, exported=exported or dt.date.today(),
                        rounds_frame=rounds, economy=economy, indicator_status=indicator_status,
                        indicator_misses=indicator_misses, **ctx)
        if isinstance(slide, list):  # a kind that takes more than one slide (prognossäkerhet)
            out.extend(slide)
        elif slide is not None:  # a slide that does not apply to the round (prognossäkerhet before a Bokslut)
            out.append(slide)
    if kinds is None:
        # The default deck shows what the round reports; a section with nothing to show is named
        # on the title slide instead of filling a slide with "inga …" (asked for, it is a slide).
        missing = [SLIDE_KINDS[s.kind] for s in out if s.empty]
        out = [s for s in out if not s.empty]
        for s in out:
            if s.kind == "titel" and missing:
                s.bullets.append(f"Ej rapporterat: {', '.join(missing)}")
    return out


def _title(n, rnd, subtitle, source, draft, exported, **_):
    bullets = [f"Uppföljningstillfälle: {rnd['kind']}, perioden t.o.m. {fmt.date_long(rnd['period_end'])}",
               f"Belopp i {rnd['amount_unit']}", f"Exporterad {exported.isoformat()}"]
    if draft:
        bullets.insert(0, "UTKAST – ej fastställd av nämnden")
    return Slide("titel", f"Uppföljning {rnd['kind']} {rnd['period_end'].year}",
                 f"{n['kommun_name']} · {rnd['namnd_name']}", bullets, source=source, draft=draft)


def _economy(table, units, scope, unit, dec, prev, rnd, subtitle, source, draft, **_):
    words = rd.vocabulary(rnd)  # a Bokslut speaks of its outcome, never of a forecast
    total = ec.scope_total(table, units, scope) if len(table) else {}
    summary = views.economy_summary(total, unit, dec, prev, rnd)
    bullets = [f"{summary['deviation_label']}: {summary['deviation']}"
               + (f" ({summary['deviation_share']})" if summary["deviation_share"] else "")]
    if summary["show_period"]:
        bullets.append(f"Periodresultat: {summary['period']}" + (f" ({summary['period_share']})" if summary["period_share"] else ""))
    else:
        bullets.append(f"{summary['net_label']}: {summary['net']} (budget {summary['budget']})")
    if prev is not None:  # without an earlier round the title slide says so ("Ej rapporterat")
        bullets.append(f"{summary['change_label']}: {summary['change']} ({summary['change_word']})")
    if summary["any_computed"]:
        bullets.append("* beräknad, rapporten skriver inte ut värdet")
    tree = table[(table["level"] != "enhet") & table["unit_id"].isin(ec.scope_unit_ids(units, scope))]
    rows = views.visible_rows(tree, set(tree["unit_id"].astype(int))) if len(tree) else tree
    if not len(rows):
        return Slide("ekonomi", summary["headline"], subtitle, bullets, source=source, draft=draft,
                     empty=not total)
    field, net = words.deviation_field, words.net_field

    def amount(column, signed=False):  # the figures, a computed one marked "*"
        texts = fmt.amounts(rows[column], unit, dec, signed=signed, with_unit=False)
        return [text + (" *" if computed and text != fmt.MISSING else "")
                for text, computed in zip(texts, rows[column + "_computed"], strict=True)]

    frame = pd.DataFrame({
        "Verksamhet": [label + (" (summeringsrad)" if bool(summary) else "")
                       for label, summary in zip(_labels(rows), rows["summary_line"], strict=True)],
        f"Budget helår ({unit})": amount("budget_year"),
        f"{words.net_label} ({unit})": amount(net),
        f"{words.deviation_short} ({unit})": amount(field, True),
    })
    # the root (a nämnd, or a kommun's overall follow-up) is the total; sums and förvaltningar (and
    # a kommun's nämnder) are subtotals above their lines
    kinds = ["summary" if bool(r.summary_line) else ("total" if int(r.tree_depth) == 0 else
             ("subtotal" if r.level in ("summa", "förvaltning", "nämnd") else "")) for r in rows.itertuples()]
    return Slide("ekonomi", summary["headline"], subtitle, bullets, frame, source=source, draft=draft,
                 row_levels=[int(d) for d in rows["tree_depth"]], row_kinds=kinds)


def _labels(frame: pd.DataFrame) -> list[str]:
    """[views.unit_label(r) for r in frame.itertuples()] (views.unit_labels; a function of its own
    so tests/test_bildspel_speed.py can put the row-by-row reference in its place)."""
    return views.unit_labels(frame)


def _once(compute: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """compute() on the first call, the same frame after: what the slides of one deck share (they
    only filter it, never change it)."""
    made: list = []

    def get():
        if not made:
            made.append(compute())
        return made[0]
    return get


def _deviation_data(lines: pd.DataFrame, unit: str, dec: int, field: str) -> pd.DataFrame:
    """views.deviation_chart_data(lines, unit, dec, unit, field=field), the same frame, with the
    figures rounded and written in one pass each (formatting.amount_values/amounts): a new round
    of a large nämnd has 2 000 lines, and the deck is laid out for every new round."""
    data = lines[lines[field].notna()]
    summary = data["summary_line"].astype(bool) if "summary_line" in data else pd.Series(False, index=data.index)
    values = data[field].tolist()
    return pd.DataFrame({
        "key": data["key"],
        "label": _labels(data),
        "value": fmt.amount_values(values, unit, dec, unit),
        "value_text": fmt.amounts(values, unit, dec, unit, signed=True),
        "summary": list(summary),
    })


def _deviations(table, scope_ids, leaf, unit, dec, rnd, subtitle, source, draft, **_):
    words = rd.vocabulary(rnd)
    lines = leaf() if len(table) else table
    data = _deviation_data(lines, unit, dec, words.deviation_field) if len(lines) else pd.DataFrame()
    if data.empty:
        return Slide("avvikelser", "Inget utfall per verksamhet i detta tillfälle" if words.outcome
                     else "Ingen prognos per verksamhet i detta tillfälle", subtitle, source=source, draft=draft,
                     empty=True)
    ranked = data[~data["summary"] & (data["value"] != 0)].sort_values("value")
    bullets = []
    if ranked.empty:
        title = "Alla verksamheter i balans mot budget"
    elif ranked.iloc[0]["value"] < 0:
        title = f"Störst underskott: {ranked.iloc[0]['label']} {ranked.iloc[0]['value_text']}"
    else:
        title = f"Inga underskott – störst överskott: {ranked.iloc[-1]['label']} {ranked.iloc[-1]['value_text']}"
    balanced = data[~data["summary"] & (data["value"] == 0)]
    if len(balanced):
        bullets.append(f"I balans (0): {', '.join(balanced['label'])}")
    for row in data[data["summary"]].itertuples():
        bullets.append(f"Summeringsrad, rankas inte bland verksamheterna: {row.label} {row.value_text}")
    # deviation_bars draws a row per label of its non-zero and summary rows, at the container's
    # width (no aspect of its own): what export.chart_needs reads off the chart (tested)
    drawn = data[(data["value"] != 0) | data["summary"].astype(bool)] if "summary" in data else data[data["value"] != 0]
    chart = LazyChart(lambda: charts.deviation_bars(data, unit, charts.axis_format(dec), measure=words.deviation_short),
                      True, int(drawn["label"].nunique()))
    return Slide("avvikelser", title, subtitle, bullets, chart=chart, source=source, draft=draft)


def _change(table, prev, unit, dec, units, scope, rnd, subtitle, source, draft, leaf=None, **_):
    words = rd.vocabulary(rnd)
    if prev is None:
        return Slide("forandring", "Ingen prognos under året att jämföra utfallet med" if words.outcome
                     else "Inget tidigare tillfälle att jämföra prognosen med", subtitle, source=source, draft=draft,
                     empty=True)
    # the leaf lines of the scope (scope_ids), shared with the deviation slide
    lines = leaf() if leaf is not None and len(table) else ec.leaf_lines(table, ec.scope_unit_ids(units, scope))
    changed = lines[lines["forecast_change"].notna() & (lines["forecast_change"].abs() > 0)]
    changed = changed.reindex(changed["forecast_change"].sort_values().index)
    total = ec.scope_total(table, units, scope)
    summary = views.economy_summary(total, unit, dec, prev, rnd)
    prev_name = rd.round_name(prev)
    frame = pd.DataFrame({
        "Verksamhet": _labels(changed),
        (f"Prognos {prev_name} ({unit})" if words.outcome else f"{prev['kind']} ({unit})"):
            fmt.amounts(changed["prev_forecast_deviation"], unit, dec, signed=True, with_unit=False),
        (f"Utfall ({unit})" if words.outcome else f"Nu ({unit})"):
            fmt.amounts(changed[words.deviation_field], unit, dec, signed=True, with_unit=False),
        (f"Utfall mot prognos ({unit})" if words.outcome else f"Förändring ({unit})"):
            fmt.amounts(changed["forecast_change"], unit, dec, signed=True, with_unit=False),
    })
    if words.outcome:
        title = summary["change_label"]
    else:
        title = summary["headline"].split(" – ", 1)[-1].capitalize() if " – " in summary["headline"] else \
            f"Prognosen är oförändrad sedan {prev['kind'].lower()}"
    return Slide("forandring", title, subtitle, [f"{summary['change_label']}: {summary['change']} ({summary['change_word']})"],
                 frame if len(frame) else None, source=source, draft=draft)


def _accuracy(fetch, rnd, rounds_frame, units, table, scope, scope_ids, unit, subtitle, source, draft, economy=None, **_):
    """Prognossäkerhet (a Bokslut round only; other rounds have no such slide)."""
    from . import accuracy

    if not is_outcome(rnd):
        return None
    year = rd.forecast_rounds_of_year(rounds_frame, rnd)
    if not year:
        return Slide("prognossakerhet", "Prognossäkerhet: inget prognostillfälle under året att jämföra med",
                     subtitle, source=source, draft=draft, empty=True)
    economy = economy or accuracy.economy_fn(fetch)
    outcome = economy(rnd)
    lines = ec.leaf_lines(table, scope_ids) if len(table) else None
    # The slide shows a few rows: rank by the headline forecast first, then compare every forecast
    # round only for those rows (a large nämnd has thousands of units and up to eleven forecasts).
    head_round = rd.headline_forecast_round(year)
    tree = accuracy.tree_of(units)  # the same organisation for both comparisons: ordered once
    ranked = accuracy.compare(units, rnd, outcome, [(head_round, economy(head_round))], unit, scope_ids, tree)
    # the numbers only (level, depth, label): the texts of every unit in the headline round are
    # never shown here, and writing them was a tenth of a Bokslut deck's first build at full scale
    ranked_rows = ranked.numbers
    shown = ranked_rows[(ranked_rows["level"] != "enhet") & (ranked_rows["depth"] <= 2)]["unit_id"]
    picked = accuracy.chart_data(ranked, lines, n=5)["label"]
    wanted = set(shown) | set(ranked_rows.loc[ranked_rows["label"].isin(set(picked)), "unit_id"])
    acc = accuracy.compare(units, rnd, outcome, [(r, economy(r)) for r in year], unit,
                           [u for u in scope_ids if u in wanted], tree)
    head = acc.headline(accuracy.scope_root(units, scope))
    title = f"Prognossäkerhet: {head['phrase']}" if head else "Prognossäkerhet per verksamhet"
    bullets = []
    if head:
        bullets.append(f"{head['row_phrase']}: prognos {head['forecast_text']}, utfall {head['outcome_text']} "
                       f"(skillnad {head['miss_text']}, {head['miss_pct_text']} av budget)")
    bullets.append("Skillnad = utfall − prognos (avvikelser mot budget, + = överskott): positiv = prognosen var "
                   "för försiktig, negativ = för optimistisk")
    data = accuracy.chart_data(acc, lines, n=6)
    chart = charts.forecast_outcome_dumbbell(data, unit, charts.axis_format(int(rnd["decimals"]))) if len(data) else None
    head_id = acc.headline_round["round_id"]
    # below the headline (the scope's own row): förvaltningar and verksamhetsområden
    head_rows = acc.rows_of(head_id)  # the texts of the headline round's rows only
    top = head_rows[(head_rows["level"] != "enhet") & (head_rows["depth"] <= 2)
                    & (head_rows["unit_id"] != (head["unit_id"] if head else -1))]
    # Two slides: the picture with the headline, then the comparison in words – each at the slide's
    # full width, readable on a projector whatever the layout would do with a chart beside a table.
    name = rd.round_name(acc.headline_round)
    frame = pd.DataFrame({
        "Verksamhet": list(top["label"]),
        f"Prognos {name} ({unit})": [t.replace(f"\u00a0{unit}", "") for t in top["forecast_text"]],
        f"Utfall ({unit})": [t.replace(f"\u00a0{unit}", "") for t in top["outcome_text"]],
        f"Skillnad ({unit})": [t.replace(f"\u00a0{unit}", "") for t in top["miss_text"]],
        "Bedömning": list(top["phrase"]),
    }) if len(top) else None
    slides = [Slide("prognossakerhet", title, subtitle, bullets, chart=chart, source=source, draft=draft)]
    if frame is not None:
        slides.append(Slide("prognossakerhet", f"Prognosen i {name} mot utfallet per verksamhet", subtitle,
                            table=frame, source=source, draft=draft))
    return slides


def _goals(fetch, rnd, n, subtitle, source, draft, **_):
    goals = fetch("goal_assessments", int(rnd["round_id"]))
    goals = goals[goals["level"] == "nämndmål"] if len(goals) else goals
    if goals.empty:
        return Slide("mal", "Tillfället redovisar inga nämndmål", subtitle, source=source, draft=draft, empty=True)
    counts: dict = {}
    for s in goals["status"]:
        code = s if isinstance(s, str) else None
        counts[code] = counts.get(code, 0) + 1
    bullets = [f"{info.symbol} {word}: {n}"  # worst first, in the report's own words
               for info, word, n in stt.tally(list(goals["status"]), list(goals["status_word"]), stt.goal_info)]
    reached = counts.get("uppnas", 0)
    title = (f"{reached} av {len(goals)} nämndmål bedöms uppnås" if any(counts.get(c) for c in stt.GOAL_SCALE)
             else f"{len(goals)} nämndmål – bedömningen anges inte i rapporten")
    frame = pd.DataFrame({
        "Nämndmål": list(goals["name"]),
        "Bedömning": [f"{stt.goal_info(s if isinstance(s, str) else None).symbol} "
                      f"{w if isinstance(w, str) else stt.goal_info(s if isinstance(s, str) else None).label}"
                      for s, w in zip(goals["status"], goals["status_word"], strict=True)],
    })
    return Slide("mal", title, subtitle, bullets, frame, source=source, draft=draft)


def _indicators(fetch, rnd, n, subtitle, source, draft, indicator_status=None, indicator_misses=None, **_):
    rid = int(rnd["round_id"])
    # with the stored status, only whether there are values: reading them all was ~40 % of a
    # Bildspel rerun after a round change at full scale (docs/benchmark.md)
    if not (fetch("has_indicator_values", rid) if indicator_status is not None
            else len(fetch("indicator_values", rid))):
        return Slide("indikatorer", "Tillfället redovisar inga indikatorer", subtitle, source=source, draft=draft,
                     empty=True)
    # the misses and the counts the import judged where the caller has them (data.indicator_misses)
    found = indicator_misses(rid) if indicator_misses is not None else None
    if found is not None:
        counts, misses = found
        n_judged = counts.get((tg.MISSES.code, "T"), 0) + counts.get((tg.MEETS.code, "T"), 0)
    else:
        status = (indicator_status(rid) if indicator_status is not None else
                  tg.latest_status(fetch("indicators", rid), fetch("indicator_values", rid),
                                   fetch("indicator_targets", rid)))
        misses = status[(status["status"] == tg.MISSES.code) & (status["gender"] == "T")]
        n_judged = int((status["status"].isin([tg.MISSES.code, tg.MEETS.code]) & (status["gender"] == "T")).sum())
    title = (f"{len(misses)} av {n_judged} bedömda indikatorer når inte målvärdet" if len(misses)
             else "Alla bedömda indikatorer når sina målvärden")
    return Slide("indikatorer", title, subtitle, table=views.indicator_miss_table(misses) if len(misses) else None,
                 source=source, draft=draft)


def _risks(fetch, rnd, subtitle, source, draft, **_):
    risks = fetch("risks", int(rnd["round_id"]))
    if risks.empty:
        return Slide("risker", "Tillfället redovisar inga riskvärden", subtitle, source=source, draft=draft, empty=True)
    numbered = views.numbered_risks(risks)
    top = numbered.iloc[0]
    # Several risks share the highest value: the title says how many and where they stand in the
    # matrix; one long risk name cut with "…" left a three-line title and a postage-stamp matrix
    # on the screen slide (issue 13, screenshots). The names are in the table.
    tied = numbered[numbered["risk_value"] == top["risk_value"]]
    if len(tied) > 1:
        title = (f"Högsta riskvärde {fmt.number(top['risk_value'])}: {len(tied)} risker "
                 f"(nr {', '.join(str(int(n)) for n in tied['number'])} i matrisen)")
    else:
        title = f"Högsta riskvärde {fmt.number(top['risk_value'])}: {_short(top['name'], 60)}"
    # the matrix has its own shape (charts.risk_matrix: 440 × 400) and no row per label (tested)
    chart = LazyChart(lambda: charts.risk_matrix(numbered), 440 / 400, 0)
    return Slide("risker", title, subtitle, table=views.risk_display(numbered, numbered=True),
                 chart=chart, source=source, draft=draft)


def _events(fetch, rnd, subtitle, source, draft, **_):
    events = fetch("events", int(rnd["round_id"]))
    events = events[events["kind"] == "viktig händelse"] if len(events) else events
    if events.empty:
        return Slide("handelser", "Inga viktiga händelser redovisade", subtitle, source=source, draft=draft,
                     empty=True)
    bullets = [f"{e.heading}: {_lead(e.body)}" for e in events.itertuples()]  # every one: long lists continue
    return Slide("handelser", f"Viktiga händelser ({len(events)})", subtitle, bullets, source=source, draft=draft)


_BUILDERS = {"titel": _title, "ekonomi": _economy, "avvikelser": _deviations, "forandring": _change,
             "prognossakerhet": _accuracy, "mal": _goals, "indikatorer": _indicators, "risker": _risks, "handelser": _events}
