"""The view-state module on its own: parser (address → view + notices), writer (view → address),
and the rules for a user's changes. The catalog is written here by hand after the built-in data
(Linköping AMN Delår 2 2023; Luleå AGN Delår 1 and Delår 2 2024), plus one made-up nämnd that
shares a round date and a förvaltning key with Linköping, to show what a nämnd switch keeps."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import replace

import pytest

from dashboard import viewstate as vs
from dashboard.viewstate import ALL, NAMND_ONLY, OpenLevels, View

D = dt.date.fromisoformat
AMN, AGN, TST = ("0580", "AMN"), ("2580", "AGN"), ("0580", "TST")


class FakeCatalog:
    namnd_names = {AMN: "Arbetsmarknadsnämnden", AGN: "Arbetsmarknads- och gymnasienämnden",
                   TST: "Testnämnden"}
    round_dates = {AMN: [D("2023-08-31")], AGN: [D("2024-08-31"), D("2024-04-30")],
                   TST: [D("2023-12-31"), D("2023-08-31")]}
    forv = {AMN: {"iaf", "utb"}, AGN: {"auf"}, TST: {"iaf"}}
    unit_keys = {
        AMN: {"amn", "summa-nettokostnader", "iaf", "utb", "100", "470", "472", "474", "476", "575", "600",
              "610", "921", "926", "resultat-namndens-enheter"},
        AGN: {"agn", "namnden", "auf", "gymnasieskolan", "gymnasieskolan/rektorer-gy", "vuxenutbildningen",
              "tillvaxt-integration-arbete"},
        TST: {"tst", "iaf", "575"},
    }
    # Luleå Delår 1 has fewer rows: no enheter under Vuxenutbildningen (made up for the rule)
    only_in_round = {(AGN, D("2024-04-30")): {"agn", "namnden", "auf", "gymnasieskolan", "gymnasieskolan/rektorer-gy"}}
    areas = {AMN: {"trygghet-och-inflytande"}, AGN: {"utbildning"}, TST: set()}

    def namnder(self):
        return [AMN, AGN, TST]

    def namnd_name(self, kommun, namnd):
        return self.namnd_names[(kommun, namnd)]

    def rounds(self, kommun, namnd):
        return self.round_dates[(kommun, namnd)]

    def round_label(self, kommun, namnd, period_end):
        kind = {D("2023-08-31"): "Delår 2", D("2024-08-31"): "Delår 2", D("2024-04-30"): "Delår 1",
                D("2023-12-31"): "Bokslut"}[period_end]
        return f"{kind} {period_end.year}"

    def forvaltningar(self, kommun, namnd, period_end):
        return self.forv[(kommun, namnd)]

    def units(self, kommun, namnd, period_end):
        if period_end is not None and ((kommun, namnd), period_end) in self.only_in_round:
            return self.only_in_round[((kommun, namnd), period_end)]
        return self.unit_keys[(kommun, namnd)]

    def goal_areas(self, kommun, namnd, period_end):
        return self.areas[(kommun, namnd)]

    def kolada_years(self, kpi):
        return {2021, 2022} if kpi == "N18409" else set()


CAT = FakeCatalog()


def parse(page="oversikt", memory=None, **params):
    return vs.parse(params, page, CAT, memory)


# --- today's addresses keep working -----------------------------------------------------------


def test_todays_keys_give_the_view_without_notice():
    view, notices = parse("verksamhet", kommun="0580", namnd="AMN", forvaltning="IAF", tillfalle="2023-08-31",
                          enhet="575", visning="projektor")
    assert notices == []
    assert (view.kommun, view.namnd, view.forvaltning, view.tillfalle, view.enhet, view.projektor) == \
        ("0580", "AMN", "iaf", D("2023-08-31"), "575", True)
    assert vs.to_params(view) == {"kommun": "0580", "namnd": "AMN", "forvaltning": "IAF",
                                  "tillfalle": "2023-08-31", "enhet": "575", "visning": "projektor"}


def test_readme_examples():
    view, notices = parse("bildspel", kommun="2580", namnd="AGN", bilder="titel,ekonomi", bild="2")
    assert notices == [] and view.bildspel == vs.Bildspel(("titel", "ekonomi"), 2)
    assert view.tillfalle == D("2024-08-31")  # no round named: the newest
    view, notices = parse(kommun="0580", namnd="AMN", forvaltning="hela-namnden")
    assert notices == [] and view.forvaltning == NAMND_ONLY
    assert vs.to_params(view)["forvaltning"] == "hela-namnden"


def test_empty_address_is_the_first_namnd_newest_round():
    view, notices = parse()
    assert notices == [] and view.namnd_key == AMN and view.tillfalle == D("2023-08-31") and view.forvaltning == ALL


def test_lower_case_and_spaces_are_accepted():
    view, notices = parse(kommun=" 2580 ", namnd="agn", forvaltning="auf", tillfalle="2024-04-30")
    assert notices == [] and view.namnd_key == AGN and view.forvaltning == "auf"


def test_writer_pins_the_selection_and_leaves_defaults_out():
    view = View("2580", "AGN", D("2024-08-31"))
    assert vs.query_string(vs.to_params(view)) == "kommun=2580&namnd=AGN&tillfalle=2024-08-31"
    for page in vs.PAGE_PATHS:
        assert vs.to_params(view, page) == {"kommun": "2580", "namnd": "AGN", "tillfalle": "2024-08-31"}, page


# --- a link's round ----------------------------------------------------------------------------


def test_unknown_round_gives_latest_on_or_before_with_notice():
    view, notices = parse(kommun="2580", namnd="AGN", tillfalle="2024-06-30")
    assert view.tillfalle == D("2024-04-30")
    assert notices == ["Det finns ingen uppföljning med periodslut 2024-06-30 för Arbetsmarknads- och "
                       "gymnasienämnden; visar Delår 1 2024."]


def test_round_before_every_round_gives_the_newest_not_the_oldest():
    view, notices = parse(kommun="2580", namnd="AGN", tillfalle="2022-01-01")
    assert view.tillfalle == D("2024-08-31")
    assert "visar Delår 2 2024" in notices[0]


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-45", "31/08/2023", "20230831", "2023-W35-4", "i går"])
def test_not_a_date(value):
    view, notices = parse(kommun="2580", namnd="AGN", tillfalle=value)
    assert view.tillfalle == D("2024-08-31")
    assert len(notices) == 1 and "är inget datum (ÅÅÅÅ-MM-DD)" in notices[0]


# --- bad values: a notice and the nearest view, never a traceback --------------------------------

BAD = ["x" * 10_000, "' OR 1=1--", "../../", "../../etc/passwd", "<script>alert(1)</script>", "**fet** [länk](http://x)",
       "\x00\x1b[31m", "%00", "🙂" * 50, "NULL", "-1", "0", " "]
KEYS = ["kommun", "namnd", "forvaltning", "tillfalle", "enhet", "visning", "belopp", "oppna", "flik", "rad", "spar",
        "omr", "status", "kon", "visa", "kolada", "bilder", "bild"]


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("bad", BAD, ids=lambda b: repr(b[:12]))
def test_bad_value_gives_notice_and_nearest_view(key, bad):
    page = next((p for p, keys in vs.PAGE_KEYS.items() if key in keys), "oversikt")
    params = {"kommun": "2580", "namnd": "AGN", "tillfalle": "2024-08-31", key: bad}
    view, notices = vs.parse(params, page, CAT)
    assert isinstance(view, View)
    if bad.strip() and bad not in ("0",) and not (key == "bild" and bad == "0"):
        assert notices, (key, bad)
    for n in notices:
        assert len(n) < 400, n  # a 10 000-character value is never echoed whole
        assert "\x00" not in n and "\x1b" not in n
    # the nearest valid view: the rest of the address still holds
    if key not in ("kommun", "namnd"):
        assert view.namnd_key == AGN
    again, more = vs.parse(vs.to_params(view), page, CAT)
    assert more == [] and again == view  # what is written back is valid


@pytest.mark.parametrize("bad", ["' OR 1=1--", "x" * 10_000, "../../"])
def test_sql_and_path_in_search_is_text_not_a_command(bad):
    view, notices = parse("mal", kommun="0580", namnd="AMN", sok=bad)
    if len(bad) > vs.MAX_VALUE:
        assert view.mal.sok == "" and "för långt (10000 tecken)" in notices[0]
    else:
        assert view.mal.sok == bad and notices == []  # a search for it is allowed, bound as text


def test_unknown_keys_get_one_notice():
    view, notices = parse(kommun="0580", namnd="AMN", foo="1", **{"x" * 10_000: "y"})
    assert view.namnd_key == AMN
    assert len(notices) == 1 and notices[0].startswith("Adressen innehåller okända inställningar som inte används: «foo»")
    assert "(10000 tecken)" in notices[0]


def test_repeated_keys_use_the_last_value_and_say_so():
    view, notices = vs.parse({"kommun": ["0580", "2580"], "namnd": ["AGN"]}, "oversikt", CAT)
    assert view.namnd_key == AGN
    assert notices == ["Inställningen «kommun» står 2 gånger i adressen; det sista värdet, «2580», används."]
    view, notices = vs.parse({"kommun": ["2580", "2580"], "namnd": "AGN"}, "oversikt", CAT)
    assert notices == []  # the same value twice is no conflict


def test_unknown_namnd_and_forvaltning_and_unit():
    view, notices = parse("verksamhet", kommun="9999", namnd="XYZ", enhet="575")
    assert view.namnd_key == AMN and "Nämnden «XYZ» i kommun «9999» finns inte i databasen" in notices[0]
    view, notices = parse(kommun="0580", namnd="AMN", forvaltning="SOCIAL")
    assert view.forvaltning == ALL and notices[0].startswith("Förvaltningen «SOCIAL» finns inte för Arbetsmarknadsnämnden")
    view, notices = parse("verksamhet", kommun="0580", namnd="AMN", enhet="999")
    assert view.enhet is None and notices[0].startswith("Enheten «999» finns inte i Arbetsmarknadsnämnden")


def test_only_the_namnd_code_when_it_is_unique():
    view, notices = parse(namnd="AGN")
    assert view.namnd_key == AGN and notices == []


def test_settings_of_another_page_are_not_this_pages_business():
    # a Mål address with an Ekonomi key (e.g. after a chart click): no notice, Ekonomi remembers it
    view, notices = parse("mal", kommun="0580", namnd="AMN", belopp="tkr", flik="nonsense")
    assert notices == [] and view.ekonomi.belopp == "tkr" and view.ekonomi.flik == vs.DEFAULT_TAB


def test_garbage_never_raises():
    rng = random.Random(14)
    alphabet = "aA0-_./,%'\"<>;:=&?#\\ \x00\n\tåäö🙂"
    for _ in range(400):
        params = {}
        for key in rng.sample(KEYS + ["zz", ""], rng.randint(0, 6)):
            n = rng.choice([0, 1, 3, 30, 300])
            values = ["".join(rng.choice(alphabet) for _ in range(n)) for _ in range(rng.choice([1, 1, 2]))]
            params[key] = values if len(values) > 1 else values[0]
        page = rng.choice(list(vs.PAGE_PATHS) + ["nope"])
        view, notices = vs.parse(params, page, CAT)
        again, more = vs.parse(vs.to_params(view), view.page, CAT, view)
        assert more == [] and again == view, params


# --- every page setting round-trips through the address ---------------------------------------


def _views():
    base = View("2580", "AGN", D("2024-08-31"))
    yield "ekonomi", replace(base, ekonomi=vs.Ekonomi(belopp="mnkr"))
    yield "ekonomi", replace(base, ekonomi=vs.Ekonomi(flik="investeringar", rad="gymnasieskolan"))
    yield "ekonomi", replace(base, ekonomi=vs.Ekonomi(oppna=OpenLevels("alla", closed=frozenset({"auf"}))))
    yield "ekonomi", replace(base, ekonomi=vs.Ekonomi(oppna=OpenLevels("inga", opened=frozenset({"gymnasieskolan"}))))
    yield "ekonomi", replace(base, ekonomi=vs.Ekonomi(oppna=OpenLevels(opened=frozenset({"vuxenutbildningen"}))))
    yield "mal", replace(base, mal=vs.Filters(True, "SFI & yrkesvux"))
    yield "uppdrag", replace(base, uppdrag=vs.Filters(True, ""))
    yield "indikatorer", replace(base, indikatorer=vs.Indikatorer("utbildning", ("uppfylls_ej", "saknas"), "km",
                                                                   "tabell", (("N18409", 2021),)))
    yield "personal", replace(base, personal=vs.Personal("alla"))
    yield "bildspel", replace(base, bildspel=vs.Bildspel(("titel", "risker"), 2))
    yield "verksamhet", replace(base, enhet="gymnasieskolan/rektorer-gy", forvaltning="auf", projektor=True)
    yield "oversikt", replace(base, forvaltning=NAMND_ONLY, tillfalle=D("2024-04-30"))


@pytest.mark.parametrize("page, view", list(_views()))
def test_every_setting_round_trips(page, view):
    view = replace(view, page=page)
    params = vs.to_params(view)
    assert all(k.isascii() and len(k) <= 12 for k in params)
    parsed, notices = vs.parse(params, page, CAT)
    assert notices == [] and parsed == view
    assert vs.describes(params, view, CAT)
    other = replace(view, projektor=not view.projektor)
    assert not vs.describes(params, other, CAT)


def test_links_to_other_pages_carry_their_remembered_settings():
    view = replace(View("2580", "AGN", D("2024-08-31"), page="mal"), ekonomi=vs.Ekonomi(belopp="mnkr"),
                   mal=vs.Filters(True, "SFI"))
    assert vs.to_params(view, "ekonomi")["belopp"] == "mnkr"
    assert "belopp" not in vs.to_params(view) and vs.to_params(view)["sok"] == "SFI"
    # following that link keeps the Mål filters in memory for the way back
    there, notices = vs.parse(vs.to_params(view, "ekonomi"), "ekonomi", CAT, view)
    assert notices == [] and there.mal == view.mal and there.ekonomi.belopp == "mnkr"


def test_describes_accepts_other_pages_keys_but_wants_the_selection_pinned():
    view = View("2580", "AGN", D("2024-08-31"), page="verksamhet", enhet="gymnasieskolan")
    merged = vs.to_params(replace(view, page="ekonomi")) | vs.to_params(view)
    assert vs.describes(merged, view, CAT)
    assert not vs.describes({"kommun": "2580", "namnd": "AGN", "enhet": "gymnasieskolan"}, view, CAT)


# --- the user's changes: silent, and only what exists is kept -----------------------------------


def test_switch_namnd_takes_newest_round_all_and_no_unit_silently():
    here = View("0580", "AMN", D("2023-08-31"), forvaltning="utb", page="verksamhet", enhet="470")
    there = vs.switch_namnd(here, "2580", "AGN", CAT)
    assert (there.tillfalle, there.forvaltning, there.enhet, there.page) == (D("2024-08-31"), ALL, None, "verksamhet")


def test_switch_namnd_keeps_what_the_new_namnd_has():
    here = View("0580", "AMN", D("2023-08-31"), forvaltning="iaf", enhet="575")
    there = vs.switch_namnd(here, "0580", "TST", CAT)
    assert (there.tillfalle, there.forvaltning, there.enhet) == (D("2023-08-31"), "iaf", "575")


def test_switch_round_keeps_unit_only_where_the_round_has_it():
    here = View("2580", "AGN", D("2024-08-31"), enhet="vuxenutbildningen", ekonomi=vs.Ekonomi(rad="gymnasieskolan"))
    there = vs.switch_round(here, D("2024-04-30"), CAT)
    assert there.enhet is None and there.ekonomi.rad == "gymnasieskolan"


def test_open_levels_survive_a_round_with_fewer_rows():
    delar2 = ["agn", "auf", "gymnasieskolan", "vuxenutbildningen", "tillvaxt-integration-arbete"]
    standard = ["agn", "auf"]
    levels = OpenLevels().with_choice(["agn", "auf", "gymnasieskolan", "vuxenutbildningen"], standard, delar2)
    assert levels.open_keys(standard, delar2) == {"agn", "auf", "gymnasieskolan", "vuxenutbildningen"}
    # Delår 1 has no Vuxenutbildningen row; the user closes Gymnasieskolan there
    delar1 = ["agn", "auf", "gymnasieskolan"]
    assert levels.open_keys(standard, delar1) == {"agn", "auf", "gymnasieskolan"}
    levels = levels.with_choice(["agn", "auf"], standard, delar1)
    # back in Delår 2: Vuxenutbildningen is still open, Gymnasieskolan closed as chosen
    assert levels.open_keys(standard, delar2) == {"agn", "auf", "vuxenutbildningen"}
    assert levels.to_param() == "vuxenutbildningen"
    every = OpenLevels("alla").with_choice(set(delar1) - {"auf"}, standard, delar1)
    assert every.open_keys(standard, delar2) == set(delar2) - {"auf"} and every.to_param() == ".alla,-auf"


def test_open_levels_are_remembered_per_namnd():
    here = View("2580", "AGN", D("2024-08-31"), ekonomi=vs.Ekonomi(oppna=OpenLevels("inga")))
    there = vs.switch_namnd(here, "0580", "AMN", CAT)
    assert there.ekonomi.oppna == OpenLevels()
    back = vs.switch_namnd(replace(there, ekonomi=vs.Ekonomi(oppna=OpenLevels("alla"))), "2580", "AGN", CAT)
    assert back.ekonomi.oppna == OpenLevels("inga")
    again = vs.switch_namnd(back, "0580", "AMN", CAT)
    assert again.ekonomi.oppna == OpenLevels("alla")


def test_every_combination_of_selection_round_trips():
    for (kommun, namnd), forv, page in itertools.product(CAT.namnder(), [ALL, NAMND_ONLY, "iaf", "auf"], vs.PAGE_PATHS):
        for tillfalle in CAT.rounds(kommun, namnd):
            view = vs.resolve(View(kommun, namnd, tillfalle, forvaltning=forv, page=page), CAT)
            parsed, notices = vs.parse(vs.to_params(view), page, CAT)
            assert notices == [] and parsed == view


def test_vocabularies_match_the_modules_that_own_them():
    # viewstate takes these from their owners; the address values stay ASCII
    from dashboard import economy, slides, targets, views

    assert vs.SLIDE_KINDS == tuple(slides.SLIDE_KINDS) == tuple(slides.DEFAULT_SEQUENCE)
    assert vs.TARGET_STATUSES == tuple(targets.STATUSES)
    assert list(vs.GENDERS.values()) == list(views.GENDER_CHOICES)
    assert (vs.ALL, vs.NAMND_ONLY) == (economy.ALL, economy.NAMND_ONLY)
    assert all(v.isascii() for v in (*vs.SLIDE_KINDS, *vs.TARGET_STATUSES, *vs.GENDERS, *vs.TABS, *vs.MODES))
