"use client";

import { useEffect, useRef } from "react";

const SHORTCUTS: [string, string][] = [
  ["/", "Search services (board)"],
  ["g b", "Go to the board"],
  ["g g", "Go to the dependency graph"],
  ["g e", "Go to events"],
  ["?", "Show this help"],
  ["Esc", "Close dialogs, leave the search field"],
];

/** The `?` help, open while mounted; closing it (Esc, Close, a click outside) calls `onClose`. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcuts-title"
      className="m-auto w-[min(28rem,92vw)] rounded-lg border border-line bg-surface p-5 text-fg shadow-xl backdrop:bg-black/50"
      onClick={(e) => {
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
      onClose={onClose}
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
