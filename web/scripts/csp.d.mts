// Types for csp.mjs (a plain Node build script), as vite.config.ts imports it.
export declare function apiOrigin(value: string | undefined): string | null;
export declare function inlineScriptHashes(html: string): string[];
export declare function contentSecurityPolicy(options?: { api?: string | null; scriptHashes?: readonly string[] }): string;
