/*
 * Matrix client-server API: send an m.notice with HTML, idempotent by transaction id.
 * https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
 * https://spec.matrix.org/v1.11/client-server-api/#mroommessage-msgtypes (m.notice: for bots;
 * format org.matrix.custom.html + formatted_body; body is the plain-text fallback)
 * The same txnId from the same access token is deduplicated by the homeserver: a retried
 * notification (same id) posts once.
 * Answers: 200 {"event_id"}; 401/403 {"errcode"}; 429 {"errcode":"M_LIMIT_EXCEEDED","retry_after_ms"}.
 */
import { z } from "zod";
import { defineChannel } from "../support/define.ts";
import { serverUrl } from "../support/fields.ts";
import { htmlFragment } from "../support/html.ts";
import { jsonNumber, postJson } from "../support/http.ts";
import { plainText } from "../support/message.ts";

export const MatrixConfig = z
  .object({
    kind: z.literal("matrix"),
    /** The homeserver's client-server base URL, e.g. https://matrix.example.org. */
    homeserver: serverUrl,
    access_token: z.string().min(1),
    /** A room id (!abc:example.org); aliases must be resolved to an id first. */
    room_id: z.string().regex(/^![^:]+:.+$/, "expected a room id like !abc123:example.org"),
  })
  .strict();
export type MatrixConfig = z.output<typeof MatrixConfig>;

export const matrixChannel = defineChannel({
  kind: "matrix",
  schema: MatrixConfig,
  secretFields: ["access_token"],
  send(config, n, ctx) {
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(config.room_id)}/send/m.room.message/${encodeURIComponent(n.id)}`;
    const body = {
      msgtype: "m.notice",
      body: plainText(n),
      format: "org.matrix.custom.html",
      formatted_body: htmlFragment(n),
    };
    return postJson(`${config.homeserver}${path}`, body, ctx, {
      method: "PUT",
      headers: { Authorization: `Bearer ${config.access_token}` },
      retryAfterInBody: (text) => jsonNumber(text, "retry_after_ms"),
    });
  },
});
