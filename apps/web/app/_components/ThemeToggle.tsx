"use client";

import { useSyncExternalStore } from "react";
import { MoonIcon, SunIcon } from "./icons";

/*
 * The theme is a class on <html>, set before paint by THEME_SCRIPT (stored choice, else
 * prefers-color-scheme). This toggle flips it and stores the choice.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("vigil-theme");var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

function subscribe(fn: () => void): () => void {
  const obs = new MutationObserver(fn);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => obs.disconnect();
}
const isDark = () => document.documentElement.classList.contains("dark");

export function ThemeToggle() {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  const next = dark ? "light" : "dark";
  return (
    <button
      type="button"
      onClick={() => {
        document.documentElement.classList.toggle("dark", !dark);
        try {
          localStorage.setItem("vigil-theme", next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
      }}
      className="inline-flex h-8 w-8 items-center justify-center rounded-md border border-line text-muted hover:text-fg"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      {dark ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
