import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import type { Principal } from "../auth/roles.ts";
import { newToken, safeEqual } from "../auth/tokens.ts";

/*
 * How the `vigil` CLI on this machine finds the running server and proves who it is: the server
 * writes its URL and a fresh random credential to `<state dir>/server.json`, mode 0600, so only
 * the OS user running Vigil (and root) can read it. The credential maps to `cli:<that user>`
 * with the operator role: it can run actions, never manage users or tokens.
 */

export const SERVER_FILE = "server.json";
const LOCAL_PREFIX = "vgl_local_";
/** The local CLI is no database user: a uuid no user has, so user lookups find nothing (never a SQL error). */
const NO_USER = "00000000-0000-0000-0000-000000000000";

export interface ServerRecord {
  url: string;
  pid: number;
  startedAt: string;
  /** Which config this server runs, so a CLI on another config does not talk to it. */
  config: string;
  token: string;
}

export class LocalCredential {
  readonly token = `${LOCAL_PREFIX}${newToken(32)}`;
  readonly actor: string;
  readonly #id = randomUUID();

  constructor(osUser: string = safeUserName()) {
    this.actor = `cli:${osUser}`;
  }

  /** The bearer resolver: this credential, or not ours (null, so API tokens are asked next). */
  principal(token: string): Principal | null {
    if (!token.startsWith(LOCAL_PREFIX) || !safeEqual(token, this.token)) return null;
    return {
      kind: "user",
      name: this.actor,
      role: "operator",
      userId: NO_USER,
      sessionId: `local:${this.#id}`,
    };
  }

  /** Writes server.json atomically (temp file, 0600, rename) once the server listens. */
  async publish(stateDir: string, record: Omit<ServerRecord, "token" | "pid" | "startedAt">): Promise<void> {
    await mkdir(stateDir, { recursive: true });
    const full: ServerRecord = {
      ...record,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      token: this.token,
    };
    const temp = join(stateDir, `.${SERVER_FILE}.${process.pid}.tmp`);
    await writeFile(temp, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, join(stateDir, SERVER_FILE));
  }

  /** Removes server.json on shutdown, unless another server has since written its own. */
  async withdraw(stateDir: string): Promise<void> {
    const path = join(stateDir, SERVER_FILE);
    const text = await readFile(path, "utf8").catch(() => "");
    if (text.includes(this.token)) await rm(path, { force: true });
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the uid still names the account.
    return `uid${process.getuid?.() ?? "?"}`;
  }
}
