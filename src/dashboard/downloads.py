"""Table downloads a controller can compute with: Excel with numbers, CSV for Swedish Excel.

A page's table on screen is display text (`1 000`, `−12,4 *`, `I.U.`); a download holds the
*values* instead: numeric cells rounded to what the report printed (10,8 mnkr is 10 800 tkr, not
10 753), an Excel number format with the report's decimals and grouping, empty cells for "not
reported", the computed mark `*` in a column of its own, the Ekonomi tree as a `Nivå` column plus
cell indentation (every level of the chosen scope, not only the rows open on screen).

Text never becomes a formula: Excel text cells are typed as strings explicitly (and quote-
prefixed, so editing keeps them text), CSV text cells that begin with `=`, `+`, `-`, `@`, tab or
CR get a leading `'` as OWASP recommends. Numbers in the CSV are written for Swedish Excel:
`;`-separated, UTF-8 with BOM, decimal comma, ASCII `-` minus, no grouping, no `+`.

Pure functions (no Streamlit): `economy(...)`/`indicators(...)` build a `Download`, `to_xlsx` and
`to_csv` turn it into bytes; ui.table_downloads puts the two buttons on the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field

import pandas as pd

from . import formatting as fmt
from .textsafe import plain, printable

COMPUTED = "*"
ABOUT_SHEET = "Om uppgifterna"


@dataclass(frozen=True)
class Number:
    """A numeric cell with the decimals the report gives it (None = empty cell)."""

    value: float | None
    decimals: int = 0


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # "text", "number" or "level"
    width: float = 14


@dataclass
class Download:
    name: str  # file stem; the first sheet's title
    columns: list[Column]
    rows: list[list[object]]  # str | Number | int (level) | None
    about: list[tuple[str, str]] = field(default_factory=list)
    indent_by_level: str | None = None  # header of the text column indented by the Nivå column

    def values(self) -> list[dict[str, object]]:
        """Rows as header → plain value (numbers as floats), for tests and previews."""
        out = []
        for row in self.rows:
            out.append({c.header: (v.value if isinstance(v, Number) else v) for c, v in zip(self.columns, row, strict=True)})
        return out


# --- building the tables ---------------------------------------------------------------------

ECONOMY_COLUMNS = [
    ("budget_year", "Budget helår"),
    ("budget_period", "Periodbudget"),
    ("actual_period", "Utfall"),
    ("deviation_period", "Periodavvikelse"),
    ("forecast_net", "Prognos helår"),
    ("forecast_deviation", "Prognosavvikelse"),
]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def about_rows(kommun: str, namnd: str, round_label: str, status: str | None, scope_label: str,
               amount_unit: str | None, source: str | None, exported: dt.datetime,
               computed: str | None = None) -> list[tuple[str, str]]:
    """`computed` says how a computed value is made, in the round kind's words (rounds.vocabulary:
    a Bokslut's is resultat = budget − utfall); the default is a forecast round's."""
    rows = [
        ("Kommun", kommun),
        ("Nämnd", namnd),
        ("Uppföljningstillfälle", round_label),
        ("Status", "UTKAST – ej fastställd av nämnden" if status == "utkast" else "fastställd"),
        ("Urval", scope_label or "Alla (hela nämndens redovisning)"),
    ]
    if amount_unit:
        rows.append(("Belopp i", amount_unit))
    rows += [
        ("Källa", source or f"{namnd}s uppföljningsrapport, inläst i ledningsdashboarden"),
        ("Exporterad", exported.strftime("%Y-%m-%d %H:%M")),
        (COMPUTED, "Beräknat värde: rapporten skriver inte ut det (summan av raderna under, eller "
                   f"{computed or 'prognos = budget − prognosavvikelse'}). Markeringen står i kolumnen efter värdet."),
        ("I.U.", "Inget underlag: värdet saknas (inte noll); skälet står i fotnoten. Cellen är tom."),
        ("Tom cell", "Rapporten redovisar inget värde."),
        ("Avrundning", "Belopp har rapportens precision: omräknade belopp visar aldrig fler decimaler "
                       "än rapporten hade."),
    ]
    return rows


def economy(table: pd.DataFrame, scope_ids: list[int] | None, amount_unit: str, decimals: int,
            to_unit: str, prev_label: str | None, name: str,
            about: list[tuple[str, str]] | None = None,
            columns: list[tuple[str, str]] | None = None) -> Download:
    """The whole Ekonomi tree of the scope, every level, as numbers in `to_unit`. `columns`
    ((field, header), with the comparison columns) replaces the forecast round's columns, e.g. a
    Bokslut's utfall and resultat from rounds.vocabulary."""
    from .views import visible_rows

    every_parent = set(table["parent_id"].dropna().astype(int)) if len(table) else set()
    rows = visible_rows(table, every_parent, scope_ids)
    fields = list(ECONOMY_COLUMNS) if columns is None else list(columns)
    if prev_label and columns is None:
        fields += [("prev_forecast_deviation", f"Prognosavvikelse {prev_label}"),
                   ("forecast_change", "Förändring av prognosavvikelse")]
    shown_decimals = fmt.display_decimals(amount_unit, decimals, to_unit)
    has_code = bool(len(rows)) and rows["code"].map(lambda c: isinstance(c, str) and bool(c)).any()
    columns = [Column("Nivå", "level", 6)] + ([Column("Kod", "text", 8)] if has_code else [])
    columns.append(Column("Verksamhet", "text", 42))
    marks = {}
    for f, header in fields:
        columns.append(Column(f"{header} ({to_unit})", "number"))
        flag = f + "_computed"
        if flag in rows and rows[flag].fillna(False).astype(bool).any():
            marks[f] = True
            columns.append(Column(f"{header} {COMPUTED}", "text", 5))
    out_rows = []
    for _, r in rows.iterrows():
        row: list[object] = [int(r["tree_depth"]) + 1]
        if has_code:
            row.append(r["code"] if isinstance(r["code"], str) else None)
        row.append(r["name"])
        for f, _header in fields:
            value = fmt.amount_value(None if _missing(r.get(f)) else float(r.get(f)), amount_unit, decimals, to_unit)
            row.append(Number(value, shown_decimals))
            if f in marks:
                row.append(COMPUTED if value is not None and bool(r.get(f + "_computed", False)) else None)
        out_rows.append(row)
    return Download(name, columns, out_rows, about or [], indent_by_level="Verksamhet")


def _indicator_decimals(value: float, unit: str | None) -> int:
    # the same rule as formatting.indicator_value: whole numbers without decimals, else one
    return 0 if float(value).is_integer() and unit != "%" else 1


def indicators(indicators_: pd.DataFrame, values: pd.DataFrame, status: pd.DataFrame, name: str,
               about: list[tuple[str, str]] | None = None) -> Download:
    """Indicator values as numbers, one row per indicator × unit × gender × breakdown × source
    (as on screen), one column per period; I.U. and old-method values in columns of their own."""
    from . import targets as tg
    from .views import GENDER

    info = indicators_.set_index("indicator_id") if len(indicators_) else indicators_
    status_map = {}
    for r in status.itertuples() if len(status) else []:
        status_map[(r.indicator_id, r.unit_id, r.gender, r.breakdown)] = r

    def label_of(period_label: str, value_type: str) -> str:
        return period_label if value_type == "utfall" or period_label.lower().startswith("prognos") \
            else f"Prognos {period_label}"

    if len(values):
        periods = (values[["period_end", "period_label", "value_type"]].drop_duplicates()
                   .sort_values(["period_end", "value_type"]))
        labels = list(dict.fromkeys(label_of(p, t) for p, t in zip(periods["period_label"], periods["value_type"], strict=True)))
    else:
        labels = []
    columns = [Column("Indikator", "text", 48), Column("Avser", "text", 24), Column("Kön", "text", 9)]
    columns += [Column(label, "number") for label in labels]
    columns += [Column("Måttenhet", "text", 10), Column("I.U. (inget underlag)", "text", 18),
                Column("Tidigare mätmetod", "text", 22), Column("Jämförelse", "text", 10),
                Column("Målvärde", "number"), Column("Målvärde (text)", "text", 16),
                Column("Status", "text", 22), Column("Källa", "text", 18), Column("Fotnot", "text", 50)]
    out_rows = []
    keys = ["indicator_id", "unit_id", "gender", "breakdown", "source_table"]
    for key, group in values.groupby(keys, sort=False, dropna=False) if len(values) else []:
        ind = info.loc[key[0]]
        unit = ind["measure_unit"] if isinstance(ind["measure_unit"], str) else None
        first = group.iloc[0]
        breakdown = key[3] if isinstance(key[3], str) and key[3] else None
        cells: dict[str, object] = {label: Number(None) for label in labels}
        missing, old, notes = [], [], []
        for v in group.itertuples():
            label = label_of(v.period_label, v.value_type)
            if v.missing or _missing(v.value):
                if v.missing:
                    missing.append(v.period_label)
            else:
                cells[label] = Number(float(v.value), _indicator_decimals(v.value, unit))
            if not _missing(v.old_method_value):
                old.append(f"{v.period_label}: {fmt.indicator_value(v.old_method_value, unit)}")
            if isinstance(v.footnote, str) and v.footnote:
                notes.append(f"{v.period_label}: {v.footnote}")
        st_row = status_map.get(tuple(key[:4]))
        target = None if st_row is None or _missing(st_row.target_value) else float(st_row.target_value)
        target_text = st_row.target_text if st_row is not None and isinstance(st_row.target_text, str) else None
        s = tg.STATUSES[st_row.status] if st_row is not None else tg.NO_TARGET
        source = key[4] if isinstance(key[4], str) and key[4] else (ind["source"] if isinstance(ind["source"], str) else None)
        row = [ind["name"], first["unit_name"] + (f", {breakdown}" if breakdown else ""), GENDER.get(key[2], key[2])]
        row += [cells[label] for label in labels]
        row += [unit, ", ".join(missing) or None, " · ".join(old) or None,
                (st_row.comparator if isinstance(st_row.comparator, str) and st_row.comparator else None)
                if st_row is not None and target is not None else None,  # NaN (no comparator) is empty, not 'nan'
                Number(target, _indicator_decimals(target, unit)) if target is not None else Number(None),
                target_text if target is None else None, s.label, source, " · ".join(notes) or None]
        out_rows.append(row)
    return Download(name, columns, out_rows, about or [])


# --- writing ---------------------------------------------------------------------------------

def _sheet_title(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in printable(name)).strip("'") or "Tabell"
    return cleaned[:31]


def _excel_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def to_xlsx(download: Download) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(download.name)
    bold = Font(bold=True)

    def text_cell(row: int, col: int, value: str):
        cell = ws.cell(row=row, column=col)
        cell.value = printable(value)  # openpyxl refuses control characters
        cell.data_type = "s"  # never a formula, whatever the first character
        cell.quotePrefix = True  # and Excel keeps it text when the user edits it
        return cell

    for j, column in enumerate(download.columns, start=1):
        text_cell(1, j, column.header).font = bold
        ws.column_dimensions[get_column_letter(j)].width = column.width
    level_index = next((j for j, c in enumerate(download.columns) if c.kind == "level"), None)
    indent_index = next((j for j, c in enumerate(download.columns) if c.header == download.indent_by_level), None)
    for i, row in enumerate(download.rows, start=2):
        level = row[level_index] if level_index is not None else None
        for j, (column, value) in enumerate(zip(download.columns, row, strict=True), start=1):
            if isinstance(value, Number):
                if value.value is None:
                    continue
                cell = ws.cell(row=i, column=j, value=float(value.value))
                cell.number_format = _excel_format(value.decimals)
            elif column.kind == "level" and isinstance(value, int):
                ws.cell(row=i, column=j, value=value)
            elif value is None or _missing(value):
                continue
            else:
                cell = text_cell(i, j, str(value))
                if j - 1 == indent_index and isinstance(level, int):
                    cell.alignment = Alignment(indent=max(level - 1, 0))
    ws.freeze_panes = ws.cell(row=2, column=(indent_index + 2) if indent_index is not None else 1)
    ws.auto_filter.ref = ws.dimensions
    if download.about:
        about = wb.create_sheet(ABOUT_SHEET)
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 90
        for i, (key, value) in enumerate(download.about, start=1):
            cell = about.cell(row=i, column=1)
            cell.value, cell.data_type = printable(key), "s"
            cell.font = bold
            cell = about.cell(row=i, column=2)
            cell.value, cell.data_type, cell.quotePrefix = printable(value), "s", True
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that Excel cannot take for a formula (OWASP: prefix a single quote)."""
    text = plain(value)  # control characters out; tab and CR stay (and are neutralised below)
    if text.startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


def csv_number(value: float, decimals: int) -> str:
    """`-12,4`, `476018`: decimal comma, ASCII minus, no grouping, no plus."""
    rounded = fmt.round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    return f"{rounded:.{decimals}f}".replace(".", ",")


def to_csv(download: Download) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_text(c.header) for c in download.columns])
    for row in download.rows:
        out = []
        for column, value in zip(download.columns, row, strict=True):
            if isinstance(value, Number):
                out.append("" if value.value is None else csv_number(value.value, value.decimals))
            elif column.kind == "level" and isinstance(value, int):
                out.append(str(value))
            elif value is None or _missing(value):
                out.append("")
            else:
                out.append(csv_text(str(value)))
        writer.writerow(out)
    return buffer.getvalue().encode("utf-8-sig")


def file_stem(*parts: object) -> str:
    """A file name from codes and dates (data): letters, digits, - and _ only."""
    import re

    text = "_".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^0-9A-Za-zÅÄÖåäö_-]+", "-", text).strip("-_") or "tabell"
