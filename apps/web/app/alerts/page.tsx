import type { Metadata } from "next";
import { Suspense } from "react";
import { AlertsView } from "./AlertsView";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

export default function AlertsPage() {
  return (
    <Suspense>
      <AlertsView />
    </Suspense>
  );
}
