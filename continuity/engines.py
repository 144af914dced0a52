"""Database snapshots and restores, one class per engine.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live database page by
page under a read lock, so the hub may keep running (WAL mode lets writers carry on). Row counts
and the migration state are read from the copy, so the manifest describes exactly what is
archived.

PostgreSQL: ``pg_dump`` in its custom format (``-Fc``; uncompressed, the archive's gzip
compresses once). The row counts are taken in a REPEATABLE READ transaction whose snapshot is
exported and handed to ``pg_dump --snapshot``: the counts and the dump see the same instant.
Restores use ``pg_restore --single-transaction --exit-on-error``.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connections


class EngineError(Exception):
    """A dump or restore could not be done; the message says why."""


def _regexp(pattern, value) -> bool | None:
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def counts_and_migrations(cursor, tables: list[str]) -> tuple[dict[str, int], dict]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote_ident(table)}")  # noqa: S608 (quoted)
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return counts, migrations


class SQLiteEngine:
    name = "sqlite"
    dump_name = "database/hubops.sqlite3"

    def __init__(self, alias: str = "default"):
        self.alias = alias

    # -- backup --------------------------------------------------------------------------------
    def dump(self, target: Path) -> dict:
        """Copy the live database to ``target``; return its tables, counts and migrations."""
        connection = connections[self.alias]
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return self.describe(target)

    def describe(self, path: Path) -> dict:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = sqlite_tables(conn)
            counts, migrations = counts_and_migrations(conn.cursor(), tables)
        finally:
            conn.close()
        return {"tables": counts, "migrations": migrations}

    # -- restore -------------------------------------------------------------------------------
    def target_tables(self) -> list[str]:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            return connection.introspection.table_names(cursor)

    def restore(self, dump: Path) -> None:
        connection = connections[self.alias]
        connection.ensure_connection()
        src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        connection.close()

    @contextmanager
    def scratch(self, dump: Path, workdir: Path) -> Iterator[dict]:
        """Restore ``dump`` into a scratch database file and describe what it holds."""
        scratch = workdir / f"scratch-{uuid.uuid4().hex}.sqlite3"
        src = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        dest = sqlite3.connect(scratch)
        # Django's SQLite backend provides REGEXP for __regex; check constraints use it.
        dest.create_function("REGEXP", 2, _regexp, deterministic=True)
        try:
            src.backup(dest)
            problems = [r[0] for r in dest.execute("PRAGMA integrity_check").fetchall()]
            problems += [
                "foreign key: " + " ".join(str(x) for x in r)
                for r in dest.execute("PRAGMA foreign_key_check").fetchall()
            ]
        except sqlite3.DatabaseError as exc:
            raise EngineError(f"The database in the archive does not open: {exc}") from exc
        finally:
            src.close()
            dest.close()
        try:
            description = self.describe(scratch)
            description["problems"] = [p for p in problems if p != "ok"]
            yield description
        finally:
            scratch.unlink(missing_ok=True)


class PostgresEngine:
    name = "postgresql"
    dump_name = "database/hubops.pgdump"

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.settings = connections[alias].settings_dict

    def _params(self, dbname: str | None = None) -> dict:
        s = self.settings
        params = {
            "dbname": dbname or s["NAME"],
            "user": s.get("USER") or None,
            "password": s.get("PASSWORD") or None,
            "host": s.get("HOST") or None,
            "port": str(s["PORT"]) if s.get("PORT") else None,
        }
        return {k: v for k, v in params.items() if v}

    def _env(self) -> dict:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = self.settings["PASSWORD"]
        return env

    def _cli(self, dbname: str | None = None) -> list[str]:
        p = self._params(dbname)
        args = []
        if "host" in p:
            args += ["-h", p["host"]]
        if "port" in p:
            args += ["-p", p["port"]]
        if "user" in p:
            args += ["-U", p["user"]]
        return [*args, "-d", p["dbname"]]

    def _connect(self, dbname: str | None = None, autocommit: bool = False):
        return psycopg.connect(**self._params(dbname), autocommit=autocommit)

    @staticmethod
    def _tool(name: str) -> str:
        path = shutil.which(name)
        if not path:
            raise EngineError(
                f"{name} is not installed: install the PostgreSQL client tools "
                "(apt-get install postgresql-client) matching the server's version."
            )
        return path

    def _run(self, args: list[str]) -> None:
        # The arguments are built here from settings, never from user input.
        result = subprocess.run(args, env=self._env(), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise EngineError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")

    @staticmethod
    def _describe_cursor(cursor) -> dict:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [r[0] for r in cursor.fetchall()]
        counts, migrations = counts_and_migrations(cursor, tables)
        return {"tables": counts, "migrations": migrations}

    # -- backup --------------------------------------------------------------------------------
    def dump(self, target: Path) -> dict:
        pg_dump = self._tool("pg_dump")
        with self._connect(autocommit=True) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            description = self._describe_cursor(conn.cursor())
            # The transaction stays open (and its snapshot valid) while pg_dump reads it.
            self._run(
                [
                    pg_dump,
                    *self._cli(),
                    "--format=custom",
                    "--compress=0",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    "-f",
                    str(target),
                ]
            )
            conn.execute("ROLLBACK")
        return description

    def describe(self, dbname: str | None = None) -> dict:
        with self._connect(dbname) as conn:
            return self._describe_cursor(conn.cursor())

    # -- restore -------------------------------------------------------------------------------
    def target_tables(self) -> list[str]:
        return list(self.describe()["tables"])

    def restore(self, dump: Path, dbname: str | None = None) -> None:
        connections[self.alias].close()
        self._run(
            [
                self._tool("pg_restore"),
                *self._cli(dbname),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                str(dump),
            ]
        )

    def create_database(self, dbname: str) -> None:
        with self._connect("postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {quote_ident(dbname)}")

    def drop_database(self, dbname: str) -> None:
        with self._connect("postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {quote_ident(dbname)} WITH (FORCE)")

    @contextmanager
    def scratch(self, dump: Path, workdir: Path) -> Iterator[dict]:
        """Restore ``dump`` into a scratch database (created here, dropped after)."""
        dbname = f"hubops_verify_{uuid.uuid4().hex[:16]}"
        self.create_database(dbname)
        try:
            self.restore(dump, dbname=dbname)
            description = self.describe(dbname)
            description["problems"] = []
            yield description
        finally:
            self.drop_database(dbname)


def engine_for(alias: str = "default"):
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return SQLiteEngine(alias)
    if vendor == "postgresql":
        return PostgresEngine(alias)
    raise EngineError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


def engine_named(name: str, alias: str = "default"):
    """The engine that can restore an archive made by engine ``name`` on this install."""
    engine = engine_for(alias)
    if engine.name != name:
        raise EngineError(
            f"This archive holds a {name} database but this hubops runs on {engine.name}: "
            f"restore it on a {name} install (set DATABASE_URL), or move the hub with "
            "handover_export / handover_import, which work across databases."
        )
    return engine
