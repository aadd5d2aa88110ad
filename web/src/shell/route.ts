/**
 * Hash routes, so every screen has a URL that works under any sub-path without server rewrites:
 *   #/                      library
 *   #/story/<id>            editor
 *   #/story/<id>/plan/<v>   plan view v: order | graph | themes | characters
 *   #/help                  the in-app help
 */
import { useSyncExternalStore } from "react";

export const PLAN_VIEWS = ["order", "graph", "themes", "characters"] as const;
export type PlanViewName = (typeof PLAN_VIEWS)[number];

export type Route =
  | { readonly screen: "library" }
  | { readonly screen: "help" }
  | { readonly screen: "editor"; readonly storyId: string }
  | { readonly screen: "plan"; readonly storyId: string; readonly view: PlanViewName };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "help") return { screen: "help" };
  if (parts[0] === "story" && parts[1]) {
    if (parts[2] === "plan") {
      const view = (PLAN_VIEWS as readonly string[]).includes(parts[3] ?? "") ? (parts[3] as PlanViewName) : "order";
      return { screen: "plan", storyId: parts[1], view };
    }
    return { screen: "editor", storyId: parts[1] };
  }
  return { screen: "library" };
}

export function href(route: Route): string {
  switch (route.screen) {
    case "library":
      return "#/";
    case "help":
      return "#/help";
    case "editor":
      return `#/story/${encodeURIComponent(route.storyId)}`;
    case "plan":
      return `#/story/${encodeURIComponent(route.storyId)}/plan/${route.view}`;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

let cachedHash: string | null = null;
let cachedRoute: Route = { screen: "library" };

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => {
    if (location.hash !== cachedHash) {
      cachedHash = location.hash;
      cachedRoute = parseRoute(location.hash);
    }
    return cachedRoute;
  });
}
