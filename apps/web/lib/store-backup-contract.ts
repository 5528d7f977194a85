import { z } from "zod";

/** `vigil backup` through the server: where on the server's host the copy of the store goes. */
export const StoreBackupRequest = z.strictObject({
  path: z
    .string()
    .min(1)
    .refine((p) => p.startsWith("/"), "an absolute path on the server's host"),
});

export const StoreBackupResponse = z.object({
  path: z.string(),
  bytes: z.number().int(),
  store: z.enum(["external", "embedded"]),
  format: z.string(),
});
export type StoreBackupResponse = z.infer<typeof StoreBackupResponse>;
