/**
 * The in-app help: what a blueprint is, what each screen shows, the shortcuts. It is part of the
 * bundle, so it reads the same offline; docs/writers-guide.md is the longer, illustrated version.
 */
import type { ReactNode } from "react";
import { href } from "../shell/route";
import { ShortcutTable } from "./ShortcutTable";

export function HelpScreen(): ReactNode {
  return (
    <div className="page help" data-testid="help">
      <div className="page-head">
        <div>
          <h1>Help</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            How the studio works, in two minutes. This page works offline too.
          </p>
        </div>
        <div className="actions">
          <a className="btn" href={href({ screen: "library" })}>
            Back to the library
          </a>
        </div>
      </div>

      <section aria-labelledby="help-blueprint">
        <h2 id="help-blueprint">A story is planned as a blueprint</h2>
        <dl className="help-terms">
          <dt>Premise</dt>
          <dd>The story in a few sentences.</dd>
          <dt>Canon rules</dt>
          <dd>Facts of the story's world that must never be broken, one per line.</dd>
          <dt>Themes</dt>
          <dd>What the story says about something, each with a name and a short key chapters use to point at it.</dd>
          <dt>Characters</dt>
          <dd>Who takes part: their name, role, motivation, how they speak, and how they relate to each other.</dd>
          <dt>Chapters</dt>
          <dd>
            What each chapter must achieve (its objective), the themes it must carry, the characters in it, the chapters
            that must come before it, and its draft when you write it. A status (idea, outlined, drafted, revised, done)
            and a word target show how far each chapter and the whole manuscript have come.
          </dd>
        </dl>
        <p>
          A <strong>key</strong> (such as <code>growing-up</code>) is how one part of the plan points at another. Use{" "}
          <strong>Rename key…</strong> to change one: every place that uses it changes with it.
        </p>
      </section>

      <section aria-labelledby="help-screens">
        <h2 id="help-screens">What each screen shows</h2>
        <dl className="help-terms">
          <dt>Library</dt>
          <dd>
            Your stories, newest first. Start a new one, import a file or a whole backup, download everything as one
            archive, and bring back deleted stories from the Trash (kept 30 days).
          </dd>
          <dt>Story</dt>
          <dd>
            One page with the premise, canon rules, themes, characters and chapters. Everything is saved as you type:
            the mark under the title says <em>Saving…</em>, then <em>Saved</em>. Drag the handle (⠿) beside a chapter,
            character, theme or canon rule to reorder; with the keyboard, <kbd>Space</kbd> picks it up, the arrow keys
            move it, <kbd>Space</kbd> drops it and <kbd>Esc</kbd> puts it back.
          </dd>
          <dt>Problems</dt>
          <dd>
            The plan checked while you type. <strong>Errors</strong> break the plan (a chapter that needs a theme that
            does not exist, chapters that wait for each other in a circle); <strong>warnings</strong> are likely mistakes
            (a character in no chapter); <strong>notes</strong> are reminders (a chapter with no draft yet). Pick a
            problem to go to its field; where the fix is clear (a mistyped key, a missing theme to create, a circle
            to break), one click applies it.
          </dd>
          <dt>Plan</dt>
          <dd>
            <strong>Writing order</strong>: an order in which every chapter comes after what it needs.{" "}
            <strong>Chapter graph</strong>: what needs what, at a glance. <strong>Theme coverage</strong> and{" "}
            <strong>Character coverage</strong>: which chapter carries which theme, who appears where, and the gaps.
          </dd>
        </dl>
      </section>

      <section aria-labelledby="help-keep">
        <h2 id="help-keep">Where your stories are kept</h2>
        <p>
          In this browser, on this device, and nowhere else: the studio needs no account and works with the network off
          after the first visit. Clearing this site's data in the browser deletes them, so keep a copy: <strong>Export
          JSON</strong> for one story, <strong>Download all (.zip)</strong> in the library for every story. Both import
          back whole.
        </p>
      </section>

      <section aria-labelledby="help-keys">
        <h2 id="help-keys">Keyboard shortcuts</h2>
        <ShortcutTable />
        <p className="muted">On a Mac, use Cmd instead of Ctrl.</p>
      </section>
    </div>
  );
}
