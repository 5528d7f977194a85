import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { FileTail } from "./file-tail.ts";

/* Real capture files on disk, appended to as a service would (O_APPEND writes). */

const dirs: string[] = [];
const tails: FileTail[] = [];
afterEach(() => {
  for (const t of tails.splice(0)) t.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function follow(name: string, opts: { fromEnd?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vigil-tail-"));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, "before\n");
  const chunks: Buffer[] = [];
  const tail = new FileTail(file, (c) => chunks.push(c), opts);
  tails.push(tail);
  return { file, text: () => Buffer.concat(chunks).toString(), tail };
}

describe("file tail", () => {
  it("picks up what is appended, also after the file has been quiet long enough to back off", async () => {
    const out = follow("out.log", { fromEnd: true });
    appendFileSync(out.file, "one\n");
    expect(await waitFor(() => out.text() === "one\n")).toBe(true);
    // Quiet for several idle periods: the tail polls less often, but still sees the next line.
    await new Promise((r) => setTimeout(r, 1500));
    appendFileSync(out.file, "two\n");
    expect(await waitFor(() => out.text() === "one\ntwo\n", 5000)).toBe(true);
  });

  it("hands out its own copy of each read: tails sharing one read buffer never see each other's bytes", async () => {
    const a = follow("a.log");
    const b = follow("b.log");
    const big = "a".repeat(200 * 1024);
    appendFileSync(a.file, big);
    appendFileSync(b.file, "b".repeat(100 * 1024));
    a.tail.drain();
    b.tail.drain();
    expect(a.text()).toBe(`before\n${big}`);
    expect(b.text()).toBe(`before\n${"b".repeat(100 * 1024)}`);
  });

  it("reports whether a drain found anything new", () => {
    const out = follow("c.log", { fromEnd: true });
    expect(out.tail.drain()).toBe(false);
    appendFileSync(out.file, "x\n");
    expect(out.tail.drain()).toBe(true);
    expect(out.tail.drain()).toBe(false);
  });
});
