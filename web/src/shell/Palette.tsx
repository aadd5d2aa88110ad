/**
 * Ctrl+K: one search box over the library's stories and the open story's chapters, characters
 * and themes, then every text of every story (the service's library.search: premise, canon,
 * objectives, drafts, ...), each shown where it matched. Arrow keys move, Enter opens (a part
 * opens in the editor with its field focused).
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from "react";
import type { SearchHit } from "../service/types";
import { Dialog } from "../ui/Dialog";
import type { StudioController } from "../model/controller";
import { navigate } from "./route";
import { useObservable } from "../model/store";

interface Result {
  readonly id: string;
  readonly label: ReactNode;
  readonly kind: string;
  go(): void;
}

const LIMIT = 40;
/** Texts are searched from this many characters on, this long after the last keystroke. */
const TEXT_SEARCH_MIN = 2;
const TEXT_SEARCH_DELAY_MS = 150;

function excerpt(hit: SearchHit): ReactNode {
  const { excerpt: text, match_start: at, match_length: n } = hit;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + n)}</mark>
      {text.slice(at + n)}
    </>
  );
}

export function Palette({ controller, onClose, onSearchLibrary }: { controller: StudioController; onClose(): void; onSearchLibrary(): void }): ReactNode {
  const library = useObservable(controller.library);
  const open = useObservable(controller.open);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const inputId = useId();
  const listId = useId();
  const [hits, setHits] = useState<{ query: string; hits: readonly SearchHit[]; truncated: boolean } | null>(null);

  // Every text of every story, asked of the service a moment after the typing stops.
  useEffect(() => {
    const needle = query.trim();
    if (needle.length < TEXT_SEARCH_MIN || controller.boot.get().phase !== "ready") {
      setHits(null);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      controller
        .call("library.search", { query: needle })
        .then((r) => {
          if (live) setHits({ query: needle, hits: r.hits, truncated: r.truncated });
        })
        .catch(() => undefined);
    }, TEXT_SEARCH_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [controller, query]);

  const results = useMemo<Result[]>(() => {
    const needle = query.trim().toLocaleLowerCase();
    const match = (...texts: string[]): boolean => !needle || texts.some((t) => t.toLocaleLowerCase().includes(needle));
    const out: Result[] = [];
    const bp = open?.story?.blueprint;
    if (open && bp) {
      const storyId = open.storyId;
      const part = (kind: string, collection: "chapters" | "characters" | "themes", i: number, key: string, text: string, field: string): void => {
        if (match(key, text)) {
          out.push({
            id: `${collection}:${key}`,
            label: text ? `${text} (${key})` : key,
            kind,
            go: () => {
              navigate({ screen: "editor", storyId });
              controller.requests.focusPath(`${collection}[${i}].${field}`);
            },
          });
        }
      };
      bp.chapters.forEach((c, i) => part("Chapter", "chapters", i, c.key, c.title, "title"));
      bp.characters.forEach((c, i) => part("Character", "characters", i, c.key, c.role, "role"));
      bp.themes.forEach((t, i) => part("Theme", "themes", i, t.key, t.statement, "statement"));
    }
    for (const s of library.summaries) {
      if (s.deleted_at_utc === null && match(s.title)) {
        out.push({ id: `story:${s.story_id}`, label: s.title, kind: "Story", go: () => navigate({ screen: "editor", storyId: s.story_id }) });
      }
    }
    const quick = out.slice(0, LIMIT);
    for (const hit of hits && hits.query === query.trim() ? hits.hits : []) {
      quick.push({
        id: `text:${hit.story_id}:${hit.path}`,
        label: excerpt(hit),
        kind: `${hit.where} · ${hit.story_title}`,
        go: () => {
          // Another story's editor is not mounted yet: it takes the path when it is.
          if (hit.story_id === open?.storyId) controller.requests.focusPath(hit.path);
          else controller.requests.focusPathOnOpen(hit.path);
          navigate({ screen: "editor", storyId: hit.story_id });
        },
      });
    }
    return quick;
  }, [query, library.summaries, open, hits]);

  const choose = (r: Result | undefined): void => {
    if (!r) return;
    onClose();
    r.go();
  };

  return (
    <Dialog title="Search" onClose={onClose} testId="palette">
      <label htmlFor={inputId} className="visually-hidden">
        Search stories, chapters, characters, themes and every text
      </label>
      <input
        id={inputId}
        className="input"
        type="search"
        autoFocus
        placeholder="Stories, chapters, characters, themes, any text…"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, results.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            choose(results[active]);
          }
        }}
      />
      <ul className="palette-results" id={listId} role="listbox" aria-label="Results">
        {results.map((r, i) => (
          <li key={r.id} role="option" id={`${listId}-${i}`} aria-selected={i === active} className="palette-option" data-testid={r.id.startsWith("text:") ? "search-hit" : undefined} onClick={() => choose(r)} onMouseEnter={() => setActive(i)}>
            <span className="palette-label">{r.label}</span>
            <span className="muted">{r.kind}</span>
          </li>
        ))}
        {hits?.truncated && hits.query === query.trim() ? <li className="muted" style={{ padding: 8 }}>More texts match; type more to narrow the search.</li> : null}
        {results.length === 0 ? <li className="muted" style={{ padding: 8 }}>Nothing matches “{query}”.</li> : null}
      </ul>
      <p className="muted" style={{ marginBottom: 0 }}>
        <button type="button" className="btn small ghost" onClick={() => { onClose(); onSearchLibrary(); }}>
          Filter the library list instead
        </button>
      </p>
    </Dialog>
  );
}
