"""Page tests through the entry script with Streamlit's AppTest: what a user sees on screen.

Every run goes through app.py as on the server (conftest.keep_app_routing explains the Streamlit
trap this avoids), so reruns and filter changes are tested as the server runs them.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT, app_runner
from dashboard.textsafe import unescape

NBSP = "\u00a0"


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, monkeypatch, tmp_path_factory):
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_builtin_url")
    else:
        engine = request.getfixturevalue("builtin_engine_pg")
        url = engine.url.render_as_string(hide_password=False)
    make = app_runner(monkeypatch, url, timeout=60)
    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


def texts(at: AppTest) -> str:
    """Everything readable on the page, as one string (markdown, captions, metrics, tables)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label}: {m.value} {m.delta or ''}" for m in at.metric]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    for df in at.dataframe:
        parts.append(df.value.to_string())
    # markdown escapes (textsafe) are not what a reader sees
    return unescape("\n".join(str(p) for p in parts)).replace(NBSP, " ")


def metric(at: AppTest, label_start: str) -> str:
    for m in at.metric:
        if m.label.startswith(label_start):
            return m.value.replace(NBSP, " ")
    raise AssertionError(f"ingen metric {label_start!r}: {[m.label for m in at.metric]}")


def row(at: AppTest, name_part: str, table: int = 0) -> dict:
    df = at.dataframe[table].value
    hits = df[df.iloc[:, 0].str.contains(name_part, regex=False)]
    assert len(hits), f"{name_part!r} saknas i tabellen:\n{df.iloc[:, 0].to_list()}"
    return {k: str(v).replace(NBSP, " ") for k, v in hits.iloc[0].items()}


def test_lulea_overview_shows_total_forecast_and_change(app):
    at = app(kommun="2580", namnd="AGN")
    assert metric(at, "Prognosavvikelse helår") == "+8 300 tkr"
    assert metric(at, "Periodresultat") == "+10 888 tkr"
    assert metric(at, "Förändring av prognosen sedan Delår 1") == "+1 000 tkr"
    page = texts(at)
    assert "förbättras med 1 000 tkr sedan delår 1" in page
    assert "3,4 % av periodbudget" in page and "1,7 % av budget" in page


def test_linkoping_overview_total_deviation(app):
    at = app(kommun="0580", namnd="AMN", tillfalle="2023-08-31")
    assert metric(at, "Prognosavvikelse helår") == "+4,0 mnkr"
    assert metric(at, "Periodresultat") == "+4,6 mnkr"
    assert "inget tidigare tillfälle" in texts(at)


def test_lulea_economy_gymnasieskolan_against_april(app):
    at = app("ekonomi", kommun="2580", namnd="AGN", tillfalle="2024-08-31")
    gy = row(at, "Gymnasieskolan")
    assert gy["Prognosavvikelse"] == "+5 100"
    assert gy["Prognosavv. Delår 1 2024"] == "+4 700"
    assert gy["Förändring"] == "+400"
    total = row(at, "Arbetsmarknads- och gymnasienämnden")
    assert total["Budget helår"] == "476 018"
    assert total["Prognosavvikelse"] == "+8 300"


def test_linkoping_economy_575_forecast_net_cost(app):
    at = app("ekonomi", kommun="0580", namnd="AMN")
    r575 = row(at, "575 Ekonomiskt bistånd")
    assert r575["Prognos helår"] == "313,0"
    assert r575["Budget helår"] == "323,7"
    assert r575["Prognosavvikelse"] == "+10,8"  # printed, not 323,7 − 313,0 = 10,7
    assert row(at, "Summa nettokostnader")["Prognos helår"] == "608,2"  # printed, rows sum to 608,1
    total = row(at, "Arbetsmarknadsnämnden")
    assert total["Prognosavvikelse"] == "+4,0"


def test_unit_switch_keeps_report_precision(app):
    at = app("ekonomi", kommun="0580", namnd="AMN")
    at.segmented_control(key="eko_unit").set_value("tkr").run()
    assert "per verksamhet (tkr)" in texts(at)
    r575 = row(at, "575 Ekonomiskt bistånd")
    assert r575["Prognos helår"] == "313 000"
    assert r575["Prognosavvikelse"] == "+10 800"
    at = app("ekonomi", kommun="2580", namnd="AGN")
    at.segmented_control(key="eko_unit").set_value("mnkr").run()
    assert "per verksamhet (mnkr)" in texts(at)
    assert row(at, "Arbetsmarknads- och gymnasienämnden")["Budget helår"] == "476,0"


def test_forvaltning_filter_rerun_changes_scope(app):
    at = app(kommun="0580", namnd="AMN")
    at.sidebar.selectbox(key="f_scope").set_value("iaf").run()
    assert not at.exception
    # IAF prints no total: 575 10,8 + 600 6,2 + 610 −2,8 + 926 0,0 = 14,2, marked computed
    assert metric(at, "Prognosavvikelse helår") == "+14,2 mnkr *"
    assert at.query_params["forvaltning"] in ("IAF", ["IAF"])
    assert at.sidebar.selectbox(key="f_scope").value == "iaf"  # filters survive the rerun


def test_hela_namnden_scope_is_the_lines_of_no_forvaltning(app):
    at = app("ekonomi", kommun="0580", namnd="AMN", forvaltning="hela-namnden")
    names = at.dataframe[0].value.iloc[:, 0].str.strip().to_list()
    assert any("100 Nämnd- och styrelseverksamhet" in n for n in names)
    assert any("Resultat nämndens enheter" in n for n in names)
    assert not any("575" in n for n in names)


@pytest.mark.parametrize("params, expected", [
    ({"kommun": "9999", "namnd": "XYZ"}, "finns inte i databasen"),
    ({"kommun": "0580", "namnd": "AMN", "tillfalle": "2023-13-45"}, "är inget datum"),
    ({"kommun": "0580", "namnd": "AMN", "tillfalle": "2022-08-31"}, "ingen uppföljning med periodslut 2022-08-31"),
    ({"kommun": "0580", "namnd": "AMN", "forvaltning": "SOCIAL"}, "Förvaltningen «SOCIAL» finns inte"),
])
def test_bad_url_values_get_a_friendly_message(app, params, expected):
    at = app(**params)
    assert expected in texts(at)
    assert at.metric  # the nearest valid view is still shown


def test_unknown_unit_in_url(app):
    at = app("verksamhet", kommun="0580", namnd="AMN", enhet="999")
    assert "Enheten «999» finns inte" in texts(at)


def test_verksamhet_page_575(app):
    at = app("verksamhet", kommun="0580", namnd="AMN", enhet="575")
    assert at.title[0].value == "575 Ekonomiskt bistånd"
    assert metric(at, "Budget helår") == "323,7 mnkr"
    assert metric(at, "Prognosavvikelse helår") == "+10,8 mnkr"
    assert "Utvecklingen för utbetalt ekonomiskt bistånd har" in texts(at)  # the analysis beside it


def test_verksamhet_page_rektorer_gy_drilldown(app):
    at = app("verksamhet", kommun="2580", namnd="AGN", enhet="gymnasieskolan/rektorer-gy")
    assert metric(at, "Budget helår") == "18 tkr"
    assert metric(at, "Prognosavvikelse helår") == "+4 000 tkr"
    assert metric(at, "Prognosavvikelse Delår 1") == "+4 600 tkr"
    labels = [link.label for link in at.get("page_link")]
    assert any("Gymnasieskolan" in label for label in labels)  # breadcrumb back up
    # no comment of its own: Gymnasieskolan's covers it, beside Gymnasieskolan's deviation (the
    # report's +5 100 tkr and periodavvikelse +2 704 tkr), not the unit's own
    assert "kommentaren för Gymnasieskolan täcker den" in texts(at)
    assert metric(at, "Prognosavvikelse helår, Gymnasieskolan") == "+5 100 tkr"
    assert metric(at, "Periodavvikelse") == "+2 704 tkr"


def _combinations():
    return [
        ("2580", "AGN", ["", "AUF", "hela-namnden"], ["2024-08-31", "2024-04-30"]),
        ("0580", "AMN", ["", "IAF", "UTB", "hela-namnden"], ["2023-08-31"]),
    ]


@pytest.mark.parametrize("page", ["oversikt", "ekonomi", "verksamhet", "mal", "uppdrag", "internkontroll",
                                  "indikatorer", "volymer", "personal"])
def test_every_page_every_forvaltning_and_round(app, page):
    for kommun, namnd, scopes, rounds in _combinations():
        for scope in scopes:
            for tillfalle in rounds:
                params = {"kommun": kommun, "namnd": namnd, "tillfalle": tillfalle}
                if scope:
                    params["forvaltning"] = scope
                at = app(page, **params)
                assert at.title, (page, params)
                assert not at.warning, [w.value for w in at.warning]


def test_verksamhet_page_for_every_unit(app, builtin_paths):
    import openpyxl

    for path in builtin_paths:
        wb = openpyxl.load_workbook(path, read_only=True)
        kommun, _, namnd = [c.value for c in next(wb["Tillfälle"].iter_rows(min_row=2, max_row=2))][:3]
        keys = [r[0] for r in wb["Organisation"].iter_rows(min_row=2, values_only=True) if r[0]]
        for key in keys:
            at = app("verksamhet", kommun=str(kommun), namnd=str(namnd), enhet=str(key))
            assert at.title and not at.warning, (path.name, key)


def test_ekonomi_builds_only_the_chosen_tab_and_the_address_opens_each(app):
    """Only the chosen tab's content runs (st.tabs on_change="rerun", each tab's .open): the
    default view sends the deviation chart and not the history across rounds; flik=tid in the
    address opens Prognos över tid with its chart and caption, flik=investeringar the
    investments – a copied link shows the tab it names."""
    from dashboard import charts

    built = []
    original = charts.forecast_across_rounds

    def counting(*args, **kwargs):
        built.append(args)
        return original(*args, **kwargs)

    import pytest as _pytest

    mp = _pytest.MonkeyPatch()
    mp.setattr(charts, "forecast_across_rounds", counting)
    try:
        at = app("ekonomi", kommun="2580", namnd="AGN", tillfalle="2024-08-31")
        assert "Prognosavvikelse per verksamhet" in texts(at)  # the chosen (first) tab's chart title
        assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 1
        assert "En verksamhet visas bara för tillfällen" not in texts(at)
        assert built == []  # the history tab was not opened: its chart was not built
        at = app("ekonomi", kommun="2580", namnd="AGN", tillfalle="2024-08-31", flik="tid")
        assert "En verksamhet visas bara för tillfällen som redovisade en prognos för den." in texts(at)
        assert len(built) == 1
        at = app("ekonomi", kommun="2580", namnd="AGN", tillfalle="2024-08-31", flik="investeringar")
        assert "En verksamhet visas bara för tillfällen" not in texts(at)
        assert any("Investeringar" in t.label for t in at.tabs)
    finally:
        mp.undo()
