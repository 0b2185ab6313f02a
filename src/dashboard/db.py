"""Engine creation, schema migration (Alembic) and first-start loading of the built-in data."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select, text

from . import config
from .models import Base, Round


log = logging.getLogger(__name__)

UNAVAILABLE = ("Databasen kan inte nås. Kontrollera DASHBOARD_DATABASE_URL och att databasservern "
               "är igång; försök sedan igen.")


class DatabaseUnavailable(Exception):
    """The database cannot be reached. The message is Swedish and carries no driver text, server
    address or link (those go to the log); the command line adds which database (no password)."""

    def __init__(self, message: str = UNAVAILABLE, where: str | None = None):
        super().__init__(message)
        self.where = where


def unavailable(engine: Engine | None, exc: BaseException) -> DatabaseUnavailable:
    """The user's words for a driver error; the driver's own text only in the log."""
    where = (engine.url.set(drivername=engine.url.get_backend_name()).render_as_string(hide_password=True)
             if engine is not None else None)  # which database, for the operator; no password, no driver
    log.warning("databasen %s kan inte nås: %s", where or "?", getattr(exc, "orig", None) or exc)
    return DatabaseUnavailable(UNAVAILABLE, where)


def _private_file(path: Path) -> None:
    """Create a file readable and writable by its owner only (whatever the umask): the SQLite
    database and its lock file must not be writable by other users on the machine."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def make_engine(url: str | None = None) -> Engine:
    url = url or config.database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        db_file = Path(url[len("sqlite:///"):])
        db_file.parent.mkdir(parents=True, exist_ok=True)
        if db_file.name and db_file.name != ":memory:":
            _private_file(db_file)  # SQLite would create it (and -wal/-shm alike) under the umask
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # foreign keys are off by default in SQLite
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # 8 MiB of page cache per connection instead of SQLite's 2: a new round's reads at
            # full scale thrashed the default (docs/benchmark.md, thirteenth round)
            cur.execute("PRAGMA cache_size=-8192")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def describe(engine: Engine) -> str:
    """A URL safe to print (no password)."""
    return engine.url.render_as_string(hide_password=True)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", describe(engine).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the latest Alembic revision."""
    from alembic import command

    cfg = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Batch migrations recreate tables that others reference; with foreign keys on, SQLite
            # would refuse to drop the old copy. The pragma only works outside a transaction,
            # and the whole database is checked before it is switched back on.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        if sqlite:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            if broken:
                raise RuntimeError(f"Uppgraderingen lämnade trasiga referenser: {broken[:5]}")


@contextlib.contextmanager
def init_lock(engine: Engine) -> Iterator[None]:
    """Serialise init-db between processes: an advisory lock on PostgreSQL, a file lock on SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(580258025)"))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(580258025)"))
                conn.commit()
    else:
        db_path = engine.url.database or ""
        lock_path = Path(db_path + ".lock") if db_path and db_path != ":memory:" else None
        if lock_path is None:
            yield
            return
        _private_file(lock_path)  # not world-writable under umask 000 (issue 10.11)
        with open(lock_path, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Round)).scalar_one() == 0


def init_db(engine: Engine, load_builtin: bool = True, user: str | None = None) -> list[str]:
    """Create/upgrade the schema; load the built-in workbooks when there is no data. Returns log lines."""
    from .importing import ensure_versions, import_path

    lines: list[str] = []
    try:
        with init_lock(engine):
            upgrade(engine)
            lines.append(f"Schemat är aktuellt i {describe(engine)}.")
            kept = ensure_versions(engine)  # rounds imported before versions were kept
            if kept:
                lines.append(f"Sparade nuvarande innehåll som version 1 för {kept} "
                             f"{'tillfälle' if kept == 1 else 'tillfällen'}.")
            from .rollups import backfill

            built = backfill(engine)  # rounds imported before the roll-ups were stored (0005)
            if built:
                lines.append(f"Beräknade ekonomins summeringar för {built} "
                             f"{'tillfälle' if built == 1 else 'tillfällen'} som lästes in tidigare.")
            from .indicator_status import backfill as backfill_status

            judged = backfill_status(engine)  # rounds imported before the status rows (0006) or judged status (0007)
            if judged:
                lines.append(f"Beräknade indikatorernas status mot målvärde för {judged} "
                             f"{'tillfälle' if judged == 1 else 'tillfällen'} som lästes in tidigare.")
            if load_builtin and is_empty(engine):
                for path in config.builtin_workbooks():
                    report = import_path(engine, path, user=user or "init-db")
                    if not report.ok:
                        raise RuntimeError(
                            f"Den inbyggda arbetsboken {path.name} kunde inte läsas in:\n"
                            + "\n".join(str(p) for p in report.errors)
                        )
                    lines.append(f"Läste in {path.name}.")
            elif load_builtin:
                lines.append("Databasen har redan data; inga inbyggda arbetsböcker lästes in.")
    except RuntimeError:
        raise
    except Exception as exc:  # driver errors vary; say which database and what happened
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise unavailable(engine, exc) from None
        raise
    return lines


def ensure_ready(engine: Engine) -> None:
    """Called by the app on start: schema up to date, built-in data on an empty database."""
    init_db(engine)


__all__ = ["Base", "make_engine", "init_db", "upgrade", "ensure_ready", "DatabaseUnavailable"]
