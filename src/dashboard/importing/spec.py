"""The import format as data: sheets, their Swedish columns, types and allowed values.

docs/import-format.md describes the same format for people; `template` writes it as a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    # text | key | ref | amount | number | int | date | bool | ivalue | enum | status_goal | status_act
    # key: the row's own key (may be left empty: derived); ref: a reference to a key (or code/name)
    # amount: kronor in the workbook's Beloppsenhet, optionally with a unit (`323 700 tkr`).
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    # Other headers a controller would type for this column: (alias, round kinds or None = all).
    aliases: tuple[tuple[str, tuple[str, ...] | None], ...] = ()
    max_length: int | None = None  # text columns: what the database holds
    # A forecast round's figure: a Bokslut (the year's outcome) may not carry it (validate says so).
    forecast_only: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help: str = ""
    unique: tuple[str, ...] = field(default=())  # fields that together must be unique
    # Headers that could mean two columns: header -> the question to ask the user.
    ambiguous: tuple[tuple[str, str], ...] = ()


ROUND_KINDS = ("Delår 1", "Delår 2", "Bokslut", "Månad")
LEVELS = ("nämnd", "förvaltning", "summa", "verksamhetsområde", "verksamhet", "enhet", "kommun", "post")
# A kommun's overall follow-up (kommunstyrelsen, ekonomikontoret): the Tillfälle sheet's Nämndkod
# is KOMMUN, the root has level kommun, its rows are the nämnder (level nämnd, Kod = the nämnd's
# code) and city-wide posts (level post).
KOMMUN_CODE = "KOMMUN"
KOMMUN_LABEL = "Kommunen totalt"
FORECAST_KINDS = ("Delår 1", "Delår 2", "Månad")
# A Bokslut's figures are the year's outcome: the headers a controller types in a Bokslut workbook
# for Utfall period (the period is the year) and Periodavvikelse (resultat mot budget).
BOKSLUT = ("Bokslut",)
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
            C("Kommun", "kommun_name", "text", True, max_length=200),
            C("Nämndkod", "namnd_code", "text", True, help="kort kod, t.ex. AMN; KOMMUN för kommunen totalt"),
            C("Nämnd", "namnd_name", "text", True, max_length=200),
            C("Typ", "kind", "enum", True, ROUND_KINDS),
            C("Periodslut", "period_end", "date", True),
            C("Beloppsenhet", "amount_unit", "enum", True, ("tkr", "mnkr")),
            C("Decimaler", "decimals", "int"),
            C("Rapport", "report_title", max_length=300),
            C("Status", "status", "enum", False, ("fastställd", "utkast")),
            C("Fastställd datum", "adopted_date", "date"),
            C("Fastställd paragraf", "adopted_paragraph"),
            C("Förvaltning", "forvaltning_key", "ref", help="för ett utkast: förvaltningen vars utkast det är"),
        ),
        required=True,
        help="Exakt en rad: vilken nämnd och vilket uppföljningstillfälle arbetsboken gäller.",
    ),
    SheetSpec(
        "Organisation",
        (
            C("Enhet", "key", "key", help="nyckel; lämna tom så bildas den av koden eller namnet"),
            C("Namn", "name", "text", True, max_length=300),
            C("Nivå", "level", "enum", True, LEVELS),
            C("Överordnad", "parent", "ref", help="den överordnade enhetens nyckel, kod eller namn"),
            C("Kod", "code", max_length=40),
            C("Historisk", "historical", "bool"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
        help="Nämndens organisationsträd. Exakt en rad med nivå nämnd. Kan utelämnas: då gäller "
        "organisationen i nämndens senaste fastställda tillfälle.",
    ),
    SheetSpec(
        "Ekonomi",
        (
            C("Enhet", "unit", "ref", True),
            C("Budget helår", "budget_year", "amount",
              aliases=(("Budget", None), ("Årsbudget", None), ("Kommunbidrag", None), ("Ram", None))),
            C("Periodbudget", "budget_period", "amount", aliases=(("Budget period", None),)),
            C("Utfall period", "actual_period", "amount",
              aliases=(("Redovisat", None), ("Utfall t.o.m. period", None),
                       ("Utfall helår", BOKSLUT), ("Utfall", BOKSLUT))),
            C("Periodavvikelse", "deviation_period", "amount",
              aliases=(("Avvikelse period", None), ("Periodresultat", None),
                       ("Avvikelse mot budget", BOKSLUT), ("Budgetavvikelse", BOKSLUT),
                       ("Resultat mot budget", BOKSLUT), ("Avvikelse helår", BOKSLUT), ("Avvikelse", BOKSLUT))),
            C("Prognos helår", "forecast_net", "amount", forecast_only=True,
              aliases=(("Helårsprognos", FORECAST_KINDS), ("Prognos nettokostnad", FORECAST_KINDS))),
            C("Prognosavvikelse", "forecast_deviation", "amount", forecast_only=True,
              aliases=(("Budgetavvikelse", FORECAST_KINDS), ("Prognos avvikelse", FORECAST_KINDS),
                       ("Avvikelse helår", FORECAST_KINDS), ("Prognostiserad avvikelse", FORECAST_KINDS))),
            C("Utfall samma period fg år", "actual_prev_period", "amount",
              aliases=(("Utfall fg år", None), ("Utfall föregående år", None))),
            C("Bokslut fg år", "bokslut_prev_year", "amount", aliases=(("Bokslut föregående år", None),)),
            C("Andel av budget", "budget_share_pct", "number"),
        ),
        unique=("unit",),
        ambiguous=(
            ("Prognos", "menar du Prognos helår (nettokostnad) eller Prognosavvikelse (budget − prognos)?"),
            ("Avvikelse", "menar du Periodavvikelse (periodbudget − utfall) eller Prognosavvikelse (budget − prognos)?"),
            ("Utfall", "menar du Utfall period (hittills i år) eller Utfall samma period fg år?"),
        ),
        help="En rad per enhet, belopp i arbetsbokens beloppsenhet. Tomt = inte rapporterat.",
    ),
    SheetSpec(
        "Resultaträkning",
        (
            C("Rad", "name", "text", True, max_length=200),
            C("Ordning", "sort_order", "int"),
            C("Utfall period", "actual_period", "amount",
              aliases=(("Redovisat", None), ("Utfall helår", BOKSLUT), ("Utfall", BOKSLUT))),
            C("Budget helår", "budget_year", "amount", aliases=(("Budget", None),)),
            C("Prognos helår", "forecast_year", "amount", forecast_only=True,
              aliases=(("Helårsprognos", FORECAST_KINDS),)),
            C("Utfall samma period fg år", "actual_prev_period", "amount", aliases=(("Utfall fg år", None),)),
        ),
        unique=("name",),
    ),
    SheetSpec(
        "Intäkter och kostnader",
        (
            C("Typ", "kind", "enum", True, ("intäkt", "kostnad")),
            C("Slag", "category", "text", True, max_length=200),
            C("Utfall period", "actual_period", "amount", aliases=(("Redovisat", None),)),
            C("Utfall samma period fg år", "actual_prev_period", "amount", aliases=(("Utfall fg år", None),)),
        ),
        unique=("kind", "category"),
    ),
    SheetSpec(
        "Investeringar",
        (
            C("Projekt", "project_key", "key", True),
            C("Namn", "name", "text", True, max_length=300),
            C("Redovisat", "actual", "amount",
              aliases=(("Utfall", None), ("Utfall period", None), ("Utfall helår", BOKSLUT))),
            C("Prognos helår", "forecast", "amount", forecast_only=True,
              aliases=(("Prognos", FORECAST_KINDS), ("Helårsprognos", FORECAST_KINDS))),
            C("Budget helår", "budget", "amount", aliases=(("Budget", None),)),
            C("Avvikelse", "deviation", "amount", aliases=(("Prognosavvikelse", FORECAST_KINDS), ("Budgetavvikelse", None),
                                                           ("Avvikelse mot budget", BOKSLUT),
                                                           ("Resultat mot budget", BOKSLUT))),
        ),
        unique=("project_key",),
    ),
    SheetSpec(
        "Kommentarer",
        (
            C("Enhet", "unit", "ref", True),
            C("Avsnitt", "section", "enum", True, SECTIONS),
            C("Rubrik", "heading", max_length=300),
            C("Text", "body", "text", True),
            C("Ordning", "sort_order", "int"),
        ),
    ),
    SheetSpec(
        "Händelser",
        (
            C("Enhet", "unit", "ref"),
            C("Typ", "kind", "enum", True, EVENT_KINDS),
            C("Datum", "event_date", "date"),
            C("Rubrik", "heading", "text", True, max_length=300),
            C("Text", "body", "text", True),
            C("Ordning", "sort_order", "int"),
        ),
    ),
    SheetSpec(
        "Mål",
        (
            C("Mål", "key", "key"),
            C("Nivå", "level", "enum", True, GOAL_LEVELS),
            C("Namn", "name", "text", True),
            C("Överordnad", "parent", "ref"),
            C("Enhet", "unit", "ref"),
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
            C("Aktivitet", "key", "key"),
            C("Typ", "kind", "enum", True, ACTIVITY_KINDS),
            C("Namn", "name", "text", True),
            C("Mål", "goal", "ref"),
            C("Enhet", "unit", "ref"),
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
            C("Indikator", "key", "key"),
            C("Namn", "name", "text", True),
            C("Typ", "kind", "enum", True, INDICATOR_KINDS),
            C("Måttenhet", "measure_unit", max_length=40),
            C("Riktning", "direction", "enum", True, DIRECTIONS),
            C("Slag", "accumulation", "enum", True, ACCUMULATIONS),
            C("Mål", "goal", "ref"),
            C("Enhet", "unit", "ref"),
            C("Källa", "source", max_length=200),
            C("Kolada-id", "kolada_id", max_length=20),
            C("Fotnot", "footnote"),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Indikatorvärden",
        (
            C("Indikator", "indicator", "ref", True),
            C("Enhet", "unit", "ref"),
            C("Period", "period_label", "text", True, max_length=60),
            C("Periodslut", "period_end", "date", True),
            C("Värdetyp", "value_type", "enum", False, VALUE_TYPES),
            C("Kön", "gender", "enum", False, GENDERS),
            C("Uppdelning", "breakdown", max_length=100),
            C("Värde", "value", "ivalue", True),
            C("Gammal metod", "old_method_value", "number"),
            C("Fotnot", "footnote"),
            C("Källtabell", "source_table", max_length=100),
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
            C("Indikator", "indicator", "ref", True),
            C("Enhet", "unit", "ref"),
            C("Kön", "gender", "enum", False, GENDERS),
            C("Uppdelning", "breakdown", max_length=100),
            C("Period", "period_label", "text", True, max_length=60),
            C("Periodslut", "period_end", "date", True),
            C("Jämförelse", "comparator", "enum", False, COMPARATORS),
            C("Målvärde", "target_value", "number"),
            C("Måltext", "target_text"),
            C("Källtabell", "source_table", max_length=100),
        ),
        unique=("indicator", "unit", "gender", "breakdown", "period_end", "source_table"),
    ),
    SheetSpec(
        "Risker",
        (
            C("Risk", "key", "key"),
            C("Namn", "name", "text", True),
            C("Enhet", "unit", "ref"),
            C("Beskrivning", "description"),
            C("Sannolikhet", "probability", "int"),
            C("Konsekvens", "consequence", "int"),
            C("Riskvärde", "risk_value", "int"),
            C("Bedömning", "assessment_text", max_length=100),
            C("Ordning", "sort_order", "int"),
        ),
        unique=("key",),
    ),
    SheetSpec(
        "Kontrollmoment",
        (
            C("Kontrollmoment", "key", "key"),
            C("Namn", "name", "text", True),
            C("Risk", "risk", "ref"),
            C("Enhet", "unit", "ref"),
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
SHEETS_BY_EXACT_NAME = {s.name: s for s in SHEETS}
# Sheets that hold the user's own notes and are never read: the template's instructions, and any
# sheet whose name starts with "_".
IGNORED_SHEETS = ("Instruktioner", "Instruktion", "Läs mig")
# Which sheet a reference column points into (field -> sheet), for messages and resolution.
REFERENCE_TARGETS = {"unit": "Organisation", "parent": None, "goal": "Mål", "indicator": "Indikatorer",
                     "risk": "Risker", "forvaltning_key": "Organisation"}
