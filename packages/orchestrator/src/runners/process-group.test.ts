import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { groupAlive, groupMembers, signalGroup, waitGroupGone } from "./process-group.ts";

function detached(script: string) {
  const child = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  if (!child.pid) throw new Error("no pid");
  return child.pid;
}

describe("groupAlive (real process groups)", () => {
  it("is true while the leader lives, and while a member outlives its leader", async () => {
    const leader = detached("sleep 30; true");
    try {
      expect(groupAlive(leader)).toBe(true);
      expect(groupMembers(leader)).toContain(leader);
    } finally {
      signalGroup(leader, "SIGKILL");
    }
    expect(await waitGroupGone(leader, 5000)).toBe(true);
    expect(groupAlive(leader)).toBe(false);

    // The shell exits at once; its background sleep keeps the group alive without a leader.
    const orphaned = detached("sleep 30 & exit 0");
    try {
      await expect.poll(() => groupMembers(orphaned).includes(orphaned), { timeout: 5000 }).toBe(false);
      expect(groupAlive(orphaned)).toBe(true);
    } finally {
      signalGroup(orphaned, "SIGKILL");
    }
    expect(await waitGroupGone(orphaned, 5000)).toBe(true);
    expect(groupAlive(orphaned)).toBe(false);
  });
});
