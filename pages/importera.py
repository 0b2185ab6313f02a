"""Importera: upload a workbook, see the same validation as `check`, preview, confirm, import."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.data import q
from dashboard.importing import check_path, import_path
from dashboard.textsafe import md
from dashboard.ui import access

acc = access()
st.title("Importera en uppföljning")
if not acc.can_import_anything:  # the page is not in the menu then; a typed URL lands here
    st.error("Du har inte behörighet att läsa in uppgifter.")
    st.stop()
st.caption("En arbetsbok per nämnd och uppföljningstillfälle, i formatet i docs/import-format.md "
           "(tom mall: `python -m dashboard template mall.xlsx`). Filen kontrolleras först; ingenting "
           "ändras förrän du bekräftar, och en fil med fel ändrar ingenting.")

upload = st.file_uploader("Arbetsbok (.xlsx)", type=["xlsx"], key="imp_file")
if upload is None:
    st.stop()

# One copy of the upload per session (replaced by the next upload), not one per rerun.
folder = Path(st.session_state.setdefault("imp_dir", tempfile.mkdtemp(prefix="dashboard-upload-")))
for old in folder.glob("*"):
    old.unlink()
path = folder / Path(upload.name).name
path.write_bytes(upload.getvalue())
report, parsed = check_path(path)
seen_key = f"imp_logged_{upload.file_id}"

if not report.ok:
    st.error(f"**{len(report.errors)} fel – filen läses inte in och ingenting ändras.**")
    st.dataframe(pd.DataFrame([{"Blad": p.sheet or "", "Rad": p.row or "", "Kolumn": p.column or "",
                                "Värde": "" if p.value is None else str(p.value), "Fel": str(p)} for p in report.errors]),
                 hide_index=True, width="stretch")
    if seen_key not in st.session_state:  # log the refusal once, not on every rerun
        import_path(data.engine(), path, dry_run=True, user=acc.identity or "lokal användare")
        st.session_state[seen_key] = True
    st.stop()

rnd = parsed.round
namnder = q("namnder")
existing = namnder[(namnder["kommun_code"] == rnd["kommun_code"]) & (namnder["namnd_code"] == rnd["namnd_code"])]
same = None
if len(existing):
    rounds = q("rounds", int(existing.iloc[0]["namnd_id"]))
    same = rounds[rounds["period_end"] == rnd["period_end"]]
current = (same.iloc[0]["status"], same.iloc[0]["forvaltning_key"]) if same is not None and len(same) else None
if not acc.can_import(rnd["kommun_code"], rnd["namnd_code"], rnd.get("forvaltning_key"), rnd["status"], current):
    st.error(f"Du har inte behörighet att läsa in detta tillfälle för {md(rnd['namnd_name'])} ({md(rnd['kommun_name'])}): "
             "en förvaltnings redaktör får bara läsa in och ersätta sin egen förvaltnings utkast.")
    if seen_key not in st.session_state:
        import_path(data.engine(), path, dry_run=True, user=acc.identity or "lokal användare")
        st.session_state[seen_key] = True
    st.stop()

st.success(f"Filen är giltig: {md(report.summary)}")
for w in report.warnings:
    st.warning(md(str(w)))

# Preview: which round is added or replaced, row counts, the headline figures before and after.
before = None
if same is not None and len(same):
    units = q("units", int(same.iloc[0]["round_id"]))
    econ = q("economy", int(same.iloc[0]["round_id"]))
    root = units[units["parent_id"].isna()]
    row = econ[econ["unit_id"].isin(root["unit_id"])]
    before = row.iloc[0].to_dict() if len(row) else {}
    if same.iloc[0]["amount_unit"] != rnd["amount_unit"]:  # compare in the new file's unit
        factor = {"tkr": 1, "mnkr": 1000}[same.iloc[0]["amount_unit"]] / {"tkr": 1, "mnkr": 1000}[rnd["amount_unit"]]
        before = {k: (v * factor if isinstance(v, int | float) and k != "unit_id" else v) for k, v in before.items()}
action = "ersätter det befintliga tillfället" if before is not None else "läggs till som nytt tillfälle"
status = "utkast" + (f" för {rnd['forvaltning_key'].upper()}" if rnd.get("forvaltning_key") else "") \
    if rnd["status"] == "utkast" else "fastställd"
st.markdown(f"**{md(rnd['kind'])} {rnd['period_end'].isoformat()}** {action} ({md(status)}).")
root_key = next(u["key"] for u in parsed.sheets["Organisation"] if not u["parent"])
after = next((e for e in parsed.sheets.get("Ekonomi", []) if e["unit"] == root_key), {})
from dashboard import formatting as fmt  # noqa: E402

unit, dec = rnd["amount_unit"], rnd["decimals"]
figures = pd.DataFrame([
    {"Uppgift": label,
     "Före": "–" if before is None else fmt.amount(before.get(field), unit, dec, signed=signed),
     "Efter": fmt.amount(after.get(field), unit, dec, signed=signed)}
    for field, label, signed in (("budget_year", "Budget helår", False), ("actual_period", "Utfall period", False),
                                 ("forecast_deviation", "Prognosavvikelse helår", True),
                                 ("forecast_net", "Prognos helår", False))
])
c1, c2 = st.columns(2)
c1.dataframe(figures, hide_index=True, width="stretch")
c2.dataframe(pd.DataFrame({"Blad": list(report.row_counts), "Rader": list(report.row_counts.values())}),
             hide_index=True, width="stretch")

if st.button("Läs in", type="primary", icon=":material/upload:", key="imp_confirm"):
    with st.status("Läser in …", expanded=True) as progress:
        st.write("Kontrollerar filen igen och skriver allt i en transaktion …")
        result = import_path(data.engine(), path, user=acc.identity or "lokal användare")
        st.session_state[seen_key] = True
        if result.ok:
            progress.update(label="Importen är klar.", state="complete")
        else:
            progress.update(label="Importen avvisades – ingenting ändrades.", state="error")
    if result.ok:
        st.success(f"Importen är klar: {md(report.summary)} Uppgifterna syns i alla vyer.")
    else:
        for p in result.errors:
            st.error(md(str(p)))
