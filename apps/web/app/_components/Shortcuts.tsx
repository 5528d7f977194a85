"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

const SHORTCUTS: [string, string][] = [
  ["/", "Search services (board)"],
  ["g b", "Go to the board"],
  ["g g", "Go to the dependency graph"],
  ["g e", "Go to events"],
  ["?", "Show this help"],
  ["Esc", "Close dialogs, leave the search field"],
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Keyboard shortcuts for the whole app, and the `?` help dialog. */
export function Shortcuts() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);

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
        const d = dialog.current;
        if (d?.open) d.close();
        else d?.showModal();
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

  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcuts-title"
      className="m-auto w-[min(28rem,92vw)] rounded-lg border border-line bg-surface p-5 text-fg shadow-xl backdrop:bg-black/50"
      onClick={(e) => {
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
      onKeyDown={() => undefined}
    >
      <h2 id="shortcuts-title" className="mb-3 text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map(([k, what]) => (
          <div key={k} className="contents">
            <dt>
              <kbd className="rounded border border-line bg-surface-2 px-1.5 py-0.5 font-mono text-xs">
                {k}
              </kbd>
            </dt>
            <dd className="text-muted">{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button
          type="submit"
          className="rounded-md border border-line px-3 py-1.5 text-sm hover:bg-surface-2"
        >
          Close
        </button>
      </form>
    </dialog>
  );
}
