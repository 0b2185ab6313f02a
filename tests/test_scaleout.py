"""Scale-out on real parts: PostgreSQL, two `streamlit run` processes and Debian's nginx with
deploy/nginx/ledningsdashboard.conf on loopback. Concurrent sessions go through nginx (sticky by
cookie, websocket upgrade); a round imported while they are open shows in every session on its
next rerun, whichever process serves it."""

from __future__ import annotations

import asyncio

import pytest
from builders import base, set_cell, write_xlsx
from conftest import ROOT, require
from ports import free_port

from dashboard import loadgen
from dashboard.db import init_db, make_engine
from dashboard.importing import import_path

SESSIONS = 8
ROUND_LABEL = "Uppföljningstillfälle"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require(loadgen.nginx_binary() is not None, "nginx (Debian-paketet nginx)")
    # loadgen's servers take the kernel's port 0; `make test` runs pytest-xdist workers side by side,
    # so here they take this worker's own ports (tests/ports.py) and never meet another worker's.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(loadgen, "free_port", free_port)
        yield from _cluster(tmp_path_factory)


def _cluster(tmp_path_factory):
    try:
        pg = loadgen.PostgresServer()
        pg.start()
    except Exception as exc:  # noqa: BLE001
        require(False, f"PostgreSQL ({exc})")
        return
    procs = []
    try:
        url = pg.create_database("scaleout")
        engine = make_engine(url)
        init_db(engine, load_builtin=False)
        first = base()  # Testkommun TN, Delår 1 2025-04-30
        assert import_path(engine, write_xlsx(first, tmp_path_factory.mktemp("wb") / "d1.xlsx")).ok
        logs = ROOT / "test-artifacts"
        logs.mkdir(exist_ok=True)
        procs = [loadgen.StreamlitServer(ROOT / "app.py", env={"DASHBOARD_DATABASE_URL": url},
                                         log=logs / f"scaleout-app{i}.log").start() for i in (1, 2)]
        proxy = loadgen.Nginx([p.port for p in procs]).start()
        procs.append(proxy)
        yield engine, proxy, procs[:2], tmp_path_factory.mktemp("wb2")
        engine.dispose()
    finally:
        for p in reversed(procs):
            p.stop()
        pg.stop()


def test_sessions_through_nginx_see_an_import_on_their_next_rerun(cluster):
    engine, proxy, apps, tmp = cluster

    async def scenario():
        sessions = [loadgen.Session(proxy.url, "kommun=9999&namnd=TN") for _ in range(SESSIONS)]
        await asyncio.gather(*(s.connect() for s in sessions))
        # Each new browser gets a random key from nginx, hashed onto the ring: 8 can all land on one
        # process (CI saw it once). More browsers until both serve someone, as more users would.
        while len({s.upstream for s in sessions}) < len(apps) and len(sessions) < 4 * SESSIONS:
            extra = loadgen.Session(proxy.url, "kommun=9999&namnd=TN")
            await extra.connect()
            sessions.append(extra)
        try:
            firsts = await asyncio.gather(*(s.rerun() for s in sessions))
            for run in firsts:
                assert run.errors == []
                assert list(run.widgets[ROUND_LABEL].options) == ["Delår 1 2025 (t.o.m. 30 april 2025)"]
            # sticky by cookie: every session got a key, and both processes serve sessions
            assert all("ledning_srv=" in s.cookie for s in sessions)
            upstreams = {s.upstream for s in sessions}
            assert upstreams == {f"127.0.0.1:{a.port}" for a in apps}, upstreams
            # concurrent reruns through nginx keep working (websocket upgrade, stickiness)
            again = await asyncio.gather(*(s.rerun() for s in sessions))
            assert all(r.errors == [] for r in again)

            # A new round is imported while the sessions are open (into the shared PostgreSQL;
            # neither process is told).
            second = base()
            set_cell(second, "Tillfälle", 2, "Typ", "Delår 2")
            set_cell(second, "Tillfälle", 2, "Periodslut", "2025-08-31")
            set_cell(second, "Ekonomi", 2, "Prognosavvikelse", "-120")
            assert import_path(engine, write_xlsx(second, tmp / "d2.xlsx")).ok

            after = await asyncio.gather(*(s.rerun() for s in sessions))
            for s, run in zip(sessions, after, strict=True):
                assert run.errors == []
                assert list(run.widgets[ROUND_LABEL].options) == [
                    "Delår 2 2025 (t.o.m. 31 augusti 2025)", "Delår 1 2025 (t.o.m. 30 april 2025)"], s.upstream
            # picking the new round shows its figure in every session
            picked = await asyncio.gather(*(s.rerun(dict([loadgen.choose(r.widgets[ROUND_LABEL], 0)]))
                                            for s, r in zip(sessions, after, strict=True)))
            for run in picked:
                page = "\n".join(run.texts).replace("\u00a0", " ")
                assert "Prognosavvikelse helår: −120 tkr" in page, page
        finally:
            await asyncio.gather(*(s.close() for s in sessions))

    asyncio.run(scenario())
