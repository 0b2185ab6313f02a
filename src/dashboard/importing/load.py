"""Write a validated workbook into the database in one transaction.

The round (nämnd + period end) is replaced as a whole: its fact rows and its version rows (what
the units, goals, … are called in this round) are deleted and written again. Dimensions are
identities only, found or created by their natural key, so their ids, and so every fact row, are
identical after a re-import; a draft can never rename what an adopted round shows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .. import models as m
from .. import indicator_status, rollups
from .validate import Validated

VERSION_TABLES = list(m.VERSION_TABLES)
FACT_TABLES = [
    m.EconomyLine,
    m.ResultLine,
    m.CostByType,
    m.Investment,
    m.Commentary,
    m.Event,
    m.GoalAssessment,
    m.ActivityStatus,
    m.IndicatorValue,
    m.IndicatorTarget,
    m.RiskAssessment,
    m.ControlStepStatus,
]


def _identity(session: Session, model, namnd_id: int, key: str):
    """The dimension row with this key in the nämnd, created if new (ids are stable)."""
    obj = session.scalars(select(model).where(model.namnd_id == namnd_id, model.key == key)).one_or_none()
    if obj is None:
        obj = model(namnd_id=namnd_id, key=key)
        session.add(obj)
    return obj


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in their Ordning, then in sheet order."""
    return sorted(rows, key=lambda r: (r.get("sort_order") is None, r.get("sort_order") or 0, r["_row"]))


def write(session: Session, data: Validated) -> m.Round:
    sheets = data.sheets
    rnd = data.round
    kommun = session.scalars(select(m.Kommun).where(m.Kommun.code == rnd["kommun_code"])).one_or_none()
    if kommun is None:
        kommun = m.Kommun(code=rnd["kommun_code"], name=rnd["kommun_name"])
        session.add(kommun)
    elif kommun.name != rnd["kommun_name"] and data.rename_kommun:
        # Only when the importer asked for it (see importing.changes: a kommun rename is confirmed).
        kommun.name = rnd["kommun_name"]
    session.flush()
    namnd = session.scalars(
        select(m.Namnd).where(m.Namnd.kommun_id == kommun.id, m.Namnd.code == rnd["namnd_code"])
    ).one_or_none()
    if namnd is None:
        namnd = m.Namnd(kommun_id=kommun.id, code=rnd["namnd_code"])
        session.add(namnd)
    session.flush()

    # The round: kept (stable id) and updated, its facts and versions replaced.
    sections = ",".join(sorted(name for name in sheets if name not in ("Tillfälle", "Organisation")))
    round_obj = session.scalars(
        select(m.Round).where(m.Round.namnd_id == namnd.id, m.Round.period_end == rnd["period_end"])
    ).one_or_none()
    round_values = {
        "namnd_name": rnd["namnd_name"],
        "kind": rnd["kind"],
        "amount_unit": rnd["amount_unit"],
        "decimals": rnd["decimals"],
        "report_title": rnd["report_title"],
        "status": rnd["status"],
        "adopted_date": rnd["adopted_date"],
        "adopted_paragraph": rnd["adopted_paragraph"],
        "sections": sections,
        "forvaltning_key": rnd.get("forvaltning_key"),
    }
    if round_obj is None:
        round_obj = m.Round(namnd_id=namnd.id, period_end=rnd["period_end"], **round_values)
        session.add(round_obj)
    else:
        for name, value in round_values.items():
            setattr(round_obj, name, value)
    session.flush()
    rid = round_obj.id
    for table in FACT_TABLES + VERSION_TABLES:
        session.execute(delete(table).where(table.round_id == rid))

    # Organisation: identities by key, then this round's version of each unit.
    org = {u["key"]: u for u in sheets["Organisation"]}
    units = {key: _identity(session, m.OrgUnit, namnd.id, key) for key in org}
    session.flush()
    versions: dict[type, list[dict[str, Any]]] = {t: [] for t in VERSION_TABLES}
    for position, u in enumerate(_ordered(sheets["Organisation"])):
        chain, node = [], u
        while node is not None:
            chain.append(node)
            node = org.get(node["parent"]) if node["parent"] else None
        forv = next((n["key"] for n in chain if n["level"] == "förvaltning"), None)
        versions[m.UnitVersion].append({
            "round_id": rid, "unit_id": units[u["key"]].id, "name": u["name"], "level": u["level"],
            "parent_id": units[u["parent"]].id if u["parent"] else None,
            "forvaltning_id": units[forv].id if forv else None, "code": u["code"],
            "historical": bool(u["historical"]),
            "sort_order": u["sort_order"] if u["sort_order"] is not None else position,
            "depth": len(chain) - 1,
        })
    root_key = next(k for k, u in org.items() if u["level"] == "nämnd")

    def uid(key: str | None, default: str | None = None) -> int | None:
        key = key or default
        return units[key].id if key else None

    # Goals, activities, indicators, risks, control steps: identities, then this round's version.
    def identities(model, sheet: str) -> dict[str, Any]:
        found = {r["key"]: _identity(session, model, namnd.id, r["key"]) for r in sheets.get(sheet, [])}
        session.flush()
        return found

    goals = identities(m.Goal, "Mål")
    for position, g in enumerate(_ordered(sheets.get("Mål", []))):
        versions[m.GoalVersion].append({
            "round_id": rid, "goal_id": goals[g["key"]].id, "level": g["level"], "name": g["name"],
            "parent_id": goals[g["parent"]].id if g["parent"] else None, "unit_id": uid(g["unit"]),
            "description": g["description"], "sort_order": _sort(g, position),
        })
    activities = identities(m.Activity, "Aktiviteter")
    for position, a in enumerate(_ordered(sheets.get("Aktiviteter", []))):
        versions[m.ActivityVersion].append({
            "round_id": rid, "activity_id": activities[a["key"]].id, "kind": a["kind"], "name": a["name"],
            "unit_id": uid(a["unit"]), "goal_id": goals[a["goal"]].id if a["goal"] else None,
            "description": a["description"], "sort_order": _sort(a, position),
        })
    indicators = identities(m.Indicator, "Indikatorer")
    for position, i in enumerate(_ordered(sheets.get("Indikatorer", []))):
        versions[m.IndicatorVersion].append({
            "round_id": rid, "indicator_id": indicators[i["key"]].id, "name": i["name"], "kind": i["kind"],
            "measure_unit": i["measure_unit"], "direction": i["direction"],
            "accumulation": i["accumulation"], "goal_id": goals[i["goal"]].id if i["goal"] else None,
            "unit_id": uid(i["unit"]), "source": i["source"], "kolada_id": i["kolada_id"],
            "footnote": i["footnote"], "sort_order": _sort(i, position),
        })
    risks = identities(m.Risk, "Risker")
    for position, r in enumerate(_ordered(sheets.get("Risker", []))):
        versions[m.RiskVersion].append({
            "round_id": rid, "risk_id": risks[r["key"]].id, "name": r["name"], "unit_id": uid(r["unit"]),
            "description": r["description"], "sort_order": _sort(r, position),
        })
    steps = identities(m.ControlStep, "Kontrollmoment")
    for position, c in enumerate(_ordered(sheets.get("Kontrollmoment", []))):
        versions[m.ControlStepVersion].append({
            "round_id": rid, "control_step_id": steps[c["key"]].id, "name": c["name"],
            "unit_id": uid(c["unit"]), "risk_id": risks[c["risk"]].id if c["risk"] else None,
            "description": c["description"], "sort_order": _sort(c, position),
        })
    for table, rows in versions.items():
        if rows:
            session.execute(insert(table), rows)

    facts: dict[type, list[dict[str, Any]]] = {t: [] for t in FACT_TABLES}
    for e in sheets.get("Ekonomi", []):
        facts[m.EconomyLine].append({"round_id": rid, "unit_id": uid(e["unit"])} | {
            f: e[f] for f in ("budget_year", "budget_period", "actual_period", "deviation_period",
                              "forecast_net", "forecast_deviation", "actual_prev_period",
                              "bokslut_prev_year", "budget_share_pct")
        })
    for seq, r in enumerate(_ordered(sheets.get("Resultaträkning", []))):
        facts[m.ResultLine].append({"round_id": rid, "seq": seq, "name": r["name"]} | {
            f: r[f] for f in ("actual_period", "budget_year", "forecast_year", "actual_prev_period")
        })
    for r in sheets.get("Intäkter och kostnader", []):
        facts[m.CostByType].append({"round_id": rid, "kind": r["kind"], "category": r["category"],
                                    "actual_period": r["actual_period"],
                                    "actual_prev_period": r["actual_prev_period"]})
    for r in sheets.get("Investeringar", []):
        facts[m.Investment].append({"round_id": rid} | {
            f: r[f] for f in ("project_key", "name", "actual", "forecast", "budget", "deviation")
        })
    for seq, r in enumerate(_ordered(sheets.get("Kommentarer", []))):
        facts[m.Commentary].append({"round_id": rid, "seq": seq, "unit_id": uid(r["unit"]),
                                    "section": r["section"], "heading": r["heading"],
                                    "body": r["body"]})
    for seq, r in enumerate(_ordered(sheets.get("Händelser", []))):
        facts[m.Event].append({"round_id": rid, "seq": seq, "unit_id": uid(r["unit"]),
                               "kind": r["kind"], "event_date": r["event_date"],
                               "heading": r["heading"], "body": r["body"]})
    for g in sheets.get("Mål", []):
        code, word = g["status"] or (None, None)
        facts[m.GoalAssessment].append({"round_id": rid, "goal_id": goals[g["key"]].id,
                                        "status": code, "status_word": word,
                                        "comment": g["comment"], "comment_date": g["comment_date"]})
    for a in sheets.get("Aktiviteter", []):
        code, word = a["status"] or (None, None)
        facts[m.ActivityStatus].append({"round_id": rid, "activity_id": activities[a["key"]].id,
                                        "status": code, "status_word": word,
                                        "status_text": a["status_text"], "comment": a["comment"],
                                        "comment_date": a["comment_date"]})
    ind_rows = {i["key"]: i for i in sheets.get("Indikatorer", [])}
    for v in sheets.get("Indikatorvärden", []):
        reading = v["value"]
        unit_key = v["unit"] or ind_rows[v["indicator"]]["unit"] or root_key
        facts[m.IndicatorValue].append({
            "round_id": rid, "indicator_id": indicators[v["indicator"]].id,
            "unit_id": uid(unit_key), "period_end": v["period_end"],
            "value_type": v["value_type"] or "utfall", "gender": v["gender"] or "T",
            "breakdown": v["breakdown"] or "", "source_table": v["source_table"] or "",
            "period_label": v["period_label"], "value": reading.value, "missing": reading.missing,
            "old_method_value": reading.old_method if reading.old_method is not None
            else v["old_method_value"],
            "footnote": v["footnote"],
        })
    for t in sheets.get("Målvärden", []):
        unit_key = t["unit"] or ind_rows[t["indicator"]]["unit"] or root_key
        facts[m.IndicatorTarget].append({
            "round_id": rid, "indicator_id": indicators[t["indicator"]].id,
            "unit_id": uid(unit_key), "gender": t["gender"] or "T",
            "breakdown": t["breakdown"] or "", "period_end": t["period_end"],
            "source_table": t["source_table"] or "", "period_label": t["period_label"],
            "comparator": t["comparator"], "target_value": t["target_value"],
            "target_text": t["target_text"],
        })
    for r in sheets.get("Risker", []):
        p, c, v = r["probability"], r["consequence"], r["risk_value"]
        computed = v is None and p is not None and c is not None
        facts[m.RiskAssessment].append({
            "round_id": rid, "risk_id": risks[r["key"]].id, "probability": p, "consequence": c,
            "risk_value": p * c if computed else v, "risk_value_computed": computed,
            "assessment_text": r["assessment_text"],
        })
    for c in sheets.get("Kontrollmoment", []):
        code, word = c["status"] or (None, None)
        facts[m.ControlStepStatus].append({
            "round_id": rid, "control_step_id": steps[c["key"]].id, "status": code,
            "status_word": word, "status_text": c["status_text"], "comment": c["comment"],
            "comment_date": c["comment_date"],
        })
    for table, rows in facts.items():
        if rows:
            session.execute(insert(table), rows)
    session.flush()
    # The round's economy tree, stored with its lines in this transaction (rollups.py): pages read
    # it instead of rebuilding the tree per round and run.
    rollups.store(session.connection(), rid, round_obj.kind)
    # and its indicator values' status rows (indicator_status.py): pages judge their scope's
    # stored rows instead of recomputing the status from all the round's values
    indicator_status.store(session.connection(), rid)
    return round_obj


def _sort(row: dict[str, Any], position: int) -> int:
    return row["sort_order"] if row.get("sort_order") is not None else position
