"""Property-based API testing from the OpenAPI schema, on both backends: no input gives a
5xx, and every response matches the documented schema, status codes and content types.

Uses schemathesis's Python API (an operation's Hypothesis strategy, ``call_and_validate``)
inside an ordinary test, so it takes the parametrised ``app`` fixture like every other test.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock

from .conftest import Api

EXAMPLES_PER_OPERATION = 30


def test_api_conforms_to_its_schema(backend: str, settings_for: Any, clock: FakeClock) -> None:
    # Fuzzed logins would otherwise rate-limit the test's own address.
    settings = settings_for(
        backend, login_max_failures_per_address=1_000_000, login_max_failures_per_account=1_000_000
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:  # runs the lifespan (migrations)
        api = Api(client)
        email = api.register()["email"]
        headers = api.login(email)
        api.create_story(headers)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 15
        for operation in operations:

            @given(case=operation.as_strategy())
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: Any) -> None:
                sent = headers
                if case.path == "/api/v1/auth/logout":
                    sent = api.login(email)  # logging out must not end the shared session
                if (case.headers or {}).get("Authorization"):
                    sent = {}
                case.call_and_validate(headers=sent)

            check()
