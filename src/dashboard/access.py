"""Who may see and do what. Pure rules; app.py decides the mode and the identity.

Modes:
- `lokal`: no sign-in configured and the server bound to loopback (127.0.0.1) – the one local
  user may do everything, as on first start.
- `skrivskyddad`: no sign-in configured on any other address – adopted rounds only, no import.
- `inloggning`: OpenID Connect configured – roles from the database (`python -m dashboard users`).
- `avvisad`: local mode, but the request named another host (Host/Origin header): a page on
  another site that rebinds its DNS name to 127.0.0.1 must not drive the local instance. Nothing
  is shown (is_local_request).

Rounds that are drafts (utkast) are visible only to an administratör or a redaktör of that nämnd
(and, for a förvaltning's redaktör, only that förvaltning's drafts). Anyone else is answered as if
the round did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ROLES = ("läsare", "redaktör", "administratör")
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Access:
    mode: str
    identity: str | None = None
    roles: list[dict] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        if self.mode == "avvisad":
            return False
        return self.mode != "inloggning" or self.identity is not None

    def _matching(self, role: str, kommun: str, namnd: str) -> list[dict]:
        return [r for r in self.roles if r["role"] == role
                and r.get("kommun_code") in (None, kommun) and r.get("namnd_code") in (None, namnd)]

    @property
    def is_admin(self) -> bool:
        return self.mode == "lokal" or any(r["role"] == "administratör" for r in self.roles)

    def can_see_round(self, kommun: str, namnd: str, status: str | None, forvaltning_key: str | None) -> bool:
        if not self.signed_in:
            return False
        if (status or "fastställd") != "utkast":
            return True
        if self.mode == "skrivskyddad":
            return False
        if self.is_admin:
            return True
        return any(r.get("forvaltning_key") in (None, forvaltning_key) for r in self._matching("redaktör", kommun, namnd))

    def can_import(self, kommun: str, namnd: str, forvaltning_key: str | None = None,
                   status: str | None = "utkast", existing: tuple[str | None, str | None] | None = None) -> bool:
        """May this user import a round (its status and owning förvaltning), replacing `existing`
        (status, förvaltning) if the round is already there? A förvaltning's redaktör may only
        write that förvaltning's drafts; a nämnd's redaktör anything of the nämnd."""
        if self.mode == "skrivskyddad" or not self.signed_in:
            return False
        if self.is_admin:
            return True
        for role in self._matching("redaktör", kommun, namnd):
            if role.get("forvaltning_key") is None:
                return True
            own = role["forvaltning_key"]
            if (status == "utkast" and forvaltning_key == own
                    and (existing is None or existing == ("utkast", own))):
                return True
        return False

    @property
    def can_import_anything(self) -> bool:
        if self.mode == "skrivskyddad" or not self.signed_in:
            return False
        return self.is_admin or any(r["role"] == "redaktör" for r in self.roles)


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _hostname(netloc: str) -> str:
    try:
        host = urlsplit(f"//{netloc.strip()}").hostname or ""
    except ValueError:  # a malformed header is not local
        return ""
    return host.lower().rstrip(".")


def is_local_request(headers: Mapping[str, str] | None) -> bool:
    """Did the browser address this server as localhost/127.0.0.1 (Host, and Origin if sent)?

    No headers at all means no HTTP request (AppTest, bare mode). A browser always sends Host;
    a DNS-rebinding page sends its own name there, which is how it is told apart."""
    if not headers:
        return True
    lower = {k.lower(): v for k, v in headers.items()}
    host = lower.get("host")
    if not host or _hostname(host) not in LOCAL_HOSTS:
        return False
    origin = lower.get("origin")
    if origin and origin != "null":
        if _hostname(urlsplit(origin).netloc) not in LOCAL_HOSTS:
            return False
    return True


def decide_mode(auth_configured: bool, server_address: str | None) -> str:
    if auth_configured:
        return "inloggning"
    return "lokal" if (server_address or "") in LOCAL_ADDRESSES else "skrivskyddad"
