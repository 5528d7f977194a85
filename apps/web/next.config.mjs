// Plain JavaScript on purpose: Next compiles a next.config.ts with SWC each time the production
// server starts, which maps its ~100 MB native binding into the Vigil process for the rest of its
// life (~25 MB resident, measured). A .mjs config is imported as it is.

/** @type {import("next").NextConfig} */
const config = {
  // The custom server (server.ts) serves Next, REST and Socket.IO on one port.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Next 16.4 runs TypeScript 7 (the native port) for its build-time type check itself (verified:
  // a deliberate type error fails `next build`), so the build keeps checking types; no
  // `ignoreBuildErrors`. `pnpm typecheck` runs the same tsconfig separately.
};

export default config;
