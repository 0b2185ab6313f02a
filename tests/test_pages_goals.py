"""Mål, Uppdrag and Internkontroll as a reader sees them, and the change list across rounds."""

from __future__ import annotations

import builders as b
from dashboard import followup, queries
from dashboard.textsafe import unescape
from dashboard.importing import import_path
from test_pages import app, texts  # noqa: F401  (fixture and helper shared with the page tests)


def badges(at) -> str:
    return unescape("\n".join(m.value for m in at.markdown))


def test_lulea_goals_with_their_activities(app):  # noqa: F811
    at = app("mal", kommun="2580", namnd="AGN")
    page = badges(at)
    for goal in ("Utveckla de arbetsprocesser som gör att fler individer fullföljer utbildningen",
                 "Kartlägga befintlig branschrådsstruktur och identifiera utvecklingsmöjligheter",
                 "Identifiera hur kommunens utbildningskapacitet bättre kan matcha"):
        assert goal in page
    assert page.count("Ej angiven i rapporten") >= 4  # the 3 goals (icons lost) + the strip
    assert "✓ Klar</span> &nbsp; Skapa en nulägesbeskrivning" in page
    assert ("○ Väntande</span> &nbsp; Förstärkt dialog mellan de fristående gymnasieskolorna, "
            "vuxenutbildningen och KAA") in page
    assert "Ej bedömd" not in page  # not reported is not "not assessed"


def test_linkoping_goal_assessments(app):  # noqa: F811
    at = app("mal", kommun="0580", namnd="AMN", alla="1")  # every goal, also those on track
    page = badges(at)
    assert "✓ Uppnås</span> &nbsp; **Trygghet och Inflytande**" in page
    assert "◐ Uppnås delvis</span> &nbsp; **Hög egenförsörjningsgrad**" in page
    assert any(h.value == "Målområde Medborgare" or "Medborgare" in h.value for h in at.header)
    # indicators attached to the goal, with their latest value against target
    tables = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "Antal utbetalningshushåll, utfall per sista månad" in tables and "2 200" in tables.replace("\u00a0", " ")


def test_goal_filters_search_and_off_track(app):  # noqa: F811
    at = app("mal", kommun="0580", namnd="AMN")
    at.text_input(key="mal_search").input("SFI").run()
    page = badges(at)
    assert "Kunskap & kompetens" in page and "Hög avtalstrohet" not in page
    at.text_input(key="mal_search").input("").run()
    at.toggle(key="mal_off_track").set_value(True).run()
    page = badges(at)
    assert "Hög egenförsörjningsgrad" in page and "**Trygghet och Inflytande**" not in page


def test_uppdrag_page(app):  # noqa: F811
    at = app("uppdrag", kommun="0580", namnd="AMN")
    page = badges(at)
    assert ("◔ Kvarstår</span> &nbsp; Samtliga nämnder ska i enlighet med de politiska styrdokumenten "
            "prioritera, avsätta resurser och genomföra åtgärder inom ekologisk hållbarhet") in page
    assert [s.value for s in at.subheader][:2] == ["Kommungemensamma uppdrag", "Nämndspecifika uppdrag"]


def test_internkontroll_risk_values(app):  # noqa: F811
    at = app("internkontroll", kommun="2580", namnd="AGN")
    risks = at.dataframe[0].value
    row = risks[risks["Risk"] == "Välfärdsbrottslighet"].iloc[0]
    assert (row["Sannolikhet"], row["Konsekvens"], row["Riskvärde"], row["Bedömning"]) == ("4", "3", "12", "kritisk")
    gdpr = risks[risks["Risk"].str.startswith("Gallring")].iloc[0]
    assert gdpr["Riskvärde"] == "16 (beräknat)"
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")


def test_change_list_compares_only_what_both_rounds_reported(empty_engine, tmp_path):
    april = b.base()
    april["Mål"].append(["m2", "nämndmål", "Nöjdare elever", None, "Uppnås", None, None])
    april["Mål"].append(["m3", "nämndmål", "Bättre lokaler", None, "Uppnås delvis", None, None])
    april["Mål"].append(["m4", "nämndmål", "Bara i april", None, "Uppnås", None, None])
    april["Aktiviteter"].append(["a2", "aktivitet", "Enkät", "m2", "Klar", None, None])
    august = b.base()
    b.set_cell(august, "Tillfälle", 2, "Typ", "Delår 2")
    b.set_cell(august, "Tillfälle", 2, "Periodslut", "2025-08-31")
    b.set_cell(august, "Mål", 2, "Bedömning", "Uppnås")  # m1: delvis -> uppnås (better)
    august["Mål"].append(["m2", "nämndmål", "Nöjdare elever", None, "Uppnås ej", None, None])  # 2 steps worse
    august["Mål"].append(["m3", "nämndmål", "Bättre lokaler", None, "Uppnås ej", None, None])  # 1 step worse
    august["Mål"].append(["m5", "nämndmål", "Bara i augusti", None, "Uppnås ej", None, None])  # new: no change
    august["Aktiviteter"].append(["a2", "aktivitet", "Enkät", "m2", None, None, None])  # not reported in August
    b.set_cell(august, "Aktiviteter", 2, "Status", "Väntande")  # a1: pågående -> väntande (worse)
    assert import_path(empty_engine, b.write_xlsx(april, tmp_path / "apr.xlsx")).ok
    assert import_path(empty_engine, b.write_xlsx(august, tmp_path / "aug.xlsx")).ok
    namnd_id = int(queries.namnder(empty_engine).iloc[0]["namnd_id"])
    rounds = queries.rounds(empty_engine, namnd_id)
    aug_id, apr_id = int(rounds.iloc[0]["round_id"]), int(rounds.iloc[1]["round_id"])

    goals = followup.changes(queries.goal_history(empty_engine, namnd_id), aug_id, apr_id, "goal")
    assert list(goals["name"]) == ["Nöjdare elever", "Bättre lokaler", "Fler klarar utbildningen"]
    assert list(goals["direction"]) == ["sämre", "sämre", "bättre"]
    assert list(goals["word"]) == ["Uppnås ej", "Uppnås ej", "Uppnås"]
    acts = followup.changes(queries.activity_history(empty_engine, namnd_id), aug_id, apr_id, "activity")
    assert list(acts["name"]) == ["Kartlägga flöden"]  # Enkät had no status in August: not a change
    history = followup.history_table(queries.goal_history(empty_engine, namnd_id), "goal")
    assert history.set_index("Namn").loc["Bara i april"].iloc[-1] == "– ej rapporterad"


def test_goal_history_is_made_when_its_box_is_opened(app):  # noqa: F811
    """Mål's "Historik" box reruns the page when opened (on_change="rerun"): closed, its tables over
    every round are neither made nor sent; opened, the nämndmål's assessment per round is there
    (Luleå's two rounds, Delår 1 and Delår 2 2024, as columns)."""
    at = app("mal", kommun="2580", namnd="AGN", tillfalle="2024-08-31")
    box = next(e for e in at.expander if e.label.startswith("Historik"))
    assert not box.dataframe  # closed: nothing made inside it
    before = len(at.dataframe)
    at.session_state["mal_history"] = True  # what the browser sends when the box is opened
    at.run()
    assert not at.exception
    box = next(e for e in at.expander if e.label.startswith("Historik"))
    assert len(box.dataframe) >= 1 and len(at.dataframe) > before
    columns = list(box.dataframe[0].value.columns)
    assert columns[0] == "Namn" and "Delår 2 2024-08-31" in columns, columns
