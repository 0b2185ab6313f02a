"""Imported text and URL values, made safe for the places they are shown.

Everything a workbook or an address brings (names, descriptions, comments, status words, units,
footnotes, event text, query-parameter values) is *data*: it must be shown literally, never as
HTML, never as a link or an image that a viewer's browser would follow or fetch.

Streamlit renders `st.markdown`, `st.caption`, `st.info`/`warning`/`error`/`success`, widget and
page-link labels, metric labels, expander and tab titles as GitHub-flavoured Markdown (plus
LaTeX, emoji and `:color[…]` directives). So every imported string passes through one of:

- `md(text)`   – one line of literal text inside markdown (also as the *content* of one of our
  own inline HTML elements, e.g. a badge `<span>`, in `st.markdown(…, unsafe_allow_html=True)`;
  never inside an HTML attribute).
- `text_block(text)` – a report text with its line breaks and blank lines kept, no headings,
  lists, links, images, HTML or LaTeX.
- `bullets(items)` – a markdown bullet list of literal items (our list, their text).
- `printable(text)` – plain text for renderers outside the browser (PowerPoint XML, reportlab,
  vl-convert): control characters that crash or corrupt them removed.

Why escaping and not a sanitiser: the reports' texts are plain prose; nothing in the import
format asks for rich text, so the simplest rule that cannot be bypassed is "no markup from data".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

# C0 controls except tab/newline/CR, DEL, C1 controls, lone surrogates and the XML non-characters:
# python-pptx writes XML 1.0 (which forbids them), vl-convert panics on some of them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Characters that start markdown syntax anywhere in a line: escapes, code, emphasis, links and
# images, HTML and autolinks, headings, LaTeX, tables, strikethrough, entities; Streamlit's
# ":color[…]" directives need "[". A backslash before ASCII punctuation is CommonMark's
# guaranteed "literal character".
_INLINE = re.compile(r"([\\`*_\[\]<>#$|~&])")
# GFM's literal autolinks ("http://…", "www.…", "a@b.se") are found in the *parsed* text, after
# escapes are gone (mdast-util-gfm-autolink-literal), so a backslash cannot stop them: an
# invisible word joiner (U+2060) inside the pattern does.
JOINER = "\u2060"
_SCHEME = re.compile(r":(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_AT = re.compile(r"@")
# Streamlit rewrites ":material/" in the source before parsing; break the "/" as well.
_MATERIAL = re.compile(r"(?i)(material)/")
# Block syntax that only counts at the start of a line: list items, setext underlines,
# thematic breaks, ordered lists ("1." / "1)").
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def plain(value: object) -> str:
    """The value as text: missing (None/NaN) is empty, unprintable characters removed."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return _UNPRINTABLE.sub("", str(value))


def unprintable(value: object) -> str | None:
    """For the importer's value check: the first character no renderer may get, as `U+0001`
    (None when the text is clean). Tab, line feed and CR are allowed."""
    match = _UNPRINTABLE.search(str(value)) if isinstance(value, str) else None
    return f"U+{ord(match.group()):04X}" if match else None


def printable(value: object) -> str:
    """Plain text for PowerPoint, PDF and chart renderers: no control characters (tab → space)."""
    return plain(value).replace("\t", " ")


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    line = _SCHEME.sub(":" + JOINER, line)
    line = _WWW.sub(r"\1" + JOINER + ".", line)
    line = _AT.sub(JOINER + "@", line)
    line = _MATERIAL.sub(r"\1\\/", line)
    # leading spaces would make an indented code block: keep the indent as no-break spaces
    stripped = line.lstrip(" ")
    indent = "\u00a0" * (len(line) - len(stripped))
    stripped = _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}",
                               stripped)
    return indent + stripped


def md(value: object) -> str:
    """One line of literal text for Streamlit markdown (line breaks become spaces)."""
    text = plain(value).replace("\t", " ")
    text = re.sub(r"\s*(?:\r\n|\r|\n)\s*", " ", text).strip()
    return _escape_line(text)


def text_block(value: object) -> str:
    """A report text for st.markdown: its line breaks and paragraphs kept, nothing else."""
    text = plain(value).replace("\t", "    ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_escape_line(line.rstrip()) for line in text.split("\n")]
    # two trailing spaces = a hard line break; an empty line stays a paragraph break
    return "  \n".join(lines).strip()


def bullets(items: Iterable[object]) -> str:
    """A markdown bullet list whose items are literal text."""
    return "\n".join(f"- {md(item)}" for item in items if plain(item).strip())


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(markdown: str) -> str:
    """The text a reader sees for markdown made by this module (tests compare it with the report)."""
    return _ESCAPED.sub(r"\1", markdown).replace(JOINER, "")
