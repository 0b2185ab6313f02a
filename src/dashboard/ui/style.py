"""The stylesheets, read once from the .css files beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def _css(name: str) -> str:
    return f"<style>\n{(_HERE / name).read_text(encoding='utf-8')}</style>\n"


def css() -> str:
    """The dashboard's own styles, for st.html once per run."""
    return _css("style.css")


def projector_css() -> str:
    """Presentation mode: no sidebar or chrome, large type."""
    return _css("projector.css")
