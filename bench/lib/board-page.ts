import type { Browser } from "./browser.ts";
import { sleep } from "./time.ts";

type Cookies = { name: string; value: string; url: string }[];

/*
 * In-page probes for the board, installed before any of the page's own code runs. Times are page
 * time (ms since navigation start). "Drawn" is what a person looking at the board can rely on:
 * the socket is live, the status counts account for all `expected` services with none unknown,
 * the board holds all of them (data-shown), and every tile in the DOM shows a real status; with a
 * virtualised board those are the tiles on screen, the rest are a scroll or a search away.
 */
const probe = (expected: number) => `(() => {
  const t = { keys: [] };
  window.__vigilBoard = t;
  const drawn = () => {
    if (!document.querySelector('[data-testid="connection"][data-state="live"]')) return false;
    const board = document.querySelector('[data-testid="board"]');
    if (!board || Number(board.getAttribute("data-shown")) !== ${expected}) return false;
    let sum = 0;
    for (const c of document.querySelectorAll('[data-testid^="count-"]')) sum += Number(c.getAttribute("data-count"));
    const unknown = document.querySelector('[data-testid="count-unknown"]');
    if (sum !== ${expected} || Number(unknown?.getAttribute("data-count")) !== 0) return false;
    const tiles = board.querySelectorAll('[data-testid="tile"]');
    if (tiles.length === 0) return false;
    for (const tile of tiles) if (tile.getAttribute("data-status") === "unknown") return false;
    return true;
  };
  let pending = false;
  const observer = new MutationObserver(() => {
    if (t.drawn !== undefined || pending) return;
    pending = true;
    // Checked once per frame, in the frame that paints: the mutation itself is not yet on screen.
    requestAnimationFrame(() => {
      pending = false;
      if (t.drawn === undefined && drawn()) {
        t.drawn = performance.now();
        t.tiles = document.querySelectorAll('[data-testid="tile"]').length;
        observer.disconnect();
      }
    });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  // Search: from the key press (the event's own time stamp) to the frame that shows its result.
  let down = 0;
  document.addEventListener("keydown", (e) => { down = e.timeStamp; }, true);
  const watchQuery = new MutationObserver(() => {
    const board = document.querySelector('[data-testid="board"]');
    const field = document.querySelector("[data-search]");
    if (!board || !field || !down || board.getAttribute("data-query") !== field.value) return;
    const from = down;
    down = 0;
    requestAnimationFrame(() => t.keys.push(performance.now() - from));
  });
  watchQuery.observe(document, { subtree: true, attributes: true, attributeFilter: ["data-query"] });
})();`;

export interface BoardLoad {
  /** ms from navigation start until every service is drawn. */
  drawn: number;
  /** Tiles in the DOM at that moment. */
  tiles: number;
  /** The HTML document's bytes (decoded) and on the wire. */
  htmlBytes: number;
  htmlWire: number;
  /** Per keystroke of `typed`, ms from key press to the frame showing its result. */
  keys: number[];
}

/** One first visit (fresh context: nothing cached); types `typed` into the search when given. */
export async function loadBoard(
  browser: Browser,
  url: string,
  cookies: Cookies,
  expected: number,
  typed?: string,
): Promise<BoardLoad> {
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.addInitScript(probe(expected));
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    // Polled with evaluate (a CDP evaluation): the app's CSP forbids the eval waitForFunction uses.
    const deadline = Date.now() + 120_000;
    let seen: { drawn?: number; tiles?: number; keys: number[] } | undefined;
    for (;;) {
      seen = await page.evaluate("window.__vigilBoard");
      if (seen?.drawn !== undefined) break;
      if (Date.now() > deadline) throw new Error(`board not drawn within 120 s (${expected} services)`);
      await sleep(50);
    }
    const nav = await page.evaluate<{ decoded: number; encoded: number }>(
      `(() => { const n = performance.getEntriesByType("navigation")[0]; return { decoded: n.decodedBodySize, encoded: n.encodedBodySize }; })()`,
    );
    const keys: number[] = [];
    if (typed) {
      await page.focus("[data-search]");
      for (const ch of typed) {
        const before = await page.evaluate<number>("window.__vigilBoard.keys.length");
        await page.keyboard.press(ch);
        const until = Date.now() + 10_000;
        while ((await page.evaluate<number>("window.__vigilBoard.keys.length")) === before) {
          if (Date.now() > until) throw new Error(`search for "${ch}" never drew`);
          await sleep(20);
        }
        await sleep(100); // a person's pace: each key is its own frame, not a burst
      }
      keys.push(...(await page.evaluate<number[]>("window.__vigilBoard.keys")));
    }
    return {
      drawn: seen.drawn,
      tiles: seen.tiles ?? 0,
      htmlBytes: nav.decoded,
      htmlWire: nav.encoded,
      keys,
    };
  } finally {
    await context.close();
  }
}
