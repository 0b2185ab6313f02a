"""Presentation mode (?visning=projektor): one switch that pages and charts ask."""

from __future__ import annotations

import streamlit as st

PROJECTOR_KEY = "f_projector"


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY))
