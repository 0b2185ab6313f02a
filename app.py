"""Ledningsdashboard – entry script: page config, database check, navigation, sidebar, page.

What is shown is one view (dashboard.viewstate), read from and written to the address by
dashboard.ui.navigation; this script only wires them together.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if "dashboard" not in sys.modules:  # resolving the path is a syscall per click; needed only until imported
    _SRC = str(Path(__file__).resolve().parent / "src")
    if _SRC not in sys.path:  # run without installing; app.py runs on every click, sys.path must not grow
        sys.path.insert(0, _SRC)

import streamlit as st  # noqa: E402

from dashboard import data  # noqa: E402
from dashboard import viewstate as vs  # noqa: E402
from dashboard.textsafe import md  # noqa: E402
from dashboard.ui.faults import DATABASE_ERRORS, database_fault, unexpected_fault  # noqa: E402
from dashboard.ui import (  # noqa: E402
    ACCESS_KEY, CTX_KEY, PAGE_OBJECTS_KEY, PAGES, css, current_access, freshness_line, projector_css,
)
from dashboard.ui.context import build as build_context  # noqa: E402
from dashboard.ui import navigation as nav  # noqa: E402
from dashboard.ui import sidebar  # noqa: E402
from dashboard.ui.projector import reserve_bar  # noqa: E402

st.set_page_config(page_title="Ledningsdashboard", page_icon="📊", layout="wide")
st.html(css(), unsafe_allow_javascript=True)  # our styles and Streamlit's chrome in Swedish (ui/chrome.py)

try:
    data.engine()
    data.refresh_version()
    data.q("namnder")
except Exception as exc:  # noqa: BLE001 - the user gets words; the detail goes to the server log only
    database_fault(exc)
    st.stop()

access = current_access()
if access.mode == "avvisad":  # local mode answers only localhost/127.0.0.1 (README, Drift)
    st.error("**Adressen är inte tillåten.** Den lokala dashboarden svarar bara på http://localhost "
             "eller http://127.0.0.1. Öppna den därifrån; för användning i nätverket krävs inloggning "
             "(README, avsnittet Drift).")
    st.stop()
st.session_state[ACCESS_KEY] = access

PAGE_LIST = [  # id, title, icon
    ("oversikt", "Översikt", ":material/dashboard:"),
    ("ekonomi", "Ekonomi", ":material/payments:"),
    ("verksamhet", "Verksamhet", ":material/account_tree:"),
    ("mal", "Mål", ":material/flag:"),
    ("indikatorer", "Indikatorer", ":material/monitoring:"),
    ("volymer", "Volymer", ":material/stacked_bar_chart:"),
    ("personal", "Personal", ":material/groups:"),
    ("uppdrag", "Uppdrag", ":material/assignment:"),
    ("internkontroll", "Internkontroll", ":material/shield:"),
    ("bildspel", "Bildspel och export", ":material/slideshow:"),
]
if access.can_import_anything:
    PAGE_LIST.append(("importera", "Importera", ":material/upload_file:"))
# One set of st.Page objects per session (building them resolves every script path: a tenth of a
# rerun, docs/benchmark.md); per session, not per process, because st.navigation marks the page it
# returns as callable and only this session's one script thread may consume that mark.
known = st.session_state.get(PAGE_OBJECTS_KEY)
if known is None or known[0] != PAGE_LIST:
    known = (PAGE_LIST, {page_id: st.Page(PAGES[page_id], title=title, icon=icon, default=page_id == "oversikt",
                                          url_path=vs.PAGE_PATHS[page_id] or None)
                         for page_id, title, icon in PAGE_LIST})
    st.session_state[PAGE_OBJECTS_KEY] = known
pages = known[1]
# The menu is ours (sidebar.page_links): its links carry the view in the address.
current = st.navigation(list(pages.values()), position="hidden")
page_id = vs.PAGE_BY_PATH.get(current.url_path, "oversikt")

if access.mode == "inloggning" and not access.signed_in:
    st.title("Ledningsdashboard")
    st.markdown("Logga in med kommunens konto för att se uppföljningen.")
    st.button("Logga in", icon=":material/login:", on_click=st.login, type="primary", key="login")
    st.stop()

try:
    catalog = nav.StreamlitCatalog(access)
except DATABASE_ERRORS as exc:
    database_fault(exc)
    st.stop()
if not catalog.namnder():
    if page_id == "importera":  # an empty database: the import page is all there is
        nav.run_page(current)
        st.stop()
    st.warning("Databasen har inga uppgifter som du kan se ännu. Läs in en arbetsbok: "
               "`python -m dashboard import FIL.xlsx`" + (" eller på sidan Importera." if access.can_import_anything else "."))
    st.stop()

view, notices = nav.begin(page_id, catalog)
bar = reserve_bar()  # the projector's top bar (empty on a laptop): its Inställningar holds the selection
view = sidebar.selection(view, catalog, bar)
ctx = build_context(view, catalog, notices)
st.session_state[CTX_KEY] = ctx
with st.sidebar:  # right under the selects: the whole choice in words, wrapped (a select cuts long names)
    st.caption(freshness_line(ctx))
if not view.projektor:  # on a projector the sidebar is hidden and the links are at the top
    sidebar.page_links(pages)

with st.sidebar:
    if access.mode == "inloggning":
        st.caption(f"Inloggad: {md(access.identity)}")
        st.button("Logga ut", icon=":material/logout:", on_click=st.logout, key="logout")
    elif access.mode == "skrivskyddad":
        st.caption("Skrivskyddat läge: bara fastställda uppföljningar visas och import är avstängd. "
                   "Konfigurera inloggning (OpenID Connect) enligt README, avsnittet Drift, för att "
                   "visa utkast och läsa in filer.")
sidebar.projector_toggle()

if view.projektor:
    st.html(projector_css())
    with bar.links():  # what the audience sees: the pages, Inställningar and the exit (ui/projector.py)
        for pid, page in pages.items():
            if pid != "importera":  # nobody imports in front of a nämnd
                st.page_link(page, label=page.title, query_params=nav.link(pid))
    with bar.exit():
        st.button("Avsluta", icon=":material/close_fullscreen:", key="exit_projector",
                  help="Avsluta presentationsläget", on_click=sidebar.leave_projector)
    st.caption(freshness_line(ctx))

for notice in notices:
    st.warning(md(notice), icon=":material/warning:")  # notices quote URL values: literal
if ctx.round.get("status") == "utkast":
    st.error("**UTKAST – ej fastställd av nämnden.** Uppgifterna kan ändras innan nämnden beslutar.",
             icon=":material/edit_note:")

try:
    nav.run(current, catalog)
except DATABASE_ERRORS as exc:  # dropped mid-run: Swedish words, not Streamlit's English box
    database_fault(exc)
except Exception as exc:  # noqa: BLE001 - a bug on a page: Swedish words for the reader, detail in the log
    if os.environ.get("DASHBOARD_RAISE_PAGE_ERRORS"):  # the tests (and developers) want the traceback
        raise
    unexpected_fault(exc)
