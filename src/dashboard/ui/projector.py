"""Presentation mode (?visning=projektor): one switch that pages and charts ask."""

from __future__ import annotations

import streamlit as st

PROJECTOR_KEY = "f_projector"  # the sidebar toggle's key


def projector() -> bool:
    """The view says so (ui.navigation keeps the toggle and the address in step with it)."""
    from .navigation import VIEW_KEY

    view = st.session_state.get(VIEW_KEY)
    return bool(view.projektor) if view is not None else bool(st.session_state.get(PROJECTOR_KEY))
