"""bin/backup and bin/restore, tried for real against PostgreSQL."""

import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from audit.models import AuditEvent
from questions.models import CallbackRequest, Question
from tests.factories import QuestionFactory, make_callback

ROOT = Path(settings.BASE_DIR)
RESTORED = "wijkhubs_restore_check"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("pg_dump"),
        reason="needs PostgreSQL and its client tools",
    ),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return (
        f"postgresql://{s['USER']}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    )


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def restored_db():
    _admin(f"DROP DATABASE IF EXISTS {RESTORED}")
    _admin(f"CREATE DATABASE {RESTORED}")
    yield _url(RESTORED)
    _admin(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_the_same_data(tmp_path, hub, restored_db):
    QuestionFactory.create_batch(7, hub=hub)
    callback = make_callback(hub=hub)
    media = tmp_path / "media"
    (media / "proposals").mkdir(parents=True)
    (media / "proposals" / "bijlage.pdf").write_bytes(b"%PDF-1.4 test")
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": _url(connection.settings_dict["NAME"])}

    target = tmp_path / "backup"
    subprocess.run([ROOT / "bin/backup", target], env={**env, "MEDIA_ROOT": str(media)}, check=True)
    assert {p.name for p in target.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    subprocess.run(
        [ROOT / "bin/restore", target, "--yes"],
        env={**env, "DATABASE_URL": restored_db, "MEDIA_ROOT": str(restored_media)},
        check=True,
    )
    with psycopg.connect(restored_db) as conn:
        count = conn.execute(f"SELECT count(*) FROM {Question._meta.db_table}").fetchone()[0]
        reference, phone = conn.execute(
            f"SELECT reference, phone FROM {CallbackRequest._meta.db_table}"
        ).fetchone()
        # The audit log keeps refusing changes after a restore (its trigger came along).
        conn.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} (at, kind, actor, subject, detail) "
            "VALUES (now(), 'export', '', 'x', '{}')"
        )
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute(f"UPDATE {AuditEvent._meta.db_table} SET subject = 'y'")
    assert count == Question.objects.count() == 8  # 7 + the callback's question
    assert (reference, phone) == (callback.reference, callback.phone)
    assert (restored_media / "proposals" / "bijlage.pdf").read_bytes() == b"%PDF-1.4 test"


def test_restore_refuses_a_damaged_backup(tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "database.dump").write_bytes(b"original")
    subprocess.run(
        ["sha256sum", "./database.dump"],
        cwd=target,
        check=True,
        stdout=(target / "SHA256SUMS").open("w"),
    )
    (target / "database.dump").write_bytes(b"damaged")
    result = subprocess.run(
        [ROOT / "bin/restore", target, "--yes"],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgresql://nobody@127.0.0.1/none"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "damaged" in result.stderr
