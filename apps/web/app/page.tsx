import * as z from "zod/mini";
import { ServicesResponse } from "../lib/contract";
import { Board } from "./_board/Board";
import { SMALL_BOARD } from "./_board/derive";
import { serverFetch } from "./_lib/server-api";

export const dynamic = "force-dynamic";

/** The graph's waves name every service once: the board's size without its views. */
const Waves = z.looseObject({ waves: z.array(z.array(z.unknown())) });
/** Only the count is checked first, so a large board's services are not parsed just to be dropped. */
const SmallBoard = z.looseObject({ services: z.array(z.unknown()).check(z.maxLength(SMALL_BOARD)) });

/*
 * The board. A small one is server-rendered with every status, so the first paint carries them; a
 * large one is a light shell the socket's packed snapshot fills (see _board/useBoardServices.ts):
 * server-rendering 1,000 services made 2.6 MB of HTML and payload. The size comes from the graph
 * first: at 10,000 services GET /api/services is 5 MB that the server spent ~0.3 s of its one
 * thread building (more under load), the same time the browser's socket waits for its snapshot.
 */
export default async function BoardPage() {
  const { data: graph } = await serverFetch("/api/graph", Waves);
  const size = graph ? graph.waves.reduce((n, wave) => n + wave.length, 0) : null;
  // Unknown size (the graph did not answer): ask for the services as before, count checked first.
  const { data } = size === null || size <= SMALL_BOARD ? await serverFetch("/api/services", SmallBoard) : {};
  const parsed = data ? ServicesResponse.safeParse(data) : null;
  return <Board initial={parsed?.success ? parsed.data : null} large={size !== null && size > SMALL_BOARD} />;
}
