import * as z from "zod/mini";

/*
 * The schemas the layout and the board validate REST answers and socket payloads with. They reach
 * this module only through import(), so zod and the contracts load after first paint instead of in
 * `/`'s first-load JavaScript (BENCHMARKS.md, "First-load JS, round three"); what is validated,
 * and how, is unchanged. Pages off the board import their own contracts as before.
 */

export { Ok, SessionView, ShareCreated } from "../../lib/auth-contract";
export {
  ActionAccepted,
  ActionDelta,
  ActionsResponse,
  ActionView,
  DeltaBatch,
  ErrorBody,
  EventsResponse,
  GraphResponse,
  HistoryResponse,
  IncidentsResponse,
  LogsResponse,
  ServiceDetail,
  ServicesResponse,
  SnapshotPayload,
  StoreHealth,
} from "../../lib/contract";
export { PushUrlsResponse } from "../../lib/contract-push";

/** POST /api/actions/:id/cancel, as far as the browser reads it. */
export const CancelAnswer = z.object({ actionId: z.string() });
