"""The meeting's slide sequence for one nämnd and round, as data: used by the Bildspel page and
the PowerPoint/PDF export alike, so what is shown and what is attached are the same.

`fetch(name, *args)` returns a query frame (cached in the app, direct on the command line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from . import charts, economy as ec, formatting as fmt, status as stt, targets as tg, views
from .rounds import previous_round

SLIDE_KINDS: dict[str, str] = {
    "titel": "Titel",
    "ekonomi": "Ekonomisk sammanfattning",
    "avvikelser": "Avvikelser per verksamhet",
    "forandring": "Prognosförändring sedan förra tillfället",
    "mal": "Mål per bedömning",
    "indikatorer": "Indikatorer som inte når målvärdet",
    "risker": "Risker",
    "handelser": "Viktiga händelser",
}
DEFAULT_SEQUENCE = list(SLIDE_KINDS)


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


class NotFound(LookupError):
    """Unknown kommun, nämnd or round; the message is Swedish."""


def _short(text: str, limit: int = 260) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def build(fetch: Callable, kommun: str, namnd: str, tillfalle: str | dt.date, kinds: list[str] | None = None,
          scope: str = ec.ALL, exported: dt.date | None = None, visible_round_ids: set[int] | None = None) -> list[Slide]:
    """The slides; `visible_round_ids` limits the rounds (and so the previous round) to what the
    viewer may see – a draft never leaks into a comparison."""
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
    econ = fetch("economy", int(rnd["round_id"]))
    prev_econ = fetch("economy", int(prev["round_id"])) if prev else None
    table = ec.economy_table(units, econ, prev_econ)
    scope_ids = ec.scope_unit_ids(units, scope)
    round_text = fmt.round_label(rnd["kind"], rnd["period_end"])
    subtitle = f"{n['kommun_name']} · {rnd['namnd_name']} · {round_text}"
    source = (f"Källa: {rnd['report_title'] or 'nämndens uppföljning'} · uppgifter t.o.m. "
              f"{rnd['period_end'].isoformat()}")
    draft = rnd.get("status") == "utkast"
    ctx = dict(subtitle=subtitle, source=source, draft=draft)
    out: list[Slide] = []
    for kind in kinds or DEFAULT_SEQUENCE:
        builder = _BUILDERS.get(kind)
        if builder is None:
            continue
        out.append(builder(fetch=fetch, n=n, rnd=rnd, prev=prev, unit=unit, dec=dec, units=units, table=table,
                           scope=scope, scope_ids=scope_ids, exported=exported or dt.date.today(), **ctx))
    return out


def _title(n, rnd, subtitle, source, draft, exported, **_):
    bullets = [f"Uppföljningstillfälle: {rnd['kind']}, perioden t.o.m. {fmt.date_long(rnd['period_end'])}",
               f"Belopp i {rnd['amount_unit']}", f"Exporterad {exported.isoformat()}"]
    if draft:
        bullets.insert(0, "UTKAST – ej fastställd av nämnden")
    return Slide("titel", f"Uppföljning {rnd['kind']} {rnd['period_end'].year}",
                 f"{n['kommun_name']} · {rnd['namnd_name']}", bullets, source=source, draft=draft)


def _economy(table, units, scope, unit, dec, prev, subtitle, source, draft, **_):
    total = ec.scope_total(table, units, scope) if len(table) else {}
    summary = views.economy_summary(total, unit, dec, prev)
    bullets = [f"Prognosavvikelse helår: {summary['forecast']}" + (f" ({summary['forecast_share']})" if summary["forecast_share"] else ""),
               f"Periodresultat: {summary['period']}" + (f" ({summary['period_share']})" if summary["period_share"] else ""),
               f"{summary['change_label']}: {summary['change']} ({summary['change_word']})"]
    if summary["any_computed"]:
        bullets.append("* beräknad, rapporten skriver inte ut värdet")
    top = table[table["level"].isin(["verksamhetsområde", "förvaltning", "verksamhet"]) & (table["depth"] <= 2)]
    top = top[top["unit_id"].isin(ec.scope_unit_ids(units, scope))]
    frame = pd.DataFrame({
        "Verksamhet": [views.unit_label(r) for r in top.itertuples()],
        f"Budget helår ({unit})": [fmt.amount(v, unit, dec, with_unit=False) for v in top["budget_year"]],
        f"Prognosavvikelse ({unit})": [fmt.amount(v, unit, dec, signed=True, with_unit=False) + (" *" if c else "")
                                      for v, c in zip(top["forecast_deviation"], top["forecast_deviation_computed"], strict=True)],
    }) if len(top) else None
    return Slide("ekonomi", summary["headline"], subtitle, bullets, frame, source=source, draft=draft)


def _deviations(table, scope_ids, unit, dec, subtitle, source, draft, **_):
    lines = ec.leaf_lines(table, scope_ids) if len(table) else table
    data = views.deviation_chart_data(lines, unit, dec, unit) if len(lines) else pd.DataFrame()
    if data.empty:
        return Slide("avvikelser", "Ingen prognos per verksamhet i detta tillfälle", subtitle, source=source, draft=draft)
    worst = data.sort_values("value").iloc[0]
    best = data.sort_values("value").iloc[-1]
    title = (f"Störst underskott: {worst['label']} {worst['value_text']}" if worst["value"] < 0
             else f"Inga underskott – störst överskott: {best['label']} {best['value_text']}")
    return Slide("avvikelser", title, subtitle, chart=charts.deviation_bars(data, unit, charts.axis_format(dec)),
                 source=source, draft=draft)


def _change(table, prev, unit, dec, units, scope, subtitle, source, draft, **_):
    if prev is None:
        return Slide("forandring", "Inget tidigare tillfälle att jämföra prognosen med", subtitle, source=source, draft=draft)
    lines = ec.leaf_lines(table, ec.scope_unit_ids(units, scope))
    changed = lines[lines["forecast_change"].notna() & (lines["forecast_change"].abs() > 0)]
    changed = changed.reindex(changed["forecast_change"].sort_values().index)
    total = ec.scope_total(table, units, scope)
    summary = views.economy_summary(total, unit, dec, prev)
    frame = pd.DataFrame({
        "Verksamhet": [views.unit_label(r) for r in changed.itertuples()],
        f"{prev['kind']} ({unit})": [fmt.amount(v, unit, dec, signed=True, with_unit=False) for v in changed["prev_forecast_deviation"]],
        f"Nu ({unit})": [fmt.amount(v, unit, dec, signed=True, with_unit=False) for v in changed["forecast_deviation"]],
        f"Förändring ({unit})": [fmt.amount(v, unit, dec, signed=True, with_unit=False) for v in changed["forecast_change"]],
    })
    title = summary["headline"].split(" – ", 1)[-1].capitalize() if " – " in summary["headline"] else \
        f"Prognosen är oförändrad sedan {prev['kind'].lower()}"
    return Slide("forandring", title, subtitle, [f"{summary['change_label']}: {summary['change']} ({summary['change_word']})"],
                 frame if len(frame) else None, source=source, draft=draft)


def _goals(fetch, rnd, n, subtitle, source, draft, **_):
    goals = fetch("goal_assessments", int(rnd["round_id"]))
    goals = goals[goals["level"] == "nämndmål"] if len(goals) else goals
    if goals.empty:
        return Slide("mal", "Tillfället redovisar inga nämndmål", subtitle, source=source, draft=draft)
    counts: dict = {}
    for s in goals["status"]:
        code = s if isinstance(s, str) else None
        counts[code] = counts.get(code, 0) + 1
    order = sorted(counts, key=lambda c: -stt.goal_info(c).rank if c else 99)
    bullets = [f"{stt.goal_info(c).symbol} {stt.goal_info(c).label}: {counts[c]}" for c in order]
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


def _indicators(fetch, rnd, n, subtitle, source, draft, **_):
    values = fetch("indicator_values", int(rnd["round_id"]))
    if values.empty:
        return Slide("indikatorer", "Tillfället redovisar inga indikatorer", subtitle, source=source, draft=draft)
    status = tg.latest_status(fetch("indicators", int(rnd["round_id"])), values, fetch("indicator_targets", int(rnd["round_id"])))
    misses = status[(status["status"] == tg.MISSES.code) & (status["gender"] == "T")]
    judged = status[status["status"].isin([tg.MISSES.code, tg.MEETS.code]) & (status["gender"] == "T")]
    title = (f"{len(misses)} av {len(judged)} bedömda indikatorer når inte målvärdet" if len(misses)
             else "Alla bedömda indikatorer når sina målvärden")
    return Slide("indikatorer", title, subtitle, table=views.indicator_miss_table(misses) if len(misses) else None,
                 source=source, draft=draft)


def _risks(fetch, rnd, subtitle, source, draft, **_):
    risks = fetch("risks", int(rnd["round_id"]))
    if risks.empty:
        return Slide("risker", "Tillfället redovisar inga riskvärden", subtitle, source=source, draft=draft)
    numbered = views.numbered_risks(risks)
    top = numbered.iloc[0]
    title = f"Högsta riskvärde {fmt.number(top['risk_value'])}: {_short(top['name'], 80)}"
    return Slide("risker", title, subtitle, table=views.risk_display(numbered, numbered=True),
                 chart=charts.risk_matrix(numbered), source=source, draft=draft)


def _events(fetch, rnd, subtitle, source, draft, **_):
    events = fetch("events", int(rnd["round_id"]))
    events = events[events["kind"] == "viktig händelse"] if len(events) else events
    if events.empty:
        return Slide("handelser", "Inga viktiga händelser redovisade", subtitle, source=source, draft=draft)
    bullets = [f"{e.heading}: {_short(e.body, 160)}" for e in events.head(6).itertuples()]
    return Slide("handelser", f"Viktiga händelser ({len(events)})", subtitle, bullets, source=source, draft=draft)


_BUILDERS = {"titel": _title, "ekonomi": _economy, "avvikelser": _deviations, "forandring": _change,
             "mal": _goals, "indikatorer": _indicators, "risker": _risks, "handelser": _events}
