"""Importera: a template to start from, upload a workbook, see the same check as `check` and what
the import adds, replaces and removes, confirm (by name, when an adopted round would lose
something), import, and follow the link to the round; versions to restore and the import log."""

import datetime as dt
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard import formatting as fmt
from dashboard.data import q
from dashboard.importing import check_path, import_log, import_path, restore, round_versions
from dashboard.importing.dump import template_sheets
from dashboard.importing.reader import MAX_FILE_BYTES
from dashboard.importing.workbook import write_template
from dashboard.textsafe import md
from dashboard.ui import access, projector, stop_page

acc = access()
st.title("Importera en uppföljning")
if not acc.can_import_anything:  # the page is not in the menu then; a typed URL lands here
    st.error("Du har inte behörighet att läsa in uppgifter.")
    stop_page()
if projector():  # nothing to import in front of a nämnd: the audience sees no file controls
    st.info("Importen görs utanför presentationsläget. Avsluta presentationsläget med knappen överst.",
            icon=":material/info:")
    stop_page()
user = acc.identity or "lokal användare"
st.caption("En arbetsbok per nämnd och uppföljningstillfälle, i formatet i docs/import-format.md (steg för "
           "steg: docs/kom-igang.md). Filen kontrolleras först; ingenting ändras förrän du bekräftar, en fil "
           "med fel ändrar ingenting, och varje tidigare version sparas och kan återställas.")

namnder = q("namnder")
labels = {(r.kommun_code, r.namnd_code): f"{r.kommun_name} – {r.namnd_name}" for r in namnder.itertuples()}


def _template_bytes(key: tuple[str, str] | None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="dashboard-mall-") as folder:
        path = Path(folder) / "mall.xlsx"
        write_template(path, template_sheets(data.engine(), *key) if key else None)
        return path.read_bytes()


with st.expander("Importmall", icon=":material/description:"):
    # "" (not None) for the empty template: a select holding None shows its placeholder, not "Tom mall"
    choice = st.selectbox("Fyll i organisationen från", ["", *labels], key="imp_template_for",
                          format_func=lambda k: labels.get(k, "Tom mall")) or None
    name = "importmall.xlsx" if choice is None else f"importmall_{choice[0]}_{choice[1]}.xlsx"
    st.download_button("Ladda ned mallen (Excel)", _template_bytes(choice), name,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="imp_template_dl", on_click="ignore")
    st.caption("Med en nämnd vald står dess senaste fastställda organisation och ekonomiradernas enheter redan i "
               "mallen; bladet Organisation kan också lämnas bort helt.")

ERRORS_UNBOXED = 15  # more errors than this scroll in a box of their own
CHANGES_SHOWN = 8  # changed rows named in the preview's list; the rest in "Alla ändrade rader"
LIMIT_MB = MAX_FILE_BYTES // (1024 * 1024)  # also .streamlit/config.toml server.maxUploadSize
upload = st.file_uploader(
    "Arbetsbok (.xlsx)", type=["xlsx"], key="imp_file",
    help=f"Högst {LIMIT_MB} MB per fil (en nämnds arbetsbok är normalt under 1 MB). Filen får vara högst "
         "60 MB uppackad, ha högst 40 blad, 20 000 rader per blad och 32 767 tecken per cell, och inga dolda "
         "blad eller dolda rader med innehåll.",
)
st.caption(f"Största fil: {LIMIT_MB} MB. Gränserna och varför står i README, avsnittet Drift.")


def _with_file(action):
    """Run `action(path)` on a private copy of the upload that is deleted right after."""
    with tempfile.TemporaryDirectory(prefix="dashboard-upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        return action(path)


def _versions_and_log(kommun: str, namnd: str, period_end: dt.date, status: str | None, forv: str | None) -> None:
    versions = round_versions(data.engine(), kommun, namnd, period_end)
    if not versions:
        return
    st.markdown("#### Sparade versioner av tillfället")
    st.dataframe(pd.DataFrame([{
        "Version": str(v["version"]) + (" (gällande)" if v["current"] else ""),
        "Inläst": v["created_at"].strftime("%Y-%m-%d %H:%M") if v["created_at"] else "",
        "Av": v["user_name"] or "", "Fil": v["file_name"] or "", "Status": v["status"],
        "Anteckning": v["note"] or "",
    } for v in versions]), hide_index=True, width="stretch")
    older = [v for v in versions if not v["current"]]
    if older and acc.can_import(kommun, namnd, forv, status, (status, forv)):
        c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
        pick = c1.selectbox("Återställ version", [v["version"] for v in older], key="imp_restore_pick")
        if c2.button(f"Återställ version {pick}", icon=":material/history:", key="imp_restore"):
            result = restore(data.engine(), kommun, namnd, period_end, int(pick), user=user)
            if result.unchanged:
                st.info(f"Version {pick} har samma innehåll som den gällande version {result.version}; ingenting ändrades.")
            elif result.ok:
                st.success(f"Version {pick} är återställd och gäller nu (sparad som version {result.version}).")
            else:
                for p in result.errors:
                    st.error(md(str(p)))


def _log_table() -> None:
    rows = import_log(data.engine(), limit=20)
    if not rows:
        return
    with st.expander("Importloggen (de 20 senaste)", icon=":material/list_alt:"):
        # st.table wraps: what an import changed is a sentence or more, never cut in a cell
        st.table(pd.DataFrame([{
            "Tid": r["tid"].strftime("%Y-%m-%d %H:%M") if r["tid"] else "", "Utfall": r["utfall"],
            "Användare": r["användare"] or "", "Fil": r["fil"],
            "Tillfälle": " ".join(str(x) for x in (r["kommun"], r["nämnd"], r["tillfälle"]) if x),
            "Version": "" if r["version"] is None else str(r["version"]),
            "Ändringar": r["ändringar"] or (f"{r['fel']} fel" if r["fel"] else ""),
        } for r in rows]), hide_index=True)


if upload is None:
    _log_table()
    stop_page()

# The check runs once per uploaded file and data version, not on every rerun.
check_key = ("imp_check", upload.file_id, data.refresh_version())
if st.session_state.get("imp_check_key") != check_key:
    if (st.session_state.get("imp_check_key") or (None, None))[1] != upload.file_id:
        st.session_state.pop("imp_done", None)  # a new file: nothing imported from it yet
    st.session_state["imp_check_key"] = check_key
    st.session_state["imp_check"] = _with_file(lambda path: check_path(path, data.engine()))
report, parsed = st.session_state["imp_check"]
seen_key = f"imp_logged_{upload.file_id}"

if report.errors:
    st.error(f"**{fmt.number(len(report.errors))} fel – filen läses inte in och ingenting ändras.**")
    # A list, not a table: each message (where, the value, what was expected, the fix) is a whole
    # Swedish sentence that a table cell would cut. A long list scrolls in its own box.
    with st.container(height=560 if len(report.errors) > ERRORS_UNBOXED else "content", border=False):
        st.markdown("\n".join(f"- {md(str(p))}" for p in report.errors))
    if seen_key not in st.session_state:  # log the refusal once, not on every rerun
        _with_file(lambda path: import_path(data.engine(), path, dry_run=True, user=user))
        st.session_state[seen_key] = True
    _log_table()
    stop_page()

rnd = parsed.round
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
        _with_file(lambda path: import_path(data.engine(), path, dry_run=True, user=user))
        st.session_state[seen_key] = True
    stop_page()

plan = report.plan
if plan is not None and plan.kommun_rename and not acc.is_admin:
    st.error(f"Kommunen heter «{md(plan.kommun_rename[0])}» i databasen och filen skriver «{md(plan.kommun_rename[1])}». "
             "Bara en administratör kan byta kommunens namn: rätta namnet i bladet Tillfälle.")
    stop_page()

done = st.session_state.get("imp_done")
if done is None:
    st.success(f"Filen är giltig: {md(report.summary)}")
if report.unchanged and done is None:  # the same content again: say so, and offer nothing to write
    # (after an import from this file the re-check finds it identical too: then "Importen är klar" below)
    st.info(md(plan.lines()[0]), icon=":material/check_circle:")
    _versions_and_log(rnd["kommun_code"], rnd["namnd_code"], rnd["period_end"], rnd["status"], rnd.get("forvaltning_key"))
    _log_table()
    stop_page()
if report.warnings:  # they do not stop the import: one box, the details on demand
    n = len(report.warnings)
    with st.expander(f"{fmt.number(n)} {'varning' if n == 1 else 'varningar'} – sparas som filen skriver",
                     icon=":material/warning:", expanded=n == 1):
        for w in report.warnings:
            st.markdown(f"- {md(str(w))}")

if done is None:
    st.markdown("#### Det här händer med databasen")
    if plan is not None:
        # A changed row is a nested item under "Ändras: …"; the first CHANGES_SHOWN here, all below.
        st.markdown("\n".join(f"  - {md(line[4:])}" if line.startswith("  – ") else f"- {md(line)}"
                              for line in plan.lines(limit=CHANGES_SHOWN)))
        if len(plan.changes) > CHANGES_SHOWN:
            with st.expander(f"Alla ändrade rader ({fmt.number(len(plan.changes))})", icon=":material/list:"):
                st.markdown("\n".join(f"- {md(line)}" for line in plan.changes))
    if report.notes:
        with st.expander(f"Nycklar och organisation ({fmt.number(len(report.notes))})"):
            for note in report.notes:
                st.markdown(f"- {md(note)}")
    c1, c2 = st.columns(2)
    c1.dataframe(pd.DataFrame({"Blad": list(report.row_counts), "Rader": [fmt.number(v) for v in report.row_counts.values()]}),
                 hide_index=True, width="stretch")

    confirm = False
    label, kind = "Läs in", "primary"
    if plan is not None and plan.needs_confirmation:
        st.warning("**Bekräfta:** " + md(" och ".join(plan.confirm_reasons).capitalize()) + ". Det som tas bort "
                   "står i listan ovan; den nuvarande versionen sparas och kan återställas här nedan.",
                   icon=":material/warning:")
        rows_gone = sum(len(v) for v in plan.removed.values()) + sum(plan.removed_sections.values())
        emptied = len(plan.not_reported)
        confirm = st.checkbox(f"Jag vill ersätta {rnd['kind']} {rnd['period_end'].isoformat()}"
                              + (f" och ta bort {fmt.number(rows_gone)} {'rad' if rows_gone == 1 else 'rader'}" if rows_gone else "")
                              + (f" och tömma {fmt.number(emptied)} {'uppgift' if emptied == 1 else 'uppgifter'}" if emptied else "")
                              + (" med ett utkast" if plan.status_change else "")
                              + (" och byta kommunens namn" if plan.kommun_rename else ""), key="imp_confirm_box")
        label, kind = "Ersätt tillfället", "primary"
    if st.button(label, type=kind, icon=":material/upload:", key="imp_confirm",
                 disabled=bool(plan is not None and plan.needs_confirmation and not confirm)):
        with st.status("Läser in …", expanded=True) as progress:
            st.write("Kontrollerar filen igen och skriver allt i en transaktion …")
            result = _with_file(lambda path: import_path(data.engine(), path, user=user, confirm=confirm,
                                                         allow_kommun_rename=acc.is_admin))
            st.session_state[seen_key] = True
            if result.ok:
                progress.update(label="Importen är klar.", state="complete")
                st.session_state["imp_done"] = result
            else:
                progress.update(label="Importen avvisades – ingenting ändrades.", state="error")
        if result.ok:
            st.rerun()
        for p in result.errors:
            st.error(md(str(p)))

if done is not None:
    k, n, end = done.round_key
    st.success(f"Importen är klar: {md(report.summary)} Sparad som version {done.version}.")
    # A markdown link with the page's path: st.page_link writes the default page (Översikt, "/") as a
    # bare "?kommun=…", which the browser resolves against /importera when the link is opened in a new
    # tab or copied. "./" is the app's root, also behind a proxy path.
    address = "./?" + urlencode({"kommun": k, "namnd": n.lower() if n == "KOMMUN" else n, "tillfalle": end.isoformat()})
    st.markdown(f":material/arrow_forward: [Öppna {md(rnd['namnd_name'])}, {md(rnd['kind'])} {end.isoformat()}]"
                f"({address}) (Översikt, öppnas i en ny flik)")

_versions_and_log(rnd["kommun_code"], rnd["namnd_code"], rnd["period_end"], rnd["status"], rnd.get("forvaltning_key"))
_log_table()
