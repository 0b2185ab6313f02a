"""Real parts for load measurements and the scale-out test, all on loopback.

- `Session`: one browser-like client speaking Streamlit's websocket protocol (`/_stcore/stream`):
  it sends a BackMsg `rerun_script` with the widget states a user would have set and waits for
  `script_finished`, counting exception elements as errors.
- `drive(...)`: N concurrent sessions, each rerunning for a bounded number of times; reruns/s,
  median and p95 latency.
- `StreamlitServer`, `PostgresServer`, `Nginx`: processes started on free loopback ports and
  stopped again (the bench and the tests use the same ones).

Only loopback addresses are ever contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import glob
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
STICKY_COOKIE = "ledning_srv"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"processen avslutades (kod {proc.returncode}) innan {url} svarade")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} svarade inte inom {seconds:.0f} s")


# --- processes ----------------------------------------------------------------------------------


class StreamlitServer:
    """`streamlit run <script>` on 127.0.0.1:<port>; output to `log`."""

    def __init__(self, script: Path, env: dict[str, str] | None = None, port: int | None = None,
                 log: Path | None = None) -> None:
        self.script, self.port = Path(script), port or free_port()
        self.log = log or Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> StreamlitServer:
        handle = open(self.log, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )
        _wait_http(self.url + "/_stcore/health", timeout, self.proc)
        return self

    def rss_mb(self) -> float:
        """Peak resident memory of the process (VmHWM), MB."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except (OSError, AttributeError):
            pass
        return 0.0

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def _pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresServer:
    """A throwaway cluster (Debian's postgresql) on 127.0.0.1, as the tests start it."""

    def __init__(self) -> None:
        self.bindir = _pg_bin()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL saknas (Debian-paketet postgresql); kör make test.")
        self.tmp = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd=self.tmp)

    def start(self) -> str:
        data = self.tmp / "data"
        self._run("initdb", "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8")
        self._run("pg_ctl", "-D", str(data), "-w", "-t", "60", "-l", str(self.tmp / "log"),
                  "-o", f"-c listen_addresses=127.0.0.1 -c port={self.port} -c fsync=off "
                  f"-c unix_socket_directories={self.tmp} -c full_page_writes=off -c max_connections=200", "start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def create_database(self, name: str) -> str:
        from sqlalchemy import create_engine, text

        base = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # name from the caller's code, not input
        admin.dispose()
        return f"{base}/{name}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.tmp / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def nginx_config(listen_port: int, upstream_ports: list[int], prefix: Path) -> str:
    """deploy/nginx/ledningsdashboard.conf with loopback ports, wrapped in a top-level nginx.conf."""
    site = (DEPLOY / "nginx" / "ledningsdashboard.conf").read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in upstream_ports)
    site = site.replace("    server 127.0.0.1:8501;\n    server 127.0.0.1:8502;", servers)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
    site = site.replace("server_name dashboard.example.se;", "server_name 127.0.0.1 localhost;")
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{\n  access_log off;\n"
            f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
            f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n"
            f"  scgi_temp_path {prefix}/scgi;\n{site}\n}}\n")


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


class Nginx:
    """Debian's nginx in the foreground with deploy/'s site config, on a free loopback port."""

    def __init__(self, upstream_ports: list[int]) -> None:
        self.binary = nginx_binary()
        if self.binary is None:
            raise RuntimeError("nginx saknas (Debian-paketet nginx); kör make test.")
        self.prefix = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
        self.port = free_port()
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(nginx_config(self.port, upstream_ports, self.prefix), encoding="utf-8")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        log = open(self.prefix / "stderr.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen([self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-g", "daemon off;"],
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_http(self.url + "/_stcore/health", 30, self.proc)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.prefix, ignore_errors=True)


# --- the websocket client -----------------------------------------------------------------------


@dataclass
class RunResult:
    seconds: float
    errors: list[str]
    widgets: dict[str, object]  # label -> the widget's proto (selectboxes, toggles …)
    texts: list[str]  # markdown, captions and metric values, in order
    counts: dict[str, int] = field(default_factory=dict)  # elements per type
    # for a floor with the same elements (bench.floor_spec): containers per kind, the size of each
    # st.html body, the number of pages st.navigation registered
    blocks: dict[str, int] = field(default_factory=dict)
    html_bytes: list[int] = field(default_factory=list)
    pages: int = 0


class Session:
    """One client of one app: the browser's part of the protocol, nothing more."""

    def __init__(self, base_url: str, query_string: str = "", page: str = "") -> None:
        self.base_url, self.query_string, self.page = base_url, query_string, page
        self.ws = None
        self.cookie = ""
        self.widget_values: dict[str, object] = {}  # widget id -> (kind, value) as last sent
        self.upstream: str | None = None

    async def connect(self) -> None:
        import websockets

        host = self.base_url.split("//", 1)[1]
        # Like a browser: load the page first (a proxy's sticky cookie comes with it) ...
        loop = asyncio.get_running_loop()

        def get_page():
            with urllib.request.urlopen(self.base_url + "/", timeout=30) as r:  # noqa: S310 - loopback only
                return r.headers.get_all("Set-Cookie") or [], r.headers.get("X-Upstream")

        cookies, self.upstream = await loop.run_in_executor(None, get_page)
        self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        headers = {"Origin": self.base_url}  # the server admits same-origin websockets only
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.ws = await websockets.connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                                           additional_headers=headers, max_size=64 * 1024 * 1024,
                                           open_timeout=60, ping_interval=None)

    async def rerun(self, set_widgets: dict[str, tuple[str, object]] | None = None, timeout: float = 120) -> RunResult:
        """Send rerun_script (with widget values changed by id) and wait for script_finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.widget_values.update(set_widgets or {})
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page
        for wid, (kind, value) in self.widget_values.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        errors: list[str] = []
        widgets: dict[str, object] = {}
        texts: list[str] = []
        counts: dict[str, int] = {}
        blocks: dict[str, int] = {}
        html_bytes: list[int] = []
        pages = 0
        deadline = time.monotonic() + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                counts[which] = counts.get(which, 0) + 1
                if which == "exception":
                    errors.append(el.exception.message or el.exception.type)
                elif which in ("selectbox", "checkbox", "multiselect", "button_group", "radio"):
                    widgets[getattr(el, which).label] = getattr(el, which)
                elif which == "markdown":
                    texts.append(el.markdown.body)
                elif which == "metric":
                    texts.append(f"{el.metric.label}: {el.metric.body}")
                elif which == "html":
                    html_bytes.append(len(el.html.body.encode("utf-8")))
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                block = fwd.delta.add_block
                which = block.WhichOneof("type") or "vertical"
                if which == "flex_container":  # st.container (vertical) or a row of st.columns
                    horizontal = block.flex_container.direction == block.flex_container.HORIZONTAL
                    which = "horizontal" if horizontal else "vertical"
                blocks[which] = blocks.get(which, 0) + 1
            elif kind == "new_session":
                pages = len(fwd.new_session.app_pages)
            elif kind == "page_info_changed":
                # the browser's address bar follows the app's st.query_params writes, and its next
                # rerun sends that address; a client that kept the first one would make every
                # rerun look like a followed link (parsed again, the address written again)
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # a rerun was requested from the script (e.g. a newer data version)
                if status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
                    errors.append(status)
                return RunResult(time.perf_counter() - t0, errors, widgets, texts, counts, blocks, html_bytes, pages)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def choose(widget, value_index: int) -> tuple[str, tuple[str, object]]:
    """(widget id, (state field, value)) that picks option `value_index` of a selectbox."""
    options = list(widget.options)
    return widget.id, ("string_value", options[value_index % len(options)])


@dataclass
class LoadResult:
    sessions: int
    reruns: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    upstreams: dict[str, int] = field(default_factory=dict)

    @property
    def reruns_per_s(self) -> float:
        return self.reruns / self.seconds if self.seconds else 0.0

    @property
    def median_s(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95_s(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    def as_dict(self) -> dict:
        return {"sessions": self.sessions, "reruns": self.reruns, "seconds": round(self.seconds, 3),
                "reruns_per_s": round(self.reruns_per_s, 2), "median_s": round(self.median_s, 4),
                "p95_s": round(self.p95_s, 4), "errors": len(self.errors), "error_samples": self.errors[:3],
                "upstreams": self.upstreams}


async def _drive(base_url: str, sessions: int, reruns: int, widget_label: str, query_string: str,
                 page: str, max_seconds: float) -> LoadResult:
    result = LoadResult(sessions, 0, 0.0)
    start_gate = asyncio.Event()

    async def one(n: int) -> None:
        s = Session(base_url, query_string, page)
        try:
            await s.connect()
            if s.upstream:
                result.upstreams[s.upstream] = result.upstreams.get(s.upstream, 0) + 1
            first = await s.rerun()  # the first page view: not measured (a new session)
            result.errors.extend(first.errors)
            widget = first.widgets.get(widget_label)
            if widget is None:
                result.errors.append(f"ingen widget «{widget_label}»")
                return
            await start_gate.wait()
            stop_at = time.monotonic() + max_seconds
            for i in range(reruns):
                if time.monotonic() > stop_at:
                    break
                run = await s.rerun(dict([choose(widget, n + i + 1)]))
                result.latencies.append(run.seconds)
                result.errors.extend(run.errors)
                result.reruns += 1
        except Exception as exc:  # noqa: BLE001 - counted, the load goes on
            result.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            await s.close()

    tasks = [asyncio.create_task(one(n)) for n in range(sessions)]
    # every session has its first page before the clock starts (a Monday morning in progress)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
        if sum(1 for _ in tasks) and _all_waiting(tasks, start_gate):
            break
    t0 = time.perf_counter()
    start_gate.set()
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - t0
    return result


def _all_waiting(tasks, gate) -> bool:
    # a task is waiting at the gate when its coroutine is suspended on gate.wait()
    waiting = len(getattr(gate, "_waiters", None) or [])
    return waiting + sum(1 for t in tasks if t.done()) >= len(tasks)


def drive(base_url: str, sessions: int, reruns: int, widget_label: str, query_string: str = "",
          page: str = "", max_seconds: float = 120) -> LoadResult:
    """N concurrent sessions, each changing `widget_label` (a selectbox) `reruns` times."""
    return asyncio.run(_drive(base_url, sessions, reruns, widget_label, query_string, page, max_seconds))
