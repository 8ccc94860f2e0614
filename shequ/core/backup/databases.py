"""The two kinds of database a backup reads and a restore writes, through their own drivers and tools.

A :class:`Target` is a database named by a Django settings dict (the configured one, or another given by URL for
a restore drill). :func:`table_stats` reads every table's row count and checksum: on PostgreSQL over each row's
text (``t::text``), on SQLite over the ``repr`` of each row, in primary-key order (all columns where a table has
no key), so that the same rows give the same figures after a dump and a restore into the same kind of database.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore with an argument list, never a shell
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese / English)."""


@dataclass(frozen=True)
class TableStat:
    rows: int
    sha256: str


@dataclass(frozen=True)
class Target:
    """One database: ``vendor`` is ``postgresql`` or ``sqlite``; ``params`` are libpq's or SQLite's file path."""

    vendor: str
    params: dict[str, Any]

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> Target:
        engine = db["ENGINE"]
        if engine.endswith("postgresql"):
            params = {
                "dbname": db.get("NAME") or "",
                "host": db.get("HOST") or "",
                "port": str(db.get("PORT") or ""),
                "user": db.get("USER") or "",
                "password": db.get("PASSWORD") or "",
            }
            for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "options"):
                if key in (db.get("OPTIONS") or {}):
                    params[key] = str(db["OPTIONS"][key])
            return cls("postgresql", {k: v for k, v in params.items() if v})
        if engine.endswith("sqlite3"):
            return cls("sqlite", {"path": str(db["NAME"])})
        raise BackupError(f"不支持的数据库 / unsupported database engine: {engine}")

    @classmethod
    def from_url(cls, url: str) -> Target:
        return cls.from_settings(dict(dj_database_url.parse(url)))

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return self.params["path"]
        return f"{self.params.get('host', 'localhost')}:{self.params.get('port', '5432')}/{self.params['dbname']}"

    def conninfo(self, *, with_password: bool = True) -> str:
        from psycopg.conninfo import make_conninfo

        params = dict(self.params)
        if not with_password:
            params.pop("password", None)
        return make_conninfo(**params)

    def tool_env(self) -> dict[str, str]:
        """The environment of pg_dump/pg_restore: the password goes here, never on the command line."""
        env = dict(os.environ)
        if "password" in self.params:
            env["PGPASSWORD"] = self.params["password"]
        return env


@contextmanager
def pg_connect(target: Target, *, autocommit: bool = False) -> Iterator[Any]:
    import psycopg

    try:
        conn = psycopg.connect(target.conninfo(), autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise BackupError(f"无法连接数据库 / cannot connect to {target.label}: {exc}") from exc
    try:
        yield conn
    finally:
        conn.close()


# -- reading every table -------------------------------------------------------------------------------------------


def _pg_tables(conn) -> list[tuple[int, str]]:
    return conn.execute(
        "SELECT c.oid, c.relname FROM pg_class c WHERE c.relkind = 'r' "
        "AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
    ).fetchall()


def pg_table_stats(conn) -> dict[str, TableStat]:
    """Every table of the connection's schema, read in the connection's transaction (its snapshot)."""
    from psycopg import sql

    stats: dict[str, TableStat] = {}
    for oid, name in _pg_tables(conn):
        keys = [
            row[0]
            for row in conn.execute(
                "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE i.indrelid = %s AND i.indisprimary ORDER BY k.n",
                [oid],
            ).fetchall()
        ]
        order = (
            sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(k)) for k in keys) if keys else sql.SQL("t::text")
        )
        query = sql.SQL("SELECT t::text FROM {} AS t ORDER BY {}").format(sql.Identifier(name), order)
        digest, count = hashlib.sha256(), 0
        with conn.cursor(name=f"shequ_backup_{oid}") as cursor:
            cursor.itersize = 5000
            cursor.execute(query)
            for (text,) in cursor:
                digest.update(text.encode())
                digest.update(b"\n")
                count += 1
        stats[name] = TableStat(count, digest.hexdigest())
    return stats


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_table_stats(path: str | Path) -> dict[str, TableStat]:
    conn = sqlite3.connect(str(path))
    try:
        stats: dict[str, TableStat] = {}
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for name in names:
            info = conn.execute(f"PRAGMA table_info({_q(name)})").fetchall()  # cid, name, type, notnull, dflt, pk
            keys = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0] or [r[1] for r in info]
            order = ", ".join(_q(k) for k in keys)
            query = f"SELECT * FROM {_q(name)} ORDER BY {order}"  # noqa: S608  # nosec B608 - quoted names
            digest, count = hashlib.sha256(), 0
            for row in conn.execute(query):
                digest.update(repr(row).encode())
                digest.update(b"\n")
                count += 1
            stats[name] = TableStat(count, digest.hexdigest())
        return stats
    finally:
        conn.close()


def table_stats(target: Target) -> dict[str, TableStat]:
    if target.vendor == "sqlite":
        return sqlite_table_stats(target.params["path"])
    with pg_connect(target) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return pg_table_stats(conn)


def applied_migrations(conn) -> list[str]:
    """The migrations recorded in a database (an open sqlite3 or psycopg connection)."""
    rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    return [f"{app}.{name}" for app, name in rows]


def tables_with_rows(target: Target) -> tuple[int, list[str]]:
    """How many tables the target has, and which of them hold rows (a restore refuses those without --force)."""
    if target.vendor == "sqlite":
        path = Path(target.params["path"])
        if not path.exists():
            return 0, []
        conn = sqlite3.connect(str(path))
        try:
            names = [
                r[0]
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            ]
            full = [n for n in names if conn.execute(f"SELECT 1 FROM {_q(n)} LIMIT 1").fetchone()]  # noqa: S608  # nosec B608
        finally:
            conn.close()
        return len(names), full
    with pg_connect(target) as conn:
        names = [name for _oid, name in _pg_tables(conn)]
        full = [n for n in names if conn.execute(f"SELECT 1 FROM {_q(n)} LIMIT 1").fetchone()]  # noqa: S608  # nosec B608
    return len(names), full


# -- PostgreSQL: pg_dump and pg_restore ----------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}（请安装 PostgreSQL 客户端，如 postgresql-client） / {name} not found")
    return path


def pg_dump(target: Target, out: Path, *, snapshot: str) -> subprocess.Popen:
    """Start dumping in pg_dump's custom format, reading the exported snapshot (the manifest's figures are read in
    it meanwhile); :func:`pg_dump_wait` waits for the end."""
    args = [
        _tool("pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot}",
        f"--file={out}",
        f"--dbname={target.conninfo(with_password=False)}",
    ]
    return subprocess.Popen(  # noqa: S603  # nosec B603
        args, env=target.tool_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def pg_dump_wait(dump: subprocess.Popen) -> None:
    _out, err = dump.communicate()
    if dump.returncode != 0:
        raise BackupError(f"pg_dump 失败 / pg_dump failed: {err.strip()}")


def pg_clear(target: Target) -> None:
    """Drop what a schema holds (tables, views, sequences, functions; not extensions) before a restore."""
    with pg_connect(target) as conn:
        schema = "current_schema()::regnamespace"
        not_extension = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {}.oid AND d.deptype = 'e')"
        kinds = {"v": "VIEW", "m": "MATERIALIZED VIEW", "r": "TABLE", "p": "TABLE", "S": "SEQUENCE"}
        for kind, word in kinds.items():  # sequences last: a table's own go with it
            names = conn.execute(
                f"SELECT c.relname FROM pg_class c WHERE c.relnamespace = {schema} "  # noqa: S608  # nosec B608
                f"AND c.relkind = %s AND {not_extension.format('c')}",
                [kind],
            ).fetchall()
            if names:
                conn.execute(f"DROP {word} IF EXISTS {', '.join(_q(n) for (n,) in names)} CASCADE")  # nosec B608
        for (proc,) in conn.execute(
            f"SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = {schema} "  # noqa: S608  # nosec B608
            f"AND {not_extension.format('p')}"
        ).fetchall():
            conn.execute(f"DROP FUNCTION IF EXISTS {proc} CASCADE")  # nosec B608 - a regprocedure's own text
        conn.commit()


def pg_restore(target: Target, dump: Path, *, jobs: int = 1) -> None:
    args = [
        _tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        f"--dbname={target.conninfo(with_password=False)}",
    ]
    args += [f"--jobs={jobs}"] if jobs > 1 else ["--single-transaction"]
    args.append(str(dump))
    done = subprocess.run(args, env=target.tool_env(), capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败 / pg_restore failed: {done.stderr.strip()}")


# -- SQLite: the backup API ----------------------------------------------------------------------------------------


def sqlite_copy(source: sqlite3.Connection, out: Path) -> None:
    """A consistent copy of an open SQLite database (the backup API copies one snapshot of every page)."""
    dest = sqlite3.connect(str(out))
    try:
        source.backup(dest)
    finally:
        dest.close()


def sqlite_restore(copy: Path, target: Target) -> None:
    """Replace the target's whole content with the copy's (the backup API again, in the other direction)."""
    path = Path(target.params["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(copy))
    dest = sqlite3.connect(str(path))
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
