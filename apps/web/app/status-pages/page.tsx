import type { Metadata } from "next";
import { StatusPagesView } from "./StatusPagesView";

export const metadata: Metadata = { title: "Status pages" };
export const dynamic = "force-dynamic";

export default function StatusPagesPage() {
  return <StatusPagesView />;
}
