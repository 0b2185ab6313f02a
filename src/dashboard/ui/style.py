"""The stylesheets, read once from the .css files beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def _css(name: str) -> str:
    return f"<style>\n{(_HERE / name).read_text(encoding='utf-8')}</style>\n"


def css() -> str:
    """The dashboard's own styles and the Swedish chrome script (ui/chrome.py), for
    st.html(…, unsafe_allow_javascript=True) once per run."""
    from .chrome import chrome_script

    return _css("style.css") + chrome_script()


def projector_css() -> str:
    """Presentation mode: no sidebar or chrome, large type."""
    return _css("projector.css")
