"""Personal: staff figures per förvaltning against target."""

import streamlit as st

from dashboard import downloads
from dashboard import targets as tg
from dashboard import views
from dashboard import viewstate as vs
from dashboard.ui import navigation as nav
from dashboard.ui import stop_page
from dashboard.data import derive, q
from dashboard.textsafe import md, text_block
from dashboard.ui import context, download_about, indicator_cards, table_downloads
from dashboard.ui.projector import settings
from dashboard.ui.tables import data_table

ctx = context()
st.title(ctx.title("Personal"))
st.caption(f"{ctx.choice_line()} · personal per förvaltning mot målvärde")
indicators = q("indicators", ctx.round_id)
values = q("indicator_values", ctx.round_id)
# the report's Personal table: its own measures, and nämndindikatorer it prints there too
values = views.values_of_table(values, indicators, "personal", "Personal")
kind = indicators[indicators["indicator_id"].isin(set(values["indicator_id"]))] if len(values) else indicators.head(0)
if values.empty:
    st.info("Tillfället redovisar inga personalmått.")
    stop_page()
targets = q("indicator_targets", ctx.round_id)
values, targets = views.indicator_scope(values, targets, ctx.scope_unit_ids() if ctx.scope else None)
status = derive(tg.latest_status, indicators, values, targets)
kon = nav.view().personal.kon
changed, value = nav.widget("pers_gender", vs.GENDERS[kon], list(views.GENDER_CHOICES))
if changed:
    nav.update_page(personal=vs.Personal({v: k for k, v in vs.GENDERS.items()}[value]))
with settings():  # on a projector: inside Inställningar (ui/projector.py)
    split = st.segmented_control("Kön", list(views.GENDER_CHOICES), key="pers_gender", required=True)
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
