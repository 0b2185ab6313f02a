"""Shared fixtures: real SQLite and real PostgreSQL databases, built-in data, snapshots."""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from dashboard import config
from dashboard.db import init_db, make_engine, upgrade
from dashboard.models import DATA_TABLES

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# A page bug must fail the tests (AppTest's exception, Streamlit's box in the browser tests), not hide
# behind the Swedish "Sidan kunde inte visas" a reader gets; tests/test_faults.py turns it off to see that.
os.environ["DASHBOARD_RAISE_PAGE_ERRORS"] = "1"
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


# With pytest-xdist (`-n 2 --dist loadfile --no-loadscope-reorder`) whole files go to the workers in
# collection order. The longest files go first, so that the last file a worker starts is a
# short one and both workers finish at about the same time. Rough seconds per file of a two-worker
# run on the 2-core machine (its junit times); a file not listed keeps its place after these.
SLOW_FILES = {
    "test_browser_presentation.py": 312, "test_navigation_browser.py": 312, "test_projector.py": 249,
    "test_pages.py": 245, "test_signin.py": 217, "test_hardening_browser.py": 213, "test_bench.py": 175,
    "test_browser.py": 155, "test_import_own_data.py": 133, "test_report.py": 121, "test_faults.py": 105,
    "test_draft_names.py": 101, "test_export.py": 94, "test_indicators.py": 93, "test_navigation.py": 84,
    "test_import_bad_input.py": 71, "test_export_layout.py": 64, "test_bokslut.py": 61,
    "test_speed_equivalence.py": 55, "test_import.py": 54, "test_rollup_pairs.py": 48,
    "test_indicator_specs.py": 48, "test_rollup_store.py": 45, "test_browser_bokslut.py": 40,
    "test_scaleout.py": 30,
}


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # a plain run keeps the files in alphabetical order
    # stable: a file's tests keep their order, files of equal weight keep theirs
    items.sort(key=lambda item: -SLOW_FILES.get(item.path.name, 0))


def require(condition: bool, what: str) -> None:
    """Fail in CI, skip elsewhere, when a real part (PostgreSQL, Chromium) is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} saknas i CI; make test ska installera det.")
    pytest.skip(f"{what} saknas; kör make test som installerar det.")


@pytest.fixture(scope="session")
def pg_url():
    from pgserver import PgServer

    try:
        server = PgServer()
        url = server.start()
    except Exception as exc:  # noqa: BLE001 - report why, then fail (CI) or skip
        require(False, f"PostgreSQL ({exc})")
        return
    yield url
    server.stop()


def _fresh_url(backend: str, tmp_path_factory, request) -> str:
    n = next(_counter)
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / f'test{n}.db'}"
    base = request.getfixturevalue("pg_url")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE test_{n}"))  # name from a counter, not input
    admin.dispose()
    return f"{base}/test_{n}"


_schema_templates: dict[str, str] = {}


def _schema_template(backend: str, tmp_path_factory, request) -> str:
    """An empty database upgraded to the latest schema, built once per worker and backend.

    Alembic's upgrade takes 1–3 s per database and ~110 tests × 2 backends ask for one, so each
    `empty_engine` is a copy of this one: the same schema, the same alembic_version, no rows."""
    if backend not in _schema_templates:
        url = _fresh_url(backend, tmp_path_factory, request)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
        _schema_templates[backend] = url
    return _schema_templates[backend]


def _fresh_schema_url(backend: str, tmp_path_factory, request) -> str:
    template = _schema_template(backend, tmp_path_factory, request)
    n = next(_counter)
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / f"test{n}.db"
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private, as make_engine makes it
        # the backup API copies the database whole, whatever is still in the template's WAL
        with sqlite3.connect(template.removeprefix("sqlite:///")) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return f"sqlite:///{path}"
    base, name = template.rsplit("/", 1)
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE test_{n} TEMPLATE {name}"))  # names from a counter, not input
    admin.dispose()
    return f"{base}/test_{n}"


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path_factory):
    """A fresh database with the schema and no data, on each backend (a copy of _schema_template)."""
    engine = make_engine(_fresh_schema_url(request.param, tmp_path_factory, request))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def builtin_engine(request, tmp_path_factory):
    """A database loaded with the built-in workbooks through init-db, once per backend."""
    engine = make_engine(_fresh_url(request.param, tmp_path_factory, request))
    init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def builtin_engine_pg(tmp_path_factory, request):
    """The built-in data on PostgreSQL, for page tests."""
    engine = make_engine(_fresh_url("postgresql", tmp_path_factory, request))
    init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_builtin_url(tmp_path_factory):
    """A built-in SQLite database for page tests (AppTest reads DASHBOARD_DATABASE_URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    engine = make_engine(url)
    init_db(engine)
    engine.dispose()
    return url


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every data row of every table except the import log, sorted: 'the data' for comparisons."""
    out = {}
    with engine.connect() as conn:
        for table in DATA_TABLES:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture
def builtin_paths():
    paths = config.builtin_workbooks()
    assert len(paths) >= 3, "de inbyggda arbetsböckerna saknas i data/"
    return paths


def keep_app_routing(monkeypatch) -> None:
    """Make AppTest run every rerun through app.py, as the server does, and start from empty caches.

    Streamlit 1.67 trap: with a folder named pages/, AppTest resets the "legacy pages directory"
    flag before every run, so from the second run on it executes the page script without app.py
    (the sidebar filters vanish). The real server switches that flag off for good at the first
    st.navigation call; this does the same after each reset, so reruns and filter changes are
    tested as the server runs them."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    st.cache_data.clear()
    st.cache_resource.clear()


def app_runner(monkeypatch, engine, *, defaults: dict[str, str] | None = None, timeout: int = 90,
               check: bool = True):
    """`run(page=None, **params)`: the finished AppTest of app.py against `engine` (or a URL), with
    the address `defaults | params`; `check` fails the test on a page exception."""
    from streamlit.testing.v1 import AppTest

    url = engine if isinstance(engine, str) else engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    keep_app_routing(monkeypatch)

    def run(page: str | None = None, **params: str):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for key, value in {**(defaults or {}), **params}.items():
            at.query_params[key] = value
        if page:
            at.switch_page(f"pages/{page}.py")
        at.run()
        if check:
            assert not at.exception, [e.value for e in at.exception]
        return at
    return run


@pytest.fixture(scope="module", params=BACKENDS)
def bokslut_engine(request, tmp_path_factory):
    """The built-in reports and the Bokslut workbooks (tests/bokslut_data.py) imported, once per
    backend and module (the import stores the economy trees)."""
    import bokslut_data as bd

    engine = make_engine(_fresh_url(request.param, tmp_path_factory, request))
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    yield engine
    engine.dispose()


@pytest.fixture
def page_on(monkeypatch):
    """AppTest through the entry script against a given database: `page_on(engine or URL)(page,
    **params)` returns the finished AppTest."""
    import streamlit as st

    yield lambda engine: app_runner(monkeypatch, engine)
    st.cache_data.clear()
    st.cache_resource.clear()


def page_text(at) -> str:
    """What a reader sees on an AppTest page, as one string (markdown escapes removed)."""
    from dashboard.textsafe import unescape

    parts = [x.value for x in at.markdown] + [x.value for x in at.caption] + [x.value for x in at.title]
    parts += [x.value for x in at.subheader] + [x.value for x in at.header]
    parts += [f"{x.label}: {x.value} {x.delta or ''}" for x in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    return unescape("\n".join(str(p) for p in parts)).replace("\u00a0", " ")
