"""Issue 10 in a real browser (Debian's Chromium) against `streamlit run`:

- every page with the hostile workbook (tests/hostile.py: XSS, image, link, LaTeX and directive
  payloads in every text field) and with hostile URL values: nothing runs (`window.__xss` stays
  undefined, in every frame), no element loads or links to another host, and no request leaves
  for another host (Playwright's request events);
- local mode answers only localhost/127.0.0.1: the same server reached as evil.example (a
  DNS-rebinding page, simulated with Chromium's host-resolver rule) shows nothing;
- an export whose chart label holds a control character is made (sanitised) and the server keeps
  answering /_stcore/health; upload copies do not stay in the temp folder;
- two nämnder with the same label: the first click selects the one clicked.
One server and one browser for the whole module.
"""

from __future__ import annotations

import http.client
import os
import shutil
import re
import urllib.request
from urllib.parse import quote, urlparse

import pytest
from sqlalchemy import text

import builders as b
import hostile
from conftest import ARTIFACTS, ROOT, require
from dashboard.db import init_db, make_engine
from dashboard.importing import import_path
from test_browser import CHROMIUM, CHROMIUM_ARGS, READY, Streamlit, shot

BASE_Q = "kommun=9999&namnd=TN"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'hostile.db'}"
    engine = make_engine(url)
    init_db(engine, load_builtin=False)
    assert import_path(engine, hostile.write(folder / "hostile.xlsx")).ok
    for code in ("T1", "T2"):  # two nämnder with one label
        twin = b.base()
        twin["Tillfälle"][1][:4] = ["9998", "Tvillingkommun", code, "Tvillingnämnden"]
        assert import_path(engine, b.write_xlsx(twin, folder / f"{code}.xlsx")).ok
    with engine.begin() as conn:  # a control character in a chart label, past the importer
        conn.execute(text("UPDATE unit_version SET name = name || :c WHERE unit_id IN "
                          "(SELECT id FROM org_unit WHERE key = 'skola/a')"), {"c": "\x01"})
    engine.dispose()
    return url, folder


@pytest.fixture(scope="module")
def server(hostile_db):
    url, folder = hostile_db
    tmp = folder / "tmp"
    tmp.mkdir()
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp)  # the server's upload copies would land here
    try:
        app = Streamlit(url, log="streamlit-hardening")  # plain `streamlit run`, no allowedHosts
    finally:
        os.environ.pop("TMPDIR") if old is None else os.environ.__setitem__("TMPDIR", old)
    app.tmp = tmp
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser():
    require(os.path.exists(CHROMIUM), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # evil.example resolves to this machine: a DNS-rebinding page, and any fetch of the payloads
        br = pw.chromium.launch(executable_path=CHROMIUM,
                                args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
        yield br
        br.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    pg = context.new_page()
    pg.requests = []
    context.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def ready(pg) -> None:
    pg.wait_for_selector(READY, timeout=60_000)
    pg.wait_for_timeout(600)
    pg.wait_for_selector(READY, timeout=60_000)


DANGER = ('a[href*="evil.example"], img[src*="evil.example"], iframe[srcdoc], [onerror], [onload], '
          'a[href^="javascript"], svg[onload], script:not([src]):not([type])')


def assert_inert(pg, server, where: str) -> None:
    """Nothing ran, nothing points elsewhere, nothing was fetched from another host."""
    pg.evaluate("""() => document.querySelectorAll('[data-testid="stExpander"] details:not([open]) summary')
        .forEach(s => s.click())""")  # the texts inside expanders too
    pg.wait_for_timeout(800)
    ran = pg.evaluate("""() => [window.__xss, ...Array.from(document.querySelectorAll('iframe')).map(f => {
        try { return f.contentWindow.__xss } catch (e) { return undefined } })]""")
    assert all(v is None for v in ran), (where, ran)
    hits = pg.evaluate(f"() => Array.from(document.querySelectorAll({DANGER!r})).map(e => e.outerHTML.slice(0, 200))")
    inline = [h for h in hits if "__xss" in h or "evil" in h or "srcdoc" in h or "javascript" in h]
    assert not inline, (where, inline)
    own = urlparse(server.base).netloc
    foreign = [u for u in pg.requests if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != own]
    assert not foreign, (where, foreign)


PAGES = ["", "ekonomi", "verksamhet?enhet=skola", f"verksamhet?enhet={quote('skola/a')}", "mal", "indikatorer",
         "volymer", "personal", "uppdrag", "internkontroll", "importera"] + [f"bildspel?bild={i}" for i in range(1, 9)]


def test_hostile_texts_are_inert_on_every_page(server, page):
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(f"{server.base}/{path}{sep}{BASE_Q}")
        ready(page)
        assert_inert(page, server, path or "oversikt")
        if path in ("", "mal", "internkontroll"):
            shot(page, f"hardening-{path or 'oversikt'}")
    body = page.inner_text("body")
    assert "Exportera" in body  # the last page was Bildspel, rendered
    page.goto(f"{server.base}/mal?{BASE_Q}")
    ready(page)
    body = page.inner_text("body").replace("\u2060", "")  # textsafe's invisible joiner
    # shown literally, not dropped: the reader sees the text that was imported
    assert "<script>__xss=3</script>" in body and "[x](http://evil.example/c)" in body


def test_hostile_url_values_are_literal(server, page):
    link = quote("[Sessionen har gått ut – logga in igen](http://evil.example/login)")
    image = quote("![x](http://evil.example/u.png)")
    for path in (f"?kommun=9999&namnd=TN&forvaltning={link}&tillfalle={image}",
                 f"?kommun={quote('<img src=//evil.example/k onerror=__xss=6>')}&namnd={link}",
                 f"verksamhet?{BASE_Q}&enhet={quote('<img src=//evil.example/v onerror=__xss=7>')}",
                 f"bildspel?{BASE_Q}&bild={link}&bilder={quote('<img src=//evil.example/z>')},titel"):
        page.goto(f"{server.base}/{path}")
        ready(page)
        assert_inert(page, server, path)
    page.goto(f"{server.base}/?kommun=9999&namnd=TN&forvaltning={link}")
    ready(page)
    assert ("«[Sessionen har gått ut – logga in igen](http://evil.example/login)» finns inte"
            in page.inner_text("body").replace("\u2060", ""))
    shot(page, "hardening-url-notice")


def test_local_mode_refuses_another_host_name(server, page):
    port = urlparse(server.base).port
    for path in ("", "importera"):
        page.goto(f"http://evil.example:{port}/{path}?{BASE_Q}")
        ready(page)
        body = page.inner_text("body")
        assert "Adressen är inte tillåten" in body
        assert "Testförvaltningen" not in body and "Importera en uppföljning" not in body
    shot(page, "hardening-rebinding")
    page.goto(f"{server.base}/?{BASE_Q}")  # the same server as 127.0.0.1 is the local user's
    ready(page)
    assert "Adressen är inte tillåten" not in page.inner_text("body")


def test_export_with_a_control_character_keeps_the_server_up(server, page):
    page.goto(f"{server.base}/bildspel?{BASE_Q}&bilder=titel,ekonomi,avvikelser")
    ready(page)
    for button, label in (("Skapa PowerPoint", "Ladda ned PowerPoint"), ("Skapa PDF", "Ladda ned PDF")):
        page.get_by_role("button", name=button).click()
        page.get_by_role("button", name=label).wait_for(timeout=120_000)
        assert urllib.request.urlopen(server.base + "/_stcore/health", timeout=10).status == 200
        assert server.proc.poll() is None
        assert "Exporten misslyckades" not in page.inner_text("body")


def test_upload_copies_are_removed(server, page, tmp_path):
    page.goto(f"{server.base}/importera?{BASE_Q}")
    ready(page)
    assert "Största fil: 10 MB" in page.inner_text("body")
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(hostile.write(tmp_path / "ny.xlsx")))
    page.get_by_text("Filen är giltig", exact=False).first.wait_for(timeout=60_000)
    ready(page)
    # the chosen file's name and size in Swedish ("10,5 kB"), not Streamlit's "10.5KB"
    shown = page.locator('[data-testid="stFileUploader"]').first.inner_text()
    assert "ny.xlsx" in shown and re.search(r"\d+,\d (kB|byte|MB)", shown), shown
    assert not re.search(r"\d\.\d(KB|MB|B)\b", shown), shown
    assert_inert(page, server, "importera efter uppladdning")
    leftovers = [p for p in server.tmp.rglob("*") if "dashboard-upload" in str(p)]
    assert not leftovers, leftovers


def test_namnder_with_one_label_select_the_one_clicked(server, page):
    page.goto(f"{server.base}/?kommun=9998&namnd=T1")
    ready(page)
    page.get_by_role("combobox", name="Kommun och nämnd").click()
    options = page.get_by_role("option").filter(has_text="Tvillingnämnden")
    assert options.nth(1).inner_text().endswith("(9998 T2)")  # the labels tell them apart
    options.nth(1).click()
    ready(page)
    page.wait_for_url("**namnd=T2**", timeout=30_000)
    page.wait_for_timeout(1500)  # a swap would show as a second rerun back to T1
    assert "namnd=T2" in page.url
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]'))
        .map(e => e.textContent + ' ' + Array.from(e.querySelectorAll('input')).map(i => i.value + ' ' +
             (i.getAttribute('aria-label') || '') + ' ' + (i.placeholder || '')).join(' ')).join(' | ')""")
    assert "9998 T2" in shown, shown


def test_make_run_refuses_a_foreign_host_header(hostile_db):
    """`make run` passes allowedHosts: Streamlit refuses the websocket of a page named evil.example."""
    line = next(l for l in (ROOT / "Makefile").read_text().splitlines() if l.startswith("LOCAL_HOSTS :="))
    extra = line.split(":=", 1)[1].split()
    assert "--server.allowedHosts" in extra
    app = Streamlit(hostile_db[0], extra=extra, log="streamlit-hardening-hosts")
    try:
        port = urlparse(app.base).port
        status = {}
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"evil.example:{port}"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/_stcore/stream", headers={
                "Host": host, "Origin": f"http://{host}", "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Protocol": "streamlit"})
            status[host.split(":")[0]] = conn.getresponse().status
            conn.close()
        assert status == {"127.0.0.1": 101, "localhost": 101, "evil.example": 403}, status
    finally:
        app.stop()
