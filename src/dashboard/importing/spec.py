"""The import format as data: sheets, their Swedish columns, types and allowed values.

docs/import-format.md describes the same format for people; `template` writes it as a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | key | number | int | date | bool | ivalue | enum | status_goal | status_act
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help: str = ""
    unique: tuple[str, ...] = field(default=())  # fields that together must be unique


ROUND_KINDS = ("Delår 1", "Delår 2", "Bokslut", "Månad")
LEVELS = ("nämnd", "förvaltning", "summa", "verksamhetsområde", "verksamhet", "enhet")
SECTIONS = (
    "sammanfattning",
    "utfall",
    "prognos",
    "investeringar",
    "intäkter och kostnader",
    "volymer",
    "personal",
    "övrigt",
)
EVENT_KINDS = (
    "viktig händelse",
    "privata utförare",
    "förväntad utveckling",
    "planer och program",
    "övrigt",
)
GOAL_LEVELS = ("målområde", "kommunövergripande mål", "nämndmål")
ACTIVITY_KINDS = (
    "aktivitet",
    "process",
    "kommungemensamt uppdrag",
    "nämndspecifikt uppdrag",
    "uppdrag",
)
INDICATOR_KINDS = ("nämndindikator", "volymtal", "personal")
DIRECTIONS = ("högre", "lägre", "ingen")
ACCUMULATIONS = ("ackumulerande", "ögonblick", "andel")
GENDERS = ("T", "K", "M")
VALUE_TYPES = ("utfall", "prognos")
COMPARATORS = ("≥", "≤", "<", ">", "=")

C = Column

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Tillfälle",
        (
            C("Kommunkod", "kommun_code", "text", True, help="fyra siffror, t.ex. 0580"),
            C("Kommun", "kommun_name", "text", True),
            C("Nämndkod", "namnd_code", "text", True, help="kort kod, t.ex. AMN"),
            C("Nämnd", "namnd_name", "text", True),
            C("Typ", "kind", "enum", True, ROUND_KINDS),
            C("Periodslut", "period_end", "date", True),
            C("Beloppsenhet", "amount_unit", "enum", True, ("tkr", "mnkr")),
            C("Decimaler", "decimals", "int"),
            C("Rapport", "report_title"),
            C("Status", "status", "enum", False, ("fastställd", "utkast")),
            C("Fastställd datum", "adopted_date", "date"),
            C("Fastställd paragraf", "adopted_paragraph"),
            C("Förvaltning", "forvaltning_key", "key", help="för ett utkast: förvaltningen vars utkast det är"),
        ),
        required=True,
        help="Exakt en rad: vilken nämnd och vilket uppföljningstillfälle arbetsboken gäller.",
    ),
    SheetSpec(
        "Organisation",
        (
            C("Enhet", "key", "key", True),
            C("Namn", "name", "text", True),
            C("Nivå", "level", "enum", True, LEVELS),
            C("Överordnad", "parent", "key"),
            C("Kod", "code"),
            C("Historisk", "historical", "bool"),
            C("Ordning", "sort_order", "int"),
        ),
        required=True,
        unique=("key",),
        help="Nämndens organisationsträd. Exakt en rad med nivå nämnd.",
    ),
    SheetSpec(
        "Ekonomi",
        (
            C("Enhet", "unit", "key", True),
            C("Budget helår", "budget_year", "number"),
            C("Periodbudget", "budget_period", "number"),
            C("Utfall period", "actual_period", "number"),
            C("Periodavvikelse", "deviation_period", "number"),
            C("Prognos helår", "forecast_net", "number"),
            C("Prognosavvikelse", "forecast_deviation", "number"),
            C("Utfall samma period fg år", "actual_prev_period", "number"),
            C("Bokslut fg år", "bokslut_prev_year", "number"),
            C("Andel av budget", "budget_share_pct", "number"),
        ),
        unique=("unit",),
        help="En rad per enhet, belopp i arbetsbokens beloppsenhet. Tomt = inte rapporterat.",
    ),
    SheetSpec(
        "Resultaträkning",
        (
            C("Rad", "name", "text", True),
            C("Ordning", "sort_order", "int"),
            C("Utfall period", "actual_period", "number"),
            C("Budget helår", "budget_year", "number"),
            C("Prognos helår", "forecast_year", "number"),
            C("Utfall samma period fg år", "actual_prev_period", "number"),
        ),
        unique=("name",),
    ),
    SheetSpec(
        "Intäkter och kostnader",
        (
            C("Typ", "kind", "enum", True, ("intäkt", "kostnad")),
            C("Slag", "category", "text", True),
            C("Utfall period", "actual_period", "number"),
            C("Utfall samma period fg år", "actual_prev_period", "number"),
        ),
        unique=("kind", "category"),
    ),
    SheetSpec(
        "Investeringar",
        (
            C("Projekt", "project_key", "key", True),
            C("Namn", "name", "text", True),
            C("Redovisat", "actual", "number"),
            C("Prognos helår", "forecast", "number"),
            C("Budget helår", "budget", "number"),
            C("Avvikelse", "deviation", "number"),
        ),
        unique=("project_key",),
    ),
    SheetSpec(
        "Kommentarer",
        (
            C("Enhet", "unit", "key", True),
            C("Avsnitt", "section", "enum", True, SECTIONS),
            C("Rubrik", "heading"),
            C("Text", "body", "text", True),
            C("Ordning", "sort_order", "int"),
        ),
    ),
    SheetSpec(
        "Händelser",
        (
            C("Enhet", "unit", "key"),
            C("Typ", "kind", "enum", True, EVENT_KINDS),
            C("Datum", "event_date", "date"),
            C("Rubrik", "heading", "text", True),
            C("Text", "body", "text", True),
            C("Ordning", "sort_order", "int"),
        ),
    ),
    SheetSpec(
        "Mål",
        (
            C("Mål", "key", "key", True),
            C("Nivå", "level", "enum", True, GOAL_LEVELS),
            C("Namn", "name", "text", True),
            C("Överordnad", "parent", "key"),
            C("Enhet", "unit", "key"),
            C("Beskrivning", "description"),
            C("Bedömning", "status", "status_goal"),
            C("Kommentar", "comment"),
            C("Kommentardatum", "comment_date", "date"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Aktiviteter",
        (
            C("Aktivitet", "key", "key", True),
            C("Typ", "kind", "enum", True, ACTIVITY_KINDS),
            C("Namn", "name", "text", True),
            C("Mål", "goal", "key"),
            C("Enhet", "unit", "key"),
            C("Beskrivning", "description"),
            C("Status", "status", "status_act"),
            C("Statustext", "status_text"),
            C("Kommentar", "comment"),
            C("Kommentardatum", "comment_date", "date"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Indikatorer",
        (
            C("Indikator", "key", "key", True),
            C("Namn", "name", "text", True),
            C("Typ", "kind", "enum", True, INDICATOR_KINDS),
            C("Måttenhet", "measure_unit"),
            C("Riktning", "direction", "enum", True, DIRECTIONS),
            C("Slag", "accumulation", "enum", True, ACCUMULATIONS),
            C("Mål", "goal", "key"),
            C("Enhet", "unit", "key"),
            C("Källa", "source"),
            C("Kolada-id", "kolada_id"),
            C("Fotnot", "footnote"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Indikatorvärden",
        (
            C("Indikator", "indicator", "key", True),
            C("Enhet", "unit", "key"),
            C("Period", "period_label", "text", True),
            C("Periodslut", "period_end", "date", True),
            C("Värdetyp", "value_type", "enum", False, VALUE_TYPES),
            C("Kön", "gender", "enum", False, GENDERS),
            C("Uppdelning", "breakdown"),
            C("Värde", "value", "ivalue", True),
            C("Gammal metod", "old_method_value", "number"),
            C("Fotnot", "footnote"),
            C("Källtabell", "source_table"),
        ),
        unique=(
            "indicator",
            "unit",
            "period_end",
            "value_type",
            "gender",
            "breakdown",
            "source_table",
        ),
    ),
    SheetSpec(
        "Målvärden",
        (
            C("Indikator", "indicator", "key", True),
            C("Enhet", "unit", "key"),
            C("Kön", "gender", "enum", False, GENDERS),
            C("Uppdelning", "breakdown"),
            C("Period", "period_label", "text", True),
            C("Periodslut", "period_end", "date", True),
            C("Jämförelse", "comparator", "enum", False, COMPARATORS),
            C("Målvärde", "target_value", "number"),
            C("Måltext", "target_text"),
            C("Källtabell", "source_table"),
        ),
        unique=("indicator", "unit", "gender", "breakdown", "period_end", "source_table"),
    ),
    SheetSpec(
        "Risker",
        (
            C("Risk", "key", "key", True),
            C("Namn", "name", "text", True),
            C("Enhet", "unit", "key"),
            C("Beskrivning", "description"),
            C("Sannolikhet", "probability", "int"),
            C("Konsekvens", "consequence", "int"),
            C("Riskvärde", "risk_value", "int"),
            C("Bedömning", "assessment_text"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Kontrollmoment",
        (
            C("Kontrollmoment", "key", "key", True),
            C("Namn", "name", "text", True),
            C("Risk", "risk", "key"),
            C("Enhet", "unit", "key"),
            C("Beskrivning", "description"),
            C("Status", "status", "status_act"),
            C("Statustext", "status_text"),
            C("Kommentar", "comment"),
            C("Kommentardatum", "comment_date", "date"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
)

SHEETS_BY_NAME = {s.name.casefold(): s for s in SHEETS}
