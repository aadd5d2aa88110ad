"""Seeded, replayable convergence: 3-5 simulated devices of one account run the real client
sync engine against the real API (its routes, database and blob store, both backends) with
random offline periods, lost answers and answers delivered twice or late. At the end every
device and the server hold identical canonical JSON, and every edit is in the document or in
one of its conflicts.

The requests go to the app in process (``InProcess``: httpx's ASGI transport on the test
client's event loop) for speed: no socket, but the same app, routes, database and object store
as under uvicorn. Each pytest worker serves every seed of a backend from one app (each seed
has its own account, so the runs cannot see each other), and the SQLite backend keeps its
database and blob folder in memory-backed ``/dev/shm`` when there is one: the same SQLite and
folder code, without waiting for the disk's fsyncs.

Seeds: ``CONVERGENCE_SEEDS`` per backend and chunk (default below, x10 under
``HYPOTHESIS_PROFILE=long``); a failure names its seed, and ``CONVERGENCE_SEED=<n>`` replays
exactly that run.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from story_gen.client import StoryApiClient
from story_gen.core import Chapter, Story, StoryBlueprint
from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.clock import FakeClock
from tests.sync_api.conftest import FAST_HASHING
from tests.sync_api.conftest import _truncate as truncate

from .conftest import PASSWORD
from .devices import Device, Faults, InProcess, canonical, server_stories

CHUNKS = 4
PER_CHUNK = {"sqlite": 110, "postgres": 15}
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
TICKS = 12


def seeds(backend: str, chunk: int) -> list[int]:
    if "CONVERGENCE_SEED" in os.environ:
        return [int(os.environ["CONVERGENCE_SEED"])] if chunk == 0 else []
    per = int(os.environ.get("CONVERGENCE_SEEDS", PER_CHUNK[backend] * (10 if LONG else 1)))
    return list(range(chunk * per, (chunk + 1) * per))


@dataclass(frozen=True)
class Write:
    story_id: uuid.UUID
    chapter: str
    field: str
    value: str


def small_story(rng: random.Random) -> Story:
    chapters = [
        Chapter(key=f"c{index}", title=f"Chapter {index}", objective="start") for index in range(4)
    ]
    return Story.new(
        story_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        title="Shared",
        blueprint=StoryBlueprint(premise="A shared story.", chapters=chapters),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def edited(story: Story, index: int, field: str, value: str) -> Story:
    chapters = list(story.blueprint.chapters)
    chapters[index] = chapters[index].model_copy(update={field: value})
    return story.model_copy(
        update={"blueprint": story.blueprint.model_copy(update={"chapters": chapters})}
    )


def simulate(http: TestClient, seed: int) -> None:
    rng = random.Random(seed)
    email = f"conv{seed}-{uuid.uuid4().hex[:8]}@example.org"
    transport = InProcess(http)
    setup = StoryApiClient("http://testserver", transport=transport)
    setup.register(email, PASSWORD, "Convergence")
    token = setup.login(email, PASSWORD).access_token
    faults = Faults(drop=0.15, duplicate=0.15)
    devices = [
        Device(
            f"d{n}",
            StoryApiClient("http://testserver", token=token, transport=transport),
            random.Random(rng.getrandbits(64)),
            faults,
        )
        for n in range(rng.randint(3, 5))
    ]
    devices[0].edit(small_story(rng))
    writes: list[Write] = []
    tokens: list[Write] = []
    for tick in range(TICKS):
        for device in rng.sample(devices, len(devices)):
            if rng.random() < 0.2:
                device.online = not device.online
            stories = device.stories()
            if stories and rng.random() < 0.6:
                story_id = rng.choice(sorted(stories))
                story = stories[story_id]
                index = rng.randrange(len(story.blueprint.chapters))
                chapter = story.blueprint.chapters[index]
                value = f"{device.name}-t{tick}-{rng.getrandbits(24):06x}"
                if rng.random() < 0.5:
                    device.edit(edited(story, index, "objective", value))
                    writes.append(Write(story_id, chapter.key, "objective", value))
                else:
                    draft = f"{chapter.draft_text}\n{value}" if chapter.draft_text else value
                    device.edit(edited(story, index, "draft_text", draft))
                    tokens.append(Write(story_id, chapter.key, "draft_text", value))
            elif rng.random() < 0.05:
                device.edit(small_story(rng))
            device.step()
    for device in devices:
        device.online = True
        device.faults = Faults()
    # Until a whole round pushes nothing: then every device pulled after the last push.
    for _ in range(6):
        pushed = [bool(device.settle().changed) for device in devices]
        if not any(pushed):
            break
    expected = canonical(server_stories(setup))
    for device in devices:
        assert canonical(device.stories()) == expected, f"seed {seed}: {device.name} differs"
    final = server_stories(setup)
    _every_edit_kept(seed, final, writes, tokens)


def _kept(story: Story, where: str, value: str, *, inside: bool) -> bool:
    for conflict in story.conflicts:
        if conflict.path != where:
            continue
        for side in (conflict.ours, conflict.theirs, conflict.base):
            if isinstance(side, str) and (value in side.split("\n") if inside else side == value):
                return True
    return False


def _every_edit_kept(
    seed: int, final: dict[uuid.UUID, Story], writes: list[Write], tokens: list[Write]
) -> None:
    last: dict[tuple[uuid.UUID, str], Write] = {}
    for write in writes:
        last[(write.story_id, write.chapter)] = write
    for write in last.values():
        story = final[write.story_id]
        chapter = next(c for c in story.blueprint.chapters if c.key == write.chapter)
        where = f"chapters[{write.chapter}].objective"
        assert chapter.objective == write.value or _kept(story, where, write.value, inside=False), (
            f"seed {seed}: the last write {write.value!r} to {where} is lost"
        )
    for token in tokens:
        story = final[token.story_id]
        chapter = next(c for c in story.blueprint.chapters if c.key == token.chapter)
        where = f"chapters[{token.chapter}].draft_text"
        in_draft = token.value in (chapter.draft_text or "").split("\n")
        assert in_draft or _kept(story, where, token.value, inside=True), (
            f"seed {seed}: the line {token.value!r} added to {where} is lost"
        )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest) -> Iterator[tuple[str, TestClient]]:
    """One app per backend and worker, served to every chunk of that backend."""
    backend = str(request.param)
    memory = Path("/dev/shm")
    data = Path(tempfile.mkdtemp(prefix="convergence-", dir=memory if memory.is_dir() else None))
    values: dict[str, Any] = {
        "stage": "test",
        "data_dir": data,
        "blob_gc_interval_seconds": 0,
        "log_level": "WARNING",
        "register_max_per_address": 1_000_000,
        **FAST_HASHING,
    }
    if backend == "postgres":
        bucket = f"story-gen-{uuid.uuid4().hex[:16]}"
        endpoint = request.getfixturevalue("s3_endpoint")
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
            Bucket=bucket
        )
        values |= {
            "database_url": request.getfixturevalue("postgres_url"),
            "blob_store": "s3",
            "s3_endpoint_url": endpoint,
            "s3_bucket": bucket,
        }
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    try:
        with TestClient(create_app(Settings(**values), clock=clock)) as http:
            yield backend, http
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if backend == "postgres":
            truncate(str(values["database_url"]))


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_devices_converge_and_keep_every_edit(shared: tuple[str, TestClient], chunk: int) -> None:
    backend, http = shared
    for seed in seeds(backend, chunk):
        simulate(http, seed)
