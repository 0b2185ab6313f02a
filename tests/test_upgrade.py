"""`init-db` upgrades a database built by main before rounds became versions (revision 0003,
commit cf3829d) without re-importing: the rows that main wrote (tests/fixtures/main_before_versions.json,
made by make_main_before_versions.py from that commit) are loaded into a 0003 schema, init-db runs,
and every round then reads exactly as a database built today from the same workbooks, each with
its content kept as version 1. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, select, text

from conftest import ROOT, _fresh_url
from dashboard import config, models as m
from dashboard.db import alembic_config, init_db, make_engine
from dashboard.importing import import_path, round_versions
from dashboard.importing.dump import dump_round

FIXTURE = Path(__file__).with_name("fixtures") / "main_before_versions.json"


def _value(column, value):
    if value is None:
        return None
    kind = column.type.python_type if hasattr(column.type, "python_type") else None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


def build_old_database(url: str):
    engine = make_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            data = rows.get(table.name) or []
            if not data:
                continue
            if table.name == "org_unit":  # parents refer to rows of the same table: two passes
                conn.execute(table.insert(), [{k: (None if k in ("parent_id", "forvaltning_id") else _value(table.c[k], v))
                                               for k, v in r.items()} for r in data])
                for r in data:
                    conn.execute(table.update().where(table.c.id == r["id"])
                                 .values(parent_id=r["parent_id"], forvaltning_id=r["forvaltning_id"]))
                continue
            if table.name == "goal":
                conn.execute(table.insert(), [{k: (None if k == "parent_id" else _value(table.c[k], v)) for k, v in r.items()}
                                              for r in data])
                for r in data:
                    conn.execute(table.update().where(table.c.id == r["id"]).values(parent_id=r["parent_id"]))
                continue
            conn.execute(table.insert(), [{k: _value(table.c[k], v) for k, v in r.items()} for r in data])
        if engine.dialect.name == "postgresql":  # as a database that main built: sequences past its ids
            for table in meta.sorted_tables:
                if "id" in table.c and rows.get(table.name):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT max(id) FROM {table.name}))"))
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def upgraded_and_fresh(request, tmp_path_factory):
    old = build_old_database(_fresh_url(request.param, tmp_path_factory, request))
    lines = init_db(old)  # what `python -m dashboard init-db` does
    fresh = make_engine(_fresh_url(request.param, tmp_path_factory, request))
    init_db(fresh)
    yield old, fresh, lines
    old.dispose()
    fresh.dispose()


def _rounds(engine):
    with engine.connect() as conn:
        return {(k, n, end): rid for rid, k, n, end in conn.execute(
            select(m.Round.id, m.Kommun.code, m.Namnd.code, m.Round.period_end)
            .join(m.Namnd, m.Namnd.id == m.Round.namnd_id).join(m.Kommun, m.Kommun.id == m.Namnd.kommun_id))}


def test_upgraded_database_reads_as_one_built_today(upgraded_and_fresh):
    old, fresh, lines = upgraded_and_fresh
    assert "Sparade nuvarande innehåll som version 1 för 3 tillfällen." in lines
    assert not any(line.startswith("Läste in") for line in lines)  # nothing re-imported
    before, today = _rounds(old), _rounds(fresh)
    assert set(before) == set(today) == {("0580", "AMN", dt.date(2023, 8, 31)), ("2580", "AGN", dt.date(2024, 4, 30)),
                                         ("2580", "AGN", dt.date(2024, 8, 31))}
    for key, rid in before.items():
        upgraded, built = dump_round(old, rid), dump_round(fresh, today[key])
        assert set(upgraded) == set(built), key
        for name in built:
            assert upgraded[name].headers == built[name].headers, (key, name)
            assert [v for _, v in upgraded[name].rows] == [v for _, v in built[name].rows], (key, name)
        versions = round_versions(old, *key)
        assert [v["version"] for v in versions] == [1] and versions[0]["note"].startswith("inläst före")


def test_upgraded_database_takes_new_imports(upgraded_and_fresh):
    old, _, _ = upgraded_and_fresh
    path = next(p for p in config.builtin_workbooks() if p.name.startswith("2024-08-31_2580"))
    report = import_path(old, path)
    assert report.ok, report.lines()
    assert report.version == 2
    assert "Tillfället finns redan och ersätts (version 1)" in "\n".join(report.lines())
    assert init_db(old)[1:] == ["Databasen har redan data; inga inbyggda arbetsböcker lästes in."]
