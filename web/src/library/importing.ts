/**
 * What a picked file holds for import: one story or blueprint (a .json file), or every story
 * file of a "Download all (.zip)" archive. Only reading happens here; the service decides what
 * each file is and what it would store (story.import with dry_run).
 */
import { strFromU8, unzipSync, type UnzipFileInfo } from "fflate";

/** One file to import: its text, or why it cannot even be read. */
export type ImportSource =
  | { readonly file: string; readonly content: string; readonly refusal?: undefined }
  | { readonly file: string; readonly refusal: string; readonly content?: undefined };

/** A story or blueprint file larger than this is refused unread: a blueprint is text, not a video. */
export const MAX_IMPORT_BYTES = 20_000_000; // the service's own limit (MAX_IMPORT_CHARS)
/** An archive's stories together may hold this much text once unpacked. */
export const MAX_ARCHIVE_BYTES = 200_000_000;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function tooLarge(name: string, bytes: number): string {
  return `${name} is ${megabytes(bytes)}; the studio imports story files of up to ${megabytes(MAX_IMPORT_BYTES)}. Check that this is a story_gen story or blueprint file.`;
}

/** A zip archive by its first bytes (a renamed archive is still an archive). */
export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** The story files an archive holds: every .json but its manifest, in the archive's order. */
function storyEntry(info: UnzipFileInfo): boolean {
  const name = info.name;
  const base = name.slice(name.lastIndexOf("/") + 1);
  return name.toLowerCase().endsWith(".json") && base !== "manifest.json" && !base.startsWith(".") && !name.startsWith("__MACOSX/");
}

export function readArchive(name: string, bytes: Uint8Array): ImportSource[] {
  const oversized: ImportSource[] = [];
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (info) => {
        if (!storyEntry(info)) return false;
        if (info.originalSize > MAX_IMPORT_BYTES) {
          oversized.push({ file: info.name, refusal: tooLarge(info.name, info.originalSize) });
          return false;
        }
        total += info.originalSize;
        if (total > MAX_ARCHIVE_BYTES) throw new Error(`its story files come to more than ${megabytes(MAX_ARCHIVE_BYTES)} unpacked`);
        return true;
      },
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [{ file: name, refusal: `${name} could not be opened as a zip archive (${why}). Download the archive again from the library ("Download all (.zip)").` }];
  }
  const sources: ImportSource[] = Object.entries(files).map(([file, data]) => ({ file, content: strFromU8(data) }));
  const all = [...sources, ...oversized];
  if (all.length === 0) {
    return [{ file: name, refusal: `${name} holds no story files (.json), so there is nothing to import.` }];
  }
  return all;
}

/** The picked file as import sources: one for a .json file, one per story for an archive. */
export async function readImportFile(file: File): Promise<ImportSource[]> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (isZip(head)) {
    if (file.size > MAX_ARCHIVE_BYTES) {
      return [{ file: file.name, refusal: `${file.name} is ${megabytes(file.size)}; the studio imports archives of up to ${megabytes(MAX_ARCHIVE_BYTES)}.` }];
    }
    return readArchive(file.name, new Uint8Array(await file.arrayBuffer()));
  }
  if (file.size > MAX_IMPORT_BYTES) return [{ file: file.name, refusal: tooLarge(file.name, file.size) }];
  return [{ file: file.name, content: await file.text() }];
}
