"""A table shown through cached_data_table (ui/tables.py: frame, text, column plan and Arrow table
kept per data version) sends exactly what data_table sends: the same Arrow bytes, column order and
column config, the same "Fler kolumner" table (sent once the box is opened), on the screen and on
a projector, on the first run and from the cache."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SCRIPT = '''
import pandas as pd
import streamlit as st
from dashboard.ui.projector import PROJECTOR_KEY
from dashboard.ui.tables import cached_data_table, data_table

st.session_state[PROJECTOR_KEY] = st.session_state.get("projector_flag", False)
wide = pd.DataFrame({"Indikator": ["Chefsindex", "E-handelstrohet, %", "Väntetid i antal dagar"],
                     "Avser": ["IAF", "Arbetsmarknadsförvaltningen, med en mycket lång beskrivning", "Hela nämnden"],
                     "Senaste värde": ["69", "83,5 %", None], "Målvärde": ["≥ 74,6", "≥ 95 %", "≤ 30"],
                     "Status": ["✕ Når inte målvärdet", "✕ Når inte målvärdet", "– Värde saknas (I.U.)"],
                     "Period": ["Augusti 2023", "Augusti 2023", "Augusti 2023"]})
narrow = pd.DataFrame({"Namn": ["Mål 1", "Mål 2"], "Delår 2 2023-08-31": ["◐ Uppnås delvis", float("nan")]})
for name, frame, answer, budget in (("wide", wide, ["Senaste värde", "Målvärde", "Status"], 440),
                                    ("narrow", narrow, [], 740), ("empty", pd.DataFrame(), [], 740)):
    data_table(frame, answer=answer, budget=budget, key=f"direct_{name}")
    cached_data_table(("test", name), lambda frame=frame: frame, answer=answer, budget=budget, key=f"cached_{name}")
'''


def _tables(at):
    protos = [d.proto for d in at.dataframe]
    return [(p.arrow_data.data, list(p.column_order), p.columns) for p in protos]


def test_cached_table_sends_what_data_table_sends(monkeypatch, tmp_path):
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    from dashboard.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    st.cache_resource.clear()
    try:
        for projector in (False, True):
            at = AppTest.from_string(SCRIPT, default_timeout=60)
            at.session_state["projector_flag"] = projector
            at.run()  # "Fler kolumner" closed: its table is not sent, by either helper
            assert not at.exception, [e.value for e in at.exception]
            assert len(_tables(at)) == 6
            assert [e.label for e in at.expander] == ["Fler kolumner (Avser, Period)"] * 2  # the boxes are there
            at.session_state["direct_wide_more"] = True  # what the browser sends when a box is opened
            at.session_state["cached_wide_more"] = True
            for _ in range(2):  # the second run comes from the cache
                at.run()
                assert not at.exception, [e.value for e in at.exception]
                tables = _tables(at)
                # wide: default + "Fler kolumner" each; narrow and empty: one each
                assert len(tables) == 8
                assert '"Senaste v' in tables[0][2]  # the column config is sent
                assert len(tables[1][1]) > len(tables[0][1])  # "Fler kolumner" has the whole table
                pairs = [(tables[0], tables[2]), (tables[1], tables[3]), (tables[4], tables[5]), (tables[6], tables[7])]
                for a, b in pairs:
                    assert a == b
                assert at.dataframe[4].value.equals(at.dataframe[5].value)
                assert "–" in at.dataframe[5].value.iloc[1].to_list()  # a missing value is "–", never nan
    finally:
        st.cache_resource.clear()


PARTS_SCRIPT = '''
import pandas as pd
import streamlit as st
from dashboard import views
from dashboard.data import indicator_status, q
from dashboard.ui.projector import PROJECTOR_KEY
from dashboard.ui.tables import cached_data_table, prepared, send_table, table_parts

st.session_state[PROJECTOR_KEY] = st.session_state.get("projector_flag", False)
answer = ["Senaste värde", "Målvärde", "Status"]
checked = []
for namnd_id in q("namnder")["namnd_id"]:
    for round_id in q("rounds", int(namnd_id))["round_id"]:
        status = indicator_status(int(round_id))
        rows = status[status["gender"] == "T"] if len(status) else status
        if not len(rows):
            continue
        # Mål's goal tables: every goal's rows of one prepared frame
        whole = prepared(views.goal_indicator_table(rows))
        goals = rows["goal_id"].to_numpy()
        budget = 1110 if st.session_state[PROJECTOR_KEY] else 740
        parts = table_parts(whole, goals, answer, budget, st.session_state[PROJECTOR_KEY])
        expected = [g for g in dict.fromkeys(goals.tolist()) if g == g]
        assert list(parts) == expected, (list(parts), expected)
        for gid, part in whole.groupby(goals, sort=False):
            own = part.reset_index(drop=True)
            # each part as a table of its own, and as table_parts made it: pairs of elements
            cached_data_table(("parts-test", int(round_id), gid), lambda own=own: own, answer=answer,
                              budget=740, key=f"own_{round_id}_{gid}")
            send_table(parts[gid], key=f"part_{round_id}_{gid}")
            checked.append((int(round_id), gid, len(own)))
st.session_state["checked"] = checked
'''


def _arrow(data: bytes):
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def _goal_parts(url: str, monkeypatch, projector: bool) -> list:
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    st.cache_resource.clear()
    try:
        at = AppTest.from_string(PARTS_SCRIPT, default_timeout=300)
        at.session_state["projector_flag"] = projector
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        tables = _tables(at)
        assert len(tables) == 2 * len(at.session_state["checked"])
        for own, part in zip(tables[0::2], tables[1::2], strict=True):
            # the same table – columns, types, values and pandas' schema metadata – as the browser
            # reads it from the Arrow bytes, the same column order and the same column config. (The
            # bytes themselves differ: a part converted on its own carries the buffers of the
            # pandas columns it was cut from, one taken from the whole table only its own rows.)
            assert _arrow(part[0]).equals(_arrow(own[0]), check_metadata=True)
            assert part[1:] == own[1:]
        return at.session_state["checked"]
    finally:
        st.cache_resource.clear()


def test_goal_tables_made_in_one_pass_send_what_each_table_sends(sqlite_builtin_url, monkeypatch, tmp_path):
    """Mål's goal tables planned and converted in one pass (ui/tables.table_parts) send, table by
    table, what cached_data_table sends for the goal's rows alone: on every round of the built-in
    reports and of the bench's small synthetic kommun (figures, "–", widths from long names), on
    the screen and on a projector."""
    from dashboard import bench
    from dashboard.db import make_engine, upgrade
    from dashboard.indicator_status import backfill

    checked = _goal_parts(sqlite_builtin_url, monkeypatch, False)
    assert len(checked) >= 10 and any(n > 1 for *_, n in checked)
    assert _goal_parts(sqlite_builtin_url, monkeypatch, True) == checked
    url = f"sqlite:///{tmp_path / 'synthetic.db'}"
    engine = make_engine(url)
    upgrade(engine)
    bench.generate(engine, bench.SCALES["small"])
    backfill(engine)  # the stored status rows, as init-db writes them
    engine.dispose()
    synthetic = _goal_parts(url, monkeypatch, False)
    assert len(synthetic) >= 20
