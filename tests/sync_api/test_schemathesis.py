"""Property-based API testing from the OpenAPI schema, on both backends: no input gives a
5xx, every response matches the documented schema, status codes and content types, and a
request the schema calls valid is not refused.

schemathesis's pytest integration makes one test per operation (and backend) and runs it
through its three generating phases (the schema's examples, the coverage phase's boundary
values, and fuzzing), with positive and negative data. The seed is fixed in its configuration,
so a run is reproducible: the same cases, in the same order, every time (each operation
derives its own seed from it).

The schema is the one the code serves (``openapi_document()``, which ``make openapi-check``
keeps equal to the committed snapshot). Each test gets a fresh real app (SQLite + folder or
Postgres + S3 over HTTP) with a signed-in user who owns the story the path parameters name,
so the operations on a story exercise a real one instead of answering 404 to random ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from story_gen.core.diagnosis import STRUCTURAL_CODES
from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.openapi import openapi_document

from .conftest import Api, fixture_blueprint

SEED = 20261128
"""Fixed: a schemathesis failure here reproduces on every run and every machine."""

MAX_EXAMPLES = 200
"""Fuzzing cases per operation and generation mode, on top of the examples and coverage phases."""

TOKEN_PLACEHOLDER = "the-test-users-token"
"""What schemathesis sends as the bearer token; swapped for the test user's real one at call
time (cases are generated at collection, before any user exists). Cases that test the header
itself (missing, malformed) do not carry it and go out as generated."""

STORY_ID = str(uuid.UUID(int=SEED))
"""The user's story; path parameters name it (each test starts from an empty database)."""


def schemathesis_config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "suppress-health-check": ["all"],
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                # No OpenAPI links to follow; the sequences that matter have their own tests.
                "stateful": {"enabled": False},
            },
            "checks": {
                # The API is lenient where the core is (keys and e-mails are normalised,
                # "5" is a fine priority) and the sync protocol answers a bad change with a
                # per-change rejection inside a 200: schema-invalid input is not always a 4xx.
                # Negative cases still go through every other check (no 5xx, documented
                # status codes and bodies).
                "negative_data_rejection": {"enabled": False},
            },
            "parameters": {"path.story_id": STORY_ID, "path.revision": 1},
            "auth": {"openapi": {"HTTPBearer": {"bearer": TOKEN_PLACEHOLDER}}},
        }
    )


class CurrentApp:
    """The ASGI app the module-level schema sends requests to: the running test's app.

    Its lifespan is a no-op: the ``target`` fixture already ran the real app's lifespan
    (migrations) through its TestClient, and shuts it down when the test ends.
    """

    def __init__(self) -> None:
        self.target: Target | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.target is not None, "a schemathesis case ran outside the target fixture"
        await self.target.app(scope, receive, send)


CURRENT_APP = CurrentApp()


@dataclass
class Target:
    """The app under test and its signed-in user."""

    app: FastAPI
    api: Api
    email: str
    token: str


@pytest.fixture
def target(backend: str, settings_for: Any, clock: FakeClock) -> Iterator[Target]:
    # Fuzzed logins would otherwise rate-limit the test's own address.
    settings = settings_for(
        backend, login_max_failures_per_address=1_000_000, login_max_failures_per_account=1_000_000
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:  # runs the lifespan (migrations)
        api = Api(client)
        email = api.register()["email"]
        headers = api.login(email)
        created = client.post(
            "/api/v1/sync/push",
            json={
                "changes": [
                    {
                        "change_id": str(uuid.uuid4()),
                        "story_id": STORY_ID,
                        "base_revision": 0,
                        "title": "Fuzzed",
                        "blueprint": fixture_blueprint(),
                    }
                ]
            },
            headers=headers,
        )
        assert created.json()["results"][0]["status"] == "applied", created.text
        token = headers["Authorization"].removeprefix("Bearer ")
        CURRENT_APP.target = Target(app=app, api=api, email=email, token=token)
        try:
            yield CURRENT_APP.target
        finally:
            CURRENT_APP.target = None


SCHEMA_EXPRESSIBLE_CODES = STRUCTURAL_CODES - {"key.duplicate"}
"""Blueprint findings a JSON Schema can express (shape, unknown fields, key syntax): a
schema-valid blueprint must never get one. ``key.duplicate`` is structural for the core but
beyond JSON Schema (uniqueness of a property across array items)."""


def positive_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's ``positive_data_acceptance``, except for one refusal a JSON Schema
    cannot describe: the story API's strict blueprint rules (unknown references, cycles,
    duplicate keys), answered as ``blueprint_invalid`` with the core's diagnostics.

    Any other 422 to schema-valid data (a NUL the database cannot store, a whitespace-only
    name, a cursor shape the schema does not state) still fails, as do blueprint findings
    that the schema could have expressed.
    """
    if response.status_code == 422 and case.meta is not None:
        body = response.json()
        errors = [d for d in body.get("diagnostics", []) if d.get("severity") == "error"]
        if (
            body.get("code") == "blueprint_invalid"
            and errors
            and not any(d["code"] in SCHEMA_EXPRESSIBLE_CODES for d in errors)
        ):
            return None
    return positive_data_acceptance(ctx, response, case)


schema = schemathesis.openapi.from_dict(openapi_document(), config=schemathesis_config())
schema.app = CURRENT_APP


@schema.parametrize()
def test_api_conforms_to_its_schema(case: Any, target: Target) -> None:
    assert CURRENT_APP.target is target
    if (case.headers or {}).get("Authorization") == f"Bearer {TOKEN_PLACEHOLDER}":
        token = target.token
        if case.path == "/api/v1/auth/logout":
            # Logging out must not end the session every other case uses.
            token = target.api.login(target.email)["Authorization"].removeprefix("Bearer ")
        case.headers["Authorization"] = f"Bearer {token}"
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_accepted],
    )
