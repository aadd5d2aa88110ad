"""The studio's sync client (browser/src/story_gen/browser/sync) against the real API: two
devices of one account, offline edits, conflicts, a lost push answer, an expired sign-in."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from story_gen.browser._demos import DEMOS
from story_gen.browser._service import demo_story_id
from story_gen.browser.sync._calls import QUICK_RETRY
from tests.browser.sync.conftest import Device

ALICE = str(demo_story_id(DEMOS[0].key))


def run(body: Any) -> Any:
    return asyncio.run(body)


async def _device(devices: list[Device], api: str) -> Device:
    device = Device(api)
    devices.append(device)
    await device.start()
    return device


async def _signed_in(
    devices: list[Device], account: dict[str, str], *, new: bool = False, upload: bool = True
) -> Device:
    device = await _device(devices, account["api_url"])
    name = "account.sign_up" if new else "account.sign_in"
    status = await device.call(name, **account, upload_local=upload)
    assert status["email"] == account["email"]
    assert (await device.sync())["phase"] == "synced"
    return device


def _server_stories(account: dict[str, str]) -> list[dict[str, Any]]:
    with httpx.Client(base_url=account["api_url"]) as api:
        token = api.post(
            "/api/v1/auth/login", json={"email": account["email"], "password": account["password"]}
        ).json()["access_token"]
        answer = api.get("/api/v1/stories", headers={"authorization": f"Bearer {token}"})
        answer.raise_for_status()
        stories: list[dict[str, Any]] = answer.json()
        return stories


def _revisions(account: dict[str, str], story_id: str) -> list[int]:
    with httpx.Client(base_url=account["api_url"]) as api:
        token = api.post(
            "/api/v1/auth/login", json={"email": account["email"], "password": account["password"]}
        ).json()["access_token"]
        answer = api.get(
            f"/api/v1/stories/{story_id}/revisions", headers={"authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()
        return [r["revision"] for r in answer.json()]


def _content(story: dict[str, Any]) -> dict[str, Any]:
    """A story without its time stamps: a device keeps its own clock's stamp on its own edit
    (the server stamps its clock), which is not worth a write while the writer types."""
    return {k: v for k, v in story.items() if k not in ("created_at_utc", "updated_at_utc")}


async def _set_premise(device: Device, story_id: str, value: str) -> None:
    opened = await device.call("story.open", story_id=story_id)
    await device.call(
        "story.apply_edit",
        story_id=story_id,
        base_revision=opened["state"]["revision"],
        op={"op": "set_premise", "value": value},
    )


async def _rename(device: Device, story_id: str, title: str) -> None:
    await device.call("story.rename", story_id=story_id, title=title)


def test_signing_in_uploads_the_local_stories_once_matched_by_id(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        local = await a.stories()
        on_server = _server_stories(account)
        assert sorted(s["story_id"] for s in on_server) == sorted(local)
        # A second device holds the same demo stories (same ids): matched, not copied.
        b = await _signed_in(devices, account)
        assert sorted(s["story_id"] for s in _server_stories(account)) == sorted(local)
        assert sorted(await b.stories()) == sorted(local)
        assert (await b.sync())["waiting"] == 0

    run(body())


def test_keeping_the_local_stories_off_the_account(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True, upload=False)
        assert _server_stories(account) == []
        created = await a.call("story.create", demo="alice-in-wonderland")
        await a.sync()
        assert [s["story_id"] for s in _server_stories(account)] == [created["story_id"]]

    run(body())


def test_offline_edits_on_two_devices_merge_and_the_same_field_is_one_conflict(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        b = await _signed_in(devices, account)
        a.http.down = b.http.down = True
        await _rename(a, ALICE, "Alice, renamed on A")
        await _set_premise(a, ALICE, "A girl follows a rabbit (A).")
        await _set_premise(b, ALICE, "A girl follows a rabbit (B).")
        offline = await a.sync()
        assert offline["phase"] == "offline"
        assert offline["waiting"] == 1
        a.http.down = b.http.down = False
        await a.sync()
        status_b = await b.sync()
        await a.sync()
        assert ALICE in [str(s) for s in status_b["conflicted_story_ids"]]
        story_a, story_b = (await a.stories())[ALICE], (await b.stories())[ALICE]
        assert _content(story_a) == _content(story_b)
        assert story_a["title"] == "Alice, renamed on A"
        [conflict] = story_a["conflicts"]
        values = {str(conflict["ours"]), str(conflict["theirs"])}
        assert values == {"A girl follows a rabbit (A).", "A girl follows a rabbit (B)."}
        # Each device knows which side it wrote (ours / theirs say where a merge found them).
        for device, wrote in ((a, "(A)."), (b, "(B).")):
            side = (await device.call("sync.status"))["my_side"][conflict["conflict_id"]]
            assert str(conflict[side]).endswith(wrote)
        # Resolving on one device syncs like any edit; both converge, the conflict gone.
        await a.call("story.open", story_id=ALICE)
        await a.call(
            "conflicts.resolve",
            story_id=ALICE,
            conflict_id=conflict["conflict_id"],
            choice="custom",
            value="A girl follows a rabbit (A and B).",
        )
        await a.sync()
        await b.sync()
        story_a, story_b = (await a.stories())[ALICE], (await b.stories())[ALICE]
        assert _content(story_a) == _content(story_b)
        assert story_a["conflicts"] == []
        assert story_a["blueprint"]["premise"] == "A girl follows a rabbit (A and B)."

    run(body())


def test_a_reload_mid_push_sends_the_same_change_and_makes_no_second_revision(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        before = _revisions(account, ALICE)
        await _set_premise(a, ALICE, "Edited, and the answer is lost.")
        # The push lands on the server; its answer (and its quick retry's) never comes back.
        a.http.drop_answers = QUICK_RETRY.attempts
        assert (await a.sync())["phase"] == "offline"
        await a.reload()  # a new page on the same storage
        status = await a.sync()
        assert status["phase"] == "synced"
        assert status["waiting"] == 0
        assert _revisions(account, ALICE) == [before[0] + 1, *before]
        [story] = [s for s in _server_stories(account) if s["story_id"] == ALICE]
        assert story["blueprint"]["premise"] == "Edited, and the answer is lost."

    run(body())


def test_an_expired_sign_in_asks_to_sign_in_again_and_keeps_the_outbox(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        token = a.studio.sync.replica.account.token  # type: ignore[union-attr]
        with httpx.Client(base_url=account["api_url"]) as api:
            api.post("/api/v1/auth/logout", headers={"authorization": f"Bearer {token}"})
        await _set_premise(a, ALICE, "Written while the sign-in had expired.")
        status = await a.sync()
        assert status["phase"] == "signed_out"
        assert "sign in again" in status["message"]
        assert status["waiting"] == 1
        await a.reload()  # the outbox survives a reload too
        assert (await a.call("sync.status"))["phase"] == "signed_out"
        await a.call("account.sign_in", **account)
        status = await a.sync()
        assert (status["phase"], status["waiting"]) == ("synced", 0)
        [story] = [s for s in _server_stories(account) if s["story_id"] == ALICE]
        assert story["blueprint"]["premise"] == "Written while the sign-in had expired."

    run(body())


def test_deleted_on_one_device_and_edited_on_the_other_comes_back(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        b = await _signed_in(devices, account)
        await a.call("story.delete", story_id=ALICE)
        await a.sync()
        await _set_premise(b, ALICE, "Edited while A deleted it.")
        status_b = await b.sync()
        status_a = await a.sync()
        assert ALICE in [
            str(s) for s in status_a["revived_story_ids"] + status_b["revived_story_ids"]
        ]
        assert (await a.stories())[ALICE]["blueprint"]["premise"] == "Edited while A deleted it."

    run(body())


def test_a_second_account_never_sees_the_first_ones_stories(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        await _signed_in(devices, account, new=True)
        other = {**account, "email": "other-" + account["email"]}
        b = await _device(devices, account["api_url"])
        await b.call("account.sign_up", **other, upload_local=False)
        await b.sync()
        assert _server_stories(other) == []
        assert sorted(await b.stories()) == sorted(str(demo_story_id(d.key)) for d in DEMOS)

    run(body())


def test_sign_in_errors_say_what_happened(devices: list[Device], account: dict[str, str]) -> None:
    async def body() -> None:
        a = await _device(devices, account["api_url"])
        wrong = await a.fails("account.sign_in", **account)
        assert wrong["type"].startswith("sync.")
        a.http.down = True
        offline = await a.fails("account.sign_up", **account)
        assert offline["type"] == "sync.offline"
        assert account["api_url"] in offline["message"]
        assert (await a.call("sync.status"))["phase"] == "local"

    run(body())


def test_history_lists_revisions_in_story_terms_and_restores_one_as_a_new_revision(
    devices: list[Device], account: dict[str, str]
) -> None:
    async def body() -> None:
        a = await _signed_in(devices, account, new=True)
        original = (await a.stories())[ALICE]["blueprint"]["premise"]
        await _set_premise(a, ALICE, "A second premise.")
        await a.sync()
        await _rename(a, ALICE, "Alice, renamed")
        await a.sync()
        listed = (await a.call("history.revisions", story_id=ALICE))["revisions"]
        numbers = [line["revision"] for line in listed]
        assert numbers == sorted(numbers, reverse=True)
        newest, middle = listed[0], listed[1]
        assert any("Alice, renamed" in change for change in newest["changes"])
        assert any("premise" in change.lower() for change in middle["changes"])
        old = await a.call("history.revision", story_id=ALICE, revision=listed[-1]["revision"])
        assert old["story"]["blueprint"]["premise"] == original
        await a.call("story.open", story_id=ALICE)
        restored = await a.call("history.restore", story_id=ALICE, revision=listed[-1]["revision"])
        assert restored["story"]["blueprint"]["premise"] == original
        await a.sync()
        after = (await a.call("history.revisions", story_id=ALICE))["revisions"]
        assert after[0]["revision"] == newest["revision"] + 1
        [story] = [s for s in _server_stories(account) if s["story_id"] == ALICE]
        assert story["blueprint"]["premise"] == original
        a.http.down = True
        offline = await a.fails("history.revisions", story_id=ALICE)
        assert offline["type"] == "sync.offline"

    run(body())
