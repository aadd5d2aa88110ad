"""Text the database stores or is asked about: the schema, the server and both backends agree.

PostgreSQL text cannot hold NUL, SQLite can; a stored name must have something left after
stripping; JSON can smuggle lone UTF-16 surrogates that no UTF-8 store can hold. For every
such field the OpenAPI schema states the rule, the server applies exactly that rule (a value
the schema calls valid is accepted, any other is a 422 that stores nothing), and the answer
is the same on SQLite and on Postgres. schemathesis samples these fields among everything
else; here the awkward characters are drawn on purpose.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import StringConstraints, TypeAdapter, ValidationError

from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.openapi import openapi_document
from story_gen.sync_api.schemas import SPACE_CLASS, Title, UserCreate

from .conftest import Api, fixture_blueprint, push_changes, sync_change

SCHEMAS = openapi_document()["components"]["schemas"]

AWKWARD = st.sampled_from(
    ["\x00", " ", "\t", "\x1c", "\x85", "\u3000", "\ufeff", "é", "\U0001d49c"]
)
TEXT = st.lists(
    st.one_of(AWKWARD, st.characters(codec="utf-8", exclude_characters="\x00")), max_size=12
).map("".join)
"""Short texts full of NUL, whitespace of every kind and astral characters."""


def schema_accepts(schema: dict[str, Any], value: str) -> bool:
    """What the published schema says about a string field (length in code points, pattern)."""
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 10**9):
        return False
    pattern = schema.get("pattern")
    return pattern is None or re.search(pattern, value) is not None


def field(model: str, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = SCHEMAS[model]["properties"][name]
    for option in schema.get("anyOf", []):
        if option.get("type") == "string":
            return {**option, **{k: v for k, v in schema.items() if k == "pattern"}}
    return schema


STRIPPED = TypeAdapter(Annotated[str, StringConstraints(strip_whitespace=True)])
"""How the core strips a story title (pydantic-core, Unicode White_Space; not ``str.strip``)."""


def test_the_space_class_is_exactly_what_pydantic_strips() -> None:
    spaces = re.compile(f"[{SPACE_CLASS}]")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert bool(spaces.fullmatch(char)) == (STRIPPED.validate_python(f"a{char}") == "a"), hex(
            code
        )


def test_every_name_field_applies_its_pattern_as_published() -> None:
    # pydantic matches with Rust's regex engine, clients and fuzzers with others: the pattern
    # must not depend on whose `\s` it is.
    title = TypeAdapter(Title)
    user = TypeAdapter(UserCreate)
    checks: dict[str, tuple[Callable[[str], object], dict[str, Any]]] = {
        "title": (title.validate_python, field("StoryCreate", "title")),
        "display_name": (
            lambda name: user.validate_python(
                {"email": "a@b.co", "password": "x" * 12, "display_name": name}
            ),
            field("UserCreate", "display_name"),
        ),
    }
    for code in [*range(0x3100), *range(0xFE00, 0xFF00), 0x1D49C, 0x10FFFF]:
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (chr(code), f"{chr(code)} "):
            for name, (validate, schema) in checks.items():
                try:
                    validate(text)
                    accepted = True
                except ValidationError:
                    accepted = False
                assert accepted == schema_accepts(schema, text), (name, hex(code))


@pytest.fixture
def both(settings_for: Any, clock: FakeClock) -> Iterator[dict[str, Api]]:
    """One signed-in API per backend, to send the same request to both."""
    with ExitStack() as stack:
        apis = {}
        for backend in ("sqlite", "postgres"):
            # Many failed logins on purpose: keep the limiter out of the way.
            settings = settings_for(
                backend,
                login_max_failures_per_address=10**6,
                login_max_failures_per_account=10**6,
            )
            client = stack.enter_context(TestClient(create_app(settings, clock=clock)))
            apis[backend] = Api(client)
        yield apis


def agree(both: dict[str, Api], send: Callable[[str, Api], int]) -> int:
    """Send the same request to both backends: the same status, and never a 5xx."""
    statuses = {backend: send(backend, api) for backend, api in both.items()}
    assert len(set(statuses.values())) == 1, statuses
    status = statuses["sqlite"]
    assert status < 500
    return status


HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(name=TEXT)
@example(name="Ada\x00Lovelace")
@example(name="   ")
@example(name="\x1c")
@example(name=" \u3000Ada ")
def test_display_names(both: dict[str, Api], name: str) -> None:
    email = f"u{uuid.uuid4().hex[:10]}@example.org"
    body = {"email": email, "password": "correct horse battery", "display_name": name}
    status = agree(
        both, lambda _, api: api.client.post("/api/v1/auth/register", json=body).status_code
    )
    assert (status == 201) == schema_accepts(field("UserCreate", "display_name"), name)
    if status != 201:
        for api in both.values():  # nothing stored: the address is still free
            api.register(email)


@HYPOTHESIS
@given(email=TEXT)
@example(email="ada\x00@example.org")
def test_login_addresses(both: dict[str, Api], email: str) -> None:
    body = {"email": email, "password": "correct horse battery"}
    status = agree(
        both, lambda _, api: api.client.post("/api/v1/auth/login", json=body).status_code
    )
    # No such account either way: wrong credentials, unless the address is not even text
    # the database can be asked about.
    assert status == (401 if schema_accepts(field("LoginCreate", "email"), email) else 422)


@HYPOTHESIS
@given(title=TEXT)
@example(title="Alice\x00")
@example(title="\t\n")
@example(title=" Alice ")
def test_story_titles_on_the_story_api_and_in_a_push(both: dict[str, Api], title: str) -> None:
    valid = schema_accepts(field("StoryCreate", "title"), title)
    assert valid == schema_accepts(field("ChangeCreate", "title"), title)
    headers = {backend: api.user() for backend, api in both.items()}

    def create(backend: str, api: Api) -> int:
        response = api.client.post(
            "/api/v1/stories",
            json={"title": title, "blueprint": fixture_blueprint()},
            headers=headers[backend],
        )
        return response.status_code

    assert (agree(both, create) == 201) == valid
    story_id = str(uuid.uuid4())

    def push(backend: str, api: Api) -> int:
        change = sync_change(story_id, 0, title=title, blueprint=fixture_blueprint())
        response = api.client.post(
            "/api/v1/sync/push", json={"changes": [change]}, headers=headers[backend]
        )
        return response.status_code

    assert (agree(both, push) == 200) == valid
    for backend, api in both.items():
        stored = api.client.get("/api/v1/stories", headers=headers[backend]).json()
        assert len(stored) == (2 if valid else 0)
        assert all(story["title"] == STRIPPED.validate_python(title) for story in stored)


def test_a_patch_cannot_store_a_title_the_database_cannot_hold(
    both: dict[str, Api],
) -> None:
    for api in both.values():
        headers = api.user()
        story = api.create_story(headers, title="Alice")
        patch = {"ops": [{"op": "set", "path": "title", "old": "Alice", "new": "Ali\x00ce"}]}
        [result] = push_changes(api.client, headers, sync_change(story["story_id"], 1, patch=patch))
        assert result["status"] == "rejected"
        assert result["diagnostics"][0]["code"] == "story.title_unstorable"
        assert result["diagnostics"][0]["path"] == "title"
        again = api.client.get(
            f"/api/v1/stories/{story['story_id']}?view=full", headers=headers
        ).json()
        assert again == story


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("changes[0].patch", {"patch": {"ops": [{"op": "set", "path": "premise", "new": "LONE"}]}}),
        (
            "changes[0].conflicts",
            {
                "blueprint": {},
                "conflicts": [{"conflict_id": "c", "kind": "value", "path": "p", "ours": "LONE"}],
            },
        ),
    ],
)
def test_lone_surrogates_in_free_json_are_a_clear_422(
    api: Api, where: str, change: dict[str, Any]
) -> None:
    headers = api.user()
    story = api.create_story(headers)
    body = {
        "changes": [
            {
                "change_id": str(uuid.uuid4()),
                "story_id": story["story_id"],
                "base_revision": 1,
                **change,
            }
        ]
    }
    raw = json.dumps(body).replace("LONE", "x\\ud800y")  # an escape json.loads lets through
    response = api.client.post(
        "/api/v1/sync/push",
        content=raw.encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    [diagnostic] = response.json()["diagnostics"]
    assert diagnostic["path"] == where
    assert "surrogate" in diagnostic["message"]
    assert (
        api.client.get(f"/api/v1/stories/{story['story_id']}?view=full", headers=headers).json()
        == story
    )
