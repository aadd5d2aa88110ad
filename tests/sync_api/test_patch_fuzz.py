"""Malformed patches never answer 5xx (issue 13, item 3), on both backends.

A batch mixes a good change with patches drawn from the patch grammar; the push answers
200, every malformed change is ``rejected`` with a diagnostic, the good change lands, and
a retry of the same batch answers the same results from storage (the queue is not wedged).
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.patch_grammar import patch_bodies

from .conftest import Api, fixture_blueprint, push_changes, sync_change


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bodies=st.lists(patch_bodies, min_size=1, max_size=3), stale=st.booleans())
def test_malformed_patches_are_rejected_per_change_and_the_batch_answers_200(
    api: Api, bodies: list[dict[str, Any]], stale: bool
) -> None:
    headers = api.user()
    story = api.create_story(headers, title="Alice")
    sid = story["story_id"]
    if stale:
        edited = fixture_blueprint()
        edited["premise"] = "Moved on."
        [moved] = push_changes(api.client, headers, sync_change(sid, 1, blueprint=edited))
        assert moved["status"] == "applied"
    good = sync_change(str(uuid.uuid4()), 0, title="Lands", blueprint=fixture_blueprint())
    batch = [good, *(sync_change(sid, 1, patch=body) for body in bodies)]
    results = push_changes(api.client, headers, *batch)
    assert results[0]["status"] == "applied"
    for result in results[1:]:
        assert result["status"] in ("applied", "merged", "rejected")
        if result["status"] == "rejected":
            [diagnostic] = result["diagnostics"]
            assert diagnostic["code"] == "change.patch_invalid"
            assert diagnostic["message"]
    assert push_changes(api.client, headers, *batch) == results
    landed = api.client.get(f"/api/v1/stories/{good['story_id']}?view=full", headers=headers)
    assert landed.status_code == 200
    assert landed.json()["revision"] == 1
