"""The view in a Streamlit session: where `viewstate` meets the address bar and the widgets.

Each run:
1. `begin(page)` decides the view. If the browser brought an address we did not write (first
   load, a link, back/forward, a same-page link such as a breadcrumb) the view is parsed from
   it (with notices); otherwise it is the session's view from the last run.
2. Widgets are kept in step with the view by `widget(key, value)`: it tells whether the user
   changed that widget since the last run (then the page takes the widget's value into the view)
   or pushes the view's value into it (a link, the back button or another widget changed it).
3. `finish()` writes the address once, at the end of the run, when the address the browser shows
   does not describe the view. One write per run = one history entry per view, so the back
   button goes to the previous view.

Why not Streamlit's `bind="query-params"`: it drops invalid values silently (a link deserves a
notice), replaces the history entry instead of adding one (back would skip views) and puts the
option label in the address (Swedish labels, not short ASCII values). So nothing binds; this
module writes the address itself.

Streamlit 1.67 facts this relies on (tests/test_navigation_browser.py checks them):
- `st.query_params.from_dict` sends one message; the browser pushes a history entry unless the
  run is a back/forward navigation (then it replaces) or the query is what it already shows.
- `st.page_link` to another page pushes one entry with its query; to the *same* page it reruns
  with the new query but leaves the address bar as it was – so after such a run we always write.
- `st.switch_page` pushes two entries (the query on the old path, then the new path), so a
  switch carries the current page's settings too (`switch`): the extra entry then shows the view
  the user came from.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from .. import formatting as fmt
from .. import viewstate as vs
from ..data import keyed, memo, q

VIEW_KEY = "_view"
SHOWN_KEY = "_view_shown"  # (page, query) the browser shows after our last run
SEEN_KEY = "_view_seen"  # widget key -> the value it had after our last run
RUN_KEY = "_view_run"  # how this run began: "load", "same", "page" or "query"
_MISSING = object()


# --- what exists -------------------------------------------------------------------------------


class StreamlitCatalog:
    """`viewstate.Catalog` from the cached queries, limited to the rounds the viewer may see.

    The one place that maps codes to ids and fetches names for the view; when dimension names
    move to per-round versions, only this class changes."""

    def __init__(self, access) -> None:
        self._namnder, self._visible = _catalog_of(access)
        self._rounds: dict[tuple[str, str], pd.DataFrame] = {}
        self._labels: dict[tuple[str, str], str] | None = None
        self._round_rows: dict[tuple, dict] = {}  # one run asks for the same round many times

    # Catalog protocol
    def namnder(self) -> list[tuple[str, str]]:
        return list(self._namnder)

    def namnd_name(self, kommun: str, namnd: str) -> str:
        """The name a reader knows the nämnd by (its newest adopted round's: queries.namnder);
        the page shows the shown round's own name."""
        return self._namnder[(kommun, namnd)].namnd_name

    def rounds(self, kommun: str, namnd: str) -> list[dt.date]:
        return list(self.rounds_frame(kommun, namnd)["period_end"])

    def round_label(self, kommun: str, namnd: str, period_end: dt.date) -> str:
        row = self.round_row(kommun, namnd, period_end)
        return f"{row['kind']} {period_end.year}"

    def forvaltningar(self, kommun: str, namnd: str, period_end: dt.date) -> list[str]:
        return memo(_forvaltning_keys, int(self.round_row(kommun, namnd, period_end)["round_id"]))

    def units(self, kommun: str, namnd: str, period_end: dt.date | None) -> set[str] | frozenset[str]:
        if period_end is not None:
            return _unit_keys(int(self.round_row(kommun, namnd, period_end)["round_id"]))
        return set(self.units_frame(kommun, namnd, period_end)["key"])

    def goal_areas(self, kommun: str, namnd: str, period_end: dt.date) -> set[str]:
        goals = q("goal_assessments", int(self.round_row(kommun, namnd, period_end)["round_id"]))
        return set(goals[goals["level"] == "målområde"]["key"]) if len(goals) else set()

    def kolada_years(self, kpi: str) -> set[int]:
        return {int(y) for y in q("kolada_periods", kpi)}

    # for the sidebar and the page context
    def namnd_row(self, kommun: str, namnd: str):
        return self._namnder[(kommun, namnd)]

    def namnd_id(self, kommun: str, namnd: str) -> int:
        return int(self._namnder[(kommun, namnd)].namnd_id)

    def namnd_label(self, key: tuple[str, str]) -> str:
        """'Luleå kommun – Arbetsmarknads- och gymnasienämnden'; a label two nämnder share carries
        the codes (the selectbox tells options apart by label: issue 10.11)."""
        if self._labels is None:
            plain = {k: f"{r.kommun_name} – {self.namnd_name(*k)}" for k, r in self._namnder.items()}
            twice = {v for v in plain.values() if list(plain.values()).count(v) > 1}
            self._labels = {k: (f"{v} ({k[0]} {k[1]})" if v in twice else v) for k, v in plain.items()}
        return self._labels[key]

    def rounds_frame(self, kommun: str, namnd: str) -> pd.DataFrame:
        key = (kommun, namnd)
        frame = self._rounds.get(key)
        if frame is None:  # a shallow copy (copy-on-write), the same one for the whole run, as q gives
            # read when a run first asks for this nämnd's rounds (the shown one, mostly), not for
            # every nämnd when the catalog is made
            frame = self._rounds[key] = memo(_visible_rounds, *self._visible[key]).copy(deep=False)
        return frame

    def round_row(self, kommun: str, namnd: str, period_end: dt.date) -> dict:
        key = (kommun, namnd, period_end)
        if key not in self._round_rows:
            self._round_rows[key] = memo(_round_row, *self._visible[(kommun, namnd)], period_end)
        return dict(self._round_rows[key])

    def units_frame(self, kommun: str, namnd: str, period_end: dt.date | None) -> pd.DataFrame:
        """The organisation of that round (names and tree are per round); None: every visible
        round's units together (for remembered keys that outlive a round)."""
        if period_end is not None:
            return q("units", int(self.round_row(kommun, namnd, period_end)["round_id"]))
        frames = [q("units", int(r)) for r in self.rounds_frame(kommun, namnd)["round_id"]]
        return pd.concat(frames, ignore_index=True).drop_duplicates("key") if frames else pd.DataFrame(columns=["key"])

    def forvaltning_labels(self, kommun: str, namnd: str, period_end: dt.date) -> dict[str, str]:
        return memo(_forvaltning_labels, int(self.round_row(kommun, namnd, period_end)["round_id"]))

    def round_labels(self, kommun: str, namnd: str) -> dict[dt.date, str]:
        return memo(_round_labels, *self._visible[(kommun, namnd)])


def _catalog_of(access) -> tuple[dict, dict]:
    """What the viewer may see – the nämnder with a visible round and their visible round ids
    (each nämnd's round list is read when a run first asks for it: StreamlitCatalog.rounds_frame)
    – once per user (mode, identity, the roles read this run: a changed role counts
    on the next click) and data version (an import is seen on the next run). Every run asks; per
    nämnd it was a visibility check and two cache look-ups on each run."""
    from .signin import visible_round_ids

    roles = tuple(sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in access.roles))

    def compute():
        namnder: dict[tuple[str, str], Any] = {}
        visible: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = {}
        for r in memo(_namnd_rows):
            ids = visible_round_ids(access, int(r.namnd_id), r.kommun_code, r.namnd_code)
            if ids:
                key = (r.kommun_code, r.namnd_code)
                namnder[key] = r
                visible[key] = (int(r.namnd_id), tuple(ids))
        return namnder, visible

    # the dicts are handed out as shallow copies (data._handout)
    return keyed(("catalog", access.mode, access.identity, roles), compute)


def _visible_rounds(namnd_id: int, visible: tuple[int, ...]) -> pd.DataFrame:
    """The nämnd's rounds a viewer may see (per data version and set of rounds: every run asks)."""
    rounds = q("rounds", namnd_id)
    return rounds[rounds["round_id"].isin(visible)].reset_index(drop=True)


def _namnd_rows() -> list:
    """The nämnder as rows (per data version: itertuples over the frame cost more than the rest of
    the catalog on every run)."""
    return list(q("namnder").itertuples())


def _round_row(namnd_id: int, visible: tuple[int, ...], period_end: dt.date) -> dict:
    """One visible round's record (per data version: every run asks for the shown round)."""
    rounds = _visible_rounds(namnd_id, visible)
    return rounds[rounds["period_end"] == period_end].iloc[0].to_dict()


def _round_labels(namnd_id: int, visible: tuple[int, ...]) -> dict[dt.date, str]:
    return {r.period_end: fmt.round_label(r.kind, r.period_end) for r in _visible_rounds(namnd_id, visible).itertuples()}


def _forvaltning_labels(round_id: int) -> dict[str, str]:
    """The sidebar's förvaltning choices of a round (per data version: every run asks)."""
    forv = q("round_forvaltningar", round_id)  # not the whole organisation (queries.round_forvaltningar)
    labels = {vs.ALL: "Alla förvaltningar (hela nämndens redovisning)"}
    labels |= {key.casefold(): f"{name} ({key.upper()})" for key, name in forv}
    labels[vs.NAMND_ONLY] = "Hela nämnden (ej förvaltningsfördelat)"
    return labels


def _forvaltning_keys(round_id: int) -> list[str]:
    return [key.casefold() for key, _ in q("round_forvaltningar", round_id)]


def _unit_keys(round_id: int) -> frozenset[str]:
    """A round's unit keys: one column (queries.unit_keys), not `units` (2 000 rows, 14 columns),
    so a page that never shows the organisation does not read it on a new round."""
    return q("unit_keys", round_id)


# --- the run -----------------------------------------------------------------------------------


def _address() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _frozen(params) -> tuple:
    out = []
    for k, v in params.items():
        out.append((k, (v,) if isinstance(v, str) else tuple(v)))
    return tuple(sorted(out))


def begin(page: str, catalog: vs.Catalog) -> tuple[vs.View, list[str]]:
    """The view for this run and the notices for the address it came from."""
    address = _address()
    shown = st.session_state.get(SHOWN_KEY)
    memory: vs.View | None = st.session_state.get(VIEW_KEY)
    now = (page, _frozen(address))
    if shown is None or memory is None:
        kind = "load"
    elif now == shown:
        kind = "same"
    elif page != shown[0]:
        kind = "page"
    else:
        kind = "query"
    st.session_state[RUN_KEY] = kind
    if kind == "same":
        view, notices = vs.resolve(replace(memory, page=page), catalog), []
    else:
        view, notices = vs.parse(address, page, catalog, memory)
    st.session_state[VIEW_KEY] = view
    return view, notices


def view() -> vs.View:
    return st.session_state[VIEW_KEY]


def update(new: vs.View) -> vs.View:
    """Replace the view (a page took a widget's value, or a button changed a setting)."""
    st.session_state[VIEW_KEY] = new
    return new


def update_page(**changes) -> vs.View:
    """Replace settings of the view, e.g. update_page(mal=Filters(...))."""
    return update(replace(view(), **changes))


def widget(key: str, value: Any, options=None, norm: Callable[[Any], Any] = lambda v: v) -> tuple[bool, Any]:
    """Keep widget `key` and the view in step; call before the widget is drawn (without a
    default of its own: the value comes from here).

    Returns (True, the widget's value) if the user changed it since the last run – the caller
    then puts that value into the view – else pushes `value` (the view's) into the widget and
    returns (False, value). `options`: values the widget may hold (a stale one is replaced);
    `norm`: how to compare values (e.g. a table's selected rows)."""
    seen = st.session_state.setdefault(SEEN_KEY, {})
    if key in st.session_state and key in seen:
        current = st.session_state[key]
        if norm(current) != seen[key] and (options is None or current in options):
            seen[key] = norm(current)
            return True, current
    if key not in st.session_state or norm(st.session_state[key]) != norm(value):
        st.session_state[key] = value
    seen[key] = norm(value)
    return False, value


def synced_filters(prefix: str, f):
    """Mål's and Uppdrag's filters (`spar`, `sok`) in step with their widgets `{prefix}_off_track`
    and `{prefix}_search`; returns the filters with what the user changed."""
    changed, value = widget(f"{prefix}_off_track", f.spar)
    if changed:
        f = replace(f, spar=bool(value))
    changed, value = widget(f"{prefix}_search", f.sok)
    if changed:
        f = replace(f, sok=(value or "").strip()[:vs.MAX_VALUE])  # an address value has a length limit
    return f


_LINKS = threading.local()  # this script thread's (view, {(page, changes): params})


def link(page: str, **changes) -> dict[str, str]:
    """Query parameters of a link to `page`: the view with `changes`, that page's settings.

    A run draws 20–30 links from one view (the menu, Översikt's units and pages); each was a
    dataclass replace plus to_params, a tenth of our own code's time in a rerun on the built-in
    data (docs/benchmark.md). They are kept per view object: a View is immutable and to_params
    depends on nothing else, so the same object always gives the same address (a new view –
    another widget value, another run – is another object and starts afresh)."""
    current = view()
    memo = getattr(_LINKS, "memo", None)
    if memo is None or memo[0] is not current:
        memo = _LINKS.memo = (current, {})
    try:
        key = (page, tuple(sorted(changes.items())))
        hash(key)
    except TypeError:  # an unhashable change value: not kept
        return vs.to_params(replace(current, page=page, **changes))
    params = memo[1].get(key)
    if params is None:
        params = memo[1][key] = vs.to_params(replace(current, page=page, **changes))
    return dict(params)  # the caller may add to it


def switch(page_script: str, page: str, **changes) -> None:
    """st.switch_page to `page` with `changes`. The query carries this page's settings too: the
    browser first shows the switch's query on this page's path (an extra history entry), which
    must still show the view the user came from when they press back."""
    target = link(page, **changes)
    st.switch_page(page_script, query_params=vs.to_params(view()) | target)


def finish(catalog: vs.Catalog) -> None:
    """Write the address of the view if the browser does not already show it."""
    current = view()
    kind = st.session_state.get(RUN_KEY)
    shown = st.session_state.get(SHOWN_KEY)
    address = _address()
    if kind == "same":
        shown_params = dict(shown[1])
    elif kind == "query":
        shown_params = None  # a same-page link leaves the address bar unchanged: always write
    else:
        shown_params = address
    wanted = vs.to_params(current)
    if shown_params is not None and (_frozen(shown_params) == _frozen(wanted)
                                     or vs.describes(shown_params, current, catalog)):
        st.session_state[SHOWN_KEY] = (current.page, _frozen(shown_params))
        return
    st.query_params.from_dict(wanted)
    st.session_state[SHOWN_KEY] = (current.page, _frozen(wanted))


class PageEnd(Exception):
    """Raised by `stop_page()`: the page has nothing more to show (caught by `run`)."""


def stop_page() -> None:
    """End the page early, like st.stop(), but let `run` write the address afterwards.

    Pages must use this instead of st.stop(): after st.stop() Streamlit drops every message the
    run still sends (the stop request stays pending), so the address would go stale.
    tests/test_navigation.py checks that no page calls st.stop()."""
    raise PageEnd


def run_page(page) -> None:
    """Run the page script; stop_page() ends it."""
    try:
        page.run()
    except PageEnd:
        pass


def run(page, catalog: vs.Catalog) -> None:
    """Run the page, then write the address (also when the page ends early with stop_page)."""
    run_page(page)
    finish(catalog)  # st.rerun / st.switch_page raise past this: the next run writes
