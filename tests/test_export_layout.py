"""The exported decks as a reader meets them: geometry of every PowerPoint shape, the PowerPoint as
LibreOffice renders it, and the PDF, each checked word by word with `pdftotext -bbox-layout`.

Every file is made once per run (module-scoped fixtures: one PowerPoint and one PDF per deck, one
LibreOffice call for all PowerPoints) and every page is saved as PNG under
test-artifacts/slides/ for people to look at.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from conftest import ARTIFACTS, ROOT, require
from dashboard import queries
from dashboard.db import make_engine
from dashboard.export import POTX_MAIN, to_pdf, to_pptx
from dashboard.slidelayout import is_number
from dashboard.slides import Slide, build

SLIDES_DIR = ARTIFACTS / "slides"
XHTML = "{http://www.w3.org/1999/xhtml}"


def norm(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\v", " ")


def long_deck() -> list[Slide]:
    """More than a slide holds: 40 goals with long names, 14 long events, a draft banner."""
    names = [f"Nämndmål {i}: fler invånare i egen försörjning genom samverkan mellan arbetsmarknadsenheten, "
             f"vuxenutbildningen och socialtjänsten i hela kommunen" for i in range(1, 41)]
    goals = pd.DataFrame({"Nämndmål": names, "Bedömning": ["◐ Uppnås delvis"] * 40})
    events = [f"Händelse {i}: Utbildningsförvaltningen och Integrations- och arbetsmarknadsförvaltningen "
              f"har gemensamt genomfört en omfattande översyn av verksamhetssystemen under perioden" for i in range(14)]
    src = "Källa: Testrapport 2025 · uppgifter t.o.m. 2025-04-30"
    return [Slide("mal", "40 nämndmål – ingen bedöms uppnås", "Testkommun · Testnämnden · Delår 1 2025", ["◐ Uppnås delvis: 40"],
                  goals, source=src, draft=True),
            Slide("handelser", "Viktiga händelser (14)", "Testkommun · Testnämnden · Delår 1 2025", events, source=src)]


@pytest.fixture(scope="module")
def engine(sqlite_builtin_url):
    engine = make_engine(sqlite_builtin_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def decks(engine):
    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    return {
        "amn": build(fetch, "0580", "AMN", "2023-08-31"),
        "agn": build(fetch, "2580", "AGN", "2024-08-31"),
        "lang": long_deck(),
    }


@pytest.fixture(scope="module")
def files(decks, tmp_path_factory):
    """Each deck as PowerPoint and PDF, the PowerPoints rendered by LibreOffice, all as PNG."""
    require(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    require(shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None, "poppler-utils")
    out = tmp_path_factory.mktemp("decks")
    paths = {}
    for name, deck in decks.items():
        to_pptx(deck, out / f"{name}.pptx")
        to_pdf(deck, out / f"{name}.pdf")
        paths[name] = {"pptx": out / f"{name}.pptx", "pdf": out / f"{name}.pdf"}
    lo = out / "libreoffice"
    profile = out / "lo-profile"  # a profile of its own: no clash with another soffice on the machine
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(lo), *[str(p["pptx"]) for p in paths.values()]],
                   check=True, capture_output=True, timeout=240)
    SLIDES_DIR.mkdir(parents=True, exist_ok=True)
    for old in SLIDES_DIR.glob("*.png"):
        old.unlink()
    for name, p in paths.items():
        p["lo_pdf"] = lo / f"{name}.pdf"
        assert p["lo_pdf"].exists(), f"LibreOffice gjorde ingen PDF av {name}.pptx"
        for kind, pdf in (("pptx", p["lo_pdf"]), ("pdf", p["pdf"])):
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SLIDES_DIR / f"{name}-{kind}")], check=True)
    return paths


# --- reading the files --------------------------------------------------------------------------

def slide_texts(path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append(norm("\n".join(parts)))
    return out


def pdf_layout(path) -> list[dict]:
    """Per page: its size, its text lines (box and words) and all its words, from pdftotext."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xml))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines, words = [], []
        for line in page.iter(f"{XHTML}line"):
            ws = [(norm(w.text or ""), *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                  for w in line.iter(f"{XHTML}word")]
            words += ws
            lines.append((*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), " ".join(w[0] for w in ws)))
        pages.append({"w": float(page.get("width")), "h": float(page.get("height")), "lines": lines, "words": words})
    return pages


def source_words(deck: list[Slide]) -> set[str]:
    """Every word the deck's content says (titles, bullets, table headers and cells)."""
    from dashboard.export import printable_slides

    words: set[str] = set()
    for s in printable_slides(deck):
        texts = [s.title, s.subtitle, *s.bullets]
        if s.table is not None and len(s.table):
            texts += [str(c) for c in s.table.columns] + [str(v) for row in s.table.itertuples(index=False) for v in row]
        for text in texts:
            words.update(norm(text).split())
    return words


def overlap(a, b, tol=0.5) -> bool:
    return a[0] + tol < b[2] and b[0] + tol < a[2] and a[1] + tol < b[3] and b[1] + tol < a[3]


# --- PowerPoint geometry --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["amn", "agn", "lang"])
def test_pptx_every_box_inside_the_slide_and_none_overlapping(files, name):
    prs = Presentation(str(files[name]["pptx"]))
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        boxes = []
        for shape in slide.shapes:
            box = (shape.left, shape.top, shape.left + shape.width, shape.top + shape.height)
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height, (name, number, shape.name, box)
            if shape.has_table:
                rows = sum(r.height for r in shape.table.rows)
                assert shape.top + rows <= height, (name, number, "tabellens rader går utanför bilden")
                assert abs(rows - shape.height) < Emu(Inches(0.01)), (name, number, "radhöjder ≠ tabellens höjd")
                cols = sum(c.width for c in shape.table.columns)
                assert shape.left + cols <= width
            boxes.append((shape.name, box))
        for i, (na, a) in enumerate(boxes):
            for nb, b in boxes[i + 1:]:
                assert not overlap(a, b, tol=Emu(Inches(0.005))), (name, number, na, nb)


def test_pptx_numbers_are_right_aligned_and_text_left(files):
    prs = Presentation(str(files["amn"]["pptx"]))
    seen_number = seen_text = False
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            for row in list(shape.table.rows)[1:]:
                for j, cell in enumerate(row.cells):
                    text = cell.text.strip()
                    align = cell.text_frame.paragraphs[0].alignment
                    if j > 0 and is_number(text):
                        assert align == PP_ALIGN.RIGHT, text
                        seen_number = True
                    elif j == 0:
                        assert align in (PP_ALIGN.LEFT, None), text
                        seen_text = True
    assert seen_number and seen_text


# --- rendered pages: inside the page, no overlapping lines, no word broken ---------------------

@pytest.mark.parametrize("name", ["amn", "agn", "lang"])
@pytest.mark.parametrize("kind", ["lo_pdf", "pdf"])
def test_rendered_words_inside_the_page_and_lines_never_overlap(files, name, kind):
    for number, page in enumerate(pdf_layout(files[name][kind]), start=1):
        for word, x0, y0, x1, y1 in page["words"]:
            assert x0 >= 0 and y0 >= 0 and x1 <= page["w"] + 0.5 and y1 <= page["h"] + 0.5, (name, kind, number, word)
        lines = page["lines"]
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:
                assert not overlap(a, b, tol=1.0), (name, kind, number, a[4], b[4])


@pytest.mark.parametrize("name", ["amn", "agn", "lang"])
@pytest.mark.parametrize("kind", ["lo_pdf", "pdf"])
def test_no_word_of_the_source_is_split_across_lines(files, decks, name, kind):
    rendered = {w[0] for page in pdf_layout(files[name][kind]) for w in page["words"]}
    missing = sorted(w for w in source_words(decks[name]) if w not in rendered)
    assert not missing, (name, kind, missing[:20])


# --- what the default decks hold -----------------------------------------------------------------

def test_default_decks_have_no_slide_that_only_says_not_reported(decks, files):
    amn, agn = decks["amn"], decks["agn"]
    assert [s.kind for s in amn] == ["titel", "ekonomi", "avvikelser", "mal", "indikatorer", "handelser"]
    assert "Ej rapporterat: Prognosförändring sedan förra tillfället, Risker" in amn[0].bullets
    assert [s.kind for s in agn] == ["titel", "ekonomi", "avvikelser", "forandring", "mal", "risker", "handelser"]
    assert "Ej rapporterat: Indikatorer som inte når målvärdet" in agn[0].bullets
    for deck in (amn, agn):
        assert not any(s.empty for s in deck)
    texts = slide_texts(files["amn"]["pptx"])
    assert "Ej rapporterat: Prognosförändring sedan förra tillfället, Risker" in texts[0]
    for text in texts + slide_texts(files["agn"]["pptx"]):
        for word in ("se dashboarden", "Inget tidigare tillfälle", "inga riskvärden", "inga indikatorer", "rader till"):
            assert word not in text


def test_asked_for_a_section_without_data_gives_one_slide_that_says_so(engine):
    fetch = lambda name, *args: getattr(queries, name)(engine, *args)  # noqa: E731
    deck = build(fetch, "0580", "AMN", "2023-08-31", ["forandring"])
    assert [(s.kind, s.title) for s in deck] == [("forandring", "Inget tidigare tillfälle att jämföra prognosen med")]


def test_linkoping_economy_slide_is_the_tree_with_budget_forecast_and_deviation(decks, files):
    economy = next(s for s in decks["amn"] if s.kind == "ekonomi")
    rows = economy.table.set_index("Verksamhet")
    # Linköping's report: 575 Ekonomiskt bistånd, budget 323,7, prognos 313,0, avvikelse 10,8
    assert list(rows.loc["575 Ekonomiskt bistånd"]) == ["323,7", "313,0", "+10,8"]
    assert list(rows.loc["Arbetsmarknadsnämnden"]) == ["624,6", "620,6", "+4,0"]
    assert list(rows.loc["Summa nettokostnader"]) == ["624,6", "608,2", "+16,4"]
    # the förvaltning is above its verksamheter, never their peer; the summary line stands apart
    names = list(economy.table["Verksamhet"])
    levels = dict(zip(names, economy.row_levels, strict=True))
    assert levels["575 Ekonomiskt bistånd"] == levels["Integrations- och arbetsmarknadsförvaltningen"] + 1
    kinds = dict(zip(names, economy.row_kinds, strict=True))
    assert kinds["Resultat nämndens enheter (summeringsrad)"] == "summary"
    page = next(t for t in slide_texts(files["amn"]["pptx"]) if t.startswith("Prognosen för helåret"))
    assert "313,0" in page and "323,7" in page
    pdf = " ".join(" ".join(w[0] for w in p["words"]) for p in pdf_layout(files["amn"]["pdf"]))
    assert "313,0" in pdf and "323,7" in pdf


def test_linkoping_deviation_slide_does_not_rank_the_summary_line(decks):
    slide = next(s for s in decks["amn"] if s.kind == "avvikelser")
    # the report's largest deficit among the verksamheter: 470 Grundläggande vuxenutb −6,4 mnkr
    assert norm(slide.title) == "Störst underskott: 470 Grundläggande vuxenutb −6,4 mnkr"
    assert "Summeringsrad, rankas inte bland verksamheterna: Resultat nämndens enheter −12,4 mnkr" in map(norm, slide.bullets)


def test_long_content_continues_on_numbered_slides_never_cut(files, decks):
    texts = slide_texts(files["lang"]["pptx"])
    goal_pages = [t for t in texts if "40 nämndmål" in t]
    assert len(goal_pages) >= 2
    for k, text in enumerate(goal_pages, start=1):
        assert f"Mål {k}/{len(goal_pages)}" in text
        assert "UTKAST" in text
    whole = " ".join(texts)
    for i in range(1, 41):  # every goal is there, on some page
        assert f"Nämndmål {i}:" in whole
    for i in range(14):
        assert f"Händelse {i}:" in whole
    assert "Händelser 2/" in whole
    assert all(f"bild {n} av {len(texts)}" in t for n, t in enumerate(texts, start=1))


# --- the municipality's own template -------------------------------------------------------------

def make_potx(path: Path) -> Path:
    """A 4:3 template with a logo box on its master and a sample slide, saved as a real .potx."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(7.5)
    sample = prs.slides.add_slide(prs.slide_layouts[0])
    sample.shapes.title.text = "Exempelbild i mallen"
    logo = sample.shapes.add_textbox(Inches(8.6), Inches(6.9), Inches(1.2), Inches(0.4))
    logo.name = "Kommunlogga"
    logo.text_frame.text = "Testkommun"
    prs.slide_master.shapes._spTree.append(copy.deepcopy(logo._element))  # the logo lives on the master
    pptx = path.with_suffix(".pptx")
    prs.save(pptx)
    with zipfile.ZipFile(pptx) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(item, data)
    return path


def test_export_with_the_municipalitys_potx_template(tmp_path, sqlite_builtin_url):
    template = make_potx(tmp_path / "kommunmall.potx")
    assert POTX_MAIN.encode() in zipfile.ZipFile(template).read("[Content_Types].xml")
    with pytest.raises(ValueError):  # python-pptx alone refuses the template
        Presentation(str(template))
    out = tmp_path / "med_mall.pptx"
    import os

    run = subprocess.run([sys.executable, "-m", "dashboard", "export", "--kommun", "0580", "--namnd", "AMN",
                          "--tillfalle", "2023-08-31", "--format", "pptx", "--mall", str(template), str(out)],
                         capture_output=True, text=True, cwd=ROOT, env=os.environ | {"DASHBOARD_DATABASE_URL": sqlite_builtin_url})
    assert run.returncode == 0, run.stderr
    prs = Presentation(str(out))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))  # the template's format
    assert "Kommunlogga" in [s.name for s in prs.slide_master.shapes]  # its master, logo and all
    texts = slide_texts(out)
    assert not any("Exempelbild i mallen" in t for t in texts)  # its sample slide is not in the deck
    assert texts[0].startswith("Uppföljning Delår 2 2023")
    for number, slide in enumerate(prs.slides, start=1):
        boxes = [(s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes]
        for box in boxes:
            assert box[2] <= prs.slide_width and box[3] <= prs.slide_height, (number, box)
        for i, a in enumerate(boxes):
            assert not any(overlap(a, b, tol=Emu(Inches(0.005))) for b in boxes[i + 1:]), number
    missing = run_missing = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--kommun", "0580", "--namnd", "AMN", "--tillfalle", "2023-08-31",
         "--format", "pptx", "--mall", str(tmp_path / "finns-inte.potx"), str(tmp_path / "x.pptx")],
        capture_output=True, text=True, cwd=ROOT, env=os.environ | {"DASHBOARD_DATABASE_URL": sqlite_builtin_url})
    assert missing.returncode == 4 and "Mallen" in run_missing.stderr and "Traceback" not in missing.stderr
