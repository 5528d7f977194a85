/*
 * Permission entries for the control-plane routes (API tokens, deploy hooks), spread into the
 * permission table (permissions.ts) so that table stays the one place the gate looks. Typed
 * there, by the table it joins (no import back: the two files stay out of a loop).
 */
export const CONTROL_ROUTE_RULES = {
  // Tokens are managed from a session only (token-routes.ts refuses token principals).
  "GET /api/tokens": { need: "signed-in" },
  "POST /api/tokens": { need: "signed-in", audit: "token.create" },
  "POST /api/tokens/:id/revoke": { need: "signed-in", audit: "token.revoke" },

  "GET /api/hooks": { need: "act" },
  "POST /api/hooks": { need: "act", audit: "hook.create" },
  "POST /api/hooks/:id/revoke": { need: "act", audit: "hook.revoke" },
} as const;
