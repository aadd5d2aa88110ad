"""A folder of stories kept in step with an account: what ``story-gen pull/push/sync DIR`` do.

The folder holds ``<slug>.story.json`` files (see :mod:`story_gen.cli._story_file`); plain
blueprint ``.json`` files dropped in become new stories. ``DIR/.story-gen/state.json`` is the
sync engine's state (the server's copy of each story, the cursor, the change in flight): it
belongs to this copy of the folder, so keep it out of git (``.story-gen/`` in ``.gitignore``).
Without it (a fresh clone) each file's base is fetched from the server by its revision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from pydantic import BaseModel, ConfigDict, ValidationError

from story_gen.cli._io import InputError, parse_file_json, read_text, write_atomic
from story_gen.cli._report import echo_diagnostics
from story_gen.cli._story_file import SUFFIX, StoryFile, is_story_file, render, slug, to_story
from story_gen.client import StoryApiClient, SyncEngine, SyncReport, SyncState
from story_gen.core import Story, inspect_document, merge

__all__ = ["Folder", "FolderProblem"]

STATE = Path(".story-gen") / "state.json"
CONFLICTS_SUFFIX = ".conflicts.json"


class SavedState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api: str
    email: str
    state: SyncState


class FolderProblem(click.ClickException):
    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"story-gen: {self.message}", err=True)


@dataclass
class Folder:
    root: Path
    api: str
    email: str
    engine: SyncEngine = field(init=False)
    paths: dict[uuid.UUID, Path] = field(default_factory=dict)
    unreadable: int = 0

    def __post_init__(self) -> None:
        if not self.root.is_dir():
            raise FolderProblem(f"{self.root}: not a folder; create it or give another path")
        state = SyncState()
        path = self.root / STATE
        if path.exists():
            try:
                saved = SavedState.model_validate_json(path.read_bytes())
            except (OSError, ValidationError) as error:
                raise FolderProblem(
                    f"{path}: cannot be read ({type(error).__name__}); delete it and sync "
                    "again (each file's base is then fetched from the server)"
                ) from None
            if (saved.api, saved.email) == (self.api, self.email):
                state = saved.state
            else:
                # Another account or server: its state says nothing about this one's stories.
                click.echo(
                    f"{self.root}: last synced with {saved.email} on {saved.api}; starting "
                    f"afresh for {self.email} on {self.api}",
                    err=True,
                )
        self.engine = SyncEngine(state)

    # -- files -> engine
    def scan(self, client: StoryApiClient) -> None:
        """Tell the engine what the files say now (edits, new stories, deleted files)."""
        seen: set[uuid.UUID] = set()
        for path in sorted(self.root.glob("*.json")):
            if path.name.startswith(".") or path.name.endswith(CONFLICTS_SUFFIX):
                continue  # hidden files, and the conflict sidecars `story-gen merge` writes
            try:
                raw = parse_file_json(path, read_text(path))
            except InputError as error:
                error.show()
                self.unreadable += 1
                continue
            if is_story_file(raw):
                story_id = self._story_file(client, path, raw)
            else:
                story_id = self._new_blueprint(path, raw)
            if story_id is not None:
                seen.add(story_id)
        for story_id in set(self.engine.stories()) - seen:
            # The file was deleted: to the bin on the server (restorable there); a story
            # never pushed is just forgotten.
            if self.engine.state.stories[story_id].revision > 0:
                self.engine.delete(story_id)
            else:
                del self.engine.state.stories[story_id]

    def _story_file(self, client: StoryApiClient, path: Path, raw: object) -> uuid.UUID | None:
        try:
            file = StoryFile.model_validate(raw)
        except ValidationError as error:
            click.echo(f"story-gen: {path}: not a story file: {error.errors()[0]['msg']}", err=True)
            self.unreadable += 1
            return None
        self.paths[file.story_id] = path
        tracked = self.engine.state.stories.get(file.story_id)
        if file.revision == 0 or (tracked is not None and tracked.revision == file.revision):
            like = tracked.shadow if tracked is not None else None
            self.engine.edit(to_story(file, like))
            return file.story_id
        # The file is based on a revision this copy does not hold (a fresh clone, or git
        # brought another clone's file): fetch that revision and rebase the file's edits.
        base = client.revision(file.story_id, file.revision).to_story()
        edited = to_story(file, base)
        if tracked is None or tracked.shadow is None or file.revision > tracked.revision:
            # Newer than what this copy saw: that revision is the server's copy now.
            self.engine.adopt(base, file.revision)
            self.engine.edit(edited)
        else:
            # Older (a merge of two clones' files): keep what the server did since.
            self.engine.edit(merge(base, tracked.shadow, edited).merged)
        return file.story_id

    def _new_blueprint(self, path: Path, raw: object) -> uuid.UUID | None:
        """A plain blueprint (or a Story envelope, say exported from the studio): a new story
        with a new id, titled after the file (or the envelope's title)."""
        inspection = inspect_document(raw)
        # Work in progress syncs (a dangling reference is an unfinished plan, as in the
        # studio); only a file no model can hold is refused.
        if inspection.value is None:
            echo_diagnostics(path, inspection.errors, err=True)
            click.echo(f"story-gen: {path}: not pushed: fix the errors above", err=True)
            self.unreadable += 1
            return None
        found = inspection.value
        if isinstance(found, Story):
            title, blueprint = found.title, found.blueprint
        else:
            title = path.stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
            blueprint = found
        story = Story.new(
            story_id=uuid.uuid4(), title=title, blueprint=blueprint, now=datetime.now(UTC)
        )
        # The file becomes a story file first (revision 0), so a crash before the push
        # cannot make the same blueprint into two stories.
        target = self._free_path(slug(title))
        write_atomic(target, render(story, 0))
        path.unlink()
        self.paths[story.story_id] = target
        self.engine.edit(story)
        click.echo(f"{path.name}: a new story, now {target.name}")
        return story.story_id

    def _free_path(self, name: str) -> Path:
        candidate = self.root / f"{name}{SUFFIX}"
        number = 2
        while candidate.exists():
            candidate = self.root / f"{name}-{number}{SUFFIX}"
            number += 1
        return candidate

    # -- engine -> files
    def write(self, report: SyncReport) -> None:
        stories = self.engine.stories()
        for story_id, story in stories.items():
            path = self.paths.get(story_id) or self._free_path(slug(story.title))
            self.paths[story_id] = path
            text = render(story, self.engine.state.stories[story_id].revision)
            if not path.exists() or path.read_text("utf-8") != text:
                write_atomic(path, text)
        for story_id in report.removed:
            gone = self.paths.pop(story_id, None)
            if gone is not None and gone.exists():
                gone.unlink()
                click.echo(f"{gone.name}: deleted on the server, removed here")
        self.save()

    def save(self) -> None:
        path = self.root / STATE
        path.parent.mkdir(exist_ok=True)
        saved = SavedState(api=self.api, email=self.email, state=self.engine.state)
        write_atomic(path, saved.model_dump_json() + "\n")

    def conflicted(self) -> dict[uuid.UUID, Story]:
        return {sid: s for sid, s in self.engine.stories().items() if s.conflicts}
