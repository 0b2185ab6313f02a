"""The Word report draft (issue 16): opened with python-docx and checked against the two reports.

Expected figures and sentences are written here from the report texts in ../shared/seeds/
(000_… Luleå AGN Delårsuppföljning 2 2024, tkr; 003_… Linköping AMN Delårsrapport 2 2023, mnkr),
never computed by the code under test. The documents are written once per module (charts and all)
and rendered once through LibreOffice → PDF → PNG into test-artifacts/rapport/.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.shared import Pt, RGBColor

import builders as b
from conftest import ARTIFACTS, ROOT, require
from dashboard import queries
from dashboard.db import make_engine, upgrade
from dashboard.importing import import_path
from dashboard.report import NOT_REPORTED, build, sentences as sn, write
from dashboard.report.document import DRAFT_HEADER, DRAFT_STYLE, QUOTE_STYLE, TemplateError
from dashboard.slides import NotFound
from test_pages import app  # noqa: F401  (fixture)

LULEA = ("2580", "AGN", "2024-08-31")
LINKOPING = ("0580", "AMN", "2023-08-31")
D1 = {"kind": "Delår 1", "period_end": dt.date(2024, 4, 30)}
D2 = {"kind": "Delår 2", "period_end": dt.date(2024, 8, 31)}
BOKSLUT_2023 = {"kind": "Bokslut", "period_end": dt.date(2023, 12, 31)}
HEADINGS = ["Sammanfattning", "Viktiga händelser", "Måluppfyllelse", "Ekonomi", "Volymer och personal",
            "Internkontroll", "Övrig uppföljning"]


def norm(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u00ad", "")


class _Normed:
    """The sentence templates with their text normalised (no-break spaces as spaces) for comparison."""

    def __getattr__(self, name):
        def call(*args, **kwargs):
            result = getattr(sn, name)(*args, **kwargs)
            return type("S", (), {"text": norm(result.text)})
        return call


SN = _Normed()


def fetcher(engine):
    return lambda name, *args: getattr(queries, name)(engine, *args)


@pytest.fixture(scope="module")
def engine(sqlite_builtin_url):
    eng = make_engine(sqlite_builtin_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def documents(engine, tmp_path_factory):
    """Both built-in committees written once as .docx."""
    out = tmp_path_factory.mktemp("rapport")
    paths = {}
    for kommun, namnd, tillfalle in (LULEA, LINKOPING):
        paths[namnd] = out / f"rapport_{namnd}.docx"
        write(build(fetcher(engine), kommun, namnd, tillfalle), paths[namnd])
    return paths


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def drafted(document) -> list[str]:
    return [norm(r.text) for p in document.paragraphs for r in p.runs if r.style is not None and r.style.name == DRAFT_STYLE]


def economy_rows(document) -> dict[str, dict[str, str]]:
    """The driftredovisning table: row name -> {column header: cell text}."""
    for table in document.tables:
        header = [norm(c.text) for c in table.rows[0].cells]
        if header[0] == "Verksamhet":
            return {norm(r.cells[0].text).strip(): dict(zip(header, (norm(c.text) for c in r.cells), strict=True))
                    for r in table.rows[1:]}
    raise AssertionError("ingen driftredovisning i dokumentet")


def table_after(document, caption: str):
    """The table that follows a caption paragraph."""
    found = False
    for item in document.iter_inner_content():
        if isinstance(item, docx.text.paragraph.Paragraph):
            found = found or norm(item.text) == caption
        elif found:
            return item
    raise AssertionError(f"ingen tabell efter «{caption}»")


# --- structure ------------------------------------------------------------------------------------

@pytest.mark.parametrize("namnd", ["AGN", "AMN"])
def test_headings_toc_and_styles(documents, namnd):
    d = docx.Document(str(documents[namnd]))
    assert headings(d, 1) == HEADINGS
    expected = {"Driftredovisning per verksamhet", "Analys och kommentar per verksamhet", "Resultaträkning",
                "Investeringar", "Avvikelse per verksamhet", "Risker", "Kontrollmoment"}
    if namnd == "AMN":  # Luleå's report has no volymtal or personal: that section is one "Inte rapporterat."
        expected |= {"Volymer", "Personal", "Målområde Medborgare", "Målområde Medarbetare", "Uppdrag"}
    assert expected <= set(headings(d, 2)), expected - set(headings(d, 2))
    assert d.paragraphs[0].style.name == "Title"
    instructions = " ".join(t.text for t in d.element.body.iter() if t.tag.endswith("}instrText"))
    assert 'TOC \\o "1-3"' in instructions  # a real table-of-contents field
    assert d.settings.element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields") is not None
    for table in d.tables:
        assert table.style is not None and table.style.name in ("Table Grid", "Rapporttabell")
    assert len(d.inline_shapes) >= 1  # the deviation chart (and Luleå's risk matrix) as images
    assert all(s.page_width.cm == pytest.approx(21, abs=0.1) for s in d.sections)  # A4
    assert "Luleå" in d.sections[0].header.paragraphs[0].text or "Linköping" in d.sections[0].header.paragraphs[0].text
    assert DRAFT_HEADER not in "\n".join(p.text for p in d.sections[0].header.paragraphs)  # adopted rounds


def test_lulea_drafted_sentences_with_the_reports_figures(documents):
    d = docx.Document(str(documents["AGN"]))
    text = drafted(d)
    # Kommentar prognos: "överskott uppgående till 8,3 mkr … cirka 1,7% av tilldelad ram …
    # förbättring med 1 mkr"; Gymnasieskolan 5 100 tkr in Redovisning per verksamhet
    assert "Nämnden prognostiserar ett överskott på 8 300 tkr för helåret, motsvarande 1,7 % av budgeten." in text
    assert "Det är en förbättring med 1 000 tkr sedan delår 1." in text
    assert "Störst positiv avvikelse har Gymnasieskolan (+5 100 tkr)." in text  # a verksamhetsområde, not Rektorer GY
    # Kommentar utfall: "resultat per sista augusti på 10,9 mkr, eller motsvarande 3,4% av periodens budget"
    assert "Utfallet för perioden visar ett överskott på 10 888 tkr mot periodbudgeten, motsvarande 3,4 % av periodbudgeten." in text
    assert "3 nämndmål redovisas; rapporten anger inte deras bedömning." in text  # icons lost in the text dump
    assert "2 av 12 aktiviteter är klara, 9 pågår och 1 väntar." in text
    comments = list(d.comments)
    assert len(comments) == len(text)  # every drafted sentence carries its review comment
    assert all(c.text.startswith("Utkast – granska. Mall «") for c in comments)
    assert any("budget helår 476 018 tkr" in norm(c.text) for c in comments)


def test_linkoping_drafted_sentences_with_the_reports_figures(documents):
    d = docx.Document(str(documents["AMN"]))
    text = drafted(d)
    # "Helårsprognosen för 2023 … en positiv avvikelse jämfört med budget på 4,0 mnkr"; budget 624,6
    assert "Nämnden prognostiserar ett överskott på 4,0 mnkr för helåret, motsvarande 0,6 % av budgeten." in text
    assert "Det finns ingen tidigare uppföljning att jämföra prognosen med." in text  # only Delår 2 2023 is built in
    # Driftsammandrag helår: 472 +10,9 is the largest surplus, Resultat nämndens enheter −12,4 the largest deficit
    assert ("Störst positiv avvikelse har 472 Gymn vuxenutb-påbyggnutb (+10,9 mnkr) och störst negativ avvikelse "
            "har Resultat nämndens enheter (−12,4 mnkr).") in text
    # Målredovisning med prognos: 5 Uppnås, 7 Uppnås delvis
    assert "5 av 12 nämndmål bedöms uppnås och 7 delvis." in text
    assert "Utfallet för perioden visar ett överskott på 4,6 mnkr mot periodbudgeten, motsvarande 1,1 % av periodbudgeten." in text


def test_controllers_comments_quoted_as_imported(documents):
    d = docx.Document(str(documents["AGN"]))
    quoted = [norm(p.text) for p in d.paragraphs if p.style.name == QUOTE_STYLE]
    # Kommentar prognos, first sentence as printed (including "arbetsmarknads- och")
    assert any(q.startswith("Totalt prognostiserar arbetsmarknads- och gymnasienämnden ett överskott uppgående till "
                            "8,3 mkr mot tilldelat kommunbidrag, eller motsvarande cirka 1,7% av tilldelad ram.") for q in quoted)
    assert any("Skolenhet C och skolenhet A prognosticerar negativa prognoser på helårsbasis." in q for q in quoted)
    assert not any(r.style is not None and r.style.name == DRAFT_STYLE for p in d.paragraphs
                   if p.style.name == QUOTE_STYLE for r in p.runs)  # quotes are never marked as drafted


# --- figures --------------------------------------------------------------------------------------

LULEA_ECONOMY = {  # Redovisning per verksamhet, Augusti 2024-08-31 (Tkr): budget, periodbudget, utfall, avvikelse, prognos aug, april
    "Arbetsmarknads- och gymnasienämnden": ("476 018", "317 949", "307 061", "+10 888", "+8 300", "+7 300"),
    "Nämnden (egna kostnader)": ("2 500", "1 667", "896", "+771", "0", "0"),
    "Gymnasieskolan": ("357 468", "237 660", "234 955", "+2 704", "+5 100", "+4 700"),
    "Rektorer GY": ("18", "10", "803", "−793", "+4 000", "+4 600"),
    "Rektor anpassad GY": ("21 145", "14 097", "13 091", "+1 006", "+1 100", "+1 100"),
    "Interkommunalt netto": ("−11 053", "−7 368", "−4 377", "−2 991", "0", "0"),
    "Tillväxt, Integration och arbete": ("53 144", "36 782", "30 770", "+6 012", "+3 200", "+3 200"),
    "Arbetsmarknadsenheten": ("40 674", "27 873", "24 779", "+3 094", "+1 800", "+1 800"),
    "Vuxenutbildningen": ("62 906", "41 841", "40 440", "+1 401", "0", "−600"),
}
LULEA_COLUMNS = ("Budget helår", "Periodbudget", "Utfall period", "Periodavv.", "Prognosavv.", "Prognosavv. Delår 1")

LINKOPING_ECONOMY = {  # Driftsammandrag jan–aug and helår 2023, mnkr: budget helår, budget jan–aug, redovisat, avvikelse, prognos, avvikelse
    "Arbetsmarknadsnämnden": ("624,6", "408,5", "403,9", "+4,6", "620,6", "+4,0"),
    "Summa nettokostnader": ("624,6", "415,7", "401,5", "+14,2", "608,2", "+16,4"),
    "470 Grundläggande vuxenutb": ("17,4", "11,6", "15,1", "−3,5", "23,7", "−6,4"),
    "472 Gymn vuxenutb-påbyggnutb": ("48,0", "32,0", "25,0", "+7,0", "37,0", "+10,9"),
    "575 Ekonomiskt bistånd": ("323,7", "215,8", "206,1", "+9,8", "313,0", "+10,8"),
    "610 Arbetsmarknadsåtgärder": ("104,0", "68,6", "68,2", "+0,4", "106,8", "−2,8"),
    "Resultat nämndens enheter": ("0,0", "−7,2", "2,5", "−9,7", "12,4", "−12,4"),
}
LINKOPING_COLUMNS = ("Budget helår", "Periodbudget", "Utfall period", "Periodavv.", "Prognos helår", "Prognosavv.")


@pytest.mark.parametrize("namnd, expected, columns", [("AGN", LULEA_ECONOMY, LULEA_COLUMNS),
                                                      ("AMN", LINKOPING_ECONOMY, LINKOPING_COLUMNS)])
def test_economy_table_equals_the_report(documents, namnd, expected, columns):
    rows = economy_rows(docx.Document(str(documents[namnd])))
    checked = 0
    for name, figures in expected.items():
        assert name in rows, f"{name} saknas: {list(rows)}"
        for column, figure in zip(columns, figures, strict=True):
            assert rows[name][column] == figure, (name, column, rows[name][column], figure)
            checked += 1
    assert checked >= 20


def test_lulea_change_column_and_results_statement(documents):
    d = docx.Document(str(documents["AGN"]))
    rows = economy_rows(d)
    # Gymnasieskolan "förbättring med 0,4 mkr"; Vuxenutbildningen "förbättrat prognosen med 0,6 mkr"; total 1 mkr
    assert rows["Gymnasieskolan"]["Förändring"] == "+400"
    assert rows["Vuxenutbildningen"]["Förändring"] == "+600"
    assert rows["Arbetsmarknads- och gymnasienämnden"]["Förändring"] == "+1 000"
    result = table_after(d, "Resultaträkning, belopp i tkr (kostnader negativa)")
    cells = [[norm(c.text) for c in r.cells] for r in result.rows]
    assert ["Verksamhetens intäkter", "100 489", "132 337"] in cells
    assert ["Verksamhetens kostnader", "−407 551", "−608 355"] in cells
    assert ["Resultat", "10 888", "0"] in cells


def test_linkoping_investments(documents):
    d = docx.Document(str(documents["AMN"]))
    inv = table_after(d, "Investeringar, belopp i mnkr")
    assert [norm(c.text) for c in inv.rows[1].cells] == [
        "1250 Pågående investeringar, trattinläsning", "2,4", "4,7", "5,1", "+0,4"]  # redovisat, prognos, budget, avvikelse


def test_numbers_are_right_aligned(documents):
    d = docx.Document(str(documents["AGN"]))
    for table in d.tables:
        header = [norm(c.text) for c in table.rows[0].cells]
        if header[0] == "Verksamhet":
            for row in table.rows[1:]:
                assert row.cells[0].paragraphs[0].alignment is None  # names left
                assert all(c.paragraphs[0].alignment == 2 for c in row.cells[1:])  # WD_ALIGN_PARAGRAPH.RIGHT


def test_iu_shown_as_iu_with_its_reason_never_zero(documents):
    d = docx.Document(str(documents["AMN"]))
    # Nämndindikatorer: "Väntetid i antal dagar … 15 I.U12 I.U13 12" with footnotes 12 and 13 (Lifecare)
    for table in d.tables:
        for row in table.rows:
            cells = [norm(c.text) for c in row.cells]
            if cells[0].startswith("Väntetid i antal dagar"):
                assert cells[2:5] == ["15 dagar", "I.U.", "I.U."]  # the unit of measure follows the value
                break
        else:
            continue
        break
    else:
        raise AssertionError("väntetidsindikatorn saknas")
    notes = [norm(p.text) for p in d.paragraphs if p.text.startswith("I.U. (inget underlag) – Väntetid")]
    assert any("Helår 2022" in n and "Nytt verksamhetssystem Lifecare medför att tillförlitliga siffror ej har kunnat "
               "tas fram för denna indikator per siste december 2022" in n for n in notes)
    assert any("Augusti 2023" in n and "per siste augusti 2023" in n for n in notes)
    # Volymutveckling: "I.U5" for Arena arbetsmarknad 2022 – footnote 5 "Ny indikator 2023, mått för 2022 går ej att ta fram"
    assert any("Antal deltagare inskrivna på arbetsmarknadsinsats" in p.text and "mått för 2022 går ej att ta fram" in p.text
               for p in d.paragraphs)


def test_section_without_data_says_not_reported_or_is_left_out(documents, engine):
    d = docx.Document(str(documents["AGN"]))  # Luleå's report has no volymtal, personal or investeringar
    paras = [p for p in d.paragraphs]
    for heading in ("Volymer och personal", "Investeringar"):
        at = next(i for i, p in enumerate(paras) if p.text == heading and p.style.name.startswith("Heading"))
        assert paras[at + 1].text == NOT_REPORTED
    omitted = build(fetcher(engine), *LULEA, omit_empty=True)
    heads = [blk.text for blk in omitted.blocks if type(blk).__name__ == "Heading"]
    assert "Volymer och personal" not in heads and "Investeringar" not in heads
    assert "Sammanfattning" in heads and "Resultaträkning" in heads
    assert NOT_REPORTED not in omitted.text()


def test_forvaltning_scope(engine):
    report = build(fetcher(engine), *LINKOPING, scope="iaf")
    text = norm(report.text())
    # IAF's rows 575 +10,8, 600 +6,2, 610 −2,8, 926 0,0: the report prints no IAF total, so it is the sum
    assert ("Integrations- och arbetsmarknadsförvaltningen prognostiserar ett överskott på 14,2 mnkr för helåret "
            "(beräknat som summan av raderna under; rapporten skriver inte ut talet)") in text
    assert "472 Gymn vuxenutb" not in text.split("Driftredovisning per verksamhet", 1)[1].split("Analys", 1)[0]


def test_draft_round_only_for_who_may_see_it_and_utkast_in_header(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'draft.db'}")
    upgrade(eng)
    sheets = b.base()
    sheets["Tillfälle"][0].append("Status")
    sheets["Tillfälle"][1].append("utkast")
    assert import_path(eng, b.write_xlsx(sheets, tmp_path / "d.xlsx")).ok
    fetch = fetcher(eng)
    with pytest.raises(NotFound):
        build(fetch, "9999", "TN", "2025-04-30", visible_round_ids=set())  # a reader who may not see drafts
    report = build(fetch, "9999", "TN", "2025-04-30")
    assert report.draft
    path = tmp_path / "d.docx"
    write(report, path, render_chart=lambda chart: b"")  # a chart that cannot be drawn costs no document
    d = docx.Document(str(path))
    assert DRAFT_HEADER in [p.text for p in d.sections[0].header.paragraphs]
    text = drafted(d)
    # the fictional round in tests/builders.py: tn budget 1 000, prognosavvikelse 50, periodavvikelse 33
    assert "Nämnden prognostiserar ett överskott på 50 tkr för helåret, motsvarande 5,0 % av budgeten." in text
    assert "Nämndens enda nämndmål bedöms uppnås delvis." in text
    assert "Den enda aktiviteten pågår." in text
    assert any(p.text.startswith("Diagrammet kunde inte ritas") for p in d.paragraphs)
    eng.dispose()


def test_bokslut_round_outcome_and_forecast_accuracy(tmp_path):
    """A Bokslut written as a controller would (the year's outcome in Utfall period/Periodavvikelse)
    after the fictional nämnd's Delår 1 (tests/builders.py: prognosavvikelse tn 50, skola 50)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'bokslut.db'}")
    upgrade(eng)
    assert import_path(eng, b.write_xlsx(b.base(), tmp_path / "d1.xlsx")).ok
    sheets = b.base()
    b.set_cell(sheets, "Tillfälle", 2, "Typ", "Bokslut")
    b.set_cell(sheets, "Tillfälle", 2, "Periodslut", "2025-12-31")
    sheets["Ekonomi"] = [["Enhet", "Budget helår", "Periodbudget", "Utfall period", "Periodavvikelse"],
                         ["tn", "1 000", "1 000", "930", "70"], ["skola", "1 000", "1 000", "930", "70"],
                         ["skola/a", "600", "600", "520", "80"], ["skola/b", "400", "400", "410", "−10"]]
    report_ok = import_path(eng, b.write_xlsx(sheets, tmp_path / "bokslut.xlsx"))
    assert report_ok.ok, report_ok.lines()
    report = build(fetcher(eng), "9999", "TN", "2025-12-31")
    sentences = [norm(s.text) for blk in report.blocks if type(blk).__name__ == "DraftedParagraph" for s in blk.sentences]
    assert "Nämnden redovisar ett överskott på 70 tkr för helåret, motsvarande 7,0 % av budgeten." in sentences
    assert "Delår 1-prognosen var 20 tkr för försiktig (prognos: ett överskott på 50 tkr)." in sentences
    assert "Störst positiv avvikelse har 100 Skolan (+70 tkr)." in sentences
    assert not any("prognostiserar" in s for s in sentences)  # an outcome never reads as a forecast
    table = next(blk for blk in report.blocks if type(blk).__name__ == "Table" and blk.header[0] == "Verksamhet")
    assert [norm(h) for h in table.header] == ["Verksamhet", "Budget helår", "Utfall helår", "Resultat mot budget",
                                               "Delår 1-prognos, avvikelse", "Utfall mot prognos"]
    assert [norm(x) for x in table.rows[0]] == ["Testnämnden", "1 000", "930", "+70", "+50", "+20"]
    eng.dispose()


# --- the municipality's template -------------------------------------------------------------------

def make_template(path, dotx: bool) -> None:
    """A template as a municipality would have it: its own Heading 1 and a header with the name."""
    t = docx.Document()
    h1 = t.styles["Heading 1"]
    h1.font.name, h1.font.size, h1.font.color.rgb = "Georgia", Pt(23), RGBColor(0x0B, 0x5A, 0x2A)
    t.sections[0].header.paragraphs[0].text = "Testkommunens mall – sidhuvud med logotyp"
    t.add_paragraph("Mallens exempeltext som ska ersättas")
    buffer = io.BytesIO()
    t.save(buffer)
    if not dotx:
        path.write_bytes(buffer.getvalue())
        return
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            out.writestr(item, data)


@pytest.mark.parametrize("suffix", ["dotx", "docx"])
def test_custom_template_styles_and_header_are_used(engine, tmp_path, suffix):
    template = tmp_path / f"kommunmall.{suffix}"
    make_template(template, dotx=suffix == "dotx")
    if suffix == "dotx":
        with pytest.raises(ValueError):  # what python-docx does with a .dotx on its own
            docx.Document(str(template))
    out = tmp_path / "ut.docx"
    write(build(fetcher(engine), *LINKOPING), out, template, render_chart=lambda chart: b"")
    d = docx.Document(str(out))
    assert "Testkommunens mall – sidhuvud med logotyp" in [p.text for p in d.sections[0].header.paragraphs]
    h1 = d.styles["Heading 1"]
    assert (h1.font.name, h1.font.size, h1.font.color.rgb) == ("Georgia", Pt(23), RGBColor(0x0B, 0x5A, 0x2A))
    assert headings(d, 1) == HEADINGS
    assert "Mallens exempeltext som ska ersättas" not in [p.text for p in d.paragraphs]
    assert d.styles[DRAFT_STYLE] is not None and d.styles[QUOTE_STYLE] is not None  # added where the template lacks them


def test_bad_templates_are_refused_with_a_message(engine, tmp_path):
    report = build(fetcher(engine), *LINKOPING)
    (tmp_path / "x.docx").write_text("inte en zip")
    for path, words in ((tmp_path / "x.docx", "ingen Word-mall"), (tmp_path / "saknas.dotx", "finns inte"),
                        (tmp_path / "m.dotm", "makron")):
        with pytest.raises(TemplateError, match=words):
            write(report, tmp_path / "ut.docx", path)


# --- command line and page -------------------------------------------------------------------------

def test_cli_rapport_and_errors(tmp_path, sqlite_builtin_url):
    env = os.environ | {"DASHBOARD_DATABASE_URL": sqlite_builtin_url}
    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", "rapport", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=ROOT)
    template = tmp_path / "mall.dotx"
    make_template(template, dotx=True)
    ok = run("--kommun", "2580", "--namnd", "AGN", "--tillfalle", "2024-08-31", "--mall", str(template),
             "--utan-tomma", str(tmp_path / "a.docx"))
    assert ok.returncode == 0, ok.stderr
    d = docx.Document(str(tmp_path / "a.docx"))
    assert "Volymer och personal" not in headings(d, 1)
    assert "Testkommunens mall – sidhuvud med logotyp" in [p.text for p in d.sections[0].header.paragraphs]
    missing = run("--kommun", "2580", "--namnd", "XYZ", "--tillfalle", "2024-08-31", str(tmp_path / "b.docx"))
    assert missing.returncode == 1 and "Nämnden XYZ i kommun 2580 finns inte" in missing.stderr
    wrong = run("--kommun", "2580", "--namnd", "AGN", "--tillfalle", "2024-08-31", str(tmp_path / "c.pdf"))
    assert wrong.returncode == 2 and ".docx" in wrong.stderr
    bad_date = run("--kommun", "2580", "--namnd", "AGN", "--tillfalle", "31/8", str(tmp_path / "d.docx"))
    assert bad_date.returncode == 1 and "Ogiltigt datum" in bad_date.stderr
    assert "Traceback" not in missing.stderr + wrong.stderr + bad_date.stderr


def test_bildspel_offers_the_word_draft(app):  # noqa: F811
    at = app("bildspel", kommun="2580", namnd="AGN")
    # command lines only for roles that can act on them (issue 13): this reader (read-only mode) sees none
    assert "python -m dashboard" not in "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])
    at.button(key="bs_make_docx").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    buttons = at.get("download_button")
    assert [btn.proto.label for btn in buttons] == ["Ladda ned rapportutkast (Word)"]


# --- the document renders ---------------------------------------------------------------------------

def test_documents_render_in_libreoffice(documents):
    """LibreOffice headless → PDF → PNG (pdftoppm), once per run; the pages are kept as artifacts."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require(soffice is not None, "LibreOffice (libreoffice-writer-nogui)")
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    out = ARTIFACTS / "rapport"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    profile = out / "lo-profile"
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                           "--convert-to", "pdf", "--outdir", str(out), *map(str, documents.values())],
                          capture_output=True, text=True, timeout=240)
    shutil.rmtree(profile, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    for namnd in documents:
        pdf = out / f"rapport_{namnd}.pdf"
        assert pdf.exists(), done.stdout + done.stderr
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / namnd)], check=True, timeout=120)
        pages = sorted(out.glob(f"{namnd}-*.png"))
        assert len(pages) >= 8
        text = norm(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        assert "Ekonomi" in text and "Driftredovisning per verksamhet" in text
    text = norm(subprocess.run(["pdftotext", str(out / "rapport_AGN.pdf"), "-"], capture_output=True, text=True).stdout)
    assert "8 300 tkr" in text and "Gymnasieskolan (+5 100 tkr)" in " ".join(text.split())


# --- grammar of the templates -------------------------------------------------------------------------

def test_forecast_sentence_surplus_deficit_zero_missing():
    assert SN.forecast("Nämnden", 8300, 476018, "tkr", 0).text == \
        "Nämnden prognostiserar ett överskott på 8 300 tkr för helåret, motsvarande 1,7 % av budgeten."
    assert norm(sn.forecast("Nämnden", -2.2, 57.2, "mnkr", 1).text) == \
        "Nämnden prognostiserar ett underskott på 2,2 mnkr för helåret, motsvarande 3,8 % av budgeten."
    assert SN.forecast("Nämnden", 0.04, 57.2, "mnkr", 1).text == "Nämnden prognostiserar en budget i balans för helåret."
    assert norm(sn.forecast("Nämnden", 300, 0, "tkr", 0).text) == "Nämnden prognostiserar ett överskott på 300 tkr för helåret."
    assert SN.forecast("Nämnden", None, 100, "tkr", 0).text == "Nämnden redovisar ingen helårsprognos i detta tillfälle."


def test_change_sentence_better_worse_unchanged_missing_previous():
    assert norm(sn.forecast_change(1000, "delår 1", "tkr", 0).text) == "Det är en förbättring med 1 000 tkr sedan delår 1."
    assert norm(sn.forecast_change(-0.4, "delår 1", "mnkr", 1).text) == "Det är en försämring med 0,4 mnkr sedan delår 1."
    assert SN.forecast_change(0.02, "delår 1", "mnkr", 1).text == "Prognosen är oförändrad sedan delår 1."
    assert SN.forecast_change(500, None, "tkr", 0).text == "Det finns ingen tidigare uppföljning att jämföra prognosen med."
    assert SN.forecast_change(None, "delår 1", "tkr", 0).text.startswith("Prognosen kan inte jämföras med delår 1")
    assert sn.round_phrase(D1, 2024) == "delår 1" and sn.round_phrase(BOKSLUT_2023, 2024) == "bokslut 2023"
    assert sn.round_phrase({"kind": "Månad", "period_end": dt.date(2024, 10, 31)}, 2024) == "oktober"


def test_largest_sentence_sides_ties_and_balance():
    assert norm(sn.largest([("Gymnasieskolan", 5100), ("Vux", 0), ("TIA", 3200)], "tkr", 0, level="x").text) == \
        "Störst positiv avvikelse har Gymnasieskolan (+5 100 tkr)."
    assert norm(sn.largest([("A", -300), ("B", -300), ("C", 40)], "tkr", 0, level="x").text) == \
        "Störst positiv avvikelse har C (+40 tkr) och störst negativ avvikelse har A och B (−300 tkr vardera)."
    assert SN.largest([("A", 0), ("B", 0)], "tkr", 0, level="x").text == \
        "I prognosen avviker ingen rad från budget (båda raderna i balans)."
    assert SN.largest([("A", 0)], "tkr", 0, level="x", outcome=True).text == \
        "I utfallet avviker ingen rad från budget (raden i balans)."


def test_goal_sentence_singular_plural_zero_and_not_reported():
    assert SN.goals({"uppnas": 5, "delvis": 7}).text == "5 av 12 nämndmål bedöms uppnås och 7 delvis."
    assert SN.goals({"uppnas": 5, "delvis": 4, "uppnas_ej": 3}).text == "5 av 12 nämndmål bedöms uppnås, 4 delvis och 3 inte."
    assert SN.goals({"delvis": 3, "uppnas_ej": 1}).text == \
        "Inget av de 4 nämndmålen bedöms uppnås fullt ut; 3 bedöms uppnås delvis och 1 inte."
    assert SN.goals({"delvis": 1}).text == "Nämndens enda nämndmål bedöms uppnås delvis."
    assert SN.goals({None: 3}).text == "3 nämndmål redovisas; rapporten anger inte deras bedömning."
    assert SN.goals({None: 1}).text == "Ett nämndmål redovisas; rapporten anger inte dess bedömning."
    assert SN.goals({"uppnas": 1, "ej_bedomd": 1, None: 2}).text == \
        "1 av 4 nämndmål bedöms uppnås, 1 är inte bedömt och 2 saknar bedömning i rapporten."
    assert SN.goals({}).text == "Tillfället redovisar inga nämndmål."


def test_activity_and_indicator_sentences_agree_in_number():
    assert SN.activities({"klar": 2, "pagar": 9, "vantande": 1}).text == "2 av 12 aktiviteter är klara, 9 pågår och 1 väntar."
    assert SN.activities({"klar": 1, "forsenad": 2}).text == "1 av 3 aktiviteter är klar och 2 är försenade."
    assert SN.activities({"pagar": 10, "forsenad": 1, "avbruten": 1}).text == \
        "10 av 12 aktiviteter pågår, 1 är försenad och 1 är avbruten."
    assert SN.activities({"avbruten": 1}).text == "Den enda aktiviteten är avbruten."
    assert SN.activities({}).text == "Tillfället redovisar inga aktiviteter."
    assert SN.indicators(9, 5, 0).text == "9 av 14 bedömda indikatorer når målvärdet."
    assert SN.indicators(0, 1, 1).text == ("Den enda bedömda indikatorn når inte målvärdet. För 1 indikator saknas "
                                           "underlag (I.U.) för den senaste perioden.")
    assert SN.indicators(0, 0, 3).text.startswith("Ingen indikator kan bedömas mot ett målvärde")


def test_period_and_bokslut_sentences():
    assert norm(sn.period_result("Nämnden", -33, 333, "tkr", 0).text) == \
        "Utfallet för perioden visar ett underskott på 33 tkr mot periodbudgeten, motsvarande 9,9 % av periodbudgeten."
    assert SN.period_result("Nämnden", 0, 333, "tkr", 0).text == "Utfallet för perioden motsvarar periodbudgeten."
    assert norm(sn.outcome("Nämnden", 12.4, 624.6, "mnkr", 1).text) == \
        "Nämnden redovisar ett överskott på 12,4 mnkr för helåret, motsvarande 2,0 % av budgeten."
    assert norm(sn.forecast_accuracy(12.4, 9.3, D2, "mnkr", 1).text) == \
        "Delår 2-prognosen var 3,1 mnkr för försiktig (prognos: ett överskott på 9,3 mnkr)."
    assert norm(sn.forecast_accuracy(-1.0, 2.1, D2, "mnkr", 1).text) == \
        "Delår 2-prognosen var 3,1 mnkr för optimistisk (prognos: ett överskott på 2,1 mnkr)."
    assert SN.forecast_accuracy(2.0, 2.0, D2, "mnkr", 1).text.startswith("Delår 2-prognosen träffade utfallet")
    assert SN.forecast_accuracy(2.0, None, None, "mnkr", 1).text == \
        "Det finns ingen prognos från samma år att jämföra utfallet med."


def test_every_template_is_documented():
    doc = (ROOT / "docs" / "rapporttext.md").read_text(encoding="utf-8")
    for template in sn.TEMPLATES:
        assert f"`{template}`" in doc, template
