"""Personal: staff figures per förvaltning against target."""

import streamlit as st

from dashboard import downloads
from dashboard import targets as tg
from dashboard import views
from dashboard.data import derive, q
from dashboard.textsafe import md, text_block
from dashboard.ui import context, download_about, indicator_cards, table_downloads
from dashboard.ui.tables import data_table

ctx = context()
st.title(ctx.title("Personal"))
st.caption(f"{md(ctx.round_label)} · personal per förvaltning mot målvärde")
indicators = q("indicators", ctx.round_id)
values = q("indicator_values", ctx.round_id)
# the report's Personal table: its own measures, and nämndindikatorer it prints there too
values = views.values_of_table(values, indicators, "personal", "Personal")
kind = indicators[indicators["indicator_id"].isin(set(values["indicator_id"]))] if len(values) else indicators.head(0)
if values.empty:
    st.info("Tillfället redovisar inga personalmått.")
    st.stop()
targets = q("indicator_targets", ctx.round_id)
values, targets = views.indicator_scope(values, targets, ctx.scope_unit_ids() if ctx.scope else None)
status = derive(tg.latest_status, indicators, values, targets)
split = st.segmented_control("Kön", list(views.GENDER_CHOICES), default="Totalt", key="pers_gender",
                             required=True)
genders = views.GENDER_CHOICES[split or "Totalt"]
shown = values[values["gender"].isin(genders)]
wide = derive(views.indicator_wide, indicators, shown, status)
data_table(wide, answer=["Status", "Målvärde"], key="pers_table")
stem = downloads.file_stem("personal", ctx.namnd_code, ctx.period_end.isoformat())
table_downloads(lambda: downloads.indicators(indicators, shown, status, stem, download_about(ctx, with_amounts=False)),
                "pers_dl", name=stem)
comments = q("commentary", ctx.round_id)
for c in comments[comments["section"] == "personal"].itertuples() if len(comments) else []:
    st.info(text_block(c.body), icon=":material/comment:")
indicator_cards(kind[kind["indicator_id"].isin(values["indicator_id"])], values, targets, status, genders)
