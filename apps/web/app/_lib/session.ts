"use client";

import { useQuery } from "@tanstack/react-query";
import { api, keys } from "./api";

/** Who is signed in (and with which role); the server enforces, the UI only reflects it. */
export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: ({ signal }) => api.session(signal),
    staleTime: 60_000,
  });
}

/** Operators and admins may run actions; viewers, share links and wall displays may not. */
export function useCanAct(): { canAct: boolean; why: string | null } {
  const s = useSession().data;
  if (!s) return { canAct: true, why: null };
  const role = s.user?.role;
  if (role === "operator" || role === "admin") return { canAct: true, why: null };
  return {
    canAct: false,
    why: role === "viewer" ? "viewers cannot run actions" : "sign in as an operator to act",
  };
}
