"""What a round is and what it is called: the previous-round rule and the round-kind vocabulary.

A Bokslut (year-end) round reports the year's *outcome* (utfall helår, resultat mot budget); the
other rounds – Delår 1, Delår 2 and month rounds that carry a forecast – report a *forecast*.
Every page, slide and export takes its words from `vocabulary(round)` so a Bokslut never reads
as a forecast, and finds the round it compares with through `previous_round(rounds, round)`.

Pure Python (no Streamlit, no SQL): a round is a mapping with at least `kind` and `period_end`
(and `round_id`, `has_forecast` where known), as in the frame `queries.rounds` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from . import formatting as fmt

BOKSLUT = "Bokslut"
MONTH = "Månad"
DELAR = ("Delår 1", "Delår 2")
HEADLINE_FORECAST_KIND = "Delår 2"  # the forecast municipalities measure prognossäkerhet by


def _get(rnd, key: str, default=None):
    if isinstance(rnd, Mapping):
        return rnd.get(key, default)
    if isinstance(rnd, pd.Series):
        return rnd.get(key, default)
    return getattr(rnd, key, default)


def is_outcome(rnd) -> bool:
    """A Bokslut round: its figures are the year's outcome, never a forecast."""
    return _get(rnd, "kind") == BOKSLUT


def carries_forecast(rnd) -> bool:
    """Delår 1 and Delår 2 are forecast rounds; a month round is one when it carries a forecast
    (`has_forecast`, from the data). A Bokslut never is."""
    kind = _get(rnd, "kind")
    if kind == BOKSLUT:
        return False
    if kind in DELAR:
        return True
    flag = _get(rnd, "has_forecast")
    return bool(flag) and not fmt.is_missing(flag)


def budget_year(rnd) -> int:
    """The budget year a round belongs to (municipal budget years are calendar years)."""
    return _period_end(rnd).year


def _period_end(rnd) -> dt.date:
    value = _get(rnd, "period_end")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _records(rounds) -> list[dict]:
    if isinstance(rounds, pd.DataFrame):
        return rounds.to_dict("records")
    return [dict(r) if isinstance(r, Mapping) else r for r in rounds]


def previous_round(rounds, rnd) -> dict | None:
    """The round `rnd` is compared with, or None. The one rule used by pages, slides and exports.

    - Comparisons stay within one budget year: Delår 1 has no previous round (last year's
      Bokslut is another year), unless a month round with a forecast came before it that year.
    - A forecast round (Delår 2, a month round with a forecast) compares with the latest earlier
      forecast round of the same year: Delår 2 with Delår 1, or with the latest month round.
    - A Bokslut compares its outcome with the latest forecast round of the same year.
    - A month round without a forecast compares with the latest earlier round of the year.

    `rounds` are the rounds the viewer may see (a frame or records), in any order; a draft the
    viewer may not see must already be filtered out, so it never becomes the comparison. `rnd` is
    a row of `rounds` or just its `round_id` mapping (it is looked up; an unknown id has none).
    """
    records = _records(rounds)
    own_id = _get(rnd, "round_id")
    if own_id is not None:
        found = [o for o in records if _get(o, "round_id") == own_id]
        if not found and _get(rnd, "period_end") is None:
            return None
        rnd = found[0] if found else rnd
    end = _period_end(rnd)
    wanted_forecast = is_outcome(rnd) or carries_forecast(rnd)
    candidates = []
    for other in records:
        other_end = _period_end(other)
        if other_end.year != end.year or other_end >= end:
            continue
        if wanted_forecast and not carries_forecast(other):
            continue
        candidates.append(other)
    if not candidates:
        return None
    return dict(max(candidates, key=_period_end))


def forecast_rounds_of_year(rounds, rnd) -> list[dict]:
    """The forecast rounds of `rnd`'s budget year before it, oldest first (for prognossäkerhet)."""
    end = _period_end(rnd)
    out = [dict(o) for o in _records(rounds)
           if _period_end(o).year == end.year and _period_end(o) < end and carries_forecast(o)]
    return sorted(out, key=_period_end)


def headline_forecast_round(forecast_rounds: list[dict]) -> dict | None:
    """The forecast whose miss is the headline: Delår 2's, else the latest forecast round."""
    if not forecast_rounds:
        return None
    delar2 = [r for r in forecast_rounds if _get(r, "kind") == HEADLINE_FORECAST_KIND]
    return (delar2 or sorted(forecast_rounds, key=_period_end))[-1]


# --- names ------------------------------------------------------------------------------------

def round_name(rnd) -> str:
    """`Delår 2`, `Bokslut`; a month round by its month: `Oktober`."""
    kind = _get(rnd, "kind")
    if kind == MONTH:
        return fmt.MONTHS[_period_end(rnd).month - 1].capitalize()
    return kind


def round_name_year(rnd) -> str:
    """`Delår 2 2024`, `Oktober 2024`."""
    return f"{round_name(rnd)} {_period_end(rnd).year}"


def forecast_subject(rnd) -> str:
    """The forecast of a round as the subject of a sentence: `Delår 2-prognosen`, `Oktoberprognosen`."""
    if _get(rnd, "kind") == MONTH:
        return f"{round_name(rnd)}prognosen"
    return f"{round_name(rnd)}-prognosen"


def miss_phrase(rnd, miss_text: str, miss: float | None) -> str:
    """The fixed phrase for a forecast's miss (outcome deviation − forecast deviation): positive =
    the forecast was too cautious, negative = too optimistic. `miss_text` is the unsigned amount."""
    subject = forecast_subject(rnd)
    if miss is None or fmt.is_missing(miss):
        return f"{subject} kan inte jämföras med utfallet"
    if miss > 0:
        return f"{subject} var {miss_text} för försiktig"
    if miss < 0:
        return f"{subject} var {miss_text} för optimistisk"
    return f"{subject} träffade utfallet"


def miss_row_phrase(rnd, miss_text: str, miss: float | None) -> str:
    """The short form for Översikt: `Delår 2 låg 3,1 mnkr under utfallet` (positive miss = the
    forecast deviation was below the outcome deviation)."""
    name = round_name(rnd)
    if miss is None or fmt.is_missing(miss):
        return f"{name} kan inte jämföras med utfallet"
    if miss > 0:
        return f"{name} låg {miss_text} under utfallet"
    if miss < 0:
        return f"{name} låg {miss_text} över utfallet"
    return f"{name} träffade utfallet"


# --- the vocabulary of a round ----------------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """The words a page, slide or report uses for a round's figures."""

    outcome: bool
    deviation_field: str  # the round's headline deviation: forecast or outcome
    net_field: str  # the round's full-year net cost: forecast or outcome
    headline: str  # `Resultat för helåret` / `Prognosen för helåret`
    no_figure: str  # the round has no total at all
    deviation_label: str  # metric label
    deviation_short: str  # table column / slide bullet
    deviation_help: str
    deviation_chart_title: str
    deviation_none: str  # no row has the figure
    largest_heading: str
    table_heading: str
    budget_vs_label: str  # tab title
    budget_vs_none: str
    net_label: str
    show_period: bool  # a separate period result (for a Bokslut the period is the year: shown once)
    computed_note: str  # what `*` means (plain text: escape the asterisk for markdown)

    def change_label(self, prev) -> str:
        if prev is None:
            return "Förändring sedan föregående tillfälle"
        if self.outcome:
            return f"Utfall jämfört med prognosen i {round_name(prev)}"
        return f"Förändring av prognosen sedan {round_name_year(prev)}"

    def change_word(self, change: float | None) -> str:
        if change is None or fmt.is_missing(change):
            return ("ej jämförbar (utfall eller prognos saknas)" if self.outcome
                    else "ej jämförbar (prognos saknas i något tillfälle)")
        if self.outcome:
            return "bättre än prognosen" if change > 0 else ("sämre än prognosen" if change < 0 else "som prognosen")
        return "förbättring" if change > 0 else ("försämring" if change < 0 else "oförändrad")

    def prev_column(self, prev) -> str:
        """Ekonomi table column of the previous round's forecast deviation."""
        if self.outcome:
            return f"{round_name(prev)}-prognos, avvikelse"
        return f"Prognosavv. {round_name_year(prev)}"

    @property
    def change_column(self) -> str:
        return "Utfall mot prognos" if self.outcome else "Förändring"

    def economy_columns(self) -> list[tuple[str, str]]:
        """(field, header) of the Ekonomi table, in order."""
        if self.outcome:
            return [("budget_year", "Budget helår"), ("actual_period", "Utfall helår"),
                    ("deviation_period", "Resultat mot budget")]
        return [("budget_year", "Budget helår"), ("budget_period", "Periodbudget"), ("actual_period", "Utfall"),
                ("deviation_period", "Periodavvikelse"), ("forecast_net", "Prognos helår"),
                ("forecast_deviation", "Prognosavvikelse")]


_OUTCOME = Vocabulary(
    outcome=True,
    deviation_field="deviation_period",
    net_field="actual_period",
    headline="Resultat för helåret",
    no_figure="Tillfället redovisar inget resultat för helåret",
    deviation_label="Resultat mot budget helår",
    deviation_short="Resultat mot budget",
    deviation_help="Budget − utfall för helåret (bokslut). Positivt = överskott.",
    deviation_chart_title="Resultat mot budget per verksamhet, störst underskott först",
    deviation_none="Tillfället har inget utfall per verksamhet.",
    largest_heading="Störst avvikelse mot budget (utfall helår)",
    table_heading="Budget, utfall och resultat per verksamhet",
    budget_vs_label="Budget och utfall",
    budget_vs_none="Budget och utfall finns inte båda i detta tillfälle.",
    net_label="Utfall helår",
    show_period=False,
    computed_note="* beräknad, rapporten skriver inte ut värdet: summan av raderna under, eller resultat = budget − utfall.",
)
_FORECAST = Vocabulary(
    outcome=False,
    deviation_field="forecast_deviation",
    net_field="forecast_net",
    headline="Prognosen för helåret",
    no_figure="Tillfället redovisar ingen helårsprognos",
    deviation_label="Prognosavvikelse helår",
    deviation_short="Prognosavvikelse",
    deviation_help="Budget − prognos för helåret. Positivt = överskott.",
    deviation_chart_title="Prognosavvikelse per verksamhet, störst underskott först",
    deviation_none="Tillfället har ingen prognos per verksamhet.",
    largest_heading="Störst avvikelse mot budget (prognos helår)",
    table_heading="Budget, utfall och prognos per verksamhet",
    budget_vs_label="Budget och prognos",
    budget_vs_none="Budget och prognos finns inte båda i detta tillfälle.",
    net_label="Prognos helår",
    show_period=True,
    computed_note="* beräknad, rapporten skriver inte ut värdet: summan av raderna under, eller prognos = budget − prognosavvikelse.",
)


def vocabulary(rnd) -> Vocabulary:
    return _OUTCOME if is_outcome(rnd) else _FORECAST
