"""Presentation mode (?visning=projektor): one switch that pages and charts ask, and the top bar.

On a projector the audience sees the page links, the exit, the slide's Föregående/Nästa and one
"Inställningar" control – nothing else (issue 13). Every filter, search, segmented control and
toggle of a page is drawn inside `settings()`: on a laptop that is a plain container where the
page calls it, on a projector the bar's popover. The bar is reserved at the top of the page by
app.py before the sidebar's selection is drawn, so the selection can live in the popover too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

PROJECTOR_KEY = "f_projector"  # the sidebar toggle's key
BAR_KEY = "_projector_bar"  # this run's Bar (session state: one per session, set every run)


def projector() -> bool:
    """The view says so (ui.navigation keeps the toggle and the address in step with it)."""
    from .navigation import VIEW_KEY

    view = st.session_state.get(VIEW_KEY)
    return bool(view.projektor) if view is not None else bool(st.session_state.get(PROJECTOR_KEY))


class Bar:
    """The projector's top bar: [page links and the exit] [Inställningar]. Reserved (an empty
    container, nothing on a laptop) before anything is drawn; filled only in projector mode."""

    def __init__(self) -> None:
        self._top = st.container()
        self._row = None
        self._links = None
        self._settings = None

    def _build(self) -> None:
        if self._row is None:
            with self._top:
                self._row = st.container(horizontal=True, gap="small", vertical_alignment="top",
                                         key="projector_bar")
            self._links = self._row.container(horizontal=True, gap="small", width="stretch")
            right = self._row.container(horizontal=True, gap="small", width="content")
            self._settings = right.popover("Inställningar", icon=":material/tune:", key="projector_settings")
            self._exit = right.container(width="content")

    def links(self):
        """The container for the page links."""
        self._build()
        return self._links

    def exit(self):
        """The container for the exit button (beside Inställningar)."""
        self._build()
        return self._exit

    def settings(self):
        """The Inställningar popover."""
        self._build()
        return self._settings


def reserve_bar() -> Bar:
    """Called once per run by app.py, above everything the page draws."""
    bar = Bar()
    st.session_state[BAR_KEY] = bar
    return bar


def columns(spec):
    """st.columns on a laptop; inside Inställningar on a projector the controls stack (a narrow
    popover would cut their labels)."""
    if projector():
        return [st.container() for _ in (range(spec) if isinstance(spec, int) else spec)]
    return st.columns(spec)


@contextlib.contextmanager
def settings() -> Iterator[None]:
    """Where a page draws its controls: in place on a laptop, inside Inställningar on a projector
    (also when a page runs without app.py's bar, e.g. in a unit test: then in place)."""
    bar = st.session_state.get(BAR_KEY)
    place = bar.settings() if projector() and bar is not None else st.container()
    with place:
        yield
