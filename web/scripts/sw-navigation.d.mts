// Types for sw-navigation.mjs (a plain Node build script), as web/test imports it.
export declare const APP_SHELL_ALLOWLIST: RegExp[];
export declare const APP_SHELL_DENYLIST: RegExp[];
export declare function getsAppShell(pathAndSearch: string): boolean;
