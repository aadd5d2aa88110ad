// Types for icons.mjs (a plain Node build script), as vite.config.ts imports it.
export declare function iconSvg(): string;
export declare function iconPngs(): Record<string, Uint8Array>;
export declare function writeIcons(outDir: string): void;
