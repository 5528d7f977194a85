import type { Metadata } from "next";
import { GraphResponse } from "../../lib/contract";
import { serverFetch } from "../_lib/server-api";
import { GraphView } from "./GraphView";

export const metadata: Metadata = { title: "Dependencies" };
export const dynamic = "force-dynamic";

export default async function GraphPage() {
  const { data } = await serverFetch("/api/graph", GraphResponse);
  return <GraphView initialGraph={data} />;
}
