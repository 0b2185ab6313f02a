"""Streamlit's own chrome in Swedish or hidden.

- `.streamlit/config.toml`: `toolbarMode = "minimal"` and no `menu_items`, so there is no main
  menu (its items – Print, Record screen, Made with Streamlit – are English and of no use to a
  nämnd); `disableDataExport` switches off the tables' own CSV download and copy (downloads.py
  offers Excel and CSV in Swedish format).
- style.css hides the element toolbars (a table's Search/Fullscreen/Download, a chart's
  Fullscreen) and the "Running… / Stop" status widget.
- What remains of Streamlit's built-in English – widget placeholders and aria-labels ("Choose an
  option", "Clear all", "Remove"), the file uploader's instructions ("Drag and drop file here",
  "Browse files", "Limit 200MB per file") – is replaced in the page by a small script
  (chrome.js), because Streamlit has no setting for the language of those words.

`ENGLISH` is the list the browser tests check every page against (issue 13).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent

# Streamlit 1.67's built-in words as they reach a reader, and ours
WORDS = {
    "Choose an option": "Välj",
    "Choose options": "Välj",
    "Select...": "Välj …",
    "Clear all": "Rensa alla",
    "Clear value": "Rensa",
    "Remove": "Ta bort",
    "No results": "Inga träffar",
    "No options to select": "Inga val",
    "Browse files": "Välj fil",
    "Upload": "Ladda upp",
    "Drag and drop file here": "Dra och släpp filen här",
    "Drag and drop files here": "Dra och släpp filerna här",
    "Delete": "Ta bort",
    "Press Enter to apply": "Tryck Enter för att använda",
    "Press Enter to submit form": "Tryck Enter för att skicka",
    "Show password text": "Visa lösenordet",
    "Hide password text": "Dölj lösenordet",
    "Open": "Öppna",
    "Close": "Stäng",
    "Running...": "Arbetar …",
    "Stop": "Stoppa",
    "Search": "Sök",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Download as CSV": "Ladda ned som CSV",
    "Show data": "Visa data",
    "Collapse sidebar": "Fäll ihop sidofältet",
    "Expand sidebar": "Fäll ut sidofältet",
    "Keyboard shortcut": "Kortkommando",
    "Increment value": "Öka",
    "Decrement value": "Minska",
    "Show help": "Visa hjälp",
    "Help": "Hjälp",
    "Main menu": "Huvudmeny",
    "Copy to clipboard": "Kopiera",
}
# (JavaScript regular expression, replacement)
PATTERNS = [
    (r"Limit (\d+(?:[.,]\d+)?)\s?MB per file", "Högst $1 MB per fil"),
    (r"(\d+(?:[.,]\d+)?)\s?MB per file", "$1 MB per fil"),
    (r"^Selected (.+)\. ", "Valt: $1. "),
    (r"^Remove (.+)$", "Ta bort $1"),
    (r"^Help for (.+)$", "Hjälp för $1"),
    (r"^file upload$", "filuppladdning"),
    # the chosen file's size as Streamlit writes it ("10.5KB"): Swedish decimal comma and units
    (r"^(\d+)\.(\d+)KB$", "$1,$2 kB"),
    (r"^(\d+)\.(\d+)MB$", "$1,$2 MB"),
    (r"^(\d+)\.(\d+)GB$", "$1,$2 GB"),
    (r"^(\d+)\.(\d+)B$", "$1,$2 byte"),
]

# What must never reach a reader (issue 13, Done when): checked by the browser tests
ENGLISH = ["Upload", "Browse files", "per file", "Deploy", "Print", "Record", "Made with", "Stop", "Running",
           "Choose an option", "Clear all", "Remove", "Download as CSV", "Show data", "Search", "Fullscreen"]


@cache
def chrome_script() -> str:
    """The script for st.html(…, unsafe_allow_javascript=True), built once."""
    source = (_HERE / "chrome.js").read_text(encoding="utf-8")
    return ("<script>\n" + source.replace("__WORDS__", json.dumps(WORDS, ensure_ascii=False))
            .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False)) + "</script>\n")
