/**
 * Plan views computed by the core (story.plan): writing order, the chapter dependency graph,
 * theme x chapter and character x chapter coverage. Loaded lazily: not part of the first bundle.
 */
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { StudioController } from "../model/controller";
import { messageOf } from "../model/state";
import { href, type PlanViewName } from "../shell/route";
import { STATUS_LABEL, wordsLabel } from "../editor/progress";
import type { Plan, StoryBlueprint } from "../service/types";
import { CoverageGrid } from "./CoverageGrid";
import { GraphView } from "./GraphView";
import { planModel } from "./model";

export default function PlanScreen(props: {
  controller: StudioController;
  storyId: string;
  view: PlanViewName;
  revision: number;
  /** The story the plan is of: names, statuses and word targets. */
  blueprint?: StoryBlueprint;
  /** Open the chapter in the editor, its title field focused. */
  onOpenChapter(key: string): void;
}): ReactNode {
  const { controller, storyId } = props;
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ready = controller.ready;

  useEffect(() => {
    if (!ready) return;
    let live = true;
    controller
      .call("story.plan", { story_id: storyId })
      .then((p) => {
        if (live) {
          setPlan(p.plan);
          setError(null);
        }
      })
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [controller, storyId, props.revision, ready]);

  const blueprint = props.blueprint;
  const model = useMemo(() => (plan ? planModel(plan, blueprint) : null), [plan, blueprint]);

  if (!ready) return <p className="muted">The plan appears once the studio has started.</p>;
  if (error) {
    return (
      <div className="banner error" role="alert">
        <span className="grow">Could not compute the plan: {error}</span>
      </div>
    );
  }
  if (!model) return <p className="muted">Computing the plan…</p>;

  switch (props.view) {
    case "order":
      return (
        <section data-testid="plan-order" aria-labelledby="order-h">
          <h2 id="order-h" className="visually-hidden">
            Writing order
          </h2>
          <p className="muted" style={{ marginTop: 0 }}>
            Write the chapters in this order: each comes after every chapter it needs. Manuscript:{" "}
            <span data-testid="order-total-words">{wordsLabel(model.totalWords, blueprint?.word_target)}</span>.
          </p>
          {model.order.length === 0 && model.blocked.length === 0 ? <p className="muted">No chapters yet.</p> : null}
          <ol className="order-list">
            {model.order.map((key, i) => (
              <li key={key}>
                <span className="n">{i + 1}.</span>
                <span className="order-item">
                  <a
                    href={href({ screen: "editor", storyId })}
                    className="order-title"
                    onClick={(e) => {
                      e.preventDefault();
                      props.onOpenChapter(key);
                    }}
                  >
                    {model.titles.get(key)}
                  </a>{" "}
                  <span className="mono muted">{key}</span>
                  {model.status.has(key) ? (
                    <span className={`chip status status-${model.status.get(key)}`} data-testid="order-status">
                      {STATUS_LABEL[model.status.get(key)!]}
                    </span>
                  ) : null}
                  <span className="muted order-words">{wordsLabel(model.words.get(key) ?? 0)}</span>
                </span>
              </li>
            ))}
          </ol>
          {model.blocked.length > 0 ? (
            <div className="banner error" role="note" style={{ marginTop: 16 }}>
              <span className="grow">
                Not placed (on a prerequisite cycle): {model.blocked.map((k) => model.titles.get(k) ?? k).join(", ")}. See the problems panel in the Blueprint view.
              </span>
            </div>
          ) : null}
        </section>
      );
    case "graph":
      return <GraphView model={model} />;
    case "themes":
      return <CoverageGrid testId="plan-theme-coverage" title="Theme coverage" rowName="Theme" grid={model.themes} titles={model.titles} />;
    case "characters":
      return (
        <CoverageGrid testId="plan-character-coverage" title="Character coverage" rowName="Character" grid={model.characters} titles={model.titles} />
      );
  }
}
