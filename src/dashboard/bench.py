"""`python -m dashboard bench`: how fast the pages are, measured against a floor, in one run.

Builds a separate SQLite database (never the real one) with several nämnder, each with a deep
organisation, 30 rounds, economy per unit and round, goals, activities, risks and indicator values
per unit, gender and period. Modes (`--mode`, or `--all` for every one):

- pages: each page with Streamlit's AppTest – a first run with cold caches and a rerun after a
  filter change (another round) – and the same for a floor script with as many metrics, tables
  and charts and constant data;
- warm: a real server, one websocket session per page rerunning with the same filters;
- profile: cProfile of one rerun after a filter change per page, by category;
- load: N concurrent websocket sessions (loadgen) against a server started on loopback, built-in
  data and the synthetic scale, beside a floor app driven the same way;
- nginx: PostgreSQL, one process direct and two behind Debian's nginx (deploy/ config).

Prints tables (and the issue-15 targets with the measured figures) and writes one JSON.
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
                    if kind == "Bokslut":  # the year's outcome, no forecast (prognossäkerhet compares the year's months)
                        econ.append({"round_id": round_id, "unit_id": unit_id, "budget_year": budget,
                                     "budget_period": budget, "actual_period": budget - dev, "deviation_period": dev})
                        continue
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


def _quiet_streamlit() -> None:
    """AppTest runs pages without a server, and Streamlit warns in English on every run ("No runtime
    found", "missing ScriptRunContext"): noise on the bench's command line, not a finding. A filter
    on the two loggers, since Streamlit sets their level again when AppTest parses its config."""
    import logging

    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api"):
        logger = logging.getLogger(name)
        if not any(getattr(f, "_bench_bare_mode", False) for f in logger.filters):
            bare = logging.Filter()
            bare.filter = lambda record: "ScriptRunContext" not in str(record.msg) and "No runtime found" not in str(record.msg)
            bare._bench_bare_mode = True
            logger.addFilter(bare)


def _time_page(script: Path, page: str | None, params: dict, change, runs: int
               ) -> tuple[list[float], list[float], dict, list[float], list, dict]:
    """(first runs, reruns after `change`, element counts, reruns without a change, the elements
    of the first run and of the run after the change as `_tree_result`s, the seconds of each
    first run and rerun after `change` spent reading the database – data.READS, its cache misses'
    queries and frames) in seconds.
    The rerun without a change – everything the page reads already cached – is what a page costs
    before it reads anything new: the part of a filter change no new data removes; the reads are
    the part of a first run or a filter change that comes from the database itself."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    _quiet_streamlit()

    first, rerun, counts, unchanged, trees = [], [], {}, [], []
    reads: dict[str, list[float]] = {"first": [], "rerun": []}

    def read_seconds() -> float:
        return data.READS["seconds"]

    for i in range(runs):
        st.cache_data.clear()
        data.clear()
        at = AppTest.from_file(str(script), default_timeout=600)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
        r0, t0 = read_seconds(), time.perf_counter()
        at.run()
        first.append(time.perf_counter() - t0)
        reads["first"].append(read_seconds() - r0)
        if at.exception:
            raise RuntimeError(f"{page or script.name}: {[e.value for e in at.exception]}")
        counts = {"metrics": len(at.metric), "tables": len(at.dataframe),
                  "charts": len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart"))}
        if i == 0:
            trees.append(_tree_result(at))
        t0 = time.perf_counter()
        at.run()  # the same filters again: nothing new to read
        unchanged.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"{page or script.name} (omkörning utan ändring): {[e.value for e in at.exception]}")
        r0, t0 = read_seconds(), time.perf_counter()
        change(at, i)
        rerun.append(time.perf_counter() - t0)
        reads["rerun"].append(read_seconds() - r0)
        if at.exception:
            raise RuntimeError(f"{page or script.name} (omkörning): {[e.value for e in at.exception]}")
        if i == 0:
            trees.append(_tree_result(at))
    return first, rerun, counts, unchanged, trees, reads


def _tree_result(at):
    """The elements of an AppTest run counted by the websocket client's kinds (loadgen.Session.rerun):
    elements per kind, containers per kind, each st.html's size, the widgets by label and the
    pages registered – what `floor_spec` makes a floor app of. AppTest keeps the run's final tree,
    so an element replaced during the run (a placeholder filled later) counts once."""
    from streamlit.proto.Block_pb2 import Block
    from streamlit.proto.Element_pb2 import Element

    from .loadgen import RunResult
    from .ui import PAGE_OBJECTS_KEY

    kinds = {f.message_type.name: f.name for f in Element.DESCRIPTOR.oneofs_by_name["type"].fields}
    # AppTest keeps some containers' own part of the Block (a column's, an expander's, a tab's)
    block_kinds = {f.message_type.name: f.name for f in Block.DESCRIPTOR.oneofs_by_name["type"].fields}
    counts: dict[str, int] = {}
    blocks: dict[str, int] = {}
    widgets: dict[str, object] = {}
    html_bytes: list[int] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Block):
            which = proto.WhichOneof("type") or "vertical"
            if which == "flex_container":  # st.container (vertical) or a row of st.columns
                which = "horizontal" if proto.flex_container.direction == proto.flex_container.HORIZONTAL else "vertical"
            blocks[which] = blocks.get(which, 0) + 1
        elif proto is not None and proto.DESCRIPTOR.containing_type is Block.DESCRIPTOR:
            which = block_kinds[proto.DESCRIPTOR.name]
            blocks[which] = blocks.get(which, 0) + 1
        elif proto is not None and type(proto).DESCRIPTOR.name in kinds:
            which = kinds[type(proto).DESCRIPTOR.name]
            counts[which] = counts.get(which, 0) + 1
            if which in ("selectbox", "checkbox", "multiselect", "button_group", "radio"):
                widgets[proto.label] = proto
            elif which == "html":
                html_bytes.append(len(proto.body.encode("utf-8")))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    known = at.session_state[PAGE_OBJECTS_KEY] if PAGE_OBJECTS_KEY in at.session_state else None
    return RunResult(0.0, [], widgets, [], counts, blocks, html_bytes, len(known[1]) if known else 1)


def run_bench(args) -> int:
    """`bench` (page timings), `--mode warm|load|nginx`, or `--all` (every mode, one JSON)."""
    _quiet_streamlit()
    _PAGES({}, getattr(args, "sidor", None))  # a misspelt --sidor stops here, before the database is built
    modes = ["pages", "warm", "profile", "load", "nginx"] if getattr(args, "all", False) else [getattr(args, "mode", None) or "pages"]
    out_path = Path(args.out)
    report: dict = {"measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine(),
                    "python": sys.version.split()[0], "modes": modes}
    for mode in modes:
        print(f"== {mode} ==", flush=True)
        report[mode] = {"pages": run_pages, "warm": run_warm, "load": run_load, "nginx": run_nginx,
                        "profile": run_profile}[mode](args)
    if modes == ["pages"]:
        report |= report.pop("pages")  # the page-timing JSON keeps its shape
    report["targets"] = targets(report)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print()
    print(format_all(report))
    print(f"\nJSON: {out_path}")
    return 0


def machine() -> str:
    cpus = os.cpu_count()
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return f"{cpus} kärnor{(' ' + model) if model else ''}{mem}; belastning vid start {load:.1f}"


def _synthetic_db(scale: Scale) -> tuple[str, dict, float, Path]:
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-bench-"))
    db_path = workdir / "bench.db"
    url = f"sqlite:///{db_path}"
    from .db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    t0 = time.perf_counter()
    counts = generate(engine, scale)
    from .rollups import backfill

    backfill(engine)  # the generator writes no stored roll-ups (the import does): as init-db would
    from .indicator_status import backfill as backfill_status

    backfill_status(engine)  # nor status rows and judged status (revisions 0006, 0007)
    from .importing import ensure_versions

    # nor kept versions (revision 0004): left to the app's first start, the first timed page run
    # saved 240 rounds as version 1 (~2 min), a one-off of an upgrade, not a page's first run
    ensure_versions(engine)
    engine.dispose()
    return url, counts, time.perf_counter() - t0, workdir


def run_pages(args) -> dict:
    scale = SCALES[args.scale]
    runs = max(args.runs if args.scale == "full" else scale.runs, 1)
    url, counts, gen_seconds, workdir = _synthetic(scale)
    os.environ["DASHBOARD_DATABASE_URL"] = url
    print(f"Syntetisk kommun ({scale.name}): {counts['units']} enheter, {counts['rounds']} tillfällen, "
          f"{counts['economy']} ekonomirader, {counts['indicator_values']} indikatorvärden "
          f"– genererad på {gen_seconds:.0f} s i {workdir}", flush=True)
    _patch_pages_manager()
    app = PROJECT_ROOT / "app.py"
    ends = [d.isoformat() for d in _month_ends(scale.rounds)]
    base = {"kommun": "9990", "namnd": "N1", "tillfalle": ends[-1]}

    def change_round(at, i):
        sel = next(s for s in at.sidebar.selectbox if s.key and s.key.startswith("f_round"))
        sel.set_value(sel.options and dt.date.fromisoformat(ends[-2 - (i % (len(ends) - 1))])).run()

    pages = _PAGES(base, getattr(args, "sidor", None))
    results = []
    for name, page, params in pages:
        first, rerun, element_counts, unchanged, trees, reads = _time_page(app, page, params, change_round, runs)
        # the floor: the page's elements – every kind and count, containers, widgets, st.html sizes,
        # registered pages – on its first run and after the round is changed, with constant data
        # (floor_script, the floor warm and load mode use); its round select switches between them
        floor = workdir / f"floor_{name}.py"
        floor.write_text(floor_script(trees), encoding="utf-8")

        def change_floor(at, i):
            at.sidebar.selectbox(key="floor_choice").set_value(f"Delår {len(trees)}").run()

        f_first, f_rerun, _, f_unchanged, f_trees, _ = _time_page(floor, None, {}, change_floor, runs)
        # the floor of earlier rounds, for comparison: only the page's metrics, tables and charts
        thin = workdir / f"floor_thin_{name}.py"
        thin.write_text(FLOOR_SCRIPT.format(**element_counts), encoding="utf-8")

        def change_thin(at, i):
            at.sidebar.selectbox(key="floor_choice").set_value((i + 1) % 40).run()

        t_first, t_rerun, _, t_unchanged, _, _ = _time_page(thin, None, {}, change_thin, runs)
        results.append({
            "page": name, "scale": scale.name, "runs": runs, "elements": element_counts,
            # what each drew, first run and after the change: elements and containers per kind
            "element_kinds": [{"elements": t.counts, "blocks": t.blocks} for t in trees],
            "floor_element_kinds": [{"elements": t.counts, "blocks": t.blocks} for t in f_trees],
            "first_run_median_s": statistics.median(first), "rerun_median_s": statistics.median(rerun),
            "floor_first_run_median_s": statistics.median(f_first), "floor_rerun_median_s": statistics.median(f_rerun),
            "ratio_first": statistics.median(first) / statistics.median(f_first),
            "ratio_rerun": statistics.median(rerun) / statistics.median(f_rerun),
            "unchanged_rerun_median_s": statistics.median(unchanged),
            "floor_unchanged_rerun_median_s": statistics.median(f_unchanged),
            # the part of each that is reading the database (queries and their frames, cache misses)
            "first_run_reads_median_s": statistics.median(reads["first"]),
            "rerun_reads_median_s": statistics.median(reads["rerun"]),
            "thin_floor_first_run_median_s": statistics.median(t_first),
            "thin_floor_rerun_median_s": statistics.median(t_rerun),
            "thin_floor_unchanged_rerun_median_s": statistics.median(t_unchanged),
        })
        print(f"  {name}: klar", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scale": scale.name, "counts": counts, "generation_s": gen_seconds, "peak_memory_mb": peak_mb,
            "python": sys.version.split()[0], "results": results,
            "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


_DB_CACHE: dict[str, tuple] = {}


def _synthetic(scale: Scale) -> tuple[str, dict, float, Path]:
    """The synthetic database of a scale, generated once per bench run (or DASHBOARD_BENCH_DB:
    a file an earlier run generated, for repeated profiling)."""
    reuse = os.environ.get("DASHBOARD_BENCH_DB")
    if reuse and scale.name not in _DB_CACHE:
        from sqlalchemy import func, select

        from .db import make_engine

        from .db import upgrade
        from .rollups import backfill

        engine = make_engine(f"sqlite:///{reuse}")
        upgrade(engine)  # a database generated before revision 0005: as init-db brings it up to date
        backfill(engine)
        from .indicator_status import backfill as backfill_status

        backfill_status(engine)  # and before 0006 and 0007
        from .importing import ensure_versions

        ensure_versions(engine)  # and kept versions (0004), as init-db does: not in a timed run
        with engine.connect() as conn:
            counts = {name: conn.execute(select(func.count()).select_from(model)).scalar_one()
                      for name, model in (("units", m.OrgUnit), ("economy", m.EconomyLine),
                                          ("indicator_values", m.IndicatorValue), ("rounds", m.Round))}
        engine.dispose()
        _DB_CACHE[scale.name] = (f"sqlite:///{reuse}", counts, 0.0, Path(tempfile.mkdtemp(prefix="dashboard-bench-")))
    if scale.name not in _DB_CACHE:
        _DB_CACHE[scale.name] = _synthetic_db(scale)
    return _DB_CACHE[scale.name]


def run_warm(args) -> dict:
    """Warm rerun on a real server: one session per page reruns with the same filters (every
    query cached), against a floor app with the same elements, both over the websocket."""
    import asyncio

    from .loadgen import Session, StreamlitServer

    scale = SCALES[args.scale]
    # a warm rerun is ~50 ms: a median of three (--all --runs 3) moves with one scheduling hiccup,
    # so the full scale takes at least ten, as docs/benchmark.md says
    runs = max(args.runs, 10) if args.scale == "full" else max(scale.runs, 3)
    url, _, _, workdir = _synthetic(scale)
    ends = _month_ends(scale.rounds)
    query = f"kommun=9990&namnd=N1&tillfalle={ends[-1].isoformat()}"
    app = StreamlitServer(PROJECT_ROOT / "app.py", env={"DASHBOARD_DATABASE_URL": url}, log=workdir / "warm-app.log").start()

    async def timed(base_url: str, q: str, page: str) -> tuple[list[float], object, list[str]]:
        s = Session(base_url, q, page)
        await s.connect()
        try:
            first = await s.rerun()
            times, errors = [], list(first.errors)
            for _ in range(runs):
                r = await s.rerun()
                times.append(r.seconds)
                errors += r.errors
            return times, first, errors
        finally:
            await s.close()

    results = []
    try:
        for name, page, params in _PAGES({}, getattr(args, "sidor", None)):
            path = (page or "").removeprefix("pages/").removesuffix(".py")
            q = query + ("&enhet=f0/a0" if name == "Verksamhet" else "")
            times, first, errors = asyncio.run(timed(app.url, q, "" if path in ("", "oversikt") else path))
            counts = first.counts
            floor_path = workdir / f"floor_warm_{name}.py"
            floor_path.write_text(floor_script([first]), encoding="utf-8")
            floor = StreamlitServer(floor_path, log=workdir / f"warm-floor-{name}.log").start()
            try:
                f_times, _, _ = asyncio.run(timed(floor.url, "", ""))
            finally:
                floor.stop()
            results.append({"page": name, "elements": counts, "errors": errors[:3],
                            "warm_median_s": statistics.median(times), "floor_warm_median_s": statistics.median(f_times),
                            "ratio_warm": statistics.median(times) / statistics.median(f_times)})
            print(f"  {name}: {statistics.median(times) * 1000:.0f} ms (golv {statistics.median(f_times) * 1000:.0f} ms)"
                  + (f", fel: {errors[:1]}" if errors else ""), flush=True)
    finally:
        app.stop()
    return {"scale": scale.name, "runs": runs, "results": results}


def _PAGES(base: dict, only: str | None = None) -> list[tuple[str, str | None, dict]]:
    """The pages the bench measures; `only` (bench --sidor "Ekonomi,Mål") narrows them by name."""
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
    if not only:
        return pages
    wanted = {name.strip().casefold() for name in only.split(",") if name.strip()}
    unknown = wanted - {name.casefold() for name, _, _ in pages}
    if unknown:
        raise SystemExit(f"fel: okänd sida i --sidor: {', '.join(sorted(unknown))}; "
                         f"välj bland {', '.join(name for name, _, _ in pages)}")
    return [p for p in pages if p[0].casefold() in wanted]


FLOOR_APP = '''
import gc
import json

import altair as alt
import pandas as pd
import streamlit as st

# The floor: what Streamlit itself costs for the app page's elements, with constant data – the same
# element kinds and counts per round (bench.floor_spec), the same selects with as many options,
# style blocks of the same size, page links to as many registered pages, the same containers.
SPEC = json.loads({spec!r})


@st.cache_resource
def _freeze():  # as data.engine() does: Streamlit's gc.collect() after each run stays cheap
    gc.collect()
    gc.freeze()
    gc.set_threshold(*{gc_thresholds})  # and the collector tuned as data.tune_gc tunes the app's


def body():
    choice = st.sidebar.selectbox("{widget}", [f"Delår {{i + 1}}" for i in range(len(SPEC["rounds"]))],
                                  key="floor_choice")
    r = SPEC["rounds"][int(choice.split()[-1]) - 1]
    for i, n in enumerate(r["selects"]):
        st.sidebar.selectbox(f"Val {{i}}", [f"Alternativ {{j}}" for j in range(n)], key=f"floor_select_{{i}}")
    for i in range(r["checkbox"]):
        st.sidebar.toggle(f"Växel {{i}}", key=f"floor_toggle_{{i}}")
    sizes = r.get("multiselect_options", [])
    for i in range(r.get("multiselect", 0)):  # with the page's option counts where known
        n = sizes[i] if i < len(sizes) else 8
        st.multiselect(f"Flerval {{i}}", [f"Alternativ {{j}}" for j in range(n)], key=f"floor_multi_{{i}}")
    for i in range(r.get("text_input", 0)):
        st.text_input(f"Sök {{i}}", key=f"floor_text_{{i}}")
    for i in range(r.get("button", 0)):
        st.button(f"Knapp {{i}}", key=f"floor_button_{{i}}")
    sizes = r.get("button_group_options", [])
    for i in range(r.get("button_group", 0)):
        n = max(1, sizes[i] if i < len(sizes) else 3)
        options = [f"Val {{j}}" for j in range(n)]
        st.segmented_control(f"Växla {{i}}", options, default=options[0], key=f"floor_segment_{{i}}")
    for i in range(r.get("download_button", 0)):
        st.download_button(f"Ladda ner {{i}}", data=b"x", file_name=f"golv{{i}}.csv", key=f"floor_download_{{i}}")
    for i in range(r.get("tab_container", 0)):  # the tabs shared out between the tab rows
        n = r.get("tab", 0) // r["tab_container"] + (1 if i < r.get("tab", 0) % r["tab_container"] else 0)
        st.tabs([f"Flik {{j}}" for j in range(n)])
    for n in r["html"]:
        st.html("<style>/*" + "x" * max(0, n - 17) + "*/</style>", unsafe_allow_javascript=True)
    for i in range(r["vertical"]):
        st.container()
    columns, rows = r["column"], r["horizontal"]
    for i in range(rows):  # a row of st.columns, or a horizontal st.container without columns
        n = columns // rows + (1 if i < columns % rows else 0)
        # assigned: a bare conditional expression is not a call, so Streamlit's magic st.write()s its
        # value – the floor drew a JSON element per row that the page does not have
        _ = st.columns(n) if n else st.container(horizontal=True)
    for i in range(r["expandable"]):
        st.expander(f"Ruta {{i}}")
    for i in range(r["popover"]):
        st.popover(f"Meny {{i}}")
    frame = pd.DataFrame({{"a": list(range(20)), "b": [float(i) * 1.5 for i in range(20)]}})
    for i in range(r["heading"]):
        st.subheader(f"Rubrik {{i}} · {{choice}}")
    for i in range(r["markdown"]):
        st.markdown(f"Text {{i}} · {{choice}}")
    for i in range(r["metric"]):
        st.metric(f"Mått {{i}}", f"{{i}} {{choice}}")
    for i in range(r["alert"]):
        st.info(f"Meddelande {{i}}")
    for i in range(r["page_link"]):
        st.page_link(PAGES[i % len(PAGES)], label=f"Länk {{i}} · {{choice}}",
                     query_params={{"kommun": "2580", "namnd": "AGN", "tillfalle": choice, "enhet": str(i)}})
    for i in range(r["dataframe"]):
        st.dataframe(frame, hide_index=True)
    for i in range(r["vega_lite_chart"]):
        st.altair_chart(alt.Chart(frame).mark_bar().encode(x="b:Q", y="a:N"))
    for i in range(r["other"]):
        st.caption(f"Övrigt {{i}}")


st.set_page_config(page_title="Golv", layout="wide")
_freeze()
PAGES = [st.Page(body, title="Golv", default=True)] + [
    st.Page(lambda: None, title=f"Sida {{i}}", url_path=f"sida{{i}}") for i in range(1, max(1, SPEC["pages"]))]
st.navigation(PAGES, position="hidden").run()
'''

FLOOR_KINDS = ("checkbox", "html", "heading", "markdown", "metric", "alert", "page_link", "dataframe", "vega_lite_chart",
               "multiselect", "text_input", "button", "button_group", "download_button")
FLOOR_BLOCKS = ("vertical", "horizontal", "column", "expandable", "popover", "tab_container", "tab")


def floor_spec(runs: list) -> dict:
    """What a floor app draws per round, from the app's runs (loadgen.RunResult: over the websocket,
    or from AppTest's element tree, `_tree_result`): every element kind it has a counterpart for,
    the rest as captions; the selects other than the round's, the multiselects and the segmented
    controls with their option counts; the containers by kind."""
    rounds = []
    for run in runs:
        counts = dict(run.counts)
        r = {k: counts.pop(k, 0) for k in FLOOR_KINDS}
        r["html"] = list(run.html_bytes)
        r |= {k: run.blocks.get(k, 0) for k in FLOOR_BLOCKS}
        r["selects"] = [len(w.options) for label, w in run.widgets.items()
                        if label != LOAD_WIDGET and hasattr(w, "options") and type(w).__name__ == "Selectbox"]
        for kind, name in (("multiselect_options", "MultiSelect"), ("button_group_options", "ButtonGroup")):
            r[kind] = [len(w.options) for w in run.widgets.values() if type(w).__name__ == name]
        counts.pop("selectbox", None)
        r["other"] = sum(counts.values())  # e.g. captions, images, popovers' contents
        rounds.append(r)
    return {"rounds": rounds, "pages": max((run.pages for run in runs), default=1)}


def floor_script(runs: list) -> str:
    return FLOOR_APP.format(spec=json.dumps(floor_spec(runs)), widget=LOAD_WIDGET, gc_thresholds=data.GC_THRESHOLDS)


BUILTIN_QUERY = "kommun=2580&namnd=AGN"  # Luleå AGN: two rounds to switch between
LOAD_WIDGET = "Uppföljningstillfälle"


def _reruns_for(sessions: int, small: bool) -> int:
    if small:
        return 3
    return 20 if sessions == 1 else (10 if sessions <= 10 else 6)


def _floor_for(app_url: str, query: str, workdir: Path, name: str):
    """The app page's elements over the websocket, on the first run and after the round is
    switched (the load toggles between them); the floor app with the same elements."""
    import asyncio

    from .loadgen import Session, choose

    async def runs():
        s = Session(app_url, query)
        await s.connect()
        try:
            first = await s.rerun()
            widget = first.widgets.get(LOAD_WIDGET)
            if widget is None or len(widget.options) < 2:
                return [first]
            return [first, await s.rerun(dict([choose(widget, 1)]))]
        finally:
            await s.close()

    measured = asyncio.run(runs())
    path = workdir / f"floor_{name}.py"
    path.write_text(floor_script(measured), encoding="utf-8")
    return path, measured[0].counts


def _load_pair(app_url_env: dict, sessions: list[int], small: bool, workdir: Path, query: str, label: str) -> dict:
    """The app and its floor, each in its own process, driven the same way in the same run."""
    from .loadgen import StreamlitServer, drive

    app = StreamlitServer(PROJECT_ROOT / "app.py", env=app_url_env, log=workdir / f"{label}-app.log").start()
    try:
        floor_path, counts = _floor_for(app.url, query, workdir, label)
        floor = StreamlitServer(floor_path, log=workdir / f"{label}-floor.log").start()
        try:
            rows = []
            for n in sessions:
                reruns = _reruns_for(n, small)
                a = drive(app.url, n, reruns, LOAD_WIDGET, query)
                f = drive(floor.url, n, reruns, LOAD_WIDGET)
                rows.append({"sessions": n, "app": a.as_dict(), "floor": f.as_dict(),
                             "throughput_vs_floor": a.reruns_per_s / f.reruns_per_s if f.reruns_per_s else None})
                print(f"  {label} {n} sessioner: {a.reruns_per_s:.1f} omkörningar/s (golv {f.reruns_per_s:.1f}), "
                      f"median {a.median_s * 1000:.0f} ms, p95 {a.p95_s * 1000:.0f} ms, fel {len(a.errors)}", flush=True)
            return {"elements": counts, "rows": rows, "peak_memory_mb": app.rss_mb()}
        finally:
            floor.stop()
    finally:
        app.stop()


def _sessions(args, default: str) -> list[int]:
    return [int(x) for x in (getattr(args, "sessions", None) or default).split(",") if x.strip()]


def run_load(args) -> dict:
    """N concurrent websocket sessions on Översikt (built-in data; and the synthetic scale)."""
    from .db import init_db, make_engine

    small = args.scale == "small"
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-load-"))
    url = f"sqlite:///{workdir / 'builtin.db'}"
    engine = make_engine(url)
    init_db(engine)
    engine.dispose()
    out = {"builtin": _load_pair({"DASHBOARD_DATABASE_URL": url}, _sessions(args, "1,3" if small else "1,10,50"),
                                 small, workdir, BUILTIN_QUERY, "inbyggd")}
    scale = SCALES[args.scale]
    s_url, _, _, _ = _synthetic(scale)
    ends = _month_ends(scale.rounds)
    query = f"kommun=9990&namnd=N1&tillfalle={ends[-1].isoformat()}"
    out["synthetic"] = _load_pair({"DASHBOARD_DATABASE_URL": s_url}, [3 if small else 10], small, workdir, query,
                                  f"syntetisk-{scale.name}")
    return out


def run_nginx(args) -> dict:
    """PostgreSQL, one process direct and two processes behind nginx, 50 sessions each."""
    from .db import init_db, make_engine
    from .loadgen import Nginx, PostgresServer, StreamlitServer, drive

    small = args.scale == "small"
    n = _sessions(args, "3" if small else "50")[-1]
    reruns = _reruns_for(n, small)
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
    pg = PostgresServer()
    pg.start()
    servers: list = []
    try:
        url = pg.create_database("bench")
        engine = make_engine(url)
        init_db(engine)
        engine.dispose()
        env = {"DASHBOARD_DATABASE_URL": url}
        servers = [StreamlitServer(PROJECT_ROOT / "app.py", env=env, log=workdir / f"app{i}.log").start() for i in (1, 2)]
        one = drive(servers[0].url, n, reruns, LOAD_WIDGET, BUILTIN_QUERY)
        print(f"  1 process: {one.reruns_per_s:.1f} omkörningar/s, p95 {one.p95_s * 1000:.0f} ms", flush=True)
        proxy = Nginx([s.port for s in servers]).start()
        servers.append(proxy)
        two = drive(proxy.url, n, reruns, LOAD_WIDGET, BUILTIN_QUERY)
        print(f"  2 processer bakom nginx: {two.reruns_per_s:.1f} omkörningar/s, p95 {two.p95_s * 1000:.0f} ms, "
              f"fördelning {two.upstreams}", flush=True)
        return {"sessions": n, "one_process": one.as_dict(), "two_behind_nginx": two.as_dict(),
                "ratio": two.reruns_per_s / one.reruns_per_s if one.reruns_per_s else None}
    finally:
        for server in reversed(servers):
            server.stop()
        pg.stop()


PROFILE_CATEGORIES = [
    # (label, file suffix, function): cumulative seconds of that function in one script run
    ("hela sidkörningen", "script_runner.py", "_run_script"),
    ("app.py utom sidan", None, None),
    ("SQL (frågor i queries.py)", "dashboard/queries.py", "_frame"),
    ("dataversion per körning", "dashboard/queries.py", "data_version"),
    ("ekonomiträdet (economy_table)", "dashboard/economy.py", "economy_table"),
    # judge: what latest_status and the pages' stored rows (indicator_status.py) both run
    ("status mot målvärde (targets.judge)", "dashboard/targets.py", "judge"),
    ("talformat (formatting.amount/number)", "dashboard/formatting.py", "number"),
    ("diagramdata (views.*_chart_data)", "dashboard/views.py", "*_chart_data"),
    ("diagrambygge (charts.*)", "dashboard/charts.py", "*"),
    ("Altair → Vega-Lite (to_dict)", "streamlit/elements/vega_charts.py", "_convert_altair_to_vega_lite_spec"),
    ("tabeller till Arrow (st.dataframe)", "streamlit/elements/arrow.py", "dataframe"),
    ("elementen skickas (_enqueue)", "streamlit/delta_generator.py", "_enqueue"),
    ("Python-kompilering av skripten", "scriptrunner/script_cache.py", "get_bytecode"),
]


def _profile_breakdown(stats) -> dict[str, float]:
    out: dict[str, float] = {}

    def cum(suffix, fn):
        best = 0.0
        for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if not path.endswith(suffix) and suffix not in path:
                continue
            if fn == "*" or name == fn or (fn.startswith("*") and name.endswith(fn[1:])):
                best = max(best, ct)
        return best

    for label, suffix, fn in PROFILE_CATEGORIES:
        if suffix is None:
            continue
        if fn == "*" or fn.startswith("*"):
            # the outermost calls only: the largest cumulative time among matching functions is a
            # lower bound, the sum an upper bound; report the sum of top-level entries
            total = 0.0
            for (path, _line, name), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
                if suffix not in path or not (fn == "*" or name.endswith(fn[1:])):
                    continue
                if not any(suffix in c[0] for c in callers):
                    total += ct
            out[label] = total
        else:
            out[label] = cum(suffix, fn)
    app = cum("app.py", "<module>")
    page = max((ct for (path, _l, name), (_a, _b, _c, ct, _d) in stats.stats.items()
                if "/pages/" in path and name == "<module>"), default=0.0)
    out["app.py utom sidan"] = max(0.0, app - page)
    return out


def run_profile(args) -> dict:
    """cProfile of one rerun after a filter change per page (the script thread), by category."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner

    scale = SCALES[args.scale]
    url, _, _, _ = _synthetic(scale)
    os.environ["DASHBOARD_DATABASE_URL"] = url
    _patch_pages_manager()
    holder: dict = {"on": False, "profile": None}
    original = script_runner.ScriptRunner._run_script

    def profiled(self, *a, **k):
        if not holder["on"]:
            return original(self, *a, **k)
        prof = cProfile.Profile()
        holder["profile"] = prof
        prof.enable()
        try:
            return original(self, *a, **k)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = profiled
    ends = [d.isoformat() for d in _month_ends(scale.rounds)]
    base = {"kommun": "9990", "namnd": "N1", "tillfalle": ends[-1]}
    results = []
    try:
        for name, page, params in _PAGES(base, getattr(args, "sidor", None)):
            from streamlit.testing.v1 import AppTest

            import streamlit as st
            _quiet_streamlit()
            st.cache_data.clear()
            data.clear()
            at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
            for k, v in params.items():
                at.query_params[k] = v
            if page:
                at.switch_page(page)
            at.run()
            sel = next(s for s in at.sidebar.selectbox if s.key and s.key.startswith("f_round"))
            sel.set_value(dt.date.fromisoformat(ends[-2]))
            holder["on"] = True
            t0 = time.perf_counter()
            at.run()
            wall = time.perf_counter() - t0
            holder["on"] = False
            stats = pstats.Stats(holder["profile"])
            results.append({"page": name, "wall_s": wall, "breakdown": _profile_breakdown(stats)})
            print(f"  {name}: {wall:.2f} s (profilerad)", flush=True)
    finally:
        script_runner.ScriptRunner._run_script = original
    return {"scale": scale.name, "results": results}


def format_profile(report: dict) -> str:
    labels = [c[0] for c in PROFILE_CATEGORIES]
    pages = [r["page"] for r in report["results"]]
    lines = ["| del (kumulativ tid i s, överlappar) | " + " | ".join(pages) + " |",
             "| --- | " + " | ".join("---:" for _ in pages) + " |"]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(f"{r['breakdown'].get(label, 0):.3f}" for r in report["results"]) + " |")
    return "\n".join(lines)


def targets(report: dict) -> list[dict]:
    """Every target of issue 15 with the figure measured in this run (None = mode not run)."""
    rows: list[dict] = []

    def add(target, measured, ok, floor=None):
        rows.append({"target": target, "measured": measured, "met": ok, "floor": floor})

    pages = report.get("pages") or ({"results": report["results"]} if "results" in report else None)
    if pages:
        for r in pages["results"]:
            same = r.get("unchanged_rerun_median_s")
            add(f"{r['page']}: omkörning efter filterbyte ≤ 10× golvet och ≤ 0,3 s",
                f"{r['rerun_median_s']:.3f} s, {r['ratio_rerun']:.1f}×",
                r["ratio_rerun"] <= 10 and r["rerun_median_s"] <= 0.3,
                f"{r['floor_rerun_median_s']:.3f} s" + (
                    f" (sidan utan ändring {same:.3f} s = {same / r['floor_rerun_median_s']:.1f}×)" if same is not None else "")
                + _reads_cell(r.get("rerun_reads_median_s"), r["floor_rerun_median_s"]))
            add(f"{r['page']}: första körning ≤ 5× golvet", f"{r['first_run_median_s']:.3f} s, {r['ratio_first']:.1f}×",
                r["ratio_first"] <= 5, f"{r['floor_first_run_median_s']:.3f} s"
                + _reads_cell(r.get("first_run_reads_median_s"), r["floor_first_run_median_s"]))
            n_indicators = SCALES[r["scale"]].indicators if r.get("scale") in SCALES else 0
            if r["page"] == "Indikatorer" and n_indicators >= 100:
                # the page's first run is its first screen (12 diagram, the rest behind "Visa fler"),
                # opened with nothing cached: the strictest reading of the target
                add(f"Indikatorer: första skärmen ≤ 0,5 s vid {n_indicators} indikatorer "
                    f"({r['elements'].get('charts', 0)} diagram, sidan öppnas utan cache)",
                    f"{r['first_run_median_s']:.3f} s", r["first_run_median_s"] <= 0.5,
                    f"{r['floor_first_run_median_s']:.3f} s")
    if report.get("warm"):
        for r in report["warm"]["results"]:
            add(f"{r['page']}: varm omkörning ≤ 1,5× golvet", f"{r['warm_median_s']:.3f} s, {r['ratio_warm']:.1f}×",
                r["ratio_warm"] <= 1.5, f"{r['floor_warm_median_s']:.3f} s")
    if report.get("load"):
        rows_ = {r["sessions"]: r for r in report["load"]["builtin"]["rows"]}
        if 10 in rows_:
            a, f = rows_[10]["app"], rows_[10]["floor"]
            add("Inbyggda data, 10 sessioner: ≥ 40 omkörningar/s, p95 ≤ 0,5 s",
                f"{a['reruns_per_s']:.1f}/s, p95 {a['p95_s']:.2f} s", a["reruns_per_s"] >= 40 and a["p95_s"] <= 0.5,
                f"{f['reruns_per_s']:.1f}/s, p95 {f['p95_s']:.2f} s")
            add("Inbyggda data, 10 sessioner: genomströmning ≥ 0,7× golvappens",
                f"{rows_[10]['throughput_vs_floor']:.2f}×", rows_[10]["throughput_vs_floor"] >= 0.7)
        if 50 in rows_:
            a, f = rows_[50]["app"], rows_[50]["floor"]
            add("Inbyggda data, 50 sessioner: 0 fel och p95 ≤ 2 s", f"{a['errors']} fel, p95 {a['p95_s']:.2f} s",
                a["errors"] == 0 and a["p95_s"] <= 2, f"p95 {f['p95_s']:.2f} s")
            add("Inbyggda data, 50 sessioner: genomströmning ≥ 0,7× golvappens",
                f"{rows_[50]['throughput_vs_floor']:.2f}×", rows_[50]["throughput_vs_floor"] >= 0.7)
        syn = report["load"].get("synthetic")
        if syn:
            add(f"Toppminne för en process med {syn['rows'][-1]['sessions']} sessioner, syntetisk skala ≤ 1 GiB",
                f"{syn['peak_memory_mb']:.0f} MB", syn["peak_memory_mb"] <= 1024)
    if report.get("nginx"):
        r = report["nginx"]
        add(f"Två processer bakom nginx: ≥ 1,4× en process vid {r['sessions']} sessioner",
            f"{r['ratio']:.2f}× ({r['two_behind_nginx']['reruns_per_s']:.1f} mot {r['one_process']['reruns_per_s']:.1f}/s)",
            (r["ratio"] or 0) >= 1.4)
    return rows


def _reads_cell(reads: float | None, floor: float) -> str:
    """`; läsning ur databasen 0.084 s = 4.9×`: the page's own reads against the floor's run."""
    return f"; läsning ur databasen {reads:.3f} s = {reads / floor:.1f}×" if reads is not None and floor else ""


def format_all(report: dict) -> str:
    parts = [f"Uppmätt {report['measured_at']} · {report['machine']} · Python {report['python']}", ""]
    if "results" in report:
        parts += [format_table(report), ""]
    elif report.get("pages"):
        parts += [format_table(report["pages"]), ""]
    if report.get("warm"):
        parts += ["| sida | varm omkörning (median s) | golv | kvot |", "| --- | ---: | ---: | ---: |"]
        parts += [f"| {r['page']} | {r['warm_median_s']:.3f} | {r['floor_warm_median_s']:.3f} | {r['ratio_warm']:.1f} |"
                  for r in report["warm"]["results"]] + [""]
    if report.get("load"):
        parts += ["| data | sessioner | omkörningar/s | median ms | p95 ms | fel | golv/s | golv p95 ms | kvot mot golv |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for key, label in (("builtin", "inbyggda"), ("synthetic", "syntetisk")):
            for r in report["load"][key]["rows"]:
                a, f = r["app"], r["floor"]
                parts.append(f"| {label} | {r['sessions']} | {a['reruns_per_s']:.1f} | {a['median_s'] * 1000:.0f} | "
                             f"{a['p95_s'] * 1000:.0f} | {a['errors']} | {f['reruns_per_s']:.1f} | {f['p95_s'] * 1000:.0f} | "
                             f"{(r['throughput_vs_floor'] or 0):.2f} |")
        parts.append("")
    if report.get("nginx"):
        r = report["nginx"]
        parts += [f"nginx: {r['sessions']} sessioner, en process {r['one_process']['reruns_per_s']:.1f}/s "
                  f"(p95 {r['one_process']['p95_s'] * 1000:.0f} ms), två processer bakom nginx "
                  f"{r['two_behind_nginx']['reruns_per_s']:.1f}/s (p95 {r['two_behind_nginx']['p95_s'] * 1000:.0f} ms, "
                  f"fel {r['two_behind_nginx']['errors']}) = {(r['ratio'] or 0):.2f}×", ""]
    if report.get("profile"):
        parts += [f"Profil (skala {report['profile']['scale']}, omkörning efter filterbyte, cProfile):", "",
                  format_profile(report["profile"]), ""]
    if report.get("targets"):
        parts += ["| mål | uppmätt | golv | uppfyllt |", "| --- | --- | --- | --- |"]
        parts += [f"| {t['target']} | {t['measured']} | {t['floor'] or ''} | {'ja' if t['met'] else 'nej'} |"
                  for t in report["targets"]]
    return "\n".join(parts)


def format_table(report: dict) -> str:
    lines = [
        f"Skala: {report['scale']} · {report['counts']['units']} enheter · {report['counts']['rounds']} tillfällen · "
        f"{report['counts']['economy']} ekonomirader · {report['counts']['indicator_values']} indikatorvärden · "
        f"toppminne {report['peak_memory_mb']:.0f} MB",
        "",
        "| sida | första körning (median s) | golv | kvot | omkörning efter filterbyte (median s) | golv | kvot "
        "| omkörning utan ändring (median s) | × golvets filterbyte |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        same = r.get("unchanged_rerun_median_s")
        same_cells = (f"{same:.3f} | {same / r['floor_rerun_median_s']:.1f}" if same is not None else "– | –")
        lines.append(
            f"| {r['page']} | {r['first_run_median_s']:.3f} | {r['floor_first_run_median_s']:.3f} | "
            f"{r['ratio_first']:.1f} | {r['rerun_median_s']:.3f} | {r['floor_rerun_median_s']:.3f} | {r['ratio_rerun']:.1f} "
            f"| {same_cells} |"
        )
    lines += ["", "Golvet ritar sidans element – varje slag och antal, behållarna, widgetarna, st.html-blockens "
                  "storlek – vid första körningen och efter filterbytet, med konstanta data. Omkörning utan ändring: "
                  "samma sida med samma filter igen, allt den läser redan i cachen – det en omkörning kostar innan något "
                  "nytt läses; kvoten mot golvets omkörning efter filterbyte är den del av målet ≤ 10× som inga nya "
                  "data tar bort."]
    read = [r for r in report["results"] if r.get("rerun_reads_median_s") is not None]
    if read:
        lines += ["", "Läsning ur databasen (frågorna och deras tabeller vid cachemiss) i samma körningar:", "",
                  "| sida | första körning: läsning (s) | × golvets första körning | filterbyte: läsning (s) "
                  "| × golvets filterbyte |", "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['page']} | {r['first_run_reads_median_s']:.3f} | "
                  f"{r['first_run_reads_median_s'] / r['floor_first_run_median_s']:.1f} | "
                  f"{r['rerun_reads_median_s']:.3f} | {r['rerun_reads_median_s'] / r['floor_rerun_median_s']:.1f} |"
                  for r in read]
    thin = [r for r in report["results"] if r.get("thin_floor_rerun_median_s")]
    if thin:
        lines += ["", "Som jämförelse golvet i tidigare omgångar, bara sidans mått, tabeller och diagram:", "",
                  "| sida | golv första körning | kvot | golv filterbyte | kvot |", "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['page']} | {r['thin_floor_first_run_median_s']:.3f} | "
                  f"{r['first_run_median_s'] / r['thin_floor_first_run_median_s']:.1f} | "
                  f"{r['thin_floor_rerun_median_s']:.3f} | {r['rerun_median_s'] / r['thin_floor_rerun_median_s']:.1f} |"
                  for r in thin]
    return "\n".join(lines)
