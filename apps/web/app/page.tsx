import * as z from "zod/mini";
import { ServicesResponse } from "../lib/contract";
import { Board } from "./_board/Board";
import { SMALL_BOARD } from "./_board/derive";
import { serverFetch } from "./_lib/server-api";

export const dynamic = "force-dynamic";

/** Only the count is checked first, so a large board's services are not parsed just to be dropped. */
const SmallBoard = z.looseObject({ services: z.array(z.unknown()).check(z.maxLength(SMALL_BOARD)) });

/*
 * The board. A small one is server-rendered with every status, so the first paint carries them; a
 * large one is a light shell the socket's packed snapshot fills (see _board/useBoardServices.ts):
 * server-rendering 1,000 services made 2.6 MB of HTML and payload.
 */
export default async function BoardPage() {
  const { data } = await serverFetch("/api/services", SmallBoard);
  const parsed = data ? ServicesResponse.safeParse(data) : null;
  return <Board initial={parsed?.success ? parsed.data : null} />;
}
