"""``story-gen register/login/logout`` and ``pull/push/sync DIR`` against the live API."""

from __future__ import annotations

import json
import os
import socket
import stat
import uuid
from pathlib import Path

from story_gen.cli._account import device_name
from story_gen.client import StoryApiClient, SyncEngine, SyncState
from story_gen.core import Story, to_canonical_json

from .accounts import Cli, alice, read


def test_register_login_logout_keep_the_token_in_a_private_file(story_gen: Cli) -> None:
    story_gen.sign_up()
    saved = Path(story_gen.env["XDG_CONFIG_HOME"]) / "story-gen" / "credentials.json"
    assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
    token = read(saved)["token"]
    result = story_gen("login", "--api", story_gen.api, "--email", story_gen.email)
    assert result.exit_code == 0, result.output
    assert read(saved)["token"] != token
    assert story_gen("logout").exit_code == 0
    assert not saved.exists()
    assert "not signed in" in story_gen("pull", saved.parent).output


def test_a_wrong_password_says_so_and_saves_nothing(story_gen: Cli) -> None:
    story_gen.sign_up()
    story_gen("logout")
    story_gen.env["STORY_GEN_PASSWORD"] = "not the password"
    result = story_gen("login", "--api", story_gen.api, "--email", story_gen.email)
    assert result.exit_code == 2
    assert "401" in result.output
    assert (
        not (Path(story_gen.env["XDG_CONFIG_HOME"]) / "story-gen")
        .joinpath("credentials.json")
        .exists()
    )


def test_pull_writes_one_canonical_story_file_per_story(story_gen: Cli, tmp_path: Path) -> None:
    story_gen.sign_up()
    with story_gen.client() as story_client:
        created = story_client.create_story("Alice in Wonderland", alice())
    folder = tmp_path / "stories"
    folder.mkdir()
    result = story_gen("pull", folder)
    assert result.exit_code == 0, result.output
    [path] = sorted(folder.glob("*.story.json"))
    assert path.name == "alice-in-wonderland.story.json"
    document = read(path)
    assert list(document) == ["story_id", "title", "revision", "blueprint"]
    assert document["story_id"] == str(created.story_id)
    assert document["revision"] == 1
    assert story_gen("fmt", "--check", folder / "x.json").exit_code == 2  # no such file
    assert story_gen("pull", folder).exit_code == 0
    assert read(path) == document


def test_push_sends_edits_and_a_dropped_blueprint_becomes_a_story(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "alice.json").write_text(json.dumps(alice()), "utf-8")
    result = story_gen("push", folder)
    assert result.exit_code == 0, result.output
    assert not (folder / "alice.json").exists()
    path = folder / "alice.story.json"
    document = read(path)
    assert document["revision"] == 1
    document["blueprint"]["premise"] = "Edited in the folder."
    path.write_text(json.dumps(document), "utf-8")
    assert story_gen("push", folder).exit_code == 0
    with story_gen.client() as story_client:
        [story] = story_client.list_stories()
        assert story.blueprint.premise == "Edited in the folder."
        revisions = story_client.revisions(story.story_id)
        assert [r.origin for r in revisions] == ["push", "push"]
        # The history says which computer pushed them: its host name (ADR 0109).
        assert [r.device for r in revisions] == [device_name()] * 2
        assert device_name() == socket.gethostname().strip()
    assert read(path)["revision"] == 2
    assert story_gen("push", folder).exit_code == 0  # nothing changed: no new revision
    with story_gen.client() as story_client:
        assert len(story_client.revisions(story.story_id)) == 2


def test_a_conflict_stays_in_the_file_and_push_exits_1(story_gen: Cli, tmp_path: Path) -> None:
    story_gen.sign_up()
    with story_gen.client() as story_client:
        story_client.create_story("Alice", alice())
    here, there = tmp_path / "laptop", tmp_path / "desktop"
    for folder in (here, there):
        folder.mkdir()
        assert story_gen("pull", folder).exit_code == 0
    for folder, premise in ((here, "Written on the laptop."), (there, "Written on the desktop.")):
        path = folder / "alice.story.json"
        document = read(path)
        document["blueprint"]["premise"] = premise
        path.write_text(json.dumps(document), "utf-8")
    assert story_gen("push", here).exit_code == 0
    result = story_gen("push", there)
    assert result.exit_code == 1, result.output
    assert "conflict" in result.output
    [conflict] = read(there / "alice.story.json")["conflicts"]
    assert conflict["path"] == "premise"
    assert {conflict["ours"], conflict["theirs"]} == {
        "Written on the laptop.",
        "Written on the desktop.",
    }
    assert story_gen("sync", here).exit_code == 1  # the laptop gets the conflict too
    assert read(here / "alice.story.json") == read(there / "alice.story.json")


def test_a_bad_file_is_reported_with_its_name_and_nothing_is_pushed(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "broken.json").write_text('{"premise": ', "utf-8")
    bad = alice()
    bad["chapters"].append(dict(bad["chapters"][0]))  # a duplicate chapter key
    (folder / "dup.json").write_text(json.dumps(bad), "utf-8")
    result = story_gen("push", folder)
    assert result.exit_code == 2
    assert "broken.json:1:" in result.output
    assert "dup.json" in result.output
    with story_gen.client() as story_client:
        assert story_client.list_stories() == []
    assert (folder / "dup.json").exists()


def test_unfinished_plans_sync_and_conflict_sidecars_are_not_stories(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    folder = tmp_path / "stories"
    folder.mkdir()
    unfinished = alice()
    unfinished["chapters"][1]["prerequisites"] = ["a-chapter-not-written-yet"]
    (folder / "unfinished.json").write_text(json.dumps(unfinished), "utf-8")
    (folder / "alice.json.conflicts.json").write_text('{"conflicts": []}', "utf-8")
    result = story_gen("sync", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        ".story-gen",
        "alice.json.conflicts.json",
        "unfinished.story.json",
    ]
    with story_gen.client() as story_client:
        [story] = story_client.list_stories()
    assert story.title == "unfinished"
    assert story.blueprint.chapters[1].prerequisites == ["a-chapter-not-written-yet"]


def test_an_unreachable_api_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # Port 9 on loopback: nothing listens there.
    story_gen = Cli(tmp_path / "config", "http://127.0.0.1:9")
    result = story_gen("login", "--api", story_gen.api, "--email", story_gen.email)
    assert result.exit_code == 2
    assert "no answer after" in result.output
    assert "Traceback" not in result.output


def test_a_story_deleted_on_the_server_leaves_the_folder_unless_edited_here(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    with story_gen.client() as story_client:
        kept = story_client.create_story("Kept", alice())
        gone = story_client.create_story("Gone", alice())
    folder = tmp_path / "stories"
    folder.mkdir()
    assert story_gen("pull", folder).exit_code == 0
    document = read(folder / "kept.story.json")
    document["blueprint"]["premise"] = "Edited here while deleted there."
    (folder / "kept.story.json").write_text(json.dumps(document), "utf-8")
    with story_gen.client() as story_client:
        story_client.delete_story(kept.story_id)
        story_client.delete_story(gone.story_id)
    result = story_gen("sync", folder)
    assert result.exit_code == 0, result.output
    assert not (folder / "gone.story.json").exists()
    with story_gen.client() as story_client:
        back = story_client.get_story(kept.story_id)  # the edit brought it back
        assert back.blueprint.premise == "Edited here while deleted there."
        assert [s.story_id for s in story_client.list_stories()] == [kept.story_id]


def _studio_round(engine: SyncEngine, api: StoryApiClient) -> None:
    """One sync round as the studio runs the engine: push what waits, apply the answer, pull
    with the revisions it holds (changed stories as patches), apply that; repeat until idle."""
    for _ in range(5):
        changes = engine.outgoing(50)
        if changes:
            engine.apply_push(api.push(changes))
        while True:
            cursor = engine.pull_cursor()
            answer = api.pull(cursor, 50, engine.held_revisions())
            more = engine.apply_pull(cursor, answer)
            if not answer.has_more and not more.refetch:
                break
        if not engine.outgoing(50):
            return


def _with_chapter(story: Story, key: str, **fields: object) -> Story:
    chapters = [
        chapter.model_copy(update=fields) if chapter.key == key else chapter
        for chapter in story.blueprint.chapters
    ]
    return story.model_copy(
        update={"blueprint": story.blueprint.model_copy(update={"chapters": chapters})}
    )


def test_the_cli_and_the_studio_engine_editing_one_story_converge(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "alice.json").write_text(json.dumps(alice()), "utf-8")
    assert story_gen("sync", folder).exit_code == 0
    path = folder / "alice.story.json"
    story_id = uuid.UUID(read(path)["story_id"])
    keys = [chapter["key"] for chapter in read(path)["blueprint"]["chapters"]]
    studio = SyncEngine()
    with story_gen.client() as api:
        _studio_round(studio, api)
        assert story_id in studio.stories()
        for round_ in range(3):
            # Different fields on both sides, then the same field.
            document = read(path)
            document["blueprint"]["chapters"][0]["objective"] = f"CLI objective {round_}"
            document["blueprint"]["premise"] = f"Premise from the CLI, round {round_}."
            path.write_text(json.dumps(document), "utf-8")
            story = studio.stories()[story_id]
            story = _with_chapter(story, keys[1], objective=f"Studio objective {round_}")
            studio.edit(story.model_copy(update={"title": f"Alice ({round_})"}))
            _studio_round(studio, api)
            assert story_gen("sync", folder).exit_code == 0
            _studio_round(studio, api)
            assert not studio.state.whole  # the patches gave the server's document
        document = read(path)
        document["blueprint"]["chapters"][2]["objective"] = "the CLI's value"
        path.write_text(json.dumps(document), "utf-8")
        studio.edit(_with_chapter(studio.stories()[story_id], keys[2], objective="the studio's"))
        _studio_round(studio, api)
        assert story_gen("sync", folder).exit_code == 1  # the conflict is reported
        _studio_round(studio, api)
        server = api.get_story(story_id).to_story()
    on_disk = read(path)
    assert to_canonical_json(studio.stories()[story_id]) == to_canonical_json(server)
    assert on_disk["revision"] == studio.state.stories[story_id].revision
    assert on_disk["blueprint"] == json.loads(to_canonical_json(server.blueprint))
    assert on_disk["title"] == server.title == "Alice (2)"
    chapters = {chapter.key: chapter for chapter in server.blueprint.chapters}
    assert chapters[keys[0]].objective == "CLI objective 2"
    assert chapters[keys[1]].objective == "Studio objective 2"
    assert server.blueprint.premise == "Premise from the CLI, round 2."
    [conflict] = server.conflicts
    assert conflict.path == f"chapters[{keys[2]}].objective"
    assert {conflict.ours, conflict.theirs} == {"the CLI's value", "the studio's"}
    saved = read(folder / ".story-gen" / "state.json")["state"]
    state = SyncState.model_validate(saved)
    assert state.stories[story_id].revision == on_disk["revision"]
    assert not state.whole  # the CLI's pulls came as patches and verified
