"""An import whose database stops between the check and the write (issue 10.10): nothing is
written, the user reads a Swedish sentence with no driver text and no traceback, and the command
line exits 3. A PostgreSQL server of its own is stopped for real at that moment."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import ROOT, require
from dashboard import config
from dashboard.db import init_db, make_engine


def test_database_stopped_between_check_and_write(tmp_path):
    try:
        from pgserver import PgServer

        server = PgServer()
        url = server.start()
    except Exception as exc:  # noqa: BLE001
        require(False, f"PostgreSQL ({exc})")
        return
    try:
        import sqlalchemy as sa

        admin = sa.create_engine(f"{url}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE lost"))
        admin.dispose()
        engine = make_engine(f"{url}/lost")
        init_db(engine, load_builtin=False)
        engine.dispose()
        workbook = next(p for p in config.builtin_workbooks() if "0580_AMN" in p.name)
        # The real command line, with one seam: right before the write, the server is stopped.
        script = tmp_path / "run.py"
        script.write_text(textwrap.dedent(f"""
            import subprocess, sys
            sys.path.insert(0, {str(ROOT / 'src')!r})
            import dashboard.importing as importing
            original = importing.write
            def stop_then_write(session, data):
                subprocess.run({server.stop_command()!r}, check=True, capture_output=True)
                return original(session, data)
            importing.write = stop_then_write
            from dashboard.cli import main
            sys.exit(main(["import", {str(workbook)!r}]))
        """))
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT,
                              env={"DASHBOARD_DATABASE_URL": f"{url}/lost", "PATH": os.environ["PATH"]}, timeout=120)
        out = done.stdout + done.stderr
        assert done.returncode == 3, out
        assert "databasen kunde inte ta emot importen" in out and "ingenting ändrades" in out
        for english in ("Traceback", "OperationalError", "psycopg", "connection", "127.0.0.1", "sqlalche.me"):
            assert english not in out, (english, out)
    finally:
        try:
            server.stop()
        except Exception:  # noqa: BLE001 - already stopped by the test
            pass
