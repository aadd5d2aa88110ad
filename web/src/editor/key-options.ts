/**
 * The keys a picker offers (themes, characters, chapters with their labels). Only open cards
 * read them (through context), so typing a chapter title, which changes its label, re-renders
 * the open cards' pickers, not every card.
 */
import { createContext, useMemo, useRef } from "react";
import type { Chapter, Character, StoryBlueprint, Theme } from "../service/types";

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
  if (prev !== options && (prev.length !== options.length || prev.some((o, i) => o !== options[i] && (o.key !== options[i]!.key || o.label !== options[i]!.label)))) {
    previous.current = options;
  }
  return previous.current;
}

/**
 * Per entity object: a keystroke replaces one entity and keeps the others, so a 5,000-chapter
 * story's options are not rebuilt (nor compared label by label) on every key.
 */
const cached = new WeakMap<object, Option>();

function optionOf<E extends { key: string }>(entity: E, label: (entity: E) => string): Option {
  let option = cached.get(entity);
  if (option === undefined) {
    option = { key: entity.key, label: label(entity) };
    cached.set(entity, option);
  }
  return option;
}

/** A blueprint's options: the same object as long as no key or label changed. */
export function useKeyOptions(blueprint: StoryBlueprint): KeyOptions {
  const themeOptions = useStableOptions(useMemo(() => blueprint.themes.map((t) => optionOf(t, themeLabel)), [blueprint.themes]));
  const characterOptions = useStableOptions(useMemo(() => blueprint.characters.map((c) => optionOf(c, characterLabel)), [blueprint.characters]));
  const chapterOptions = useStableOptions(useMemo(() => blueprint.chapters.map((c) => optionOf(c, chapterLabel)), [blueprint.chapters]));
  const options = useMemo<KeyOptions>(
    () => ({ themes: themeOptions, characters: characterOptions, chapters: chapterOptions }),
    [themeOptions, characterOptions, chapterOptions],
  );
  return options;
}

const themeLabel = (t: Theme): string => t.name || t.key;
const characterLabel = (c: Character): string => c.name || c.key;
const chapterLabel = (c: Chapter): string => (c.title ? `${c.key} — ${c.title}` : c.key);
