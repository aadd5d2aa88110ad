/**
 * The keys a picker offers (themes, characters, chapters with their labels). Only open cards
 * read them (through context), so typing a chapter title, which changes its label, re-renders
 * the open cards' pickers, not every card.
 */
import { createContext, useMemo, useRef } from "react";
import type { StoryBlueprint } from "../service/types";

export type Option = { key: string; label: string };

export interface KeyOptions {
  readonly themes: readonly Option[];
  readonly characters: readonly Option[];
  readonly chapters: readonly Option[];
}

export const OptionsContext = createContext<KeyOptions>({ themes: [], characters: [], chapters: [] });

/** The same array as long as the options are the same (by value). */
function useStableOptions(options: readonly Option[]): readonly Option[] {
  const previous = useRef(options);
  const prev = previous.current;
  if (prev !== options && (prev.length !== options.length || prev.some((o, i) => o.key !== options[i]!.key || o.label !== options[i]!.label))) {
    previous.current = options;
  }
  return previous.current;
}

/** A blueprint's options: the same object as long as no key or label changed. */
export function useKeyOptions(blueprint: StoryBlueprint): KeyOptions {
  const themeOptions = useStableOptions(useMemo(() => blueprint.themes.map((t) => ({ key: t.key, label: t.name || t.key })), [blueprint.themes]));
  const characterOptions = useStableOptions(useMemo(() => blueprint.characters.map((c) => ({ key: c.key, label: c.name || c.key })), [blueprint.characters]));
  const chapterOptions = useStableOptions(
    useMemo(() => blueprint.chapters.map((c) => ({ key: c.key, label: c.title ? `${c.key} — ${c.title}` : c.key })), [blueprint.chapters]),
  );
  const options = useMemo<KeyOptions>(
    () => ({ themes: themeOptions, characters: characterOptions, chapters: chapterOptions }),
    [themeOptions, characterOptions, chapterOptions],
  );
  return options;
}
