"""Indicator status judged per round for the nämnd as a whole

One row per value series of a round's stored status rows (`indicator_status`): the row
`targets.judge` keeps of the series, in judge's order, with its status code;
`indicator_judged_round` marks the rounds stored. Written with the status rows (the import, in
the same transaction); `init-db` builds them for rounds stored before this revision
(`indicator_status.backfill`), so the tables start empty here and an upgraded database gets
exactly the rows a fresh import writes.

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "indicator_judged",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_indicator_judged_round_id_round")),
        # the status row each judged row is: replacing the status rows without these fails
        sa.ForeignKeyConstraint(["round_id", "seq"], ["indicator_status.round_id", "indicator_status.seq"],
                                name=op.f("fk_indicator_judged_round_id_indicator_status")),
        sa.PrimaryKeyConstraint("round_id", "position", name=op.f("pk_indicator_judged")),
    )
    op.create_table(
        "indicator_judged_round",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], name=op.f("fk_indicator_judged_round_round_id_round")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_indicator_judged_round")),
    )


def downgrade() -> None:
    op.drop_table("indicator_judged_round")
    op.drop_table("indicator_judged")
