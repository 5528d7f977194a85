import type { Metadata } from "next";
import { EventsView } from "./EventsView";

export const metadata: Metadata = { title: "Events" };
export const dynamic = "force-dynamic";

export default function EventsPage() {
  return <EventsView />;
}
