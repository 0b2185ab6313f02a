"""Bokslut workbooks for Luleå AGN (kommun 2580), written as a controller would.

Delår 1 and Delår 2 2024 are built in (the real report). The Bokslut 2024 figures below, and the
whole of 2025 (Delår 1, Delår 2, Bokslut in mnkr with one decimal), are invented for the tests:
the outcome per verksamhet and enhet with its resultat mot budget, rows that add up like a real
årsredovisning (Gymnasieskolan's utfall is printed as 352 700 while its enheter sum to 352 699,
as Luleå's own tables round). Expected values in the tests are written out by hand from these.
"""

from __future__ import annotations

from pathlib import Path

import builders as b

ORG = [
    ["Enhet", "Namn", "Nivå", "Överordnad", "Kod", "Historisk", "Ordning"],
    ["agn", "Arbetsmarknads- och gymnasienämnden", "nämnd", None, None, None, 1],
    ["namnden", "Nämnden (egna kostnader)", "verksamhetsområde", "agn", None, None, 2],
    ["auf", "Arbetsmarknads- och utbildningsförvaltningen", "förvaltning", "agn", None, None, 3],
    ["gymnasieskolan", "Gymnasieskolan", "verksamhetsområde", "auf", None, None, 4],
    ["gymnasieskolan/gemensamma-resurser", "Gemensamma resurser", "enhet", "gymnasieskolan", None, None, 5],
    ["gymnasieskolan/rektorer-gy", "Rektorer GY", "enhet", "gymnasieskolan", None, None, 6],
    ["gymnasieskolan/rektor-anpassad-gy", "Rektor anpassad GY", "enhet", "gymnasieskolan", None, None, 7],
    ["gymnasieskolan/interkommunalt-netto", "Interkommunalt netto", "enhet", "gymnasieskolan", None, None, 8],
    ["tillvaxt-integration-arbete", "Tillväxt, Integration och arbete", "verksamhetsområde", "auf", None, None, 9],
    ["tillvaxt-integration-arbete/gemensamma-resurser", "Gemensamma resurser", "enhet", "tillvaxt-integration-arbete", None, None, 10],
    ["tillvaxt-integration-arbete/tillvaxtenheten", "Tillväxtenheten", "enhet", "tillvaxt-integration-arbete", None, None, 11],
    ["tillvaxt-integration-arbete/arbetsmarknadsenheten", "Arbetsmarknadsenheten", "enhet", "tillvaxt-integration-arbete", None, None, 12],
    ["vuxenutbildningen", "Vuxenutbildningen", "verksamhetsområde", "auf", None, None, 13],
    ["vuxenutbildningen/gemensamma-resurser", "Gemensamma resurser", "enhet", "vuxenutbildningen", None, None, 14],
    ["vuxenutbildningen/rektor-1-grundlaggande", "Rektor 1 Grundläggande vuxenutbild.", "enhet", "vuxenutbildningen", None, None, 15],
    ["vuxenutbildningen/rektor-2-sfi", "Rektor 2 SFI", "enhet", "vuxenutbildningen", None, None, 16],
    ["vuxenutbildningen/rektor-3-yrkesvux", "Rektor 3 Yrkesvux och yrkesvux. Högs.", "enhet", "vuxenutbildningen", None, None, 17],
]
# 2025: a new Etableringsenhet (its outcome has no forecast to compare with)
ORG_2025 = ORG + [["tillvaxt-integration-arbete/etableringsenheten", "Etableringsenheten", "enhet",
                   "tillvaxt-integration-arbete", None, None, 18]]


def _round(kind: str, end: str, unit: str, decimals: int, title: str) -> list[list[object]]:
    return [["Kommunkod", "Kommun", "Nämndkod", "Nämnd", "Typ", "Periodslut", "Beloppsenhet", "Decimaler",
             "Rapport", "Status"],
            ["2580", "Luleå kommun", "AGN", "Arbetsmarknads- och gymnasienämnden", kind, end, unit, decimals,
             title, "fastställd"]]


# Bokslut 2024, tkr, with the headers a controller types in a Bokslut: Utfall helår (the
# canonical Utfall period) and Resultat mot budget (the canonical Periodavvikelse) = budget − utfall.
BOKSLUT_2024 = {
    "Tillfälle": _round("Bokslut", "2024-12-31", "tkr", 0, "Verksamhetsberättelse 2024, Arbetsmarknads- och gymnasienämnden"),
    "Organisation": ORG,
    "Ekonomi": [
        ["Enhet", "Budget helår", "Utfall helår", "Resultat mot budget"],
        ["agn", "476 018", "464 177", "11 841"],
        ["namnden", "2 500", "2 189", "311"],
        ["gymnasieskolan", "357 468", "352 700", "4 768"],
        ["gymnasieskolan/gemensamma-resurser", "347 357", "346 110", "1 247"],
        ["gymnasieskolan/rektorer-gy", "18", "−3 632", "3 650"],
        ["gymnasieskolan/rektor-anpassad-gy", "21 145", "19 794", "1 351"],
        ["gymnasieskolan/interkommunalt-netto", "−11 053", "−9 573", "−1 480"],
        ["tillvaxt-integration-arbete", "53 144", "47 577", "5 567"],
        ["tillvaxt-integration-arbete/gemensamma-resurser", "3 908", "3 396", "512"],
        ["tillvaxt-integration-arbete/tillvaxtenheten", "8 562", "6 457", "2 105"],
        ["tillvaxt-integration-arbete/arbetsmarknadsenheten", "40 674", "37 724", "2 950"],
        ["vuxenutbildningen", "62 906", "61 711", "1 195"],
        ["vuxenutbildningen/gemensamma-resurser", "27 853", "29 063", "−1 210"],
        ["vuxenutbildningen/rektor-1-grundlaggande", "17 085", "16 683", "402"],
        ["vuxenutbildningen/rektor-2-sfi", "13 488", "12 873", "615"],
        ["vuxenutbildningen/rektor-3-yrkesvux", "4 480", "3 092", "1 388"],
    ],
    "Kommentarer": [
        ["Enhet", "Avsnitt", "Rubrik", "Text"],
        ["agn", "sammanfattning", "Årets resultat",
         "Nämnden redovisar ett överskott om 11 841 tkr, främst inom Tillväxt, integration och arbete."],
    ],
}

DELAR1_2025 = {
    "Tillfälle": _round("Delår 1", "2025-04-30", "tkr", 0, "Delårsuppföljning 1 2025, Arbetsmarknads- och gymnasienämnden"),
    "Organisation": ORG,
    "Ekonomi": [
        ["Enhet", "Prognosavvikelse"],
        ["agn", "2 000"], ["namnden", "0"],
        ["gymnasieskolan", "1 500"], ["gymnasieskolan/gemensamma-resurser", "0"],
        ["gymnasieskolan/rektorer-gy", "1 000"], ["gymnasieskolan/rektor-anpassad-gy", "500"],
        ["gymnasieskolan/interkommunalt-netto", "0"],
        ["tillvaxt-integration-arbete", "1 000"], ["tillvaxt-integration-arbete/gemensamma-resurser", "0"],
        ["tillvaxt-integration-arbete/tillvaxtenheten", "400"], ["tillvaxt-integration-arbete/arbetsmarknadsenheten", "600"],
        ["vuxenutbildningen", "−500"], ["vuxenutbildningen/gemensamma-resurser", "−500"],
        ["vuxenutbildningen/rektor-1-grundlaggande", "0"], ["vuxenutbildningen/rektor-2-sfi", "0"],
        ["vuxenutbildningen/rektor-3-yrkesvux", "0"],
    ],
    "Investeringar": [
        ["Projekt", "Namn", "Redovisat", "Prognos helår", "Budget helår", "Avvikelse"],
        ["gy-lokaler", "Ombyggnad gymnasiet", "2 100", "12 000", "15 000", "3 000"],
        ["it-elever", "IT-utrustning elever", "600", "3 000", "3 000", "0"],
    ],
}

DELAR2_2025 = {
    "Tillfälle": _round("Delår 2", "2025-08-31", "tkr", 0, "Delårsuppföljning 2 2025, Arbetsmarknads- och gymnasienämnden"),
    "Organisation": ORG,
    "Ekonomi": [
        ["Enhet", "Budget helår", "Prognosavvikelse"],
        ["agn", "490 000", "2 700"], ["namnden", "2 600", "200"],
        ["gymnasieskolan", "366 400", "1 200"], ["gymnasieskolan/gemensamma-resurser", None, "−300"],
        ["gymnasieskolan/rektorer-gy", None, "1 000"], ["gymnasieskolan/rektor-anpassad-gy", None, "500"],
        ["gymnasieskolan/interkommunalt-netto", None, "0"],
        ["tillvaxt-integration-arbete", "55 000", "1 800"], ["tillvaxt-integration-arbete/gemensamma-resurser", None, "0"],
        ["tillvaxt-integration-arbete/tillvaxtenheten", None, "700"],
        ["tillvaxt-integration-arbete/arbetsmarknadsenheten", None, "1 100"],
        ["vuxenutbildningen", "66 000", "−500"], ["vuxenutbildningen/gemensamma-resurser", None, "−800"],
        ["vuxenutbildningen/rektor-1-grundlaggande", None, "100"], ["vuxenutbildningen/rektor-2-sfi", None, "200"],
        ["vuxenutbildningen/rektor-3-yrkesvux", None, "0"],
    ],
    "Investeringar": [
        ["Projekt", "Namn", "Redovisat", "Prognos helår", "Budget helår", "Avvikelse"],
        ["gy-lokaler", "Ombyggnad gymnasiet", "6 200", "10 500", "15 000", "4 500"],
        ["it-elever", "IT-utrustning elever", "1 900", "3 000", "3 000", "0"],
    ],
}

# Bokslut 2025 in mnkr with one decimal (as the kommun's årsredovisning), headers Budget, Utfall,
# Avvikelse mot budget: Rektor anpassad GY is reported within Gemensamma resurser this year (no
# row), the new Etableringsenhet has a row.
BOKSLUT_2025 = {
    "Tillfälle": _round("Bokslut", "2025-12-31", "mnkr", 1, "Verksamhetsberättelse 2025, Arbetsmarknads- och gymnasienämnden"),
    "Organisation": ORG_2025,
    "Ekonomi": [
        ["Enhet", "Budget", "Utfall", "Avvikelse mot budget"],
        ["agn", "490,0", "488,2", "1,8"],
        ["namnden", "2,6", "2,5", "0,1"],
        ["gymnasieskolan", "366,4", "365,6", "0,8"],
        ["gymnasieskolan/gemensamma-resurser", None, None, "−0,6"],
        ["gymnasieskolan/rektorer-gy", None, None, "1,3"],
        ["gymnasieskolan/interkommunalt-netto", None, None, "0,1"],
        ["tillvaxt-integration-arbete", "55,0", "53,6", "1,4"],
        ["tillvaxt-integration-arbete/gemensamma-resurser", None, None, "0,0"],
        ["tillvaxt-integration-arbete/tillvaxtenheten", None, None, "0,5"],
        ["tillvaxt-integration-arbete/arbetsmarknadsenheten", None, None, "0,9"],
        ["tillvaxt-integration-arbete/etableringsenheten", None, None, "0,0"],
        ["vuxenutbildningen", "66,0", "66,5", "−0,5"],
        ["vuxenutbildningen/gemensamma-resurser", None, None, "−0,9"],
        ["vuxenutbildningen/rektor-1-grundlaggande", None, None, "0,1"],
        ["vuxenutbildningen/rektor-2-sfi", None, None, "0,3"],
        ["vuxenutbildningen/rektor-3-yrkesvux", None, None, "0,0"],
    ],
    "Investeringar": [
        ["Projekt", "Namn", "Utfall helår", "Budget helår", "Avvikelse mot budget"],
        ["gy-lokaler", "Ombyggnad gymnasiet", "8,4", "15,0", "6,6"],
        ["it-elever", "IT-utrustning elever", "3,2", "3,0", "−0,2"],
    ],
}

ALL = [("bokslut_2024", BOKSLUT_2024), ("delar1_2025", DELAR1_2025), ("delar2_2025", DELAR2_2025),
       ("bokslut_2025", BOKSLUT_2025)]


def write_all(folder: Path, which=ALL) -> list[Path]:
    return [b.write_xlsx(sheets, folder / f"{name}.xlsx") for name, sheets in which]


def load_all(engine, folder: Path, which=ALL) -> None:
    from dashboard.importing import import_path

    for path in write_all(folder, which):
        report = import_path(engine, path, user="test")
        assert report.ok, report.lines()
