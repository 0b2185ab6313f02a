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
    assert report["counts"]["economy"] > 0 and report["peak_memory_mb"] > 0
    assert "| Översikt |" in run.stdout
