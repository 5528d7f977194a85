import { Ok } from "../../lib/auth-contract";
import { type CreateToken, TokenCreated, TokensResponse } from "../../lib/tokens-contract";
import { fetchJson } from "./api";

/** API tokens of the signed-in user (an admin's: everyone's). */
export const tokensApi = {
  key: ["tokens"] as const,
  list: (signal?: AbortSignal) => fetchJson("/api/tokens", TokensResponse, { signal }),
  create: (body: CreateToken) =>
    fetchJson("/api/tokens", TokenCreated, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  revoke: (id: string) => fetchJson(`/api/tokens/${encodeURIComponent(id)}/revoke`, Ok, { method: "POST" }),
};
