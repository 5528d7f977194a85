import type { StoreHealth } from "../../lib/contract";

/** History writes are failing or backing up: charts and uptime may have gaps. */
export function StoreBanner({ store }: { store: StoreHealth }) {
  if (store.state !== "degraded") return null;
  return (
    <div
      role="alert"
      data-testid="store-banner"
      className="mb-3 rounded-md border border-st-degraded/50 bg-st-degraded-bg px-3 py-2 text-sm text-st-degraded"
    >
      <strong>History store degraded</strong>
      {store.message ? `: ${store.message}` : ""}. {store.dropped} results dropped, {store.queueDepth} queued.
      Live status is unaffected; charts and uptime may have gaps.
    </div>
  );
}
