import type { NextConfig } from "next";

const config: NextConfig = {
  // The custom server (server.ts) serves Next, REST and Socket.IO on one port.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Next 16.4 runs TypeScript 7 (the native port) for its build-time type check itself (verified:
  // a deliberate type error fails `next build`), so the build keeps checking types; no
  // `ignoreBuildErrors`. `pnpm typecheck` runs the same tsconfig separately.
};

export default config;
