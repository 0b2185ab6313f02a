"""`.streamlit/config.toml` turns Streamlit's magic off (runner.magicEnabled = false): a bare
expression in app.py or a page would then silently draw nothing instead of st.write-ing its
value. This checks that no script has one, so nothing shown depends on the setting."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from streamlit.runtime.scriptrunner import magic

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def test_magic_is_off_in_the_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False


def test_magic_finds_the_expression_it_would_write():
    # the check below sees what magic would write: a bare name becomes a write call
    src = "import streamlit as st\nvalue = 1\nvalue\n"
    assert "transparent_write" in ast.unparse(magic.add_magic(src, "probe.py"))


def test_no_script_relies_on_magic():
    assert len(SCRIPTS) >= 11  # app.py and the pages
    for path in SCRIPTS:
        src = path.read_text(encoding="utf-8")
        written = [line.strip() for line in ast.unparse(magic.add_magic(src, str(path))).splitlines()
                   if "transparent_write" in line]
        assert written == [], f"{path.name} draws with magic: {written}"
