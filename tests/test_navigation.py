"""Navigation rules through the entry script (AppTest): what the address says, what the user changes,
and that every page setting is written to the address and read back from it.

The database holds the built-in reports plus a made-up nämnd (kommun 9999, "TN") with two rounds:
Delår 1 2025 without the enheter under Skolan and Delår 2 2025 with them – the "round with fewer
rows" of the open-levels rule. The rules are about the view, not SQL, so they run on SQLite only;
tests/test_pages.py runs every page on both backends.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

import builders
from conftest import ROOT
from dashboard.db import init_db, make_engine
from dashboard.importing import import_path
from dashboard.slides import SLIDE_KINDS
from test_pages import metric, texts

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def nav_db_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nav")
    url = f"sqlite:///{folder / 'nav.db'}"
    engine = make_engine(url)
    init_db(engine)
    d2 = builders.base()
    builders.set_cell(d2, "Tillfälle", 2, "Typ", "Delår 2")
    builders.set_cell(d2, "Tillfälle", 2, "Periodslut", "2025-08-31")
    d1 = builders.base()  # Delår 1: Skolan without its enheter
    d1["Organisation"] = [r for r in d1["Organisation"] if r[0] not in ("skola/a", "skola/b")]
    d1["Ekonomi"] = [r for r in d1["Ekonomi"] if r[0] not in ("skola/a", "skola/b")]
    for name, sheets in (("d1", d1), ("d2", d2)):
        report = import_path(engine, builders.write_xlsx(sheets, folder / f"{name}.xlsx"))
        assert report.ok, report.errors
    engine.dispose()
    return url


@pytest.fixture
def app(nav_db_url, page_on):
    return page_on(nav_db_url)  # conftest: AppTest through app.py, no exception


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def address(at: AppTest) -> dict[str, str]:
    out = {}
    for key in at.query_params:
        value = at.query_params[key]
        out[key] = value[-1] if isinstance(value, list) else value
    return out


def reopen(app, at: AppTest, page: str | None) -> AppTest:
    """A fresh session on the address `at` shows (what a copied link does)."""
    return app(page, **address(at))


# --- the selection -----------------------------------------------------------------------------


def test_switching_namnd_lands_on_its_newest_round_without_warning(app):
    at = app(kommun="0580", namnd="AMN", tillfalle="2023-08-31", forvaltning="IAF")
    at.sidebar.selectbox(key="f_namnd").set_value(("2580", "AGN"))
    run(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.sidebar.selectbox(key="f_round").value.isoformat() == "2024-08-31"  # newest, not the oldest
    assert at.sidebar.selectbox(key="f_scope").value == ""  # IAF is not AGN's: "Alla"
    assert address(at) == {"kommun": "2580", "namnd": "AGN", "tillfalle": "2024-08-31"}
    assert metric(at, "Prognosavvikelse helår") == "+8 300 tkr"  # Luleå Delår 2, from the report


def test_switching_namnd_drops_a_unit_it_does_not_have(app):
    at = app("verksamhet", kommun="0580", namnd="AMN", enhet="575")
    assert at.title[0].value == "575 Ekonomiskt bistånd"
    at.sidebar.selectbox(key="f_namnd").set_value(("2580", "AGN"))
    run(at)
    assert not at.warning and "enhet" not in address(at)
    assert at.selectbox(key="vh_pick").value is None  # no unit: choose one


def test_a_links_unknown_round_gives_the_latest_before_it_with_a_notice(app):
    at = app(kommun="2580", namnd="AGN", tillfalle="2024-06-30")
    assert ("Det finns ingen uppföljning med periodslut 2024-06-30 för Arbetsmarknads- och gymnasienämnden; "
            "visar Delår 1 2024") in texts(at)
    assert at.sidebar.selectbox(key="f_round").value.isoformat() == "2024-04-30"
    assert address(at)["tillfalle"] == "2024-04-30"  # the address now names what is shown
    at = app(kommun="2580", namnd="AGN", tillfalle="2019-01-31")
    assert "visar Delår 2 2024" in texts(at)  # before every round: the newest, not the oldest
    assert at.sidebar.selectbox(key="f_round").value.isoformat() == "2024-08-31"


@pytest.mark.parametrize("params, expected", [
    ({"kommun": "0580", "namnd": "AMN", "tillfalle": "2023-02-30"}, "«2023-02-30» är inget datum"),
    ({"kommun": "0580", "namnd": "' OR 1=1--"}, "Nämnden «' OR 1=1--» i kommun «0580» finns inte i databasen"),
    ({"kommun": "0580", "namnd": "AMN", "forvaltning": "../../"}, "Förvaltningen «../../» finns inte"),
    ({"kommun": "0580", "namnd": "AMN", "tillfalle": "x" * 10_000}, "(10000 tecken)"),
    ({"kommun": "0580", "namnd": "AMN", "okand": "1"}, "okänd inställning som inte används: «okand»"),
    ({"kommun": "0580", "namnd": "AMN", "visning": "**fet**"}, "Visningen «**fet**» finns inte"),
])
def test_bad_link_values_give_a_notice_and_the_nearest_view(app, params, expected):
    at = app(**params)
    warnings = "\n".join(w.value for w in at.warning).replace("\\", "")  # notices are escaped markdown
    assert expected in warnings
    assert at.metric  # the nearest valid view is shown


def test_repeated_key_uses_the_last_value(app):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kommun"] = ["0580", "2580"]
    at.query_params["namnd"] = "AGN"
    run(at)
    assert "står 2 gånger i adressen" in texts(at)
    assert address(at)["kommun"] == "2580"


# --- page settings: each is written to the address and read back ------------------------------


SETTINGS = [
    # page, how to change it, the address key and value it writes, how to read it back
    ("ekonomi", lambda at: at.segmented_control(key="eko_unit").set_value("mnkr"), "belopp", "mnkr",
     lambda at: at.segmented_control(key="eko_unit").value == "mnkr"),
    ("ekonomi", lambda at: at.multiselect(key="eko_open").unselect("auf"), "oppna", "-auf",
     lambda at: "auf" not in at.multiselect(key="eko_open").value),
    ("ekonomi", lambda at: at.session_state.__setitem__("eko_tab", "Investeringar"), "flik", "investeringar",
     lambda at: at.session_state["eko_tab"] == "Investeringar"),
    ("ekonomi", lambda at: at.session_state.__setitem__("eko_table", {"selection": {"rows": [3]}}), "rad", "gymnasieskolan",
     lambda at: "Analys och kommentar: Gymnasieskolan" in texts(at)),
    ("mal", lambda at: at.toggle(key="mal_off_track").set_value(True), "spar", "1",
     lambda at: at.toggle(key="mal_off_track").value is True),
    ("mal", lambda at: at.text_input(key="mal_search").input("SFI"), "sok", "SFI",
     lambda at: at.text_input(key="mal_search").value == "SFI"),
    ("mal", lambda at: at.toggle(key="mal_all").set_value(True), "alla", "1",
     lambda at: at.toggle(key="mal_all").value is True),
    ("indikatorer", lambda at: at.toggle(key="ind_all").set_value(True), "alla", "1",
     lambda at: at.toggle(key="ind_all").value is True),
    ("uppdrag", lambda at: at.toggle(key="upp_off_track").set_value(True), "spar", "1",
     lambda at: at.toggle(key="upp_off_track").value is True),
    ("uppdrag", lambda at: at.text_input(key="upp_search").input("språk"), "sok", "språk",
     lambda at: at.text_input(key="upp_search").value == "språk"),
    ("indikatorer", lambda at: at.segmented_control(key="ind_mode").set_value("Tabell"), "visa", "tabell",
     lambda at: at.segmented_control(key="ind_mode").value == "Tabell"),
    ("indikatorer", lambda at: at.segmented_control(key="ind_gender").set_value("Alla"), "kon", "alla",
     lambda at: at.segmented_control(key="ind_gender").value == "Alla"),
    ("indikatorer", lambda at: at.multiselect(key="ind_status").select("uppfylls_ej"), "status", "uppfylls_ej",
     lambda at: at.multiselect(key="ind_status").value == ["uppfylls_ej"]),
    ("indikatorer", lambda at: at.selectbox(key="ind_area").set_value("medborgare"), "omr", "medborgare",
     lambda at: at.selectbox(key="ind_area").value == "medborgare"),
    ("personal", lambda at: at.segmented_control(key="pers_gender").set_value("Kvinnor och män"), "kon", "km",
     lambda at: at.segmented_control(key="pers_gender").value == "Kvinnor och män"),
    ("bildspel", lambda at: at.button(key="bs_next").click(), "bild", "2",
     lambda at: "**Bild 2 av " in texts(at)),
    ("bildspel", lambda at: at.multiselect(key="bs_kinds").unselect("titel"), "bilder",
     ",".join(k for k in SLIDE_KINDS if k != "titel"),
     lambda at: "titel" not in at.multiselect(key="bs_kinds").value),
    ("oversikt", lambda at: at.sidebar.toggle(key="f_projector").set_value(True), "visning", "projektor",
     lambda at: "Avsluta" in [b.label for b in at.button]),
]


@pytest.mark.parametrize("page, change, key, value, check", SETTINGS,
                         ids=[f"{s[0]}-{s[2]}" for s in SETTINGS])
def test_every_page_setting_is_written_to_and_read_from_the_address(app, page, change, key, value, check):
    kommun, namnd = ("0580", "AMN") if page in ("mal", "uppdrag", "indikatorer", "personal") else ("2580", "AGN")
    at = app(page, kommun=kommun, namnd=namnd)
    assert key not in address(at)  # a default is not written
    change(at)
    run(at)
    assert check(at)
    written = address(at)
    assert key in written and (value is None or written[key] == value), written
    assert not at.warning, [w.value for w in at.warning]
    again = reopen(app, at, page)
    assert check(again), (key, address(again))
    assert not again.warning, [w.value for w in again.warning]
    assert address(again) == written


def test_open_levels_survive_a_round_with_fewer_rows(app):
    at = app("ekonomi", kommun="9999", namnd="TN", tillfalle="2025-08-31")
    assert "skola" not in at.multiselect(key="eko_open").value  # standard: down to the förvaltningar
    at.multiselect(key="eko_open").select("skola")
    run(at)
    assert "Enhet A" in texts(at)
    at.sidebar.selectbox(key="f_round").set_value(dt.date(2025, 4, 30))  # Delår 1
    run(at)
    assert "2025-04-30" in address(at)["tillfalle"]
    assert "skola" not in at.multiselect(key="eko_open").options  # Delår 1 has no rows under Skolan
    at.sidebar.selectbox(key="f_round").set_value(dt.date(2025, 8, 31))  # Delår 2
    run(at)
    assert "skola" in at.multiselect(key="eko_open").value  # still open
    assert "Enhet A" in texts(at) and address(at)["oppna"] == "skola"


def test_open_levels_are_remembered_per_namnd(app):
    at = app("ekonomi", kommun="2580", namnd="AGN")
    at.button(key="eko_close_all").click()
    run(at)
    assert address(at)["oppna"] == ".inga"
    at.sidebar.selectbox(key="f_namnd").set_value(("0580", "AMN"))
    run(at)
    assert "oppna" not in address(at)  # Linköping: its own (standard) levels
    at.sidebar.selectbox(key="f_namnd").set_value(("2580", "AGN"))
    run(at)
    assert address(at)["oppna"] == ".inga" and at.multiselect(key="eko_open").value == []


def test_links_carry_the_selection_and_the_target_pages_settings(app):
    from urllib.parse import parse_qs

    at = app("ekonomi", kommun="2580", namnd="AGN", forvaltning="AUF", belopp="mnkr")
    links = {link.label: parse_qs(link.proto.query_string) for link in at.sidebar.get("page_link")}
    assert set(links) >= {"Översikt", "Ekonomi", "Verksamhet", "Mål", "Indikatorer", "Bildspel och export"}
    assert links["Ekonomi"] == {"kommun": ["2580"], "namnd": ["AGN"], "forvaltning": ["AUF"],
                                "tillfalle": ["2024-08-31"], "belopp": ["mnkr"]}
    assert links["Mål"] == {"kommun": ["2580"], "namnd": ["AGN"], "forvaltning": ["AUF"], "tillfalle": ["2024-08-31"]}


# --- the why, one click away --------------------------------------------------------------------


def test_verksamhet_without_own_comment_shows_the_forvaltnings_with_its_deviation(app):
    at = app("verksamhet", kommun="0580", namnd="AMN", enhet="470")
    page = texts(at)
    assert "Kommentar för Utbildningsförvaltningen (vuxenutbildning)" in page
    assert "Vuxenutbildningen prognostiseras redovisa ett underskott på -5,6 mnkr" in page
    # beside it, the deviation it explains: Utbildningsförvaltningen prints no total, so it is the
    # sum of its rows 470 −6,4 + 472 10,9 + 474 −0,1 + 476 −2,2 + 921 0,1 = +2,3, marked computed
    assert metric(at, "Prognosavvikelse helår, Utbildningsförvaltningen") == "+2,3 mnkr *"


def test_ekonomi_row_without_own_comment_shows_the_covering_one(app):
    at = app("ekonomi", kommun="0580", namnd="AMN", oppna=".alla", rad="470")
    page = texts(at)
    assert "Analys och kommentar: 470 Grundläggande vuxenutb" in page
    assert "Kommentar för Utbildningsförvaltningen (vuxenutbildning)" in page
    assert "Ingen analys för denna rad" not in page
    at = app("ekonomi", kommun="0580", namnd="AMN", rad="575")
    assert "Kommentar för" not in texts(at) and "Utvecklingen för utbetalt ekonomiskt bistånd" in texts(at)


def test_no_page_calls_st_stop():
    """After st.stop() Streamlit drops every message the run still sends, so the address written
    at the end of the run would be lost: pages end early with dashboard.ui.stop_page()."""
    offenders = [p.name for p in (ROOT / "pages").glob("*.py") if "st.stop(" in p.read_text(encoding="utf-8")]
    assert not offenders, f"st.stop() i {offenders}; använd stop_page()"


def test_every_malomrade_select_starts_on_its_all_choice(app):
    # reproduce: the select held None, which Streamlit shows as its placeholder ("Välj"), not "Alla målområden"
    at = app("indikatorer", kommun="0580", namnd="AMN")
    select = at.selectbox(key="ind_area")
    assert select.index == 0 and select.options[0] == "Alla målområden"
