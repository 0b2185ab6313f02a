"""Who is looking: the access mode, the identity and its roles, and which rounds they may see."""

from __future__ import annotations

import os

import streamlit as st

from ..data import q

ACCESS_KEY = "_access"


_NO_SECRETS_FILE: bool | None = None


def _no_secrets_file() -> bool:
    """True when st.secrets has nothing loaded and none of its files exists – what st.secrets would
    find out by failing. Without a secrets file Streamlit retries the files on every access, and
    reading the option `secrets.files` computes the paths (cwd, home, script directory) while it
    holds Streamlit's global config lock, which every element message takes too (its hash reads
    an option): one run's access check stalled the other sessions' runs – a third of the script
    threads' time at 10 sessions (docs/benchmark.md, fourth round). Looked at once per process
    (paths and files are the process's: sign-in is configured before the server starts, README
    "Drift"); even a stat per run is a GIL hand-over under load."""
    global _NO_SECRETS_FILE
    if getattr(st.secrets, "_secrets", None) is not None:  # loaded (or given by AppTest): cheap
        return False
    if _NO_SECRETS_FILE is None:
        _NO_SECRETS_FILE = not any(os.path.exists(path) for path in st.get_option("secrets.files"))
    return _NO_SECRETS_FILE


def auth_configured() -> bool:
    """OpenID Connect sign-in is configured in Streamlit's secrets ([auth] with a client id)."""
    if _no_secrets_file():
        return False
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    if not auth:
        return False
    return "client_id" in auth or any(isinstance(v, dict) and "client_id" in v for v in auth.values())


def current_access():
    """The access mode and, when signed in, the identity and its roles from the database."""
    from ..access import Access, decide_mode

    mode = decide_mode(auth_configured(), st.get_option("server.address"))
    if mode == "lokal":
        from ..access import is_local_request

        if not is_local_request(dict(st.context.headers)):  # DNS rebinding: another site's name
            return Access("avvisad")
    if mode != "inloggning":
        return Access(mode)
    if not st.user.is_logged_in:
        return Access(mode)
    email = st.user.get("email") if st.user.get("email_verified") is not False else None
    identity = (email or st.user.get("sub") or "").strip().lower() or None
    # roles are read on every run (not cached): a removed role takes effect on the next click
    from .. import data, queries

    roles = queries.user_roles(data.engine(), identity).to_dict("records") if identity else []
    return Access(mode, identity, roles)


def access():
    from .context import ensure_app_ran

    ensure_app_ran(ACCESS_KEY)
    return st.session_state[ACCESS_KEY]


def visible_round_ids(acc, namnd_id: int, kommun: str, namnd: str) -> list[int]:
    def compute() -> list[int]:
        # every nämnd's (round, status, förvaltning) in one cached statement, not `rounds` per nämnd
        rounds = q("round_visibility").get(int(namnd_id), [])
        return [round_id for round_id, status, forv in rounds
                if acc.can_see_round(kommun, namnd, status, forv if isinstance(forv, str) else None)]

    # Asked for every nämnd on every run: once per user (mode, identity and the roles read this
    # run, so a changed role still counts on the next click) and data version.
    from ..data import keyed

    roles = tuple(sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in acc.roles))
    return keyed(("visible_round_ids", acc.mode, acc.identity, roles, namnd_id, kommun, namnd), compute)
