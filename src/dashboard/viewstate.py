"""The view: which nämnd, round, förvaltning, unit and page is shown, and every page's own settings.

One typed object (`View`), one parser (`parse`: address → view, with Swedish notices for what
does not exist) and one writer (`to_params`: view → address). Pure Python: no Streamlit, no SQL (the slide, status and gender vocabularies come from their modules).
What exists is asked of a `Catalog` the caller supplies, so this module does not care how names,
rounds and units are fetched (per nämnd today, per round once dimensions are versioned).

Address keys (short ASCII, documented in README's table):

    kommun, namnd, forvaltning, tillfalle       the selection (every page)
    visning=projektor                          presentation mode (every page)
    enhet                                      Verksamhet: the unit
    belopp, oppna, flik, rad                   Ekonomi: tkr/mnkr, open levels, tab, chosen row
    spar, sok                                  Mål and Uppdrag: only off track, search
    alla                                       Mål and Indikatorer: every item, not only those needing attention
    omr, status, kon, visa, kolada             Indikatorer: målområde, status, kön, diagram/tabell, Kolada year
    fler                                       Indikatorer: screens of charts shown beyond the first ("Visa fler")
    kon                                        Personal: kön
    bilder, bild                               Bildspel: the slides and the current slide

A setting at its default is left out of the address; the writer always pins kommun, namnd and
tillfalle, so a copied link keeps showing the same round after a newer one is imported.

Rules (each tested in tests/test_viewstate.py):
- a *link* naming something that does not exist gives a notice and the nearest valid view: an
  unknown round the latest round on or before that date, else the newest;
- a *user's change* of nämnd or round keeps förvaltning, round and unit only where they exist,
  else newest round, "Alla", no unit – silently (`switch_namnd`, `switch_round`);
- the Ekonomi open levels are remembered per nämnd by unit key (`OpenLevels`), so a round with
  fewer rows does not lose them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from .slides import SLIDE_KINDS as _SLIDE_KINDS
from .targets import STATUSES as _TARGET_STATUSES
from .views import GENDER_CHOICES

ALL = ""  # förvaltning: the whole nämnd (same value as economy.ALL)
NAMND_ONLY = "hela-namnden"  # förvaltning: lines that belong to no förvaltning (economy.NAMND_ONLY)

PAGE_PATHS = {  # page id -> url path (the default page is served at "/")
    "oversikt": "", "ekonomi": "ekonomi", "verksamhet": "verksamhet", "mal": "mal",
    "indikatorer": "indikatorer", "volymer": "volymer", "personal": "personal", "uppdrag": "uppdrag",
    "internkontroll": "internkontroll", "bildspel": "bildspel", "importera": "importera",
}
PAGE_BY_PATH = {path: page for page, path in PAGE_PATHS.items()}

AMOUNT_UNITS = ("tkr", "mnkr")
# Ekonomi's tabs: address value -> label (the label is what the page shows)
TABS = {
    "avvikelser": "Avvikelser", "budget": "Budget och prognos", "tid": "Prognos över tid",
    "fgar": "Utfall mot fg år", "resultat": "Resultaträkning", "investeringar": "Investeringar",
}
DEFAULT_TAB = "avvikelser"
# the Kön filter: address value -> label (views.GENDER_CHOICES has the genders of each label)
GENDERS = dict(zip(("totalt", "km", "alla"), GENDER_CHOICES, strict=True))
DEFAULT_GENDER = "totalt"
MODES = {"diagram": "Diagram", "tabell": "Tabell"}
DEFAULT_MODE = "diagram"
MAX_MORE = 50  # Indikatorer's "fler": more screens than any round has indicators for
# the vocabularies are their owners' (a new slide kind or status needs no change here)
TARGET_STATUSES = tuple(_TARGET_STATUSES)
SLIDE_KINDS = tuple(_SLIDE_KINDS)

COMMON_KEYS = ("kommun", "namnd", "forvaltning", "tillfalle", "visning")
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "verksamhet": ("enhet",),
    "ekonomi": ("belopp", "oppna", "flik", "rad"),
    "mal": ("spar", "sok", "alla"),
    "uppdrag": ("spar", "sok"),
    "indikatorer": ("omr", "status", "kon", "visa", "kolada", "alla", "fler"),
    "personal": ("kon",),
    "bildspel": ("bilder", "bild"),
}
KNOWN_KEYS = frozenset(COMMON_KEYS) | {k for keys in PAGE_KEYS.values() for k in keys}
# Streamlit's own parameters (st.query_params hides them; listed so they never read as unknown)
IGNORED_KEYS = frozenset({"embed", "embed_options"})

MAX_SLIDE = 999
MAX_VALUE = 200  # characters; longer values are refused with a notice (a search fits easily)
MAX_QUOTE = 80  # characters of a refused value quoted back in a notice
_KEY = re.compile(r"^[a-z0-9][a-z0-9._/\-]*$")  # importing.parse.KEY_PATTERN: unit, goal keys
_KOMMUN = re.compile(r"^\d{4}$")
_NAMND = re.compile(r"^[A-Za-zÅÄÖåäö0-9_-]{1,20}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KPI = re.compile(r"^[A-Z]\d{5}$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class Catalog(Protocol):
    """What exists, as the viewer may see it. Codes and keys only; names only for notices."""

    def namnder(self) -> Sequence[tuple[str, str]]:
        """(kommun code, nämnd code) of every nämnd with a visible round, in menu order."""

    def namnd_name(self, kommun: str, namnd: str) -> str: ...

    def rounds(self, kommun: str, namnd: str) -> Sequence[dt.date]:
        """Period ends of the visible rounds, newest first."""

    def round_label(self, kommun: str, namnd: str, period_end: dt.date) -> str: ...

    def forvaltningar(self, kommun: str, namnd: str, period_end: dt.date) -> Collection[str]:
        """Keys (lower case) of the förvaltningar one may choose in that round."""

    def units(self, kommun: str, namnd: str, period_end: dt.date | None) -> Collection[str]:
        """Unit keys in that round (None: in any round of the nämnd)."""

    def goal_areas(self, kommun: str, namnd: str, period_end: dt.date) -> Collection[str]:
        """Keys of the målområden in that round."""

    def kolada_years(self, kpi: str) -> Collection[int]:
        """Years with Kolada values read in for the KPI."""


# --- the state -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenLevels:
    """Which rows of the Ekonomi tree are open, by unit key, independent of any one round.

    `base` is "standard" (open down to the verksamhetsområden), "alla" or "inga"; `opened` and
    `closed` are the user's changes on top of it. A key that a round does not have is kept, so it
    is open again in the next round that has it.
    """

    base: str = "standard"
    opened: frozenset[str] = frozenset()
    closed: frozenset[str] = frozenset()

    def open_keys(self, standard: Iterable[str], every: Iterable[str]) -> set[str]:
        """The open keys among a round's parent rows (`every`; `standard` = the default ones)."""
        every = set(every)
        base = {"standard": set(standard), "alla": every, "inga": set()}[self.base]
        return ((base | set(self.opened)) - set(self.closed)) & every

    def with_choice(self, chosen: Iterable[str], standard: Iterable[str], every: Iterable[str]) -> OpenLevels:
        """The user chose `chosen` among `every` (one round's rows): remember it, keep the rest."""
        every, chosen = set(every), set(chosen) & set(every)
        base = {"standard": set(standard), "alla": every, "inga": set()}[self.base] & every
        opened = (set(self.opened) - every) | (chosen - base)
        closed = (set(self.closed) - every) | (base - chosen)
        return OpenLevels(self.base, frozenset(opened), frozenset(closed))

    @property
    def is_default(self) -> bool:
        return self.base == "standard" and not self.opened and not self.closed

    def to_param(self) -> str:
        tokens = [] if self.base == "standard" else [f".{self.base}"]
        tokens += sorted(self.opened) + [f"-{k}" for k in sorted(self.closed)]
        return ",".join(tokens)


@dataclass(frozen=True)
class Ekonomi:
    belopp: str | None = None  # None: the report's own unit
    oppna: OpenLevels = OpenLevels()  # for the nämnd on screen; others in View.open_memory
    flik: str = DEFAULT_TAB
    rad: str | None = None  # unit key of the row whose analysis is shown; None: the first row


@dataclass(frozen=True)
class Filters:
    """Mål and Uppdrag: 'only what is not on track' and a search text; Mål: `alla` = every goal,
    not only those that need attention (the default)."""

    spar: bool = False
    sok: str = ""
    alla: bool = False


@dataclass(frozen=True)
class Indikatorer:
    omr: str | None = None  # målområde key; None: every målområde
    status: tuple[str, ...] = ()  # target statuses shown; empty: all
    kon: str = DEFAULT_GENDER
    visa: str = DEFAULT_MODE
    kolada: tuple[tuple[str, int], ...] = ()  # (KPI, year) chosen; a KPI not listed shows its newest year
    alla: bool = False  # every indicator, not only those that need attention (the default)
    fler: int = 0  # screens of trend charts drawn beyond the first ("Visa fler"; 0: the first screen)


@dataclass(frozen=True)
class Personal:
    kon: str = DEFAULT_GENDER


@dataclass(frozen=True)
class Bildspel:
    bilder: tuple[str, ...] = SLIDE_KINDS
    bild: int = 1  # 1-based


@dataclass(frozen=True)
class View:
    """Everything that decides what a page shows; the address is written from it alone."""

    kommun: str
    namnd: str
    tillfalle: dt.date
    forvaltning: str = ALL  # ALL, NAMND_ONLY or a förvaltning key (lower case)
    page: str = "oversikt"
    enhet: str | None = None  # Verksamhet's unit (remembered when another page is shown)
    projektor: bool = False
    ekonomi: Ekonomi = Ekonomi()
    mal: Filters = Filters()
    uppdrag: Filters = Filters()
    indikatorer: Indikatorer = Indikatorer()
    personal: Personal = Personal()
    bildspel: Bildspel = Bildspel()
    # Ekonomi's open levels of the other nämnder seen in this session: ((kommun, namnd), levels)
    open_memory: tuple[tuple[tuple[str, str], OpenLevels], ...] = field(default=(), compare=False)

    @property
    def namnd_key(self) -> tuple[str, str]:
        return (self.kommun, self.namnd)

    def remember_open(self) -> View:
        """Store this nämnd's open levels in the memory (before switching to another nämnd)."""
        memory = dict(self.open_memory)
        if self.ekonomi.oppna.is_default:
            memory.pop(self.namnd_key, None)
        else:
            memory[self.namnd_key] = self.ekonomi.oppna
        return replace(self, open_memory=tuple(sorted(memory.items())))

    def recalled_open(self, key: tuple[str, str]) -> OpenLevels:
        return dict(self.open_memory).get(key, OpenLevels())


# --- notices ---------------------------------------------------------------------------------


def quote(value: str) -> str:
    """A value from the address, shortened and without control characters, for a notice.

    The notice is plain text: render it with textsafe.md (or as plain text), never as markdown."""
    text = _CONTROL.sub("", value)
    if len(text) > MAX_QUOTE:
        text = text[:MAX_QUOTE] + f"… ({len(value)} tecken)"
    return f"«{text}»"


class _Notices(list):
    def add(self, text: str) -> None:
        if text not in self:
            self.append(text)


# --- parser ----------------------------------------------------------------------------------


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    return [raw] if isinstance(raw, str) else [str(v) for v in raw]


def _read(params, key: str, notices: _Notices | None) -> str | None:
    """One value for `key` (the last if repeated), stripped; None if absent or unusable."""
    values = _values(params, key)
    if not values:
        return None
    if len(set(values)) > 1 and notices is not None:
        notices.add(f"Inställningen «{key}» står {len(values)} gånger i adressen; "
                    f"det sista värdet, {quote(values[-1])}, används.")
    value = unicodedata.normalize("NFC", values[-1]).strip()
    if len(value) > MAX_VALUE:
        if notices is not None:
            notices.add(f"Värdet för «{key}» är för långt ({len(value)} tecken) och används inte.")
        return None
    if _CONTROL.search(value):
        if notices is not None:
            notices.add(f"Värdet för «{key}» innehåller styrtecken och används inte.")
        return None
    return value


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def parse(params: Mapping[str, str | Sequence[str]], page: str, catalog: Catalog,
          memory: View | None = None) -> tuple[View, list[str]]:
    """The view an address describes, and a Swedish notice for everything it names that does not
    exist (the view is then the nearest valid one). Never raises on any input.

    `params` maps each key to its value or values (repeated keys); `page` is a page id
    (PAGE_PATHS). `memory` is the view before this address, whose settings of *other* pages are
    kept (so a link to one page does not reset what another page remembers); every setting of
    `page` itself comes from the address (absent = default).
    """
    notices = _Notices()
    page = page if page in PAGE_PATHS else "oversikt"
    mine = set(COMMON_KEYS) | set(PAGE_KEYS.get(page, ()))

    def read(key: str) -> str | None:
        # settings of other pages are read silently: a notice is for what this page shows
        return _read(params, key, notices if key in mine else None)

    unknown = [k for k in params if k not in KNOWN_KEYS and k.lower() not in IGNORED_KEYS]
    if unknown:
        shown = ", ".join(quote(k) for k in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        notices.add(f"Adressen innehåller {'en okänd inställning' if len(unknown) == 1 else 'okända inställningar'} "
                    f"som inte används: {shown}.")

    kommun, namnd = _resolve_namnd(read("kommun"), read("namnd"), catalog, notices)
    rounds = list(catalog.rounds(kommun, namnd))
    tillfalle = _resolve_round(read("tillfalle"), rounds, kommun, namnd, catalog, notices)
    forvaltning = _resolve_forvaltning(read("forvaltning"), kommun, namnd, tillfalle, catalog, notices)
    visning = read("visning")
    projektor = False
    if visning is not None:
        projektor = visning.casefold() == "projektor"
        if not projektor and visning.casefold() not in ("", "normal"):
            notices.add(f"Visningen {quote(visning)} finns inte; visar vanlig visning.")

    view = View(kommun=kommun, namnd=namnd, tillfalle=tillfalle, forvaltning=forvaltning, page=page,
                projektor=projektor)
    if memory is not None:  # other pages' settings carry over; what they name must exist here
        memory = memory.remember_open()
        same_namnd = memory.namnd_key == (kommun, namnd)
        view = replace(view, enhet=memory.enhet if same_namnd else None, mal=memory.mal, uppdrag=memory.uppdrag,
                       indikatorer=memory.indikatorer, personal=memory.personal, bildspel=memory.bildspel,
                       ekonomi=replace(memory.ekonomi, oppna=memory.recalled_open((kommun, namnd))),
                       open_memory=memory.open_memory)
        view = resolve(view, catalog)
    present = set(params)
    name = catalog.namnd_name(kommun, namnd)
    label = catalog.round_label(kommun, namnd, tillfalle)
    units_any: set[str] | None = None

    def unit_exists(key: str, in_round: bool = True) -> bool:
        nonlocal units_any
        if not _KEY.match(key):
            return False
        if in_round:
            return key in catalog.units(kommun, namnd, tillfalle)
        if units_any is None:
            units_any = set(catalog.units(kommun, namnd, None))
        return key in units_any

    # Verksamhet: the unit (also read on other pages, silently: a chart click carries it)
    if page == "verksamhet" or "enhet" in present:
        enhet = read("enhet")
        view = replace(view, enhet=None)
        if enhet:
            if unit_exists(enhet.casefold()):
                view = replace(view, enhet=enhet.casefold())
            elif page == "verksamhet":
                notices.add(f"Enheten {quote(enhet)} finns inte i {name} ({label}). Välj en verksamhet nedan.")
    # Ekonomi
    if page == "ekonomi" or present & set(PAGE_KEYS["ekonomi"]):
        loud = page == "ekonomi"
        ek = Ekonomi() if loud else view.ekonomi
        belopp = read("belopp")
        if belopp is not None:
            if belopp.casefold() in AMOUNT_UNITS:
                ek = replace(ek, belopp=belopp.casefold())
            elif loud:
                notices.add(f"Beloppsenheten {quote(belopp)} finns inte (tkr eller mnkr); visar rapportens enhet.")
        raw_open = read("oppna")
        if raw_open is not None:
            ek = replace(ek, oppna=_parse_open(raw_open, unit_exists, notices if loud else None))
        flik = read("flik")
        if flik is not None:
            if flik.casefold() in TABS:
                ek = replace(ek, flik=flik.casefold())
            elif loud:
                notices.add(f"Fliken {quote(flik)} finns inte; visar {TABS[DEFAULT_TAB]}.")
        rad = read("rad")
        if rad is not None:
            if unit_exists(rad.casefold()):
                ek = replace(ek, rad=rad.casefold())
            elif loud:
                notices.add(f"Raden {quote(rad)} finns inte i ekonomin för {label}; visar analysen för första raden.")
        view = replace(view, ekonomi=ek)
    # Mål, Uppdrag
    for key in ("mal", "uppdrag"):
        if page == key:
            view = replace(view, **{key: _parse_filters(read("spar"), read("sok"), notices,
                                                        read("alla") if key == "mal" else None)})
    # Indikatorer
    if page == "indikatorer":
        view = replace(view, indikatorer=_parse_indicators(read, kommun, namnd, tillfalle, catalog, notices))
    if page == "personal":
        kon = read("kon")
        value = DEFAULT_GENDER
        if kon is not None:
            if kon.casefold() in GENDERS:
                value = kon.casefold()
            else:
                notices.add(f"Kön {quote(kon)} finns inte (totalt, km eller alla); visar {GENDERS[DEFAULT_GENDER]}.")
        view = replace(view, personal=Personal(value))
    if page == "bildspel":
        view = replace(view, bildspel=_parse_slides(read("bilder"), read("bild"), notices))
    return view, list(notices)


def _resolve_namnd(kommun: str | None, namnd: str | None, catalog: Catalog, notices: _Notices) -> tuple[str, str]:
    options = list(catalog.namnder())
    if not options:
        raise LookupError("inga nämnder att visa")  # the caller checks this before parsing
    wanted_namnd = namnd.upper() if namnd else None
    if kommun is None and wanted_namnd is None:
        return options[0]
    exact = [o for o in options if (kommun is None or o[0] == kommun) and (wanted_namnd is None or o[1] == wanted_namnd)]
    if len(exact) == 1 or (exact and kommun is not None and wanted_namnd is not None):
        return exact[0]
    if exact:  # only one of the two given and several match: the first, but say so
        chosen = exact[0]
    else:
        by_namnd = [o for o in options if o[1] == wanted_namnd]
        by_kommun = [o for o in options if o[0] == kommun]
        chosen = (by_namnd or by_kommun or options)[0]
    shown_namnd = quote(namnd) if namnd else "?"
    shown_kommun = quote(kommun) if kommun else "?"
    valid = (kommun is None or _KOMMUN.match(kommun)) and (namnd is None or _NAMND.match(namnd))
    what = f"Nämnden {shown_namnd} i kommun {shown_kommun}"
    if exact:
        notices.add(f"{what} är inte entydig; visar {catalog.namnd_name(*chosen)}.")
    else:
        notices.add(f"{what} finns inte i databasen{'' if valid else ' (ogiltig kod)'}; "
                    f"visar {catalog.namnd_name(*chosen)} i stället.")
    return chosen


def _resolve_round(value: str | None, rounds: list[dt.date], kommun: str, namnd: str, catalog: Catalog,
                   notices: _Notices) -> dt.date:
    newest = rounds[0]
    if value is None or value == "":
        return newest
    wanted = None
    if _DATE.match(value):
        try:
            wanted = dt.date.fromisoformat(value)
        except ValueError:
            wanted = None
    if wanted is None:
        notices.add(f"{quote(value)} är inget datum (ÅÅÅÅ-MM-DD); visar senaste uppföljningen, "
                    f"{catalog.round_label(kommun, namnd, newest)}.")
        return newest
    if wanted in rounds:
        return wanted
    earlier = [d for d in rounds if d <= wanted]
    chosen = earlier[0] if earlier else newest
    notices.add(f"Det finns ingen uppföljning med periodslut {wanted.isoformat()} för "
                f"{catalog.namnd_name(kommun, namnd)}; visar {catalog.round_label(kommun, namnd, chosen)}.")
    return chosen


def _resolve_forvaltning(value: str | None, kommun: str, namnd: str, tillfalle: dt.date, catalog: Catalog,
                         notices: _Notices) -> str:
    if value is None or value == "" or value.casefold() == "alla":
        return ALL
    wanted = value.casefold()
    if wanted == NAMND_ONLY:
        return NAMND_ONLY
    if wanted in {k.casefold() for k in catalog.forvaltningar(kommun, namnd, tillfalle)}:
        return wanted
    notices.add(f"Förvaltningen {quote(value)} finns inte för {catalog.namnd_name(kommun, namnd)} "
                f"({catalog.round_label(kommun, namnd, tillfalle)}); visar alla förvaltningar.")
    return ALL


def _parse_open(value: str | None, unit_exists, notices: _Notices | None) -> OpenLevels:
    if value is None:
        return OpenLevels()
    base, opened, closed, bad = "standard", set(), set(), []
    for i, token in enumerate(_list(value)):
        token = token.casefold()
        if token in (".alla", ".inga", ".standard") and i == 0:
            base = token[1:]
        elif token.startswith("-") and unit_exists(token[1:], in_round=False):
            closed.add(token[1:])
        elif unit_exists(token, in_round=False):
            opened.add(token)
        else:
            bad.append(token)
    if bad and notices is not None:
        notices.add(f"Nivåerna {', '.join(quote(b) for b in bad[:5])} finns inte i nämndens ekonomi och öppnas inte.")
    return OpenLevels(base, frozenset(opened - closed), frozenset(closed))


def _flag(value: str | None, key: str, meaning: str, otherwise: str, notices: _Notices) -> bool:
    """A yes/no address value: 1 (ja, true) or 0 (nej, false); anything else gives a notice."""
    if value is None or value.casefold() in ("", "0", "nej", "false"):
        return False
    if value.casefold() in ("1", "ja", "true"):
        return True
    notices.add(f"Värdet {quote(value)} för «{key}» förstås inte (1 = {meaning}); {otherwise}.")
    return False


def _parse_filters(spar: str | None, sok: str | None, notices: _Notices, alla: str | None = None) -> Filters:
    only = _flag(spar, "spar", "bara det som inte är på rätt spår", "visar allt", notices)
    every = _flag(alla, "alla", "visa alla", "visar det som behöver uppmärksamhet", notices)
    return Filters(only, (sok or "").strip(), every)


def _parse_indicators(read, kommun, namnd, tillfalle, catalog: Catalog, notices: _Notices) -> Indikatorer:
    out = Indikatorer()
    omr = read("omr")
    if omr:
        if _KEY.match(omr.casefold()) and omr.casefold() in catalog.goal_areas(kommun, namnd, tillfalle):
            out = replace(out, omr=omr.casefold())
        else:
            notices.add(f"Målområdet {quote(omr)} finns inte i {catalog.round_label(kommun, namnd, tillfalle)}; "
                        "visar alla målområden.")
    status = _list(read("status"))
    if status:
        good = [s for s in TARGET_STATUSES if s in {x.casefold() for x in status}]
        bad = [s for s in status if s.casefold() not in TARGET_STATUSES]
        if bad:
            notices.add(f"Statusen {', '.join(quote(b) for b in bad[:5])} finns inte och används inte som filter.")
        out = replace(out, status=tuple(good))
    kon = read("kon")
    if kon is not None:
        if kon.casefold() in GENDERS:
            out = replace(out, kon=kon.casefold())
        else:
            notices.add(f"Kön {quote(kon)} finns inte (totalt, km eller alla); visar {GENDERS[DEFAULT_GENDER]}.")
    visa = read("visa")
    if visa is not None:
        if visa.casefold() in MODES:
            out = replace(out, visa=visa.casefold())
        else:
            notices.add(f"Visningen {quote(visa)} finns inte (diagram eller tabell); visar diagram.")
    chosen, bad = {}, []
    for token in _list(read("kolada")):
        kpi, _, year = token.partition("-")
        if _KPI.match(kpi) and year.isdigit() and len(year) == 4 and int(year) in catalog.kolada_years(kpi):
            chosen[kpi] = int(year)
        else:
            bad.append(token)
    if bad:
        notices.add(f"Kolada-valet {', '.join(quote(b) for b in bad[:5])} finns inte bland inlästa Kolada-värden (t.ex. N18409-2022); visar senaste året.")
    out = replace(out, alla=_flag(read("alla"), "alla", "visa alla", "visar det som behöver uppmärksamhet", notices))
    fler = read("fler")
    if fler is not None and fler != "":
        if fler.isdigit() and int(fler) <= MAX_MORE:
            out = replace(out, fler=int(fler))
        else:
            notices.add(f"Värdet {quote(fler)} för «fler» förstås inte (antal extra skärmar med diagram, "
                        f"0–{MAX_MORE}); visar den första skärmen.")
    return replace(out, kolada=tuple(sorted(chosen.items())))


def _parse_slides(bilder: str | None, bild: str | None, notices: _Notices) -> Bildspel:
    kinds = [k.casefold() for k in _list(bilder)]
    valid = [k for k in kinds if k in SLIDE_KINDS]
    if kinds and len(valid) != len(kinds):
        notices.add(f"Okända bilder i länken ignoreras: {', '.join(quote(k) for k in kinds if k not in SLIDE_KINDS)}.")
    deck = tuple(dict.fromkeys(valid)) or SLIDE_KINDS
    number = 1
    if bild is not None and bild != "":
        # the deck's length depends on the data (a long table continues on a follow-on slide):
        # the page says so when the number is beyond it
        if bild.isdigit() and 1 <= int(bild) <= MAX_SLIDE:
            number = int(bild)
        else:
            notices.add(f"{quote(bild)} är inget bildnummer; visar första bilden.")
    return Bildspel(deck, number)


# --- rules for changes the user makes ----------------------------------------------------------


def resolve(view: View, catalog: Catalog) -> View:
    """The view with everything it names made to exist, silently: a round that is gone → the
    newest, a förvaltning or unit the round does not have → "Alla" / none. Used after a change
    the user made (their choice is not an error) and for remembered settings."""
    options = list(catalog.namnder())
    if view.namnd_key not in options:
        view = replace(view, kommun=options[0][0], namnd=options[0][1])
    rounds = list(catalog.rounds(view.kommun, view.namnd))
    if view.tillfalle not in rounds:
        view = replace(view, tillfalle=rounds[0])
    if view.forvaltning not in (ALL, NAMND_ONLY) and view.forvaltning not in {
            k.casefold() for k in catalog.forvaltningar(view.kommun, view.namnd, view.tillfalle)}:
        view = replace(view, forvaltning=ALL)
    if view.enhet is not None or view.ekonomi.rad is not None:  # the round's units only when a unit is named
        units = catalog.units(view.kommun, view.namnd, view.tillfalle)
        if view.enhet is not None and view.enhet not in units:
            view = replace(view, enhet=None)
        if view.ekonomi.rad is not None and view.ekonomi.rad not in units:
            view = replace(view, ekonomi=replace(view.ekonomi, rad=None))
    omr = view.indikatorer.omr
    if omr is not None and omr not in catalog.goal_areas(view.kommun, view.namnd, view.tillfalle):
        view = replace(view, indikatorer=replace(view.indikatorer, omr=None))
    return view


def switch_namnd(view: View, kommun: str, namnd: str, catalog: Catalog) -> View:
    """The user chose another nämnd: keep round, förvaltning and unit where the new nämnd has
    them, else its newest round, "Alla" and no unit. The open Ekonomi levels are the ones
    remembered for that nämnd."""
    if (kommun, namnd) == view.namnd_key:
        return view
    remembered = view.remember_open()
    moved = replace(remembered, kommun=kommun, namnd=namnd,
                    ekonomi=replace(remembered.ekonomi, oppna=remembered.recalled_open((kommun, namnd))))
    return resolve(moved, catalog)


def switch_round(view: View, tillfalle: dt.date, catalog: Catalog) -> View:
    """The user chose another round: keep förvaltning and unit where that round has them."""
    return resolve(replace(view, tillfalle=tillfalle), catalog)


# --- writer ----------------------------------------------------------------------------------


def to_params(view: View, page: str | None = None) -> dict[str, str]:
    """The address of `view` (on `page`, default the view's own): the selection always, each
    setting of that page only where it differs from the default. Key order is fixed, so two
    addresses of one view are equal strings."""
    page = page or view.page
    # the kommun's own follow-up (nämnd code KOMMUN) reads `namnd=kommun` in the address
    out: dict[str, str] = {"kommun": view.kommun, "namnd": view.namnd.lower() if view.namnd == "KOMMUN" else view.namnd}
    if view.forvaltning:
        out["forvaltning"] = view.forvaltning if view.forvaltning == NAMND_ONLY else view.forvaltning.upper()
    out["tillfalle"] = view.tillfalle.isoformat()
    if page == "verksamhet" and view.enhet:
        out["enhet"] = view.enhet
    if page == "ekonomi":
        ek = view.ekonomi
        if ek.belopp:
            out["belopp"] = ek.belopp
        if not ek.oppna.is_default:
            out["oppna"] = ek.oppna.to_param()
        if ek.flik != DEFAULT_TAB:
            out["flik"] = ek.flik
        if ek.rad:
            out["rad"] = ek.rad
    if page in ("mal", "uppdrag"):
        f = view.mal if page == "mal" else view.uppdrag
        if f.spar:
            out["spar"] = "1"
        if f.sok:
            out["sok"] = f.sok
        if page == "mal" and f.alla:
            out["alla"] = "1"
    if page == "indikatorer":
        ind = view.indikatorer
        if ind.omr:
            out["omr"] = ind.omr
        if ind.status:
            out["status"] = ",".join(ind.status)
        if ind.kon != DEFAULT_GENDER:
            out["kon"] = ind.kon
        if ind.visa != DEFAULT_MODE:
            out["visa"] = ind.visa
        if ind.kolada:
            out["kolada"] = ",".join(f"{kpi}-{year}" for kpi, year in ind.kolada)
        if ind.alla:
            out["alla"] = "1"
        if ind.fler:
            out["fler"] = str(ind.fler)
    if page == "personal" and view.personal.kon != DEFAULT_GENDER:
        out["kon"] = view.personal.kon
    if page == "bildspel":
        bs = view.bildspel
        if bs.bilder != SLIDE_KINDS:
            out["bilder"] = ",".join(bs.bilder)
        if bs.bild != 1:
            out["bild"] = str(bs.bild)
    if view.projektor:
        out["visning"] = "projektor"
    return out


def describes(params: Mapping[str, str | Sequence[str]], view: View, catalog: Catalog) -> bool:
    """The address shows exactly `view`: it pins the selection and parses to the view without a
    notice (it may carry keys of other pages, e.g. after a chart click that switched page)."""
    if not all(_values(params, k) for k in ("kommun", "namnd", "tillfalle")):
        return False
    parsed, notices = parse(params, view.page, catalog, view)
    return not notices and parsed == view


def query_string(params: Mapping[str, str]) -> str:
    """The address's query as the browser shows it (for tests and documentation)."""
    from urllib.parse import urlencode

    return urlencode(params)
