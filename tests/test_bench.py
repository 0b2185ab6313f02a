"""Small-scale smoke of `python -m dashboard bench`: it runs, times every page and writes its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_bench_small_scale_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "bench", "--scale", "small", "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [r["page"] for r in report["results"]] == ["Översikt", "Ekonomi", "Verksamhet", "Mål", "Indikatorer",
                                                     "Uppdrag", "Internkontroll", "Bildspel"]
    for r in report["results"]:
        assert r["first_run_median_s"] > 0 and r["floor_first_run_median_s"] > 0
        assert r["ratio_first"] == r["first_run_median_s"] / r["floor_first_run_median_s"]
        # the page's own rerun with nothing new to read, and the floor's, measured in the same run
        assert r["unchanged_rerun_median_s"] > 0 and r["floor_unchanged_rerun_median_s"] > 0
        # the floor draws the page's elements: every kind and count, and the containers, on the
        # first run and after the round is changed (a button is a button, a toggle a toggle)
        assert len(r["element_kinds"]) == 2, r["page"]
        for page, floor in zip(r["element_kinds"], r["floor_element_kinds"], strict=True):
            assert floor["elements"] == page["elements"], r["page"]
            assert floor["blocks"] == page["blocks"], r["page"]
        assert r["element_kinds"][0]["elements"].get("dataframe", 0) == r["elements"]["tables"]
        assert r["thin_floor_rerun_median_s"] > 0  # the floor of earlier rounds, for comparison
        # the page's reads from the database: a part of its run (a filter change reads a new round)
        assert 0 < r["first_run_reads_median_s"] < r["first_run_median_s"], r["page"]
        assert 0 < r["rerun_reads_median_s"] < r["rerun_median_s"], r["page"]
    assert report["counts"]["economy"] > 0 and report["peak_memory_mb"] > 0
    assert "| Översikt |" in run.stdout
    assert "omkörning utan ändring (median s) | × golvets filterbyte |" in run.stdout
    assert "| sida | golv första körning | kvot | golv filterbyte | kvot |" in run.stdout
    filter_change = [t for t in report["targets"] if t["target"].startswith("Översikt: omkörning efter filterbyte")]
    assert len(filter_change) == 1 and "sidan utan ändring" in filter_change[0]["floor"]
    assert "läsning ur databasen" in filter_change[0]["floor"]
    assert "| sida | första körning: läsning (s) | × golvets första körning |" in run.stdout
    # the command line speaks Swedish: no English warnings from Streamlit's bare-mode test runner
    assert "ScriptRunContext" not in run.stderr and "No runtime found" not in run.stderr, run.stderr[-2000:]


def test_bench_load_mode_small_scale_drives_websocket_sessions(tmp_path):
    """Load mode at small scale with a few sessions: app and floor servers on loopback, reruns
    over the websocket protocol, no errors, figures in the JSON."""
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "bench", "--scale", "small", "--mode", "load", "--sessions", "1,3",
         "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = report["load"]["builtin"]["rows"]
    assert [r["sessions"] for r in rows] == [1, 3]
    for r in rows:
        for side in ("app", "floor"):
            assert r[side]["errors"] == 0, r[side]["error_samples"]
            assert r[side]["reruns"] == 3 * r["sessions"]  # 3 reruns per session at small scale
            assert r[side]["median_s"] > 0 and r[side]["p95_s"] >= r[side]["median_s"]
    # the app's Översikt and its floor render the same elements: three metrics among them
    assert report["load"]["builtin"]["elements"]["metric"] == 3
    assert report["load"]["synthetic"]["peak_memory_mb"] > 0
    assert "| inbyggda | 3 |" in run.stdout


def test_bench_sidor_narrows_the_pages_and_refuses_an_unknown_name_in_swedish(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DATABASE_URL"}
    base = [sys.executable, "-m", "dashboard", "bench", "--scale", "small", "--out", str(out)]
    run = subprocess.run(base + ["--sidor", "Uppdrag,internkontroll"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert [r["page"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]] == ["Uppdrag", "Internkontroll"]
    wrong = subprocess.run(base + ["--sidor", "Ekonomin"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert wrong.returncode != 0
    assert "okänd sida i --sidor: ekonomin" in wrong.stderr and "Ekonomi" in wrong.stderr
    assert "Traceback" not in wrong.stderr and "Syntetisk kommun" not in wrong.stdout  # refused before any work


def test_targets_report_indikatorer_first_screen_at_100_indicators():
    """Issue 15's "Indikatorer's first screen ≤ 0,5 s at 100 indicators" is a line of the targets
    table: the page's first run at full scale (100 indicators), with its floor; not at small scale."""
    from dashboard import bench

    def report(scale, first):
        return {"results": [{"page": "Indikatorer", "scale": scale, "elements": {"charts": 12},
                             "first_run_median_s": first, "rerun_median_s": 0.2, "floor_first_run_median_s": 0.25,
                             "floor_rerun_median_s": 0.1, "ratio_first": first / 0.25, "ratio_rerun": 2.0}]}

    rows = [r for r in bench.targets(report("full", 0.42)) if "första skärmen" in r["target"]]
    assert rows == [{"target": "Indikatorer: första skärmen ≤ 0,5 s vid 100 indikatorer (12 diagram, sidan öppnas utan cache)",
                     "measured": "0.420 s", "met": True, "floor": "0.250 s"}]
    assert [r["met"] for r in bench.targets(report("full", 0.61)) if "första skärmen" in r["target"]] == [False]
    assert not [r for r in bench.targets(report("small", 0.1)) if "första skärmen" in r["target"]]


def test_the_app_process_runs_with_the_tuned_collector_and_so_does_the_floor(sqlite_builtin_url):
    """data.engine() – the first thing every page run asks for – freezes the heap and makes young
    collections rare (docs/benchmark.md, ninth round: ~300 of them and three full ones were
    50–100 ms of a first Ekonomi or Bildspel run at full scale); the floor app the load and
    warm modes compare with is tuned the same, so their ratio stays Streamlit's own cost."""
    code = ("import gc; from dashboard import data; before = gc.get_threshold(); data.engine(); "
            "print(before[0], gc.get_threshold()[0], gc.get_freeze_count() > 1000)")
    env = {**os.environ, "DASHBOARD_DATABASE_URL": sqlite_builtin_url}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    before, after, frozen = run.stdout.split()[-3:]
    assert before == "700" and int(after) >= 10_000 and frozen == "True"
    from dashboard import bench, data

    floor = bench.FLOOR_APP.format(spec="{}", widget="Val", gc_thresholds=data.GC_THRESHOLDS)
    assert f"gc.set_threshold(*{data.GC_THRESHOLDS})" in floor
    compile(floor, "floor.py", "exec")
