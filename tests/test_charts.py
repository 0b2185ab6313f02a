"""Chart builders tested on `chart.to_dict()` (Altair's own way): data, encodings, layers, locale.

Input frames have the columns each builder's docstring names, with texts formatted the way
`views` formats them (Swedish amounts, signed deviations).
"""

from __future__ import annotations

import types

import altair as alt
import pandas as pd
import pytest

from dashboard import charts
from dashboard import formatting as fmt

NB = "\u00a0"
MINUS = "\u2212"


def spec(chart) -> dict:
    return chart.to_dict()  # validates against the Vega-Lite schema


def layers(d: dict) -> list[dict]:
    return d["layer"] if "layer" in d else [d]


def data_of(d: dict, layer: dict) -> list[dict]:
    """The rows a layer draws, whether inline or in the top-level `datasets`."""
    data = layer.get("data") or d.get("data")
    if "values" in data:
        return data["values"]
    return d["datasets"][data["name"]]


def layer_with_mark(d: dict, mark: str) -> list[dict]:
    out = []
    for layer in layers(d):
        m = layer["mark"]
        if (m["type"] if isinstance(m, dict) else m) == mark:
            out.append(layer)
    return out


def the_layer(d: dict, mark: str) -> dict:
    found = layer_with_mark(d, mark)
    assert len(found) == 1, f"expected one {mark} layer, got {len(found)}"
    return found[0]


def enc(layer: dict, channel: str) -> dict:
    return layer["encoding"][channel]


# --- input frames -------------------------------------------------------------------------------

DEV_VALUES = {"Skolan": 60.0, "Omsorgen": -20.0, "Enhet B": -10.0, "Nämnden": 0.0, "Vux": 5.0}


def deviation_df() -> pd.DataFrame:
    labels = list(DEV_VALUES)
    return pd.DataFrame({
        "key": [s.lower() for s in labels],
        "label": labels,
        "value": [DEV_VALUES[s] for s in labels],
        "value_text": [fmt.amount(DEV_VALUES[s], signed=True) for s in labels],
    })


def budget_df() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["Omsorgen", "Skolan", "Administration"],  # order given by the caller
        "budget": [301.0, 600.0, 99.0],
        "forecast": [321.0, 550.0, 99.0],
        "budget_text": [fmt.amount(v) for v in (301, 600, 99)],
        "forecast_text": [fmt.amount(v) for v in (321, 550, 99)],
    })


def history_df() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["Skolan", "Skolan", "Omsorgen"],
        "round_label": ["Delår 2 2024", "Delår 1 2024", "Delår 2 2024"],
        "period_end": ["2024-08-31", "2024-04-30", "2024-08-31"],
        "value": [50.0, 40.0, -20.0],
        "value_text": [fmt.amount(v, signed=True) for v in (50, 40, -20)],
    })


def last_year_df() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["Skolan", "Skolan", "Omsorgen", "Omsorgen"],
        "series": ["Utfall i år", "Samma period fg år"] * 2,
        "value": [380.0, 350.0, 230.0, 210.0],
        "value_text": [fmt.amount(v) for v in (380, 350, 230, 210)],
    })


def amounts_df() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["Verksamhetens intäkter", "Verksamhetens kostnader", "Nettokostnad"],
        "value": [120.0, -620.0, -500.0],
        "value_text": [fmt.amount(v) for v in (120, -620, -500)],
    })


def investments_df() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["1250 Inventarier", "1300 Lokaler"],
        "budget": [2.5, 10.0],
        "actual": [1.2, 3.4],
        "forecast": [2.4, 11.0],
        "budget_text": [fmt.amount(v, "mnkr", 1) for v in (2.5, 10.0)],
        "actual_text": [fmt.amount(v, "mnkr", 1) for v in (1.2, 3.4)],
        "forecast_text": [fmt.amount(v, "mnkr", 1) for v in (2.4, 11.0)],
    })


ALL_BUILDERS = {
    "deviation_bars": lambda: charts.deviation_bars(deviation_df(), "tkr"),
    "budget_vs_forecast": lambda: charts.budget_vs_forecast(budget_df(), "tkr"),
    "forecast_across_rounds": lambda: charts.forecast_across_rounds(history_df(), "tkr"),
    "outcome_vs_last_year": lambda: charts.outcome_vs_last_year(last_year_df(), "tkr"),
    "amounts_bars": lambda: charts.amounts_bars(amounts_df(), "tkr", "Resultat"),
    "investment_bullets": lambda: charts.investment_bullets(investments_df(), "mnkr"),
}


# --- finish(): Swedish locale on every chart ------------------------------------------------------


@pytest.mark.parametrize("name", list(ALL_BUILDERS))
def test_finish_carries_swedish_number_locale(name):
    d = spec(charts.finish(ALL_BUILDERS[name]()))
    number = d["config"]["locale"]["number"]
    assert number["decimal"] == ","
    assert number["thousands"] == NB
    assert number["minus"] == MINUS
    assert number["grouping"] == [3]


def test_finish_carries_swedish_months_and_days():
    d = spec(charts.finish(charts.amounts_bars(amounts_df(), "tkr", "Resultat")))
    time = d["config"]["locale"]["time"]
    assert time["months"][0] == "januari" and time["months"][7] == "augusti"
    assert time["shortMonths"][9] == "okt"
    assert time["days"][1] == "måndag"
    assert len(time["months"]) == 12 and len(time["days"]) == 7


def test_finish_readable_type_and_no_border():
    d = spec(charts.finish(charts.amounts_bars(amounts_df(), "tkr", "Resultat"), font_size=16))
    assert d["config"]["axis"]["labelFontSize"] == 16
    assert d["config"]["axis"]["titleFontSize"] == 16
    assert d["config"]["legend"]["orient"] == "bottom"
    assert d["config"]["view"]["stroke"] is None


def test_without_finish_no_locale():
    assert "locale" not in spec(charts.amounts_bars(amounts_df(), "tkr", "Resultat")).get("config", {})


@pytest.mark.parametrize(("decimals", "expected"), [(0, ",.0f"), (1, ",.1f"), (2, ",.2f")])
def test_axis_format(decimals, expected):
    assert charts.axis_format(decimals) == expected


# --- deviation bars ----------------------------------------------------------------------------------


def test_deviation_bars_data_and_encodings():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    bars = the_layer(d, "bar")
    x, y = enc(bars, "x"), enc(bars, "y")
    assert (x["field"], x["type"]) == ("value", "quantitative")
    assert x["axis"]["format"] == ",.0f"
    assert x["title"] == "Prognosavvikelse, tkr (+ = överskott)"
    assert (y["field"], y["type"]) == ("label", "nominal")
    rows = {r["label"]: r for r in data_of(d, bars)}
    assert set(rows) == set(DEV_VALUES) - {"Nämnden"}  # a row at zero has no deviation to draw
    assert rows["Skolan"]["value"] == 60.0


def test_deviation_bars_sorted_worst_deficit_first():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    assert enc(the_layer(d, "bar"), "y")["sort"] == ["Omsorgen", "Enhet B", "Vux", "Skolan"]


def test_deviation_bars_surplus_and_deficit_differ_by_word_not_only_colour():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    bars = the_layer(d, "bar")
    color = enc(bars, "color")
    assert color["field"] == "kind"
    scale = dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
    assert scale["Överskott"] != scale["Underskott"]
    kinds = {r["label"]: r["kind"] for r in data_of(d, bars)}
    assert kinds == {"Skolan": "Överskott", "Vux": "Överskott", "Omsorgen": "Underskott",
                     "Enhet B": "Underskott"}
    assert color["scale"]["domain"] == ["Underskott", "Överskott"]  # one legend entry per meaning shown
    texts = {r["label"]: r["text"] for r in data_of(d, bars)}
    assert texts["Skolan"] == f"+60{NB}tkr överskott"
    assert texts["Omsorgen"] == f"{MINUS}20{NB}tkr underskott"
    tooltip_fields = [t["field"] for t in enc(bars, "tooltip")]
    assert tooltip_fields == ["label", "text"]


def test_deviation_bars_have_a_label_layer_with_the_signed_value():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    texts = [layer for layer in d["layer"] if (layer.get("mark") or {}).get("type", layer.get("mark")) == "text"]
    assert len(texts) == 2  # surplus labels right of the bar end, deficit labels left of it
    filters = sorted(t["transform"][0]["filter"] for t in texts)
    assert filters == ["datum.value < 0", "datum.value >= 0"]
    for label in texts:
        assert enc(label, "text")["field"] == "value_text"
        assert enc(label, "y")["field"] == "label"
        assert enc(label, "x")["field"] == "value"  # at the bar's end, not at the plot's edge
    aligns = {t["transform"][0]["filter"]: t["mark"]["align"] for t in texts}
    assert aligns == {"datum.value >= 0": "left", "datum.value < 0": "right"}
    label = texts[0]
    shown = {r["label"]: r["value_text"] for r in data_of(d, label)}
    assert shown["Skolan"] == f"+60{NB}tkr"
    assert shown["Omsorgen"] == f"{MINUS}20{NB}tkr"
    assert "Nämnden" not in shown


def test_deviation_bars_zero_rule():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    rule = the_layer(d, "rule")
    assert enc(rule, "x")["field"] == "x"
    assert data_of(d, rule) == [{"x": 0}]


def test_deviation_bars_height_grows_with_rows_and_axis_format_passes_through():
    d = spec(charts.deviation_bars(deviation_df(), "mnkr", ",.1f"))
    assert d["height"] == 4 * 34  # four rows with a deviation
    assert d["width"] == "container"
    bars = the_layer(d, "bar")
    assert enc(bars, "x")["axis"]["format"] == ",.1f"
    assert enc(bars, "x")["title"] == "Prognosavvikelse, mnkr (+ = överskott)"
    small = spec(charts.deviation_bars(deviation_df().head(2), "tkr"))
    assert small["height"] == 120  # minimum


def test_deviation_bars_zero_is_a_tick_and_labels_have_room_outside_the_bars():
    d = spec(charts.deviation_bars(deviation_df(), "tkr"))
    x = enc(the_layer(d, "bar"), "x")
    lo, hi = x["scale"]["domain"]
    values = [r["value"] for r in data_of(d, the_layer(d, "bar"))]
    span = max(values) - min(values)
    assert 0 in x["axis"]["values"]
    assert lo <= min(values) - 0.2 * span and hi >= max(values) + 0.2 * span  # the label fits beyond the bar
    assert x["scale"]["nice"] is False


def test_deviation_bars_summary_line_drawn_apart_and_never_ranked():
    df = pd.DataFrame({"label": ["Resultat nämndens enheter", "470 Grundläggande vuxenutb", "575 Ekonomiskt bistånd"],
                       "value": [-12.4, -6.4, 10.8], "summary": [True, False, False]})
    df["value_text"] = [fmt.amount(v, "mnkr", 1, signed=True) for v in df["value"]]
    d = spec(charts.deviation_bars(df, "mnkr", ",.1f"))
    bars = the_layer(d, "bar")
    # the deepest deficit is the summary line, yet the ranked rows come first and it sits last
    assert enc(bars, "y")["sort"] == ["470 Grundläggande vuxenutb", "575 Ekonomiskt bistånd", "Resultat nämndens enheter"]
    kinds = {r["label"]: r["kind"] for r in data_of(d, bars)}
    assert kinds["Resultat nämndens enheter"] == charts.SUMMARY
    assert enc(bars, "color")["scale"]["domain"] == ["Underskott", "Överskott", charts.SUMMARY]


@pytest.mark.parametrize(("lo", "hi", "expected"), [(-14.9, 13.2, [-10.0, -5.0, 0.0, 5.0, 10.0]),
                                                    (0.0, 4880.0, [0.0, 1000.0, 2000.0, 3000.0, 4000.0])])
def test_nice_ticks_include_zero(lo, hi, expected):
    assert charts.nice_ticks(lo, hi) == expected


# --- budget vs forecast ------------------------------------------------------------------------------


def test_budget_vs_forecast():
    d = spec(charts.budget_vs_forecast(budget_df(), "tkr"))
    bars, ticks = the_layer(d, "bar"), the_layer(d, "tick")
    assert (enc(bars, "x")["field"], enc(bars, "x")["type"]) == ("budget", "quantitative")
    assert enc(bars, "x")["axis"]["format"] == ",.0f"
    assert enc(bars, "x")["title"].startswith("Nettokostnad, tkr")
    assert (enc(ticks, "x")["field"], enc(ticks, "x")["type"]) == ("forecast", "quantitative")
    assert enc(bars, "y")["sort"] == ["Omsorgen", "Skolan", "Administration"]  # caller's order kept
    assert [t["field"] for t in enc(bars, "tooltip")] == ["label", "budget_text", "forecast_text"]
    rows = {r["label"]: r for r in data_of(d, bars)}
    assert rows["Omsorgen"]["forecast_text"] == f"321{NB}tkr"
    assert d["height"] == max(120, 3 * 40)


# --- forecast across rounds ----------------------------------------------------------------------------


def test_forecast_across_rounds():
    d = spec(charts.forecast_across_rounds(history_df(), "tkr", ",.1f"))
    line = the_layer(d, "line")
    x, y = enc(line, "x"), enc(line, "y")
    assert (x["field"], x["type"]) == ("round_label", "nominal")
    assert x["sort"] == {"field": "period_end"}  # rounds in time order, not alphabetical
    assert (y["field"], y["type"]) == ("value", "quantitative")
    assert y["axis"]["format"] == ",.1f"
    assert y["title"] == "Prognosavvikelse, tkr"
    assert enc(line, "color")["field"] == "label"
    assert [t["field"] for t in enc(line, "tooltip")] == ["label", "round_label", "value_text"]
    assert line["mark"]["point"]  # the points make single rounds visible
    rows = data_of(d, line)
    assert {(r["label"], r["period_end"]) for r in rows} == {
        ("Skolan", "2024-08-31"), ("Skolan", "2024-04-30"), ("Omsorgen", "2024-08-31")}
    zero = the_layer(d, "rule")
    assert data_of(d, zero) == [{"y": 0}]


# --- outcome vs last year -----------------------------------------------------------------------------


def test_outcome_vs_last_year():
    d = spec(charts.outcome_vs_last_year(last_year_df(), "tkr"))
    (bars,) = layers(d)
    y, x = enc(bars, "y"), enc(bars, "x")
    assert (y["field"], y["type"]) == ("label", "nominal")
    assert y["sort"] is None  # data order
    assert (x["field"], x["type"]) == ("value", "quantitative")
    assert x["title"] == "Nettokostnad, tkr"
    assert x["axis"]["format"] == ",.0f"
    offset, color = enc(bars, "yOffset"), enc(bars, "color")
    assert offset["field"] == "series"
    assert offset["sort"] == ["Utfall i år", "Samma period fg år"]
    assert color["field"] == "series"
    assert color["sort"] == ["Utfall i år", "Samma period fg år"]
    assert len(data_of(d, bars)) == 4
    assert d["height"] == max(120, 4 * 22)


# --- amounts bars ----------------------------------------------------------------------------------------


def test_amounts_bars():
    d = spec(charts.amounts_bars(amounts_df(), "mnkr", "Resultaträkning", ",.1f"))
    bars = the_layer(d, "bar")
    assert enc(bars, "x")["title"] == "Resultaträkning, mnkr"
    assert enc(bars, "x")["axis"]["format"] == ",.1f"
    assert enc(bars, "y")["sort"] == ["Verksamhetens intäkter", "Verksamhetens kostnader", "Nettokostnad"]
    assert [t["field"] for t in enc(bars, "tooltip")] == ["label", "value_text"]
    texts = {r["label"]: r["value_text"] for r in data_of(d, bars)}
    assert texts["Nettokostnad"] == f"{MINUS}500{NB}tkr"
    assert data_of(d, the_layer(d, "rule")) == [{"x": 0}]


# --- investment bullets ----------------------------------------------------------------------------------


def test_investment_bullets():
    d = spec(charts.investment_bullets(investments_df(), "mnkr"))
    bars = layer_with_mark(d, "bar")
    assert [enc(b, "x")["field"] for b in bars] == ["budget", "actual"]  # light budget under dark actual
    assert enc(bars[0], "x")["axis"]["format"] == ",.1f"
    assert enc(bars[0], "x")["title"].startswith("mnkr")
    tick = the_layer(d, "tick")
    assert enc(tick, "x")["field"] == "forecast"
    assert [t["field"] for t in enc(bars[0], "tooltip")] == ["label", "actual_text", "forecast_text", "budget_text"]
    rows = {r["label"]: r for r in data_of(d, tick)}
    assert rows["1300 Lokaler"]["forecast_text"] == f"11,0{NB}mnkr"
    assert d["height"] == 120


# --- click to drill down --------------------------------------------------------------------------------


def test_click_param_selects_by_label():
    chart = charts.deviation_bars(deviation_df(), "tkr").add_params(charts.click_param())
    d = spec(charts.finish(chart))
    params = [p for layer in layers(d) for p in layer.get("params", [])] + d.get("params", [])
    picks = [p for p in params if p["name"] == charts.CLICK]
    assert picks
    assert picks[0]["select"]["fields"] == ["label"]
    assert picks[0]["select"]["on"] == "click"


def test_clicked_label():
    event = types.SimpleNamespace(selection={charts.CLICK: [{"label": "Skolan"}]})
    assert charts.clicked_label(event) == "Skolan"
    assert charts.clicked_label(types.SimpleNamespace(selection={charts.CLICK: []})) is None
    assert charts.clicked_label(types.SimpleNamespace(selection={})) is None
    assert charts.clicked_label(None) is None


def test_builders_return_altair_charts():
    for build in ALL_BUILDERS.values():
        assert isinstance(build(), alt.TopLevelMixin)


def test_indicator_trend_height_holds_its_legend():
    """Issue 13: 'Total sjukfrånvaro, %' has nine series; a fixed height left a ~5 px plot."""
    from dashboard.charts import TREND_AXIS, TREND_LEGEND_ROW, TREND_PLOT, indicator_trend

    def frame(n: int) -> pd.DataFrame:
        return pd.DataFrame({"date": ["2022-12-31", "2023-08-31"] * n,
                             "period_label": ["Helår 2022", "Augusti 2023"] * n,
                             "series": [f"Förvaltning {i}" for i in range(n) for _ in range(2)],
                             "value": [5.0, 6.0] * n, "value_text": ["5,0 %", "6,0 %"] * n, "note": [""] * 2 * n,
                             "old_value": [None] * 2 * n, "old_text": [""] * 2 * n})

    targets = pd.DataFrame({"series": ["Förvaltning 0"], "target": [5.5], "target_text": ["≤ 5,5 %"]})
    nine = indicator_trend(frame(9), targets, "%").to_dict()
    two = indicator_trend(frame(2), targets, "%").to_dict()
    one = indicator_trend(frame(1), targets, "%").to_dict()
    # whole height = plot + axis + one row per legend entry: the plot keeps its 170 px
    assert (TREND_PLOT, TREND_AXIS, TREND_LEGEND_ROW) == (170, 34, 20)
    assert nine["height"] == 170 + 34 + 9 * 20 + 10
    assert two["height"] == 170 + 34 + 2 * 20 + 10
    assert one["height"] == 170 + 34  # one series: no legend, the card's title names it
    legends = [layer["encoding"]["color"].get("legend", {}) for layer in nine["layer"] if "color" in layer.get("encoding", {})]
    assert legends[0]["orient"] == "bottom" and legends[0]["columns"] == 1  # under the plot, not on it
    assert all(layer["encoding"]["color"].get("legend", "x") is None
               for layer in one["layer"] if "color" in layer.get("encoding", {}))
    x = nine["layer"][0]["encoding"]["x"]["scale"]
    y = nine["layer"][0]["encoding"]["y"]["scale"]
    assert x["padding"] > 0 and y["padding"] > 0  # points on the first/last period stay inside the plot
