"""Rounds are versions: names, descriptions and organisation per round; every import kept

Dimension rows (units, goals, activities, indicators, risks, control steps) keep only their
stable key; what they are called and where they sit moves to one row per round (`*_version`),
backfilled from today's shared rows for every round that shows them, so an upgraded database
shows exactly what it showed before. The nämnd's name moves to the round. `round_version` keeps
every imported workbook (filled by init-db for rounds imported before this revision).

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _fk(col: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{target}.id"], name=op.f(f"fk_{table}_{col}_{target}"))


def _version_table(name: str, dim: str, dim_col: str, *columns: sa.Column, fks=()) -> None:
    op.create_table(
        name,
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(dim_col, sa.Integer(), nullable=False),
        *columns,
        _fk("round_id", name, "round"),
        _fk(dim_col, name, dim),
        *[_fk(col, name, target) for col, target in fks],
        sa.PrimaryKeyConstraint("round_id", dim_col, name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    text, integer, boolean = sa.Text(), sa.Integer(), sa.Boolean()
    _version_table(
        "unit_version", "org_unit", "unit_id",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("parent_id", integer, nullable=True),
        sa.Column("forvaltning_id", integer, nullable=True),
        sa.Column("code", sa.String(40), nullable=True),
        sa.Column("historical", boolean, nullable=False),
        sa.Column("sort_order", integer, nullable=False),
        sa.Column("depth", integer, nullable=False),
        fks=[("parent_id", "org_unit"), ("forvaltning_id", "org_unit")],
    )
    _version_table(
        "goal_version", "goal", "goal_id",
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("name", text, nullable=False),
        sa.Column("parent_id", integer, nullable=True),
        sa.Column("unit_id", integer, nullable=True),
        sa.Column("description", text, nullable=True),
        sa.Column("sort_order", integer, nullable=False),
        fks=[("parent_id", "goal"), ("unit_id", "org_unit")],
    )
    _version_table(
        "activity_version", "activity", "activity_id",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", text, nullable=False),
        sa.Column("goal_id", integer, nullable=True),
        sa.Column("unit_id", integer, nullable=True),
        sa.Column("description", text, nullable=True),
        sa.Column("sort_order", integer, nullable=False),
        fks=[("goal_id", "goal"), ("unit_id", "org_unit")],
    )
    _version_table(
        "indicator_version", "indicator", "indicator_id",
        sa.Column("name", text, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("measure_unit", sa.String(40), nullable=True),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("accumulation", sa.String(20), nullable=False),
        sa.Column("goal_id", integer, nullable=True),
        sa.Column("unit_id", integer, nullable=True),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("kolada_id", sa.String(20), nullable=True),
        sa.Column("footnote", text, nullable=True),
        sa.Column("sort_order", integer, nullable=False),
        fks=[("goal_id", "goal"), ("unit_id", "org_unit")],
    )
    _version_table(
        "risk_version", "risk", "risk_id",
        sa.Column("name", text, nullable=False),
        sa.Column("unit_id", integer, nullable=True),
        sa.Column("description", text, nullable=True),
        sa.Column("sort_order", integer, nullable=False),
        fks=[("unit_id", "org_unit")],
    )
    _version_table(
        "control_step_version", "control_step", "control_step_id",
        sa.Column("name", text, nullable=False),
        sa.Column("risk_id", integer, nullable=True),
        sa.Column("unit_id", integer, nullable=True),
        sa.Column("description", text, nullable=True),
        sa.Column("sort_order", integer, nullable=False),
        fks=[("risk_id", "risk"), ("unit_id", "org_unit")],
    )
    op.create_table(
        "round_version",
        sa.Column("id", integer, nullable=False),
        sa.Column("namnd_id", integer, nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=True),
        sa.Column("file_name", sa.String(500), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        _fk("namnd_id", "round_version", "namnd"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_version")),
        sa.UniqueConstraint("namnd_id", "period_end", "version", name=op.f("uq_round_version_namnd_id")),
    )
    op.create_index(op.f("ix_round_version_namnd_id"), "round_version", ["namnd_id"], unique=False)

    # Backfill: every round shows what it showed before this revision.
    op.execute("""
        INSERT INTO unit_version (round_id, unit_id, name, level, parent_id, forvaltning_id, code,
                                  historical, sort_order, depth)
        SELECT r.id, u.id, u.name, u.level, u.parent_id, u.forvaltning_id, u.code,
               u.historical, u.sort_order, u.depth
        FROM round r JOIN org_unit u ON u.namnd_id = r.namnd_id""")
    op.execute("""
        INSERT INTO goal_version (round_id, goal_id, level, name, parent_id, unit_id, description, sort_order)
        SELECT a.round_id, g.id, g.level, g.name, g.parent_id, g.unit_id, g.description, g.sort_order
        FROM goal_assessment a JOIN goal g ON g.id = a.goal_id""")
    op.execute("""
        INSERT INTO activity_version (round_id, activity_id, kind, name, goal_id, unit_id, description, sort_order)
        SELECT s.round_id, a.id, a.kind, a.name, a.goal_id, a.unit_id, a.description, a.sort_order
        FROM activity_status s JOIN activity a ON a.id = s.activity_id""")
    op.execute("""
        INSERT INTO indicator_version (round_id, indicator_id, name, kind, measure_unit, direction,
                                       accumulation, goal_id, unit_id, source, kolada_id, footnote, sort_order)
        SELECT r.id, i.id, i.name, i.kind, i.measure_unit, i.direction, i.accumulation, i.goal_id,
               i.unit_id, i.source, i.kolada_id, i.footnote, i.sort_order
        FROM round r JOIN indicator i ON i.namnd_id = r.namnd_id""")
    op.execute("""
        INSERT INTO risk_version (round_id, risk_id, name, unit_id, description, sort_order)
        SELECT s.round_id, k.id, k.name, k.unit_id, k.description, k.sort_order
        FROM risk_assessment s JOIN risk k ON k.id = s.risk_id""")
    op.execute("""
        INSERT INTO control_step_version (round_id, control_step_id, name, risk_id, unit_id, description, sort_order)
        SELECT s.round_id, c.id, c.name, c.risk_id, c.unit_id, c.description, c.sort_order
        FROM control_step_status s JOIN control_step c ON c.id = s.control_step_id""")

    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("namnd_name", sa.String(200), nullable=True))
    op.execute("UPDATE round SET namnd_name = (SELECT n.name FROM namnd n WHERE n.id = round.namnd_id)")
    with op.batch_alter_table("round") as batch:
        batch.alter_column("namnd_name", existing_type=sa.String(200), nullable=False)

    with op.batch_alter_table("import_log") as batch:
        batch.add_column(sa.Column("changes", text, nullable=True))
        batch.add_column(sa.Column("version", integer, nullable=True))

    # The shared attributes go: nothing can read a draft's name for an adopted round any more.
    with op.batch_alter_table("namnd") as batch:
        batch.drop_column("name")
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_index("ix_org_unit_forvaltning_id")
        batch.drop_constraint("fk_org_unit_parent_id_org_unit", type_="foreignkey")
        batch.drop_constraint("fk_org_unit_forvaltning_id_org_unit", type_="foreignkey")
        for col in ("name", "level", "parent_id", "forvaltning_id", "code", "historical", "sort_order", "depth"):
            batch.drop_column(col)
    for table, cols, fks in (
        ("goal", ("level", "name", "parent_id", "unit_id", "description", "sort_order"),
         ("fk_goal_parent_id_goal", "fk_goal_unit_id_org_unit")),
        ("activity", ("kind", "name", "goal_id", "unit_id", "description", "sort_order"),
         ("fk_activity_goal_id_goal", "fk_activity_unit_id_org_unit")),
        ("indicator", ("name", "kind", "measure_unit", "direction", "accumulation", "goal_id", "unit_id",
                       "source", "kolada_id", "footnote", "sort_order"),
         ("fk_indicator_goal_id_goal", "fk_indicator_unit_id_org_unit")),
        ("risk", ("name", "unit_id", "description", "sort_order"), ("fk_risk_unit_id_org_unit",)),
        ("control_step", ("name", "risk_id", "unit_id", "description", "sort_order"),
         ("fk_control_step_risk_id_risk", "fk_control_step_unit_id_org_unit")),
    ):
        with op.batch_alter_table(table) as batch:
            for fk in fks:
                batch.drop_constraint(fk, type_="foreignkey")
            for col in cols:
                batch.drop_column(col)


def downgrade() -> None:
    raise NotImplementedError("Ingen nedgradering: versionerade namn kan inte slås ihop utan förlust.")
