"""Alembic's environment: run with the connection :mod:`dashboard.registry.migrate` opened (no alembic.ini)."""

from alembic import context

from dashboard.registry.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot alter most of a table: batch mode copies it into a new one instead
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
