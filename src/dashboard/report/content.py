"""The report's content as data: headings, drafted sentences, the controller's quoted comments,
tables and charts, in the order of a Swedish delårsrapport. No python-docx and no Streamlit here,
so the same content is tested on its own and written by `document.py`.

Data comes through `fetch(name, *args)` (cached in the app, direct on the command line), the same
callable the slides use. Which rows the economy sentences speak of is decided once, in
`commented_lines`: the rows the Ekonomi tree shows in its default view below the nämnd, summa and
förvaltning rows (verksamhet/verksamhetsområde), never a summary row and never a lower enhet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from .. import charts, economy as ec, formatting as fmt, status as stt, targets as tg, views
from .. import rounds as rd
from ..rounds import previous_round
from ..slides import NotFound
from . import sentences as sn

NOT_REPORTED = "Inte rapporterat."
SUMMARY_LEVELS = ec.DEFAULT_OPEN_LEVELS  # opened in the Ekonomi tree's default view


# --- blocks ---------------------------------------------------------------------------------------

@dataclass
class Heading:
    text: str
    level: int  # 1–3: Heading 1–3 in Word, and the table of contents


@dataclass
class Text:
    text: str
    kind: str = "body"  # body | quote (the controller's own text) | label | caption | empty | note


@dataclass
class DraftedParagraph:
    sentences: list[sn.Drafted]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    bold_rows: set[int] = field(default_factory=set)
    indent: list[int] = field(default_factory=list)  # per row, first column
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # relative column widths


@dataclass
class Chart:
    chart: alt.TopLevelMixin
    caption: str
    alt_text: str
    width_cm: float = 16.0


Block = Heading | Text | DraftedParagraph | Table | Chart


@dataclass
class Report:
    title: str
    subtitle: str
    header: str
    draft: bool
    blocks: list[Block]
    source: str
    file_stem: str

    def text(self) -> str:
        """Everything a reader sees, in order (for tests and the page's preview)."""
        out = [self.title, self.subtitle]
        for b in self.blocks:
            if isinstance(b, Heading | Text):
                out.append(b.text)
            elif isinstance(b, DraftedParagraph):
                out.append(" ".join(s.text for s in b.sentences))
            elif isinstance(b, Table):
                out += [b.caption, " | ".join(b.header)] + [" | ".join(r) for r in b.rows] + b.notes
            elif isinstance(b, Chart):
                out.append(b.caption)
        return "\n".join(out)


# --- data ---------------------------------------------------------------------------------------

def _dimensions(fetch: Callable, round_id: int) -> dict:
    """Units, goals and indicators with the names and organisation of the shown round (rounds are
    versions): the one place that asks for dimension rows."""
    return {
        "units": fetch("units", round_id),
        "goals": fetch("goal_assessments", round_id),
        "indicators": fetch("indicators", round_id),
    }


def _factor(prev: dict | None, rnd: dict) -> float:
    if prev is None:
        return 1.0
    return fmt.UNIT_FACTOR[prev["amount_unit"]] / fmt.UNIT_FACTOR[rnd["amount_unit"]]


def commented_lines(table: pd.DataFrame, scope_ids: list[int]) -> pd.DataFrame:
    """The rows the report comments on: what the Ekonomi tree shows in its default view (nämnd,
    summa and förvaltning rows opened) that is not itself such a summary row. In the built-in
    data: Luleå's four verksamhetsområden, Linköping's verksamheter (and its "Resultat nämndens
    enheter"); never an enhet below them."""
    if table.empty:
        return table
    parents = table[table["unit_id"].isin(set(table["parent_id"].dropna().astype(int)))]
    opened = set(parents.loc[parents["level"].isin(SUMMARY_LEVELS), "unit_id"].astype(int))
    rows = views.visible_rows(table, opened, scope_ids)
    return rows[~rows["level"].isin(SUMMARY_LEVELS) & rows["reported"].astype(bool)]


def _level_word(lines: pd.DataFrame) -> str:
    levels = set(lines["level"]) if len(lines) else set()
    if levels == {"verksamhetsområde"}:
        return "verksamhetsområdena (ekonomiträdets standardvy)"
    if levels == {"verksamhet"}:
        return "verksamheterna (ekonomiträdets standardvy)"
    return "raderna i ekonomiträdets standardvy (verksamhet/verksamhetsområde)"


def _level_singular(lines: pd.DataFrame) -> str:
    levels = set(lines["level"]) if len(lines) else set()
    return "verksamhetsområde" if levels == {"verksamhetsområde"} else "verksamhet"


def _para(text: str | None) -> list[str]:
    """Report text split into paragraphs as imported (blank line = new paragraph)."""
    if not isinstance(text, str) or not text.strip():
        return []
    return [p.strip("\n") for p in text.split("\n\n") if p.strip()]


# --- the build --------------------------------------------------------------------------------------

@dataclass
class _Ctx:
    fetch: Callable
    n: dict
    rnd: dict
    prev: dict | None
    unit: str
    dec: int
    units: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    table: pd.DataFrame
    scope: str
    scope_ids: list[int]
    subject: str
    omit_empty: bool

    @property
    def round_id(self) -> int:
        return int(self.rnd["round_id"])

    @property
    def bokslut(self) -> bool:
        """A Bokslut round: its figures are the year's outcome (rounds.is_outcome), never a forecast."""
        return rd.is_outcome(self.rnd)

    @property
    def prev_phrase(self) -> str | None:
        if self.prev is None:
            return None
        return sn.round_phrase(self.prev, rd.budget_year(self.rnd))

    def in_scope(self, unit_id) -> bool:
        if fmt.is_missing(unit_id):
            return True  # the nämnd as a whole: in every scope
        return not self.scope or int(unit_id) in set(self.scope_ids)


def build(fetch: Callable, kommun: str, namnd: str, tillfalle: str | dt.date, *, scope: str = ec.ALL,
          visible_round_ids: set[int] | None = None, omit_empty: bool = False,
          written: dt.date | None = None) -> Report:
    """The report for one nämnd and round. `visible_round_ids` limits the rounds (and so the
    previous round) to what the viewer may see: a round outside it is answered as not found.
    `omit_empty` leaves out sections without data instead of saying "Inte rapporterat"."""
    namnder = fetch("namnder")
    match = namnder[(namnder["kommun_code"] == kommun) & (namnder["namnd_code"] == namnd.upper())]
    if match.empty:
        raise NotFound(f"Nämnden {namnd} i kommun {kommun} finns inte i databasen.")
    n = match.iloc[0].to_dict()
    rounds = fetch("rounds", int(n["namnd_id"]))
    if visible_round_ids is not None:
        rounds = rounds[rounds["round_id"].isin(visible_round_ids)].reset_index(drop=True)
    period_end = tillfalle if isinstance(tillfalle, dt.date) else dt.date.fromisoformat(str(tillfalle))
    hit = rounds[rounds["period_end"] == period_end]
    if hit.empty:
        raise NotFound(f"{n['namnd_name']} har ingen uppföljning med periodslut {period_end.isoformat()}.")
    rnd = hit.iloc[0].to_dict()
    prev = previous_round(rounds, rnd)
    if isinstance(rnd.get("namnd_name"), str) and rnd["namnd_name"]:
        n["namnd_name"] = rnd["namnd_name"]  # the nämnd's name as the shown round has it
    dims = _dimensions(fetch, int(rnd["round_id"]))
    units = dims["units"]
    econ = fetch("economy", int(rnd["round_id"]))
    prev_econ = fetch("economy", int(prev["round_id"])) if prev is not None else None
    table = ec.economy_table(units, econ, prev_econ, _factor(prev, rnd))
    scope_ids = ec.scope_unit_ids(units, scope)
    if scope and scope != ec.NAMND_ONLY and not scope_ids:
        raise NotFound(f"Förvaltningen {scope.upper()} finns inte i {n['namnd_name']}.")
    if not scope:
        subject, scope_label = "Nämnden", ""
    elif scope == ec.NAMND_ONLY:
        subject, scope_label = "Nämndens verksamhet utanför förvaltningarna", "Hela nämnden (utanför förvaltningarna)"
    else:
        subject = scope_label = str(units.loc[units["key"] == scope, "name"].iloc[0])
    c = _Ctx(fetch, n, rnd, prev, rnd["amount_unit"], int(rnd["decimals"]), units, dims["goals"],
             dims["indicators"], table, scope, scope_ids, subject, omit_empty)

    blocks: list[Block] = []
    for section in (_summary, _events, _goals, _economy, _volumes_staff, _internal_control, _other):
        blocks += section(c)
    round_text = f"{rnd['kind']} {period_end.year}"
    title = rnd.get("report_title") or f"Uppföljning {round_text}, {n['namnd_name']}"
    subtitle = " · ".join(x for x in (n["kommun_name"], n["namnd_name"], scope_label,
                                         fmt.round_label(rnd["kind"], period_end)) if x)
    draft = rnd.get("status") == "utkast"
    source = (f"Rapportutkast skrivet {(written or dt.date.today()).isoformat()} ur uppföljningens data "
              f"(importerad {fmt.date_short(rnd.get('imported_at')) if rnd.get('imported_at') is not None and not pd.isna(rnd.get('imported_at')) else 'okänt datum'}). "
              "Meningar markerade «Utkast – granska» är skrivna ur talen: granska dem innan rapporten går till nämnden. "
              "Belopp i " + rnd["amount_unit"] + ".")
    stem = f"rapportutkast_{kommun}_{n['namnd_code']}_{period_end.isoformat()}" + (f"_{scope}" if scope else "")
    return Report(title=title, subtitle=subtitle, header=f"{n['kommun_name']} · {n['namnd_name']} · {round_text}",
                  draft=draft, blocks=blocks, source=source, file_stem=stem)


def _section(c: _Ctx, title: str, body: list[Block]) -> list[Block]:
    """A section with its heading; without content it says "Inte rapporterat" or is left out."""
    if body:
        return [Heading(title, 1)] + body
    return [] if c.omit_empty else [Heading(title, 1), Text(NOT_REPORTED, "empty")]


def _sub(c: _Ctx, title: str, body: list[Block], level: int = 2) -> list[Block]:
    if body:
        return [Heading(title, level)] + body
    return [] if c.omit_empty else [Heading(title, level), Text(NOT_REPORTED, "empty")]


def _has_content(blocks: list[Block]) -> bool:
    return any(not (isinstance(b, Text) and b.kind == "empty") and not isinstance(b, Heading) for b in blocks)


def _quote(body: str | None) -> list[Block]:
    return [Text(p, "quote") for p in _para(body)]


# --- 1 Sammanfattning -------------------------------------------------------------------------------

def _economy_sentences(c: _Ctx) -> list[sn.Drafted]:
    if c.table.empty:
        return []
    total = ec.scope_total(c.table, c.units, c.scope)
    level_total = "nämnden (totalraden)" if not c.scope else f"{c.subject} (förvaltningens rad eller summan av dess rader)"
    lines = commented_lines(c.table, c.scope_ids)
    line_level = _level_word(lines)
    out = []
    if c.bokslut:
        out.append(sn.outcome(c.subject, total.get("deviation_period"), total.get("budget_year"), c.unit, c.dec,
                              computed=bool(total.get("deviation_period_computed")), level=level_total))
        out.append(sn.forecast_accuracy(total.get("deviation_period"), total.get("prev_forecast_deviation"),
                                        c.prev, c.unit, c.dec, level=level_total))
        field_name = "deviation_period"
    else:
        out.append(sn.forecast(c.subject, total.get("forecast_deviation"), total.get("budget_year"), c.unit, c.dec,
                               computed=bool(total.get("forecast_deviation_computed")), level=level_total))
        if not fmt.is_missing(total.get("forecast_deviation")):
            out.append(sn.forecast_change(total.get("forecast_change"), c.prev_phrase, c.unit, c.dec, level=level_total))
        field_name = "forecast_deviation"
    if len(lines):
        out.append(sn.largest([(views.unit_label(r), r[field_name]) for _, r in lines.iterrows()], c.unit, c.dec,
                              level=line_level, outcome=c.bokslut))
    return out


def _goal_frames(c: _Ctx):
    goals, acts = c.goals, c.fetch("activities", c.round_id)
    if len(acts):
        acts = acts[acts["kind"].isin(["aktivitet", "process"])]
    scope_ids = set(c.scope_ids) if c.scope else None
    if len(goals):
        goals, acts = views.goals_in_scope(goals, acts, scope_ids, c.scope)
    return goals, acts


def _counts(statuses) -> dict[str | None, int]:
    out: dict[str | None, int] = {}
    for s in statuses:
        code = s if isinstance(s, str) else None
        out[code] = out.get(code, 0) + 1
    return out


def _indicator_status(c: _Ctx) -> pd.DataFrame:
    values = c.fetch("indicator_values", c.round_id)
    if values.empty:
        return pd.DataFrame()
    targets = c.fetch("indicator_targets", c.round_id)
    values, targets = views.indicator_scope(values, targets, c.scope_ids if c.scope else None)
    return tg.latest_status(c.indicators, values, targets)


def _summary(c: _Ctx) -> list[Block]:
    body: list[Block] = []
    economy = _economy_sentences(c)
    if economy:
        body.append(DraftedParagraph(economy))
    goals, acts = _goal_frames(c)
    follow = []
    namndmal = goals[goals["level"] == "nämndmål"] if len(goals) else goals
    if len(namndmal):
        follow.append(sn.goals(_counts(namndmal["status"])))
    if len(acts):
        follow.append(sn.activities(_counts(acts["status"])))
    status = _indicator_status(c)
    if len(status):
        nd = status[(status["gender"] == "T")]
        kinds = dict(zip(c.indicators["indicator_id"], c.indicators["kind"], strict=True))
        nd = nd[nd["indicator_id"].map(kinds) == "nämndindikator"]
        if len(nd):
            follow.append(sn.indicators(int((nd["status"] == tg.MEETS.code).sum()),
                                        int((nd["status"] == tg.MISSES.code).sum()),
                                        int((nd["status"] == tg.MISSING.code).sum())))
    if follow:
        body.append(DraftedParagraph(follow))
    comments = c.fetch("commentary", c.round_id)
    root_ids = set(c.units.loc[ec.is_root(c.units), "unit_id"].astype(int))
    own = comments[(comments["section"] == "sammanfattning") & comments["unit_id"].isin(root_ids)] if len(comments) else comments
    if len(own):
        body.append(Text("Ur uppföljningen (kommentarer som de lästes in):", "label"))
        for com in own.itertuples():
            if isinstance(com.heading, str) and com.heading.strip():
                body.append(Text(com.heading, "label"))
            body += _quote(com.body)
    return _section(c, "Sammanfattning", body)


# --- 2 Viktiga händelser ------------------------------------------------------------------------------

EVENT_TITLES = {"privata utförare": "Uppföljning av privata utförare", "förväntad utveckling": "Förväntad utveckling",
                "planer och program": "Planer och program", "övrigt": "Övrigt"}


def _event_blocks(events: pd.DataFrame, level: int) -> list[Block]:
    out: list[Block] = []
    for e in events.itertuples():
        out.append(Heading(e.heading if isinstance(e.heading, str) and e.heading else "Händelse", level))
        meta = " · ".join(x for x in (e.unit_name if isinstance(e.unit_name, str) else "",
                                      e.event_date.isoformat() if isinstance(e.event_date, dt.date) else "") if x)
        if meta:
            out.append(Text(meta, "caption"))
        out += _quote(e.body)
    return out


def _scoped_events(c: _Ctx) -> pd.DataFrame:
    events = c.fetch("events", c.round_id)
    if events.empty:
        return events
    return events[events["unit_id"].map(c.in_scope)]


def _events(c: _Ctx) -> list[Block]:
    events = _scoped_events(c)
    events = events[events["kind"] == "viktig händelse"] if len(events) else events
    return _section(c, "Viktiga händelser", _event_blocks(events, 2))


# --- 3 Måluppfyllelse -----------------------------------------------------------------------------------

def _status_text(info: stt.Status, word) -> str:
    return f"{info.symbol} {word if isinstance(word, str) and word.strip() else info.label}"


def _indicator_table(indicators: pd.DataFrame, values: pd.DataFrame, status: pd.DataFrame, caption: str) -> Table:
    """Indicators against target, as the report prints them: I.U. stays "I.U." and its reason (the
    report's footnote) is listed under the table; an old-method value stands in parentheses."""
    wide = views.indicator_wide(indicators, values, status)
    periods = [col for col in wide.columns if col not in ("Indikator", "Avser", "Kön", "Målvärde", "Status", "Källa", "Fotnot")]
    header = ["Indikator", "Avser"] + periods + ["Målvärde", "Status"]
    short = short_names(values)
    rows = []
    for r in wide.itertuples(index=False):
        d = dict(zip(wide.columns, r, strict=True))
        unit_name, _, breakdown = d["Avser"].partition(", ")
        who = short.get(unit_name, unit_name) + (f", {breakdown}" if breakdown else "")
        who += "" if d["Kön"] == "Totalt" else f", {d['Kön'].lower()}"
        rows.append([d["Indikator"], who] + [d[p] or "–" for p in periods] + [d["Målvärde"], d["Status"]])
    notes = [f"{abbr} = {name}" for name, abbr in short.items() if abbr != name]
    info = indicators.set_index("indicator_id")
    for v in values[values["missing"].astype(bool)].itertuples():
        name = info.loc[v.indicator_id, "name"]
        who = short.get(v.unit_name, v.unit_name) + (f", {v.breakdown}" if v.breakdown else "") + (f", {views.GENDER[v.gender].lower()}" if v.gender != "T" else "")
        reason = v.footnote if isinstance(v.footnote, str) and v.footnote.strip() else "rapporten anger inget skäl"
        notes.append(f"I.U. (inget underlag) – {name} ({who}, {v.period_label}): {reason}")
    for v in values[values["old_method_value"].notna()].itertuples():
        notes.append(f"Metodbyte – {info.loc[v.indicator_id, 'name']} ({v.period_label}): värdet inom parentes "
                     "är mätt med den tidigare metoden.")
    return Table(header, rows, numeric=set(range(2, 2 + len(periods) + 1)), caption=caption,
                 notes=list(dict.fromkeys(notes)), widths=[3.4, 1.9] + [1.15] * len(periods) + [1.4, 1.7])


def short_names(values: pd.DataFrame) -> dict[str, str]:
    """A förvaltning's short name as the reports print it (IAF, UTB) from its key, so a table of
    indicators fits the page; other units keep their name. The table's notes spell them out."""
    out = {}
    for key, name, level in values[["unit_key", "unit_name", "unit_level"]].drop_duplicates().itertuples(index=False):
        out[name] = key.upper() if level == "förvaltning" and isinstance(key, str) and len(key) <= 5 else name
    return out


def _goals(c: _Ctx) -> list[Block]:
    goals, acts = _goal_frames(c)
    namndmal = goals[goals["level"] == "nämndmål"] if len(goals) else goals
    body: list[Block] = []
    if len(namndmal):
        body.append(DraftedParagraph([sn.goals(_counts(namndmal["status"]))]))
        values = c.fetch("indicator_values", c.round_id)
        targets = c.fetch("indicator_targets", c.round_id)
        values, targets = views.indicator_scope(values, targets, c.scope_ids if c.scope else None)
        status = tg.latest_status(c.indicators, values, targets) if len(values) else pd.DataFrame()
        for area_name, group in views.group_goals(goals, namndmal):
            if area_name:
                body.append(Heading(f"Målområde {area_name}", 2))
            for parent_name, members in group:
                if parent_name:
                    body.append(Text(f"Kommunövergripande mål: {parent_name}", "label"))
                for g in members.itertuples():
                    body.append(Heading(g.name, 3))
                    info = stt.goal_info(g.status if isinstance(g.status, str) else None)
                    body.append(Text(f"Bedömning: {_status_text(info, g.status_word)}", "body"))
                    if isinstance(g.comment, str) and g.comment.strip():
                        body.append(Text("Kommentar" + (f" ({g.comment_date})" if g.comment_date else "") + ":", "label"))
                        body += _quote(g.comment)
                    ids = set(c.indicators.loc[c.indicators["goal_id"] == g.goal_id, "indicator_id"])
                    mine = values[values["indicator_id"].isin(ids)] if len(values) else values
                    if len(mine):
                        inds = c.indicators[c.indicators["indicator_id"].isin(ids)]
                        st_mine = status[status["indicator_id"].isin(ids)] if len(status) else status
                        body.append(_indicator_table(inds, mine, st_mine, "Nämndindikatorer mot målvärde"))
                    goal_acts = acts[acts["goal_id"] == g.goal_id] if len(acts) else acts
                    if len(goal_acts):
                        body.append(_activity_table(goal_acts, "Aktiviteter"))
    uppdrag = c.fetch("activities", c.round_id)
    uppdrag = uppdrag[uppdrag["kind"].str.contains("uppdrag")] if len(uppdrag) else uppdrag
    if len(uppdrag):
        uppdrag = uppdrag[uppdrag["unit_id"].map(c.in_scope)]
    if len(uppdrag):
        body.append(Heading("Uppdrag", 2))
        body.append(_activity_table(uppdrag, "Uppdrag med status", with_kind=True))
    return _section(c, "Måluppfyllelse", body)


def _activity_table(acts: pd.DataFrame, caption: str, with_kind: bool = False) -> Table:
    header = ["Aktivitet" if not with_kind else "Uppdrag"] + (["Typ"] if with_kind else []) + ["Status", "Senaste kommentar"]
    rows = []
    for a in acts.itertuples():
        info = stt.activity_info(a.status if isinstance(a.status, str) else None)
        comment = " ".join(x for x in (a.status_text if isinstance(a.status_text, str) else "",
                                       a.comment if isinstance(a.comment, str) else "") if x)
        if comment and a.comment_date:
            comment = f"({a.comment_date}) {comment}"
        rows.append([a.name] + ([a.kind.capitalize()] if with_kind else []) + [_status_text(info, a.status_word), comment or "–"])
    return Table(header, rows, caption=caption, widths=[3.2] + ([1.6] if with_kind else []) + [1.4, 4.6])


# --- 4 Ekonomi ----------------------------------------------------------------------------------------

def _economy_columns(c: _Ctx) -> list[tuple[str, str, bool]]:
    t = c.table
    if c.bokslut:  # the outcome's words and columns from rounds.vocabulary
        voc = rd.vocabulary(c.rnd)
        cols = [(f, h, f == voc.deviation_field) for f, h in voc.economy_columns()]
        if c.prev is not None:
            cols += [("prev_forecast_deviation", voc.prev_column(c.prev), True), ("miss", voc.change_column, True)]
        return cols
    cols = [("budget_year", "Budget helår", False), ("budget_period", "Period\u00adbudget", False),
            ("actual_period", "Utfall period", False), ("deviation_period", "Period\u00adavv.", True)]
    printed_net = t["forecast_net"].notna() & ~t["forecast_net_computed"].astype(bool)
    if printed_net.any():
        cols.append(("forecast_net", "Prognos helår", False))
    cols.append(("forecast_deviation", "Prognos\u00adavv.", True))
    if c.prev is not None:
        cols += [("prev_forecast_deviation", f"Prognos\u00adavv. {rd.round_name(c.prev)}", True),
                 ("forecast_change", "För\u00adändring", True)]
    return cols


def economy_table_block(c: _Ctx) -> Table | None:
    if c.table.empty:
        return None
    table = c.table.copy()
    if c.bokslut:
        table["miss"] = table["deviation_period"] - table["prev_forecast_deviation"]
        table["miss_computed"] = True
    every_parent = set(table["parent_id"].dropna().astype(int))
    rows = views.visible_rows(table, every_parent, c.scope_ids)
    if rows.empty:
        return None
    cols = _economy_columns(c)
    out, bold, indent = [], set(), []
    any_star = False
    for i, (_, r) in enumerate(rows.iterrows()):
        cells = [r["name"] if r["level"] == "enhet" else views.unit_label(r)]  # indentation shows the parent
        for f, _, signed in cols:
            text = fmt.amount(r.get(f), c.unit, c.dec, signed=signed, with_unit=False)
            if f not in ("miss",) and bool(r.get(f + "_computed", False)) and text != fmt.MISSING:
                text += " *"
                any_star = True
            cells.append(text)
        out.append(cells)
        indent.append(int(r["tree_depth"]))
        if r["level"] in SUMMARY_LEVELS:
            bold.add(i)
    notes = ["Positiv avvikelse = överskott, negativ = underskott. Avv. = avvikelse mot budget."]
    if any_star:
        notes.append("* beräknat: rapporten skriver inte ut värdet (summan av raderna under, eller prognos = "
                     "budget − prognosavvikelse).")
    if c.prev is not None and not c.bokslut:
        notes.append(f"Förändring = prognosavvikelsen nu − i {rd.round_name_year(c.prev)}, för rader "
                     "som redovisade prognos i båda tillfällena.")
    if c.bokslut and c.prev is not None:
        notes.append(f"{rd.vocabulary(c.rnd).change_column} = resultat mot budget − prognosens avvikelse: positivt = "
                     f"{rd.forecast_subject(c.prev)} var för försiktig, negativt = för optimistisk.")
    caption = f"Driftredovisning per verksamhet, belopp i {c.unit}"
    return Table(["Verksamhet"] + [h for _, h, _ in cols], out, numeric=set(range(1, len(cols) + 1)),
                 bold_rows=bold, indent=indent, caption=caption, notes=notes, widths=[2.3] + [1.0] * len(cols))


ECONOMY_SECTIONS = ("utfall", "prognos", "intäkter och kostnader", "sammanfattning")


def _analysis(c: _Ctx) -> list[Block]:
    comments = c.fetch("commentary", c.round_id)
    if comments.empty:
        return []
    root_ids = set(c.units.loc[ec.is_root(c.units), "unit_id"].astype(int))
    mine = comments[comments["section"].isin(ECONOMY_SECTIONS)
                    & ~((comments["section"] == "sammanfattning") & comments["unit_id"].isin(root_ids))
                    & comments["unit_id"].map(c.in_scope)]
    out: list[Block] = []
    labels = {int(r.unit_id): views.unit_label(r) for r in c.units.itertuples()}
    for unit_id, group in mine.groupby("unit_id", sort=False):
        out.append(Heading(labels.get(int(unit_id), group.iloc[0]["unit_name"]), 3))
        last_title = None
        for com in group.itertuples():
            title = views.comment_title(com)
            if title != last_title:
                out.append(Text(title, "label"))
                last_title = title
            out += _quote(com.body)
    return out


def _economy(c: _Ctx) -> list[Block]:
    body: list[Block] = []
    economy = _economy_sentences(c)
    total = ec.scope_total(c.table, c.units, c.scope) if len(c.table) else {}
    if economy and not c.bokslut:
        level_total = "nämnden (totalraden)" if not c.scope else f"{c.subject} (förvaltningens rad eller summan av dess rader)"
        economy = [sn.period_result(c.subject, total.get("deviation_period"), total.get("budget_period"), c.unit, c.dec,
                                    level=level_total)] + economy
    if economy:
        body.append(DraftedParagraph(economy))
    table = economy_table_block(c)
    body += _sub(c, "Driftredovisning per verksamhet", [table] if table else [])
    body += _sub(c, "Analys och kommentar per verksamhet", _analysis(c))
    rs = c.fetch("result_lines", c.round_id)
    body += _sub(c, "Resultaträkning", [_result_table(c, rs)] if len(rs) else [])
    inv = c.fetch("investments", c.round_id)
    inv_blocks: list[Block] = []
    if len(inv):
        inv_blocks.append(_investment_table(c, inv))
        comments = c.fetch("commentary", c.round_id)
        for com in comments[comments["section"] == "investeringar"].itertuples() if len(comments) else []:
            if c.in_scope(com.unit_id):
                inv_blocks += [Text(views.comment_title(com), "label")] + _quote(com.body)
    body += _sub(c, "Investeringar", inv_blocks)
    body += _sub(c, "Avvikelse per verksamhet", _deviation_chart(c))
    return _section(c, "Ekonomi", body if _has_content(body) else [])


def _result_table(c: _Ctx, rs: pd.DataFrame) -> Table:
    shown = views.result_display(rs, c.unit, c.dec, c.unit)
    header = [h.replace(f" ({c.unit})", "") for h in shown.columns]
    rows = [[str(v) for v in r] for r in shown.itertuples(index=False)]
    return Table(header, rows, numeric=set(range(1, len(header))),
                 caption=f"Resultaträkning, belopp i {c.unit} (kostnader negativa)")


def _investment_table(c: _Ctx, inv: pd.DataFrame) -> Table:
    shown = views.investment_display(inv, c.unit, c.dec, c.unit)
    header = [h.replace(f" ({c.unit})", "") for h in shown.columns]
    rows = [[str(v) for v in r] for r in shown.itertuples(index=False)]
    return Table(header, rows, numeric=set(range(1, len(header))), caption=f"Investeringar, belopp i {c.unit}")


def _deviation_chart(c: _Ctx) -> list[Block]:
    lines = commented_lines(c.table, c.scope_ids)
    if lines.empty:
        return []
    if c.bokslut:  # the outcome's deviation, drawn with the same chart
        lines = lines.assign(forecast_deviation=lines["deviation_period"])
    data = views.deviation_chart_data(lines, c.unit, c.dec, c.unit)
    if data.empty:
        return []
    what = "Resultat mot budget" if c.bokslut else "Prognosavvikelse helår"
    chart = charts.deviation_bars(data, c.unit, charts.axis_format(c.dec))
    alt_text = f"{what} per rad: " + "; ".join(f"{lab} {txt}" for lab, txt in zip(data["label"], data["value_text"], strict=True))
    return [Chart(chart, f"{what} per {_level_singular(lines)}, {c.unit}. "
                  "Staplar åt höger = överskott, åt vänster = underskott.", alt_text)]


# --- 5 Volymer och personal, Internkontroll, Övrigt --------------------------------------------------------

def _kind_table(c: _Ctx, kind: str, table_name: str, caption: str, section: str) -> list[Block]:
    values = c.fetch("indicator_values", c.round_id)
    if values.empty:
        return []
    values = views.values_of_table(values, c.indicators, kind, table_name)
    targets = c.fetch("indicator_targets", c.round_id)
    values, targets = views.indicator_scope(values, targets, c.scope_ids if c.scope else None)
    if values.empty:
        return []
    status = tg.latest_status(c.indicators, values, targets)
    inds = c.indicators[c.indicators["indicator_id"].isin(set(values["indicator_id"]))]
    out: list[Block] = [_indicator_table(inds, values, status, caption)]
    comments = c.fetch("commentary", c.round_id)
    for com in comments[comments["section"] == section].itertuples() if len(comments) else []:
        if c.in_scope(com.unit_id):
            out += [Text(f"{views.comment_title(com)} – {com.unit_name}", "label")] + _quote(com.body)
    return out


def _volumes_staff(c: _Ctx) -> list[Block]:
    volumes = _kind_table(c, "volymtal", "Volymutveckling", "Volymtal: utfall och prognos", "volymer")
    staff = _kind_table(c, "personal", "Personal", "Personal per förvaltning mot målvärde", "personal")
    body = _sub(c, "Volymer", volumes) + _sub(c, "Personal", staff)
    return _section(c, "Volymer och personal", body if volumes or staff else [])


def _internal_control(c: _Ctx) -> list[Block]:
    risks = c.fetch("risks", c.round_id)
    steps = c.fetch("control_steps", c.round_id)
    if len(risks):
        risks = risks[risks["unit_id"].map(c.in_scope)]
    if len(steps):
        steps = steps[steps["unit_id"].map(c.in_scope)]
    risk_blocks: list[Block] = []
    if len(risks):
        numbered = views.numbered_risks(risks)
        shown = views.risk_display(numbered, numbered=True)
        risk_blocks.append(Chart(charts.risk_matrix(numbered),
                                 "Riskmatris: sannolikhet × konsekvens. Siffran i rutan är riskens nummer i tabellen; "
                                 "streckad ram = kritisk zon (riskvärde 12 eller mer).",
                                 "Riskmatris: " + "; ".join(f"{r.number}. {r.name}: sannolikhet {fmt.number(r.probability)}, "
                                                            f"konsekvens {fmt.number(r.consequence)}" for r in numbered.itertuples()), 9.5))
        risk_blocks.append(Table(list(shown.columns), [[str(v) for v in r] for r in shown.itertuples(index=False)],
                                 numeric={0, 2, 3, 4}, caption="Risker, högst riskvärde först",
                                 widths=[0.5, 4.2, 1.7, 1.6, 1.5, 1.4]))
    step_blocks: list[Block] = []
    if len(steps):
        header = ["Kontrollmoment", "Risk", "Status", "Resultat och kommentar"]
        rows = []
        for s in steps.itertuples():
            info = stt.activity_info(s.status if isinstance(s.status, str) else None)
            comment = " ".join(x for x in (s.status_text if isinstance(s.status_text, str) else "",
                                           s.comment if isinstance(s.comment, str) else "") if x)
            if comment and s.comment_date:
                comment = f"({s.comment_date}) {comment}"
            rows.append([s.name, s.risk_name if isinstance(s.risk_name, str) else "–", _status_text(info, s.status_word),
                         comment or "–"])
        step_blocks.append(Table(header, rows, caption="Kontrollmoment med status", widths=[3.0, 2.2, 1.4, 4.4]))
    body = _sub(c, "Risker", risk_blocks) + _sub(c, "Kontrollmoment", step_blocks)
    return _section(c, "Internkontroll", body if risk_blocks or step_blocks else [])


def _other(c: _Ctx) -> list[Block]:
    """Other follow-up the report carries (privata utförare, förväntad utveckling, planer och
    program, övrigt): only when there is some – the delårsrapport's structure does not require it."""
    events = _scoped_events(c)
    events = events[events["kind"] != "viktig händelse"] if len(events) else events
    body: list[Block] = []
    for kind, group in events.groupby("kind", sort=False) if len(events) else []:
        body.append(Heading(EVENT_TITLES.get(kind, kind.capitalize()), 2))
        body += _event_blocks(group, 3)
    comments = c.fetch("commentary", c.round_id)
    other = comments[(comments["section"] == "övrigt") & comments["unit_id"].map(c.in_scope)] if len(comments) else comments
    for com in other.itertuples():
        body.append(Heading(views.comment_title(com), 2))
        body += _quote(com.body)
    return [Heading("Övrig uppföljning", 1)] + body if body else []
