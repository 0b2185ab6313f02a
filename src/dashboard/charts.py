"""Chart builders: tidy DataFrame in, alt.Chart out. No SQL, no Streamlit.

Numbers on axes follow Swedish conventions through Vega-Lite's locale config; tooltips use
pre-formatted text columns so they read exactly like the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

SV_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": "\u00a0",
        "grouping": [3],
        "currency": ["", "\u00a0kr"],
        "minus": "\u2212",
    },
    "time": {
        "dateTime": "%A %e %B %Y %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["fm", "em"],
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                   "september", "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                        "nov", "dec"],
    },
}

SURPLUS = "#1f5fa8"  # blue: surplus (colour-blind safe against the orange)
DEFICIT = "#c0501f"  # orange-red: deficit
NEUTRAL = "#8a94a3"
INK = "#1d232b"
FONT_SIZE = 14


def finish(chart: alt.TopLevelMixin, font_size: int = FONT_SIZE) -> alt.TopLevelMixin:
    """Swedish locale, readable type, no chart border."""
    # One configure() call: each configure_*() copies the whole chart (data included), which
    # cost more than the rest of a small chart (docs/benchmark.md). The spec is the same.
    return chart.configure(
        locale=SV_LOCALE, font="Source Sans Pro, Arial, sans-serif",
        axis=alt.AxisConfig(labelFontSize=font_size, titleFontSize=font_size, labelLimit=320,
                            labelColor=INK, titleColor=INK),
        legend=alt.LegendConfig(labelFontSize=font_size, titleFontSize=font_size, orient="bottom",
                                labelColor=INK, titleColor=INK, labelLimit=420),
        text=alt.MarkConfig(fontSize=font_size - 1 if font_size < 18 else font_size, color=INK),  # projector: ≥ 18
        title=alt.TitleConfig(fontSize=font_size + 2, anchor="start"),
        view=alt.ViewConfig(stroke=None),
    )


def _finish_stepwise(chart: alt.TopLevelMixin, font_size: int = FONT_SIZE) -> alt.TopLevelMixin:
    """The configure_*() chain `finish` replaces; tests compare the two specs."""
    return (
        chart.configure(locale=SV_LOCALE, font="Source Sans Pro, Arial, sans-serif")
        .configure_axis(labelFontSize=font_size, titleFontSize=font_size, labelLimit=320,
                        labelColor=INK, titleColor=INK)
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size, orient="bottom",
                          labelColor=INK, titleColor=INK, labelLimit=420)
        .configure_text(fontSize=font_size - 1 if font_size < 18 else font_size, color=INK)
        .configure_title(fontSize=font_size + 2, anchor="start")
        .configure_view(stroke=None)
    )


class _Order:
    """A row order (a list of labels) that Altair keeps by reference and writes as that list.

    A plain list is copied element by element on every layer, property and configure, then walked
    element by element by to_dict (a protocol check per label): seconds for 2 000 bars. This is
    Altair's SchemaLike (`_schema` and `to_dict`): copied by reference, written as the same list,
    so the spec is unchanged (tests/test_ekonomi_speed.py)."""

    _schema = {"type": "array"}

    def __init__(self, labels) -> None:
        self._labels = list(labels)

    def to_dict(self, *args, **kwargs) -> list:
        return list(self._labels)


def _order(labels) -> _Order:
    return _Order(labels)


def _height(n: int, per_row: int = 34, minimum: int = 120) -> int:
    return max(minimum, per_row * n)


SUMMARY = "Summeringsrad (rankas inte)"


def nice_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round tick values covering [lo, hi], zero always among them (the sign convention's axis)."""
    import math

    span = (hi - lo) or abs(hi) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step - 1e-9) * step  # inside the domain: a tick outside it would widen the axis
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10) + 0.0)
        t += step
    if 0.0 not in ticks and lo <= 0 <= hi:
        ticks.append(0.0)
    return sorted(ticks)


@dataclass(frozen=True)
class DeviationParts:
    """What a deviation chart's data decides (`deviation_parts`): the drawn rows with their kind and
    text, the row order, the value axis's domain and ticks, the kinds present and the height."""

    data: pd.DataFrame
    order: list
    domain: list
    ticks: list
    kinds: tuple
    height: int


def deviation_parts(df: pd.DataFrame) -> DeviationParts:
    """deviation_bars' data, order, domain, ticks, kinds and height (see deviation_bars)."""
    summary = df["summary"].astype(bool) if "summary" in df else pd.Series(False, index=df.index)
    data = df.assign(summary=summary)
    data = data[(data["value"] != 0) | data["summary"]]
    # the columns as lists first: iterating a text column of pandas' str type goes value by value
    # through Arrow (most of a 2 000-bar chart's data before)
    kind = [SUMMARY if s else ("Överskott" if v > 0 else "Underskott")
            for v, s in zip(data["value"].tolist(), data["summary"].tolist(), strict=True)]
    data = data.assign(kind=kind)
    data = data.assign(text=[f"{t} {k.split(' ')[0].lower()}" for t, k in zip(data["value_text"].tolist(), kind, strict=True)])
    ranked = data[~data["summary"]].sort_values("value")
    order = ranked["label"].tolist() + data[data["summary"]]["label"].tolist()
    lo, hi = (min(0.0, float(data["value"].min())), max(0.0, float(data["value"].max()))) if len(data) else (0.0, 1.0)
    span = (hi - lo) or 1.0
    # room for the outside labels: about a fifth of the span on each side that has bars
    domain = [lo - (span * 0.22 if lo < 0 else 0.0), hi + (span * 0.22 if hi > 0 else span * 0.05)]
    kinds = tuple(k for k in ("Underskott", "Överskott", SUMMARY) if k in set(kind))
    return DeviationParts(data, order, domain, nice_ticks(domain[0], domain[1]), kinds, _height(len(data)))


def deviation_bars(df: pd.DataFrame, unit: str, value_format: str = ",.0f",
                   measure: str = "Prognosavvikelse") -> alt.TopLevelMixin:
    """Diverging bars sorted by size: the largest deficit first. Columns: label, value, value_text,
    and optionally summary (bool: a summary line, economy.summary_line_ids).

    Surplus and deficit differ by side of zero, by the signed label and by the legend word, not
    only by colour. Rows at zero are left out (they have no deviation; the slide and the table
    name them). A summary line is drawn apart below the ranked rows, in grey, with its own legend
    word – never ranked among the verksamheter it sums. The value label sits outside the bar's
    end, and the scale leaves room for it on both sides so it never meets the axis labels; zero
    is always a tick. `measure` names the figure (a Bokslut's is "Resultat mot budget").
    """
    return deviation_chart(deviation_parts(df), unit, value_format, measure)


# The economy charts name their channels as objects (alt.X("x:Q"), not the string "x:Q"): Altair
# turns a string into its channel class through a converter it builds anew for every string,
# hashing each of its ~570 schema classes (~4 ms per string, ~20 per chart on a rerun); the spec
# is the same (tests/test_ekonomi_speed.py).


def deviation_chart(parts: DeviationParts, unit: str, value_format: str = ",.0f",
                    measure: str = "Prognosavvikelse") -> alt.TopLevelMixin:
    """deviation_bars drawn from its parts."""
    data, kinds = parts.data, parts.kinds
    colours = {"Överskott": SURPLUS, "Underskott": DEFICIT, SUMMARY: NEUTRAL}
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=_order(parts.order), title=None, axis=alt.Axis(labelLimit=420)),
        tooltip=[alt.Tooltip("label:N", title="Verksamhet"), alt.Tooltip("text:N", title=measure)],
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(  # a share of the row: the bars keep their gaps at any height
        x=alt.X("value:Q", title=f"{measure}, {unit} (+ = överskott)",
                scale=alt.Scale(domain=parts.domain, nice=False),
                axis=alt.Axis(format=value_format, values=parts.ticks)),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(kinds), range=[colours[k] for k in kinds]),
                        legend=alt.Legend(orient="bottom")),
    )
    # the signed amount just outside each bar's end: right of a surplus, left of a deficit
    pos = base.transform_filter("datum.value >= 0").mark_text(dx=5, align="left").encode(
        x=alt.X("value:Q"), text=alt.Text("value_text:N"))
    neg = base.transform_filter("datum.value < 0").mark_text(dx=-5, align="right").encode(
        x=alt.X("value:Q"), text=alt.Text("value_text:N"))
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=INK, strokeWidth=1.5).encode(x=alt.X("x:Q"))
    return (bars + rule + pos + neg).properties(height=parts.height, width="container")


def budget_vs_forecast(df: pd.DataFrame, unit: str, value_format: str = ",.0f",
                       figure: str = "prognos") -> alt.TopLevelMixin:
    """Budget as a grey bar, forecast as a dark tick. Columns: label, budget, forecast, budget_text, forecast_text.
    `figure` names the tick: "prognos", or for a Bokslut "utfall"."""
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", sort=_order(df["label"]), title=None),
        tooltip=[
            alt.Tooltip("label:N", title="Verksamhet"),
            alt.Tooltip("budget_text:N", title="Budget helår"),
            alt.Tooltip("forecast_text:N", title=f"{figure.capitalize()} helår"),
        ],
    )
    bars = base.mark_bar(color="#c9ced6", height=22).encode(
        x=alt.X("budget:Q", title=f"Nettokostnad, {unit} (stapel = budget, streck = {figure})", axis=alt.Axis(format=value_format))
    )
    ticks = base.mark_tick(color=INK, thickness=4, size=28).encode(x=alt.X("forecast:Q"))
    return (bars + ticks).properties(height=_height(len(df), 40), width="container")


def forecast_across_rounds(df: pd.DataFrame, unit: str, value_format: str = ",.0f",
                           measure: str = "Prognosavvikelse") -> alt.TopLevelMixin:
    """Forecast deviation per verksamhet across rounds. Columns: label, round_label, period_end, value, value_text.
    For a Bokslut the last point is the outcome: `measure` "Avvikelse mot budget" names both."""
    base = alt.Chart(df).encode(
        x=alt.X("round_label:N", sort=alt.SortField("period_end"), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"{measure}, {unit}", axis=alt.Axis(format=value_format)),
        color=alt.Color("label:N", title=None),
        tooltip=[
            alt.Tooltip("label:N", title="Verksamhet"),
            alt.Tooltip("round_label:N", title="Tillfälle"),
            alt.Tooltip("value_text:N", title=measure),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=INK).encode(y=alt.Y("y:Q"))
    return (zero + base.mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=3)).properties(height=320, width="container")


def outcome_vs_last_year(df: pd.DataFrame, unit: str, value_format: str = ",.0f") -> alt.TopLevelMixin:
    """Grouped bars. Columns: label, series ('Utfall i år'/'Samma period fg år'), value, value_text."""
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=None),
            yOffset=alt.YOffset("series:N", sort=["Utfall i år", "Samma period fg år"]),
            x=alt.X("value:Q", title=f"Nettokostnad, {unit}", axis=alt.Axis(format=value_format)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=[INK, "#aab2bd"]),
                            sort=["Utfall i år", "Samma period fg år"]),
            tooltip=[alt.Tooltip("label:N", title="Verksamhet"), alt.Tooltip("series:N", title="Serie"),
                     alt.Tooltip("value_text:N", title="Belopp")],
        )
        .properties(height=_height(len(df), 22), width="container")
    )


def amounts_bars(df: pd.DataFrame, unit: str, title: str, value_format: str = ",.0f") -> alt.TopLevelMixin:
    """Plain horizontal bars with value labels. Columns: label, value, value_text."""
    base = alt.Chart(df).encode(
        y=alt.Y("label:N", sort=list(df["label"]), title=None),
        tooltip=[alt.Tooltip("label:N", title="Rad"), alt.Tooltip("value_text:N", title="Belopp")],
    )
    bars = base.mark_bar(color="#5a6472", height=20).encode(
        x=alt.X("value:Q", title=f"{title}, {unit}", axis=alt.Axis(format=value_format))
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=INK).encode(x="x:Q")
    return (bars + zero).properties(height=_height(len(df)), width="container")


def investment_bullets(df: pd.DataFrame, unit: str, value_format: str = ",.1f", outcome: bool = False) -> alt.TopLevelMixin:
    """Budget (light bar), outcome to date (dark bar), forecast (tick). Columns: label, budget, actual, forecast, *_text.
    For a Bokslut (`outcome`) the dark bar is the year's utfall and there is no forecast tick."""
    actual_name = "Utfall helår" if outcome else "Redovisat"
    tips = [alt.Tooltip("label:N", title="Projekt"), alt.Tooltip("actual_text:N", title=actual_name)]
    if not outcome:
        tips.append(alt.Tooltip("forecast_text:N", title="Prognos"))
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None),
                                tooltip=tips + [alt.Tooltip("budget_text:N", title="Budget")])
    legend = "ljus = budget, mörk = utfall helår" if outcome else "ljus = budget, mörk = redovisat, streck = prognos"
    budget = base.mark_bar(color="#d5d9df", height=30).encode(
        x=alt.X("budget:Q", title=f"{unit} ({legend})", axis=alt.Axis(format=value_format))
    )
    actual = base.mark_bar(color="#5a6472", height=12).encode(x=alt.X("actual:Q"))
    if outcome:
        return (budget + actual).properties(height=_height(len(df), 60), width="container")
    forecast = base.mark_tick(color=INK, thickness=4, size=34).encode(x=alt.X("forecast:Q"))
    return (budget + actual + forecast).properties(height=_height(len(df), 60), width="container")


def axis_format(decimals: int) -> str:
    return ",.0f" if decimals == 0 else f",.{decimals}f"


CLICK = "pick"


def click_param() -> alt.Parameter:
    """A point selection on the bar's label, so a click on a bar can drill down."""
    return alt.selection_point(name=CLICK, fields=["label"], on="click", clear=False)


def clicked_label(event) -> str | None:
    """The label of the clicked bar from st.altair_chart's selection state, if any."""
    try:
        points = event.selection[CLICK]
    except (AttributeError, KeyError, TypeError):
        return None
    if isinstance(points, list) and points:
        return points[0].get("label")
    return None


def risk_zone(value: int, critical: int = 12) -> str:
    if value >= critical:
        return "Kritisk"
    if value >= 8:
        return "Hög"
    if value >= 4:
        return "Måttlig"
    return "Låg"


ZONES = ["Låg", "Måttlig", "Hög", "Kritisk"]
ZONE_COLOURS = ["#eef1f5", "#fff4d6", "#fcdcc4", "#f4b6b6"]


def risk_matrix(risks: pd.DataFrame, size: int = 4, critical: int = 12) -> alt.TopLevelMixin:
    """Sannolikhet × konsekvens grid, zones by riskvärde, each risk as its number in its cell.

    Columns of `risks`: number, name, probability, consequence, risk_value. Zones carry a word in
    the legend and every cell prints its riskvärde, so the matrix reads without colour.
    """
    largest = pd.concat([risks["probability"], risks["consequence"]]).max() if len(risks) else size
    size = max(size, int(largest) if not pd.isna(largest) else size)  # a 5-level scale gets a 5×5 matrix
    cells = pd.DataFrame(
        [{"sannolikhet": p, "konsekvens": c, "riskvarde": p * c, "zon": risk_zone(p * c, critical)}
         for p in range(1, size + 1) for c in range(1, size + 1)]
    )
    placed = risks.dropna(subset=["probability", "consequence"])
    grouped = (
        placed.groupby(["probability", "consequence"])["number"]
        .apply(lambda s: ", ".join(str(int(n)) for n in sorted(s)))
        .reset_index()
        .rename(columns={"probability": "sannolikhet", "consequence": "konsekvens", "number": "risker"})
    )
    names = (
        placed.groupby(["probability", "consequence"])["name"].apply(lambda s: " · ".join(s)).reset_index()
        .rename(columns={"probability": "sannolikhet", "consequence": "konsekvens", "name": "namn"})
    )
    grouped = grouped.merge(names, on=["sannolikhet", "konsekvens"])
    x = alt.X("sannolikhet:O", title="Sannolikhet", axis=alt.Axis(labelAngle=0))
    y = alt.Y("konsekvens:O", title="Konsekvens", sort="descending")
    base = alt.Chart(cells).encode(x=x, y=y)
    rect = base.mark_rect(stroke="#ffffff", strokeWidth=3).encode(
        color=alt.Color("zon:N", title="Riskzon", scale=alt.Scale(domain=ZONES, range=ZONE_COLOURS)),
        tooltip=[alt.Tooltip("riskvarde:Q", title="Riskvärde"), alt.Tooltip("zon:N", title="Zon")],
    )
    critical_cells = alt.Chart(cells[cells["riskvarde"] >= critical]).mark_rect(
        fill=None, stroke="#8a1111", strokeWidth=3, strokeDash=[6, 3]
    ).encode(x=x, y=y)
    value_text = base.mark_text(align="left", baseline="top", dx=-40, dy=-30).encode(
        text=alt.Text("riskvarde:Q")
    )
    marks = alt.Chart(grouped).mark_text(fontSize=22, fontWeight="bold", color=INK).encode(
        x=x, y=y, text="risker:N",
        tooltip=[alt.Tooltip("namn:N", title="Risk"), alt.Tooltip("sannolikhet:O", title="Sannolikhet"),
                 alt.Tooltip("konsekvens:O", title="Konsekvens")],
    )
    return (rect + critical_cells + value_text + marks).properties(width=440, height=400)


TREND_PLOT = 170  # px: the plot area of an indicator trend, whatever its legend needs
TREND_AXIS = 34  # px: the time axis under it
TREND_LEGEND_ROW = 20  # px: one legend entry (columns=1) at FONT_SIZE


def trend_height(series: int, plot: int = TREND_PLOT) -> int:
    """The chart's whole height for `series` legend entries. Streamlit draws a chart of
    width="stretch" with Vega's autosize "fit", so `height` must hold the plot, the axis and the
    legend: a fixed 220 px with nine entries left a ~5 px plot (issue 13)."""
    legend = series * TREND_LEGEND_ROW + 10 if series > 1 else 0
    return plot + TREND_AXIS + legend


def indicator_trend(df: pd.DataFrame, targets: pd.DataFrame, unit: str | None, height: int | None = None) -> alt.TopLevelMixin:
    """Values over time per series; I.U. breaks the line; old-method values as hollow points; target as a dashed rule.

    df columns: date (ISO), period_label, series, value (NaN for I.U.), value_text, note, old_value, old_text.
    targets columns: series, target, target_text. The height follows the legend (`trend_height`):
    the legend sits under the plot, one entry a row; a single series needs none (the card names it).
    """
    n_series = int(df["series"].nunique()) if len(df) else 0
    height = height or trend_height(n_series)
    # padding (px): a point on the first or last period, or at the extreme value, lies wholly
    # inside the plot instead of half outside its edge
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=4),
              scale=alt.Scale(padding=14))
    y = alt.Y("value:Q", title=unit or None, scale=alt.Scale(zero=False, nice=True, padding=10))
    # one series per line: many series (units, genders, tables) must not widen the chart
    legend = alt.Legend(orient="bottom", columns=1, labelLimit=420) if n_series > 1 else None
    color = alt.Color("series:N", title=None, legend=legend)
    tooltip = [alt.Tooltip("series:N", title="Serie"), alt.Tooltip("period_label:N", title="Period"),
               alt.Tooltip("value_text:N", title="Värde"), alt.Tooltip("note:N", title="Not")]
    base = alt.Chart(df).encode(x=x, color=color, tooltip=tooltip)
    line = base.mark_line(strokeWidth=3, invalid="break-paths-show-domains").encode(y=y)
    points = base.mark_point(filled=True, size=80).encode(y=y, shape=alt.Shape("series:N", legend=None))
    layers = [line, points]
    missing = df[df["value"].isna()]
    if len(missing):
        layers.append(
            alt.Chart(missing).mark_text(text="I.U.", dy=-8)
            .encode(x=x, y=alt.value(12), tooltip=tooltip)
        )
    old = df[df["old_value"].notna()]
    if len(old):
        layers.append(
            alt.Chart(old).mark_point(filled=False, size=110, strokeWidth=2, shape="diamond")
            .encode(x=x, y=alt.Y("old_value:Q"), color=color,
                    tooltip=[alt.Tooltip("series:N", title="Serie"),
                             alt.Tooltip("old_text:N", title="Tidigare mätmetod")])
        )
    if len(targets) and targets["target"].notna().any():
        layers.append(
            alt.Chart(targets[targets["target"].notna()]).mark_rule(strokeDash=[6, 4], strokeWidth=2)
            .encode(y="target:Q", color=color,
                    tooltip=[alt.Tooltip("series:N", title="Serie"), alt.Tooltip("target_text:N", title="Målvärde")])
        )
    return alt.layer(*layers).properties(height=height, width="container")


def kolada_strip(df: pd.DataFrame, own_label: str, unit: str | None, median: float) -> alt.TopLevelMixin:
    """All municipalities as ticks on one axis, this one as a large labelled diamond, median as a rule.

    Columns: municipality, value, own (bool).
    """
    x = alt.X("value:Q", title=unit or None, scale=alt.Scale(zero=False))
    others = alt.Chart(df[~df["own"]]).mark_tick(color="#8a94a3", thickness=2, size=30).encode(
        x=x, tooltip=[alt.Tooltip("municipality:N", title="Kommunkod"), alt.Tooltip("value:Q", title="Värde", format=",.1f")])
    own = df[df["own"]]
    layers = [others]
    if len(own):
        layers.append(alt.Chart(own).mark_point(shape="diamond", filled=True, size=260, color=INK).encode(x=x))
        layers.append(alt.Chart(own.assign(label=own_label)).mark_text(dy=-22, fontWeight="bold")
                      .encode(x=x, text="label:N"))
    layers.append(alt.Chart(pd.DataFrame({"median": [median], "label": ["median"]})).mark_rule(strokeDash=[5, 3], color=INK)
                  .encode(x="median:Q"))
    return alt.layer(*layers).properties(height=90, width="container")


OUTCOME_SERIES = "Utfall (bokslut)"
_FORECAST_GREYS = ["#aab2bd", "#6f7b8b", "#4a5260", "#2b3440"]


def forecast_outcome_dumbbell(df: pd.DataFrame, unit: str, value_format: str = ",.0f",
                              label_limit: int = 320) -> alt.TopLevelMixin:
    """Forecast → outcome per row (prognossäkerhet): one mark per forecast round, the outcome last
    as a filled black diamond, joined by a line; rows by `rank` (largest miss first).

    Columns: label, series ('Prognos Delår 1' …, 'Utfall (bokslut)'), series_order, value,
    value_text, miss_text, rank. Shape and legend word carry the round, not only the shade."""
    order = list(df.sort_values("rank")["label"].drop_duplicates())
    series = list(df.sort_values("series_order")["series"].drop_duplicates())
    forecasts = [s for s in series if s != OUTCOME_SERIES]
    colours = [_FORECAST_GREYS[min(i, len(_FORECAST_GREYS) - 1)] for i in range(len(forecasts))] + [INK]
    shapes = ["circle"] * len(forecasts) + ["diamond"]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=label_limit))
    span = alt.Chart(df).transform_aggregate(lo="min(value)", hi="max(value)", groupby=["label"]).mark_rule(
        color="#8a94a3", strokeWidth=3).encode(y=y, x=alt.X("lo:Q"), x2=alt.X2("hi:Q"))
    points = alt.Chart(df).mark_point(filled=True, size=170, opacity=1).encode(
        y=y,
        x=alt.X("value:Q", title=f"Avvikelse mot budget, {unit} (+ = överskott)",
                axis=alt.Axis(format=value_format, tickCount=6, labelOverlap=True)),
        color=alt.Color("series:N", title=None, sort=series, scale=alt.Scale(domain=series, range=colours)),
        shape=alt.Shape("series:N", title=None, sort=series, scale=alt.Scale(domain=series, range=shapes)),
        tooltip=[alt.Tooltip("label:N", title="Verksamhet"), alt.Tooltip("series:N", title="Avser"),
                 alt.Tooltip("value_text:N", title="Avvikelse mot budget"),
                 alt.Tooltip("miss_text:N", title="Skillnad utfall − prognos")],
    )
    label = alt.Chart(df).transform_filter(f"datum.series == '{OUTCOME_SERIES}'").mark_text(
        dy=-14, fontWeight="bold").encode(y=y, x=alt.X("value:Q"), text=alt.Text("miss_text:N"))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=INK, strokeWidth=1).encode(x=alt.X("x:Q"))
    return (zero + span + points + label).properties(height=_height(len(order), 44), width="container")


def miss_trend(df: pd.DataFrame, unit: str, value_format: str = ",.0f", round_name: str = "Delår 2") -> alt.TopLevelMixin:
    """Small multiples: the headline forecast's miss per year for each unit, a zero line in each.
    Columns: label, year, miss, miss_text, order."""
    order = list(df.sort_values("order")["label"].drop_duplicates())
    base = alt.Chart().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("miss:Q", title=f"Skillnad, {unit}", axis=alt.Axis(format=value_format)),
        tooltip=[alt.Tooltip("label:N", title="Verksamhet"), alt.Tooltip("year:O", title="År"),
                 alt.Tooltip("miss_text:N", title=f"Skillnad utfall − prognos ({round_name})")],
    )
    line = base.mark_line(color=INK, strokeWidth=2.5, point=alt.OverlayMarkDef(size=80, filled=True, color=INK))
    zero = alt.Chart().mark_rule(color="#8a94a3").encode(y=alt.datum(0))
    return alt.layer(zero, line, data=df).properties(width=150, height=100).facet(
        facet=alt.Facet("label:N", sort=order, title=None, header=alt.Header(labelLimit=200)), columns=3,
    ).properties(title=f"Skillnad utfall − prognos i {round_name} per år (+ = prognosen var för försiktig)")
