"""`python -m dashboard bench`: page timings on a large synthetic municipality.

Builds a separate SQLite database (never the real one) with several nämnder, each with a deep
organisation, 30 rounds, economy per unit and round, goals, activities, risks and indicator values
per unit, gender and period. Then times each page with Streamlit's AppTest – a first run with cold
caches and a rerun after a filter change (another round) – and the same for a floor script that
renders the same number of metrics, tables and charts with constant data. Prints a table and
writes JSON (page, scale, median seconds, page/floor ratio, peak memory).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert

from . import data
from . import models as m
from .config import PROJECT_ROOT


@dataclass(frozen=True)
class Scale:
    name: str
    namnder: int
    units_per_namnd: int  # ≈, including the tree's inner nodes
    rounds: int
    indicators: int
    indicator_units: int  # units per indicator that carry values
    runs: int


SCALES = {
    # 8 × 2 106 units × 30 rounds = 505 440 economy rows; 8 × 30 × 100 × 6 × 3 genders × 3 periods
    # (fewer for the first two rounds) = 1 267 200 indicator values
    "full": Scale("full", namnder=8, units_per_namnd=2101, rounds=30, indicators=100, indicator_units=6, runs=10),
    "small": Scale("small", namnder=2, units_per_namnd=61, rounds=3, indicators=8, indicator_units=3, runs=2),
}


def _month_ends(n: int) -> list[dt.date]:
    """n month ends, the last one 2025-12-31, oldest first."""
    out, year, month = [], 2025, 12
    for _ in range(n):
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def generate(engine, scale: Scale, seed: int = 1) -> dict[str, int]:
    """Fill an empty schema with synthetic data; returns row counts."""
    rnd = random.Random(seed)
    counts = {"units": 0, "economy": 0, "indicator_values": 0, "rounds": 0}
    ends = _month_ends(scale.rounds)
    with engine.begin() as conn:
        kommun_id = conn.execute(insert(m.Kommun).values(code="9990", name="Storstads kommun (syntetisk)")).inserted_primary_key[0]
        for n in range(scale.namnder):
            namnd_id = conn.execute(insert(m.Namnd).values(kommun_id=kommun_id, code=f"N{n + 1}")).inserted_primary_key[0]
            # organisation: root → 5 förvaltningar → 20 verksamhetsområden each → enheter
            units: list[dict] = []

            def add(key, name, level, parent, forv, depth):
                units.append({"key": key, "name": name, "level": level,
                              "parent_key": parent, "forv_key": forv, "depth": depth, "sort_order": len(units)})

            add("root", f"Nämnd {n + 1}", "nämnd", None, None, 0)
            leaves_needed = scale.units_per_namnd - 1 - 5 - 5 * 20
            per_area = max(1, -(-leaves_needed // 100))  # ceil: at least units_per_namnd
            for f in range(5):
                fk = f"f{f}"
                add(fk, f"Förvaltning {f + 1}", "förvaltning", "root", fk, 1)
                for a in range(20):
                    ak = f"{fk}/a{a}"
                    add(ak, f"Verksamhetsområde {f + 1}.{a + 1}", "verksamhetsområde", fk, fk, 2)
                    for e in range(per_area):
                        add(f"{ak}/e{e}", f"Enhet {f + 1}.{a + 1}.{e + 1}", "enhet", ak, fk, 3)

            def identities(model, keys):
                conn.execute(insert(model), [{"namnd_id": namnd_id, "key": k} for k in keys])
                return dict(conn.execute(model.__table__.select().with_only_columns(model.key, model.id)
                                         .where(model.namnd_id == namnd_id)).all())

            ids = identities(m.OrgUnit, [u["key"] for u in units])
            unit_versions = [{"unit_id": ids[u["key"]], "name": u["name"], "level": u["level"],
                              "parent_id": ids.get(u["parent_key"]), "forvaltning_id": ids.get(u["forv_key"]),
                              "code": None, "historical": False, "depth": u["depth"], "sort_order": u["sort_order"]}
                             for u in units]
            counts["units"] += len(units)
            goal_map = identities(m.Goal, [f"g{g}" for g in range(20)])
            goal_ids = [goal_map[f"g{g}"] for g in range(20)]
            goal_versions = [{"goal_id": goal_ids[g], "level": "nämndmål", "name": f"Nämndmål {g + 1}",
                              "unit_id": ids[f"f{g % 5}"], "sort_order": g} for g in range(20)]
            act_map = identities(m.Activity, [f"act{a}" for a in range(60)])
            act_ids = [act_map[f"act{a}"] for a in range(60)]
            act_versions = [{"activity_id": act_ids[a], "kind": "aktivitet", "name": f"Aktivitet {a + 1}",
                             "goal_id": goal_ids[a % 20], "unit_id": ids[f"f{a % 5}"], "sort_order": a} for a in range(60)]
            risk_map = identities(m.Risk, [f"r{r}" for r in range(12)])
            risk_ids = [risk_map[f"r{r}"] for r in range(12)]
            risk_versions = [{"risk_id": risk_ids[r], "name": f"Risk {r + 1}", "unit_id": ids[f"f{r % 5}"],
                              "sort_order": r} for r in range(12)]
            step_map = identities(m.ControlStep, [f"k{k}" for k in range(20)])
            step_ids = [step_map[f"k{k}"] for k in range(20)]
            step_versions = [{"control_step_id": step_ids[k], "name": f"Kontrollmoment {k + 1}",
                              "risk_id": risk_ids[k % 12], "sort_order": k} for k in range(20)]
            ind_map = identities(m.Indicator, [f"i{i}" for i in range(scale.indicators)])
            ind_ids = [ind_map[f"i{i}"] for i in range(scale.indicators)]
            ind_versions = [{"indicator_id": ind_ids[i], "name": f"Indikator {i + 1}", "kind": "nämndindikator",
                             "measure_unit": "%", "direction": "högre" if i % 3 else "lägre",
                             "accumulation": "andel", "goal_id": goal_ids[i % 20], "sort_order": i}
                            for i in range(scale.indicators)]
            value_units = [ids[f"f{f}/a{a}"] for f in range(5) for a in range(20)][: scale.indicator_units]
            for r_index, end in enumerate(ends):
                kind = "Bokslut" if end.month == 12 else "Månad"
                round_id = conn.execute(insert(m.Round).values(
                    namnd_id=namnd_id, period_end=end, kind=kind, amount_unit="tkr", decimals=0,
                    namnd_name=f"Nämnd {n + 1}", report_title="Syntetisk", status="fastställd",
                    sections="Ekonomi,Indikatorvärden,Mål")).inserted_primary_key[0]
                counts["rounds"] += 1
                for model, rows in ((m.UnitVersion, unit_versions), (m.GoalVersion, goal_versions),
                                    (m.ActivityVersion, act_versions), (m.RiskVersion, risk_versions),
                                    (m.ControlStepVersion, step_versions), (m.IndicatorVersion, ind_versions)):
                    conn.execute(insert(model), [r | {"round_id": round_id} for r in rows])
                econ = []
                for unit_id in ids.values():
                    budget = rnd.randint(1_000, 90_000)
                    dev = rnd.randint(-3_000, 3_000)
                    econ.append({"round_id": round_id, "unit_id": unit_id, "budget_year": budget,
                                 "budget_period": budget * end.month / 12, "actual_period": budget * end.month / 12 - dev / 2,
                                 "deviation_period": dev / 2, "forecast_deviation": dev})
                conn.execute(insert(m.EconomyLine), econ)
                counts["economy"] += len(econ)
                conn.execute(insert(m.GoalAssessment), [
                    {"round_id": round_id, "goal_id": g, "status": rnd.choice(["uppnas", "delvis", "uppnas_ej"]),
                     "status_word": None, "comment": "Syntetisk kommentar."} for g in goal_ids])
                conn.execute(insert(m.ActivityStatus), [
                    {"round_id": round_id, "activity_id": a, "status": rnd.choice(["klar", "pagar", "vantande"])}
                    for a in act_ids])
                risk_rows = []
                for rid_ in risk_ids:
                    p_, c_ = rnd.randint(1, 4), rnd.randint(1, 4)
                    risk_rows.append({"round_id": round_id, "risk_id": rid_, "probability": p_, "consequence": c_,
                                      "risk_value": p_ * c_, "risk_value_computed": False})
                conn.execute(insert(m.RiskAssessment), risk_rows)
                conn.execute(insert(m.ControlStepStatus), [
                    {"round_id": round_id, "control_step_id": k, "status": rnd.choice(["klar", "pagar", "vantande"]),
                     "comment": "Syntetisk kommentar."} for k in step_ids])
                values = []
                periods = ends[max(0, r_index - 2): r_index + 1]
                for ind in ind_ids:
                    for unit_id in value_units:
                        for gender in "TKM":
                            for p_end in periods:
                                values.append({"round_id": round_id, "indicator_id": ind, "unit_id": unit_id,
                                               "period_end": p_end, "value_type": "utfall", "gender": gender,
                                               "breakdown": "", "source_table": "", "period_label": p_end.isoformat(),
                                               "value": rnd.uniform(0, 100), "missing": False})
                conn.execute(insert(m.IndicatorValue), values)
                counts["indicator_values"] += len(values)
                conn.execute(insert(m.IndicatorTarget), [
                    {"round_id": round_id, "indicator_id": ind, "unit_id": u, "gender": "T", "breakdown": "",
                     "period_end": dt.date(end.year, 12, 31), "source_table": "", "period_label": str(end.year),
                     "target_value": 50.0} for ind in ind_ids for u in value_units])
        conn.execute(insert(m.ImportLog).values(imported_at=dt.datetime.now(dt.UTC), file_name="bench",
                                                outcome="importerad", row_counts=json.dumps(counts)))
    return counts


FLOOR_SCRIPT = '''
import altair as alt
import pandas as pd
import streamlit as st

N_METRICS, N_TABLES, N_CHARTS = {metrics}, {tables}, {charts}
choice = st.sidebar.selectbox("Val", list(range(40)), key="floor_choice")
frame = pd.DataFrame({{"a": list(range(20)), "b": [float(i) * 1.5 for i in range(20)]}})
for i in range(N_METRICS):
    st.metric(f"Mått {{i}}", f"{{choice + i}}")
for i in range(N_TABLES):
    st.dataframe(frame, hide_index=True)
for i in range(N_CHARTS):
    st.altair_chart(alt.Chart(frame).mark_bar().encode(x="b:Q", y="a:N"))
'''


def _patch_pages_manager():
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # see tests/test_pages.py

    PagesManager.__init__ = init


def _time_page(script: Path, page: str | None, params: dict, change, runs: int) -> tuple[list[float], list[float], dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    first, rerun, counts = [], [], {}
    for i in range(runs):
        st.cache_data.clear()
        data.clear()
        at = AppTest.from_file(str(script), default_timeout=600)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
        t0 = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{page or script.name}: {[e.value for e in at.exception]}")
        counts = {"metrics": len(at.metric), "tables": len(at.dataframe),
                  "charts": len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart"))}
        t0 = time.perf_counter()
        change(at, i)
        rerun.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{page or script.name} (omkörning): {[e.value for e in at.exception]}")
    return first, rerun, counts


def run_bench(args) -> int:
    scale = SCALES[args.scale]
    runs = max(args.runs if args.scale == "full" else scale.runs, 1)
    out_path = Path(args.out)
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    db_path = workdir / "bench.db"
    url = f"sqlite:///{db_path}"
    os.environ["DASHBOARD_DATABASE_URL"] = url
    from .db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    t0 = time.perf_counter()
    counts = generate(engine, scale)
    gen_seconds = time.perf_counter() - t0
    print(f"Syntetisk kommun ({scale.name}): {counts['units']} enheter, {counts['rounds']} tillfällen, "
          f"{counts['economy']} ekonomirader, {counts['indicator_values']} indikatorvärden "
          f"– genererad på {gen_seconds:.0f} s i {db_path}", flush=True)
    _patch_pages_manager()
    app = PROJECT_ROOT / "app.py"
    ends = [d.isoformat() for d in _month_ends(scale.rounds)]
    base = {"kommun": "9990", "namnd": "N1", "tillfalle": ends[-1]}

    def change_round(at, i):
        sel = next(s for s in at.sidebar.selectbox if s.key.startswith("f_round_"))
        sel.set_value(sel.options and dt.date.fromisoformat(ends[-2 - (i % (len(ends) - 1))])).run()

    pages = [
        ("Översikt", None, base),
        ("Ekonomi", "pages/ekonomi.py", base),
        ("Verksamhet", "pages/verksamhet.py", base | {"enhet": "f0/a0"}),
        ("Mål", "pages/mal.py", base),
        ("Indikatorer", "pages/indikatorer.py", base),
        ("Uppdrag", "pages/uppdrag.py", base),
        ("Internkontroll", "pages/internkontroll.py", base),
        ("Bildspel", "pages/bildspel.py", base),
    ]
    results = []
    for name, page, params in pages:
        first, rerun, element_counts = _time_page(app, page, params, change_round, runs)
        floor = workdir / f"floor_{name}.py"
        floor.write_text(FLOOR_SCRIPT.format(**element_counts), encoding="utf-8")

        def change_floor(at, i):
            at.sidebar.selectbox(key="floor_choice").set_value((i + 1) % 40).run()

        f_first, f_rerun, _ = _time_page(floor, None, {}, change_floor, runs)
        results.append({
            "page": name, "scale": scale.name, "runs": runs, "elements": element_counts,
            "first_run_median_s": statistics.median(first), "rerun_median_s": statistics.median(rerun),
            "floor_first_run_median_s": statistics.median(f_first), "floor_rerun_median_s": statistics.median(f_rerun),
            "ratio_first": statistics.median(first) / statistics.median(f_first),
            "ratio_rerun": statistics.median(rerun) / statistics.median(f_rerun),
        })
        print(f"  {name}: klar", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"scale": scale.name, "counts": counts, "generation_s": gen_seconds, "peak_memory_mb": peak_mb,
              "python": sys.version.split()[0], "results": results,
              "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print()
    print(format_table(report))
    print(f"\nJSON: {out_path}")
    return 0


def format_table(report: dict) -> str:
    lines = [
        f"Skala: {report['scale']} · {report['counts']['units']} enheter · {report['counts']['rounds']} tillfällen · "
        f"{report['counts']['economy']} ekonomirader · {report['counts']['indicator_values']} indikatorvärden · "
        f"toppminne {report['peak_memory_mb']:.0f} MB",
        "",
        "| sida | första körning (median s) | golv | kvot | omkörning efter filterbyte (median s) | golv | kvot |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['page']} | {r['first_run_median_s']:.3f} | {r['floor_first_run_median_s']:.3f} | "
            f"{r['ratio_first']:.1f} | {r['rerun_median_s']:.3f} | {r['floor_rerun_median_s']:.3f} | {r['ratio_rerun']:.1f} |"
        )
    return "\n".join(lines)
