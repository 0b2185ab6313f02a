"""A Bokslut round on the pages (AppTest through app.py), on SQLite and PostgreSQL.

Luleå AGN's Delår 1 and Delår 2 2024 are built in; `bokslut_data` adds a Bokslut 2024 and the
rounds of 2025 (Delår 1, Delår 2, Bokslut in mnkr). Every expected figure and sentence is written
out here by hand from those workbooks and the built-in report, never computed by the code
under test.

A Bokslut page must never present the outcome as a forecast. The prognossäkerhet parts name the
forecasts on purpose; they sit in containers keyed `psak_*`, which the wording check skips.
"""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

import bokslut_data as bd
from conftest import ROOT, _fresh_url, app_runner
from dashboard.db import init_db, make_engine
from dashboard.textsafe import unescape

NBSP = "\u00a0"
FORBIDDEN = ("Prognosavvikelse", "Prognosen för helåret", "prognostiserar")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bokslut_url(request, tmp_path_factory):
    """Built-in data plus the Bokslut workbooks, once per backend for this module."""
    url = _fresh_url(request.param, tmp_path_factory, request)
    engine = make_engine(url)
    init_db(engine)
    bd.load_all(engine, tmp_path_factory.mktemp("bokslut"))
    engine.dispose()
    return url


@pytest.fixture
def app(bokslut_url, monkeypatch):
    make = app_runner(monkeypatch, bokslut_url, defaults={"kommun": "2580", "namnd": "AGN"})
    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


# --- reading the page ----------------------------------------------------------------------

def _node_texts(node) -> list[str]:
    out = []
    for attr in ("label", "value", "delta", "body", "help"):
        try:
            v = getattr(node, attr, None)
        except Exception:  # noqa: BLE001 - some widgets raise for attributes they lack
            continue
        if v is None or callable(v):
            continue
        if hasattr(v, "to_string"):
            out.append(" ".join(str(c) for c in v.columns))
            out.append(v.to_string())
        else:
            out.append(unescape(str(v)))  # markdown escapes (textsafe) are not what a reader sees
    proto = getattr(node, "proto", None)
    spec = getattr(proto, "spec", None)
    if isinstance(spec, str) and spec:
        out.append(json.dumps(json.loads(spec), ensure_ascii=False))  # chart titles and tooltips
    return out


def page_texts(at: AppTest, skip_accuracy: bool = False) -> str:
    """Every text on the page, optionally without the prognossäkerhet parts (keys `psak_*`)."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, Block) and skip_accuracy and str(getattr(node, "key", "") or "").startswith("psak"):
            return
        parts.extend(_node_texts(node))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts).replace(NBSP, " ")


def accuracy_block(at: AppTest, key: str):
    found = []

    def walk(node):
        if isinstance(node, Block) and getattr(node, "key", None) == key:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    assert found, f"ingen del {key} på sidan"
    return found[0]


def block_texts(block) -> str:
    parts: list[str] = []

    def walk(node):
        parts.extend(_node_texts(node))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(block)
    return "\n".join(parts).replace(NBSP, " ")


def block_frames(block) -> list:
    frames = []

    def walk(node):
        if type(node).__name__ == "Dataframe":
            frames.append(node.value.map(lambda v: str(v).replace(NBSP, " ")))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(block)
    return frames


def no_forecast_wording(at: AppTest) -> None:
    outside = page_texts(at, skip_accuracy=True)
    for word in FORBIDDEN:
        assert word.casefold() not in outside.casefold(), f"«{word}» utanför prognossäkerheten:\n{outside}"


def shown(text: str) -> str:
    return unescape(text).replace(NBSP, " ")


def metric(at: AppTest, label_start: str) -> tuple[str, str]:
    for m in at.metric:
        if shown(m.label).startswith(label_start):
            return shown(m.value), shown(m.delta or "")
    raise AssertionError(f"ingen metric {label_start!r}: {[m.label for m in at.metric]}")


def rows_of(frame, **match) -> list[dict]:
    hits = frame
    for col, value in match.items():
        hits = hits[hits[col].str.strip() == value]
    return hits.to_dict("records")


# --- Översikt ------------------------------------------------------------------------------

def test_bokslut_overview_headline_metrics_once_and_accuracy_row(app):
    at = app(tillfalle="2024-12-31")
    assert shown(at.subheader[0].value) == "Resultat för helåret: 11 841 tkr överskott"
    assert metric(at, "Resultat mot budget helår") == ("+11 841 tkr", "+2,5 % av budget")
    assert metric(at, "Utfall helår") == ("464 177 tkr", "budget 476 018 tkr")
    assert metric(at, "Utfall jämfört med prognosen i Delår 2") == ("+3 541 tkr", "bättre än prognosen")
    labels = [shown(m.label) for m in at.metric]
    assert not any(label.startswith("Periodresultat") for label in labels)  # the year's result, shown once
    row = block_texts(accuracy_block(at, "psak_oversikt"))
    assert ("Prognossäkerhet: Delår 2 låg 3 541 tkr under utfallet (Delår 2-prognosen var 3 541 tkr för "
            "försiktig; prognos +8 300 tkr, utfall +11 841 tkr).") in row.replace("**", "")
    text = page_texts(at)
    assert "Störst avvikelse mot budget (utfall helår)" in text
    no_forecast_wording(at)
    links = [shown(p.label) for p in at.get("page_link")]
    # deficits first, then the largest surpluses (Bokslut figures, leaf lines)
    assert "Gymnasieskolan › Interkommunalt netto · −1 480 tkr underskott" in links
    assert "Gymnasieskolan › Rektorer GY · +3 650 tkr överskott" in links


def test_forecast_round_overview_is_unchanged(app):
    at = app(tillfalle="2024-08-31")
    assert shown(at.subheader[0].value) == \
        "Prognosen för helåret: 8 300 tkr överskott – förbättras med 1 000 tkr sedan delår 1"
    assert metric(at, "Prognosavvikelse helår")[0] == "+8 300 tkr"
    assert not any(getattr(b, "key", None) == "psak_oversikt" for b in at.main.children.values())


def test_next_years_delar_1_has_no_previous_round(app):
    at = app(tillfalle="2025-04-30")
    assert metric(at, "Förändring sedan föregående tillfälle") == ("–", "inget tidigare tillfälle")
    assert shown(at.subheader[0].value) == "Prognosen för helåret: 2 000 tkr överskott"
    eko = app("ekonomi", tillfalle="2025-04-30")
    assert list(eko.dataframe[0].value.columns) == ["Verksamhet", "Budget helår", "Periodbudget", "Utfall",
                                                     "Periodavvikelse", "Prognos helår", "Prognosavvikelse"]


# --- Ekonomi -------------------------------------------------------------------------------

def test_bokslut_ekonomi_columns_outcome_and_change_against_delar_2(app):
    at = app("ekonomi", tillfalle="2024-12-31")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Verksamhet", "Budget helår", "Utfall helår", "Resultat mot budget",
                                   "Delår 2-prognos, avvikelse", "Utfall mot prognos"]
    cells = table.map(lambda v: str(v).replace(NBSP, " ").strip())
    agn = cells[cells["Verksamhet"].str.contains("Arbetsmarknads- och gymnasienämnden")].iloc[0].to_dict()
    assert agn == {"Verksamhet": "▾ Arbetsmarknads- och gymnasienämnden", "Budget helår": "476 018",
                   "Utfall helår": "464 177", "Resultat mot budget": "+11 841",
                   "Delår 2-prognos, avvikelse": "+8 300", "Utfall mot prognos": "+3 541"}
    gy = cells[cells["Verksamhet"].str.contains("Gymnasieskolan")].iloc[0].to_dict()
    assert (gy["Budget helår"], gy["Utfall helår"], gy["Resultat mot budget"]) == ("357 468", "352 700", "+4 768")
    assert (gy["Delår 2-prognos, avvikelse"], gy["Utfall mot prognos"]) == ("+5 100", "−332")
    assert "Budget, utfall och resultat per verksamhet (tkr)" in page_texts(at)
    no_forecast_wording(at)


def _rows_by_name(frame) -> dict:
    """Rows of the prognossäkerhet table by unit name; an enhet by `parent › name` (the table shows
    the tree by indentation, so a name is read under the row above it)."""
    out, parent = {}, None
    for r in frame.to_dict("records"):
        name = r["Verksamhet"]
        depth = len(name) - len(name.lstrip("\u2003"))
        name = name.strip()
        if depth <= 2:
            parent = name
            out[name] = r
        else:
            out[f"{parent} › {name}"] = r
    return out


def test_bokslut_ekonomi_prognossakerhet_table_misses_and_words(app):
    at = app("ekonomi", tillfalle="2024-12-31")
    block = accuracy_block(at, "psak_ekonomi")
    text = block_texts(block).replace("**", "")
    assert ("Delår 2-prognosen var 3 541 tkr för försiktig – prognosen i Delår 2 var +8 300 tkr mot budget, "
            "utfallet blev +11 841 tkr (skillnad +3 541 tkr, +0,7 % av budget).") in text
    assert ("Skillnad = utfall − prognos: positiv = prognosen var för försiktig, "
            "negativ = för optimistisk.") in text
    assert "inte varför" in text and "åtgärder" in text  # the caption on what the comparison cannot show
    assert "Prognosen i Delår 2 mot utfallet per verksamhet (avvikelser mot budget, tkr)" in text
    frame = block_frames(block)[0]
    assert list(frame.columns) == ["Verksamhet", "Prognos", "Utfall", "Skillnad", "% av budget", "Bedömning"]
    expected_delar_2 = {
        # unit: forecast deviation, outcome deviation, miss, miss % of budget, words
        "Arbetsmarknads- och gymnasienämnden": ("+8 300", "+11 841", "+3 541", "+0,7 %",
                                                "Delår 2-prognosen var 3 541 tkr för försiktig"),
        "Arbetsmarknads- och utbildningsförvaltningen": ("+8 300 *", "+11 530 *", "+3 230 *", "+0,7 %",
                                                         "Delår 2-prognosen var 3 230 tkr för försiktig"),
        "Gymnasieskolan": ("+5 100", "+4 768", "−332", "−0,1 %", "Delår 2-prognosen var 332 tkr för optimistisk"),
        "Gymnasieskolan › Interkommunalt netto": ("0", "−1 480", "−1 480", "−13,4 %",
                                                  "Delår 2-prognosen var 1 480 tkr för optimistisk"),
        "Gymnasieskolan › Rektorer GY": ("+4 000", "+3 650", "−350", "−1 944,4 %",
                                         "Delår 2-prognosen var 350 tkr för optimistisk"),
        "Tillväxt, Integration och arbete": ("+3 200", "+5 567", "+2 367", "+4,5 %",
                                             "Delår 2-prognosen var 2 367 tkr för försiktig"),
        "Vuxenutbildningen › Gemensamma resurser": ("0", "−1 210", "−1 210", "−4,3 %",
                                                    "Delår 2-prognosen var 1 210 tkr för optimistisk"),
    }
    rows = _rows_by_name(frame)
    assert len(rows) == 17  # 16 units and the förvaltning (a sum neither round prints)
    for unit, values in expected_delar_2.items():
        r = rows[unit]
        assert (r["Prognos"], r["Utfall"], r["Skillnad"], r["% av budget"], r["Bedömning"]) == values, unit
    # the same outcome against Delår 1's forecast
    pick = next(sc for sc in at.segmented_control if shown(sc.label) == "Jämför utfallet med prognosen i")
    assert (pick.value, list(pick.options)) == ("Delår 2", ["Delår 1", "Delår 2"])  # Delår 2's is the headline
    pick.set_value("Delår 1").run()
    assert not at.exception
    frame = block_frames(accuracy_block(at, "psak_ekonomi"))[0]
    rows = _rows_by_name(frame)
    expected_delar_1 = {
        "Arbetsmarknads- och gymnasienämnden": ("+7 300", "+11 841", "+4 541", "+1,0 %",
                                                "Delår 1-prognosen var 4 541 tkr för försiktig"),
        "Gymnasieskolan": ("+4 700", "+4 768", "+68", "0,0 %", "Delår 1-prognosen var 68 tkr för försiktig"),
        "Vuxenutbildningen": ("−600", "+1 195", "+1 795", "+2,9 %", "Delår 1-prognosen var 1 795 tkr för försiktig"),
        "Vuxenutbildningen › Gemensamma resurser": ("−600", "−1 210", "−610", "−2,2 %",
                                                    "Delår 1-prognosen var 610 tkr för optimistisk"),
    }
    for unit, values in expected_delar_1.items():
        r = rows[unit]
        assert (r["Prognos"], r["Utfall"], r["Skillnad"], r["% av budget"], r["Bedömning"]) == values, unit
    assert "Rader som inte kan jämföras" not in block_texts(accuracy_block(at, "psak_ekonomi"))  # every 2024 row has both


def test_bokslut_ekonomi_across_years_not_comparable_and_investments(app):
    at = app("ekonomi", tillfalle="2025-12-31")
    block = accuracy_block(at, "psak_ekonomi")
    text = block_texts(block).replace("**", "")
    assert "Delår 2-prognosen var 0,9 mnkr för optimistisk" in text
    frames = block_frames(block)
    table, not_comparable, years, investments = frames[0], frames[1], frames[2], frames[3]
    # the Delår 2 forecast in tkr, the Bokslut in mnkr with one decimal: compared in mnkr
    rows = _rows_by_name(table)
    row = rows["Arbetsmarknads- och gymnasienämnden"]
    assert (row["Prognos"], row["Utfall"], row["Skillnad"], row["% av budget"]) == ("+2,7", "+1,8", "−0,9", "−0,2 %")
    assert rows["Tillväxt, Integration och arbete › Gemensamma resurser"]["Bedömning"] == \
        "Delår 2-prognosen träffade utfallet"
    assert "Prognosen i Delår 2 mot utfallet per verksamhet (avvikelser mot budget, mnkr)" in text
    reasons = {(r["Rad"], r["Prognos i"]): r["Skäl"] for r in not_comparable.to_dict("records")}
    assert reasons == {
        ("Gymnasieskolan › Rektor anpassad GY", "Delår 1"): "Prognos i Delår 1 men inget utfall i bokslutet",
        ("Gymnasieskolan › Rektor anpassad GY", "Delår 2"): "Prognos i Delår 2 men inget utfall i bokslutet",
        ("Tillväxt, Integration och arbete › Etableringsenheten", "Delår 1"): "Utfall i bokslutet men ingen prognos i Delår 1",
        ("Tillväxt, Integration och arbete › Etableringsenheten", "Delår 2"): "Utfall i bokslutet men ingen prognos i Delår 2",
    }
    # across years: the Delår 2 miss per year, 2024 (tkr) converted to mnkr without adding decimals
    by_unit = {r["Verksamhet"].strip(): r for r in years.to_dict("records")}
    assert list(years.columns) == ["Verksamhet", "2024", "2025", "Tendens"]
    assert (by_unit["Arbetsmarknads- och gymnasienämnden"]["2024"], by_unit["Arbetsmarknads- och gymnasienämnden"]["2025"],
            by_unit["Arbetsmarknads- och gymnasienämnden"]["Tendens"]) == ("+3,5 mnkr", "−0,9 mnkr", "växlande")
    assert (by_unit["Gymnasieskolan"]["2024"], by_unit["Gymnasieskolan"]["2025"], by_unit["Gymnasieskolan"]["Tendens"]) == \
        ("−0,3 mnkr", "−0,4 mnkr", "för optimistisk alla 2 år")
    assert by_unit["Vuxenutbildningen › Rektor 2 SFI"]["Tendens"] == "för försiktig alla 2 år"
    assert (by_unit["Gymnasieskolan › Rektor anpassad GY"]["2025"],
            by_unit["Gymnasieskolan › Rektor anpassad GY"]["Tendens"]) == ("–", "ett år – ingen tendens")
    inv = {r["Projekt"]: r for r in investments.to_dict("records")}
    gy = inv["gy-lokaler Ombyggnad gymnasiet"]
    assert (gy["Budget"], gy["Prognos"], gy["Utfall"], gy["Skillnad"], gy["% av budget"], gy["Bedömning"]) == \
        ("15,0", "10,5", "8,4", "−2,1", "−14,0 %", "Utfallet blev 2,1 mnkr lägre än Delår 2-prognosen")
    assert inv["it-elever IT-utrustning elever"]["Bedömning"] == "Utfallet blev 0,2 mnkr högre än Delår 2-prognosen"
    no_forecast_wording(at)


def test_bokslut_ekonomi_in_tkr_never_adds_decimals(app):
    at = app("ekonomi", tillfalle="2025-12-31")
    next(sc for sc in at.segmented_control if sc.label == "Belopp i").set_value("tkr").run()
    assert not at.exception
    frame = block_frames(accuracy_block(at, "psak_ekonomi"))[0]
    row = _rows_by_name(frame)["Arbetsmarknads- och gymnasienämnden"]
    # 1,8 mnkr is 1 800 tkr (not more precise than the report); 2 700 − 1 800 = −900
    assert (row["Prognos"], row["Utfall"], row["Skillnad"]) == ("+2 700", "+1 800", "−900")


# --- Verksamhet ----------------------------------------------------------------------------

def test_bokslut_verksamhet_outcome_and_its_forecasts(app):
    at = app("verksamhet", tillfalle="2024-12-31", enhet="gymnasieskolan")
    assert metric(at, "Budget helår")[0] == "357 468 tkr"
    assert metric(at, "Utfall helår")[0] == "352 700 tkr"
    assert metric(at, "Resultat mot budget helår") == ("+4 768 tkr", "överskott")
    assert metric(at, "Delår 2-prognosen (avvikelse)") == ("+5 100 tkr", "utfallet −332 tkr mot prognosen")
    text = block_texts(accuracy_block(at, "psak_verksamhet")).replace("**", "")
    assert "Delår 1-prognosen var 68 tkr för försiktig (prognos +4 700 tkr, utfall +4 768 tkr, skillnad +68 tkr, 0,0 % av budget)" in text
    assert "Delår 2-prognosen var 332 tkr för optimistisk (prognos +5 100 tkr, utfall +4 768 tkr, skillnad −332 tkr, −0,1 % av budget)" in text
    no_forecast_wording(at)
    later = app("verksamhet", tillfalle="2025-12-31", enhet="gymnasieskolan")
    text = block_texts(accuracy_block(later, "psak_verksamhet"))
    assert "Skillnad utfall − prognos i Delår 2 per år: 2024: −0,3 mnkr · 2025: −0,4 mnkr – för optimistisk alla 2 år." in text


# --- Bildspel ------------------------------------------------------------------------------

def test_bokslut_bildspel_has_outcome_headline_and_accuracy_slide(app):
    at = app("bildspel", tillfalle="2024-12-31", bilder="ekonomi,prognossakerhet", bild="1")
    from test_export import slide_title  # the slide is drawn as HTML from the slide layout

    assert shown(slide_title(at)) == "Resultat för helåret: 11 841 tkr överskott"
    while not shown(slide_title(at)).startswith("Prognossäkerhet") and not at.button(key="bs_next").disabled:
        at.button(key="bs_next").click().run()  # the economy may continue on a follow-on slide
    assert shown(slide_title(at)) == "Prognossäkerhet: Delår 2-prognosen var 3 541 tkr för försiktig"
    forecast = app("bildspel", tillfalle="2024-08-31", bilder="ekonomi,prognossakerhet", bild="1")
    sections = []  # no such slide before a Bokslut: only the economy (over its follow-on slides)
    while True:
        sections.append(" ".join(m.value for m in forecast.markdown).split("** · ")[1].split(" ####")[0])
        if forecast.button(key="bs_next").disabled:
            break
        forecast.button(key="bs_next").click().run()
    assert set(sections) == {"Ekonomisk sammanfattning"}


# --- PowerPoint and PDF --------------------------------------------------------------------

def test_bokslut_pptx_and_pdf_carry_outcome_headline_and_accuracy_slide(bokslut_url, tmp_path):
    from pptx import Presentation

    from dashboard import queries
    from dashboard.export import to_pdf, to_pptx
    from dashboard.slides import build
    from test_export import pdf_text, pptx_slides

    engine = make_engine(bokslut_url)
    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    slides = build(fetch, "2580", "AGN", "2024-12-31")
    to_pptx(slides, tmp_path / "bokslut.pptx")
    to_pdf(slides, tmp_path / "bokslut.pdf")
    engine.dispose()
    texts = pptx_slides(tmp_path / "bokslut.pptx")
    assert texts[0].startswith("Uppföljning Bokslut 2024")
    economy = texts[1]
    assert economy.startswith("Resultat för helåret: 11 841 tkr överskott")
    assert "• Resultat mot budget helår: +11 841 tkr (+2,5 % av budget)" in economy
    assert "• Utfall helår: 464 177 tkr (budget 476 018 tkr)" in economy
    assert "• Utfall jämfört med prognosen i Delår 2: +3 541 tkr (bättre än prognosen)" in economy
    assert "Periodresultat" not in economy  # the year's result is shown once
    # prognossäkerhet: the chart with the headline, then the table in words on a slide of its own
    pages = [i for i, t in enumerate(texts) if t.startswith(("Prognossäkerhet: Delår 2-prognosen var 3 541 tkr för försiktig",
                                                            "Prognosen i Delår 2 mot utfallet per verksamhet"))]
    assert len(pages) == 2 and pages[1] == pages[0] + 1, texts
    first, table = texts[pages[0]], texts[pages[1]]
    assert "• Delår 2 låg 3 541 tkr under utfallet: prognos +8 300 tkr, utfall +11 841 tkr" in first
    assert "Gymnasieskolan\n+5 100\n+4 768\n−332\nDelår 2-prognosen var 332 tkr för optimistisk" in table
    assert "Tillväxt, Integration och arbete\n+3 200\n+5 567\n+2 367\nDelår 2-prognosen var 2 367 tkr för försiktig" in table
    assert "Arbetsmarknads- och utbildningsförvaltningen\n+8 300 *\n+11 530 *\n+3 230 *" in table
    for index, text in enumerate(texts):
        if index not in pages:
            for word in FORBIDDEN:
                assert word not in text, (word, text)
    prs = Presentation(str(tmp_path / "bokslut.pptx"))
    assert any(shape.shape_type == 13 for shape in prs.slides[pages[0]].shapes)  # the dumbbell chart as a picture
    pdf = pdf_text(tmp_path / "bokslut.pdf")
    assert "Resultat för helåret: 11 841 tkr överskott" in pdf
    assert "Prognossäkerhet: Delår 2-prognosen var 3 541 tkr för försiktig" in pdf
    assert "Utfall jämfört med prognosen i Delår 2" in pdf
    assert "Prognosen för helåret" not in pdf
