/** The studio shell: top bar, navigation, the current screen, toasts and global shortcuts. */
import { useEffect, useState, type ReactNode } from "react";
import { hasPendingDrafts, isTypingInField } from "../editor/draft";
import { StoryScreen } from "../editor/StoryScreen";
import { HelpScreen } from "../help/HelpScreen";
import { ShortcutTable } from "../help/ShortcutTable";
import { Library } from "../library/Library";
import { KeyboardIcon, MenuIcon, MoonIcon, SunIcon } from "../ui/icons";
import { BootStatus } from "./BootStatus";
import type { StudioController } from "../model/controller";
import { ScreenRequestsContext } from "../model/screen-requests";
import { Palette } from "./Palette";
import { SyncPanel } from "../sync/SyncPanel";
import { href, navigate, useRoute } from "./route";
import { actionFor } from "./shortcuts";
import { useObservable } from "../model/store";
import { currentTheme, setTheme, type Theme } from "./theme";
import { Dialog } from "../ui/Dialog";
import { Toasts } from "./Toasts";

export function App({ controller }: { controller: StudioController }): ReactNode {
  const route = useRoute();
  const boot = useObservable(controller.boot);
  const library = useObservable(controller.library);
  const open = useObservable(controller.open);
  const lastOpened = useObservable(controller.lastOpened);
  const [theme, setThemeState] = useState<Theme>(currentTheme);
  const [navOpen, setNavOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const [palette, setPalette] = useState(false);

  const toggleTheme = (): void => {
    const next = theme === "dark" ? "light" : "dark";
    setTheme(next);
    setThemeState(next);
  };

  // First visit of the session: open the last story the writer had open (from IndexedDB).
  useEffect(() => {
    if (route.screen === "library" && lastOpened && !location.hash && sessionStorage.getItem("story-gen.autoopened") !== "1") {
      sessionStorage.setItem("story-gen.autoopened", "1");
      navigate({ screen: "editor", storyId: lastOpened });
    }
  }, [lastOpened, route.screen]);

  useEffect(() => setNavOpen(false), [route]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const action = actionFor(event);
      if (!action) return;
      switch (action) {
        case "undo":
        case "redo": {
          // In a field the writer has typed in since focusing it, Ctrl+Z is the field's own
          // undo (what it undoes is sent like any typing); elsewhere it is the story's.
          if (isTypingInField() && event.target instanceof HTMLElement && /^(INPUT|TEXTAREA)$/.test(event.target.tagName)) return;
          if (route.screen === "library" || route.screen === "help") return;
          event.preventDefault();
          void controller.history(action);
          return;
        }
        case "search":
          event.preventDefault();
          setPalette(true);
          return;
        case "flush":
          event.preventDefault();
          controller.requests.flushDrafts();
          void controller.saveNow();
          return;
        case "new-chapter":
          if (route.screen === "editor") {
            event.preventDefault();
            controller.requests.requestNewChapter();
          }
          return;
        case "help":
          event.preventDefault();
          setHelp(true);
          return;
        case "library":
          navigate({ screen: "library" });
          return;
        case "theme":
          toggleTheme();
          return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // Leaving with typed text or an unsaved edit: commit what we can and ask the browser to warn.
  useEffect(() => {
    const onLeave = (event: BeforeUnloadEvent): void => {
      controller.requests.flushDrafts();
      if (controller.hasPendingWork || hasPendingDrafts()) event.preventDefault();
    };
    const onHide = (): void => {
      if (document.visibilityState === "hidden") controller.requests.flushDrafts();
    };
    window.addEventListener("beforeunload", onLeave);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      window.removeEventListener("beforeunload", onLeave);
      document.removeEventListener("visibilitychange", onHide);
    };
  }, [controller]);

  const storyId = route.screen === "library" || route.screen === "help" ? null : route.storyId;
  const recent = library.summaries.filter((s) => s.deleted_at_utc === null).slice(0, 8);
  const blueprint = open && open.storyId === storyId ? open.story?.blueprint : undefined;

  return (
    <ScreenRequestsContext.Provider value={controller.requests}>
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="btn ghost icon menu-toggle" aria-label="Navigation" aria-expanded={navOpen} aria-controls="nav" onClick={() => setNavOpen((o) => !o)}>
          <MenuIcon />
        </button>
        <a className="brand" href={href({ screen: "library" })} style={{ color: "inherit", textDecoration: "none" }}>
          <img src="icons/icon.svg" alt="" width={26} height={26} />
          <span>
            story_gen <span className="sub">studio</span>
          </span>
        </a>
        <span className="spacer" />
        <BootStatus boot={boot} onRetry={() => controller.retryBoot()} />
        <SyncPanel host={controller} origin={window.location.origin} />
        <button type="button" className="btn ghost icon" aria-label="Search (Ctrl+K)" onClick={() => setPalette(true)}>
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
            <circle cx="11" cy="11" r="7" />
            <path d="m20 20-3.5-3.5" />
          </svg>
        </button>
        <button type="button" className="btn ghost icon" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>
          <KeyboardIcon />
        </button>
        <button
          type="button"
          className="btn ghost icon"
          aria-label={theme === "dark" ? "Switch to the light theme" : "Switch to the dark theme"}
          aria-pressed={theme === "light"}
          data-testid="theme-toggle"
          onClick={toggleTheme}
        >
          {theme === "dark" ? <SunIcon /> : <MoonIcon />}
        </button>
      </header>

      <nav className="nav" id="nav" aria-label="Studio" data-open={navOpen}>
        <a href={href({ screen: "library" })} aria-current={route.screen === "library" ? "page" : undefined}>
          Library <span className="count">{library.summaries.filter((s) => s.deleted_at_utc === null).length}</span>
        </a>
        {storyId && blueprint ? (
          <>
            <h2>This story</h2>
            {(
              [
                ["premise", "Premise", null],
                ["canon", "Canon rules", blueprint.canon_rules.length],
                ["themes", "Themes", blueprint.themes.length],
                ["characters", "Characters", blueprint.characters.length],
                ["chapters", "Chapters", blueprint.chapters.length],
              ] as const
            ).map(([id, label, count]) => (
              <button
                key={id}
                type="button"
                className="nav-item"
                onClick={() => {
                  if (route.screen !== "editor") navigate({ screen: "editor", storyId });
                  setNavOpen(false);
                  requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView({ behavior: "smooth", block: "start" }));
                }}
              >
                {label} {count === null ? null : <span className="count">{count}</span>}
              </button>
            ))}
            <a href={href({ screen: "plan", storyId, view: "graph" })} aria-current={route.screen === "plan" ? "page" : undefined}>
              Plan
            </a>
          </>
        ) : null}
        <a href={href({ screen: "help" })} aria-current={route.screen === "help" ? "page" : undefined}>
          Help
        </a>
        <h2>Recent</h2>
        {recent.map((s) => (
          <a key={s.story_id} href={href({ screen: "editor", storyId: s.story_id })} aria-current={s.story_id === storyId ? "true" : undefined}>
            <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{s.title}</span>
          </a>
        ))}
      </nav>

      <main className="main" id="main" tabIndex={-1}>
        {route.screen === "library" ? (
          <Library controller={controller} />
        ) : route.screen === "help" ? (
          <HelpScreen />
        ) : (
          <StoryScreen key={route.storyId} controller={controller} route={route} />
        )}
      </main>

      <Toasts controller={controller} />
      {help ? (
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)} testId="shortcuts-dialog">
          <ShortcutTable />
          <p className="muted">
            On a Mac, use Cmd instead of Ctrl.{" "}
            <a href={href({ screen: "help" })} onClick={() => setHelp(false)}>
              More help
            </a>
          </p>
        </Dialog>
      ) : null}
      {palette ? (
        <Palette
          controller={controller}
          onClose={() => setPalette(false)}
          onSearchLibrary={() => {
            navigate({ screen: "library" });
            requestAnimationFrame(() => controller.requests.focusSearch());
          }}
        />
      ) : null}
    </div>
    </ScreenRequestsContext.Provider>
  );
}
