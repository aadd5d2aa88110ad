/**
 * The sync API's address: the build's STORY_GEN_API_URL (the Pages-hosted studio talking to a
 * hosted API), else the studio's own origin (`story-gen serve` and the container stack serve
 * the API beside it). The page's CSP allows only these (web/scripts/csp.mjs).
 */
declare const __STORY_GEN_API_URL__: string;

export function buildApiUrl(): string {
  return typeof __STORY_GEN_API_URL__ === "string" ? __STORY_GEN_API_URL__ : "";
}

export function defaultApiUrl(origin: string, built: string = buildApiUrl()): string {
  return built.trim() ? built.trim().replace(/\/+$/, "") : origin;
}

/** A clear sentence when the address cannot be a sync API's, else null. */
export function apiUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return "Give the sync server's full address, e.g. https://api.example.org.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The address must start with https://.";
  return null;
}
