"""Volymer: the report's volume measures with outcome, forecast and previous year."""

import streamlit as st

from dashboard import downloads
from dashboard import targets as tg
from dashboard import views
from dashboard.data import derive, q
from dashboard.textsafe import md, text_block
from dashboard.ui import context, download_about, indicator_cards, table_downloads, stop_page
from dashboard.ui.tables import data_table

ctx = context()
st.title(ctx.title("Volymer"))
st.caption(f"{ctx.choice_line()} · volymtal: utfall, prognos och föregående år")
indicators = q("indicators", ctx.round_id)
values = q("indicator_values", ctx.round_id)
# the report's Volymutveckling table: its own measures, and nämndindikatorer it prints there too
values = views.values_of_table(values, indicators, "volymtal", "Volymutveckling")
kind = indicators[indicators["indicator_id"].isin(set(values["indicator_id"]))] if len(values) else indicators.head(0)
if values.empty:
    st.info("Tillfället redovisar inga volymtal.")
    stop_page()
targets = q("indicator_targets", ctx.round_id)
status = derive(tg.latest_status, indicators, values, targets)
wide = derive(views.indicator_wide, indicators, values, status)
data_table(wide, answer=["Status", "Målvärde"], key="vol_table")
stem = downloads.file_stem("volymer", ctx.namnd_code, ctx.period_end.isoformat())
table_downloads(lambda: downloads.indicators(indicators, values, status, stem, download_about(ctx, with_amounts=False)),
                "vol_dl", name=stem)
comments = q("commentary", ctx.round_id)
for c in comments[comments["section"] == "volymer"].itertuples() if len(comments) else []:
    st.info(text_block(c.body), icon=":material/comment:")
indicator_cards(kind, values, targets, status, {"T"})
