import { ErrorBody } from "../../lib/contract.ts";
import { StoreBackupRequest, StoreBackupResponse } from "../../lib/store-backup-contract.ts";
import { errorMessage } from "../async.ts";
import { HttpError, parseInput } from "./errors.ts";
import type { Route } from "./router.ts";
import { ERRORS } from "./shared.ts";

/**
 * `vigil backup` while the server runs: the embedded store is open in this process, so only the
 * server can dump it safely. Admins only: the copy holds every user, token hash and audit row.
 */
export function storeBackupRoutes(
  backup: ((out: string) => Promise<StoreBackupResponse>) | undefined,
): Route[] {
  return [
    {
      method: "POST",
      path: "/api/store/backup",
      permission: "admin",
      doc: {
        summary: "Back up Vigil's own store to a path on the server's host (pg_dump -Fc, or PGlite's dump)",
        tag: "system",
        body: StoreBackupRequest,
        responses: { 200: StoreBackupResponse, 503: ErrorBody, ...ERRORS },
      },
      handle: async ({ body }) => {
        const req = parseInput(StoreBackupRequest, body ?? {});
        if (!backup) throw new HttpError("unavailable", "this server has no store to back up");
        try {
          return { body: await backup(req.path) };
        } catch (error) {
          throw new HttpError("internal", errorMessage(error));
        }
      },
    },
  ];
}
