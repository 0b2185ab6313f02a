"""Roles for signed-in users; the förvaltning that owns a draft round

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("kommun_code", sa.String(length=4), nullable=True),
        sa.Column("namnd_code", sa.String(length=20), nullable=True),
        sa.Column("forvaltning_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_role")),
    )
    op.create_index(op.f("ix_user_role_identity"), "user_role", ["identity"], unique=False)
    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("forvaltning_key", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round") as batch:
        batch.drop_column("forvaltning_key")
    op.drop_index(op.f("ix_user_role_identity"), table_name="user_role")
    op.drop_table("user_role")
