"""Import of workbooks: read, validate everything, compare with what is stored, then write all or
nothing – the data, the round's new version and the log entry in one transaction.

A re-import that would remove or empty what an adopted round holds, or put a draft in its place,
is refused until the user confirms (`--ersatt` / the confirm button); every version of every
round is kept and can be restored (`versioner`, `aterstall`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .. import models as m
from .changes import Plan, plan
from .dump import dump_round, latest_adopted_round, payload_to_sheets, sheets_to_payload
from .load import write
from .reader import Sheet, UnreadableFile, read_source
from .spec import SHEETS_BY_EXACT_NAME
from .stored import fill_organisation, match_stored_keys
from .validate import Problem, Validated, validate

log = logging.getLogger(__name__)


def _n(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


@dataclass
class ImportReport:
    path: Path
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)  # derived/matched keys, organisation filled in
    plan: Plan | None = None
    needs_confirmation: bool = False  # nothing written: the user must confirm what goes
    database_error: bool = False  # the database failed after validation (exit 3)
    version: int | None = None  # the round version written
    round_key: tuple[str, str, dt.date] | None = None  # kommun, nämnd, period end

    @property
    def ok(self) -> bool:
        return not self.errors and not self.needs_confirmation

    @property
    def unchanged(self) -> bool:
        """The file holds exactly the round's current version: nothing was (or would be) written."""
        return not self.errors and self.plan is not None and self.plan.identical

    def lines(self) -> list[str]:
        out = []
        if self.summary:
            out.append(self.summary)
        if self.errors:
            out.append(f"{_n(len(self.errors), 'fel', 'fel')} – ingenting ändrades i databasen:")
            out.extend(f"  ✕ {p}" for p in self.errors)
        if self.warnings:
            out.append(f"{_n(len(self.warnings), 'varning', 'varningar')}:")
            out.extend(f"  ⚠ {p}" for p in self.warnings)
        if self.notes and not self.errors:
            out.append("Nycklar och organisation:")
            out.extend(f"  · {n}" for n in self.notes)
        if self.unchanged:  # one plain sentence, not a list of changes under a heading
            out.extend(self.plan.lines())
        elif self.plan is not None and not self.errors:
            out.append("Ändringar i databasen:")
            out.extend(f"  {line}" for line in self.plan.lines(limit=None))  # the command line lists every change
        if self.needs_confirmation and self.plan is not None:
            out.append("Ingenting skrevs: importen kräver bekräftelse eftersom "
                       + " och ".join(self.plan.confirm_reasons) + ". Kör igen med --ersatt för att "
                       "ersätta (den nuvarande versionen sparas och kan återställas med aterstall).")
        if self.row_counts and not self.errors:
            out.append("Rader per blad: " + ", ".join(f"{k} {v}" for k, v in self.row_counts.items()))
        return out


def _summary(rnd: dict) -> str:
    return (f"{rnd['kommun_name']} ({rnd['kommun_code']}), {rnd['namnd_name']} ({rnd['namnd_code']}), "
            f"{rnd['kind']} {rnd['period_end'].isoformat()}, belopp i {rnd['amount_unit']}.")


def _existing(engine: Engine, rnd: dict) -> tuple[int | None, str | None, str | None, int | None]:
    """(round id, status, stored kommun name, newest version) of the round the file is for."""
    with engine.connect() as conn:
        kommun = conn.execute(select(m.Kommun.name).where(m.Kommun.code == rnd["kommun_code"])).scalar()
        row = conn.execute(
            select(m.Round.id, m.Round.status, m.Round.namnd_id)
            .join(m.Namnd, m.Namnd.id == m.Round.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Kommun.code == rnd["kommun_code"], m.Namnd.code == rnd["namnd_code"],
                   m.Round.period_end == rnd["period_end"])
        ).one_or_none()
        version = None
        if row is not None:
            version = conn.execute(select(func.max(m.RoundVersion.version)).where(
                m.RoundVersion.namnd_id == row.namnd_id, m.RoundVersion.period_end == rnd["period_end"])).scalar()
    return (row.id if row else None), (row.status if row else None), kommun, version


def prepare(engine: Engine | None, raw: dict[str, Sheet], report: ImportReport) -> tuple[Validated, dict[str, Sheet]]:
    """Validate sheets against the format and (with an engine) against what is stored."""
    sheets, note = fill_organisation(engine, raw)
    if note:
        report.notes.append(note)
    data = validate(sheets)
    match_stored_keys(engine, data)
    report.errors.extend(data.errors)
    report.warnings.extend(data.warnings)
    if not data.ok:
        return data, sheets
    report.notes.extend(data.key_notes)
    report.row_counts = data.row_counts()
    rnd = data.round
    report.summary = _summary(rnd)
    report.round_key = (rnd["kommun_code"], rnd["namnd_code"], rnd["period_end"])
    if engine is not None:
        try:
            round_id, status, kommun_name, version = _existing(engine, rnd)
        except DBAPIError:  # no database: a plain check of the file
            return data, sheets
        old = None
        if round_id is not None:
            old = validate(dump_round(engine, round_id))
        reference = None
        if round_id is None:
            ref_id = latest_adopted_round(engine, rnd["kommun_code"], rnd["namnd_code"])
            if ref_id is not None:
                reference = validate(dump_round(engine, ref_id, sections=set())).sheets.get("Organisation")
        report.plan = plan(data, old, kommun_name, status, version, reference)
        # Identical means the same sheets as the current version *and* nothing differs from what is
        # stored: only then is writing again a no-op. A file that differs only in how it is written
        # (`1 000` or `1000`, row order) is still written as a new version, and the preview says so.
        if round_id is not None and report.plan.no_changes:
            current = _current_payload(engine, rnd, version)
            report.plan.identical = current is not None and current == _payload_json(sheets)
    return data, sheets


def _current_payload(engine: Engine, rnd: dict, version: int | None) -> object | None:
    if version is None:
        return None
    with engine.connect() as conn:
        payload = conn.execute(
            select(m.RoundVersion.payload).join(m.Namnd, m.Namnd.id == m.RoundVersion.namnd_id)
            .join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Kommun.code == rnd["kommun_code"], m.Namnd.code == rnd["namnd_code"],
                   m.RoundVersion.period_end == rnd["period_end"], m.RoundVersion.version == version)).scalar()
    return None if payload is None else json.loads(zlib.decompress(payload))


def check_path(path: Path, engine: Engine | None = None) -> tuple[ImportReport, Validated | None]:
    """Read and validate only (against the database when an engine is given)."""
    report = ImportReport(Path(path))
    try:
        raw = read_source(Path(path))
    except UnreadableFile as exc:
        report.errors.append(Problem(None, None, None, None, str(exc)))
        return report, None
    data, _ = prepare(engine, raw, report)
    return report, data


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _user(user: str | None) -> str | None:
    try:
        return user or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return None


def _payload(sheets: dict[str, Sheet]) -> bytes:
    kept = {name: sheet for name, sheet in sheets.items() if name in SHEETS_BY_EXACT_NAME}
    return zlib.compress(json.dumps(sheets_to_payload(kept), ensure_ascii=False).encode("utf-8"))


def _payload_json(sheets: dict[str, Sheet]) -> object:
    """The payload as it reads back from the database, to compare with a stored version."""
    return json.loads(zlib.decompress(_payload(sheets)))


def import_path(engine: Engine, path: Path, dry_run: bool = False, user: str | None = None,
                confirm: bool = False, allow_kommun_rename: bool = True) -> ImportReport:
    """Validate the whole file, then write it in one transaction (unless dry_run or it needs a
    confirmation that was not given). Always logged."""
    path = Path(path)
    report = ImportReport(path, dry_run=dry_run)
    try:
        raw = read_source(path)
    except UnreadableFile as exc:
        report.errors.append(Problem(None, None, None, None, str(exc)))
        _log(engine, path.name, _sha256(path), report, None, user)
        return report
    return import_sheets(engine, raw, path.name, _sha256(path), report, user, confirm,
                         allow_kommun_rename=allow_kommun_rename)


def import_sheets(engine: Engine, raw: dict[str, Sheet], file_name: str, sha256: str | None,
                  report: ImportReport, user: str | None, confirm: bool, note: str | None = None,
                  allow_kommun_rename: bool = True) -> ImportReport:
    try:
        data, sheets = prepare(engine, raw, report)
    except DBAPIError as exc:  # the database failed while comparing
        return _database_failed(engine, report, file_name, sha256, user, exc)
    if not data.ok:
        _log(engine, file_name, sha256, report, None, user)
        return report
    if report.plan is not None and report.plan.kommun_rename and not allow_kommun_rename:
        report.errors.append(Problem("Tillfälle", 2, "Kommun", data.round["kommun_name"],
            f"kommunen heter «{report.plan.kommun_rename[0]}» i databasen; bara en administratör kan byta "
            "kommunens namn. Skriv det lagrade namnet, eller be en administratör."))
        _log(engine, file_name, sha256, report, None, user)
        return report
    if report.unchanged:  # the same content again: logged, but no write and no new version
        report.version = report.plan.old_version
        _log(engine, file_name, sha256, report, data, user)
        return report
    if report.plan is not None and report.plan.needs_confirmation and not confirm:
        report.needs_confirmation = True
        report.dry_run = True
        _log(engine, file_name, sha256, report, data, user)
        return report
    if report.dry_run:
        _log(engine, file_name, sha256, report, data, user)
        return report
    data.rename_kommun = bool(report.plan and report.plan.kommun_rename)
    try:
        existing_id = _existing(engine, data.round)[0]
        if existing_id is not None:  # what it replaces stays restorable, also for older databases
            ensure_versions(engine, [existing_id])
        # The log row is the data version the app caches on: written in the same transaction as
        # the data, so a committed import can never be missing from the version.
        with Session(engine) as session, session.begin():
            round_obj = write(session, data)
            report.version = _store_version(session, round_obj, sheets, file_name, sha256, _user(user), note)
            _log_row(session, file_name, sha256, report, data, user)
    except DBAPIError as exc:  # a database error after validation: nothing was committed
        return _database_failed(engine, report, file_name, sha256, user, exc)
    return report


def _database_failed(engine, report, file_name, sha256, user, exc) -> ImportReport:
    log.exception("Importen av %s avbröts av databasen", file_name)
    report.database_error = True
    report.errors.append(Problem(None, None, None, None,
        "databasen kunde inte ta emot importen (den svarar inte eller avbröt skrivningen); ingenting "
        "ändrades. Kontrollera att databasen är igång och försök igen. Detaljer finns i serverns logg."))
    try:
        _log(engine, file_name, sha256, report, None, user)
    except Exception:  # noqa: BLE001 - the log is best effort when the database is gone
        log.warning("Importförsöket kunde inte loggas: databasen svarar inte.")
    return report


def _store_version(session: Session, round_obj: m.Round, sheets: dict[str, Sheet], file_name: str,
                   sha256: str | None, user: str | None, note: str | None) -> int:
    """Keep the workbook as the round's newest version (the previous versions stay)."""
    newest = session.scalar(select(func.max(m.RoundVersion.version)).where(
        m.RoundVersion.namnd_id == round_obj.namnd_id, m.RoundVersion.period_end == round_obj.period_end)) or 0
    session.add(m.RoundVersion(
        namnd_id=round_obj.namnd_id, period_end=round_obj.period_end, version=newest + 1,
        created_at=dt.datetime.now(dt.UTC), user_name=user, file_name=file_name, sha256=sha256,
        kind=round_obj.kind, status=round_obj.status, note=note, payload=_payload(sheets)))
    session.flush()
    return newest + 1


def ensure_versions(engine: Engine, round_ids: list[int] | None = None) -> int:
    """Give every round without a stored version its current content as version 1 (init-db does
    this after upgrading a database imported before versions were kept; an import does it for the
    round it is about to replace). Returns how many."""
    stmt = select(m.Round.id).where(~select(m.RoundVersion.id).where(
        m.RoundVersion.namnd_id == m.Round.namnd_id,
        m.RoundVersion.period_end == m.Round.period_end).exists())
    if round_ids is not None:
        stmt = stmt.where(m.Round.id.in_(round_ids))
    with engine.connect() as conn:
        missing = conn.execute(stmt).scalars().all()
    for round_id in missing:
        sheets = dump_round(engine, round_id)
        with Session(engine) as session, session.begin():
            r = session.get(m.Round, round_id)
            session.add(m.RoundVersion(
                namnd_id=r.namnd_id, period_end=r.period_end, version=1, created_at=dt.datetime.now(dt.UTC),
                user_name="init-db", file_name=None, sha256=None, kind=r.kind, status=r.status,
                note="inläst före versionshanteringen", payload=_payload(sheets)))
    return len(missing)


def round_versions(engine: Engine, kommun: str, namnd: str, period_end: dt.date) -> list[dict]:
    """Every stored version of a round, newest first, with which one is current."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.RoundVersion.version, m.RoundVersion.created_at, m.RoundVersion.user_name,
                   m.RoundVersion.file_name, m.RoundVersion.kind, m.RoundVersion.status, m.RoundVersion.note,
                   m.RoundVersion.sha256)
            .join(m.Namnd, m.Namnd.id == m.RoundVersion.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Kommun.code == kommun, m.Namnd.code == namnd.upper(), m.RoundVersion.period_end == period_end)
            .order_by(m.RoundVersion.version.desc())
        ).all()
    out = [dict(r._mapping) for r in rows]
    for i, r in enumerate(out):
        r["current"] = i == 0
    return out


class VersionNotFound(LookupError):
    """The round or version does not exist; the message is Swedish."""


def restore(engine: Engine, kommun: str, namnd: str, period_end: dt.date, version: int,
            user: str | None = None) -> ImportReport:
    """Make an earlier version the round's content again (itself a new version, logged as an import)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(m.RoundVersion.payload, m.RoundVersion.file_name)
            .join(m.Namnd, m.Namnd.id == m.RoundVersion.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id)
            .where(m.Kommun.code == kommun, m.Namnd.code == namnd.upper(), m.RoundVersion.period_end == period_end,
                   m.RoundVersion.version == version)
        ).one_or_none()
    if row is None:
        available = [v["version"] for v in round_versions(engine, kommun, namnd, period_end)]
        raise VersionNotFound(
            f"Det finns ingen version {version} av {namnd.upper()} {period_end.isoformat()} i kommun {kommun}"
            + (f"; sparade versioner: {', '.join(str(v) for v in available)}." if available else "; tillfället finns inte."))
    sheets = payload_to_sheets(json.loads(zlib.decompress(row.payload)))
    name = f"version {version}" + (f" ({row.file_name})" if row.file_name else "")
    report = ImportReport(Path(name))
    return import_sheets(engine, sheets, f"återställd {name}", None, report, user, confirm=True,
                         note=f"återställd från version {version}")


def _log(engine: Engine, file_name: str, sha256: str | None, report: ImportReport, data: Validated | None,
         user: str | None) -> None:
    with Session(engine) as session, session.begin():
        _log_row(session, file_name, sha256, report, data, user)


def _log_row(session: Session, file_name: str, sha256: str | None, report: ImportReport,
             data: Validated | None, user: str | None) -> None:
    rnd = data.round if data is not None and data.ok else {}
    if report.errors:
        outcome = "avvisad"
    elif report.needs_confirmation:
        outcome = "kräver bekräftelse"  # the column holds 20 characters: the word must fit whole
    elif report.unchanged:
        outcome = "inga ändringar"
    elif report.dry_run:
        outcome = "provkörd"
    else:
        outcome = "importerad"
    messages = [f"fel: {p}" for p in report.errors] + [f"varning: {p}" for p in report.warnings]
    session.execute(
        insert(m.ImportLog).values(
            imported_at=dt.datetime.now(dt.UTC),
            file_name=file_name[:500],
            sha256=sha256,
            user_name=_user(user),
            outcome=outcome[:20],
            kommun_code=rnd.get("kommun_code"),
            namnd_code=rnd.get("namnd_code"),
            period_end=rnd.get("period_end"),
            row_counts=json.dumps(report.row_counts, ensure_ascii=False),
            messages="\n".join(messages)[:20000],
            changes=json.dumps(report.plan.as_json(), ensure_ascii=False) if report.plan is not None else None,
            version=report.version,
        )
    )


# Rows logged before the outcome fitted its column (String(20)) hold a cut word; the log shows it whole.
_OUTCOME_SHOWN = {"väntar på bekräftels": "kräver bekräftelse"}


def _changes_text(changes: dict) -> str:
    """The plan's lines as one text for the log (the first line, new or replaced, is in Utfall)."""
    lines = [line.strip() for line in changes.get("lines", [])]
    return " ".join(lines if changes.get("identical") else lines[1:])


def import_log(engine: Engine, limit: int = 50, kommun: str | None = None, namnd: str | None = None) -> list[dict]:
    """The newest log entries, with what each import did in words."""
    stmt = select(m.ImportLog).order_by(m.ImportLog.id.desc()).limit(limit)
    if kommun:
        stmt = stmt.where(m.ImportLog.kommun_code == kommun)
    if namnd:
        stmt = stmt.where(m.ImportLog.namnd_code == namnd.upper())
    with Session(engine) as session:
        rows = session.scalars(stmt).all()
        out = []
        for r in rows:
            changes = json.loads(r.changes) if r.changes else {}
            errors = [line for line in (r.messages or "").split("\n") if line.startswith("fel: ")]
            out.append({
                "tid": r.imported_at, "användare": r.user_name, "fil": r.file_name,
                "utfall": _OUTCOME_SHOWN.get(r.outcome, r.outcome),
                "kommun": r.kommun_code, "nämnd": r.namnd_code, "tillfälle": r.period_end, "version": r.version,
                "ändringar": _changes_text(changes),
                "fel": len(errors),
            })
    return out


__all__ = ["ImportReport", "check_path", "import_path", "import_sheets", "restore", "round_versions",
           "ensure_versions", "import_log", "Problem", "VersionNotFound"]
