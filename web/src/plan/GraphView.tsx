/**
 * The chapter dependency graph as SVG: layered by depth (layout.ts), pan by dragging, zoom with
 * the wheel or the buttons, and a chapter picked (click, or Enter on a focused node) lights up
 * everything it needs first and everything that needs it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import { LABEL_PADDING, LINE_HEIGHT, layoutGraph, reachable, spokenLines } from "./layout";
import { STATUS_LABEL } from "../editor/progress";
import type { PlanModel } from "./model";

interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MIN_W = 300;
/** "Fit" never shrinks the graph below this many screen pixels per graph unit (12px text stays
 * at least 9px): a graph that would need less is shown from its start and panned instead. */
export const MIN_FIT_SCALE = 0.75;

export function GraphView({ model }: { model: PlanModel }): ReactNode {
  const layout = useMemo(() => layoutGraph(model.graph), [model.graph]);
  const fit = useMemo<View>(() => ({ x: 0, y: 0, w: Math.max(layout.width, MIN_W), h: Math.max(layout.height, 200) }), [layout]);
  const [view, setView] = useState<View>(fit);
  const [selected, setSelected] = useState<string | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  // The whole graph when it can be shown readably; else as much as the minimum scale allows,
  // from the first layer, centred vertically (drag, scroll or Tab reach the rest).
  const fitReadably = useCallback((): void => {
    const rect = svg.current?.getBoundingClientRect();
    if (!rect || rect.width === 0 || rect.height === 0) {
      setView(fit);
      return;
    }
    const scale = Math.min(rect.width / fit.w, rect.height / fit.h);
    if (scale >= MIN_FIT_SCALE) {
      setView(fit);
      return;
    }
    const w = rect.width / MIN_FIT_SCALE;
    const h = rect.height / MIN_FIT_SCALE;
    setView({ x: 0, y: (fit.h - h) / 2, w, h });
  }, [fit]);

  // Start at 1:1 (readable at any size), from the first layer, centred vertically; a graph that
  // fits the box is shown whole. "Fit" zooms out to everything, down to MIN_FIT_SCALE.
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    if (width === 0 || height === 0 || (layout.width <= width && layout.height <= height)) {
      setView(fit);
      return;
    }
    setView({ x: 0, y: Math.max(0, layout.height / 2 - height / 2), w: width, h: height });
  }, [fit, layout]);
  const drag = useRef<{ id: number; x: number; y: number; view: View; moved: boolean } | null>(null);

  const prereqOf = useMemo(() => new Map(model.graph.map((n) => [n.key, n.prerequisites])), [model.graph]);
  const dependantsOf = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const n of model.graph) for (const p of n.prerequisites) (map.get(p) ?? map.set(p, []).get(p)!).push(n.key);
    return map;
  }, [model.graph]);
  const prereqs = useMemo(() => (selected ? reachable(selected, (k) => prereqOf.get(k) ?? []) : new Set<string>()), [selected, prereqOf]);
  const dependants = useMemo(() => (selected ? reachable(selected, (k) => dependantsOf.get(k) ?? []) : new Set<string>()), [selected, dependantsOf]);

  const zoom = useCallback(
    (factor: number, cx?: number, cy?: number) => {
      setView((v) => {
        const w = Math.min(Math.max(v.w * factor, MIN_W / 3), fit.w * 4);
        const h = (v.h * w) / v.w;
        const px = cx ?? v.x + v.w / 2;
        const py = cy ?? v.y + v.h / 2;
        return { x: px - ((px - v.x) * w) / v.w, y: py - ((py - v.y) * h) / v.h, w, h };
      });
    },
    [fit.w],
  );

  const toGraph = (clientX: number, clientY: number): [number, number] => {
    const rect = svg.current?.getBoundingClientRect();
    if (!rect) return [0, 0];
    const scale = Math.max(view.w / rect.width, view.h / rect.height);
    // preserveAspectRatio="xMidYMid meet": the viewBox is centred in the element.
    const offsetX = (rect.width - view.w / scale) / 2;
    const offsetY = (rect.height - view.h / scale) / 2;
    return [view.x + (clientX - rect.left - offsetX) * scale, view.y + (clientY - rect.top - offsetY) * scale];
  };

  // A native, non-passive listener: the wheel zooms the graph instead of scrolling the page.
  const toGraphRef = useRef(toGraph);
  toGraphRef.current = toGraph;
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const [gx, gy] = toGraphRef.current(e.clientX, e.clientY);
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, gx, gy);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [zoom, model.graph.length]);
  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>): void => {
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, view, moved: false };
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>): void => {
    const d = drag.current;
    const rect = svg.current?.getBoundingClientRect();
    if (!d || d.id !== e.pointerId || !rect) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) svg.current?.setPointerCapture(e.pointerId);
    d.moved = true;
    const scale = Math.max(d.view.w / rect.width, d.view.h / rect.height);
    setView({ ...d.view, x: d.view.x - dx * scale, y: d.view.y - dy * scale });
  };
  const onPointerUp = (e: ReactPointerEvent<SVGSVGElement>): void => {
    if (drag.current?.moved) svg.current?.releasePointerCapture(e.pointerId);
    drag.current = null;
  };
  const pick = (key: string): void => {
    if (drag.current?.moved) return;
    setSelected((s) => (s === key ? null : key));
  };

  // Keyboard focus on a node outside the view pans to it (Tab walks the whole graph).
  const reveal = (x: number, y: number): void => {
    setView((v) => {
      const inside = x >= v.x && x + layout.nodeWidth <= v.x + v.w && y >= v.y && y + layout.nodeHeight <= v.y + v.h;
      return inside ? v : { ...v, x: x + layout.nodeWidth / 2 - v.w / 2, y: y + layout.nodeHeight / 2 - v.h / 2 };
    });
  };

  const classFor = (key: string): string => {
    if (!selected) return "graph-node";
    if (key === selected) return "graph-node selected";
    if (prereqs.has(key)) return "graph-node prereq";
    if (dependants.has(key)) return "graph-node dependant";
    return "graph-node dim";
  };
  const edgeClass = (from: string, to: string): string => {
    if (!selected) return "graph-edge";
    if ((to === selected || prereqs.has(to)) && (prereqs.has(from) || from === selected)) return "graph-edge hot-prereq";
    if ((from === selected || dependants.has(from)) && dependants.has(to)) return "graph-edge hot-dependant";
    return "graph-edge dim";
  };

  return (
    <section data-testid="plan-graph" aria-labelledby="graph-h">
      <h2 id="graph-h" className="visually-hidden">
        Chapter dependency graph
      </h2>
      <p className="muted" style={{ marginTop: 0 }}>
        Columns are depths: a chapter sits right of everything it needs. Drag to pan, scroll to zoom, pick a chapter to trace it.
      </p>
      {model.graph.length === 0 ? (
        <p className="muted">No chapters yet.</p>
      ) : (
        <div className="graph-wrap">
          <svg
            ref={svg}
            role="group"
            aria-label={`Dependency graph of ${model.graph.length} chapters`}
            viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
            preserveAspectRatio="xMidYMid meet"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" fill="var(--graph-edge)" />
              </marker>
            </defs>
            <g>
              {layout.edges.map((e) => (
                <path key={`${e.from}->${e.to}`} d={e.path} className={edgeClass(e.from, e.to)} markerEnd="url(#arrow)" />
              ))}
            </g>
            <g>
              {layout.nodes.map((n) => {
                const top = (layout.nodeHeight - n.lines.length * LINE_HEIGHT) / 2;
                const status = model.status.get(n.key);
                const said = status ? `, ${STATUS_LABEL[status].toLowerCase()}` : "";
                return (
                  <g
                    key={n.key}
                    className={classFor(n.key)}
                    transform={`translate(${n.x},${n.y})`}
                    tabIndex={0}
                    role="button"
                    aria-pressed={selected === n.key}
                    aria-label={`${n.title} (${n.key}), depth ${n.layer}${said}`}
                    data-key={n.key}
                    data-status={status}
                    onClick={() => pick(n.key)}
                    onFocus={() => reveal(n.x, n.y)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault();
                        pick(n.key);
                      }
                    }}
                  >
                    <title>{`${n.title} (${n.key})${said}`}</title>
                    <rect width={layout.nodeWidth} height={layout.nodeHeight} rx={8} />
                    {status ? <rect className={`status-mark status-${status}`} x={0} y={layout.nodeHeight - 4} width={layout.nodeWidth} height={4} rx={2} /> : null}
                    <text x={LABEL_PADDING} y={top} data-testid="graph-label">
                      {spokenLines(n.title, n.lines).map((line, i) => (
                        <tspan key={i} x={LABEL_PADDING} dy={i === 0 ? LINE_HEIGHT - 3 : LINE_HEIGHT}>
                          {line}
                        </tspan>
                      ))}
                    </text>
                  </g>
                );
              })}
            </g>
          </svg>
          <div className="graph-tools">
            <button type="button" className="btn small icon" aria-label="Zoom in" onClick={() => zoom(1 / 1.3)}>
              +
            </button>
            <button type="button" className="btn small icon" aria-label="Zoom out" onClick={() => zoom(1.3)}>
              −
            </button>
            <button type="button" className="btn small" onClick={fitReadably}>
              Fit
            </button>
          </div>
        </div>
      )}
      <div className="legend" aria-live="polite">
        {selected ? (
          <>
            <span>
              <span className="sw" style={{ background: "var(--accent)" }} />
              {model.titles.get(selected) ?? selected}
            </span>
            <span>
              <span className="sw" style={{ background: "var(--info)" }} />
              needs first: {prereqs.size}
            </span>
            <span>
              <span className="sw" style={{ background: "var(--ok)" }} />
              needed by: {dependants.size}
            </span>
            <button type="button" className="btn small ghost" onClick={() => setSelected(null)}>
              Clear
            </button>
          </>
        ) : (
          <span>{model.graph.length} chapters, {layout.edges.length} prerequisite links</span>
        )}
      </div>
    </section>
  );
}
