"""Free loopback ports for the servers the tests start (PostgreSQL, Streamlit, nginx, OIDC provider).

`make test` runs the suite in several pytest-xdist workers at once. Asking the kernel for port 0
and closing the socket again (the usual trick) leaves a window in which another worker – or any
outgoing connection on the machine, which draws from the same ephemeral range – can be handed the
same port before our server binds it. So each worker draws from its own slice of ports *below*
the ephemeral range: two workers never pick the same port, and no client socket is given one of
them. A port is still checked by binding it (another program on the machine may hold it), and a
worker never hands out the same port twice (a stopped server's port may linger in TIME_WAIT).
"""

from __future__ import annotations

import os
import random
import socket

SLICE = 500  # ports per worker
_handed_out: set[int] = set()


def _worker_index() -> int:
    """0 for a plain run and for gw0, n for pytest-xdist's worker gwn."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = name.removeprefix("gw")
    return int(digits) if digits.isdigit() else 0


def _ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A loopback port that no other worker of this run picks and nothing on the machine holds now."""
    top = min(_ephemeral_low(), 65536)
    low = max(top - 12_000, 1024)  # 24 slices of 500 below the ephemeral range (Linux: 20768–32767)
    slices = max((top - low) // SLICE, 1)
    start = low + (_worker_index() % slices) * SLICE
    candidates = [p for p in range(start, start + SLICE) if p not in _handed_out]
    random.shuffle(candidates)  # a second suite run on the machine at the same time rarely meets ours
    for port in candidates:
        if _bindable(port):
            _handed_out.add(port)
            return port
    # every port of the slice taken (never seen): fall back to the kernel's choice
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
