"""Command line: python -m dashboard init-db | import | check | template | csv-till-xlsx | export | rapport | bench.

Every fault ends with a Swedish sentence on stderr and its own exit code, never a traceback
(DASHBOARD_DEBUG=1 prints the detail too):

0 klart · 1 ogiltig fil eller okänd nämnd/tillfälle/förvaltning · 2 felaktiga argument ·
3 databasen kan inte nås · 4 fil eller mapp saknas eller kan inte skrivas · 5 exporten kunde inte
göras · 6 importen kräver bekräftelse (--ersatt), ingenting skrevs · 70 oväntat fel.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_DB, EXIT_FILE, EXIT_EXPORT, EXIT_INTERNAL = 0, 1, 2, 3, 4, 5, 70
EXIT_CONFIRM = 6


def _debug() -> bool:
    return os.environ.get("DASHBOARD_DEBUG", "").lower() in ("1", "true", "yes")


def _db_message(exc) -> str:
    where = getattr(exc, "where", None)
    return str(exc) + (f" (databas: {where})" if where else "")


def _engine():
    from .db import make_engine

    return make_engine()


def _upgraded_engine():
    """The engine with its schema up to date, or None after a Swedish message if it cannot be reached."""
    from .db import DatabaseUnavailable, upgrade

    from .db import unavailable

    engine = _engine()
    try:
        upgrade(engine)
    except Exception as exc:  # driver errors vary; the user gets words, the log the driver's text
        error = exc if isinstance(exc, DatabaseUnavailable) else unavailable(engine, exc)
        print(_db_message(error), file=sys.stderr)
        return None
    return engine


def cmd_init_db(args) -> int:
    from .db import DatabaseUnavailable, init_db

    try:
        for line in init_db(_engine(), load_builtin=not args.no_data):
            print(line)
    except DatabaseUnavailable as exc:
        print(_db_message(exc), file=sys.stderr)
        return EXIT_DB
    return EXIT_OK


def cmd_import(args) -> int:
    from .importing import import_path

    engine = _upgraded_engine()
    if engine is None:
        return EXIT_DB
    report = import_path(engine, Path(args.path), dry_run=args.dry_run, user=args.user, confirm=args.ersatt)
    for line in report.lines():
        print(line, file=sys.stdout if report.ok else sys.stderr)
    if report.database_error:
        return EXIT_DB
    if report.needs_confirmation:
        return EXIT_CONFIRM
    if report.ok:
        if report.unchanged:
            print(f"Inga ändringar: ingenting skrevs, version {report.version} gäller fortfarande.")
        elif args.dry_run:
            print("Provkörning: ingenting skrevs.")
        else:
            k, n, end = report.round_key
            # the page's path, not a bare query string: pasted after the server's address it opens Översikt
            print(f"Importen är klar (version {report.version}). Öppna tillfället på Översikt: <dashboardens adress>"
                  f"/?kommun={k}&namnd={n.lower() if n == 'KOMMUN' else n}&tillfalle={end.isoformat()}")
        return EXIT_OK
    return EXIT_INVALID


def cmd_check(args) -> int:
    from .importing import check_path

    engine = None
    try:  # against the database when it can be reached: stored organisation and keys, what changes
        engine = _engine()
        from .db import upgrade

        upgrade(engine)
    except Exception:  # noqa: BLE001 - a plain check of the file is still useful
        engine = None
        print("Databasen kan inte nås: filen kontrolleras utan jämförelse med det som är lagrat.", file=sys.stderr)
    report, _ = check_path(Path(args.path), engine)
    for line in report.lines():
        print(line, file=sys.stdout if report.ok else sys.stderr)
    if report.ok:
        print("Filen är giltig.")
    return EXIT_OK if report.ok else EXIT_INVALID


def _round_args(args):
    import datetime as dt

    try:
        return args.kommun, args.namnd.upper(), dt.date.fromisoformat(args.tillfalle)
    except ValueError:
        print(f"«{args.tillfalle}» är inget datum; skriv periodslut som ÅÅÅÅ-MM-DD, t.ex. 2023-08-31.", file=sys.stderr)
        return None


def _engine_and_round(args):
    """(engine, (kommun, nämnd, period end)) or the exit code after a Swedish message."""
    key = _round_args(args)
    if key is None:
        return EXIT_USAGE
    engine = _upgraded_engine()
    return EXIT_DB if engine is None else (engine, key)


def cmd_versions(args) -> int:
    from .importing import round_versions

    found = _engine_and_round(args)
    if isinstance(found, int):
        return found
    engine, key = found
    versions = round_versions(engine, *key)
    if not versions:
        print(f"Det finns inget tillfälle {key[1]} {key[2].isoformat()} i kommun {key[0]}.", file=sys.stderr)
        return EXIT_INVALID
    rows = [[f"{v['version']}" + (" (gällande)" if v["current"] else ""),
             v["created_at"].strftime("%Y-%m-%d %H:%M") if v["created_at"] else "",
             v["user_name"] or "", v["file_name"] or "", v["status"], v["note"] or ""] for v in versions]
    for line in _table(["version", "inläst", "av", "fil", "status", "anteckning"], rows):
        print(line)
    return EXIT_OK


def cmd_restore(args) -> int:
    from .importing import VersionNotFound, restore

    found = _engine_and_round(args)
    if isinstance(found, int):
        return found
    engine, key = found
    try:
        report = restore(engine, *key, args.version, user=args.user)
    except VersionNotFound as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    for line in report.lines():
        print(line, file=sys.stdout if report.ok else sys.stderr)
    if report.database_error:
        return EXIT_DB
    if not report.ok:
        return EXIT_INVALID
    if report.unchanged:
        print(f"Version {args.version} har samma innehåll som den gällande version {report.version}; ingenting ändrades.")
        return EXIT_OK
    print(f"Version {args.version} är återställd som version {report.version}.")
    return EXIT_OK


def cmd_log(args) -> int:
    from .importing import import_log

    engine = _upgraded_engine()
    if engine is None:
        return EXIT_DB
    rows = import_log(engine, limit=args.antal, kommun=args.kommun, namnd=args.namnd)
    if not rows:
        print("Importloggen är tom.")
        return EXIT_OK
    cells = [[r["tid"].strftime("%Y-%m-%d %H:%M") if r["tid"] else "", r["utfall"], r["användare"] or "", r["fil"],
              " ".join(str(x) for x in (r["kommun"], r["nämnd"], r["tillfälle"]) if x),
              "" if r["version"] is None else str(r["version"]),
              r["ändringar"] or (f"{r['fel']} fel" if r["fel"] else "")] for r in rows]
    for line in _table(["tid", "utfall", "användare", "fil", "tillfälle", "version", "ändringar"], cells):
        print(line)
    return EXIT_OK


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Columns as wide as their widest cell (never cut), two spaces apart; the last column (free
    text of any length) is written whole, so a terminal wraps it and grep still finds it."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
    return [("  ".join(str(c).ljust(w) for c, w in zip(row[:-1], widths, strict=False)) + "  " + str(row[-1])).rstrip()
            for row in [headers, *rows]]


def cmd_rename_kommun(args) -> int:
    from sqlalchemy import select, update

    from .models import Kommun

    engine = _upgraded_engine()
    if engine is None:
        return EXIT_DB
    name = " ".join(args.namn.split())
    if not name:
        print("Ange kommunens nya namn.", file=sys.stderr)
        return EXIT_USAGE
    with engine.begin() as conn:
        old = conn.execute(select(Kommun.name).where(Kommun.code == args.kod)).scalar()
        if old is None:
            print(f"Kommun {args.kod} finns inte i databasen.", file=sys.stderr)
            return EXIT_INVALID
        conn.execute(update(Kommun).where(Kommun.code == args.kod).values(name=name))
    print(f"Kommun {args.kod} heter nu «{name}» (hette «{old}»).")
    return EXIT_OK


def _writable_target(path: Path) -> bool:
    """The output's folder exists (a Swedish message otherwise)."""
    folder = path.resolve().parent
    if not folder.is_dir():
        print(f"Mappen {folder} finns inte. Skapa den eller ange en annan sökväg.", file=sys.stderr)
        return False
    return True


def cmd_template(args) -> int:
    from .importing.workbook import write_template

    if not _writable_target(Path(args.path)):
        return EXIT_FILE
    prefill = None
    if args.kommun or args.namnd:
        if not (args.kommun and args.namnd):
            print("Ange både --kommun och --namnd för en ifylld mall (eller ingen av dem för en tom).", file=sys.stderr)
            return EXIT_USAGE
        from .importing.dump import template_sheets

        engine = _upgraded_engine()
        if engine is None:
            return EXIT_DB
        prefill = template_sheets(engine, args.kommun, args.namnd)
        if prefill is None:
            print(f"Nämnden {args.namnd.upper()} i kommun {args.kommun} finns inte i databasen.", file=sys.stderr)
            return EXIT_INVALID
    write_template(Path(args.path), prefill)
    print(f"Skrev mallen {args.path}" + (f" med organisationen för {args.namnd.upper()} ifylld." if prefill else "."))
    return EXIT_OK


def cmd_csv_to_xlsx(args) -> int:
    from .importing.workbook import csv_folder_to_xlsx

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"Mappen {folder} finns inte (eller är ingen mapp). Ange mappen med CSV-filerna.", file=sys.stderr)
        return EXIT_FILE
    if not any(folder.glob("*.csv")):
        print(f"Mappen {folder} har inga CSV-filer (ett blad per fil, t.ex. Tillfälle.csv).", file=sys.stderr)
        return EXIT_INVALID
    if not _writable_target(Path(args.path)):
        return EXIT_FILE
    csv_folder_to_xlsx(folder, Path(args.path))
    print(f"Skrev {args.path}.")
    return EXIT_OK


def cmd_import_kolada(args) -> int:
    from .importing.kolada import import_file

    engine = _upgraded_engine()
    if engine is None:
        return EXIT_DB
    report = import_file(engine, Path(args.path), user=args.user)
    if not report.ok:
        print(f"{len(report.errors)} fel – ingenting ändrades i databasen:", file=sys.stderr)
        for error in report.errors:
            print(f"  ✕ {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Läste in {len(report.rows)} Kolada-värden från {args.path}. Källa: Kolada.")
    return EXIT_OK


def cmd_fetch_kolada(args) -> int:
    import json
    import urllib.error

    from .importing.kolada import API, fetch

    municipalities = [m.strip() for m in args.kommuner.split(",") if m.strip()]
    years = [int(y) for y in args.ar.split(",") if y.strip()]
    try:
        pages = fetch(args.kpi, municipalities, years, base_url=args.api or API)
    except (urllib.error.URLError, OSError) as exc:
        print(f"Kolada kunde inte nås ({args.api or API}): {exc}. Hämta filen på en dator med "
              "internetåtkomst och läs in den med import-kolada.", file=sys.stderr)
        return EXIT_DB
    Path(args.out).write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Skrev {sum(len(p['values']) for p in pages)} poster till {args.out}.")
    return EXIT_OK


def cmd_export(args) -> int:
    from . import queries
    from .db import DatabaseUnavailable, init_db
    from .export import ExportError, to_pdf, to_pptx
    from .slides import SLIDE_KINDS, NotFound, build

    if not _writable_target(Path(args.out)):
        return EXIT_FILE
    engine = _engine()
    try:
        init_db(engine)
    except DatabaseUnavailable as exc:
        print(_db_message(exc), file=sys.stderr)
        return EXIT_DB
    kinds = [k.strip() for k in args.bilder.split(",")] if args.bilder else None
    unknown = [k for k in kinds or [] if k not in SLIDE_KINDS]
    if unknown:
        print(f"Okända bilder: {', '.join(unknown)}. Välj bland: {', '.join(SLIDE_KINDS)}.", file=sys.stderr)
        return EXIT_USAGE
    if args.mall and (args.format != "pptx" or not Path(args.mall).is_file()):
        print(f"Mallen {args.mall} finns inte." if args.format == "pptx" else
              "--mall gäller PowerPoint (--format pptx).", file=sys.stderr)
        return EXIT_FILE if args.format == "pptx" else EXIT_USAGE
    scope = (args.forvaltning or "").lower()
    try:
        slides = build(lambda name, *a: getattr(queries, name)(engine, *a), args.kommun, args.namnd,
                       args.tillfalle, kinds, scope=scope)
    except (NotFound, ValueError) as exc:
        print(str(exc) if isinstance(exc, NotFound) else f"Ogiltigt datum för --tillfalle: {args.tillfalle}",
              file=sys.stderr)
        return EXIT_INVALID
    out = Path(args.out)
    try:
        if args.format == "pptx":
            pages = to_pptx(slides, out, template=args.mall)
        else:
            pages = to_pdf(slides, out)
    except ExportError as exc:
        print(f"Exporten misslyckades: {exc}", file=sys.stderr)
        return EXIT_EXPORT
    # a long table continues on a page of its own ("Risker 1/2"): say so, the file has more pages
    slides_text = "1 bild" if len(slides) == 1 else f"{len(slides)} bilder"
    print(f"Skrev {slides_text} till {out}." if pages == len(slides) else
          f"Skrev {slides_text} på {pages} sidor till {out} (långa tabeller fortsätter på nästa sida).")
    return EXIT_OK


def cmd_report(args) -> int:
    from . import queries
    from .db import DatabaseUnavailable, init_db
    from .report import TemplateError, build, write
    from .slides import NotFound

    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        print(f"Utfilen ska sluta på .docx (fick {out.name}).", file=sys.stderr)
        return EXIT_USAGE
    if not _writable_target(out):
        return EXIT_FILE
    engine = _engine()
    try:
        init_db(engine)
    except DatabaseUnavailable as exc:
        print(_db_message(exc), file=sys.stderr)
        return EXIT_DB
    try:
        report = build(lambda name, *a: getattr(queries, name)(engine, *a), args.kommun, args.namnd,
                       args.tillfalle, scope=(args.forvaltning or "").lower(), omit_empty=args.utan_tomma)
    except NotFound as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except ValueError:
        print(f"Ogiltigt datum för --tillfalle: {args.tillfalle}", file=sys.stderr)
        return EXIT_INVALID
    try:
        write(report, out, Path(args.mall) if args.mall else None)
    except TemplateError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    print(f"Skrev rapportutkastet {out}" + (" (UTKAST: tillfället är inte fastställt)" if report.draft else "") + ".")
    return EXIT_OK


def cmd_users(args) -> int:
    from sqlalchemy import delete, insert, select

    from .access import ROLES
    from .models import UserRole

    engine = _upgraded_engine()
    if engine is None:
        return EXIT_DB
    if args.action == "list":
        with engine.connect() as conn:
            rows = conn.execute(select(UserRole.identity, UserRole.role, UserRole.kommun_code, UserRole.namnd_code,
                                    UserRole.forvaltning_key).order_by(UserRole.identity)).all()
        if not rows:
            print("Inga användare med roller.")
        for r in rows:
            scope = " ".join(x for x in (r.kommun_code, r.namnd_code, (r.forvaltning_key or "").upper()) if x) or "alla nämnder"
            print(f"{r.identity}\t{r.role}\t{scope}")
        return EXIT_OK
    identity = (args.identity or "").strip().lower()
    if not identity:
        print("Ange e-postadress eller subject-id.", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "add":
        if args.roll not in ROLES:
            print(f"Okänd roll «{args.roll}». Välj bland: {', '.join(ROLES)}.", file=sys.stderr)
            return EXIT_USAGE
        with engine.begin() as conn:
            conn.execute(insert(UserRole).values(identity=identity, role=args.roll, kommun_code=args.kommun,
                                                 namnd_code=(args.namnd or "").upper() or None,
                                                 forvaltning_key=(args.forvaltning or "").lower() or None))
        print(f"{identity} är {args.roll}" + (f" för {args.kommun or ''} {args.namnd or ''} {args.forvaltning or ''}".rstrip()
                                             if args.kommun or args.namnd else "") + ".")
        return EXIT_OK
    with engine.begin() as conn:
        removed = conn.execute(delete(UserRole).where(UserRole.identity == identity)).rowcount
    print(f"Tog bort {removed} roller för {identity}.")
    return EXIT_OK


def cmd_bench(args) -> int:
    from .bench import run_bench

    return run_bench(args)


# argparse's own words are English ("usage:", "error: invalid choice"); it looks every message up
# through its module-level gettext `_`, so a Swedish table there makes typos and --help Swedish.
_ARGPARSE_SV = {
    "usage: ": "Användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val %(value)r; välj ett av: %(choices)s",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "expected one argument": "ett värde krävs",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde krävs",
    "invalid %(type)s value: %(value)r": "ogiltigt värde %(value)r (väntade %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan vara %(matches)s",
    "not allowed with argument %s": "går inte tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
}
argparse._ = lambda text: _ARGPARSE_SV.get(text, text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Ledningsdashboard: databas, import och verktyg. Databasen anges med "
        "DASHBOARD_DATABASE_URL (standard: SQLite-filen data/dashboard.db).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    p = sub.add_parser("init-db", help="skapa/uppgradera schemat och läs in inbyggda data om databasen är tom")
    p.add_argument("--no-data", action="store_true", help="läs inte in de inbyggda arbetsböckerna")
    p.set_defaults(func=cmd_init_db)
    p = sub.add_parser("import", help="läs in en arbetsbok (eller en mapp med CSV-filer)")
    p.add_argument("path")
    p.add_argument("--dry-run", action="store_true", help="kontrollera och visa, men skriv ingenting")
    p.add_argument("--ersatt", action="store_true",
                   help="bekräfta att ett fastställt tillfälle ersätts fast det förlorar uppgifter, "
                   "eller ersätts med ett utkast (den nuvarande versionen sparas)")
    p.add_argument("--user", help="användarnamn i importloggen (standard: inloggad användare)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("check", help="kontrollera en arbetsbok utan att läsa in den")
    p.add_argument("path")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("template", help="skriv en importmall med instruktioner (tom, eller med en nämnds organisation)")
    p.add_argument("path")
    p.add_argument("--kommun", help="kommunkod: fyll i nämndens organisation från databasen")
    p.add_argument("--namnd", help="nämndkod, t.ex. AMN")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("csv-till-xlsx", help="gör om en mapp med CSV-blad till en arbetsbok")
    p.add_argument("folder")
    p.add_argument("path")
    p.set_defaults(func=cmd_csv_to_xlsx)
    p = sub.add_parser("versioner", help="lista de sparade versionerna av ett tillfälle")
    p.add_argument("--kommun", required=True, help="kommunkod, t.ex. 0580")
    p.add_argument("--namnd", required=True, help="nämndkod, t.ex. AMN")
    p.add_argument("--tillfalle", required=True, help="periodslut, t.ex. 2023-08-31")
    p.set_defaults(func=cmd_versions)
    p = sub.add_parser("aterstall", help="gör en tidigare version av ett tillfälle gällande igen")
    p.add_argument("--kommun", required=True)
    p.add_argument("--namnd", required=True)
    p.add_argument("--tillfalle", required=True)
    p.add_argument("--version", required=True, type=int)
    p.add_argument("--user", help="användarnamn i importloggen")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("logg", help="importloggen: vad varje import lade till, ersatte och tog bort")
    p.add_argument("--kommun")
    p.add_argument("--namnd")
    p.add_argument("--antal", type=int, default=30)
    p.set_defaults(func=cmd_log)
    p = sub.add_parser("byt-kommunnamn", help="byt en kommuns namn (gäller alla dess nämnder)")
    p.add_argument("kod", help="kommunkod, t.ex. 0580")
    p.add_argument("namn", help="det nya namnet")
    p.set_defaults(func=cmd_rename_kommun)
    p = sub.add_parser("import-kolada", help="läs in Koladas JSON (svar från API v2/v3) för jämförelser")
    p.add_argument("path")
    p.add_argument("--user")
    p.set_defaults(func=cmd_import_kolada)
    p = sub.add_parser("fetch-kolada", help="hämta en KPI från Koladas öppna API till en JSON-fil")
    p.add_argument("--kpi", required=True, help="t.ex. N18409")
    p.add_argument("--kommuner", required=True, help="kommunkoder, kommaseparerade (t.ex. 0580,2580,0180)")
    p.add_argument("--ar", required=True, help="år, kommaseparerade (t.ex. 2021,2022)")
    p.add_argument("--api", help="API:ets bas-URL (standard https://api.kolada.se/v3)")
    p.add_argument("out")
    p.set_defaults(func=cmd_fetch_kolada)
    p = sub.add_parser("export", help="bildspelet som PowerPoint eller PDF för nämndens handlingar")
    p.add_argument("--kommun", required=True, help="kommunkod, t.ex. 0580")
    p.add_argument("--namnd", required=True, help="nämndkod, t.ex. AMN")
    p.add_argument("--tillfalle", required=True, help="periodslut, t.ex. 2023-08-31")
    p.add_argument("--forvaltning", help="förvaltningens kod, eller hela-namnden")
    p.add_argument("--bilder", help="bilder i ordning, kommaseparerade (standard: alla)")
    p.add_argument("--format", choices=["pptx", "pdf"], required=True)
    p.add_argument("--mall", help="kommunens PowerPoint-mall (.pptx eller .potx): bildformat, bakgrund, logotyp")
    p.add_argument("out")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("rapport", help="nämndens rapport som redigerbart Word-utkast, skrivet ur uppföljningens data")
    p.add_argument("--kommun", required=True, help="kommunkod, t.ex. 2580")
    p.add_argument("--namnd", required=True, help="nämndkod, t.ex. AGN")
    p.add_argument("--tillfalle", required=True, help="periodslut, t.ex. 2024-08-31")
    p.add_argument("--forvaltning", help="förvaltningens kod, eller hela-namnden")
    p.add_argument("--mall", help="kommunens Word-mall (.docx eller .dotx): stilar, sidhuvud, logotyp")
    p.add_argument("--utan-tomma", dest="utan_tomma", action="store_true",
                   help="utelämna avsnitt utan uppgifter (annars står det «Inte rapporterat.»)")
    p.add_argument("out", help="utfil, FIL.docx")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("users", help="hantera roller: läsare, redaktör, administratör")
    p.add_argument("action", choices=["add", "list", "remove"])
    p.add_argument("identity", nargs="?", help="e-postadress (eller subject-id) från inloggningen")
    p.add_argument("--roll", default="läsare", help="läsare, redaktör eller administratör")
    p.add_argument("--kommun", help="kommunkod; tomt = alla")
    p.add_argument("--namnd", help="nämndkod; tomt = alla")
    p.add_argument("--forvaltning", help="förvaltningens kod (redaktör för en förvaltning)")
    p.set_defaults(func=cmd_users)
    p = sub.add_parser("bench", help="mät sidornas svarstider på en stor syntetisk kommun")
    p.add_argument("--scale", choices=["full", "small"], default="full")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--out", default="bench-results/bench.json")
    p.add_argument("--mode", choices=["pages", "warm", "load", "nginx", "profile"], default="pages",
                   help="pages: sidornas tider; warm: omkörning utan ändring; load: samtidiga sessioner över "
                        "websocket; nginx: två processer bakom nginx med PostgreSQL; profile: cProfile per sida")
    p.add_argument("--all", action="store_true", help="kör alla lägen i en körning")
    p.add_argument("--sessions", help="antal samtidiga sessioner, t.ex. 1,10,50 (load/nginx)")
    p.add_argument("--sidor", help="bara dessa sidor (pages/warm/profile), t.ex. Ekonomi,Mål")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # details (driver text, renderer output) are for DASHBOARD_DEBUG=1, not the user's screen
    logging.basicConfig(level=logging.DEBUG if _debug() else logging.CRITICAL, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a Swedish sentence and an exit code, never a traceback
        return _fault(exc)


def _fault(exc: BaseException) -> int:
    from sqlalchemy.exc import OperationalError

    from .db import DatabaseUnavailable, unavailable

    if _debug():
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, DatabaseUnavailable | OperationalError):
        error = exc if isinstance(exc, DatabaseUnavailable) else unavailable(None, exc)
        print(_db_message(error), file=sys.stderr)
        return EXIT_DB
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        print(f"Filen eller mappen {exc.filename} finns inte. Kontrollera sökvägen.", file=sys.stderr)
        return EXIT_FILE
    if isinstance(exc, PermissionError):
        print(f"Ingen behörighet att läsa eller skriva {exc.filename}.", file=sys.stderr)
        return EXIT_FILE
    if isinstance(exc, OSError):
        print(f"Filen {getattr(exc, 'filename', '') or ''} kunde inte läsas eller skrivas ({exc.strerror or 'okänt fel'}).",
              file=sys.stderr)
        return EXIT_FILE
    print("Ett oväntat fel inträffade; ingenting mer gjordes. Kör igen med DASHBOARD_DEBUG=1 för detaljer "
          "och kontakta den som driftar dashboarden.", file=sys.stderr)
    return EXIT_INTERNAL
