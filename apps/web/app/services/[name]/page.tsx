import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServiceDetail } from "../../../lib/contract";
import { serverFetch } from "../../_lib/server-api";
import { ServicePage } from "./ServicePage";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function ServiceRoute({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  const { data, status } = await serverFetch(`/api/services/${encodeURIComponent(name)}`, ServiceDetail);
  // Only a definite "no such service" is a 404; anything else renders and retries client-side.
  if (status === 404) notFound();
  return <ServicePage name={name} initial={data} />;
}
