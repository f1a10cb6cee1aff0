"""Persistence: the only package that imports SQLAlchemy. Tables, the unit of work, migrations.

The default database is an embedded SQLite file in the OpenRCM data directory; production sets
``$OPENRCM_DATABASE_URL`` (PostgreSQL). The schema is created and upgraded by Alembic migrations.
"""

from openrcm.store.engine import DATABASE_URL_ENV, StoreUnavailableError, database_url, open_engine
from openrcm.store.unit import DuplicateRemittanceError, Store

__all__ = [
    "DATABASE_URL_ENV",
    "DuplicateRemittanceError",
    "Store",
    "StoreUnavailableError",
    "database_url",
    "open_engine",
]
