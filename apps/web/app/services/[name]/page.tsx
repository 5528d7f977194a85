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
  const detail = await serverFetch(`/api/services/${encodeURIComponent(name)}`, ServiceDetail);
  // Only a definite "no such service" is a 404; an unreachable API renders and retries client-side.
  if (!detail) {
    const probe = await fetch(
      `${process.env.VIGIL_INTERNAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`}/api/services/${encodeURIComponent(name)}`,
      { cache: "no-store", signal: AbortSignal.timeout(1500) },
    ).catch(() => null);
    if (probe?.status === 404) notFound();
  }
  return <ServicePage name={name} initial={detail} />;
}
