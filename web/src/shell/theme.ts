/** Dark by default; the writer's choice is remembered in localStorage (read again by index.html). */
export type Theme = "dark" | "light";
const KEY = "story-gen.theme";

export function currentTheme(): Theme {
  return document.documentElement.dataset["theme"] === "light" ? "light" : "dark";
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset["theme"] = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", theme === "light" ? "#f6f5f1" : "#12151c");
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private mode without storage: the toggle still works for this visit.
  }
}
