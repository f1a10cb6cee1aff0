"""Which database, and bringing its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from openrcm.core.errors import OpenRCMError

DATABASE_URL_ENV = "OPENRCM_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


class StoreUnavailableError(OpenRCMError):
    """The database cannot be reached or opened (the message names the URL without its password)."""


def default_sqlite_path() -> Path:
    """``$XDG_DATA_HOME/openrcm/openrcm.sqlite3`` (``~/.local/share/openrcm`` by default)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "openrcm" / "openrcm.sqlite3"


def database_url(explicit: str | None = None) -> str:
    """An explicit URL, else ``$OPENRCM_DATABASE_URL``, else the embedded SQLite file."""
    if explicit:
        return explicit
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    path = default_sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # let SQLAlchemy, not the sqlite3 module, decide where transactions begin (savepoints work)
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # take the write lock up front: two posters queue instead of deadlocking on a lock upgrade
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(url: str | None = None, *, migrate: bool = True, **kwargs: object) -> Engine:
    """An engine on `url` (see `database_url`), its schema upgraded to the newest migration."""
    resolved = database_url(url)
    if resolved.startswith("postgresql://"):
        resolved = "postgresql+psycopg://" + resolved.removeprefix("postgresql://")
    try:
        shown = make_url(resolved).render_as_string(hide_password=True)
        engine = create_engine(resolved, **kwargs)
    except (ArgumentError, ValueError) as exc:
        raise StoreUnavailableError(f"not a database URL: {resolved.split('@')[-1]!r}") from exc
    if engine.dialect.name == "postgresql":
        # batch plain bulk inserts into multi-row INSERTs (as with RETURNING) rather than one
        # pipelined statement per row: the ledger inserts postings by the hundred thousand
        engine.dialect.use_insertmanyvalues_wo_returning = True
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if migrate:
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreUnavailableError(
                f"cannot open the database {shown} ({type(getattr(exc, 'orig', None) or exc).__name__})"
            ) from exc
    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
