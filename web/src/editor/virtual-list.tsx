/**
 * A long list that renders only the rows in view plus a margin, and the pinned rows wherever
 * they are (the row holding focus and its neighbours, the row a jump is sending the writer to).
 * Which rows: virtual-window.ts; here: measuring rows, reading the scroll position, and spacers
 * that keep every row at its place (docs/adr/0126-virtualised-chapter-list.md).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type ReactNode } from "react";
import { layout, renderedRows, sameWindow, visibleWindow, type Window as RowWindow } from "./virtual-window";

/** Pixels rendered beyond the viewport on each side (Tab and a short scroll find rows ready). */
const MARGIN = 800;

/** The nearest ancestor that scrolls vertically (the page itself when none does). */
function scrollerOf(el: HTMLElement): HTMLElement | null {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if (overflow === "auto" || overflow === "scroll") return node;
  }
  return null;
}

export function VirtualList(props: {
  /** Row identities, in order (heights are kept per key). */
  keys: readonly string[];
  /** A row's height (with its gap) until it was measured. */
  estimate: number;
  /** Keys rendered wherever they are (a jump's target). */
  pinned: readonly string[];
  renderRow(index: number): ReactNode;
}): ReactNode {
  const { keys, estimate } = props;
  const list = useRef<HTMLDivElement>(null);
  const measured = useRef(new Map<string, number>());
  const [measuredVersion, setMeasuredVersion] = useState(0);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const [view, setView] = useState<{ top: number; height: number }>({ top: 0, height: 1000 });

  // measuredVersion: the map of heights changed (a ref, so the version stands for it).
  const rows = useMemo(() => (measuredVersion >= 0 ? layout(keys, measured.current, estimate) : layout([], measured.current, estimate)), [keys, estimate, measuredVersion]);
  const indexOf = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);

  const pinnedRows = useMemo(() => {
    const at: number[] = [];
    for (const key of props.pinned) {
      const i = indexOf.get(key);
      if (i !== undefined) at.push(i);
    }
    const focused = focusedKey === null ? undefined : indexOf.get(focusedKey);
    // The focused row and its neighbours: Tab and Shift+Tab move into a rendered card.
    if (focused !== undefined) at.push(focused - 1, focused, focused + 1);
    return at;
  }, [props.pinned, focusedKey, indexOf]);

  const previous = useRef<RowWindow | null>(null);
  const win = useMemo(() => {
    const next = visibleWindow(rows, view.top, view.height, MARGIN, pinnedRows);
    // Same rows as before: keep the old window so the rows' props stay the same.
    if (previous.current && sameWindow(previous.current, next)) return previous.current;
    return next;
  }, [rows, view, pinnedRows]);
  previous.current = win;

  // Where the viewport is, in the list's own coordinates.
  const readView = useCallback(() => {
    const el = list.current;
    if (!el) return;
    const scroller = scrollerOf(el);
    const viewTop = scroller ? scroller.getBoundingClientRect().top : 0;
    const height = scroller ? scroller.clientHeight : window.innerHeight;
    const top = viewTop - el.getBoundingClientRect().top;
    setView((v) => (Math.abs(v.top - top) < 1 && v.height === height ? v : { top, height }));
  }, []);

  useLayoutEffect(() => {
    readView();
    const el = list.current;
    if (!el) return;
    const scroller: HTMLElement | typeof window = scrollerOf(el) ?? window;
    let frame = 0;
    const onScroll = (): void => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        readView();
      });
    };
    scroller.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    return () => {
      cancelAnimationFrame(frame);
      scroller.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [readView]);

  // Rows report their height; a change re-places the rows below (once per frame).
  const observer = useMemo(() => {
    if (typeof ResizeObserver === "undefined") return null;
    let frame = 0;
    return new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const key = (entry.target as HTMLElement).dataset.vkey;
        const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
        if (key === undefined || height === 0) continue;
        if (measured.current.get(key) !== height) {
          measured.current.set(key, height);
          changed = true;
        }
      }
      if (changed && !frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          setMeasuredVersion((n) => n + 1);
        });
      }
    });
  }, []);
  useEffect(() => () => observer?.disconnect(), [observer]);

  const rowRef = useCallback(
    (el: HTMLDivElement | null) => {
      if (el) observer?.observe(el);
    },
    [observer],
  );
  // A row that goes away stops being observed (React calls the ref with null without the node).
  useEffect(() => {
    const el = list.current;
    if (!el || !observer) return;
    const watching = new Set(el.querySelectorAll<HTMLElement>(":scope > [data-vkey]"));
    return () => {
      for (const row of watching) if (!row.isConnected) observer.unobserve(row);
    };
  });

  const onFocus = (e: FocusEvent<HTMLDivElement>): void => {
    const row = (e.target as HTMLElement).closest<HTMLElement>("[data-vkey]");
    const key = row?.dataset.vkey;
    if (key !== undefined && key !== focusedKey) setFocusedKey(key);
  };

  const children: ReactNode[] = [];
  let bottom = 0;
  for (const i of renderedRows(win)) {
    const top = rows.tops[i]!;
    if (top > bottom) children.push(<div key={`gap-${i}`} className="virtual-gap" style={{ height: top - bottom }} aria-hidden="true" />);
    const key = keys[i]!;
    children.push(
      <div key={key} ref={rowRef} className="virtual-row" data-vkey={key}>
        {props.renderRow(i)}
      </div>,
    );
    bottom = rows.tops[i + 1]!;
  }
  const total = rows.tops[keys.length]!;
  if (total > bottom) children.push(<div key="gap-end" className="virtual-gap" style={{ height: total - bottom }} aria-hidden="true" />);

  return (
    <div ref={list} className="virtual-list" data-testid="virtual-list" data-rows={keys.length} onFocus={onFocus}>
      {children}
    </div>
  );
}
