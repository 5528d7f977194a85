import { ServicesResponse } from "../lib/contract";
import { Board } from "./_board/Board";
import { serverFetch } from "./_lib/server-api";

export const dynamic = "force-dynamic";

/** The board: rendered with the current services, then kept live by the socket. */
export default async function BoardPage() {
  const { data } = await serverFetch("/api/services", ServicesResponse);
  return <Board initial={data} />;
}
