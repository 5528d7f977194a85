"use client";

import { type FormEvent, useEffect, useState } from "react";
import { SessionView } from "../../lib/auth-contract";
import { ErrorBody } from "../../lib/contract";
import { safeNext } from "../../lib/safe-next";
import { csrfToken } from "../_lib/csrf";

/*
 * Sign-in, and on first run (a `?setup=` token from the server log) the first admin's creation.
 * Posts with the CSRF token the session endpoint hands out, like every other state change.
 */

type Mode = "loading" | "signin" | "setup" | "setup-missing";

async function session(): Promise<SessionView | null> {
  const res = await fetch("/api/auth/session", { cache: "no-store" }).catch(() => null);
  const parsed = SessionView.safeParse(await res?.json().catch(() => null));
  return parsed.success ? parsed.data : null;
}

export function LoginForm({ next: asked, setupToken }: { next: string; setupToken: string | null }) {
  // Checked again here, with the same function, so the browser never navigates on a value that
  // did not pass it (the server render already did; this holds if the prop ever comes from elsewhere).
  const next = safeNext(asked);
  const [mode, setMode] = useState<Mode>("loading");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void session().then((s) => {
      if (!s) {
        setError("Vigil server unreachable; try again shortly.");
        setMode("signin");
        return;
      }
      if (s.user) window.location.replace(next);
      setMode(s.setupRequired ? (setupToken ? "setup" : "setup-missing") : "signin");
    });
  }, [next, setupToken]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    if (mode === "setup" && password !== String(form.get("confirm") ?? "")) {
      setError("The passwords do not match.");
      return;
    }
    setBusy(true);
    setError(null);
    const path = mode === "setup" ? "/api/auth/setup" : "/api/auth/login";
    const body = mode === "setup" ? { token: setupToken, username, password } : { username, password };
    const res = await fetch(path, {
      method: "POST",
      // Read now, not kept from the first answer: another request on this page (the user menu's
      // session lookup) may have set a newer nonce and token pair since.
      headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
      body: JSON.stringify(body),
    }).catch(() => null);
    setBusy(false);
    if (res?.ok) {
      window.location.assign(next);
      return;
    }
    const parsed = ErrorBody.safeParse(await res?.json().catch(() => null));
    setError(
      res?.status === 429
        ? `Too many attempts. Try again in ${res.headers.get("retry-after") ?? "a few"} seconds.`
        : parsed.success
          ? parsed.data.error.message
          : "Sign-in failed; try again.",
    );
  }

  const setup = mode === "setup";
  return (
    <div className="mx-auto mt-16 w-[min(24rem,94vw)] rounded-lg border border-line bg-surface p-6 shadow-sm">
      <h1 className="text-lg font-semibold">{setup ? "Create the first admin" : "Sign in to Vigil"}</h1>
      {mode === "setup-missing" ? (
        <p className="mt-3 text-sm text-muted" data-testid="setup-missing">
          No user exists yet. Open the setup link printed in Vigil&apos;s server log (
          <code className="font-mono">Vigil setup: open …/login?setup=…</code>), or start Vigil with{" "}
          <code className="font-mono">VIGIL_ADMIN_USER</code> and{" "}
          <code className="font-mono">VIGIL_ADMIN_PASSWORD</code>.
        </p>
      ) : (
        <form className="mt-4 flex flex-col gap-3" onSubmit={(e) => void submit(e)} aria-busy={busy}>
          <label className="flex flex-col gap-1 text-sm">
            Username
            <input
              name="username"
              autoComplete="username"
              required
              maxLength={64}
              className="rounded-md border border-line bg-bg px-2 py-1.5"
            />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Password
            <input
              name="password"
              type="password"
              autoComplete={setup ? "new-password" : "current-password"}
              required
              minLength={setup ? 10 : 1}
              maxLength={256}
              className="rounded-md border border-line bg-bg px-2 py-1.5"
            />
          </label>
          {setup && (
            <label className="flex flex-col gap-1 text-sm">
              Repeat password
              <input
                name="confirm"
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                className="rounded-md border border-line bg-bg px-2 py-1.5"
              />
            </label>
          )}
          {error && (
            <p role="alert" className="text-sm font-medium text-st-unhealthy">
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={busy || mode === "loading"}
            className="mt-1 rounded-md bg-accent px-3 py-2 text-sm font-semibold text-white disabled:opacity-60"
          >
            {setup ? "Create admin and sign in" : "Sign in"}
          </button>
        </form>
      )}
    </div>
  );
}
