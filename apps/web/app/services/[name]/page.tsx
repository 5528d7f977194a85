import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServiceDetail } from "../../../lib/contract";
import { serverFetch } from "../../_lib/server-api";
import { ServicePage } from "./ServicePage";

export const dynamic = "force-dynamic";

// Next decodes the route segment once already: decoding again turned `/services/%25` into
// decodeURIComponent("%"), a URIError and a 500 (issue 19, finding 10). A malformed segment
// (`/services/%E0%A4%A`) is answered by Next's router itself with a 4xx.
type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: name };
}

export default async function ServiceRoute({ params }: Props) {
  const { name } = await params;
  const { data, status } = await serverFetch(`/api/services/${encodeURIComponent(name)}`, ServiceDetail);
  // Only a definite "no such service" is a 404; anything else renders and retries client-side.
  if (status === 404) notFound();
  return <ServicePage name={name} initial={data} />;
}
