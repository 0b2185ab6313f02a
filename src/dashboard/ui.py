"""Streamlit UI helpers shared by app.py and the pages: filter context, URL state, badges, links.

The shared filters live in the URL (plain ASCII names, the data's stable keys) so a copied link
opens the same view: kommun, namnd, forvaltning, tillfalle, enhet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from . import economy as ec
from . import formatting as fmt
from . import status as stt
from . import textsafe
from .textsafe import md
from .data import q

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
ACCESS_KEY = "_access"


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
    units: pd.DataFrame
    unit_key: str | None = None
    notices: list[str] = field(default_factory=list)

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
        return ec.scope_unit_ids(self.units, self.scope)

    def url_params(self, **extra: str | None) -> dict[str, str]:
        params = {
            "kommun": self.kommun_code,
            "namnd": self.namnd_code,
            "tillfalle": self.period_end.isoformat(),
        }
        if self.scope:
            params["forvaltning"] = scope_url_value(self.scope)
        if projector():
            params["visning"] = "projektor"
        for key, value in extra.items():
            if value:
                params[key] = value
        return params

    def title(self, view: str) -> str:
        """The page title as markdown for st.title (names are data: escaped)."""
        scope = "" if not self.scope else f" · {md(self.scope_label)}"
        return f"{view} – {md(self.namnd_name)}{scope}"


def scope_url_value(scope: str) -> str:
    return scope if scope == ec.NAMND_ONLY else scope.upper()


def context() -> Context:
    """The filter context app.py resolved for this run.

    If it is missing, Streamlit ran a page script on its own: on the very first session of a
    server process a direct link (/ekonomi) is routed by the legacy pages/ directory mode,
    before app.py has called st.navigation (which switches that mode off for the process).
    Switch it off and rerun, so app.py runs and routes the same URL.
    """
    _ensure_app_ran(CTX_KEY)
    return st.session_state[CTX_KEY]


def _ensure_app_ran(key: str) -> None:
    if key not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def status_badge(info: stt.Status, word: str | None = None, large: bool = False) -> str:
    """HTML for a traffic light that never relies on colour alone: symbol + word + colour."""
    # the word may come from the workbook: literal markdown inside our own span
    text = md(word if isinstance(word, str) and word.strip() else info.label)
    size = " badge-lg" if large else ""
    return f'<span class="badge tone-{info.tone}{size}">{info.symbol} {text}</span>'


def text_block(body: str) -> str:
    """Report text for st.markdown: line breaks kept, no HTML, links, images, LaTeX or headings."""
    return textsafe.text_block(body)


def unit_link(ctx: Context, key: str, label: str, icon: str | None = None) -> None:
    st.page_link(PAGES["verksamhet"], label=md(label), icon=icon, query_params=ctx.url_params(enhet=key))


def freshness_line(ctx: Context) -> str:
    imported = ctx.round.get("imported_at")
    imported_text = fmt.date_short(imported) if imported is not None and not pd.isna(imported) else "okänt"
    status = ctx.round.get("status") or "fastställd"
    draft = " · **UTKAST – ej fastställd av nämnden**" if status == "utkast" else ""
    return (
        f"Data: {md(ctx.kommun_name)}, {md(ctx.namnd_name)} · {md(ctx.round_label)} · "
        f"belopp i {md(ctx.amount_unit)} · importerad {md(imported_text)}{draft}"
    )


def deviation_text(value: float | None, ctx: Context, to_unit: str | None = None, computed: bool = False) -> str:
    text = fmt.amount(value, ctx.amount_unit, ctx.decimals, to_unit, signed=True)
    return text + (" *" if computed else "")


def amount_text(value: float | None, ctx: Context, to_unit: str | None = None, computed: bool = False) -> str:
    text = fmt.amount(value, ctx.amount_unit, ctx.decimals, to_unit)
    return text + (" *" if computed else "")


COMPUTED_NOTE = (
    "\\* beräknad, rapporten skriver inte ut värdet: summan av raderna under, "
    "eller prognos = budget − prognosavvikelse."
)

CSS = """
<style>
.badge {display:inline-block; padding:0.1em 0.55em; border-radius:0.4em; font-weight:600;
        border:2px solid; max-width:100%; overflow-wrap:anywhere;}
.badge-lg {font-size:1.15em;}
.tone-good {background:#e6f4ea; color:#0b5a2a; border-color:#0b5a2a;}
.tone-warn {background:#fff4d6; color:#6b4700; border-color:#8a5d00;}
.tone-bad {background:#fde8e8; color:#8a1111; border-color:#8a1111;}
.tone-neutral {background:#eef1f5; color:#2b3440; border-color:#5a6472;}
.crumbs {font-size:0.95em; color:#333;}
.comment {border-left:4px solid #5a6472; padding:0.2em 0.8em; margin:0.3em 0 0.8em 0;
          background:#f7f8fa; white-space:pre-wrap;}
.comment .date {color:#444; font-size:0.85em;}
/* captions carry units, sources and freshness: keep them readable (WCAG 1.4.3, ≥ 4.5:1) */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color:#4a5260 !important; opacity:1 !important;}
</style>
"""


def metric(container, label: str, value: str, delta: str | None = None, sign: float | None = None,
           help: str | None = None) -> None:
    """st.metric whose delta colour and arrow follow the sign of `sign` (our minus is U+2212,
    which Streamlit's own sign detection does not see). Arrow + word carry the meaning too."""
    if sign is None or fmt.is_missing(sign) or sign == 0:
        color, arrow = "gray", "off"
    else:
        color, arrow = ("green", "up") if sign > 0 else ("red", "down")
    container.metric(label, value, delta, delta_color=color, delta_arrow=arrow, help=help)


def status_strip(label: str, statuses, info_fn, scale: dict) -> None:
    """A row of badges: how many items per status, best to worst, plus 'ej angiven'."""
    counts: dict[str | None, int] = {}
    for s in statuses:
        code = s if isinstance(s, str) else None
        counts[code] = counts.get(code, 0) + 1
    order = sorted(counts, key=lambda c: -info_fn(c).rank if c else 99)
    badges = " &nbsp; ".join(f"{status_badge(info_fn(c), large=True)} **{counts[c]}**" for c in order)
    st.markdown(f"**{md(label)}:** &nbsp; {badges}", unsafe_allow_html=True)


def indicator_cards(indicators: pd.DataFrame, values: pd.DataFrame, targets: pd.DataFrame,
                    status: pd.DataFrame, genders: set[str], columns: int = 2) -> None:
    """Small multiples: one trend chart per indicator with its status against target and notes."""
    from . import charts, targets as tg, views

    cols = st.columns(columns)
    for i, ind in enumerate(indicators.itertuples()):
        vals = values[(values["indicator_id"] == ind.indicator_id) & values["gender"].isin(genders)]
        if vals.empty:
            vals = values[values["indicator_id"] == ind.indicator_id]
        tgts = targets[(targets["indicator_id"] == ind.indicator_id) & targets["gender"].isin(set(vals["gender"]))]
        with cols[i % columns].container(border=True):
            st.markdown(f"**{md(ind.name)}**")
            mine = status[status["indicator_id"] == ind.indicator_id] if len(status) else status
            badges = []
            for s in mine.itertuples():
                info = tg.STATUSES[s.status]
                who = " · ".join(b for b in (s.unit_name if mine["unit_id"].nunique() > 1 else "",
                                             views.GENDER.get(s.gender, "") if s.gender != "T" else "", s.breakdown) if b)
                if s.gender in genders or not genders & set(mine["gender"]):
                    badges.append(status_badge(stt.Status(info.code, info.label, info.symbol, 0, info.tone),
                                               info.label + (f" ({who})" if who else "")))
            if badges:
                st.markdown(" ".join(badges[:6]), unsafe_allow_html=True)
            data, tdata = views.indicator_chart_data(vals, tgts, ind.measure_unit)
            if data["value"].notna().any() or data["old_value"].notna().any():
                show_chart((charts.indicator_trend(data, tdata, ind.measure_unit)), width="stretch")
            else:
                st.caption("Inga värden att visa (I.U.).")
            notes = sorted({n for n in data["note"] if n})
            if ind.footnote and isinstance(ind.footnote, str):
                notes.insert(0, ind.footnote)
            if len(mine) and mine["conflict"].any():
                notes.append("⚠ Rapporten skriver olika värden för samma period i två tabeller – båda visas.")
            if data["old_value"].notna().any():
                notes.append("◇ = värde enligt tidigare mätmetod (metodbyte).")
            source = " · ".join(x for x in (ind.source if isinstance(ind.source, str) else "",
                                             f"Kolada {ind.kolada_id}" if isinstance(ind.kolada_id, str) else "") if x)
            if source:
                notes.append(f"Källa: {source}")
            if notes:
                st.caption("  \n".join(md(n) for n in notes))


PROJECTOR_KEY = "f_projector"
PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] {display: none !important;}
html, body, [data-testid="stApp"] {font-size: 22px;}
[data-testid="stMainBlockContainer"] {padding-top: 1rem; max-width: 100%;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stExpander"] summary p {font-size: 22px !important; line-height: 1.45;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #2b3440 !important; opacity: 1 !important;}
[data-testid="stMetricLabel"] p {font-size: 22px !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {font-size: 48px !important;}
[data-testid="stMetricDelta"] {font-size: 22px !important;}
h1 {font-size: 2.4rem !important;}
[data-testid="stPageLink"] p {font-size: 22px !important;}
</style>
"""


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY))


def show_chart(chart, **kwargs):
    """st.altair_chart with the Swedish locale and a type size for the screen or the projector."""
    from . import charts

    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("theme", None)  # our own colours and contrast, not the theme's greys
    if projector():
        height = chart.to_dict().get("height")
        if isinstance(height, int | float):  # larger type needs taller rows
            chart = chart.properties(height=int(height * 1.45))
    return st.altair_chart(charts.finish(chart, font_size=18 if projector() else charts.FONT_SIZE), **kwargs)


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """The table as the user sees it (Swedish formats) as CSV (semicolon, UTF-8) and Excel."""
    import io

    c1, c2, _ = st.columns([1, 1, 4])
    csv = frame.to_csv(sep=";", index=False).encode("utf-8-sig")
    c1.download_button("Ladda ned CSV", csv, f"{name}.csv", "text/csv", key=f"{key}_csv",
                       icon=":material/download:", on_click="ignore")

    def excel() -> bytes:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=name[:31])
        return buffer.getvalue()

    c2.download_button("Ladda ned Excel", excel, f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                       icon=":material/download:", on_click="ignore")


def auth_configured() -> bool:
    """OpenID Connect sign-in is configured in Streamlit's secrets ([auth] with a client id)."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    if not auth:
        return False
    return "client_id" in auth or any(isinstance(v, dict) and "client_id" in v for v in auth.values())


def current_access():
    """The access mode and, when signed in, the identity and its roles from the database."""
    from .access import Access, decide_mode

    mode = decide_mode(auth_configured(), st.get_option("server.address"))
    if mode != "inloggning":
        return Access(mode)
    if not st.user.is_logged_in:
        return Access(mode)
    email = st.user.get("email") if st.user.get("email_verified") is not False else None
    identity = (email or st.user.get("sub") or "").strip().lower() or None
    # roles are read on every run (not cached): a removed role takes effect on the next click
    from . import data, queries

    roles = queries.user_roles(data.engine(), identity).to_dict("records") if identity else []
    return Access(mode, identity, roles)


def access():
    _ensure_app_ran(ACCESS_KEY)
    return st.session_state[ACCESS_KEY]


def visible_round_ids(acc, namnd_id: int, kommun: str, namnd: str) -> list[int]:
    rounds = q("rounds", namnd_id)
    return [int(r.round_id) for r in rounds.itertuples()
            if acc.can_see_round(kommun, namnd, r.status, r.forvaltning_key if isinstance(r.forvaltning_key, str) else None)]
