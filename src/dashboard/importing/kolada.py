"""Kolada (open KPI database for all Swedish municipalities): read its JSON, validate, load.

Accepts a response of Kolada's v2 or v3 API – {"values": [...], "count", "next_page"/"next_url"} –
or a list of such pages. Each record: kpi, municipality (four digits), period (integer or string
year) and values per gender T/K/M with count, status and value, where value may be null
(missing, never 0). All or nothing, like workbook imports, and logged in the import log.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, insert, tuple_

from ..models import ImportLog, KoladaValue

API = "https://api.kolada.se/v3"
_KPI = re.compile(r"^[A-Z]\d{5}$")
_MUNI = re.compile(r"^\d{4}$")


@dataclass
class KoladaReport:
    path: Path
    errors: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse(data: object, name: str) -> KoladaReport:
    report = KoladaReport(Path(name))
    pages = data if isinstance(data, list) else [data]
    seen: dict[tuple, str] = {}
    for p_index, page in enumerate(pages):
        where_page = f"sida {p_index + 1}: " if len(pages) > 1 else ""
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            report.errors.append(f"{name}: {where_page}förväntade ett objekt med listan \"values\" (Koladas svar).")
            continue
        for r_index, rec in enumerate(page["values"]):
            where = f"{name}: {where_page}post {r_index + 1} (values[{r_index}])"
            if not isinstance(rec, dict):
                report.errors.append(f"{where}: förväntade ett objekt.")
                continue
            kpi, muni, period = rec.get("kpi"), rec.get("municipality"), rec.get("period")
            if not isinstance(kpi, str) or not _KPI.match(kpi):
                report.errors.append(f"{where}, fält kpi: värdet «{kpi}» är inget KPI-id (t.ex. N18409).")
            if isinstance(muni, int):
                muni = f"{muni:04d}"
            if not isinstance(muni, str) or not _MUNI.match(muni):
                report.errors.append(f"{where}, fält municipality: värdet «{muni}» är ingen kommunkod med fyra siffror.")
            if isinstance(period, str) and period.isdigit():
                period = int(period)
            if not isinstance(period, int) or isinstance(period, bool) or not 1990 <= period <= 2100:
                report.errors.append(f"{where}, fält period: värdet «{period}» är inget år.")
            values = rec.get("values")
            if not isinstance(values, list):
                report.errors.append(f"{where}, fält values: förväntade en lista med värden per kön.")
                continue
            for v_index, v in enumerate(values):
                vwhere = f"{where}, values[{v_index}]"
                if not isinstance(v, dict):
                    report.errors.append(f"{vwhere}: förväntade ett objekt.")
                    continue
                gender, value, count, status = v.get("gender"), v.get("value"), v.get("count"), v.get("status")
                errors_before = len(report.errors)
                if gender not in ("T", "K", "M"):
                    report.errors.append(f"{vwhere}, fält gender: värdet «{gender}» ska vara T, K eller M.")
                if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                    report.errors.append(f"{vwhere}, fält value: värdet «{value}» är inget tal (null = saknas).")
                if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
                    report.errors.append(f"{vwhere}, fält count: värdet «{count}» är inget heltal.")
                if len(report.errors) > errors_before or not all(isinstance(k, str | int) for k in (kpi, muni, period)):
                    continue
                key = (kpi, muni, period, gender)
                if key in seen:
                    report.errors.append(f"{vwhere}: dubblett av {seen[key]}.")
                seen[key] = vwhere
                if len(report.errors) > errors_before:
                    continue
                report.rows.append({"kpi": kpi, "municipality": muni, "period": period, "gender": gender,
                                    "value": None if value is None else float(value),
                                    "count": count, "status": status if isinstance(status, str) and status else None})
    if not report.errors and not report.rows:
        report.errors.append(f"{name}: filen innehåller inga värden.")
    return report


def import_file(engine: Engine, path: Path, user: str | None = None) -> KoladaReport:
    path = Path(path)
    raw = b""
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        report = KoladaReport(path, [f"{path}: filen finns inte."])
    except OSError as exc:
        report = KoladaReport(path, [f"{path}: filen kan inte läsas ({exc.strerror or exc})."])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (rad {exc.lineno}, kolumn {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        report = KoladaReport(path, [f"{path.name}: filen är inte giltig JSON{where}: {getattr(exc, 'msg', exc)}."])
    else:
        report = parse(data, path.name)
    if report.ok:
        try:
            _write(engine, report, lambda conn: _log(conn, path, raw, report, user))
            return report
        except Exception as exc:  # the transaction rolled back: nothing changed
            report.errors.append(f"databasen avvisade importen: {exc.__class__.__name__}: {exc}")
    with engine.begin() as conn:
        _log(conn, path, raw, report, user)
    return report


def _write(engine: Engine, report: KoladaReport, log=None) -> None:
    """Replace exactly the values in the file, in one transaction (with its log row: the data
    version the app caches on, see data.py)."""
    with engine.begin() as conn:
        keys = [(r["kpi"], r["municipality"], r["period"], r["gender"]) for r in report.rows]
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            conn.execute(delete(KoladaValue).where(
                tuple_(KoladaValue.kpi, KoladaValue.municipality, KoladaValue.period, KoladaValue.gender).in_(chunk)))
        conn.execute(insert(KoladaValue), report.rows)
        if log is not None:
            log(conn)


def _log(conn, path: Path, raw: bytes, report: KoladaReport, user: str | None) -> None:
    conn.execute(insert(ImportLog).values(
        imported_at=dt.datetime.now(dt.UTC), file_name=path.name,
        sha256=hashlib.sha256(raw).hexdigest() if raw else None,
        user_name=user or _user(), outcome="importerad" if report.ok else "avvisad",
        row_counts=json.dumps({"Kolada": len(report.rows)}), messages="\n".join(report.errors)[:20000]))


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:
        return None


def fetch(kpi: str, municipalities: list[str], years: list[int], base_url: str = API, timeout: float = 30) -> list[dict]:
    """Fetch pages from Kolada's API (batches of 20 municipality ids, following next_url/next_page)."""
    pages = []
    for start in range(0, len(municipalities), 20):
        batch = ",".join(municipalities[start:start + 20])
        url = f"{base_url.rstrip('/')}/data/kpi/{kpi}/municipality/{batch}/year/{','.join(str(y) for y in years)}"
        while url:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed https API
                page = json.loads(response.read().decode("utf-8"))
            pages.append({"values": page.get("values", []), "count": page.get("count")})
            url = page.get("next_url") or page.get("next_page")
    return pages
