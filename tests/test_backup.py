"""`make backup` / `make restore` (scripts/backup.sh, scripts/restore.sh, compact_portal/backup.py).

The round trips run the real scripts in subprocesses against databases of their own: a source
that is migrated and given the demo data plus an uploaded file, and fresh targets. The pytest
database is not involved.
"""

import hashlib
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import pytest

from compact_portal import backup
from tests.conftest import ROOT, require, require_executable
from tests.test_deployment import SETTINGS_VARIABLES

LOCAL = "compact_portal.settings.local"
EVIDENCE = "disputes/files/evidence-2027.pdf"


def run(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": LOCAL,  # DEBUG on, so seed_demo runs
            "PORTAL_VAR_DIR": str(tmp_path / "var"),
            "BACKUP_DIR": str(tmp_path / "backups"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHON": sys.executable,  # the scripts' interpreter
        }
    )
    (tmp_path / "var").mkdir(exist_ok=True)
    return env


SAVE_EVIDENCE = f"""
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
print(default_storage.save({EVIDENCE!r}, ContentFile(bytes(range(256)) * 40)))
"""


def make_source(env: dict[str, str]) -> None:
    """Migrate, load the demo data and upload a file, as a running portal would have."""
    for command in (["migrate", "--noinput"], ["seed_demo"], ["shell", "-c", SAVE_EVIDENCE]):
        result = run(sys.executable, "manage.py", *command, env=env)
        assert result.returncode == 0, result.stdout + result.stderr


def backup_script(env: dict[str, str]) -> Path:
    result = run("scripts/backup.sh", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = Path(re.search(r"Backed up to (\S+)", result.stdout).group(1))
    assert folder.parent == Path(env["BACKUP_DIR"])
    return folder


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def postgres(tmp_path):
    """A maker of empty databases on the server of DATABASE_URL, all dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")
    require_executable("pg_dump")
    require_executable("pg_restore")
    import psycopg

    server = dj_database_url.parse(url)
    params = {
        key: value
        for key, value in {
            "host": server.get("HOST"),
            "port": server.get("PORT"),
            "user": server.get("USER"),
            "password": server.get("PASSWORD"),
        }.items()
        if value
    }
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    created: list[str] = []
    suffix = uuid.uuid4().hex[:8]

    class Server:
        def create(self, role: str) -> str:
            name = f"cp_backup_{role}_{suffix}"
            admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            return name

        def url(self, name: str) -> str:
            return url.rsplit("/", 1)[0] + "/" + name

        def connect(self, name: str):
            return psycopg.connect(dbname=name, autocommit=True, **params)

    yield Server()
    for name in created:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def snapshot(connection) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows, and every sequence's position."""
    tables = [
        row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ]
    state = {}
    for table in tables:
        count, digest = connection.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
        ).fetchone()
        state[table] = (count, digest)
    for name, value in connection.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
    ).fetchall():
        state[f"sequence {name}"] = (value or 0, "")
    return state


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_a_fresh_database_with_the_same_records(postgres, tmp_path):
    from django.apps import apps

    source = postgres.create("src")
    target = postgres.create("dst")
    env = {**base_env(tmp_path), "DATABASE_URL": postgres.url(source), "PORTAL_MEDIA_ROOT": str(tmp_path / "media")}
    make_source(env)

    folder = backup_script(env)

    assert sorted(path.name for path in folder.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]
    manifest = backup.verify(folder)
    assert manifest["engine"] == "postgresql" and manifest["database"] == source
    assert "0001_initial" in manifest["migrations"]["signatories"]
    assert manifest["files"]["database.dump"]["sha256"] == sha(folder / "database.dump")

    restored_media = tmp_path / "restored-media"
    restore_env = {**env, "DATABASE_URL": postgres.url(target), "PORTAL_MEDIA_ROOT": str(restored_media)}
    result = run("scripts/restore.sh", str(folder), env=restore_env)
    assert result.returncode == 0, result.stdout + result.stderr

    with postgres.connect(source) as original, postgres.connect(target) as copy:
        before, after = snapshot(original), snapshot(copy)
        users = original.execute("SELECT username, email, password FROM accounts_user ORDER BY username").fetchall()
        copied_users = copy.execute("SELECT username, email, password FROM accounts_user ORDER BY username").fetchall()
        signatures = copy.execute(
            "SELECT o.name, s.status FROM signatories_signature s"
            " JOIN signatories_organisation o ON o.id = s.organisation_id ORDER BY o.name"
        ).fetchall()
    every_model_table = {model._meta.db_table for model in apps.get_models()}
    assert every_model_table <= set(before), every_model_table - set(before)
    assert after == before  # same rows, same content, in every table; sequences where they were
    assert before["accounts_user"][0] >= 4 and before["signatories_signature"][0] >= 2
    assert copied_users == users and {"coordinator", "officer", "volunteer", "admin"} <= {u[0] for u in users}
    # the demo's (it has a history of sign-ups): the council signed, the larder waiting
    assert {("Example Borough Council", "signed"), ("Riverside Community Larder", "pending")} <= set(signatures)
    assert sha(restored_media / EVIDENCE) == sha(tmp_path / "media" / EVIDENCE)

    # Into a database that is no longer empty: refused, nothing changed, unless forced.
    with postgres.connect(target) as copy:
        copy.execute("UPDATE accounts_user SET first_name = 'Changed' WHERE username = 'officer'")
    refused = run("scripts/restore.sh", str(folder), env=restore_env)
    assert refused.returncode == 1
    assert f"The database {target} is not empty" in refused.stderr
    assert "--force" in refused.stderr and "Nothing was restored" in refused.stderr
    with postgres.connect(target) as copy:
        officer = copy.execute("SELECT first_name FROM accounts_user WHERE username = 'officer'").fetchone()
        assert officer == ("Changed",)

    forced = run("scripts/restore.sh", str(folder), env={**restore_env, "RESTORE_FORCE": "1"})
    assert forced.returncode == 0, forced.stderr
    with postgres.connect(target) as copy:
        assert snapshot(copy) == before


@pytest.mark.postgres
def test_a_tampered_dump_is_refused_before_anything_is_touched(postgres, tmp_path):
    source = postgres.create("src")
    target = postgres.create("dst")
    env = {**base_env(tmp_path), "DATABASE_URL": postgres.url(source), "PORTAL_MEDIA_ROOT": str(tmp_path / "media")}
    with postgres.connect(source) as connection:  # something a restore would bring across
        connection.execute("CREATE TABLE evidence (id integer PRIMARY KEY, note text)")
        connection.execute("INSERT INTO evidence VALUES (1, 'kept')")
    folder = backup_script(env)
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    result = run(
        "scripts/restore.sh",
        str(folder),
        "--force",
        env={**env, "DATABASE_URL": postgres.url(target), "PORTAL_MEDIA_ROOT": str(tmp_path / "restored")},
    )

    assert result.returncode == 1
    assert "database.dump has changed since the backup was made" in result.stderr
    with postgres.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    assert not (tmp_path / "restored").exists()


# --- embedded mode (SQLite) ----------------------------------------------------------------------


def sqlite_rows(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"'))) for table in tables}  # noqa: S608


def test_an_embedded_sqlite_backup_restores_with_the_same_records(tmp_path):
    env = base_env(tmp_path)
    make_source(env)

    folder = backup_script(env)

    assert sorted(path.name for path in folder.iterdir()) == ["database.sqlite3", "manifest.json", "media.tar.gz"]
    assert backup.verify(folder)["engine"] == "sqlite"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    restore_env = {**env, "PORTAL_VAR_DIR": str(fresh)}
    result = run("scripts/restore.sh", str(folder), env=restore_env)
    assert result.returncode == 0, result.stdout + result.stderr
    original = sqlite_rows(tmp_path / "var" / "db.sqlite3")
    assert sqlite_rows(fresh / "db.sqlite3") == original
    assert len(original["accounts_user"]) >= 4
    assert sha(fresh / "media" / EVIDENCE) == sha(tmp_path / "var" / "media" / EVIDENCE)

    again = run("scripts/restore.sh", str(folder), env=restore_env)
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "--force" in again.stderr


def test_restore_without_a_folder_lists_the_backups(tmp_path):
    env = base_env(tmp_path)
    (tmp_path / "backups" / "20270115T080000Z").mkdir(parents=True)

    result = run("scripts/restore.sh", env=env)

    assert result.returncode == 1
    assert "Say which backup to restore" in result.stderr
    assert "20270115T080000Z" in result.stderr


# --- the media archive ---------------------------------------------------------------------------


def archive_with(tmp_path: Path, *members: tarfile.TarInfo) -> Path:
    path = tmp_path / "media.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for member in members:
            data = b"x" * member.size if member.isfile() else None
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return path


def file_member(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size = 3
    return member


def link_member(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = target
    return member


@pytest.mark.parametrize(
    "member",
    [
        file_member("../outside.txt"),
        file_member("disputes/../../outside.txt"),
        file_member("/etc/cron.d/evil"),
        link_member("disputes/link", "/etc/passwd"),
        link_member("disputes/hard", "/etc/passwd", tarfile.LNKTYPE),
    ],
    ids=["parent", "nested-parent", "absolute", "symlink", "hardlink"],
)
def test_media_entries_outside_media_root_or_not_plain_files_are_refused(tmp_path, member):
    archive = archive_with(tmp_path, file_member("disputes/files/ok.pdf"), member)
    media_root = tmp_path / "media"

    with pytest.raises(backup.BackupError, match="nothing was restored"):
        backup.extract_media(archive, media_root)

    assert not media_root.exists()
    assert not (tmp_path / "outside.txt").exists()


def test_media_archive_round_trip_leaves_out_symlinks(tmp_path):
    media = tmp_path / "media"
    (media / "consultations" / "responses").mkdir(parents=True)
    (media / "consultations" / "responses" / "reply.odt").write_bytes(b"reply")
    (media / "escape").symlink_to("/etc")
    archive = tmp_path / "media.tar.gz"

    assert backup.archive_media(media, archive) == 1
    backup.extract_media(archive, tmp_path / "restored")

    assert (tmp_path / "restored" / "consultations" / "responses" / "reply.odt").read_bytes() == b"reply"
    assert not (tmp_path / "restored" / "escape").exists()
    shutil.rmtree(tmp_path / "restored")
