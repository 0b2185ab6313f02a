"""Economy roll-ups stored per round

One row per (round, unit) with the round's economy tree as `economy.economy_table` gives it for
that round alone: printed figures as printed, the sums the report did not print computed and
flagged `<field>_computed`; `economy_rollup_round` marks the rounds stored (with the columns the
tree returned as all-missing objects, so it reads back with the same dtypes). The import writes them in the same transaction as the economy lines;
`init-db` builds them for rounds imported before this revision (`rollups.backfill`), so the
table starts empty here and an upgraded database gets exactly the rows a fresh import writes.

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

AMOUNTS = ("budget_year", "budget_period", "actual_period", "deviation_period", "forecast_net",
           "forecast_deviation", "actual_prev_period", "bokslut_prev_year")


def upgrade() -> None:
    op.create_table(
        "economy_rollup",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        *[sa.Column(f, sa.Float(), nullable=True) for f in AMOUNTS],
        sa.Column("budget_share_pct", sa.Float(), nullable=True),
        *[sa.Column(f + "_computed", sa.Boolean(), nullable=False) for f in AMOUNTS],
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.Column("own_forecast", sa.Boolean(), nullable=False),
        sa.Column("summary_line", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_economy_rollup_round_id_round")),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_economy_rollup_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("round_id", "unit_id", name=op.f("pk_economy_rollup")),
    )
    op.create_table(
        "economy_rollup_round",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("object_columns", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_economy_rollup_round_round_id_round")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_economy_rollup_round")),
    )


def downgrade() -> None:
    op.drop_table("economy_rollup_round")
    op.drop_table("economy_rollup")
