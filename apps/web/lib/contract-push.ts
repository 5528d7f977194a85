import * as z from "zod/mini";

/** GET /api/services/:name/push: the secret URLs of a service's push (heartbeat) checks. */
export const PushUrlsResponse = z.object({
  checks: z.array(
    z.object({
      check: z.string(),
      /** `/api/push/<token>`; the page prefixes its own origin. */
      path: z.string(),
    }),
  ),
});
export type PushUrlsResponse = z.infer<typeof PushUrlsResponse>;
