"""Sign-in, roles, drafts and the import page, in real Chromium against real servers on loopback:
an OpenID Connect provider (oauth2-mock-server from npm), `streamlit run`, and SQLite."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import openpyxl
import pytest
from sqlalchemy import insert

import builders as b
from conftest import ARTIFACTS, ROOT, require, snapshot
from ports import free_port
from dashboard import config
from dashboard.db import init_db, make_engine
from dashboard.importing import import_path
from dashboard.models import UserRole
from test_browser import Streamlit, browser, shot, wait_ready  # noqa: F401  (fixture)

PROVIDER = ROOT / "tests" / "oidc" / "provider.mjs"
MOCK = ROOT / ".cache" / "npm" / "node_modules" / "oauth2-mock-server"
NB = "\u00a0"
IAF_DRAFT, UTB_DRAFT = "2023-10-31", "2023-11-30"


def draft_workbook(tmp_path, period_end: str, forvaltning: str, deviation: float):
    """Linköping's workbook turned into a draft month round owned by one förvaltning."""
    source = next(p for p in config.builtin_workbooks() if "0580_AMN" in p.name)
    wb = openpyxl.load_workbook(source)
    ws = wb["Tillfälle"]
    headers = [c.value for c in ws[1]]
    values = {"Typ": "Månad", "Periodslut": period_end, "Status": "utkast", "Rapport": f"Arbetsmaterial {period_end}"}
    for name, value in values.items():
        ws.cell(2, headers.index(name) + 1).value = value
    ws.cell(1, len(headers) + 1).value = "Förvaltning"
    ws.cell(2, len(headers) + 1).value = forvaltning
    eco = wb["Ekonomi"]
    eh = [c.value for c in eco[1]]
    for row in eco.iter_rows(min_row=2):
        if row[eh.index("Enhet")].value == "amn":
            row[eh.index("Prognosavvikelse")].value = deviation
    path = tmp_path / f"utkast-{forvaltning}.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def drafts_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("signin")
    url = f"sqlite:///{tmp / 'signin.db'}"
    engine = make_engine(url)
    init_db(engine)
    for period_end, forv, dev in ((IAF_DRAFT, "iaf", 123.4), (UTB_DRAFT, "utb", 567.8)):
        report = import_path(engine, draft_workbook(tmp, period_end, forv, dev))
        assert report.ok, report.lines()
    # the IAF draft also renames a unit, a goal and the nämnd (issue 10.2: never seen in adopted rounds)
    renamed = draft_workbook(tmp, IAF_DRAFT, "iaf", 123.4)
    wb = openpyxl.load_workbook(renamed)
    for sheet, key_header, key, header, value in (
            ("Organisation", "Enhet", "575", "Namn", "UTKAST-ENHET"),
            ("Tillfälle", None, None, "Nämnd", "Arbetsmarknadsnämnden (UTKAST-NAMN)")):
        ws = wb[sheet]
        heads = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if key_header is None or row[heads.index(key_header)].value == key:
                row[heads.index(header)].value = value
    goals = wb["Mål"]
    gh = [c.value for c in goals[1]]
    first_goal = next(r for r in goals.iter_rows(min_row=2) if r[gh.index("Nivå")].value == "nämndmål")
    first_goal[gh.index("Namn")].value = "UTKAST-MÅL"
    wb.save(renamed)
    report = import_path(engine, renamed)
    assert report.ok, report.lines()
    with engine.begin() as conn:
        conn.execute(insert(UserRole), [
            {"identity": "lasare@kommun.se", "role": "läsare", "kommun_code": None, "namnd_code": None,
             "forvaltning_key": None},
            {"identity": "iaf@kommun.se", "role": "redaktör", "kommun_code": "0580", "namnd_code": "AMN", "forvaltning_key": "iaf"},
        ])
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def oidc():
    require(shutil.which("node") is not None and MOCK.exists(), "Node och oauth2-mock-server (make test installerar)")
    port, control = free_port(), free_port()
    log = open(ARTIFACTS / "oidc.log", "w")
    proc = subprocess.Popen(["node", str(PROVIDER), str(port), str(control)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2)
            urllib.request.urlopen(f"http://127.0.0.1:{control}/next-user", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("OIDC-leverantören startade inte; se test-artifacts/oidc.log")
    yield port, control
    proc.terminate()
    log.close()


@pytest.fixture(scope="module")
def signin_app(drafts_db, oidc, tmp_path_factory):
    port = free_port()
    secrets_file = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "ledningsdashboard"\n'
        'client_secret = "hemligt"\n'
        f'server_metadata_url = "http://127.0.0.1:{oidc[0]}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    app = Streamlit(drafts_db, extra=["--secrets.files", str(secrets_file)], log="streamlit-signin", port=port)
    yield app
    app.stop()


def sign_in(browser, app, oidc, email: str):  # noqa: F811
    urllib.request.urlopen(f"http://127.0.0.1:{oidc[1]}/next-user?email={email}", timeout=5).read()
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{app.base}/?kommun=0580&namnd=AMN")
    wait_ready(page, "Logga in")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{app.base}/**", timeout=60_000)
    wait_ready(page, "Inloggad:")
    assert f"Inloggad: {email}" in body(page)
    return context, page


def body(page) -> str:
    # the word joiner textsafe puts in e-mail addresses (no autolink) is invisible: not part of what is read
    return page.inner_text("body").replace(NB, " ").replace("\u2060", "")


def shows(page, text: str, timeout: float = 60) -> bool:
    """Whether the page shows `text` within `timeout` s. After a sign-in or a first load the app may
    run once more (the address gains the round it chose), so the main column can still be drawing
    when the sidebar's text has appeared; a CI run once read the body in between."""
    deadline = time.time() + timeout
    while text not in body(page):
        if time.time() > deadline:
            shot(page, "signin-saknar-" + "".join(c for c in text if c.isalnum()))  # for the CI log reader
            return False
        page.wait_for_timeout(250)
    return True


def test_reader_sees_adopted_rounds_only_and_no_import(browser, signin_app, oidc):  # noqa: F811
    context, page = sign_in(browser, signin_app, oidc, "lasare@kommun.se")
    try:
        assert shows(page, "+4,0 mnkr")  # the adopted Delår 2 is the latest round it may see
        assert page.get_by_role("link", name="Importera").count() == 0
        shot(page, "inloggad-lasare")
        # the IAF draft renamed a unit, a goal and the nämnd: the adopted round keeps its names
        for path in ("", "ekonomi", "mal", "verksamhet"):
            page.goto(f"{signin_app.base}/{path}?kommun=0580&namnd=AMN&tillfalle=2023-08-31&enhet=575")
            wait_ready(page, "Arbetsmarknadsnämnden")
            text = body(page)
            assert "UTKAST" not in text, path
        assert "Ekonomiskt bistånd" in text
        for path in ("", "ekonomi"):  # a draft URL reveals nothing: no title, no figures
            page.goto(f"{signin_app.base}/{path}?kommun=0580&namnd=AMN&tillfalle={IAF_DRAFT}")
            wait_ready(page, "ingen uppföljning med periodslut")
            text = body(page)
            assert "123,4" not in text and "Arbetsmaterial" not in text and "UTKAST" not in text
            assert "Månad 2023" not in text
    finally:
        context.close()


def test_iaf_editor_sees_iaf_draft_not_utb_draft(browser, signin_app, oidc):  # noqa: F811
    context, page = sign_in(browser, signin_app, oidc, "iaf@kommun.se")
    try:
        page.goto(f"{signin_app.base}/?kommun=0580&namnd=AMN&tillfalle={IAF_DRAFT}")
        wait_ready(page, "UTKAST")
        text = body(page)
        assert "+123,4 mnkr" in text and "UTKAST – ej fastställd av nämnden" in text
        assert page.get_by_role("link", name="Importera").count() == 1
        shot(page, "inloggad-redaktor-iaf-utkast")
        page.goto(f"{signin_app.base}/?kommun=0580&namnd=AMN&tillfalle={UTB_DRAFT}")
        try:
            wait_ready(page, "ingen uppföljning med periodslut")
        finally:
            shot(page, "inloggad-redaktor-iaf-utb-utkast")
        assert "567,8" not in body(page)
    finally:
        context.close()


@pytest.fixture(scope="module")
def local_app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}"
    engine = make_engine(url)
    init_db(engine)
    app = Streamlit(url, log="streamlit-local")
    yield app, engine
    app.stop()
    engine.dispose()


def upload(page, app, path):
    page.goto(f"{app.base}/importera")
    wait_ready(page, "Importera en uppföljning")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_import_page_valid_workbook(browser, local_app, tmp_path):  # noqa: F811
    app, engine = local_app
    path = b.write_xlsx(b.base(), tmp_path / "testnamnden.xlsx")
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{app.base}/importera")
        wait_ready(page, "Importmall")
        page.get_by_text("Importmall").first.click()
        # reproduce: the template select held None and showed its placeholder ("Välj"), not "Tom mall"
        choice = page.get_by_role("combobox", name="Fyll i organisationen från")
        choice.wait_for(timeout=60_000)
        assert choice.input_value() == "Tom mall"
        upload(page, app, path)
        wait_ready(page, "Filen är giltig")
        assert "Tillfället finns inte i databasen och läggs till." in body(page)
        shot(page, "importera-forhandsvisning")
        page.get_by_role("button", name="Läs in").click()
        wait_ready(page, "Importen är klar")
        page.goto(f"{app.base}/?kommun=9999&namnd=TN")
        wait_ready(page, "Prognosavvikelse helår")
        assert "+50 tkr" in body(page)
    finally:
        context.close()


def test_import_page_shows_what_goes_asks_and_links_to_the_round(browser, local_app, tmp_path):  # noqa: F811
    """Issue 11: upload, see what the file would replace, confirm by name, follow the link."""
    app, engine = local_app
    first = b.base()
    b.set_cell(first, "Tillfälle", 2, "Nämndkod", "BT")
    smaller = b.base()
    b.set_cell(smaller, "Tillfälle", 2, "Nämndkod", "BT")
    b.set_cell(smaller, "Ekonomi", 4, "Prognosavvikelse", "75")
    del smaller["Ekonomi"][4]  # skola/b's row goes
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    try:
        upload(page, app, b.write_xlsx(first, tmp_path / "forsta.xlsx"))
        wait_ready(page, "Filen är giltig")
        page.get_by_role("button", name="Läs in").click()
        wait_ready(page, "Sparad som version 1")
        upload(page, app, b.write_xlsx(smaller, tmp_path / "mindre.xlsx"))
        wait_ready(page, "Det här händer med databasen")
        text = body(page)
        assert "Tillfället finns redan och ersätts (version 1)" in text
        assert "Tas bort ur Ekonomi: 1 rad som inte finns i den nya filen (skola/b)" in text
        # the changed row by name and figures, as an item under "Ändras"
        change = page.locator("li li", has_text="Ekonomi: Enhet A (skola/a) – Prognosavvikelse 60 → 75 tkr")
        assert change.count() == 1
        assert "Ändras: Ekonomi 1 rad:" in change.locator("xpath=../..").inner_text()
        assert "Bekräfta:" in text
        button = page.get_by_role("button", name="Ersätt tillfället")
        assert button.is_disabled()
        shot(page, "importera-bekrafta")
        page.get_by_text("Jag vill ersätta Delår 1 2025-04-30 och ta bort 1 rad").click()
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stBaseButton-primary\"]').disabled")
        button.click()
        wait_ready(page, "Sparad som version 2")
        shot(page, "importera-klar")
        link = page.get_by_role("link", name="Öppna Testnämnden, Delår 1 2025-04-30")
        # a path the browser opens from /importera: Översikt at the app's root, not a bare "?kommun=…"
        assert link.get_attribute("href") == "./?kommun=9999&namnd=BT&tillfalle=2025-04-30"
        with context.expect_page() as opened:
            link.click()
        round_page = opened.value
        wait_ready(round_page, "Prognosavvikelse helår")
        assert urlparse(round_page.url).path == "/"
        assert "kommun=9999" in round_page.url and "namnd=BT" in round_page.url and "tillfalle=2025-04-30" in round_page.url
        assert "+50 tkr" in body(round_page)  # the printed total of the root row
        assert "Enhet B" not in body(round_page)
        # the same file once more: nothing to write, and the page says so instead of offering a button
        upload(page, app, b.write_xlsx(smaller, tmp_path / "samma-igen.xlsx"))
        wait_ready(page, "Inga ändringar mot det lagrade tillfället (version 2)")
        assert "filen har samma innehåll som det som redan är lagrat. Ingenting skrivs och ingen ny version sparas." \
            in body(page)
        assert page.get_by_role("button", name="Läs in").count() == 0
        assert page.get_by_role("button", name="Ersätt tillfället").count() == 0
        shot(page, "importera-inga-andringar")
    finally:
        context.close()


def test_import_page_broken_workbook_changes_nothing(browser, local_app, tmp_path):  # noqa: F811
    app, engine = local_app
    sheets = b.base()
    b.set_cell(sheets, "Ekonomi", 3, "Utfall period", "tre hundra")
    sheets["Ekonomi"][0][sheets["Ekonomi"][0].index("Periodbudget")] = "Periodbudgt"
    path = b.write_xlsx(sheets, tmp_path / "trasig.xlsx")
    before = snapshot(engine)
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    try:
        upload(page, app, path)
        wait_ready(page, "fel – filen läses inte in")
        shot(page, "importera-fel")
        assert page.get_by_role("button", name="Läs in").count() == 0
        # every message whole, on the screen (a table cell cut them after a few words)
        for message in (
                "Blad Ekonomi, rad 1, kolumn Periodbudgt: okänd kolumn – menade du «Periodbudget»? Kolumnerna i "
                "Ekonomi är: Enhet, Budget helår, Periodbudget, Utfall period, Periodavvikelse, Prognos helår, "
                "Prognosavvikelse, Utfall samma period fg år, Bokslut fg år, Andel av budget.",
                "Blad Ekonomi, rad 3, kolumn Utfall period: värdet «tre hundra»: förväntade ett belopp, t.ex. "
                "476 018 eller 323 700 tkr (arbetsboken är i tkr)."):
            item = page.locator("li", has_text=message.split(":")[0])
            assert item.count() == 1 and item.inner_text().replace(NB, " ") == message
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1600  # within the window, wrapped
    finally:
        context.close()
    assert snapshot(engine) == before


def test_non_loopback_without_sign_in_is_read_only(browser, drafts_db):  # noqa: F811
    app = Streamlit(drafts_db, address="127.0.0.2", log="streamlit-readonly")
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{app.base}/?kommun=0580&namnd=AMN")
        wait_ready(page, "Skrivskyddat läge")
        assert page.get_by_role("link", name="Importera").count() == 0
        assert shows(page, "+4,0 mnkr")
        page.goto(f"{app.base}/?kommun=0580&namnd=AMN&tillfalle={IAF_DRAFT}")
        wait_ready(page, "ingen uppföljning med periodslut")
        assert "123,4" not in body(page)
        page.goto(f"{app.base}/importera?kommun=0580&namnd=AMN")
        wait_ready(page)
        assert "Importera en uppföljning" not in body(page)
    finally:
        context.close()
        app.stop()
