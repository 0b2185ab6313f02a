"""The filter context app.py resolves each run (nämnd, round, scope, units) and what pages ask of it.

The shared filters live in the URL (plain ASCII names, the data's stable keys) so a copied link
opens the same view: kommun, namnd, forvaltning, tillfalle, enhet.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from .. import economy as ec
from .. import formatting as fmt
from .. import viewstate as vs
from ..textsafe import md
from .projector import projector

PAGES = {
    "oversikt": "pages/oversikt.py",
    "ekonomi": "pages/ekonomi.py",
    "verksamhet": "pages/verksamhet.py",
    "mal": "pages/mal.py",
    "indikatorer": "pages/indikatorer.py",
    "volymer": "pages/volymer.py",
    "personal": "pages/personal.py",
    "uppdrag": "pages/uppdrag.py",
    "internkontroll": "pages/internkontroll.py",
    "bildspel": "pages/bildspel.py",
    "importera": "pages/importera.py",
}
URL_KEYS = ("kommun", "namnd", "forvaltning", "tillfalle", "enhet", "visning")
CTX_KEY = "_ctx"
PAGE_OBJECTS_KEY = "_page_objects"  # (page list, {page id: st.Page}) – app.py's, one set per session


def page_target(page_id: str):
    """What `st.page_link` gets for a page: the st.Page app.py registered with st.navigation.

    A script path makes Streamlit resolve it (getcwd, realpath) on every link – a quarter of a
    rerun of Översikt on the built-in data (docs/benchmark.md, third round); the registered
    page is looked up by its hash, and the link sent is the same (page, hash, label, help).
    Without app.py (a page run on its own), the path as before."""
    registered = st.session_state.get(PAGE_OBJECTS_KEY)
    if registered is not None and page_id in registered[1]:
        return linkable(registered[1][page_id])
    return PAGES[page_id]


def linkable(page):
    """The st.Page to give st.page_link. Streamlit writes the default page's href as a bare
    "?kommun=…", which a browser resolves against the page it is on: opened in a new tab or copied
    from Ekonomi, the Översikt link opened Ekonomi. A copy that is not marked default has the href
    "oversikt?…" (Streamlit serves the default page there too and shows "/?…"); the script hash,
    which a click navigates by, is the same."""
    if not getattr(page, "_default", False):
        return page
    # made once per page object (app.py keeps one set per session), not on every link: st.navigation
    # changes only _default and _can_be_called of a page, which a link does not read
    twin = getattr(page, "_link_twin", None)
    if twin is None:
        twin = copy.copy(page)
        twin._default = False
        page._link_twin = twin
    return twin


@dataclass
class Context:
    namnd_id: int
    kommun_code: str
    kommun_name: str
    namnd_code: str
    namnd_name: str
    rounds: pd.DataFrame
    round: dict
    prev_round: dict | None
    scope: str  # economy.ALL, economy.NAMND_ONLY or a förvaltning key
    scope_label: str
    # the round's organisation, read when a page first asks (ctx.units): a page that never shows
    # it (Uppdrag, Internkontroll, Mål without a förvaltning) does not read 2 000 units on a new round
    units_of: Callable[[], pd.DataFrame]
    unit_key: str | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def units(self) -> pd.DataFrame:
        """The round's organisation (queries.units), the same frame on every access of this run."""
        loaded = self.__dict__.get("_units")
        if loaded is None:
            loaded = self.__dict__["_units"] = self.units_of()
        return loaded

    @property
    def round_id(self) -> int:
        return int(self.round["round_id"])

    @property
    def prev_round_id(self) -> int | None:
        return int(self.prev_round["round_id"]) if self.prev_round is not None else None

    @property
    def amount_unit(self) -> str:
        return self.round["amount_unit"]

    @property
    def decimals(self) -> int:
        return int(self.round["decimals"])

    @property
    def period_end(self) -> dt.date:
        return self.round["period_end"]

    @property
    def round_label(self) -> str:
        return fmt.round_label(self.round["kind"], self.period_end)

    def scope_unit_ids(self) -> list[int]:
        """The scope's units (economy.scope_unit_ids over the round's organisation), once per data
        version, round and scope: Översikt asks on every run, a pass over every unit each time."""
        from ..data import keyed

        return keyed(("scope_unit_ids", self.round_id, self.scope), lambda: ec.scope_unit_ids(self.units, self.scope))

    view: vs.View | None = None

    def link(self, page: str, **changes) -> dict[str, str]:
        """Query parameters of a link to `page` (a PAGES key) with `changes` to the view, e.g.
        ctx.link("verksamhet", enhet="575"); the target page's remembered settings come along."""
        from .navigation import link

        return link(page, **changes)

    def url_params(self, **extra: str | None) -> dict[str, str]:
        """The selection's parameters (no page settings) plus `extra`; prefer `link(page)`."""
        params = vs.to_params(replace(self.view, page="oversikt")) if self.view is not None else {
            "kommun": self.kommun_code, "namnd": self.namnd_code, "tillfalle": self.period_end.isoformat()}
        if self.view is None and self.scope:
            params["forvaltning"] = scope_url_value(self.scope)
        if self.view is None and projector():
            params["visning"] = "projektor"
        for key, value in extra.items():
            if value:
                params[key] = value
        return params

    def title(self, view: str) -> str:
        """The page title as markdown for st.title (names are data: escaped)."""
        scope = "" if not self.scope else f" · {md(self.scope_label)}"
        return f"{view} – {md(self.namnd_name)}{scope}"

    def choice_line(self) -> str:
        """Kommun and round under the title (markdown, escaped): the choice is visible with the
        sidebar hidden too."""
        return f"{md(self.kommun_name)} · {md(self.round_label)}"


def build(view: vs.View, catalog, notices: list[str]) -> Context:
    """The page context for a view (`catalog`: ui.navigation.StreamlitCatalog)."""
    from ..data import keyed
    from ..rounds import previous_round

    row = catalog.namnd_row(view.kommun, view.namnd)
    rounds = catalog.rounds_frame(view.kommun, view.namnd)
    rnd = catalog.round_row(view.kommun, view.namnd, view.tillfalle)
    scope_labels = catalog.forvaltning_labels(view.kommun, view.namnd, view.tillfalle)
    label = scope_labels.get(view.forvaltning, "")
    return Context(
        namnd_id=int(row.namnd_id), kommun_code=row.kommun_code, kommun_name=row.kommun_name,
        namnd_code=row.namnd_code, namnd_name=rnd.get("namnd_name") or row.namnd_name, rounds=rounds, round=rnd,
        # once per data version and visible round list (the rule reads every round's record)
        prev_round=keyed(("previous_round", int(row.namnd_id), tuple(int(r) for r in rounds["round_id"]),
                          int(rnd["round_id"])), lambda: previous_round(rounds, rnd)),
        scope=view.forvaltning,
        scope_label=label.rsplit(" (", 1)[0] if view.forvaltning else "",
        units_of=lambda: catalog.units_frame(view.kommun, view.namnd, view.tillfalle), unit_key=view.enhet,
        notices=notices, view=view,
    )


def scope_url_value(scope: str) -> str:
    return scope if scope == ec.NAMND_ONLY else scope.upper()


def context() -> Context:
    """The filter context app.py resolved for this run.

    If it is missing, Streamlit ran a page script on its own: on the very first session of a
    server process a direct link (/ekonomi) is routed by the legacy pages/ directory mode,
    before app.py has called st.navigation (which switches that mode off for the process).
    Switch it off and rerun, so app.py runs and routes the same URL.
    """
    ensure_app_ran(CTX_KEY)
    return st.session_state[CTX_KEY]


def ensure_app_ran(key: str) -> None:
    if key not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def freshness_line(ctx: Context) -> str:
    imported = ctx.round.get("imported_at")
    imported_text = fmt.date_short(imported) if imported is not None and not pd.isna(imported) else "okänt"
    status = ctx.round.get("status") or "fastställd"
    draft = " · **UTKAST – ej fastställd av nämnden**" if status == "utkast" else ""
    scope = f", {md(ctx.scope_label)}" if ctx.scope else ""
    return (
        f"Data: {md(ctx.kommun_name)}, {md(ctx.namnd_name)}{scope} · {md(ctx.round_label)} · "
        f"belopp i {md(ctx.amount_unit)} · importerad {md(imported_text)}{draft}"
    )
