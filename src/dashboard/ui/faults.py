"""Faults on a page in the user's words: no driver text, server address or link on the page (the
detail goes to the server log); the next click tries again, no restart needed."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from ..db import DatabaseUnavailable

# what a page run may meet when the database goes away under it (caught in app.py)
DATABASE_ERRORS = (SQLAlchemyError, DatabaseUnavailable)
log = logging.getLogger("dashboard")


def database_fault(exc: BaseException) -> None:
    log.error("sidan kunde inte visas", exc_info=exc)
    if isinstance(exc, DatabaseUnavailable | OperationalError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        st.error("**Databasen kan inte nås just nu.** Uppgifterna kunde inte läsas. Försök igen om en "
                 "stund; kvarstår felet, kontakta den som driftar dashboarden.", icon=":material/error:")
    else:
        unexpected_fault(exc, logged=True)


def unexpected_fault(exc: BaseException, logged: bool = False) -> None:
    """A bug on a page: the reader gets Swedish words (never Streamlit's English traceback box)."""
    if not logged:
        log.error("sidan kunde inte visas", exc_info=exc)
    st.error("**Sidan kunde inte visas.** Ett oväntat fel inträffade; detaljerna finns i serverns "
             "logg. Försök igen, eller välj en annan sida.", icon=":material/error:")
