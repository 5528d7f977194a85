import type { ServiceView } from "../../../lib/contract";

/**
 * The header a share-link visitor sees: the service's name and kind, nothing live. The server
 * sends no status, checks or config to a share link (issue 19, finding 3); this says why.
 */
export function SharedHeader({ service }: { service: Pick<ServiceView, "name" | "kind"> }) {
  return (
    <section
      aria-labelledby="service-title"
      className="rounded-lg bg-surface p-4 shadow-sm ring-1 ring-line"
      data-testid="shared-header"
    >
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 id="service-title" className="text-2xl font-bold">
          {service.name}
        </h1>
        <span className="text-sm text-muted">{service.kind}</span>
      </div>
      <p className="mt-2 text-sm text-muted">
        Shared view: the history, events and incidents of the linked window only; no live status.
      </p>
    </section>
  );
}
