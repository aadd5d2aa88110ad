/**
 * A theme x chapter (or character x chapter) grid; rows and chapters with no coverage are marked.
 * Rows are called by their names and columns by the chapters' titles (the key in the tooltip).
 */
import type { ReactNode } from "react";
import type { CoverageModel } from "./model";

export function CoverageGrid(props: {
  testId: string;
  title: string;
  rowName: string;
  grid: CoverageModel;
  titles: ReadonlyMap<string, string>;
}): ReactNode {
  const { rows, columns: order, unused, uncovered } = props.grid;
  const rowGaps = rows.filter((r) => unused.has(r.key));
  const columnGaps = order.filter((k) => uncovered.has(k));
  return (
    <section data-testid={props.testId} aria-labelledby={`${props.testId}-h`}>
      <h2 id={`${props.testId}-h`} className="visually-hidden">
        {props.title}
      </h2>
      <div className="legend" style={{ marginBottom: 10 }}>
        <span>
          <span className="sw" style={{ background: "var(--accent-soft)", border: "1px solid var(--accent)" }} />
          covered
        </span>
        <span>
          <span className="gap-tag" style={{ marginLeft: 0 }}>
            GAP
          </span>{" "}
          {props.rowName.toLowerCase()} in no chapter, or chapter with no {props.rowName.toLowerCase()}
        </span>
        <span>
          {rowGaps.length} {props.rowName.toLowerCase()} gap{rowGaps.length === 1 ? "" : "s"}, {columnGaps.length} chapter gap{columnGaps.length === 1 ? "" : "s"}
        </span>
      </div>
      {rows.length === 0 || order.length === 0 ? (
        <p className="muted">Add {props.rowName.toLowerCase()}s and chapters to see their coverage.</p>
      ) : (
        <div className="coverage-wrap" tabIndex={0} role="region" aria-label={`${props.title} grid (scrolls)`}>
          <table className="coverage">
            <caption className="visually-hidden">
              {props.title}: rows are {props.rowName.toLowerCase()}s, columns are chapters in writing order
            </caption>
            <thead>
              <tr>
                <th scope="col">{props.rowName}</th>
                {order.map((key) => (
                  <th key={key} scope="col" title={`${props.titles.get(key) ?? key} (${key})`} className={uncovered.has(key) ? "gap-row" : undefined}>
                    <span className="coverage-col">{props.titles.get(key) ?? key}</span>
                    {uncovered.has(key) ? " · gap" : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-gap={unused.has(row.key) || undefined}>
                  <th scope="row" className={unused.has(row.key) ? "gap-row" : undefined}>
                    {row.label}
                    {unused.has(row.key) ? <span className="gap-tag">GAP</span> : <span className="muted"> {row.covered.size}</span>}
                  </th>
                  {order.map((key) =>
                    row.covered.has(key) ? (
                      <td key={key} className="hit" title={`${row.label} in ${props.titles.get(key) ?? key}`}>
                        ●<span className="visually-hidden"> covered</span>
                      </td>
                    ) : (
                      <td key={key} className="gap-cell">
                        <span className="visually-hidden">not covered</span>
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
