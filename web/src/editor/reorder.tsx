/**
 * Reorder a list by drag and drop, with the mouse or with the keyboard.
 *
 * Each item gets a drag handle that is a real button: the mouse drags it (native HTML5 drag and
 * drop, no library: see docs/adr/0098-reorder-without-a-library.md); the keyboard picks the item
 * up with Space or Enter, moves it with the arrow keys (Home/End: first/last), drops it with
 * Space or Enter and cancels with Escape. Every step is announced in a live region ("Picked up
 * chapter 'The Storm', position 3 of 24"). While an item is lifted only a drop line shows
 * where it would land: nothing is sent until the drop, which is one move (one undo step).
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from "react";

interface Lift {
  readonly from: number;
  readonly to: number;
  readonly by: "mouse" | "keyboard";
}

interface ReorderContext {
  readonly lift: Lift | null;
  /** The lift as of now (a drag's events can come before the render that shows it). */
  now(): Lift | null;
  readonly readOnly: boolean;
  readonly hintId: string;
  labelOf(index: number): string;
  pick(index: number, by: Lift["by"]): void;
  hover(to: number): void;
  drop(): void;
  cancel(): void;
  /** The item to focus once it shows at `at` (a keyboard drop moved it there). */
  readonly refocus: { current: { id: string; at: number } | null };
  readonly count: number;
}

const Context = createContext<ReorderContext | null>(null);

/** "chapter 'The Storm'": how announcements name an item. */
export function named(noun: string, name: string): string {
  const short = name.length > 60 ? `${name.slice(0, 57)}…` : name;
  return `${noun} '${short}'`;
}

/**
 * One reorderable list. `nameOf(i)`: how the announcements name item i (see `named`);
 * `onMove(from, to)`: the one edit a drop makes (`to`: the item's index after the move).
 */
export function ReorderList(props: {
  count: number;
  readOnly: boolean;
  nameOf(index: number): string;
  onMove(from: number, to: number): void;
  testId?: string;
  children: ReactNode;
}): ReactNode {
  const [lift, setLift] = useState<Lift | null>(null);
  const [message, setMessage] = useState("");
  const current = useRef<Lift | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const refocus = useRef<{ id: string; at: number } | null>(null);
  const hintId = useId();

  const update = useCallback((next: Lift | null, later = false) => {
    current.current = next;
    // A mouse lift is shown after dragstart returns: changing the dragged row's look inside the
    // dragstart handler can end the drag at once.
    if (later) setTimeout(() => setLift(current.current), 0);
    else setLift(next);
  }, []);
  const position = (i: number): string => `position ${i + 1} of ${latest.current.count}`;
  const pick = useCallback(
    (index: number, by: Lift["by"]) => {
      update({ from: index, to: index, by }, by === "mouse");
      setMessage(
        `Picked up ${latest.current.nameOf(index)}, ${position(index)}.` +
          (by === "keyboard" ? " Use the arrow keys to move it, Space or Enter to drop it, Escape to cancel." : ""),
      );
    },
    [update],
  );
  const hover = useCallback(
    (to: number) => {
      const lifted = current.current;
      const clamped = Math.max(0, Math.min(latest.current.count - 1, to));
      if (!lifted || lifted.to === clamped) return;
      update({ ...lifted, to: clamped });
      setMessage(`${latest.current.nameOf(lifted.from)}: ${position(clamped)}.`);
    },
    [update],
  );
  const drop = useCallback(() => {
    const lifted = current.current;
    if (!lifted) return;
    update(null);
    const name = latest.current.nameOf(lifted.from);
    if (lifted.to === lifted.from) {
      setMessage(`Dropped ${name}; it stays at ${position(lifted.from)}.`);
      return;
    }
    setMessage(`Dropped ${name} at ${position(lifted.to)}.`);
    latest.current.onMove(lifted.from, lifted.to);
  }, [update]);
  const cancel = useCallback(() => {
    const lifted = current.current;
    if (!lifted) return;
    update(null);
    setMessage(`Cancelled: ${latest.current.nameOf(lifted.from)} is back at ${position(lifted.from)}.`);
  }, [update]);

  const value = useMemo<ReorderContext>(
    () => ({ lift, now: () => current.current, readOnly: props.readOnly, hintId, labelOf: (i) => latest.current.nameOf(i), pick, hover, drop, cancel, refocus, count: props.count }),
    [lift, props.readOnly, props.count, hintId, pick, hover, drop, cancel],
  );
  return (
    <Context.Provider value={value}>
      {props.children}
      <span id={hintId} className="visually-hidden">
        Space or Enter picks it up; then the arrow keys move it, Space or Enter drops it, Escape cancels.
      </span>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid={props.testId ?? "reorder-announcement"}>
        {message}
      </div>
    </Context.Provider>
  );
}

/** The drop line an item shows while another is lifted over its place. */
function dropClass(lift: Lift | null, index: number): string {
  if (!lift || lift.to !== index || lift.to === lift.from) return "";
  return lift.to < lift.from ? " drop-before" : " drop-after";
}

/**
 * One item of a ReorderList: its handle and its content. `id` names the item across a move
 * (the entity's key; a position for lists kept by position).
 */
export function ReorderItem(props: { index: number; id: string; children: ReactNode }): ReactNode {
  const list = useContext(Context);
  if (!list) throw new Error("ReorderItem outside a ReorderList");
  const { index } = props;
  const handle = useRef<HTMLButtonElement>(null);
  const row = useRef<HTMLDivElement>(null);
  const lifted = list.lift?.from === index;

  // A keyboard drop moved this item: keep the focus on its handle at its new place.
  useEffect(() => {
    const want = list.refocus.current;
    if (want && want.id === props.id && want.at === index) {
      list.refocus.current = null;
      handle.current?.focus();
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>): void => {
    const lift = list.now();
    const mine = lift?.from === index && lift.by === "keyboard";
    if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      if (!mine) {
        list.pick(index, "keyboard");
        return;
      }
      if (lift.to !== lift.from) list.refocus.current = { id: idAfterMove(props.id, lift.to), at: lift.to };
      list.drop();
      return;
    }
    if (!mine) return;
    const to = { ArrowUp: lift.to - 1, ArrowLeft: lift.to - 1, ArrowDown: lift.to + 1, ArrowRight: lift.to + 1, Home: 0, End: list.count - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      list.hover(to);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      list.cancel();
    } else if (e.key === "Tab") {
      list.cancel();
    }
  };

  const onDragStart = (e: DragEvent<HTMLButtonElement>): void => {
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", list.labelOf(index));
    if (row.current) e.dataTransfer.setDragImage(row.current, 16, 16);
    list.pick(index, "mouse");
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>): void => {
    const lift = list.now();
    if (!lift || lift.by !== "mouse") return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const box = e.currentTarget.getBoundingClientRect();
    const slot = e.clientY < box.top + box.height / 2 ? index : index + 1;
    list.hover(slot > lift.from ? slot - 1 : slot);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    if (list.now()?.by !== "mouse") return;
    e.preventDefault();
    list.drop();
  };

  return (
    <div ref={row} className={`reorder-item${lifted ? " lifted" : ""}${dropClass(list.lift, index)}`} onDragOver={onDragOver} onDrop={onDrop}>
      {list.readOnly ? null : (
        <button
          ref={handle}
          type="button"
          className="drag-handle"
          draggable
          aria-label={`Reorder ${list.labelOf(index)}`}
          aria-describedby={list.hintId}
          aria-pressed={lifted}
          data-testid="drag-handle"
          onKeyDown={onKeyDown}
          onClick={(e) => e.preventDefault()}
          onBlur={() => {
            if (list.now()?.by === "keyboard" && list.now()?.from === index) list.cancel();
          }}
          onDragStart={onDragStart}
          onDragEnd={() => list.cancel()}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      )}
      <div className="reorder-body">{props.children}</div>
    </div>
  );
}

/**
 * The id the moved item has at its new place: its own for keyed lists, where ids travel with the
 * item; a list kept by position (ids "0", "1", …) names places, so the new place's id.
 */
function idAfterMove(id: string, to: number): string {
  return /^\d+$/.test(id) ? String(to) : id;
}
