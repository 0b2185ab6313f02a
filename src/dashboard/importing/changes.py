"""What an import adds, replaces and removes, worked out before anything is written.

The stored round (dumped back to sheets and validated like a workbook) is compared row by row
with the new file. Replacing an adopted round with one that has less in it, or with a draft of
the same period, or renaming the kommun, needs the user's explicit confirmation; everything else
is shown and logged. Every version stays restorable (`aterstall`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .. import formatting as fmt
from .spec import SHEETS_BY_EXACT_NAME
from .validate import Validated

AMOUNT_LABELS = {
    "Ekonomi": ("unit", {"budget_year": "Budget helår", "budget_period": "Periodbudget",
                         "actual_period": "Utfall period", "deviation_period": "Periodavvikelse",
                         "forecast_net": "Prognos helår", "forecast_deviation": "Prognosavvikelse",
                         "actual_prev_period": "Utfall samma period fg år", "bokslut_prev_year": "Bokslut fg år",
                         "budget_share_pct": "Andel av budget"}),
    "Resultaträkning": ("name", {"actual_period": "Utfall period", "budget_year": "Budget helår",
                                 "forecast_year": "Prognos helår", "actual_prev_period": "Utfall samma period fg år"}),
    "Investeringar": ("project_key", {"actual": "Redovisat", "forecast": "Prognos helår", "budget": "Budget helår",
                                      "deviation": "Avvikelse"}),
    "Mål": ("key", {"status": "Bedömning"}),
    "Aktiviteter": ("key", {"status": "Status"}),
    "Kontrollmoment": ("key", {"status": "Status"}),
}
_ROW_KEYS = {
    "Organisation": ("key",), "Ekonomi": ("unit",), "Resultaträkning": ("name",),
    "Intäkter och kostnader": ("kind", "category"), "Investeringar": ("project_key",),
    "Kommentarer": ("unit", "section", "heading"), "Händelser": ("heading", "event_date"),
    "Mål": ("key",), "Aktiviteter": ("key",), "Indikatorer": ("key",),
    "Indikatorvärden": ("indicator", "unit", "period_end", "value_type", "gender", "breakdown", "source_table"),
    "Målvärden": ("indicator", "unit", "gender", "breakdown", "period_end", "source_table"),
    "Risker": ("key",), "Kontrollmoment": ("key",),
}
_SECTIONS = [name for name in _ROW_KEYS if name != "Organisation"]


def _n(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


_DEFAULTS = {"gender": "T", "value_type": "utfall", "breakdown": "", "source_table": ""}


def _index(rows: list[dict[str, Any]], sheet: str) -> dict[tuple, dict[str, Any]]:
    """Rows by their natural key; repeated keys (two comments with one heading) get a running number."""
    seen: Counter = Counter()
    out = {}
    for r in rows:
        key = tuple(str(r.get(f) if r.get(f) is not None else _DEFAULTS.get(f, "")) for f in _ROW_KEYS[sheet])
        seen[key] += 1
        out[key + (seen[key],)] = r
    return out


def _label(sheet: str, row: dict[str, Any]) -> str:
    if sheet == "Organisation":
        return f"{row.get('name')} ({row.get('key')})"
    if sheet in ("Mål", "Aktiviteter", "Indikatorer", "Risker", "Kontrollmoment", "Resultaträkning",
                 "Investeringar") and row.get("name"):
        return str(row["name"])
    if sheet == "Ekonomi":
        return str(row.get("unit"))
    if sheet in ("Kommentarer", "Händelser"):
        return str(row.get("heading") or row.get("section") or "")
    if sheet in ("Indikatorvärden", "Målvärden"):
        gender = {"K": " kvinnor", "M": " män"}.get(row.get("gender") or "T", "")
        return f"{row.get('indicator')} {row.get('period_label')}{gender}"
    return ", ".join(str(row.get(f)) for f in _ROW_KEYS[sheet] if row.get(f) not in (None, ""))


# The Tillfälle fields a re-import can change without touching a row (status and the kommun's
# name have their own lines and confirmations).
_ROUND_FIELDS = ("namnd_name", "kind", "amount_unit", "decimals", "report_title", "adopted_date",
                 "adopted_paragraph", "forvaltning_key")
# Longer texts are named, not quoted: a changed comment of 400 characters does not fit a line.
_QUOTE_MAX = 60


def _unit_label(key: Any, org: dict[str, dict[str, Any]]) -> str:
    """`575 Ekonomiskt bistånd` (code and name), `Enhet B (skola/b)` without a code."""
    unit = org.get(str(key)) or {}
    name, code = unit.get("name"), unit.get("code")
    if not name:
        return str(key)
    return f"{code} {name}" if code else f"{name} ({key})"


def _row_label(sheet: str, row: dict[str, Any], org: dict[str, dict[str, Any]],
               indicators: dict[str, str] | None = None) -> str:
    if sheet == "Ekonomi":
        return _unit_label(row.get("unit"), org)
    if sheet == "Organisation":
        return _unit_label(row.get("key"), org)
    if sheet in ("Indikatorvärden", "Målvärden") and indicators:  # the indicator's name, not its key
        row = row | {"indicator": indicators.get(str(row.get("indicator")), row.get("indicator"))}
    return _label(sheet, row)


def _number(value: float) -> str:
    """A figure as the user wrote it: no decimals invented, none dropped (up to 6)."""
    decimals = 0
    while decimals < 6 and round(value, decimals) != value:
        decimals += 1
    return fmt.number(value, decimals)


def _shown(value: Any, kind: str, unit: str | None = None, decimals: int = 0) -> str:
    """A stored value as the change line shows it, in Swedish format (`17,0`, `−2 500`, «text»)."""
    if hasattr(value, "value") and hasattr(value, "missing"):  # IndicatorReading
        if value.missing:
            return "I.U."
        text = _shown(value.value, "number")
        return text + (f" ({_shown(value.old_method, 'number')})" if value.old_method is not None else "")
    if isinstance(value, tuple):  # a status: (code, the report's word)
        value = value[1] if len(value) > 1 and value[1] else value[0]
    if value is None or value == "":
        return "tomt"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return fmt.number(value, decimals) if kind == "amount" else _number(float(value))
    return f"«{value}»"


def _field_change(header: str, kind: str, was: Any, now: Any, old_round: dict, new_round: dict) -> str:
    if kind == "amount":
        old_unit, new_unit = old_round.get("amount_unit") or "tkr", new_round.get("amount_unit") or "tkr"
        old_dec, new_dec = int(old_round.get("decimals") or 0), int(new_round.get("decimals") or 0)
        before, after = _shown(was, kind, old_unit, old_dec), _shown(now, kind, new_unit, new_dec)
        if old_unit == new_unit:
            return f"{header} {before} → {after}" + (f"{fmt.NBSP}{new_unit}" if now is not None else "")
        return (f"{header} {before}" + (f"{fmt.NBSP}{old_unit}" if was is not None else "") + f" → {after}"
                + (f"{fmt.NBSP}{new_unit}" if now is not None else ""))
    if kind == "text" and any(isinstance(v, str) and len(v) > _QUOTE_MAX for v in (was, now)):
        return f"{header} ändras" if was and now else f"{header} {'läggs till' if now else 'töms'}"
    return f"{header} {_shown(was, kind)} → {_shown(now, kind)}"


def _row_changes(sheet: str, before: dict[str, Any], after: dict[str, Any], old: Validated,
                 new: Validated) -> list[str]:
    """`Prognosavvikelse 17,0 → 18,0 mnkr` for each field that differs, in the sheet's column order."""
    was, now = _comparable(before), _comparable(after)
    columns = SHEETS_BY_EXACT_NAME[sheet].columns
    # compared as stored, shown as read (an indicator value as its figure or I.U., not its parts)
    out = [_field_change(c.header, c.kind, before.get(c.field), after.get(c.field), old.round, new.round)
           for c in columns if c.field in was.keys() | now.keys() and was.get(c.field) != now.get(c.field)]
    known = {c.field for c in columns}
    if any(f not in known and was.get(f) != now.get(f) for f in was.keys() | now.keys()):
        out.append("övriga uppgifter ändras")  # a derived field: say so rather than hide it
    return out


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k.startswith("_") or k == "sort_order":  # order is not content (a dump numbers every row)
            continue
        if hasattr(v, "value") and hasattr(v, "missing"):  # IndicatorReading
            v = (v.value, v.missing, v.old_method)
        if v is None and k in _DEFAULTS:
            v = _DEFAULTS[k]
        out[k] = v
    return out


def _some(items: list[str], sep: str, limit: int | None) -> str:
    """The first `limit` items and "och N till" (all of them when limit is None)."""
    if limit is None or len(items) <= limit:
        return sep.join(items)
    return sep.join(items[:limit]) + f" och {len(items) - limit} till"


@dataclass
class Plan:
    """What an import would do to the database. `lines()` is what the user reads."""

    action: str  # "ny" | "ersätter"
    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    # Every changed row in words: `Ekonomi: 575 Ekonomiskt bistånd – Prognosavvikelse 17,0 → 18,0 mnkr`
    changes: list[str] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)  # sheet -> labels of removed rows
    removed_sections: dict[str, int] = field(default_factory=dict)
    not_reported: list[str] = field(default_factory=list)  # figures that become "not reported"
    units_gone: list[str] = field(default_factory=list)  # units the round no longer reports
    status_change: tuple[str, str] | None = None
    kommun_rename: tuple[str, str] | None = None
    old_version: int | None = None
    confirm_reasons: list[str] = field(default_factory=list)
    # The file holds exactly what the round's current version holds (set by `importing.prepare`):
    # nothing is written and no version is added.
    identical: bool = False

    @property
    def no_changes(self) -> bool:
        """The stored round and the file hold the same figures, texts and Tillfälle."""
        return self.action != "ny" and not (
            self.added or self.replaced or self.changes or self.removed or self.removed_sections
            or self.not_reported or self.units_gone or self.status_change or self.kommun_rename)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.confirm_reasons)

    @property
    def loses_anything(self) -> bool:
        return bool(self.removed or self.removed_sections or self.not_reported)

    def lines(self, limit: int | None = 8) -> list[str]:
        """What the user reads; changed rows as indented `  – …` lines, `limit` of them (None: all)."""
        out: list[str] = []
        version = f" (version {self.old_version})" if self.old_version else ""
        if self.identical:
            return [f"Inga ändringar mot det lagrade tillfället{version}: filen har samma innehåll som det som "
                    "redan är lagrat. Ingenting skrivs och ingen ny version sparas."]
        if self.action == "ny":
            out.append("Tillfället finns inte i databasen och läggs till.")
        else:
            out.append(f"Tillfället finns redan och ersätts{version}; den nuvarande versionen sparas och kan återställas.")
        if self.status_change:
            out.append(f"Status ändras från {self.status_change[0]} till {self.status_change[1]}.")
        if self.kommun_rename:
            out.append(f"Kommunens namn ändras från «{self.kommun_rename[0]}» till «{self.kommun_rename[1]}» "
                       "för alla nämnder i kommunen.")
        for sheet, count in self.removed_sections.items():
            out.append(f"Tas bort: bladet {sheet} finns inte i den nya filen ({_n(count, 'rad', 'rader')} "
                       "blir «inte rapporterat»).")
        for sheet, labels in self.removed.items():
            shown = _some(labels, ", ", limit)
            out.append(f"Tas bort ur {sheet}: {_n(len(labels), 'rad', 'rader')} som inte finns i den nya filen ({shown}).")
        if self.not_reported:
            shown = _some(self.not_reported, "; ", limit)
            out.append(f"Blir «inte rapporterat»: {_n(len(self.not_reported), 'uppgift', 'uppgifter')} som finns nu "
                       f"men är tomma i den nya filen ({shown}).")
        if self.units_gone:
            shown = _some(self.units_gone, ", ", limit)
            out.append(f"Redovisas inte längre i detta tillfälle: {_n(len(self.units_gone), 'enhet', 'enheter')} "
                       f"({shown}); de finns kvar med sin historik i andra tillfällen.")
        if self.added:
            out.append("Läggs till: " + ", ".join(f"{sheet} {_n(n, 'rad', 'rader')}" for sheet, n in self.added.items()) + ".")
        if self.changes:
            counts = ", ".join(f"{sheet} {_n(n, 'rad', 'rader')}" for sheet, n in self.replaced.items())
            out.append(f"Ändras: {counts}:" if counts else "Ändras:")
            shown = self.changes if limit is None else self.changes[:limit]
            out.extend(f"  – {line}" for line in shown)
            if len(self.changes) > len(shown):
                out.append(f"  – och {len(self.changes) - len(shown)} till")
        if self.no_changes:
            out.append(f"Inga ändringar i uppgifterna mot det lagrade tillfället{version}; filen skiljer sig bara i "
                       "skrivsätt eller radordning och sparas som en ny version.")
        return out

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "added": self.added, "replaced": self.replaced,
                "removed": {k: len(v) for k, v in self.removed.items()},
                "removed_sections": self.removed_sections, "not_reported": len(self.not_reported),
                "units_gone": self.units_gone, "status_change": self.status_change,
                "kommun_rename": self.kommun_rename, "identical": self.identical,
                "lines": self.lines(), "changes": self.changes}


def _effective(data: Validated, sheet: str) -> list[dict[str, Any]] | None:
    """Rows as they are stored: an indicator value without Enhet belongs to the indicator's unit,
    else the root (as `load.write` does), so a file and its stored dump compare equal."""
    rows = data.sheets.get(sheet)
    if rows is None or sheet not in ("Indikatorvärden", "Målvärden"):
        return rows
    indicators = {i["key"]: i for i in data.sheets.get("Indikatorer", [])}
    root = next((u["key"] for u in data.sheets.get("Organisation", []) if u.get("level") in ("nämnd", "kommun")), None)
    return [r if r.get("unit") else r | {"unit": (indicators.get(r.get("indicator")) or {}).get("unit") or root}
            for r in rows]


def plan(new: Validated, old: Validated | None, stored_kommun_name: str | None = None,
         old_status: str | None = None, old_version: int | None = None,
         reference_org: list[dict[str, Any]] | None = None) -> Plan:
    """Compare the new file with the stored round (`old`, validated from its dump), if any.
    `reference_org`: for a new round, the organisation of the nämnd's latest adopted round."""
    p = Plan("ny" if old is None else "ersätter", old_version=old_version)
    rnd = new.round
    if stored_kommun_name is not None and stored_kommun_name != rnd["kommun_name"]:
        p.kommun_rename = (stored_kommun_name, rnd["kommun_name"])
        p.confirm_reasons.append("kommunens namn ändras för alla dess nämnder")
    if old is None:
        for sheet in _SECTIONS:
            if new.sheets.get(sheet):
                p.added[sheet] = len(new.sheets[sheet])
        if reference_org:
            new_keys = {u["key"] for u in new.sheets.get("Organisation", [])}
            p.units_gone = [f"{u['name']} ({u['key']})" for u in reference_org
                            if u["key"] not in new_keys and not u.get("historical")]
        return p
    adopted = (old_status or "fastställd") == "fastställd"
    if old_status and old_status != rnd["status"]:
        p.status_change = (old_status, rnd["status"])
    headers = {c.field: c for c in SHEETS_BY_EXACT_NAME["Tillfälle"].columns}
    for f in _ROUND_FIELDS:
        was, now = old.round.get(f), rnd.get(f)
        if f == "decimals":
            was, now = was or 0, now or 0
        if was != now:
            c = headers[f]
            p.replaced["Tillfälle"] = 1
            p.changes.append(f"Tillfälle: {_field_change(c.header, c.kind, was, now, old.round, rnd)}")
    for sheet in _ROW_KEYS:
        old_rows, new_rows = _effective(old, sheet), _effective(new, sheet)
        if old_rows and new_rows is None:
            if sheet != "Organisation":
                p.removed_sections[sheet] = len(old_rows)
            continue
        if not new_rows:
            continue
        if old_rows is None:
            p.added[sheet] = len(new_rows)
            continue
        before, after = _index(old_rows, sheet), _index(new_rows, sheet)
        gone = [k for k in before if k not in after]
        if gone:
            labels = [_label(sheet, before[k]) for k in gone]
            if sheet == "Organisation":
                p.units_gone = labels
            else:
                p.removed[sheet] = labels
        added = [k for k in after if k not in before]
        if added:
            p.added[sheet] = len(added)
        changed = [k for k in after if k in before and _comparable(after[k]) != _comparable(before[k])]
        if changed:
            p.replaced[sheet] = len(changed)
            org = {str(u.get("key")): u for u in (new.sheets.get("Organisation") or old.sheets.get("Organisation") or [])}
            indicators = {str(i.get("key")): str(i.get("name")) for i in new.sheets.get("Indikatorer") or [] if i.get("name")}
            for k in changed:
                what = ", ".join(_row_changes(sheet, before[k], after[k], old, new))
                p.changes.append(f"{sheet}: {_row_label(sheet, after[k], org, indicators)} – {what}")
        if sheet in AMOUNT_LABELS:
            label_field, fields = AMOUNT_LABELS[sheet]
            for k in after:
                if k not in before:
                    continue
                for f, header in fields.items():
                    was, now = before[k].get(f), after[k].get(f)
                    if f == "status":
                        was, now = (was or (None,))[0], (now or (None,))[0]
                    if was is not None and now is None:
                        p.not_reported.append(f"{sheet}: {after[k].get(label_field)} – {header}")
    if adopted and p.loses_anything:
        p.confirm_reasons.append("ett fastställt tillfälle förlorar uppgifter")
    if adopted and rnd["status"] == "utkast":
        p.confirm_reasons.append("ett fastställt tillfälle ersätts med ett utkast")
    return p


__all__ = ["Plan", "plan", "SHEETS_BY_EXACT_NAME"]
