"""Backups: `story-gen backup` of a populated deployment, `story-gen restore` into a fresh one,
then every story and every revision compared byte for byte. Both shapes: PostgreSQL + an S3
endpoint (pg_dump, backup to a bucket) and SQLite + a blob folder (online backup API, backup
to a folder). The commands run as their own processes with STORY_GEN_* in the environment,
as an operator (or the cron service) runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from story_gen.cli.main import cli
from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.models import Revision, StoryHead, User

from .conftest import Api, fixture_blueprint, push_changes, settings_env, sync_change


def story_gen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command as an operator (or the cron service) runs it: its own process."""
    return subprocess.run(
        [sys.executable, "-m", "story_gen.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def story_gen_here(*args: str, env: dict[str, str]) -> Result:
    """The same command in this process (faster; for the refusals)."""
    return CliRunner(env=env).invoke(cli, list(args))


def populate(client: TestClient) -> list[dict[str, str]]:
    """Two writers, several stories, revisions by update, push, merge and delete."""
    api = Api(client)
    writers = []
    for n in range(2):
        email = f"writer{n}-{uuid.uuid4().hex[:6]}@example.org"
        api.register(email)
        headers = api.login(email)
        writers.append({"email": email, **headers})
        first = api.create_story(headers, fixture_blueprint(), title=f"First of {n}")
        second = api.create_story(headers, fixture_blueprint(), title=f"Second of {n}")
        blueprint = fixture_blueprint()
        blueprint["premise"] = f"A premise rewritten by writer {n}"
        updated = client.put(
            f"/api/v1/stories/{first['story_id']}",
            json={"title": "Renamed", "blueprint": blueprint},
            headers=headers,
        )
        assert updated.status_code == 200, updated.text
        [result] = push_changes(
            client,
            headers,
            sync_change(second["story_id"], 1, title="Pushed", blueprint=blueprint),
        )
        assert result["status"] == "applied"
        assert (
            client.delete(f"/api/v1/stories/{second['story_id']}", headers=headers).status_code
            == 204
        )
    return writers


def snapshot(settings: Settings) -> dict[str, Any]:
    """Every row that matters and every revision's stored bytes, from the deployment itself."""
    app = create_app(settings.model_copy(update={"auto_migrate": False}))
    services = app.state.services
    try:
        with services.db.session() as session:
            users = [
                (u.id, u.email, u.display_name, u.password_hash, u.created_at, u.change_seq)
                for u in session.scalars(select(User).order_by(User.email))
            ]
            stories = [
                (s.id, s.owner_id, s.title, s.revision, s.blob_key, s.deleted_at, s.change_seq)
                for s in session.scalars(select(StoryHead).order_by(StoryHead.id))
            ]
            revisions = list(
                session.scalars(select(Revision).order_by(Revision.story_id, Revision.revision))
            )
            # A snapshot's blob, or a delta's bytes (kept in its row, ADR 0081).
            documents = {
                (r.story_id, r.revision): services.blobs.get(r.stored_key)
                if r.stored_key is not None
                else r.delta
                for r in revisions
            }
            revision_rows = [
                (
                    r.story_id,
                    r.revision,
                    r.blob_key,
                    r.byte_size,
                    r.stored_key,
                    r.stored_bytes,
                    r.created_at,
                    r.origin,
                )
                for r in revisions
            ]
    finally:
        services.db.dispose()
    return {
        "users": users,
        "stories": stories,
        "revisions": revision_rows,
        "documents": documents,
    }


def through_the_api(settings: Settings, writers: list[dict[str, str]]) -> dict[str, Any]:
    """What each writer reads back: story list (bin included) and every revision's document."""
    seen: dict[str, Any] = {}
    app = create_app(settings.model_copy(update={"auto_migrate": False}))
    with TestClient(app) as client:
        for writer in writers:
            headers = {"Authorization": writer["Authorization"]}
            stories = client.get("/api/v1/stories?include_deleted=true", headers=headers)
            assert stories.status_code == 200, stories.text
            for story in stories.json():
                sid = story["story_id"]
                revisions = client.get(f"/api/v1/stories/{sid}/revisions", headers=headers).json()
                for revision in revisions:
                    number = revision["revision"]
                    body = client.get(f"/api/v1/stories/{sid}/revisions/{number}", headers=headers)
                    seen[f"{sid}@{number}"] = body.content
    app.state.services.db.dispose()
    return seen


def backup_round_trip(source: Settings, target: Settings, dest: str) -> None:
    app = create_app(source)
    with TestClient(app) as client:
        writers = populate(client)
    app.state.services.db.dispose()
    before = snapshot(source)
    assert len(before["revisions"]) >= 8

    done = story_gen("backup", dest, "--json", env=settings_env(source))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["location"].startswith(dest.rstrip("/") + "/story-gen-backup-")
    assert report["revisions"] == len(before["revisions"])

    restored = story_gen("restore", report["location"], env=settings_env(target))
    assert restored.returncode == 0, restored.stderr
    after = snapshot(target)
    assert after == before  # rows and stored bytes, every story and every revision
    api_before = through_the_api(source, writers)
    assert api_before, "the writers must see their stories"
    assert through_the_api(target, writers) == api_before  # tokens restored too

    again = story_gen_here("restore", report["location"], env=settings_env(target))
    assert again.exit_code == 1
    assert "not empty" in again.stderr
    assert snapshot(target) == before  # refused and unchanged


def test_postgres_and_s3_backed_up_to_a_bucket_and_restored(
    settings_for: Any, s3_endpoint: str, empty_postgres_url: str
) -> None:
    source = settings_for("postgres")
    boto = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    backups, fresh = (f"story-gen-{uuid.uuid4().hex[:12]}" for _ in range(2))
    boto.create_bucket(Bucket=backups)
    boto.create_bucket(Bucket=fresh)
    target = source.model_copy(update={"database_url": empty_postgres_url, "s3_bucket": fresh})
    backup_round_trip(source, target, f"s3://{backups}/nightly")


def test_sqlite_and_folder_backed_up_to_a_folder_and_restored(
    settings_for: Any, tmp_path: Path
) -> None:
    source = settings_for("sqlite")
    target = source.model_copy(update={"data_dir": tmp_path / "fresh"})
    backup_round_trip(source, target, str(tmp_path / "backups"))


def test_a_damaged_backup_is_refused_and_changes_nothing(settings_for: Any, tmp_path: Path) -> None:
    source = settings_for("sqlite")
    app = create_app(source)
    with TestClient(app) as client:
        populate(client)
    app.state.services.db.dispose()
    done = story_gen_here("backup", str(tmp_path / "b"), "--json", env=settings_env(source))
    assert done.exit_code == 0, done.stderr
    location = Path(json.loads(done.stdout)["location"])
    blob = next(p for p in (location / "blobs").rglob("*") if p.is_file())
    blob.write_bytes(blob.read_bytes() + b" ")
    target = source.model_copy(update={"data_dir": tmp_path / "fresh"})
    refused = story_gen_here("restore", str(location), env=settings_env(target))
    assert refused.exit_code == 1
    assert "checksum" in refused.stderr
    assert not (tmp_path / "fresh" / "blobs").exists()  # no blob written
    fresh = create_app(target.model_copy(update={"auto_migrate": False})).state.services
    assert inspect(fresh.db.engine).get_table_names() == []  # no table created
    fresh.db.dispose()

    not_a_snapshot = story_gen_here("restore", str(tmp_path / "b"), env=settings_env(target))
    assert not_a_snapshot.exit_code == 1
    assert "no manifest.json" in not_a_snapshot.stderr
    assert location.name in not_a_snapshot.stderr  # names the snapshots it found


def test_a_backup_into_a_deployment_of_another_kind_is_refused(
    settings_for: Any, tmp_path: Path, empty_postgres_url: str
) -> None:
    source = settings_for("sqlite")
    with TestClient(create_app(source)) as client:
        populate(client)
    done = story_gen_here("backup", str(tmp_path / "b"), "--json", env=settings_env(source))
    assert done.exit_code == 0, done.stderr
    target = source.model_copy(update={"database_url": empty_postgres_url})
    refused = story_gen_here(
        "restore", json.loads(done.stdout)["location"], env=settings_env(target)
    )
    assert refused.exit_code == 1
    assert "sqlite database and the target deployment uses postgresql" in refused.stderr


@pytest.mark.parametrize("dest", ["ftp://host/x", "s3:///no-bucket"])
def test_a_destination_that_is_not_a_folder_or_bucket_is_explained(
    settings_for: Any, dest: str
) -> None:
    done = story_gen_here("backup", dest, env=settings_env(settings_for("sqlite")))
    assert done.exit_code == 1
    assert "s3://bucket/prefix" in done.stderr
