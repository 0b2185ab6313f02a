"""Indicator status rows stored per round

One row per value that status mot målvärde judges (`targets.latest_rows`: each series' outcomes
at its latest period, every table's), in the order of the round's values, with its series'
number of distinct values and its target; `indicator_status_round` marks the rounds stored. The
import writes them in the same transaction as the values and targets; `init-db` builds them for
rounds imported before this revision (`indicator_status.backfill`), so the tables start empty
here and an upgraded database gets exactly the rows a fresh import writes.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "indicator_status",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("breakdown", sa.String(length=100), nullable=False),
        sa.Column("source_table", sa.String(length=100), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_label", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("missing", sa.Boolean(), nullable=False),
        sa.Column("footnote", sa.Text(), nullable=True),
        sa.Column("n_values", sa.Integer(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("printed_comparator", sa.String(length=2), nullable=True),
        sa.Column("target_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_indicator_status_round_id_round")),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"],
                                name=op.f("fk_indicator_status_indicator_id_indicator")),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_indicator_status_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("round_id", "seq", name=op.f("pk_indicator_status")),
    )
    op.create_table(
        "indicator_status_round",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_indicator_status_round_round_id_round")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_indicator_status_round")),
    )


def downgrade() -> None:
    op.drop_table("indicator_status_round")
    op.drop_table("indicator_status")
