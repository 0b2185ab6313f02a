"""Indikatorer, Volymer, Personal as a reader sees them, and the Kolada import and comparison."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from conftest import ROOT, snapshot
from dashboard.importing.kolada import fetch, import_file
from dashboard.models import ImportLog, KoladaValue
from test_pages import app, texts  # noqa: F401

NB = "\u00a0"


def table_rows(at, indicator_part: str) -> list[dict]:
    rows = []
    for df in at.dataframe:
        frame = df.value
        if "Indikator" not in frame:
            continue
        hits = frame[frame["Indikator"].str.contains(indicator_part, regex=False)]
        rows += [{k: str(v).replace(NB, " ") for k, v in r.items()} for _, r in hits.iterrows()]
    assert rows, f"{indicator_part!r} saknas"
    # a table with more columns than fit is shown again whole under "Fler kolumner": count it once
    unique = {tuple(sorted(r.items())): r for r in rows if set(r) == set(max(rows, key=len))}
    return list(unique.values())


def indicator_table(at):
    at.toggle(key="ind_all").set_value(True).run()  # every indicator, not only those needing attention
    at.segmented_control(key="ind_mode").set_value("Tabell").run()
    at.segmented_control(key="ind_gender").set_value("Alla").run()
    assert not at.exception
    return at


def test_utbetalningshushall_against_target(app):  # noqa: F811
    at = indicator_table(app("indikatorer", kommun="0580", namnd="AMN"))
    row = table_rows(at, "Antal utbetalningshushåll")[0]
    assert (row["Helår 2021"], row["Helår 2022"], row["Augusti 2023"]) == ("2 535", "2 385", "2 160")
    assert row["Målvärde"] == "≤ 2 200" and row["Status"] == "✓ Når målvärdet"


def test_gymnasiala_kurser_by_gender(app):  # noqa: F811
    at = indicator_table(app("indikatorer", kommun="0580", namnd="AMN"))
    rows = {r["Kön"]: r for r in table_rows(at, "gymnasiala kurser, andel godkända")}
    assert rows["Totalt"]["Augusti 2023"] == "81,7 %"
    assert rows["Kvinnor"]["Augusti 2023"] == "83,5 %"
    assert rows["Män"]["Augusti 2023"] == "77,9 %"
    assert rows["Totalt"]["Status"] == "✕ Når inte målvärdet"  # 81,7 against 86,0


def test_missing_value_shown_with_its_reason(app):  # noqa: F811
    at = indicator_table(app("indikatorer", kommun="0580", namnd="AMN"))
    row = table_rows(at, "Väntetid i antal dagar")[0]
    assert row["Augusti 2023"] == "I.U."
    assert "Nytt verksamhetssystem Lifecare" in row["Fotnot"]
    assert row["Status"] == "– Värde saknas (I.U.)"


def test_accumulating_indicator_waits_for_full_year(app):  # noqa: F811
    at = indicator_table(app("indikatorer", kommun="0580", namnd="AMN"))
    row = [r for r in table_rows(at, "avslutas till arbete med subvention") if r["Kön"] == "Totalt"][0]
    assert row["Augusti 2023"] == "25" and row["Status"] == "◷ Bedöms vid helår"


def test_volumes_households_and_method_change(app):  # noqa: F811
    at = app("volymer", kommun="0580", namnd="AMN")
    row = [r for r in table_rows(at, "Antal hushåll med insats ekonomiskt bistånd") if r["Källa"] == "Volymutveckling"][0]
    assert (row["Helår 2022"], row["Augusti 2023"], row["Prognos 2023"]) == ("2 917", "2 527", "2 500")
    students = table_rows(at, "grundläggande och gymnasial nivå")[0]
    assert students["Augusti 2023"] == "1 800 (2 300)"  # old method in parentheses
    assert "tidigare angivet värde inom parentes" in students["Fotnot"]


def test_staff_sick_leave_against_target_and_both_sources(app):  # noqa: F811
    at = app("personal", kommun="0580", namnd="AMN")
    rows = [r for r in table_rows(at, "sjukfrånvaro") if r["Avser"].startswith("Integrations") and r["Kön"] == "Totalt"]
    personal = [r for r in rows if r["Källa"] == "Personal"][0]
    assert personal["Augusti 2023"] == "6,7 %" and personal["Målvärde"] == "≤ 6,5 %"
    assert personal["Status"] == "✕ Når inte målvärdet"
    helar_2022 = sorted(r["Helår 2022"] for r in rows if r["Helår 2022"] != "–")  # missing shows as "–"
    assert helar_2022 == ["7,6 %", "7,7 %"]  # the report prints both; both are shown


# --- Kolada -----------------------------------------------------------------------------------

def kolada_page(values, next_key=None, period_as_str=False):
    return {"values": [
        {"kpi": "N18409", "municipality": m, "period": str(p) if period_as_str else p,
         "values": [{"count": 1, "gender": "T", "status": "" if v is not None else "Missing", "value": v},
                    {"count": 1, "gender": "K", "status": "", "value": None if v is None else v + 5}]}
        for m, p, v in values], "count": len(values), **({next_key: None} if next_key else {})}


# Test data built by the test, in Kolada's shape; the municipalities' values are invented for the test only.
SAMPLE = [("0580", 2022, 33.4), ("2580", 2022, 40.0), ("0180", 2022, 30.0), ("1480", 2022, 36.0),
          ("1280", 2022, None)]


def test_kolada_import_v2_and_v3_shapes(empty_engine, tmp_path):
    v2 = tmp_path / "v2.json"
    v2.write_text(json.dumps(kolada_page(SAMPLE[:3], "next_page")), encoding="utf-8")
    v3 = tmp_path / "v3.json"
    v3.write_text(json.dumps([kolada_page(SAMPLE[3:], "next_url", period_as_str=True)]), encoding="utf-8")
    assert import_file(empty_engine, v2).ok and import_file(empty_engine, v3).ok
    with empty_engine.connect() as conn:
        rows = conn.execute(select(KoladaValue.municipality, KoladaValue.value).where(KoladaValue.gender == "T")).all()
    values = {r.municipality: r.value for r in rows}
    assert values["0580"] == 33.4 and values["1280"] is None  # missing stays missing, never 0
    assert len(rows) == 5


@pytest.mark.parametrize("content, expected", [
    ('{"values": [', "inte giltig JSON (rad 1"),
    ('{"rows": []}', 'listan "values"'),
    (json.dumps({"values": [{"kpi": "N18409", "municipality": "580", "period": 2022, "values": []}]}),
     "post 1 (values[0]), fält municipality"),
    (json.dumps({"values": [{"kpi": "N18409", "municipality": "0580", "period": 2022,
                             "values": [{"gender": "X", "value": 1, "count": 1}]}]}), "fält gender"),
    (json.dumps({"values": [{"kpi": "N18409", "municipality": "0580", "period": 2022,
                             "values": [{"gender": "T", "value": "33,4", "count": 1}]}]}), "fält value"),
    (json.dumps({"values": []}), "inga värden"),
])
def test_kolada_malformed_json_is_refused_and_nothing_changes(empty_engine, tmp_path, content, expected):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(kolada_page(SAMPLE)), encoding="utf-8")
    assert import_file(empty_engine, good).ok
    before = snapshot(empty_engine)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    report = import_file(empty_engine, bad)
    assert not report.ok and expected in "\n".join(report.errors)
    assert snapshot(empty_engine) == before
    with empty_engine.connect() as conn:
        assert conn.execute(select(ImportLog.outcome).order_by(ImportLog.id.desc())).first()[0] == "avvisad"


def test_kolada_cli_exit_codes(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    env = os.environ | {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"}
    run = subprocess.run([sys.executable, "-m", "dashboard", "import-kolada", str(bad)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 1 and "inte giltig JSON" in run.stderr and "Traceback" not in run.stderr


def test_kolada_fetch_follows_pages_on_a_loopback_server():
    pages = {
        "/v3/data/kpi/N18409/municipality/0580,2580/year/2022": {**kolada_page(SAMPLE[:1]), "next_url": "PAGE2"},
        "/page2": kolada_page(SAMPLE[1:2]),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            text = json.dumps(body).replace('"PAGE2"', json.dumps(f"http://127.0.0.1:{port}/page2"))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = fetch("N18409", ["0580", "2580"], [2022], base_url=f"http://127.0.0.1:{port}/v3")
    finally:
        server.shutdown()
    assert [v["municipality"] for p in result for v in p["values"]] == ["0580", "2580"]


def test_kolada_comparison_view(app, tmp_path):  # noqa: F811
    at = app("indikatorer", kommun="0580", namnd="AMN")
    assert "Inga Kolada-värden är inlästa för N18409" in texts(at)
    from dashboard.db import make_engine
    engine = make_engine(os.environ["DASHBOARD_DATABASE_URL"])
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(kolada_page(SAMPLE)), encoding="utf-8")
    try:
        assert import_file(engine, path).ok
        at = app("indikatorer", kommun="0580", namnd="AMN")  # the import shows on the next run
        values = {m.label: (m.value, m.delta) for m in at.metric}
        # 33,4 among 40,0 / 36,0 / 33,4 / 30,0 (higher is better): place 3 of 4, median 34,7
        assert values["Linköpings kommun 2022"] == (f"33,4{NB}%", "plats 3 av 4")
        assert values["Median bland kommunerna"][0] == f"34,7{NB}%"
        assert "1 kommuner saknar värde" in texts(at) and "Källa: Kolada" in texts(at)
    finally:
        with engine.begin() as conn:
            conn.execute(KoladaValue.__table__.delete())
        engine.dispose()


def test_kolada_wrong_types_give_a_message_not_a_traceback(empty_engine, tmp_path):
    bad = tmp_path / "typer.json"
    bad.write_text(json.dumps({"values": [{"kpi": ["N18409"], "municipality": "0580", "period": 2022,
                                           "values": [{"gender": "T", "value": 1, "count": 1}]}]}), encoding="utf-8")
    report = import_file(empty_engine, bad)
    assert not report.ok and "fält kpi" in "\n".join(report.errors)
    folder = tmp_path / "mapp"
    folder.mkdir()
    report = import_file(empty_engine, folder)
    assert not report.ok and "kan inte läsas" in "\n".join(report.errors)


def test_fler_kolumner_sends_the_whole_table_when_opened(app):  # noqa: F811
    """The columns that do not fit are under "Fler kolumner"; the whole table there is sent when the
    box is opened (ui/tables._more_columns), not a second copy on every run while it is closed."""
    at = indicator_table(app("indikatorer", kommun="0580", namnd="AMN"))
    boxes = [e for e in at.expander if e.label.startswith("Fler kolumner")]
    assert boxes, "ingen tabell har Fler kolumner"
    closed = [d.proto for d in at.dataframe]
    assert len({p.arrow_data.data for p in closed}) == len(closed)  # no table sent twice
    assert not any(len(b.dataframe) for b in boxes)
    at.session_state["ind_wide_0_more"] = True  # what the browser sends when the first box is opened
    at.run()
    assert not at.exception
    opened = [e for e in at.expander if e.label.startswith("Fler kolumner")][0]
    assert len(opened.dataframe) == 1 and len(at.dataframe) == len(closed) + 1
    whole, default = opened.dataframe[0].proto, at.dataframe[0].proto
    assert whole.arrow_data.data == default.arrow_data.data  # the same table …
    assert len(whole.column_order) > len(default.column_order)  # … with every column
    hidden = [c for c in whole.column_order if c not in default.column_order]
    assert hidden and boxes[0].label == f"Fler kolumner ({', '.join(hidden)})"
