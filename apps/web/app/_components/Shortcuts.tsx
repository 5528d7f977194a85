"use client";

import { useRouter } from "next/navigation";
import { lazy, Suspense, useEffect, useState } from "react";

// The help is read rarely: it loads on the first `?`, not with every page.
const ShortcutsHelp = lazy(() => import("./ShortcutsHelp").then((m) => ({ default: m.ShortcutsHelp })));

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Keyboard shortcuts for the whole app, and the `?` help dialog. */
export function Shortcuts() {
  const router = useRouter();
  const [help, setHelp] = useState(false);

  useEffect(() => {
    let pendingG = Number.NEGATIVE_INFINITY;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector("dialog[open]") && e.key !== "?") return;
      // When the key was pressed, not when a busy page got round to it: the chord window measures
      // the user's typing, so a slow render between "g" and "b" does not lose the shortcut.
      const now = e.timeStamp;
      if (e.key === "/") {
        const search = document.querySelector<HTMLInputElement>("[data-search]");
        e.preventDefault();
        if (search) search.focus();
        else router.push("/?focus=search");
        return;
      }
      if (e.key === "?") {
        e.preventDefault();
        setHelp((open) => !open);
        return;
      }
      if (now - pendingG < 1200) {
        const to = { b: "/", g: "/graph", e: "/events" }[e.key];
        pendingG = Number.NEGATIVE_INFINITY;
        if (to) {
          e.preventDefault();
          router.push(to);
        }
        return;
      }
      if (e.key === "g") pendingG = now;
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);

  return help ? (
    <Suspense fallback={null}>
      <ShortcutsHelp onClose={() => setHelp(false)} />
    </Suspense>
  ) : null;
}
