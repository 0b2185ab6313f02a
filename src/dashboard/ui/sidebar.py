"""The sidebar: the selection (nämnd, round, förvaltning), the page links, freshness, projector.

Round and förvaltning come right after the nämnd, above the page links, so all three are
visible without scrolling at 1280×720; long names wrap (style.css)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from .. import viewstate as vs
from . import navigation as nav
from .context import linkable
from .projector import PROJECTOR_KEY, Bar


def selection(view: vs.View, catalog: nav.StreamlitCatalog, bar: Bar | None = None) -> vs.View:
    """Draw the selection and return the view with the user's change (the rules of a nämnd or
    round switch apply: what the new choice lacks falls back silently). On a projector the
    sidebar is hidden: the selection is drawn in the top bar's Inställningar (`bar`)."""
    # decide first (nämnd → round → förvaltning, each depends on the one before), then draw
    namnder = catalog.namnder()
    changed, value = nav.widget("f_namnd", view.namnd_key, namnder)
    if changed:
        view = vs.switch_namnd(view, *value, catalog)
    round_labels = catalog.round_labels(view.kommun, view.namnd)
    changed, value = nav.widget("f_round", view.tillfalle, list(round_labels))
    if changed:
        view = vs.switch_round(view, value, catalog)
    scope_labels = catalog.forvaltning_labels(view.kommun, view.namnd, view.tillfalle)
    changed, value = nav.widget("f_scope", view.forvaltning, list(scope_labels))
    if changed:
        view = replace(view, forvaltning=value)
    changed, value = nav.widget(PROJECTOR_KEY, view.projektor)  # drawn later, by projector_toggle
    if changed:
        view = replace(view, projektor=bool(value))
    nav.update(view)
    with bar.settings() if view.projektor and bar is not None else st.sidebar:
        st.selectbox("Kommun och nämnd", namnder, format_func=catalog.namnd_label, key="f_namnd")
        st.selectbox("Uppföljningstillfälle", list(round_labels), format_func=round_labels.get, key="f_round")
        st.selectbox("Förvaltning", list(scope_labels), format_func=scope_labels.get, key="f_scope")
    return view


def page_links(pages: dict[str, st.Page]) -> None:
    """Our own page menu: each link carries the whole view (st.navigation's menu would drop the
    query, and a page change without it costs the back button an extra step)."""
    with st.sidebar:
        st.markdown('<div class="nav-heading">Sidor</div>', unsafe_allow_html=True)
        for page_id, page in pages.items():
            st.page_link(linkable(page), label=page.title, icon=page.icon, query_params=nav.link(page_id))


def projector_toggle() -> None:
    """The toggle whose value `selection` already took into the view."""
    with st.sidebar:
        st.toggle("Presentationsläge (projektor)", key=PROJECTOR_KEY,
                  help="Döljer sidofältet, stor text för projektor. Avsluta med knappen överst på sidan.")


def leave_projector() -> None:
    """Button callback: the toggle's new value is taken into the view on the next run."""
    st.session_state[PROJECTOR_KEY] = False
