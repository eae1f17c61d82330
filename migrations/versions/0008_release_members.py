"""Release members: each release stores the gate's rows it added (one packed value per
release) instead of a row number and an atom written into every result

Revision ID: 0008_release_members
Revises: 0005_session_versions
Create Date: 2026-12-02 06:00:00

The release's ``members``: little-endian int32 [n_new, the ids of the results it saw first in
release-row order, their atoms (−1 = pending), the ids of earlier results it gave an atom, those
atoms]. The upgrade stores each campaign's current rows (``attempt_result.release_row`` and
``atom``) in its latest release as new rows; the downgrade writes them back.
"""
from alembic import op
import numpy as np
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_release_members'
down_revision = '0005_session_versions'
branch_labels = None
depends_on = None


def _latest_releases(connection):
    return connection.execute(sa.text(
        "SELECT campaign_id, max(number) FROM release GROUP BY campaign_id")).all()


def upgrade():
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.add_column(sa.Column('members', sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    for campaign_id, number in _latest_releases(connection):
        rows = connection.execute(sa.text(
            "SELECT attempt_id, coalesce(atom, -1) FROM attempt_result "
            "WHERE campaign_id = :c AND release_row IS NOT NULL ORDER BY release_row"),
            {"c": campaign_id}).all()
        pairs = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
        blob = np.concatenate([[pairs.shape[0]], pairs[:, 0], pairs[:, 1]]).astype('<i4')
        connection.execute(sa.text(
            "UPDATE release SET members = :m WHERE campaign_id = :c AND number = :n"),
            {"m": blob.tobytes(), "c": campaign_id, "n": number})
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.drop_column('atom')
        batch_op.drop_column('release_row')


def downgrade():
    with op.batch_alter_table('attempt_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release_row', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('atom', sa.Integer(), nullable=True))
    connection = op.get_bind()
    for (campaign_id,) in connection.execute(sa.text("SELECT DISTINCT campaign_id FROM release")):
        ids, atoms = [], {}
        for (blob,) in connection.execute(sa.text(
                "SELECT members FROM release WHERE campaign_id = :c ORDER BY number"),
                {"c": campaign_id}):
            if not blob:
                continue
            values = np.frombuffer(bytes(blob), dtype='<i4').astype(np.int64)
            n_new = int(values[0])
            ids += values[1:1 + n_new].tolist()
            atoms.update(zip(values[1:1 + n_new].tolist(),
                             values[1 + n_new:1 + 2 * n_new].tolist(), strict=True))
            changed = values[1 + 2 * n_new:].reshape(2, -1)
            atoms.update(zip(changed[0].tolist(), changed[1].tolist(), strict=True))
        if not ids:
            continue
        connection.execute(sa.text(
            "UPDATE attempt_result SET release_row = :r, atom = :a WHERE attempt_id = :i"),
            [{"i": i, "r": r, "a": None if atoms[i] < 0 else atoms[i]}
             for r, i in enumerate(ids)])
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_column('members')
