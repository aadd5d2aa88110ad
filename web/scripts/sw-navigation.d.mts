// Types for sw-navigation.mjs (a plain Node build script), as web/test imports it.
export declare const PRECACHE_MATCHING: {
  directoryIndex: string;
  ignoreURLParametersMatching: RegExp[];
};
