"""The drafted sentences of the Word report: a small set of templates, each documented in
docs/rapporttext.md under its id, with the grammar decided here (singular/plural, "ett överskott
på"/"ett underskott på", "oförändrad", zero, negative, no previous round).

Every template takes figures as they are stored (the round's unit and decimals) and formats them
the way the report prints them (`formatting.amount`); nothing is computed here except a share of
the budget, a difference between two stored figures and counts. A template that has nothing to
say from the data returns a sentence that says so, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import formatting as fmt
from .. import rounds

# id -> what the template says; docs/rapporttext.md documents each id (a test checks that).
TEMPLATES: dict[str, str] = {
    "prognos": "helårsprognosens avvikelse mot budget, med andel av budgeten",
    "forandring": "prognosens förändring sedan föregående uppföljning",
    "storst": "största positiva och negativa avvikelse bland rapportens rader",
    "periodresultat": "periodens resultat mot periodbudgeten",
    "bokslut": "helårets utfall mot budget (Bokslut)",
    "prognossakerhet": "hur långt den senaste prognosen låg från utfallet (Bokslut)",
    "mal": "nämndmål per bedömning",
    "aktiviteter": "aktiviteter per status",
    "indikatorer": "indikatorer mot målvärde",
}


@dataclass(frozen=True)
class Drafted:
    """A sentence written from the figures: the controller reviews it before it goes to the nämnd."""

    text: str
    template: str
    level: str  # which rows or items the figures come from (said in the Word comment)
    sources: tuple[str, ...] = field(default=())

    def note(self) -> str:
        """The Word comment beside the sentence: what to review and where each figure comes from."""
        parts = [f"Utkast – granska. Mall «{self.template}» (docs/rapporttext.md). Nivå: {self.level}."]
        if self.sources:
            parts.append("Tal: " + "; ".join(self.sources) + ".")
        return " ".join(parts)


def _missing(value) -> bool:
    return fmt.is_missing(value)


def _amt(value: float, unit: str, decimals: int, signed: bool = False) -> str:
    return fmt.amount(value, unit, decimals, signed=signed)


def _shown_zero(value: float, decimals: int) -> bool:
    """Zero as printed: a float leftover below the report's precision is no change."""
    return fmt.round_half_up(value, decimals) == 0


def _share(value: float, base: float | None) -> str | None:
    if _missing(base) or not base:
        return None
    return fmt.percent(100 * abs(value) / abs(base), 1)


def join_words(items: list[str]) -> str:
    """`A`, `A och B`, `A, B och C`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def round_phrase(prev, current_year: int) -> str:
    """How a sentence names the round it compares with: `delår 1` in the same year, `bokslut 2023`
    otherwise; a month round by its month (`oktober`). Names from rounds.round_name."""
    name = rounds.round_name(prev)
    word = name[:1].lower() + name[1:]
    year = rounds.budget_year(prev)
    return word if year == current_year else f"{word} {year}"


# --- economy --------------------------------------------------------------------------------------

def forecast(subject: str, deviation, budget, unit: str, decimals: int, *, computed: bool = False,
             level: str = "nämnden (totalraden)", source: str = "") -> Drafted:
    """`Nämnden prognostiserar ett överskott på 8 300 tkr för helåret, motsvarande 1,7 % av budgeten.`"""
    if _missing(deviation):
        return Drafted(f"{subject} redovisar ingen helårsprognos i detta tillfälle.", "prognos", level)
    star = " (beräknat som summan av raderna under; rapporten skriver inte ut talet)" if computed else ""
    if _shown_zero(deviation, decimals):
        text = f"{subject} prognostiserar en budget i balans för helåret{star}."
    else:
        word = "ett överskott" if deviation > 0 else "ett underskott"
        text = f"{subject} prognostiserar {word} på {_amt(abs(deviation), unit, decimals)} för helåret{star}"
        share = _share(deviation, budget)
        text += f", motsvarande {share} av budgeten." if share else "."
    sources = [f"prognosavvikelse {_amt(deviation, unit, decimals, signed=True)}{source}"]
    if not _missing(budget):
        sources.append(f"budget helår {_amt(budget, unit, decimals)}")
    return Drafted(text, "prognos", level, tuple(sources))


def forecast_change(change, prev_label: str | None, unit: str, decimals: int, *,
                    level: str = "nämnden (totalraden)") -> Drafted:
    """`Det är en förbättring med 1 000 tkr sedan delår 1.` / `Prognosen är oförändrad sedan delår 1.`"""
    if prev_label is None:
        return Drafted("Det finns ingen tidigare uppföljning att jämföra prognosen med.", "forandring", level)
    if _missing(change):
        return Drafted(f"Prognosen kan inte jämföras med {prev_label}, eftersom prognos saknas i något av "
                       "tillfällena för samma rader.", "forandring", level)
    sources = (f"förändring {_amt(change, unit, decimals, signed=True)} (samma rader i båda tillfällena)",)
    if _shown_zero(change, decimals):
        return Drafted(f"Prognosen är oförändrad sedan {prev_label}.", "forandring", level, sources)
    word = "en förbättring" if change > 0 else "en försämring"
    return Drafted(f"Det är {word} med {_amt(abs(change), unit, decimals)} sedan {prev_label}.",
                   "forandring", level, sources)


def largest(lines: list[tuple[str, float]], unit: str, decimals: int, *, level: str,
            outcome: bool = False) -> Drafted:
    """`Störst positiv avvikelse har Gymnasieskolan (+5 100 tkr).` – among the given rows only.

    `lines`: (label, deviation) of the rows the report comments on. Ties are named together.
    """
    shown = [(label, fmt.amount_value(v, unit, decimals, unit)) for label, v in lines if not _missing(v)]
    what = "utfallet" if outcome else "prognosen"
    if not shown:
        return Drafted(f"Ingen rad redovisar en avvikelse i {what}.", "storst", level)
    parts, sources = [], []
    for sign, word in ((1, "positiv"), (-1, "negativ")):
        side = [(label, v) for label, v in shown if v * sign > 0]
        if not side:
            continue
        extreme = max(v * sign for _, v in side) * sign
        names = [label for label, v in side if v == extreme]
        each = " vardera" if len(names) > 1 else ""
        figure = _amt(extreme, unit, decimals, signed=True)
        parts.append(f"störst {word} avvikelse har {join_words(names)} ({figure}{each})")
        sources.append(f"{join_words(names)} {figure}")
    if not parts:
        n = len(shown)
        rows = "raden" if n == 1 else "båda raderna" if n == 2 else f"alla {n} rader"
        return Drafted(f"I {what} avviker ingen rad från budget ({rows} i balans).", "storst", level)
    text = " och ".join(parts)
    return Drafted(text[0].upper() + text[1:] + ".", "storst", level, tuple(sources))


def period_result(subject: str, deviation, budget_period, unit: str, decimals: int, *,
                  level: str = "nämnden (totalraden)") -> Drafted:
    """`Utfallet för perioden visar ett överskott på 10 888 tkr mot periodbudgeten, motsvarande 3,4 %.`"""
    if _missing(deviation):
        return Drafted(f"{subject} redovisar ingen periodavvikelse i detta tillfälle.", "periodresultat", level)
    sources = (f"periodavvikelse {_amt(deviation, unit, decimals, signed=True)}",)
    if _shown_zero(deviation, decimals):
        return Drafted("Utfallet för perioden motsvarar periodbudgeten.", "periodresultat", level, sources)
    word = "ett överskott" if deviation > 0 else "ett underskott"
    text = f"Utfallet för perioden visar {word} på {_amt(abs(deviation), unit, decimals)} mot periodbudgeten"
    share = _share(deviation, budget_period)
    text += f", motsvarande {share} av periodbudgeten." if share else "."
    return Drafted(text, "periodresultat", level, sources)


def outcome(subject: str, deviation, budget, unit: str, decimals: int, *, computed: bool = False,
            level: str = "nämnden (totalraden)") -> Drafted:
    """Bokslut: `Nämnden redovisar ett överskott på 12,4 mnkr för helåret, motsvarande 2,0 % av budgeten.`"""
    if _missing(deviation):
        return Drafted(f"{subject} redovisar inget resultat mot budget för helåret.", "bokslut", level)
    star = " (beräknat som summan av raderna under; rapporten skriver inte ut talet)" if computed else ""
    if _shown_zero(deviation, decimals):
        text = f"{subject} redovisar ett resultat i balans med budget för helåret{star}."
    else:
        word = "ett överskott" if deviation > 0 else "ett underskott"
        text = f"{subject} redovisar {word} på {_amt(abs(deviation), unit, decimals)} för helåret{star}"
        share = _share(deviation, budget)
        text += f", motsvarande {share} av budgeten." if share else "."
    return Drafted(text, "bokslut", level, (f"resultat mot budget {_amt(deviation, unit, decimals, signed=True)}",))


def forecast_accuracy(outcome_deviation, forecast_deviation, forecast_round, unit: str, decimals: int,
                      *, level: str = "nämnden (totalraden)") -> Drafted:
    """Bokslut: `Delår 2-prognosen var 3,1 mnkr för försiktig (prognos: ett överskott på 9,3 mnkr).`

    miss = utfallets avvikelse − prognosens avvikelse; positive = the forecast was too cautious.
    The fixed phrase is rounds.miss_phrase (issue 12's wording); `forecast_round` is the round
    rounds.previous_round gives a Bokslut (the year's latest forecast round), or None.
    """
    if forecast_round is None:
        return Drafted("Det finns ingen prognos från samma år att jämföra utfallet med.", "prognossakerhet", level)
    subject = rounds.forecast_subject(forecast_round)
    if _missing(outcome_deviation) or _missing(forecast_deviation):
        return Drafted(f"{subject} kan inte jämföras med utfallet, eftersom ett av talen saknas.",
                       "prognossakerhet", level)
    miss = outcome_deviation - forecast_deviation
    if _shown_zero(forecast_deviation, decimals):
        said = "budget i balans"
    else:
        said = ("ett överskott på " if forecast_deviation > 0 else "ett underskott på ") + _amt(abs(forecast_deviation), unit, decimals)
    sources = (f"{rounds.round_name_year(forecast_round)}: prognosavvikelse {_amt(forecast_deviation, unit, decimals, signed=True)}",
               f"utfall: {_amt(outcome_deviation, unit, decimals, signed=True)}")
    shown_miss = 0.0 if _shown_zero(miss, decimals) else miss
    phrase = rounds.miss_phrase(forecast_round, _amt(abs(miss), unit, decimals), shown_miss)
    return Drafted(f"{phrase} (prognos: {said}).", "prognossakerhet", level, sources)


# --- goals, activities, indicators ------------------------------------------------------------------

GOAL_PHRASES = [  # status code -> (phrase after the first count, later counts: (one, many))
    ("uppnas", "bedöms uppnås", ("", "")),
    ("delvis", "bedöms uppnås delvis", ("delvis", "delvis")),
    ("uppnas_ej", "bedöms inte uppnås", ("inte", "inte")),
    ("ej_bedomd", "är inte bedömt", ("är inte bedömt", "är inte bedömda")),
    (None, "saknar bedömning i rapporten", ("saknar bedömning i rapporten", "saknar bedömning i rapporten")),
]


def goals(counts: dict[str | None, int], *, level: str = "nämndmål") -> Drafted:
    """`5 av 12 nämndmål bedöms uppnås och 7 delvis.` Counts per status code (None = not reported)."""
    total = sum(counts.values())
    if total == 0:
        return Drafted("Tillfället redovisar inga nämndmål.", "mal", level)
    reported = total - counts.get(None, 0)
    if reported == 0:
        said = "Ett nämndmål redovisas; rapporten anger inte dess" if total == 1 else \
            f"{total} nämndmål redovisas; rapporten anger inte deras"
        return Drafted(f"{said} bedömning.", "mal", level, (f"{total} nämndmål utan bedömning",))
    sources = tuple(f"{n} {code or 'utan bedömning'}" for code, n in counts.items() if n)
    if total == 1:
        code = next(c for c, n in counts.items() if n)
        phrase = next(p for c, p, _ in GOAL_PHRASES if c == code)
        return Drafted(f"Nämndens enda nämndmål {phrase}.", "mal", level, sources)
    present = [(c, p, s) for c, p, s in GOAL_PHRASES if counts.get(c)]
    first_code, first_phrase, first_short = present[0]
    n_first = counts[first_code]
    if first_code == "uppnas":
        head = f"{n_first} av {total} nämndmål {first_phrase}"
    else:
        phrase = first_phrase if first_code != "ej_bedomd" else first_short[0 if n_first == 1 else 1]
        head = f"Inget av de {total} nämndmålen bedöms uppnås fullt ut; {n_first} {phrase}"
    rest = [f"{counts[c]} {s[0] if counts[c] == 1 else s[1]}" for c, _, s in present[1:]]
    return Drafted(join_words([head] + rest) + ".", "mal", level, sources)


ACTIVITY_PHRASES = [  # status code -> (singular, plural)
    ("klar", "är klar", "är klara"),
    ("pagar", "pågår", "pågår"),
    ("vantande", "väntar", "väntar"),
    ("kvarstar", "kvarstår", "kvarstår"),
    ("forsenad", "är försenad", "är försenade"),
    ("avvikelse", "har avvikelser", "har avvikelser"),
    ("avbruten", "är avbruten", "är avbrutna"),
    (None, "saknar status i rapporten", "saknar status i rapporten"),
]


def activities(counts: dict[str | None, int], *, level: str = "aktiviteter under nämndmålen") -> Drafted:
    """`2 av 12 aktiviteter är klara, 9 pågår och 1 väntar.`"""
    total = sum(counts.values())
    if total == 0:
        return Drafted("Tillfället redovisar inga aktiviteter.", "aktiviteter", level)
    sources = tuple(f"{n} {code or 'utan status'}" for code, n in counts.items() if n)
    present = [(c, one, many) for c, one, many in ACTIVITY_PHRASES if counts.get(c)]
    if total == 1:
        return Drafted(f"Den enda aktiviteten {present[0][1]}.", "aktiviteter", level, sources)
    parts = []
    for i, (code, one, many) in enumerate(present):
        n = counts[code]
        verb = one if n == 1 else many
        parts.append(f"{n} av {total} aktiviteter {verb}" if i == 0 else f"{n} {verb}")
    return Drafted(join_words(parts) + ".", "aktiviteter", level, sources)


def indicators(meets: int, misses: int, missing: int, *, level: str = "nämndindikatorernas senaste värde, totalt (inte per kön), en gång per förvaltning som redovisar indikatorn") -> Drafted:
    """`9 av 14 bedömda indikatorer når målvärdet. För 17 indikatorer saknas underlag (I.U.).`"""
    judged = meets + misses
    sources = (f"{meets} når målvärdet", f"{misses} når det inte", f"{missing} I.U.")
    if judged == 0:
        text = "Ingen indikator kan bedömas mot ett målvärde i detta tillfälle."
    elif judged == 1:
        text = "Den enda bedömda indikatorn " + ("når målvärdet." if meets else "når inte målvärdet.")
    else:
        text = f"{meets} av {judged} bedömda indikatorer når målvärdet."
    if missing:
        noun = "indikator" if missing == 1 else "indikatorer"
        text += f" För {missing} {noun} saknas underlag (I.U.) för den senaste perioden."
    return Drafted(text, "indikatorer", level, sources)
