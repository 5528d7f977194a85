import "./globals.css";
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { ActionDock } from "./_components/actions/ActionDock";
import { ConnectionBadge } from "./_components/ConnectionBadge";
import { NavLink } from "./_components/NavLink";
import { Providers } from "./_components/Providers";
import { Shortcuts } from "./_components/Shortcuts";
import { THEME_SCRIPT, ThemeToggle } from "./_components/ThemeToggle";
import { UserMenu } from "./_components/UserMenu";

export const metadata: Metadata = {
  title: { default: "Vigil", template: "%s · Vigil" },
  description: "Live health of every service, its dependencies and what is being done about it",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f4f5f7" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0f17" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts issues a per-request CSP nonce; the inline theme script must carry it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Runs before paint so the stored or preferred theme never flashes. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-bg text-fg antialiased">
        <Providers>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <header className="sticky top-0 z-30 border-b border-line bg-surface/95 backdrop-blur">
            <div className="mx-auto flex max-w-[1800px] flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2 sm:px-5">
              <Link href="/" className="mr-2 flex items-center gap-2 text-lg font-bold tracking-tight">
                <span aria-hidden="true" className="inline-block h-3 w-3 rotate-45 rounded-[2px] bg-accent" />
                Vigil
              </Link>
              <nav aria-label="Views" className="flex items-center gap-1">
                <NavLink href="/">Board</NavLink>
                <NavLink href="/graph">Graph</NavLink>
                <NavLink href="/events">Events</NavLink>
                <NavLink href="/account">Account</NavLink>
                <NavLink href="/status-pages">Status pages</NavLink>
                <NavLink href="/alerts">Alerts</NavLink>
              </nav>
              <div className="ml-auto flex items-center gap-2">
                <ConnectionBadge />
                <UserMenu />
                <ThemeToggle />
                <span className="hidden text-xs text-muted md:inline">
                  <kbd className="rounded border border-line px-1 font-mono">?</kbd> shortcuts
                </span>
              </div>
            </div>
          </header>
          <main id="main" className="mx-auto max-w-[1800px] px-3 py-4 sm:px-5">
            {children}
          </main>
          <ActionDock />
          <Shortcuts />
        </Providers>
      </body>
    </html>
  );
}
