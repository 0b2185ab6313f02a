"""Ledningsdashboard – entry script: page config, shared filters (kept in the URL), navigation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))  # run without installing

import datetime as dt  # noqa: E402

import streamlit as st  # noqa: E402

from dashboard import data  # noqa: E402
from dashboard import economy as ec  # noqa: E402
from dashboard.rounds import previous_round  # noqa: E402
from dashboard.textsafe import md  # noqa: E402
from dashboard.ui.faults import DATABASE_ERRORS, database_fault  # noqa: E402
from dashboard.ui import (  # noqa: E402
    ACCESS_KEY, CTX_KEY, PAGES, PROJECTOR_KEY, URL_KEYS, Context, css, current_access, projector_css,
    freshness_line, visible_round_ids,
)

st.set_page_config(page_title="Ledningsdashboard", page_icon="📊", layout="wide")
st.html(css(), unsafe_allow_javascript=True)  # our styles and Streamlit's chrome in Swedish (ui/chrome.py)

try:
    data.engine()
    data.refresh_version()
    namnder = data.q("namnder")
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

pages = [
    st.Page(PAGES["oversikt"], title="Översikt", icon=":material/dashboard:", default=True),
    st.Page(PAGES["ekonomi"], title="Ekonomi", icon=":material/payments:", url_path="ekonomi"),
    st.Page(PAGES["verksamhet"], title="Verksamhet", icon=":material/account_tree:", url_path="verksamhet"),
    st.Page(PAGES["mal"], title="Mål", icon=":material/flag:", url_path="mal"),
    st.Page(PAGES["indikatorer"], title="Indikatorer", icon=":material/monitoring:", url_path="indikatorer"),
    st.Page(PAGES["volymer"], title="Volymer", icon=":material/stacked_bar_chart:", url_path="volymer"),
    st.Page(PAGES["personal"], title="Personal", icon=":material/groups:", url_path="personal"),
    st.Page(PAGES["uppdrag"], title="Uppdrag", icon=":material/assignment:", url_path="uppdrag"),
    st.Page(PAGES["internkontroll"], title="Internkontroll", icon=":material/shield:", url_path="internkontroll"),
    st.Page(PAGES["bildspel"], title="Bildspel och export", icon=":material/slideshow:", url_path="bildspel"),
]
if access.can_import_anything:
    pages.append(st.Page(PAGES["importera"], title="Importera", icon=":material/upload_file:", url_path="importera"))
# Presentation mode (?visning=projektor): no sidebar or chrome, large type; survives a reload.
if PROJECTOR_KEY not in st.session_state:
    st.session_state[PROJECTOR_KEY] = (st.query_params.get("visning") or "").lower() == "projektor"
nav = st.navigation(pages, position="hidden" if st.session_state[PROJECTOR_KEY] else "sidebar")

if access.mode == "inloggning" and not access.signed_in:
    st.title("Ledningsdashboard")
    st.markdown("Logga in med kommunens konto för att se uppföljningen.")
    st.button("Logga in", icon=":material/login:", on_click=st.login, type="primary", key="login")
    st.stop()

namnder = namnder[[bool(visible_round_ids(access, int(r.namnd_id), r.kommun_code, r.namnd_code))
                   for r in namnder.itertuples()]] if len(namnder) else namnder
if namnder.empty:
    if nav.url_path == "importera":
        nav.run()
        st.stop()
    st.warning("Databasen har inga uppgifter som du kan se ännu. Läs in en arbetsbok: "
               "`python -m dashboard import FIL.xlsx`" + (" eller på sidan Importera." if access.can_import_anything else "."))
    st.stop()

params = st.query_params
notices: list[str] = []


def _param(name: str) -> str | None:
    value = params.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- kommun / nämnd -------------------------------------------------------------------------
namnd_options = [
    (r.kommun_code, r.namnd_code) for r in namnder.itertuples()
]
labels = {(r.kommun_code, r.namnd_code): f"{r.kommun_name} – {r.namnd_name}" for r in namnder.itertuples()}
# The selectbox tells options apart by their label: two nämnder with the same label swapped on the
# first click (issue 10.11). Labels that occur twice carry the codes.
_twice = {v for v in labels.values() if list(labels.values()).count(v) > 1}
labels = {k: (f"{v} ({k[0]} {k[1]})" if v in _twice else v) for k, v in labels.items()}
if "f_namnd" not in st.session_state:
    wanted = (_param("kommun"), (_param("namnd") or "").upper() or None)
    chosen = None
    if wanted != (None, None):
        chosen = next((o for o in namnd_options if o == wanted), None)
        if chosen is None:
            by_namnd = [o for o in namnd_options if o[1] == wanted[1]]
            by_kommun = [o for o in namnd_options if o[0] == wanted[0]]
            chosen = (by_namnd or by_kommun or [None])[0]
            notices.append(
                f"Nämnden {wanted[1] or '?'} i kommun {wanted[0] or '?'} finns inte i databasen; "
                f"visar {labels[chosen or namnd_options[0]]} i stället."
            )
    st.session_state["f_namnd"] = chosen or namnd_options[0]

with st.sidebar:
    st.markdown("### Urval")
    sel = st.selectbox("Kommun och nämnd", namnd_options, format_func=labels.get, key="f_namnd")
nrow = namnder[(namnder.kommun_code == sel[0]) & (namnder.namnd_code == sel[1])].iloc[0]
namnd_id = int(nrow.namnd_id)
rounds = data.q("rounds", namnd_id)
rounds = rounds[rounds["round_id"].isin(visible_round_ids(access, namnd_id, nrow.kommun_code, nrow.namnd_code))]
rounds = rounds.reset_index(drop=True)
# --- uppföljningstillfälle ------------------------------------------------------------------
round_options = [r.period_end for r in rounds.itertuples()]
round_key = f"f_round_{namnd_id}"
round_labels = {r.period_end: f"{r.kind} {r.period_end.year} (t.o.m. {r.period_end.isoformat()})" for r in rounds.itertuples()}
if st.session_state.get(round_key) not in round_options:
    st.session_state.pop(round_key, None)
if round_key not in st.session_state:
    wanted = _param("tillfalle")
    value = round_options[0]
    if wanted:
        try:
            wanted_date = dt.date.fromisoformat(wanted)
        except ValueError:
            wanted_date = None
            notices.append(f"«{wanted}» är inget datum (ÅÅÅÅ-MM-DD); visar senaste uppföljningen.")
        if wanted_date is not None:
            if wanted_date in round_options:
                value = wanted_date
            else:
                earlier = [d for d in round_options if d <= wanted_date]
                value = earlier[0] if earlier else round_options[-1]
                notices.append(
                    f"Det finns ingen uppföljning med periodslut {wanted} för {nrow.namnd_name}; "
                    f"visar {round_labels[value]}."
                )
    st.session_state[round_key] = value

# Names and organisation belong to the round: the units are those of the round chosen.
units = data.q("units", int(rounds.iloc[round_options.index(st.session_state[round_key])]["round_id"]))

# --- förvaltning ----------------------------------------------------------------------------
forv = units[(units.level == "förvaltning") & ~units.historical.astype(bool)]
scope_options = [ec.ALL] + list(forv.key) + [ec.NAMND_ONLY]
scope_labels = {ec.ALL: "Alla (hela nämndens redovisning)", ec.NAMND_ONLY: "Hela nämnden (ej förvaltningsfördelat)"}
scope_labels |= {r.key: f"{r.name} ({r.key.upper()})" for r in forv.itertuples()}
scope_key = f"f_scope_{namnd_id}"
if st.session_state.get(scope_key, ec.ALL) not in scope_options:  # the round has other förvaltningar
    st.session_state.pop(scope_key, None)
if scope_key not in st.session_state:
    wanted = _param("forvaltning")
    value = ec.ALL
    if wanted:
        match = [o for o in scope_options if o and o.casefold() == wanted.casefold()]
        if match:
            value = match[0]
        else:
            notices.append(f"Förvaltningen «{wanted}» finns inte för {nrow.namnd_name}; visar alla förvaltningar.")
    st.session_state[scope_key] = value

with st.sidebar:
    scope = st.selectbox("Förvaltning", scope_options, format_func=scope_labels.get, key=scope_key)
    period_end = st.selectbox("Uppföljningstillfälle", round_options, format_func=round_labels.get, key=round_key)

position = round_options.index(period_end)
round_row = rounds.iloc[position].to_dict()
# once per data version and visible round list (the rule reads every round's record)
prev_row = data.keyed(("previous_round", namnd_id, tuple(int(r) for r in rounds["round_id"]), int(round_row["round_id"])),
                      lambda: previous_round(rounds, round_row))

ctx = Context(
    namnd_id=namnd_id,
    kommun_code=nrow.kommun_code,
    kommun_name=nrow.kommun_name,
    namnd_code=nrow.namnd_code,
    namnd_name=round_row["namnd_name"],
    rounds=rounds,
    round=round_row,
    prev_round=prev_row,
    scope=scope,
    scope_label=scope_labels[scope].split(" (")[0] if scope else "",
    units=units,
    unit_key=_param("enhet"),
    notices=notices,
)
st.session_state[CTX_KEY] = ctx

# Write the canonical filter state back to the URL so a reload or a copied link keeps it.
wanted_params = ctx.url_params()
if nav.url_path == "verksamhet" and ctx.unit_key:
    wanted_params["enhet"] = ctx.unit_key
current = {k: params.get(k) for k in URL_KEYS if params.get(k)}
if current != wanted_params:
    for key in URL_KEYS:
        if key in wanted_params:
            if params.get(key) != wanted_params[key]:
                params[key] = wanted_params[key]
        elif key in params:
            del params[key]

with st.sidebar:
    st.caption(freshness_line(ctx))
    if access.mode == "inloggning":
        st.caption(f"Inloggad: {access.identity}")
        st.button("Logga ut", icon=":material/logout:", on_click=st.logout, key="logout")
    elif access.mode == "skrivskyddad":
        st.caption("Skrivskyddat läge: bara fastställda uppföljningar visas och import är avstängd. "
                   "Konfigurera inloggning (OpenID Connect) enligt README, avsnittet Drift, för att "
                   "visa utkast och läsa in filer.")
    st.toggle("Presentationsläge (projektor)", key=PROJECTOR_KEY,
              help="Döljer sidofältet, stor text för projektor. Avsluta med länken överst på sidan.")

if st.session_state[PROJECTOR_KEY]:
    st.html(projector_css())
    with st.container(horizontal=True, gap="small"):
        for page in pages:
            st.page_link(page, label=page.title, query_params=ctx.url_params())
        st.button("Avsluta presentationsläge", icon=":material/close_fullscreen:", key="exit_projector",
                  on_click=lambda: st.session_state.update({PROJECTOR_KEY: False}))
    st.caption(freshness_line(ctx))

for notice in notices:
    st.warning(md(notice), icon=":material/warning:")  # notices quote URL values: literal
if ctx.round.get("status") == "utkast":
    st.error("**UTKAST – ej fastställd av nämnden.** Uppgifterna kan ändras innan nämnden beslutar.",
             icon=":material/edit_note:")

try:
    nav.run()
except DATABASE_ERRORS as exc:  # dropped mid-run: Swedish words, not Streamlit's English box
    database_fault(exc)
