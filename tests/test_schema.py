"""The migrations build the schema the models describe: a database upgraded to the latest
revision differs from `models.Base.metadata` in nothing Alembic's comparison sees (tables,
columns, types, nullability, keys, indexes, foreign keys), on SQLite and PostgreSQL – a revision
that forgets a column or a key the models have (or the other way round) fails here, not in a
user's upgraded database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import _fresh_url
from dashboard import models as m
from dashboard.db import make_engine, upgrade


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_upgraded_schema_is_the_models(backend, tmp_path_factory, request):
    engine = make_engine(_fresh_url(backend, tmp_path_factory, request))
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), m.Base.metadata)
    engine.dispose()
    assert diff == []
