import type { Metadata } from "next";
import { safeNext } from "../../lib/safe-next";
import { LoginForm } from "./LoginForm";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; setup?: string | string[] }>;
}) {
  const params = await searchParams;
  // Only same-origin paths (lib/safe-next.ts); repeated parameters arrive as arrays: the first counts.
  const setup = Array.isArray(params.setup) ? params.setup[0] : params.setup;
  return <LoginForm next={safeNext(params.next)} setupToken={setup ?? null} />;
}
