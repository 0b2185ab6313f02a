"""Streamlit helpers for app.py and the pages, split by subject:

- `context`    the filter context app.py resolves each run, page paths, `context()`
- `signin`     access mode, identity and roles, visible rounds, `access()`
- `elements`   badges, metrics, links, charts, downloads
- `indicators` indicator small multiples
- `projector`  presentation mode switch
- `style`      the stylesheets (style.css, projector.css), read once

Pages import from `dashboard.ui` directly; the names below are the public surface.
"""

from .context import (
    CTX_KEY, PAGE_OBJECTS_KEY, PAGES, URL_KEYS, Context, context, ensure_app_ran, freshness_line, page_target,
    scope_url_value,
)
from .elements import (
    namnd_follow_up_links,
    COMPUTED_NOTE, amount_text, deviation_text, download_about, heading, metric, page_link, show_chart, status_badge,
    status_strip, table_downloads,
    text_block, unit_link,
)
from .indicators import indicator_cards
from .navigation import stop_page
from .projector import PROJECTOR_KEY, projector
from .signin import ACCESS_KEY, access, auth_configured, current_access, visible_round_ids
from .style import css, projector_css

__all__ = [
    "ACCESS_KEY", "COMPUTED_NOTE", "CTX_KEY", "PAGE_OBJECTS_KEY", "PAGES", "PROJECTOR_KEY", "URL_KEYS", "Context", "access",
    "amount_text", "auth_configured", "context", "css", "current_access", "deviation_text", "download_about",
    "ensure_app_ran", "freshness_line", "heading", "indicator_cards", "metric", "page_link", "page_target", "projector", "projector_css",
    "scope_url_value", "show_chart",
    "status_badge", "status_strip", "stop_page", "table_downloads", "text_block", "unit_link", "visible_round_ids",
]
