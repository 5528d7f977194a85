import type { Metadata } from "next";
import { SessionsPanel } from "./SessionsPanel";
import { TokensPanel } from "./TokensPanel";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default function AccountPage() {
  return (
    <div className="mx-auto max-w-4xl space-y-4 p-4">
      <h1 className="text-lg font-semibold">Account</h1>
      <SessionsPanel />
      <TokensPanel />
    </div>
  );
}
