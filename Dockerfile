# Vigil: one Node process hosting the Next.js dashboard, Socket.IO and the poller.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @vigil/web run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
COPY --from=build /app /app
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The heap flags of apps/web's `serve` script (BENCHMARKS.md: 10,000 services at ~370 MiB, not ~700).
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=50", "apps/web/dist/server.js"]
