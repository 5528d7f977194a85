"use client";

import { api } from "../_lib/api";
import { useSession } from "../_lib/session";

/** The signed-in user and role, and sign-out. Nothing when signed out (the page gate handles it). */
export function UserMenu() {
  const s = useSession().data;
  if (!s || s.kind === "none") return null;
  if (s.kind !== "user" || !s.user) {
    return (
      <span className="text-xs text-muted">{s.kind === "share" ? "shared view" : "read-only display"}</span>
    );
  }
  return (
    <span className="flex items-center gap-2 text-xs">
      <span className="text-muted" data-testid="user">
        {s.user.name} · {s.user.role}
      </span>
      <button
        type="button"
        className="rounded-md border border-line px-2 py-1 text-muted hover:text-fg"
        onClick={() => {
          void api.logout().finally(() => window.location.assign("/login"));
        }}
      >
        Sign out
      </button>
    </span>
  );
}
