"""textsafe: imported text is literal in markdown (the browser check is in test_hardening_browser.py)."""

from __future__ import annotations

import math

from dashboard import textsafe as ts


def test_links_images_html_and_autolinks_are_escaped():
    payload = '![x](http://evil.example/a.png) [Logga in](http://evil.example) <img src=x onerror=alert(1)>'
    out = ts.md(payload)
    assert "\\!" not in out  # "!" alone is harmless once "[" is escaped
    assert "\\[" in out and "\\]" in out and "\\<" in out and "http:\u2060//" in out
    assert ts.md("se www.evil.example eller a@b.se") == "se www\u2060.evil.example eller a\u2060@b.se"
    assert ts.unescape(ts.md("a@b.se http://x")) == "a@b.se http://x"
    assert ts.md("<iframe srcdoc='<script>parent.__xss=4</script>'>").startswith("\\<iframe")


def test_line_start_syntax_and_math_are_literal():
    assert ts.md("# Rubrik") == "\\# Rubrik"
    assert ts.md("- punkt") == "\\- punkt"
    assert ts.md("1. första") == "1\\. första"
    assert ts.md("kostnad $5$ och :red[röd] :material/home:") == (
        "kostnad \\$5\\$ och :red\\[röd\\] :material\\/home:")
    assert ts.md("Prognosen: 8 300 tkr") == "Prognosen: 8 300 tkr"
    assert ts.md("Arbetsmarknads- och gymnasienämnden") == "Arbetsmarknads- och gymnasienämnden"


def test_missing_and_control_characters():
    assert ts.md(None) == "" and ts.md(math.nan) == ""
    assert ts.md("a\x00b\x1fc\td") == "abc d"
    assert ts.printable("Etikett\x07 med\tflik") == "Etikett med flik"
    assert ts.md("rad ett\nrad två") == "rad ett rad två"


def test_text_block_keeps_lines_and_paragraphs_only():
    out = ts.text_block("Första raden\n    indraget\n\n## inte rubrik\n- inte lista")
    lines = out.split("  \n")
    assert lines[0] == "Första raden"
    assert lines[1] == "\u00a0" * 4 + "indraget"  # no indented code block
    assert lines[2] == ""
    assert lines[3] == "\\#\\# inte rubrik" and lines[4] == "\\- inte lista"


def test_bullets():
    assert ts.bullets(["[a](http://x)", None, "b"]) == "- \\[a\\](http:\u2060//x)\n- b"


def test_unprintable_names_the_character():
    assert ts.unprintable("Etikett\x01") == "U+0001" and ts.unprintable("rad\tett\nrad två") is None
    assert ts.unprintable(None) is None and ts.unprintable("\x7f") == "U+007F"
