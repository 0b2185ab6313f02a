"""A stored round written back as import sheets: the inverse of `load.write`.

Used for the round versions of rounds imported before versions were kept, for the organisation a
workbook may leave out (the nämnd's latest adopted round's), for the template pre-filled with a
nämnd's organisation, and to compare what is stored with what a new file brings. A round dumped
and imported again gives the same database rows (tested).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session, aliased

from .. import models as m
from .. import status as stt
from .reader import Sheet
from .spec import SHEETS_BY_EXACT_NAME


def _value_key(row: Any, ind_key: dict[int, str], ukey: Any) -> tuple:
    """An indicator value's or target's place in the dump: its natural key in the words the dump
    writes (indicator and unit keys, not ids), so the same round dumps alike from any database."""
    return (ind_key.get(row.indicator_id) or "", ukey(row.unit_id) or "", row.period_end,
            getattr(row, "value_type", ""), row.gender, row.breakdown or "", row.source_table or "")


def _sheet(name: str, rows: list[dict[str, Any]]) -> Sheet:
    """Rows keyed by field -> a Sheet with the spec's headers (only columns that hold something)."""
    spec = SHEETS_BY_EXACT_NAME[name]
    used = [c for c in spec.columns if c.required or any(r.get(c.field) not in (None, "") for r in rows)]
    headers = [c.header for c in used]
    sheet = Sheet(name, headers)
    for i, r in enumerate(rows, start=2):
        sheet.rows.append((i, {c.header: _cell(r.get(c.field)) for c in used}))
    return sheet


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return value


def _word(code: str | None, word: str | None, info) -> str | None:
    if isinstance(word, str) and word:
        return word
    return info(code).label if code else None


def dump_round(engine: Engine, round_id: int, sections: set[str] | None = None) -> dict[str, Sheet]:
    """The round's sheets in import format (Tillfälle, Organisation and every stored section)."""
    with Session(engine) as conn:
        rnd = conn.execute(
            select(m.Round, m.Namnd.code.label("namnd_code"), m.Kommun.code.label("kommun_code"),
                   m.Kommun.name.label("kommun_name"))
            .join(m.Namnd, m.Namnd.id == m.Round.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Round.id == round_id)
        ).one()
        r: m.Round = rnd[0]
        stored = {s for s in (r.sections or "").split(",") if s}
        wanted = stored if sections is None else stored & sections
        out: dict[str, Sheet] = {}
        forv_key = r.forvaltning_key
        out["Tillfälle"] = _sheet("Tillfälle", [{
            "kommun_code": rnd.kommun_code, "kommun_name": rnd.kommun_name, "namnd_code": rnd.namnd_code,
            "namnd_name": r.namnd_name, "kind": r.kind, "period_end": r.period_end,
            "amount_unit": r.amount_unit, "decimals": r.decimals, "report_title": r.report_title,
            "status": r.status, "adopted_date": r.adopted_date, "adopted_paragraph": r.adopted_paragraph,
            "forvaltning_key": forv_key,
        }])
        key = {}  # unit id -> key
        v, parent = m.UnitVersion, aliased(m.OrgUnit)
        units = conn.execute(
            select(v, m.OrgUnit.key, parent.key.label("parent_key"))
            .join(m.OrgUnit, m.OrgUnit.id == v.unit_id).outerjoin(parent, parent.id == v.parent_id)
            .where(v.round_id == round_id).order_by(v.depth, v.sort_order)
        ).all()
        for u in units:
            key[u[0].unit_id] = u.key
        out["Organisation"] = _sheet("Organisation", [{
            "key": u.key, "name": u[0].name, "level": u[0].level, "parent": u.parent_key, "code": u[0].code,
            "historical": u[0].historical, "sort_order": u[0].sort_order,
        } for u in sorted(units, key=lambda u: u[0].sort_order)])
        ukey = key.get

        def rows(stmt):
            return conn.execute(stmt).all()

        if "Ekonomi" in wanted:
            lines = rows(select(m.EconomyLine).where(m.EconomyLine.round_id == round_id))
            order = {u[0].unit_id: u[0].sort_order for u in units}
            out["Ekonomi"] = _sheet("Ekonomi", [
                {"unit": ukey(e.unit_id)} | {f: getattr(e, f) for f in (
                    "budget_year", "budget_period", "actual_period", "deviation_period", "forecast_net",
                    "forecast_deviation", "actual_prev_period", "bokslut_prev_year", "budget_share_pct")}
                # Sorted on what the dump writes (not on ids or the database's row order, which
                # PostgreSQL does not keep), so two databases holding the same round dump alike.
                for (e,) in sorted(lines, key=lambda x: (order.get(x[0].unit_id, 0), ukey(x[0].unit_id) or ""))])
        if "Resultaträkning" in wanted:
            out["Resultaträkning"] = _sheet("Resultaträkning", [
                {"name": x.name, "sort_order": x.seq, "actual_period": x.actual_period, "budget_year": x.budget_year,
                 "forecast_year": x.forecast_year, "actual_prev_period": x.actual_prev_period}
                for (x,) in rows(select(m.ResultLine).where(m.ResultLine.round_id == round_id).order_by(m.ResultLine.seq))])
        if "Intäkter och kostnader" in wanted:
            out["Intäkter och kostnader"] = _sheet("Intäkter och kostnader", [
                {"kind": x.kind, "category": x.category, "actual_period": x.actual_period,
                 "actual_prev_period": x.actual_prev_period}
                for (x,) in rows(select(m.CostByType).where(m.CostByType.round_id == round_id)
                                 .order_by(m.CostByType.kind, m.CostByType.category))])
        if "Investeringar" in wanted:
            out["Investeringar"] = _sheet("Investeringar", [
                {"project_key": x.project_key, "name": x.name, "actual": x.actual, "forecast": x.forecast,
                 "budget": x.budget, "deviation": x.deviation}
                for (x,) in rows(select(m.Investment).where(m.Investment.round_id == round_id)
                                 .order_by(m.Investment.project_key))])
        if "Kommentarer" in wanted:
            out["Kommentarer"] = _sheet("Kommentarer", [
                {"unit": ukey(x.unit_id), "section": x.section, "heading": x.heading, "body": x.body,
                 "sort_order": x.seq}
                for (x,) in rows(select(m.Commentary).where(m.Commentary.round_id == round_id).order_by(m.Commentary.seq))])
        if "Händelser" in wanted:
            out["Händelser"] = _sheet("Händelser", [
                {"unit": ukey(x.unit_id) if x.unit_id else None, "kind": x.kind, "event_date": x.event_date,
                 "heading": x.heading, "body": x.body, "sort_order": x.seq}
                for (x,) in rows(select(m.Event).where(m.Event.round_id == round_id).order_by(m.Event.seq))])
        goal_key: dict[int, str] = dict(rows(select(m.Goal.id, m.Goal.key).join(
            m.GoalVersion, m.GoalVersion.goal_id == m.Goal.id).where(m.GoalVersion.round_id == round_id)))
        if "Mål" in wanted:
            gv, ga = m.GoalVersion, m.GoalAssessment
            out["Mål"] = _sheet("Mål", [
                {"key": goal_key[g.goal_id], "level": g.level, "name": g.name,
                 "parent": goal_key.get(g.parent_id) if g.parent_id else None,
                 "unit": ukey(g.unit_id) if g.unit_id else None, "description": g.description,
                 "status": _word(a.status, a.status_word, stt.goal_info) if a is not None else None,
                 "comment": a.comment if a is not None else None,
                 "comment_date": a.comment_date if a is not None else None, "sort_order": g.sort_order}
                for g, a in rows(select(gv, ga).outerjoin(ga, and_(ga.goal_id == gv.goal_id, ga.round_id == gv.round_id))
                                 .where(gv.round_id == round_id).order_by(gv.sort_order))])
        if "Aktiviteter" in wanted:
            av, ast = m.ActivityVersion, m.ActivityStatus
            out["Aktiviteter"] = _sheet("Aktiviteter", [
                {"key": k, "kind": a.kind, "name": a.name, "goal": goal_key.get(a.goal_id) if a.goal_id else None,
                 "unit": ukey(a.unit_id) if a.unit_id else None, "description": a.description,
                 "status": _word(s.status, s.status_word, stt.activity_info), "status_text": s.status_text,
                 "comment": s.comment, "comment_date": s.comment_date, "sort_order": a.sort_order}
                for a, s, k in rows(select(av, ast, m.Activity.key)
                                    .join(ast, and_(ast.activity_id == av.activity_id, ast.round_id == av.round_id))
                                    .join(m.Activity, m.Activity.id == av.activity_id)
                                    .where(av.round_id == round_id).order_by(av.sort_order))])
        ind_key: dict[int, str] = dict(rows(select(m.Indicator.id, m.Indicator.key).join(
            m.IndicatorVersion, m.IndicatorVersion.indicator_id == m.Indicator.id)
            .where(m.IndicatorVersion.round_id == round_id)))
        if "Indikatorer" in wanted:
            iv = m.IndicatorVersion
            out["Indikatorer"] = _sheet("Indikatorer", [
                {"key": ind_key[i.indicator_id], "name": i.name, "kind": i.kind, "measure_unit": i.measure_unit,
                 "direction": i.direction, "accumulation": i.accumulation,
                 "goal": goal_key.get(i.goal_id) if i.goal_id else None,
                 "unit": ukey(i.unit_id) if i.unit_id else None, "source": i.source, "kolada_id": i.kolada_id,
                 "footnote": i.footnote, "sort_order": i.sort_order}
                for (i,) in rows(select(iv).where(iv.round_id == round_id).order_by(iv.sort_order))])
        if "Indikatorvärden" in wanted:
            out["Indikatorvärden"] = _sheet("Indikatorvärden", [
                {"indicator": ind_key.get(x.indicator_id), "unit": ukey(x.unit_id), "period_label": x.period_label,
                 "period_end": x.period_end, "value_type": x.value_type, "gender": x.gender,
                 "breakdown": x.breakdown or None, "value": "I.U." if x.missing else x.value,
                 "old_method_value": x.old_method_value, "footnote": x.footnote,
                 "source_table": x.source_table or None}
                for (x,) in sorted(rows(select(m.IndicatorValue).where(m.IndicatorValue.round_id == round_id)),
                                   key=lambda r: _value_key(r[0], ind_key, ukey))])
        if "Målvärden" in wanted:
            out["Målvärden"] = _sheet("Målvärden", [
                {"indicator": ind_key.get(x.indicator_id), "unit": ukey(x.unit_id), "gender": x.gender,
                 "breakdown": x.breakdown or None, "period_label": x.period_label, "period_end": x.period_end,
                 "comparator": x.comparator, "target_value": x.target_value, "target_text": x.target_text,
                 "source_table": x.source_table or None}
                for (x,) in sorted(rows(select(m.IndicatorTarget).where(m.IndicatorTarget.round_id == round_id)),
                                   key=lambda r: _value_key(r[0], ind_key, ukey))])
        risk_key: dict[int, str] = dict(rows(select(m.Risk.id, m.Risk.key).join(
            m.RiskVersion, m.RiskVersion.risk_id == m.Risk.id).where(m.RiskVersion.round_id == round_id)))
        if "Risker" in wanted:
            rv, ra = m.RiskVersion, m.RiskAssessment
            out["Risker"] = _sheet("Risker", [
                {"key": risk_key[k.risk_id], "name": k.name, "unit": ukey(k.unit_id) if k.unit_id else None,
                 "description": k.description, "probability": a.probability, "consequence": a.consequence,
                 "risk_value": None if a.risk_value_computed else a.risk_value,
                 "assessment_text": a.assessment_text, "sort_order": k.sort_order}
                for k, a in rows(select(rv, ra).join(ra, and_(ra.risk_id == rv.risk_id, ra.round_id == rv.round_id))
                                 .where(rv.round_id == round_id).order_by(rv.sort_order))])
        if "Kontrollmoment" in wanted:
            cv, cs = m.ControlStepVersion, m.ControlStepStatus
            out["Kontrollmoment"] = _sheet("Kontrollmoment", [
                {"key": k, "name": c.name, "risk": risk_key.get(c.risk_id) if c.risk_id else None,
                 "unit": ukey(c.unit_id) if c.unit_id else None, "description": c.description,
                 "status": _word(s.status, s.status_word, stt.activity_info), "status_text": s.status_text,
                 "comment": s.comment, "comment_date": s.comment_date, "sort_order": c.sort_order}
                for c, s, k in rows(select(cv, cs, m.ControlStep.key)
                                    .join(cs, and_(cs.control_step_id == cv.control_step_id, cs.round_id == cv.round_id))
                                    .join(m.ControlStep, m.ControlStep.id == cv.control_step_id)
                                    .where(cv.round_id == round_id).order_by(cv.sort_order))])
    return out


def latest_adopted_round(engine: Engine, kommun_code: str, namnd_code: str,
                         before: dt.date | None = None) -> int | None:
    """The id of the nämnd's newest adopted round (on or before `before`, when given); if none is
    adopted, its newest round. None if the nämnd is not in the database."""
    stmt = (
        select(m.Round.id)
        .join(m.Namnd, m.Namnd.id == m.Round.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
        .where(m.Kommun.code == kommun_code, m.Namnd.code == namnd_code)
        .order_by((m.Round.status == "utkast").asc(), m.Round.period_end.desc())
    )
    with engine.connect() as conn:
        ids = conn.execute(stmt).scalars().all()
        if before is not None and ids:
            dated = conn.execute(
                select(m.Round.id).where(m.Round.id.in_(ids), m.Round.period_end <= before)
                .order_by((m.Round.status == "utkast").asc(), m.Round.period_end.desc())
            ).scalars().first()
            if dated is not None:
                return dated
    return ids[0] if ids else None


def sheets_to_payload(sheets: dict[str, Sheet]) -> dict:
    """JSON-able form of sheets (for round versions)."""
    return {name: {"headers": sheet.headers,
                   "rows": [[row_no, [_json(values.get(h)) for h in sheet.headers]] for row_no, values in sheet.rows]}
            for name, sheet in sheets.items()}


def payload_to_sheets(payload: dict) -> dict[str, Sheet]:
    out = {}
    for name, data in payload.items():
        sheet = Sheet(name, list(data["headers"]))
        for row_no, values in data["rows"]:
            sheet.rows.append((row_no, dict(zip(sheet.headers, values, strict=False))))
        out[name] = sheet
    return out


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:19] if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def template_sheets(engine: Engine, kommun: str, namnd: str) -> dict[str, Sheet] | None:
    """Tillfälle (kommun and nämnd filled in, the round left for the user), the Organisation of the
    nämnd's latest adopted round and the Ekonomi rows' units, for a pre-filled template."""
    round_id = latest_adopted_round(engine, kommun, namnd.upper())
    if round_id is None:
        return None
    sheets = dump_round(engine, round_id, sections={"Ekonomi"})
    tillfalle = sheets["Tillfälle"]
    for _, values in tillfalle.rows:
        for header in ("Typ", "Periodslut", "Status", "Fastställd datum", "Fastställd paragraf", "Rapport",
                       "Förvaltning"):
            if header in values:
                values[header] = None
    out = {"Tillfälle": tillfalle, "Organisation": sheets["Organisation"]}
    if "Ekonomi" in sheets:
        economy = Sheet("Ekonomi", ["Enhet"])
        economy.rows = [(n, {"Enhet": values.get("Enhet")}) for n, values in sheets["Ekonomi"].rows]
        out["Ekonomi"] = economy
    return out
