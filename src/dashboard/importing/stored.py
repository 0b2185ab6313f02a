"""What a workbook means against what is stored: the organisation a workbook may leave out, and
stored unit keys, which never change once stored.

A workbook's unit is matched to a stored unit of the nämnd by key, then by code, then by the
stored name under the same (matched) parent; a matched unit keeps its stored key, so a renamed
unit keeps its links and history when its code or key is given.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from .. import models as m
from .dump import dump_round, latest_adopted_round
from .parse import fold_key, parse_date, parse_text
from .reader import Sheet
from .validate import Problem, Validated

_UNIT_REFS = (("Ekonomi", "unit"), ("Kommentarer", "unit"), ("Händelser", "unit"), ("Mål", "unit"),
              ("Aktiviteter", "unit"), ("Indikatorer", "unit"), ("Indikatorvärden", "unit"),
              ("Målvärden", "unit"), ("Risker", "unit"), ("Kontrollmoment", "unit"))


def _round_identity(raw: dict[str, Sheet]) -> tuple[str | None, str | None, Any]:
    sheet = raw.get("Tillfälle")
    if sheet is None or not sheet.rows:
        return None, None, None
    values = {h.strip().casefold(): v for h, v in sheet.rows[0][1].items()}
    kommun = parse_text(values.get("kommunkod"))
    namnd = (parse_text(values.get("nämndkod")) or "").upper() or None
    try:
        end = parse_date(values.get("periodslut"))
    except Exception:  # noqa: BLE001 - the validator reports a bad date
        end = None
    return kommun, namnd, end


def fill_organisation(engine: Engine | None, raw: dict[str, Sheet]) -> tuple[dict[str, Sheet], str | None]:
    """The sheets with an Organisation sheet: the workbook's own, or the one of the nämnd's latest
    adopted round (on or before this round's period end). Returns the note to show, if filled."""
    if engine is None or any(name.strip().casefold() == "organisation" for name in raw):
        return raw, None
    kommun, namnd, end = _round_identity(raw)
    if not kommun or not namnd:
        return raw, None
    try:
        round_id = latest_adopted_round(engine, kommun, namnd, before=end)
    except Exception:  # noqa: BLE001 - no database: the validator says the sheet is missing
        return raw, None
    if round_id is None:
        return raw, None
    with engine.connect() as conn:
        rnd = conn.execute(select(m.Round.kind, m.Round.period_end).where(m.Round.id == round_id)).one()
    org = dump_round(engine, round_id, sections=set())["Organisation"]
    filled = dict(raw)
    filled["Organisation"] = org
    return filled, (f"Bladet Organisation saknas: organisationen från {rnd.kind} {rnd.period_end.isoformat()} "
                    f"används ({len(org.rows)} enheter).")


def _stored_units(engine: Engine, kommun: str, namnd: str) -> list[dict[str, Any]]:
    """Every stored unit of the nämnd with its newest known code, name and parent key."""
    v = m.UnitVersion
    parent = aliased(m.OrgUnit)
    stmt = (
        select(m.OrgUnit.key, v.code, v.name, parent.key.label("parent_key"), m.Round.period_end)
        .join(v, v.unit_id == m.OrgUnit.id)
        .join(m.Round, m.Round.id == v.round_id)
        .outerjoin(parent, parent.id == v.parent_id)
        .join(m.Namnd, m.Namnd.id == m.OrgUnit.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
        .where(m.Kommun.code == kommun, m.Namnd.code == namnd)
        .order_by(m.Round.period_end)
    )
    newest: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            newest[r.key] = {"key": r.key, "code": r.code, "name": r.name, "parent": r.parent_key}
        # units that were stored but never got a version (cannot happen after 0004; kept safe)
        for (key,) in conn.execute(
            select(m.OrgUnit.key).join(m.Namnd, m.Namnd.id == m.OrgUnit.namnd_id)
            .join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Kommun.code == kommun, m.Namnd.code == namnd)
        ):
            newest.setdefault(key, {"key": key, "code": None, "name": None, "parent": None})
    return list(newest.values())


def match_stored_keys(engine: Engine | None, data: Validated) -> None:
    """Rewrite the workbook's unit keys to the stored keys they match (in place), and note each."""
    if engine is None or not data.ok or "Organisation" not in data.sheets:
        return
    rnd = data.round
    try:
        stored = _stored_units(engine, rnd["kommun_code"], rnd["namnd_code"])
    except Exception:  # noqa: BLE001 - no database here: keys stay as derived
        return
    if not stored:
        return
    by_key = {fold_key(s["key"]): s for s in stored}
    by_code: dict[str, list] = {}
    for s in stored:
        if s["code"]:
            by_code.setdefault(fold_key(str(s["code"])), []).append(s)
    org = data.sheets["Organisation"]
    rows = {u["key"]: u for u in org}
    mapping: dict[str, str] = {}
    taken: dict[str, int] = {}

    def depth(u, seen=0):
        return 0 if not u["parent"] or seen > 50 else 1 + depth(rows.get(u["parent"], {"parent": None}), seen + 1)

    for u in sorted(org, key=depth):  # parents first: a name is matched under the matched parent
        match, how = by_key.get(u["key"]), "nyckeln"
        if match is None and u.get("code") and len(by_code.get(fold_key(str(u["code"])), [])) == 1:
            match, how = by_code[fold_key(str(u["code"]))][0], "koden"
        if match is None and u.get("_key_note"):
            parent_stored = mapping.get(u["parent"], u["parent"]) if u["parent"] else None
            same = [s for s in stored if s["name"] and s["name"].casefold() == str(u["name"]).casefold()
                    and s["parent"] == parent_stored]
            if len(same) == 1:
                match, how = same[0], "namnet under samma överordnade"
        if match is None:
            continue
        if match["key"] in taken:
            data.errors.append(Problem("Organisation", u["_row"], "Enhet", u.get("name"),
                f"motsvarar samma lagrade enhet ({match['key']}) som rad {taken[match['key']]}; "
                "ange nyckeln för att skilja dem åt."))
            continue
        taken[match["key"]] = u["_row"]
        if match["key"] != u["key"]:
            mapping[u["key"]] = match["key"]
            data.key_notes.append(f"Organisation rad {u['_row']}: «{u['name']}» är den lagrade enheten "
                                  f"{match['key']} (matchad på {how}).")
    if not mapping:
        return
    for u in org:
        u["key"] = mapping.get(u["key"], u["key"])
        if u["parent"]:
            u["parent"] = mapping.get(u["parent"], u["parent"])
    if data.round.get("forvaltning_key"):
        data.round["forvaltning_key"] = mapping.get(data.round["forvaltning_key"], data.round["forvaltning_key"])
    for sheet, field in _UNIT_REFS:
        for r in data.sheets.get(sheet, []):
            if r.get(field):
                r[field] = mapping.get(r[field], r[field])
