"""Import of workbooks: read, validate everything, then write all or nothing, and log it."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from ..models import ImportLog
from .load import write
from .reader import UnreadableFile, read_source
from .validate import Problem, Validated, validate


@dataclass
class ImportReport:
    path: Path
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        out = []
        if self.summary:
            out.append(self.summary)
        if self.errors:
            out.append(f"{len(self.errors)} fel – ingenting ändrades i databasen:")
            out.extend(f"  ✕ {p}" for p in self.errors)
        if self.warnings:
            out.append(f"{len(self.warnings)} varningar:")
            out.extend(f"  ⚠ {p}" for p in self.warnings)
        if self.row_counts and self.ok:
            out.append("Rader per blad: " + ", ".join(f"{k} {v}" for k, v in self.row_counts.items()))
        return out


def check_path(path: Path) -> tuple[ImportReport, Validated | None]:
    """Read and validate only."""
    report = ImportReport(Path(path))
    try:
        raw = read_source(Path(path))
    except UnreadableFile as exc:
        report.errors.append(Problem(None, None, None, None, str(exc)))
        return report, None
    data = validate(raw)
    report.errors.extend(data.errors)
    report.warnings.extend(data.warnings)
    if data.ok:
        report.row_counts = data.row_counts()
        rnd = data.round
        report.summary = (
            f"{rnd['kommun_name']} ({rnd['kommun_code']}), {rnd['namnd_name']} ({rnd['namnd_code']}), "
            f"{rnd['kind']} {rnd['period_end'].isoformat()}, belopp i {rnd['amount_unit']}."
        )
    return report, data


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_path(
    engine: Engine, path: Path, dry_run: bool = False, user: str | None = None
) -> ImportReport:
    """Validate the whole file, then write it in one transaction (unless dry_run). Always logged."""
    path = Path(path)
    report, data = check_path(path)
    report.dry_run = dry_run
    if report.ok and data is not None and not dry_run:
        try:
            # The log row is the data version the app caches on: written in the same transaction
            # as the data, so a committed import can never be missing from the version (and a
            # reader that sees the version sees the data).
            with Session(engine) as session, session.begin():
                write(session, data)
                _log(session.connection(), path, report, data, user)
            return report
        except Exception as exc:  # a database error after validation: nothing was committed
            report.errors.append(
                Problem(None, None, None, None, f"databasen avvisade importen: {exc.__class__.__name__}: {exc}")
            )
    with engine.begin() as conn:
        _log(conn, path, report, data, user)
    return report


def _log(conn, path: Path, report: ImportReport, data: Validated | None, user: str | None) -> None:
    rnd = data.round if data is not None and data.ok else {}
    outcome = "avvisad" if not report.ok else ("provkörd" if report.dry_run else "importerad")
    messages = [f"fel: {p}" for p in report.errors] + [f"varning: {p}" for p in report.warnings]
    try:
        user_name = user or getpass.getuser()
    except Exception:
        user_name = None
    conn.execute(
        insert(ImportLog).values(
            imported_at=dt.datetime.now(dt.UTC),
            file_name=path.name,
            sha256=_sha256(path),
            user_name=user_name,
            outcome=outcome,
            kommun_code=rnd.get("kommun_code"),
            namnd_code=rnd.get("namnd_code"),
            period_end=rnd.get("period_end"),
            row_counts=json.dumps(report.row_counts, ensure_ascii=False),
            messages="\n".join(messages)[:20000],
        )
    )


__all__ = ["ImportReport", "check_path", "import_path", "Problem"]
