"""Long pages open on what needs attention (issue 13): Mål and Indikatorer show the goals and
indicators that are not on track (or changed since the previous round) and keep the rest behind
"Visa alla" (alla=1 in the address); Översikt names the goals off track and never cuts events
silently.

Every name and figure below is the report's (../shared/seeds/): Linköping AMN Delår 2 2023 assesses
12 nämndmål, five "Uppnås" (Trygghet och Inflytande, Likvärdiga förutsättningar, God ekonomisk
styrning, Goda arbetsplatser, Nya vägar för kompetensförsörjning) and seven "Uppnås delvis";
Chefsindex IAF 69 against target 74,6 ("IAF når inte målvärdet för indikatorn för Chefsindex"),
E-handelstrohet 83,5 % against 95 %; Avgångsålder pension IAF 65 against 64,8 ("Målvärdet för
avgångsålder vid pension ser ut att nås"). Luleå AGN Delår 2 2024 lists seven Viktiga händelser.
"""

from __future__ import annotations

from dashboard.textsafe import unescape
from test_navigation import address, run
from test_pages import app, texts  # noqa: F401  (fixture and helper shared with the page tests)

ON_TRACK = ["Trygghet och Inflytande", "Likvärdiga förutsättningar", "God ekonomisk styrning",
            "Goda arbetsplatser", "Nya vägar för kompetensförsörjning"]
PARTLY = ["Professionellt bemötande och hög tillgänglighet", "Hög egenförsörjningsgrad", "Kunskap & kompetens",
          "Hög avtalstrohet", "Digitaliseringens möjligheter", "Hållbart chef- och ledarskap"]


def page(at) -> str:
    return unescape("\n".join(m.value for m in at.markdown)) + "\n" + texts(at)


def goal_card(name: str) -> str:
    return f"</span> &nbsp; **{name}"  # a goal drawn as a card: its badge, then the name in bold


def test_mal_opens_on_the_goals_that_need_attention(app):  # noqa: F811
    at = app("mal", kommun="0580", namnd="AMN")
    shown = page(at)
    assert "Visar 7 av 12 nämndmål: de som behöver uppmärksamhet" in shown
    for name in PARTLY:
        assert goal_card(name) in shown, name
    line = next(m.value for m in at.markdown if m.value.startswith("På rätt spår (5): "))
    for name in ON_TRACK:  # named, not drawn
        assert name in unescape(line), name
        assert goal_card(name) not in shown, name
    assert "alla" not in address(at)

    at.button(key="mal_all_button").click()
    run(at)
    shown = page(at)
    assert address(at)["alla"] == "1" and at.toggle(key="mal_all").value is True
    for name in ON_TRACK + PARTLY:
        assert goal_card(name) in shown, name
    assert "Visar 7 av 12" not in shown


def test_mal_link_with_alla_shows_every_goal_and_a_bad_value_says_so(app):  # noqa: F811
    shown = page(app("mal", kommun="0580", namnd="AMN", alla="1"))
    assert all(goal_card(n) in shown for n in ON_TRACK)
    at = app("mal", kommun="0580", namnd="AMN", alla="kanske")
    assert "Värdet «kanske» för «alla» förstås inte" in "\n".join(w.value for w in at.warning).replace("\\", "")
    assert goal_card("Trygghet och Inflytande") not in page(at)


def test_mal_goals_without_an_assessment_are_all_shown(app):  # noqa: F811
    # Luleå's goal icons did not survive the text dump: not reported is not "on track"
    shown = page(app("mal", kommun="2580", namnd="AGN"))
    assert "Visar " not in shown and "På rätt spår (" not in shown
    assert "Utveckla de arbetsprocesser som gör att fler individer fullföljer utbildningen" in shown


def test_indikatorer_open_on_those_missing_their_target(app):  # noqa: F811
    at = app("indikatorer", kommun="0580", namnd="AMN")
    shown = page(at)
    assert "indikatorer behöver uppmärksamhet:" in shown
    assert "**Chefsindex**" in shown and "**E-handelstrohet, %**" in shown
    assert "**Avgångsålder pension**" not in shown  # reaches its target: behind Visa alla
    assert "**Antal utbetalningshushåll, utfall per sista månad**" not in shown  # 2 160 against ≤ 2 200

    at.button(key="ind_all_button").click()
    run(at)
    shown = page(at)
    assert address(at)["alla"] == "1"
    assert "**Avgångsålder pension**" in shown and "**Chefsindex**" in shown
    assert "behöver uppmärksamhet" not in shown


def test_indikatorer_status_filter_shows_what_was_asked_for(app):  # noqa: F811
    at = app("indikatorer", kommun="0580", namnd="AMN", status="uppfylls")
    shown = page(at)
    assert "**Avgångsålder pension**" in shown and "behöver uppmärksamhet" not in shown


def test_oversikt_names_the_goals_off_track(app):  # noqa: F811
    at = app(kommun="0580", namnd="AMN")
    block = unescape(next(m.value for m in at.markdown if m.value.startswith("**Inte på rätt spår")))
    assert block.startswith("**Inte på rätt spår (7):**")
    for name in PARTLY:
        assert f"◐ {name}" in block, name
    assert not any(name in block for name in ON_TRACK)


def test_oversikt_shows_every_event_or_says_how_many_are_left(app):  # noqa: F811
    at = app(kommun="2580", namnd="AGN", tillfalle="2024-08-31")
    assert "#### Viktiga händelser (7)" in [m.value for m in at.markdown]
    assert "Visar 5 av 7 händelser." in [c.value for c in at.caption]
    labels = [e.label for e in at.expander]
    assert "Fler händelser (2)" in labels
    shown = page(at)
    for heading in ("Försenade lokaler för gymnasieskolans volymökningar", "Stärkt elevhälsa", "Skolsäkerhet",
                    "Huvudmannaplan för GY25", "Inventariebanken flyttar",
                    "Tillväxtenheten och Integrationsenheten slås ihop och projektkoordinator anställs"):
        assert heading in shown or heading in labels, heading
