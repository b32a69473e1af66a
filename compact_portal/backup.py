"""Back up and restore the portal's database and uploaded files (`make backup`, `make restore`).

    python -m compact_portal.backup backup [--output-dir DIR]
    python -m compact_portal.backup restore BACKUP_DIR [--database-url URL] [--media-root DIR] [--force]

scripts/backup.sh and scripts/restore.sh call these. A backup is one folder, named after the time
it was made (UTC), under settings.BACKUP_DIR (var/backups/, or $BACKUP_DIR):

    database.dump      PostgreSQL: pg_dump's custom format (-Fc)
    database.sqlite3   embedded mode: a copy made with SQLite's online backup
    media.tar.gz       everything under MEDIA_ROOT (evidence, responses, letters, PDFs)
    manifest.json      when, which database, the migrations applied, each file's SHA-256

Restore checks every file against the manifest before it touches anything, refuses a database or
media folder that is not empty unless given --force (or RESTORE_FORCE=1), then restores with
pg_restore --no-owner --clean --if-exists in a single transaction, and unpacks the media files,
refusing any archive entry that is not a plain file or folder inside MEDIA_ROOT.

Settings come from Django (DJANGO_SETTINGS_MODULE, local by default), so the same commands work
on a developer's machine and inside the containers of docker-compose.yml.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT_VERSION = 1


class BackupError(Exception):
    """Something the person running the command must fix; the message says what."""


# --- databases ---------------------------------------------------------------------------------


def database_kind(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Cannot back up a database with the engine {engine}: only PostgreSQL and SQLite.")


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def libpq_environment(database: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, passed in the environment so no password is on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
        else:
            env.pop(variable, None)
    env["PGDATABASE"] = str(database["NAME"])
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def postgres_table_count(database: dict) -> int:
    import psycopg

    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise BackupError(
            f"Cannot connect to the database {database['NAME']}: {str(exc).strip()}\n"
            "Create it first if it does not exist (for example: createdb NAME)."
        ) from exc
    return row[0]


def sqlite_table_count(path: Path) -> int:
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy with SQLite's online backup: consistent even while the portal is writing to the source,
    and replacing whatever the target held."""
    with contextlib.closing(sqlite3.connect(source)) as origin, contextlib.closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def applied_migrations() -> dict[str, list[str]]:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections["default"])
    if not recorder.has_table():
        return {}
    state: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


# --- files -------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_media(media_root: Path, archive: Path) -> int:
    """Pack every regular file under media_root; symbolic links are left out. Returns the file count."""
    count = 0
    with tarfile.open(archive, "w:gz") as tar:
        if not media_root.is_dir():
            return 0
        for path in sorted(media_root.rglob("*")):
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                continue
            tar.add(path, arcname=path.relative_to(media_root).as_posix(), recursive=False)
            count += path.is_file()
    return count


def check_media_archive(archive: Path) -> list[tarfile.TarInfo]:
    """The archive's entries, if every one is a plain file or folder with a relative path that stays inside."""
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or member.name.startswith(("/", "\\")) or "\\" in member.name:
            raise BackupError(f"{archive.name} holds an unsafe path, {member.name!r}: nothing was restored.")
        if not (member.isfile() or member.isdir()):
            raise BackupError(
                f"{archive.name} holds {member.name!r}, which is not a plain file or folder: nothing was restored."
            )
    return members


def extract_media(archive: Path, media_root: Path) -> None:
    members = check_media_archive(archive)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        # Python's "data" filter checks the same again and drops owners and unsafe permissions.
        tar.extractall(media_root, members=members, filter="data")


def has_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


# --- backup ------------------------------------------------------------------------------------


def backup(*, output_dir: Path, database: dict, media_root: Path, now: datetime.datetime | None = None) -> Path:
    kind = database_kind(database)
    now = now or datetime.datetime.now(tz=datetime.UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    name = now.strftime("%Y%m%dT%H%M%SZ")
    final = output_dir / name
    suffix = 1
    while final.exists():
        suffix += 1
        final = output_dir / f"{name}-{suffix}"
    # Written into a hidden folder and renamed at the end, so a backup that failed half way
    # never looks like a complete one.
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=output_dir))
    try:
        if kind == "postgresql":
            dump = work / POSTGRES_DUMP
            result = subprocess.run(  # noqa: S603 (our own arguments, the password in the environment)
                [program("pg_dump"), "--format=custom", "--no-password", f"--file={dump}"],
                env=libpq_environment(database),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed:\n{result.stderr.strip()}")
            database_file = dump
        else:
            source = Path(database["NAME"])
            if not source.exists():
                raise BackupError(f"The SQLite database {source} does not exist.")
            database_file = work / SQLITE_COPY
            sqlite_copy(source, database_file)
        media_count = archive_media(media_root, work / MEDIA_ARCHIVE)
        files = {
            path.name: {"sha256": sha256(path), "bytes": path.stat().st_size}
            for path in (database_file, work / MEDIA_ARCHIVE)
        }
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": kind,
            "database": Path(str(database["NAME"])).name if kind == "sqlite" else str(database["NAME"]),
            "migrations": applied_migrations(),
            "media_files": media_count,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


# --- restore -----------------------------------------------------------------------------------


def verify(source: Path) -> dict:
    """The manifest, once every file it lists is there with the same SHA-256."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text())
        files = manifest["files"]
    except (ValueError, KeyError) as exc:
        raise BackupError(f"{manifest_path} cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{manifest_path} is in a format this version does not know ({manifest.get('format')}).")
    for name, expected in files.items():
        path = source / name
        if PurePosixPath(name).name != name or not path.is_file():
            raise BackupError(f"{name} is missing from {source}: nothing was restored.")
        if sha256(path) != expected["sha256"]:
            raise BackupError(
                f"{name} has changed since the backup was made (its SHA-256 does not match the manifest): "
                "nothing was restored."
            )
    return manifest


def restore(*, source: Path, database: dict, media_root: Path, force: bool = False) -> dict:
    manifest = verify(source)
    kind = database_kind(database)
    if manifest["engine"] != kind:
        raise BackupError(
            f"This is a {manifest['engine']} backup; it cannot be restored into a {kind} database: "
            "nothing was restored."
        )
    if MEDIA_ARCHIVE in manifest["files"]:
        check_media_archive(source / MEDIA_ARCHIVE)

    tables = postgres_table_count(database) if kind == "postgresql" else sqlite_table_count(Path(database["NAME"]))
    if not force:
        if tables:
            raise BackupError(
                f"The database {database['NAME']} is not empty ({tables} tables). Restoring replaces what is in it: "
                "run again with --force (make restore RESTORE_FORCE=1) if that is what you want. Nothing was restored."
            )
        if has_files(media_root):
            raise BackupError(
                f"The media folder {media_root} is not empty. Restoring overwrites files in it: "
                "run again with --force (make restore RESTORE_FORCE=1) if that is what you want. Nothing was restored."
            )

    if kind == "postgresql":
        result = subprocess.run(  # noqa: S603 (our own arguments, the password in the environment)
            [
                program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={database['NAME']}",
                str(source / POSTGRES_DUMP),
            ],
            env=libpq_environment(database),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed; the database was left as it was:\n{result.stderr.strip()}")
    else:
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        sqlite_copy(source / SQLITE_COPY, target)

    if MEDIA_ARCHIVE in manifest["files"]:
        extract_media(source / MEDIA_ARCHIVE, media_root)
    return manifest


# --- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compact_portal.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="back up the database and MEDIA_ROOT into a new folder")
    make.add_argument("--output-dir", type=Path, help="where to put the backup folder (default: BACKUP_DIR)")
    back = commands.add_parser("restore", help="restore a backup folder")
    back.add_argument("source", type=Path, nargs="?", help="the backup folder (one made by `backup`)")
    back.add_argument("--database-url", help="restore into this database instead of DATABASE_URL's")
    back.add_argument("--media-root", type=Path, help="unpack the media files here instead of MEDIA_ROOT")
    back.add_argument("--force", action="store_true", help="replace what the database and media folder hold")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_portal.settings.local")
    import django
    from django.conf import settings

    django.setup()
    try:
        if args.command == "backup":
            folder = backup(
                output_dir=args.output_dir or Path(settings.BACKUP_DIR),
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
            )
            print(f"Backed up to {folder}")
            return 0

        if args.source is None:
            found = sorted(Path(settings.BACKUP_DIR).glob("[0-9]*T*Z*")) if Path(settings.BACKUP_DIR).is_dir() else []
            listing = "\n".join(f"  {path}" for path in found) or "  (none)"
            raise BackupError(f"Say which backup to restore. Backups in {settings.BACKUP_DIR}:\n{listing}")
        if args.database_url:
            import dj_database_url

            database = dj_database_url.parse(args.database_url)
        else:
            database = settings.DATABASES["default"]
        force = args.force or os.environ.get("RESTORE_FORCE", "").strip().lower() in {"1", "true", "yes"}
        manifest = restore(
            source=args.source,
            database=database,
            media_root=args.media_root or Path(settings.MEDIA_ROOT),
            force=force,
        )
        print(
            f"Restored {args.source} (made {manifest['created_at']}) into {database['NAME']}; "
            f"{manifest.get('media_files', 0)} media files into {args.media_root or settings.MEDIA_ROOT}."
        )
        return 0
    except BackupError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
