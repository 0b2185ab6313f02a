"""Who may see and do what: the rules, the users command, and the modes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from dashboard.access import Access, decide_mode

IAF = {"role": "redaktör", "kommun_code": "0580", "namnd_code": "AMN", "forvaltning_key": "iaf"}
AMN = {"role": "redaktör", "kommun_code": "0580", "namnd_code": "AMN", "forvaltning_key": None}
ADMIN = {"role": "administratör", "kommun_code": None, "namnd_code": None, "forvaltning_key": None}
READER = {"role": "läsare", "kommun_code": None, "namnd_code": None, "forvaltning_key": None}


@pytest.mark.parametrize("auth, address, mode", [
    (False, "127.0.0.1", "lokal"), (False, "localhost", "lokal"), (False, "0.0.0.0", "skrivskyddad"),
    (False, "127.0.0.2", "skrivskyddad"), (False, None, "skrivskyddad"), (True, "127.0.0.1", "inloggning"),
    (True, "0.0.0.0", "inloggning"),
])
def test_mode(auth, address, mode):
    assert decide_mode(auth, address) == mode


@pytest.mark.parametrize("access, status, owner, visible", [
    (Access("lokal"), "utkast", "iaf", True),
    (Access("skrivskyddad"), "utkast", None, False),
    (Access("skrivskyddad"), "fastställd", None, True),
    (Access("inloggning"), "fastställd", None, False),  # not signed in: nothing
    (Access("inloggning", "l@k.se", [READER]), "fastställd", None, True),
    (Access("inloggning", "l@k.se", [READER]), "utkast", None, False),
    (Access("inloggning", "i@k.se", [IAF]), "utkast", "iaf", True),
    (Access("inloggning", "i@k.se", [IAF]), "utkast", "utb", False),
    (Access("inloggning", "i@k.se", [IAF]), "utkast", None, False),  # the nämnd's own draft
    (Access("inloggning", "a@k.se", [AMN]), "utkast", "utb", True),
    (Access("inloggning", "x@k.se", [{**AMN, "namnd_code": "AGN"}]), "utkast", None, False),  # other nämnd
    (Access("inloggning", "ad@k.se", [ADMIN]), "utkast", "utb", True),
])
def test_draft_visibility(access, status, owner, visible):
    assert access.can_see_round("0580", "AMN", status, owner) is visible


def test_import_rights():
    assert Access("lokal").can_import("0580", "AMN")
    assert not Access("skrivskyddad").can_import_anything
    reader = Access("inloggning", "l@k.se", [READER])
    assert not reader.can_import_anything and not reader.can_import("0580", "AMN")
    iaf = Access("inloggning", "i@k.se", [IAF])
    assert iaf.can_import_anything and iaf.can_import("0580", "AMN", "iaf")
    assert not iaf.can_import("0580", "AMN", "utb") and not iaf.can_import("2580", "AGN", "iaf")


def test_users_command(tmp_path):
    env = os.environ | {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "dashboard", "users", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=ROOT)
    assert run("add", "Anna@Kommun.se", "--roll", "redaktör", "--kommun", "0580", "--namnd", "amn",
               "--forvaltning", "IAF").returncode == 0
    assert run("add", "bo@kommun.se", "--roll", "chef").returncode == 2
    listing = run("list")
    assert "anna@kommun.se\tredaktör\t0580 AMN IAF" in listing.stdout
    assert "Tog bort 1 roller" in run("remove", "anna@kommun.se").stdout
    assert "Inga användare" in run("list").stdout


def test_forvaltning_editor_may_only_write_its_own_drafts():
    iaf = Access("inloggning", "i@k.se", [IAF])
    assert iaf.can_import("0580", "AMN", "iaf", "utkast", None)  # a new IAF draft
    assert iaf.can_import("0580", "AMN", "iaf", "utkast", ("utkast", "iaf"))  # replace its own draft
    assert not iaf.can_import("0580", "AMN", "iaf", "fastställd", None)  # cannot publish
    assert not iaf.can_import("0580", "AMN", "iaf", "utkast", ("fastställd", None))  # cannot overwrite the adopted round
    assert not iaf.can_import("0580", "AMN", "iaf", "utkast", ("utkast", "utb"))  # nor UTB's draft
    amn = Access("inloggning", "a@k.se", [AMN])
    assert amn.can_import("0580", "AMN", None, "fastställd", ("utkast", "iaf"))


def test_slides_never_compare_with_a_round_the_viewer_may_not_see(builtin_engine):
    from dashboard import queries
    from dashboard.slides import build

    fetch = lambda name, *a: getattr(queries, name)(builtin_engine, *a)  # noqa: E731
    rounds = queries.rounds(builtin_engine, int(queries.namnder(builtin_engine).set_index("namnd_code").loc["AGN", "namnd_id"]))
    august = {int(rounds.iloc[0]["round_id"])}  # pretend April is a draft the viewer may not see
    hidden = build(fetch, "2580", "AGN", "2024-08-31", ["forandring"], visible_round_ids=august)[0]
    shown = build(fetch, "2580", "AGN", "2024-08-31", ["forandring"])[0]
    assert hidden.title == "Inget tidigare tillfälle att jämföra prognosen med"
    assert "1\u00a0000\u00a0tkr" in shown.title
