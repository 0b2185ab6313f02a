"""The nämnd's report as an editable Word draft, written from the data (issue 16).

`content.build(fetch, …)` gathers the report as data (headings, drafted sentences, the
controller's quoted comments, tables, charts); `document.write(report, out, template)` writes it
with python-docx. `sentences` holds the templates documented in docs/rapporttext.md.
No Streamlit here: the Bildspel page and `python -m dashboard rapport` call the same functions.
"""

from .content import NOT_REPORTED, Report, build, commented_lines  # noqa: F401
from .document import TemplateError, to_bytes, write  # noqa: F401
