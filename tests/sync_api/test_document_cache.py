"""The in-memory cache of parsed documents: bounded, and never different from the blob."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from story_gen.core import Story, StoryBlueprint, to_canonical_json
from story_gen.sync_api.blobs import content_key
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.documents import revision_document
from story_gen.sync_api.models import Revision

from .conftest import Api, fixture_blueprint


def story(premise: str) -> Story:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Story(
        story_id=uuid.uuid4(),
        title="T",
        blueprint=StoryBlueprint(premise=premise),
        created_at_utc=now,
        updated_at_utc=now,
    )


def test_the_least_recently_used_documents_leave_first_when_over_the_bound() -> None:
    cache = DocumentCache(max_bytes=100)
    a, b, c = story("a"), story("b"), story("c")
    cache.put("a", a, 40)
    cache.put("b", b, 40)
    assert cache.get("a") is a  # a is now the most recently used
    cache.put("c", c, 40)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (a, None, c)
    assert cache.size == 80
    cache.put("huge", story("h"), 101)  # larger than the whole cache: not kept, nothing evicted
    assert cache.get("huge") is None
    assert len(cache) == 2


def test_a_cache_of_zero_bytes_keeps_nothing() -> None:
    cache = DocumentCache(max_bytes=0)
    cache.put("a", story("a"), 1)
    assert cache.get("a") is None


def test_every_cached_revision_is_what_its_blob_says(api: Api, client: TestClient) -> None:
    """Writes put the document they stored into the cache without reading it back: it must be
    the same story a fresh parse of the stored bytes gives (create, put, patch, merge,
    restore)."""
    headers = api.user()
    created = api.create_story(headers, title=" Spaced title ")
    sid = created["story_id"]
    edited = fixture_blueprint()
    edited["premise"] = "  Edited through the story API.  "
    assert (
        client.put(
            f"/api/v1/stories/{sid}", json={"title": "Put", "blueprint": edited}, headers=headers
        ).status_code
        == 200
    )

    def push(base: int, **content: object) -> None:
        body = {"change_id": str(uuid.uuid4()), "story_id": sid, "base_revision": base, **content}
        response = client.post("/api/v1/sync/push", json={"changes": [body]}, headers=headers)
        assert response.json()["results"][0]["status"] in {"applied", "merged"}, response.text

    push(
        2,
        patch={
            "ops": [
                {
                    "op": "set",
                    "path": "premise",
                    "old": edited["premise"].strip(),
                    "new": "Patched ",
                }
            ]
        },
    )
    stale = fixture_blueprint()
    stale["premise"] = "A stale edit that has to be merged."
    push(1, blueprint=stale)
    assert (
        client.post(f"/api/v1/stories/{sid}/revisions/1/restore", headers=headers).status_code
        == 200
    )
    services = client.app.state.services  # type: ignore[attr-defined]
    # The same services with an empty cache: every document read back from storage.
    cold = dataclasses.replace(services, documents=DocumentCache(max_bytes=1 << 30))
    with services.db.session() as session:
        rows = session.execute(
            select(Revision.revision, Revision.blob_key).where(Revision.story_id == uuid.UUID(sid))
        ).all()
        assert len(rows) == 5
        for revision, key in rows:
            cached = services.documents.get(key)
            assert cached is not None
            stored = revision_document(cold, session, story_id=uuid.UUID(sid), revision=revision)
            assert stored == cached
            assert content_key(to_canonical_json(stored).encode()) == key
