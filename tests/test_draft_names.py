"""Rounds are versions (issue 10.2): a draft that renames units, goals, an indicator's footnote
and the nämnd shows its names only to those who may see the draft; the adopted round keeps its
own names on every page, in the slides and in the exports. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit import config as st_config

from conftest import page_text
from dashboard import queries
from dashboard.db import init_db
from dashboard.export import to_pptx
from dashboard.importing import ImportReport, import_sheets
from dashboard.importing.dump import dump_round
from dashboard.slides import build
from dashboard.textsafe import unescape

ADOPTED = dt.date(2023, 8, 31)
DRAFT = "2023-09-30"
RENAMES = {
    "Organisation": {"575": "UTKAST-ENHET"},
    "Indikatorer": {},
}


def draft_sheets(engine):
    """Linköping's adopted Delår 2 turned into a draft month round that renames things."""
    rid = queries.rounds(engine, int(queries.namnder(engine).query("namnd_code == 'AMN'").iloc[0]["namnd_id"])).iloc[0]["round_id"]
    sheets = dump_round(engine, int(rid))
    t = sheets["Tillfälle"].rows[0][1]
    t.update({"Typ": "Månad", "Periodslut": DRAFT, "Status": "utkast", "Nämnd": "Arbetsmarknadsnämnden (UTKAST-NAMN)",
              "Rapport": "Arbetsmaterial"})
    for _, values in sheets["Organisation"].rows:
        if values["Enhet"] == "575":
            values["Namn"] = "UTKAST-ENHET"
    goal = next(v for _, v in sheets["Mål"].rows if v["Nivå"] == "nämndmål")
    goal["Namn"], goal["Beskrivning"] = "UTKAST-MÅL", "UTKAST-BESKRIVNING"
    indicator = next(v for _, v in sheets["Indikatorer"].rows)
    indicator["Fotnot"] = "UTKAST-FOTNOT"
    if "Fotnot" not in sheets["Indikatorer"].headers:
        sheets["Indikatorer"].headers.append("Fotnot")
    return sheets, goal["Namn"]


@pytest.fixture
def with_draft(empty_engine):
    init_db(empty_engine)
    sheets, _ = draft_sheets(empty_engine)
    report = import_sheets(empty_engine, sheets, "utkast.xlsx", None, ImportReport(Path("utkast.xlsx")), "test", False)
    assert report.ok, report.lines()
    return empty_engine


def fetcher(engine):
    return lambda name, *args: getattr(queries, name)(engine, *args)


def test_slides_and_pptx_of_the_adopted_round_keep_its_names(with_draft):
    rounds = queries.rounds(with_draft, int(queries.namnder(with_draft).query("namnd_code == 'AMN'").iloc[0]["namnd_id"]))
    adopted = set(rounds.loc[rounds["status"] == "fastställd", "round_id"])
    slides = build(fetcher(with_draft), "0580", "AMN", ADOPTED, visible_round_ids=adopted)
    buffer = io.BytesIO()
    to_pptx(slides, buffer)
    text = "\n".join(shape.text_frame.text for slide in Presentation(io.BytesIO(buffer.getvalue())).slides
                     for shape in slide.shapes if shape.has_text_frame)
    text += "\n".join(str(s.table) for s in slides if s.table is not None)
    assert "UTKAST" not in text
    assert "Arbetsmarknadsnämnden" in text
    # the command line (which may see everything) exports the adopted round with its own names too
    everything = build(fetcher(with_draft), "0580", "AMN", ADOPTED)
    assert all("UTKAST" not in (s.title + s.subtitle + " ".join(s.bullets) + str(s.table)) for s in everything)
    draft = build(fetcher(with_draft), "0580", "AMN", DRAFT)
    assert "Arbetsmarknadsnämnden (UTKAST-NAMN)" in draft[0].subtitle  # the draft keeps its own


@pytest.fixture
def reader_pages(with_draft, page_on):
    run_page = page_on(with_draft)
    address = st_config.get_option("server.address")

    def run(page: str | None, reader: bool, **params: str) -> str:
        # a server on any other address than loopback, without sign-in, is read-only
        st_config.set_option("server.address", "127.0.0.2" if reader else "127.0.0.1")
        at = run_page(page, **params)
        extra = [x.label for x in at.expander] + [str(o) for box in at.selectbox for o in box.options]
        return page_text(at) + "\n" + unescape("\n".join(extra))

    yield run
    st_config.set_option("server.address", address)


@pytest.mark.parametrize("page", [None, "ekonomi", "mal", "indikatorer", "volymer", "verksamhet"])
def test_reader_of_the_adopted_round_never_sees_the_draft_names(reader_pages, page):
    params = {"kommun": "0580", "namnd": "AMN", "tillfalle": ADOPTED.isoformat()}
    if page == "verksamhet":
        params["enhet"] = "575"
    text = reader_pages(page, reader=True, **params)
    assert "UTKAST" not in text and "Arbetsmaterial" not in text
    assert DRAFT not in text  # not even as a choice of round
    assert "Arbetsmarknadsnämnden" in text
    if page in ("ekonomi", "verksamhet"):
        assert "575 Ekonomiskt bistånd" in text


def test_local_user_sees_the_draft_with_its_names(reader_pages):
    text = reader_pages(None, reader=False, kommun="0580", namnd="AMN", tillfalle=DRAFT)
    assert "Arbetsmarknadsnämnden (UTKAST-NAMN)" in text
    adopted = reader_pages("ekonomi", reader=False, kommun="0580", namnd="AMN", tillfalle=ADOPTED.isoformat())
    assert "UTKAST" not in adopted and "575 Ekonomiskt bistånd" in adopted
