import type { Server, Socket } from "socket.io";
import { type OriginPolicy, originAllowed } from "./origin.ts";
import { meets, SOCKET_RULES } from "./permissions.ts";
import type { Principal } from "./roles.ts";
import type { AuthService } from "./service.ts";

/*
 * Socket.IO admission: the handshake must come from our own origin (or an allowed one) and carry a
 * session (or anonymous read mode). Share links get no socket: live data is outside their window.
 * Every client event then passes the same permission table as REST; unknown events are refused.
 * A refused handshake gets `connect_error` and nothing else is ever sent to it.
 */

/** Who each admitted socket is; a WeakMap so the hub's own socket.data stays untouched. */
const principals = new WeakMap<object, Principal>();

export function socketPrincipal(socket: object): Principal | undefined {
  return principals.get(socket);
}

export function guardSockets<L extends object, E extends object, S extends object, D>(
  io: Server<L, E, S, D>,
  opts: { auth: AuthService; origins: OriginPolicy; log: (line: string) => void },
): () => void {
  io.use((socket: Socket<L, E, S, D>, next) => {
    const req = socket.request;
    const origin = req.headers.origin;
    if (typeof origin === "string" && origin !== "" && !originAllowed(origin, req, opts.origins)) {
      next(new Error("forbidden"));
      return;
    }
    opts.auth
      .principal(req)
      .then((principal) => {
        if (!principal || principal.kind === "share" || !meets(principal, "read")) {
          next(new Error("unauthorized"));
          return;
        }
        principals.set(socket, principal);
        socket.use(([event], nextEvent) => {
          const need = SOCKET_RULES[String(event)];
          const current = principals.get(socket) ?? null;
          if (need === undefined || !meets(current, need)) nextEvent(new Error("not allowed"));
          else nextEvent();
        });
        // A refused event must not throw on the server; the error is reported to the client only.
        socket.on("error", () => undefined);
        next();
      })
      .catch((err: unknown) => {
        opts.log(`auth: socket handshake failed: ${err instanceof Error ? err.message : String(err)}`);
        next(new Error("unavailable"));
      });
  });

  // Sign-out, password change, role change, deletion: sockets admitted under that session go.
  return opts.auth.onRevoked((who) => {
    for (const socket of io.sockets.sockets.values()) {
      const p = principals.get(socket);
      if (p?.kind !== "user") continue;
      if (p.sessionId === who.sessionId || p.userId === who.userId) socket.disconnect(true);
    }
  });
}
