"""Small Streamlit building blocks the pages share: badges, metrics, links, charts, downloads."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from .. import formatting as fmt
from .. import status as stt
from .. import textsafe
from ..textsafe import md
from .context import Context, page_target
from .projector import projector

def status_badge(info: stt.Status, word: str | None = None, large: bool = False) -> str:
    """HTML for a traffic light that never relies on colour alone: symbol + word + colour."""
    # the word may come from the workbook: literal markdown inside our own span
    text = md(word if isinstance(word, str) and word.strip() else info.label)
    size = " badge-lg" if large else ""
    return f'<span class="badge tone-{info.tone}{size}">{info.symbol} {text}</span>'


def text_block(body: str) -> str:
    """Report text for st.markdown: line breaks kept, no HTML, links, images, LaTeX or headings."""
    return textsafe.text_block(body)


def page_link(page_id: str, label: str, icon: str | None = None, query_params: dict | None = None) -> None:
    """st.page_link to one of our pages (ui.context.PAGES id). The icon is the caller's, none when
    None (a registered st.Page would lend its own)."""
    st.page_link(page_target(page_id), label=label, icon=icon or "", query_params=query_params)


def unit_link(ctx: Context, key: str, label: str, icon: str | None = None) -> None:
    page_link("verksamhet", md(label), icon, ctx.link("verksamhet", enhet=key))


def namnd_follow_up_links(ctx: Context) -> None:
    """In a kommun's overall follow-up: a link to each nämnd's own dashboard that is in the
    database, on the same period end when that nämnd has it (else its newest round)."""
    from .. import economy as ec
    from .. import views
    from ..data import keyed, q

    # asked on every run of Översikt: once per data version and round (ctx.units is that round's)
    if not keyed(("is_kommun_level", ctx.round_id), lambda: ec.is_kommun_level(ctx.units)):
        return
    namnder = q("namnder")
    links = views.namnd_links(ctx.units, namnder, ctx.kommun_code)
    if not links:
        return
    st.markdown("#### Nämndernas egna uppföljningar")
    for label, code in links:
        row = namnder[(namnder["kommun_code"] == ctx.kommun_code) & (namnder["namnd_code"].str.upper() == code)].iloc[0]
        periods = set(q("rounds", int(row["namnd_id"]))["period_end"])
        params = {"kommun": ctx.kommun_code, "namnd": str(row["namnd_code"])}
        if ctx.period_end in periods:
            params["tillfalle"] = ctx.period_end.isoformat()
        page_link("oversikt", md(f"{label} – nämndens uppföljning"), ":material/open_in_new:", params)


def deviation_text(value: float | None, ctx: Context, to_unit: str | None = None, computed: bool = False) -> str:
    text = fmt.amount(value, ctx.amount_unit, ctx.decimals, to_unit, signed=True)
    return text + (" *" if computed else "")


def amount_text(value: float | None, ctx: Context, to_unit: str | None = None, computed: bool = False) -> str:
    text = fmt.amount(value, ctx.amount_unit, ctx.decimals, to_unit)
    return text + (" *" if computed else "")


COMPUTED_NOTE = (
    "\\* beräknad, rapporten skriver inte ut värdet: summan av raderna under, "
    "eller prognos = budget − prognosavvikelse."
)

def metric(container, label: str, value: str, delta: str | None = None, sign: float | None = None,
           help: str | None = None) -> None:
    """st.metric whose delta colour and arrow follow the sign of `sign` (our minus is U+2212,
    which Streamlit's own sign detection does not see). Arrow + word carry the meaning too."""
    if sign is None or fmt.is_missing(sign) or sign == 0:
        color, arrow = "gray", "off"
    else:
        color, arrow = ("green", "up") if sign > 0 else ("red", "down")
    container.metric(label, value, delta, delta_color=color, delta_arrow=arrow, help=help)


def status_strip(label: str, statuses, info_fn, scale: dict, words=None) -> None:
    """A row of badges: how many items per status, worst first (status.worst_first, the order used
    everywhere), each in the report's own word when `words` (the items' status words) are given."""
    parts = stt.tally(list(statuses), list(words) if words is not None else None, info_fn)
    badges = " &nbsp; ".join(f"{status_badge(info, word, large=True)} **{n}**" for info, word, n in parts)
    st.markdown(f"**{md(label)}:** &nbsp; {badges}", unsafe_allow_html=True)


def show_chart(chart, cache_key: tuple | None = None, spec=None, **kwargs):
    """st.altair_chart with the Swedish locale and a type size for the screen or the projector.

    With `cache_key`, `chart` is a function that builds the chart, and the finished Vega-Lite spec
    (data included) is kept per data version under that key (which must name everything the
    chart shows): a rerun sends the same chart without building, converting and serialising it
    again – for a chart of a few thousand bars that is most of the page's time. `spec`:
    instead of `chart`, a function giving that finished spec (e.g. `deviation_spec`).
    """
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("theme", None)  # our own colours and contrast, not the theme's greys
    if cache_key is not None:
        from .. import data

        finished = data.keyed(("chart", *cache_key, projector()), spec or (lambda: _spec(_finished(chart()))))
        # the same spec st.altair_chart would send (it converts the chart exactly like this)
        return st.vega_lite_chart(spec=_spec_copy(finished), **kwargs)
    if spec is not None:  # a finished spec, not kept
        return st.vega_lite_chart(spec=spec(), **kwargs)
    return st.altair_chart(_finished(chart), **kwargs)


# The finished spec of the first deviation chart of each kind in this process, with its parts:
# (unit, axis format, measure, click, kinds, screen or projector) -> (spec, its data's dataset name);
# a handful of entries per process (the keys are chart kinds, not data)
_DEVIATION_TEMPLATES: dict[tuple, tuple[dict, str]] = {}


def deviation_spec(dev, unit: str, value_format: str, measure: str, click: bool = False) -> dict:
    """`_spec(_finished(charts.deviation_bars(dev, …)))` (with the click parameter when `click`)
    without building the chart anew for each round: the finished spec of the first chart of its
    kind with this data's dataset, row order, value domain, ticks and height put in. A chart of
    2 000 bars took ~60 ms to build and convert on every filter change at full scale, for a spec
    that differs only in those (tests/test_cached_charts.py compares both for every round)."""
    from .. import charts

    parts = charts.deviation_parts(dev)
    key = (unit, value_format, measure, click, parts.kinds, projector())
    found = _DEVIATION_TEMPLATES.get(key)
    if found is None:
        chart = charts.deviation_chart(parts, unit, value_format, measure)
        spec = _spec(_finished(chart.add_params(charts.click_param()) if click else chart))
        name = spec["layer"][0]["data"]["name"]
        # the template without this chart's own data (filling puts each chart's in)
        _DEVIATION_TEMPLATES[key] = ({**spec, "datasets": {k: v for k, v in spec["datasets"].items() if k != name}}, name)
        return spec
    template, name = found
    return _deviation_filled(template, name, parts)


def _deviation_filled(template: dict, name: str, parts) -> dict:
    """The template's spec with another chart's parts: the layers drawn from the data (`name`)
    get the new dataset and row order, the bars' axis its domain and ticks, the chart its height
    (scaled as `_finished` scales it on a projector). Every dict on the way is new; the rest is
    shared with the template, which nothing changes (st.vega_lite_chart only touches the top
    level, and show_chart sends a `_spec_copy`)."""
    from streamlit.elements.vega_charts import _to_arrow_dataset  # streamlit==1.67.0, as _spec

    datasets = template["datasets"]  # the rule's
    new_name = _to_arrow_dataset(parts.data, new := {})["name"]
    layers = []
    for i, layer in enumerate(template["layer"]):
        if layer.get("data", {}).get("name") != name:
            layers.append(layer)
            continue
        encoding = dict(layer["encoding"])
        encoding["y"] = dict(encoding["y"], sort=list(parts.order))
        if i == 0:  # the bars: the value axis
            x = dict(encoding["x"])
            x["scale"] = dict(x["scale"], domain=list(parts.domain))
            x["axis"] = dict(x["axis"], values=list(parts.ticks))
            encoding["x"] = x
        layers.append(dict(layer, data={"name": new_name}, encoding=encoding))
    height = parts.height if not projector() else int(parts.height * 1.45)
    # the datasets in the order the chart's layers name them (the data first, then the rule's)
    return dict(template, layer=layers, height=height, datasets=new | datasets)


def _spec_copy(spec: dict) -> dict:
    """The cached spec as st.vega_lite_chart may change it (streamlit==1.67.0): it sets top-level
    keys (autosize, removes datasets/data) and patches `encoding.color` (its title and legend
    title); nothing deeper. Only those dicts are copied: a deep copy of a chart of 2 000 bars
    (its sort lists) cost more per rerun than sending it (tests/test_cached_charts.py)."""
    out = dict(spec)
    encoding = out.get("encoding")
    if isinstance(encoding, dict):
        out["encoding"] = encoding = dict(encoding)
        color = encoding.get("color")
        if isinstance(color, dict):
            encoding["color"] = color = dict(color)
            if isinstance(color.get("legend"), dict):
                color["legend"] = dict(color["legend"])
    return out


def _spec(chart) -> dict:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec  # streamlit==1.67.0

    return _convert_altair_to_vega_lite_spec(chart)


def _finished(chart):
    from .. import charts

    if projector():
        height = chart.to_dict().get("height")
        if isinstance(height, int | float):  # larger type needs taller rows
            chart = chart.properties(height=int(height * 1.45))
    chart = charts.finish(chart, font_size=18 if projector() else charts.FONT_SIZE)
    # Streamlit converts with to_dict(), which validates the whole spec against Vega-Lite's JSON
    # schema: most of a chart's cost (docs/benchmark.md). Our charts are validated by the test
    # suite (tests/test_charts.py), so the page skips it; the spec sent is the same.
    object.__setattr__(chart, "to_dict", functools.partial(chart.to_dict, validate=False))  # not a spec field
    return chart


def table_downloads(download, key: str, name: str | None = None) -> None:
    """A downloads.Download as Excel (numbers, number formats, "Om uppgifterna") and CSV for
    Swedish Excel; built only when the user clicks (callables). `download` may itself be a
    callable returning the Download (with its file `name` given): a large table is then not
    prepared on every click of the page, only when a file is asked for."""
    from .. import downloads

    if projector():  # the audience sees no download buttons (issue 13); the presenter exits to download
        return
    if callable(download):
        build, stem = functools.cache(download), name
    else:
        build, stem = (lambda: download), download.name
    # side by side at their own width: in narrow columns both labels were cut to "Ladda ned…"
    with st.container(horizontal=True, gap="small"):
        st.download_button("Ladda ned Excel", lambda: downloads.to_xlsx(build()), f"{stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                           icon=":material/download:", on_click="ignore", width="content")
        st.download_button("Ladda ned CSV", lambda: downloads.to_csv(build()), f"{stem}.csv",
                           "text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore",
                           width="content")


def download_about(ctx, with_amounts: bool = True) -> list[tuple[str, str]]:
    """The "Om uppgifterna" sheet for this context: source, round, unit, export time."""
    import datetime as dt

    from .. import downloads

    from .. import rounds

    title = ctx.round.get("report_title")
    words = rounds.vocabulary(ctx.round)
    return downloads.about_rows(ctx.kommun_name, ctx.namnd_name, ctx.round_label, ctx.round.get("status"),
                                ctx.scope_label, ctx.amount_unit if with_amounts else None,
                                title if isinstance(title, str) and title else None, dt.datetime.now(),
                                computed="resultat = budget − utfall" if words.outcome else None)


def heading(ctx: Context, view: str, what: str | None = None) -> None:
    """The page title (view, nämnd, förvaltning) and the line under it (kommun, round, what)."""
    st.title(ctx.title(view))
    st.caption(ctx.choice_line() + (f" · {md(what)}" if what else ""))
