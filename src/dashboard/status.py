"""The one place where municipalities' status words map to ordered scales.

The report's own word is stored and shown; the canonical status drives colour, symbol and order.
A blank status is "not reported" (the report gave none), which is not the same as "Ej bedömd".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    label: str  # Swedish word shown when the report's own word is not needed
    symbol: str
    rank: int  # 0 = worst; sort ascending for "worse first"
    tone: str  # good | warn | bad | neutral


NOT_REPORTED = Status("ej_angiven", "Ej angiven i rapporten", "–", 99, "neutral")

GOAL_SCALE: dict[str, Status] = {
    s.code: s
    for s in [
        Status("uppnas_ej", "Uppnås ej", "✕", 0, "bad"),
        Status("delvis", "Uppnås delvis", "◐", 1, "warn"),
        Status("uppnas", "Uppnås", "✓", 3, "good"),
        Status("ej_bedomd", "Ej bedömd", "○", 2, "neutral"),
    ]
}

GOAL_WORDS: dict[str, str] = {
    "uppnås": "uppnas",
    "uppnått": "uppnas",
    "ja": "uppnas",
    "uppnås delvis": "delvis",
    "delvis uppnått": "delvis",
    "delvis": "delvis",
    "uppnås ej": "uppnas_ej",
    "uppnås inte": "uppnas_ej",
    "ej uppnått": "uppnas_ej",
    "nej": "uppnas_ej",
    "ej bedömd": "ej_bedomd",
    "ej bedömt": "ej_bedomd",
}

ACTIVITY_SCALE: dict[str, Status] = {
    s.code: s
    for s in [
        Status("avvikelse", "Avvikelse", "✕", 0, "bad"),
        Status("forsenad", "Försenad", "⚠", 1, "bad"),
        Status("kvarstar", "Kvarstår", "◔", 2, "warn"),
        Status("vantande", "Väntande", "○", 3, "warn"),
        Status("pagar", "Pågående", "◐", 4, "neutral"),
        Status("klar", "Klar", "✓", 5, "good"),
        Status("avbruten", "Avbruten", "⊘", 6, "neutral"),
    ]
}

ACTIVITY_WORDS: dict[str, str] = {
    "klar": "klar",
    "genomförd": "klar",
    "genomfört": "klar",
    "avklarad": "klar",
    "pågående": "pagar",
    "pågår": "pagar",
    "väntande": "vantande",
    "ej påbörjad": "vantande",
    "ej startad": "vantande",
    "planerad": "vantande",
    "kvarstår": "kvarstar",
    "försenad": "forsenad",
    "genomförd med brister": "avvikelse",
    "avvikelse": "avvikelse",
    "avbruten": "avbruten",
    "utgår": "avbruten",
}


def _norm(word: str) -> str:
    return " ".join(word.replace("\u00a0", " ").split()).casefold()


def goal_status(word: str | None) -> str | None:
    """Canonical goal status for a report word; None for blank. Raises KeyError if unknown."""
    if word is None or not word.strip():
        return None
    return GOAL_WORDS[_norm(word)]


def activity_status(word: str | None) -> str | None:
    """Canonical activity/uppdrag/control-step status; None for blank; KeyError if unknown."""
    if word is None or not word.strip():
        return None
    return ACTIVITY_WORDS[_norm(word)]


def goal_info(code: str | None) -> Status:
    return GOAL_SCALE.get(code or "", NOT_REPORTED)


def activity_info(code: str | None) -> Status:
    return ACTIVITY_SCALE.get(code or "", NOT_REPORTED)


def worst_first(codes, info_fn) -> list:
    """Status codes in the one order used everywhere (strips, badges, slides): worst first, the
    best last, "not reported" after them. `info_fn` is goal_info or activity_info."""
    return sorted(codes, key=lambda c: (info_fn(c).rank, str(c)))


def tally(codes, words, info_fn) -> list[tuple[Status, str, int]]:
    """(status, the report's own word, count) per status, worst first: what a strip or a slide
    shows. The word is the one the report uses most for that status ("Pågår", "Genomförd med
    brister"), so the strip and the items below it speak the same language."""
    counts: dict[str | None, int] = {}
    seen: dict[str | None, dict[str, int]] = {}
    for code, word in zip(codes, words if words is not None else [None] * len(list(codes)), strict=False):
        code = code if isinstance(code, str) else None
        counts[code] = counts.get(code, 0) + 1
        if isinstance(word, str) and word.strip():
            seen.setdefault(code, {})
            seen[code][word.strip()] = seen[code].get(word.strip(), 0) + 1
    out = []
    for code in worst_first(counts, info_fn):
        info = info_fn(code)
        own = seen.get(code)
        out.append((info, max(own, key=own.get) if own else info.label, counts[code]))
    return out


def allowed_goal_words() -> str:
    return ", ".join(sorted({w.capitalize() for w in GOAL_WORDS}))


def allowed_activity_words() -> str:
    return ", ".join(sorted({w.capitalize() for w in ACTIVITY_WORDS}))
