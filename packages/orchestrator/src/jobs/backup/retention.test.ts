import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runOnce } from "../run-once.ts";
import { filesBackupTask } from "../tasks/files-backup.ts";
import { type BackupCopy, listCopies, markDrill } from "./copies.ts";
import { copiesToPrune } from "./retention.ts";

const NOW = new Date("2026-11-30T03:00:00Z");
const DAY = 86_400_000;

/** Copies newest first, `ages` in days; `good` marks which ones a drill passed on. */
const copies = (ages: number[], good: number[] = []): BackupCopy[] =>
  ages.map((age, i) => ({
    file: `c${i}`,
    path: `/x/c${i}`,
    takenAt: new Date(NOW.getTime() - age * DAY),
    sizeBytes: 1,
    drill: good.includes(i) ? { passed: true, at: "", by: "drill", detail: "" } : null,
  }));
const pruned = (list: BackupCopy[], keep: Parameters<typeof copiesToPrune>[1]) =>
  copiesToPrune(list, keep, NOW).map((c) => c.file);

describe("backup retention", () => {
  it("keeps N copies", () => {
    expect(pruned(copies([0, 1, 2, 3, 4]), { keepCopies: 3 })).toEqual(["c3", "c4"]);
  });

  it("keeps N days", () => {
    expect(pruned(copies([0, 10, 29, 31, 45]), { keepDays: 30 })).toEqual(["c3", "c4"]);
  });

  it("applies both: a copy goes when either says so", () => {
    expect(pruned(copies([0, 1, 2, 40]), { keepDays: 30, keepCopies: 2 })).toEqual(["c2", "c3"]);
  });

  it("never deletes the newest copy, nor the newest copy a drill passed on, however old", () => {
    expect(pruned(copies([50, 60]), { keepDays: 30 })).toEqual(["c1"]);
    expect(pruned(copies([0, 1, 2, 90, 95], [3]), { keepDays: 30, keepCopies: 1 })).toEqual([
      "c1",
      "c2",
      "c4",
    ]);
  });
});

describe("files backup template with retention (real tar, real files)", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const backup = (paths: string[], keepCopies: number) =>
    runOnce({
      job: "site",
      runId: randomUUID(),
      trigger: "test",
      attempt: 1,
      timeoutMs: 30_000,
      signal: new AbortController().signal,
      task: filesBackupTask({
        type: "files",
        paths,
        destination: join(root, "backups"),
        retention: { keepCopies },
      }),
    });

  it("tars and gzips the paths, and prunes beyond keep_copies but keeps the newest good copy", async () => {
    root = mkdtempSync(join(tmpdir(), "vigil-files-bk-"));
    mkdirSync(join(root, "www", "img"), { recursive: true });
    writeFileSync(join(root, "www", "index.html"), "<h1>hi</h1>");
    writeFileSync(join(root, "www", "img", "logo.svg"), "<svg/>");
    const first = await backup([join(root, "www")], 2);
    expect(first).toMatchObject({ outcome: "succeeded", exitCode: 0 });
    const [oldest] = await listCopies(join(root, "backups"), "site");
    const listing = execFileSync("tar", ["-tzf", oldest?.path ?? ""], { encoding: "utf8" });
    expect(listing).toContain(`${join(root, "www").slice(1)}/img/logo.svg`);
    await markDrill(oldest?.path ?? "", { passed: true, at: NOW.toISOString(), by: "check", detail: "ok" });
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 5)); // distinct millisecond names
      expect(await backup([join(root, "www")], 2)).toMatchObject({ outcome: "succeeded" });
    }
    const left = await listCopies(join(root, "backups"), "site");
    // keep_copies 2 plus the oldest, kept as the newest copy a drill passed on.
    expect(left.map((c) => c.file)).toHaveLength(3);
    expect(left.at(-1)?.file).toBe(oldest?.file);
    expect(left[0]?.drill).toBeNull();
  });

  it("fails, leaving no copy behind, when a path does not exist", async () => {
    root = mkdtempSync(join(tmpdir(), "vigil-files-bk-"));
    const result = await backup([join(root, "missing")], 2);
    expect(result).toMatchObject({ outcome: "failed", exitCode: 2 });
    expect(result.outputTail.join("\n")).toMatch(/missing.*No such file/);
    expect(await listCopies(join(root, "backups"), "site")).toEqual([]);
    expect(readdirSync(join(root, "backups"))).toEqual([]);
  });
});
