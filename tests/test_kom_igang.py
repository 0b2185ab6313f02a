"""docs/kom-igang.md, followed as a new municipality's controller would: the test builds the two
workbooks from the tables in the document itself (so the guide and the program cannot drift
apart), imports them – the second without an Organisation sheet – and reads the pages.

The expected figures are written here, from the document's own tables.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from sqlalchemy import select

from conftest import ROOT, page_text
from dashboard import models as m
from dashboard.importing import import_path

DOC = ROOT / "docs" / "kom-igang.md"


def workbooks_from_doc() -> dict[int, dict[str, list[list[str | None]]]]:
    """{workbook number: {sheet: rows}} from the document's "#### Arbetsbok N, blad X" tables."""
    text = DOC.read_text(encoding="utf-8")
    books: dict[int, dict[str, list]] = {}
    for match in re.finditer(r"^#### Arbetsbok (\d+), blad (.+?)\n\n((?:\|.*\|\n)+)", text, re.M):
        number, sheet, table = int(match[1]), match[2].strip(), match[3]
        rows = []
        for line in table.strip().split("\n"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= {"-", " "} for c in cells):
                continue  # the separator row
            rows.append([c or None for c in cells])
        books.setdefault(number, {})[sheet] = rows
    return books


def write(book: dict[str, list], path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in book.items():
        ws = wb.create_sheet(sheet)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_document_has_both_workbooks():
    books = workbooks_from_doc()
    assert set(books) == {1, 2}
    assert set(books[1]) == {"Tillfälle", "Organisation", "Ekonomi"}
    assert set(books[2]) == {"Tillfälle", "Ekonomi"}  # the second round leaves the organisation out


@pytest.fixture
def imported(empty_engine, tmp_path):
    books = workbooks_from_doc()
    first = import_path(empty_engine, write(books[1], tmp_path / "delar2.xlsx"))
    assert first.ok, first.lines()
    second = import_path(empty_engine, write(books[2], tmp_path / "bokslut.xlsx"))
    assert second.ok, second.lines()
    return empty_engine, first, second


def _keys_by_round(engine) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.Round.period_end, m.OrgUnit.key, m.UnitVersion.name)
            .join(m.UnitVersion, m.UnitVersion.round_id == m.Round.id)
            .join(m.OrgUnit, m.OrgUnit.id == m.UnitVersion.unit_id)
        ).all()
    out: dict = {}
    for end, key, name in rows:
        out.setdefault(end.isoformat(), {})[key] = name
    return out


def test_keys_are_made_for_the_user_and_kept_across_rounds(imported):
    engine, first, second = imported
    keys = _keys_by_round(engine)
    expected = {
        "grundskolenamnden": "Grundskolenämnden",
        "buf": "Barn- och utbildningsförvaltningen",
        "410": "Grundskola årskurs 1–6",
        "420": "Grundskola årskurs 7–9",
        "430": "Fritidshem",
        "elevhalsa": "Elevhälsa",
        "410/gemensamma-resurser": "Gemensamma resurser",
        "420/gemensamma-resurser": "Gemensamma resurser",
        "namnd-och-forvaltningsledning": "Nämnd och förvaltningsledning",
    }
    assert keys["2025-08-31"] == expected
    assert keys["2025-12-31"] == expected  # the Bokslut took the Delår 2 organisation, same keys
    notes = "\n".join(first.notes)
    assert "«Grundskola årskurs 1–6» får nyckeln 410 (av koden)" in notes
    assert "«Elevhälsa» får nyckeln elevhalsa (av namnet)" in notes
    assert "«Gemensamma resurser» får nyckeln 410/gemensamma-resurser (av namnet under den överordnade)" in notes
    assert any("Bladet Organisation saknas: organisationen från Delår 2 2025-08-31 används (9 enheter)" in n
               for n in second.notes)


def test_amounts_as_written_in_the_document(imported):
    engine, *_ = imported
    with engine.connect() as conn:
        rows = conn.execute(
            select(m.Round.kind, m.OrgUnit.key, m.EconomyLine.forecast_net, m.EconomyLine.actual_period,
                   m.EconomyLine.deviation_period, m.EconomyLine.forecast_deviation)
            .join(m.Round, m.Round.id == m.EconomyLine.round_id)
            .join(m.OrgUnit, m.OrgUnit.id == m.EconomyLine.unit_id)
        ).all()
    got = {(r.kind, r.key): r for r in rows}
    assert got[("Delår 2", "elevhalsa")].forecast_net == pytest.approx(93.4)  # "93 400 tkr" in an mnkr book
    assert got[("Delår 2", "410")].forecast_deviation == pytest.approx(-4.5)
    assert got[("Bokslut", "420")].actual_period == pytest.approx(400.1)  # "Utfall helår"
    assert got[("Bokslut", "420")].deviation_period == pytest.approx(9.9)  # "Resultat mot budget"
    assert got[("Bokslut", "grundskolenamnden")].forecast_net is None  # a bokslut stores no forecast


@pytest.fixture
def pages(imported, page_on):
    run = page_on(imported[0])
    return lambda page=None, **params: page_text(run(page, **params))


def test_both_rounds_on_the_pages(pages):
    delar2 = pages(kommun="1999", namnd="GSN", tillfalle="2025-08-31")
    assert "Prognosen för helåret: 3,5 mnkr överskott" in delar2
    bokslut = pages(kommun="1999", namnd="GSN", tillfalle="2025-12-31")
    assert "Resultat för helåret: 6,2 mnkr överskott" in bokslut
    ekonomi = pages("ekonomi", kommun="1999", namnd="GSN", tillfalle="2025-08-31")
    assert "410 Grundskola årskurs 1–6" in ekonomi and "524,5" in ekonomi
    # the förvaltning's total is not in the workbook: computed from its rows and marked
    assert "1 175,0 *" in ekonomi


def test_two_units_of_one_name_are_told_apart_by_their_parent(imported, page_on):
    # reproduce (a new user's run of this document): Översikt listed "Gemensamma resurser" twice with
    # no parent, and the Ekonomi chart drew both on one row
    at = page_on(imported[0])(kommun="1999", namnd="GSN", tillfalle="2025-08-31")
    links = [e.proto.label.replace("\u00a0", " ") for e in at.get("page_link")]
    assert "Grundskola årskurs 1–6 › Gemensamma resurser · −1,2 mnkr underskott" in links, links
    assert "Grundskola årskurs 7–9 › Gemensamma resurser · +1,0 mnkr överskott" in links, links
    assert not [label for label in links if label.startswith("Gemensamma resurser")], links


def test_the_warnings_the_document_describes_in_swedish_number_format(imported):
    # reproduce (a new user's run): "summan av raderna under 410 är -0.8" in Python's format
    lines = "\n".join(imported[1].lines())
    assert "12 varningar" in lines
    assert ("Blad Ekonomi, rad 3, kolumn Budget helår: värdet «520»: summan av raderna under 410 är 40,0; "
            "skillnaden är större än avrundning (sparas som rapporten skriver)") in lines
    assert "summan av raderna under 410 är −0,8" in lines  # Periodavvikelse: a true minus, a decimal comma
    doc = " ".join((ROOT / "docs" / "kom-igang.md").read_text(encoding="utf-8").split())
    assert "**12 varningar**" in doc and "summan av raderna under 410 är 40,0" in doc
