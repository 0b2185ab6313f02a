"""Faults in the user's words (issue 10.3, 10.10, 10.11): Swedish, distinct exit codes, no traceback,
no driver text; a renderer crash costs one export, never the process."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT
from dashboard import cli, export, queries
from dashboard.db import init_lock, make_engine
from dashboard.slides import build

ENGLISH = ("Traceback", "OperationalError", "connection", "Error:", "sqlalche.me", "psycopg", "http")


def run_cli(*args, db_url=None, env=None):
    environment = os.environ | {"DASHBOARD_DATABASE_URL": db_url or "sqlite:////nonexistent/x.db"} | (env or {})
    environment.pop("DASHBOARD_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def swedish_only(run) -> None:
    for word in ENGLISH:
        assert word not in run.stderr, run.stderr
    assert run.stderr.strip(), "ett fel ska sägas med ord"


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_missing_folders_and_typos_exit_with_their_own_codes(tmp_path, sqlite_builtin_url):
    missing = tmp_path / "finns-inte"
    # reproduce: writing into a missing folder was a traceback (FileNotFoundError) before
    run = run_cli("template", str(missing / "mall.xlsx"))
    assert run.returncode == cli.EXIT_FILE == 4 and "finns inte" in run.stderr
    swedish_only(run)
    run = run_cli("csv-till-xlsx", str(missing), str(tmp_path / "ut.xlsx"))
    assert run.returncode == cli.EXIT_FILE and "Mappen" in run.stderr
    swedish_only(run)
    empty = tmp_path / "tom"
    empty.mkdir()
    run = run_cli("csv-till-xlsx", str(empty), str(tmp_path / "ut.xlsx"))
    assert run.returncode == cli.EXIT_INVALID and "inga CSV-filer" in run.stderr
    base = ["export", "--kommun", "0580", "--namnd", "AMN", "--tillfalle", "2023-08-31", "--format", "pptx"]
    run = run_cli(*base, str(missing / "x.pptx"), db_url=sqlite_builtin_url)
    assert run.returncode == cli.EXIT_FILE
    swedish_only(run)
    # reproduce: a typo in --forvaltning gave exit 0 and an empty deck
    run = run_cli(*base[:7], "--forvaltning", "IAFX", *base[7:], str(tmp_path / "x.pptx"), db_url=sqlite_builtin_url)
    assert run.returncode == cli.EXIT_INVALID and "Förvaltningen «IAFX» finns inte" in run.stderr
    assert "IAF" in run.stderr and not (tmp_path / "x.pptx").exists()
    swedish_only(run)
    run = run_cli(*base[:7], "--forvaltning", "iaf", *base[7:], str(tmp_path / "x.pptx"), db_url=sqlite_builtin_url)
    assert run.returncode == 0 and (tmp_path / "x.pptx").exists()


@pytest.mark.parametrize("command", [
    ["export", "--kommun", "0580", "--namnd", "AMN", "--tillfalle", "2023-08-31", "--format", "pdf", "OUT"],
    ["init-db"], ["users", "list"], ["import", "DATA"],
])
def test_database_down_is_exit_3_in_swedish(command, tmp_path):
    # a port nobody listens on: the driver's English text must not reach the user
    url = "postgresql+psycopg://dashboard:hemligt@127.0.0.1:9/ledning"
    args = [str(tmp_path / "x.pdf") if a == "OUT" else str(ROOT / "data" / "2023-08-31_0580_AMN.xlsx") if a == "DATA" else a
            for a in command]
    run = run_cli(*args, db_url=url)
    assert run.returncode == cli.EXIT_DB, run.stderr
    assert "Databasen kan inte nås" in run.stderr and "hemligt" not in run.stderr
    swedish_only(run)


def _hostile_label_db(tmp_path, sqlite_builtin_url) -> str:
    """The built-in data with a control character in a chart label, written directly (the
    importer refuses it; the export must not rely on that)."""
    import shutil

    path = tmp_path / "styr.db"
    shutil.copy(sqlite_builtin_url[len("sqlite:///"):], path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        changed = conn.execute(text("UPDATE unit_version SET name = name || :c WHERE name = 'Ekonomiskt bistånd'"),
                               {"c": "\x01\x07"}).rowcount
    engine.dispose()
    assert changed
    return f"sqlite:///{path}"


def test_control_character_in_a_chart_label_never_aborts(tmp_path, sqlite_builtin_url):
    # reproduce: vl-convert given the label aborts its process (exit 134 / SIGABRT) ...
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
            "data": {"values": [{"label": "Ekonomiskt bistånd\x01", "v": 1}]},
            "encoding": {"y": {"field": "label", "type": "nominal"}, "x": {"field": "v", "type": "quantitative"}}}
    crash = subprocess.run([sys.executable, "-m", "dashboard.chartproc"], input=json.dumps({"specs": [spec]}).encode(),
                           capture_output=True, timeout=120, cwd=ROOT)
    assert crash.returncode in (-6, 134), crash.returncode
    # ... in the renderer's process only: here it is a Swedish ExportError, and this process lives on
    with pytest.raises(export.ExportError, match="diagram"):
        export.render_png([spec])
    assert len(export.render_png([{**spec, "data": {"values": [{"label": "B", "v": 1}]}}])[0]) > 100
    # the export itself sanitises: the CLI writes the deck (exit 0, never 134)
    url = _hostile_label_db(tmp_path, sqlite_builtin_url)
    for fmt in ("pptx", "pdf"):
        out = tmp_path / f"deck.{fmt}"
        run = run_cli("export", "--kommun", "0580", "--namnd", "AMN", "--tillfalle", "2023-08-31",
                      "--format", fmt, str(out), db_url=url)
        assert run.returncode == 0, (run.returncode, run.stderr[-500:])
        assert out.stat().st_size > 10_000


def test_long_text_pdf_is_laid_out_or_refused_in_swedish(builtin_engine, tmp_path):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
    from reportlab.platypus.doctemplate import LayoutError

    long = "Ekonomiskt bistånd ökar " * 1500
    # reproduce: reportlab cannot lay out such a cell (the app's PDF button then did nothing)
    with pytest.raises(LayoutError):
        SimpleDocTemplate(str(tmp_path / "raw.pdf"), pagesize=landscape(A4)).build(
            [Table([[Paragraph(long, ParagraphStyle("c"))]])])
    slides = build(lambda name, *a: getattr(queries, name)(builtin_engine, *a), "0580", "AMN", "2023-08-31",
                   ["titel", "risker", "handelser"])
    slides[0].title = long
    slides[0].bullets = [long]
    for s in slides:
        if s.table is not None and len(s.table):
            s.table.iloc[0, 0] = long
    out = tmp_path / "lang.pdf"
    export.to_pdf(slides, out)  # cut to fit: the PDF is made
    from pypdf import PdfReader

    assert "…" in " ".join(p.extract_text() for p in PdfReader(str(out)).pages)


def test_sqlite_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'd.db'}")
        with init_lock(engine):
            pass
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    finally:
        os.umask(old)
    for name in ("d.db", "d.db.lock"):
        mode = stat.S_IMODE((tmp_path / "db" / name).stat().st_mode)
        assert mode & 0o077 == 0, (name, oct(mode))  # was 0o666 for the lock file under umask 000


def _apptest(monkeypatch, url: str, page: str | None = None, **params):
    from conftest import app_runner

    return app_runner(monkeypatch, url, timeout=60, check=False)(page, **params)


def test_database_down_on_the_page_in_swedish(monkeypatch, caplog):
    at = _apptest(monkeypatch, "postgresql+psycopg://dashboard:hemligt@127.0.0.1:9/ledning")
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Databasen kan inte nås just nu" in shown
    for word in ("127.0.0.1", "OperationalError", "connection", "sqlalche.me", "hemligt", "http"):
        assert word not in shown, shown
    assert "connection" in caplog.text or "kan inte nås" in caplog.text  # the detail: server log only


def test_database_lost_mid_run_in_swedish(monkeypatch, tmp_path, empty_engine):
    """A page's own query fails after app.py's queries succeeded (SQLite and PostgreSQL)."""
    import builders as b
    from dashboard.importing import import_path

    assert import_path(empty_engine, b.write_xlsx(b.base(), tmp_path / "tn.xlsx")).ok
    with empty_engine.begin() as conn:
        conn.execute(text("ALTER TABLE risk_assessment RENAME TO borta"))
    at = _apptest(monkeypatch, url_of(empty_engine), "internkontroll", kommun="9999", namnd="TN")
    assert not at.exception, "Streamlits engelska felruta"
    assert any("Internkontroll" in t.value for t in at.title)  # the page had started: a mid-run fault
    shown = " ".join(e.value for e in at.error)
    # SQLite reports a missing table as OperationalError ("database"), PostgreSQL as ProgrammingError
    assert "Databasen kan inte nås just nu" in shown or "Sidan kunde inte visas" in shown
    for word in ("borta", "sqlite", "psycopg", "UndefinedTable", "SELECT", "127.0.0.1"):
        assert word not in shown, shown


def test_a_bug_on_a_page_is_shown_in_swedish_not_as_a_traceback(monkeypatch, caplog, sqlite_builtin_url):
    """An unexpected exception in a page (here injected into the change list Uppdrag calls for Luleå Delår 2) reaches the
    reader as Swedish words; the traceback goes to the server log. The tests themselves run with
    DASHBOARD_RAISE_PAGE_ERRORS=1 so that a real bug still fails them; this test turns it off."""
    from dashboard import followup

    def broken(*_args, **_kwargs):
        raise KeyError("aktivitet_trasig")

    monkeypatch.delenv("DASHBOARD_RAISE_PAGE_ERRORS", raising=False)
    monkeypatch.setattr(followup, "changes", broken)
    at = _apptest(monkeypatch, sqlite_builtin_url, "uppdrag", kommun="2580", namnd="AGN", tillfalle="2024-08-31")
    assert not at.exception, "Streamlits engelska felruta"
    shown = " ".join(e.value for e in at.error)
    assert "Sidan kunde inte visas" in shown and "aktivitet_trasig" not in shown and "KeyError" not in shown
    assert "aktivitet_trasig" in caplog.text  # the detail: server log only
    monkeypatch.setenv("DASHBOARD_RAISE_PAGE_ERRORS", "1")  # and with the switch on, the bug is not hidden
    at = _apptest(monkeypatch, sqlite_builtin_url, "uppdrag", kommun="2580", namnd="AGN", tillfalle="2024-08-31")
    assert at.exception and not any("Sidan kunde inte visas" in e.value for e in at.error)


def test_typos_and_help_on_the_command_line_are_swedish():
    # reproduce (a new user's run): argparse's "usage:", "error: invalid choice", "the following
    # arguments are required" in English
    run = run_cli("imprt", "x.xlsx")
    assert run.returncode == 2
    assert "Användning: python -m dashboard" in run.stderr
    assert "fel: argumentet KOMMANDO: ogiltigt val 'imprt'; välj ett av: 'init-db', 'import'" in run.stderr
    run = run_cli("import")
    assert run.returncode == 2 and "fel: följande argument saknas: path" in run.stderr
    run = run_cli("export", "--format", "xyz")
    assert run.returncode == 2 and "ogiltigt val 'xyz'; välj ett av: 'pptx', 'pdf'" in run.stderr
    shown = run_cli("import", "--help").stdout
    assert "flaggor:" in shown and "visa den här hjälpen och avsluta" in shown
    for text in (run.stderr, shown):
        for word in ("usage", "error", "invalid choice", "required", "show this help", "options:"):
            assert word not in text, (word, text)
