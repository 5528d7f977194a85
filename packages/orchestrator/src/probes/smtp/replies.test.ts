import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { SmtpReplies } from "./replies.ts";

/** A real TCP pair on 127.0.0.1: the server side writes what the test scripts, the client reads. */
async function pair(script: (server: Socket) => void): Promise<{ client: Socket; close: () => void }> {
  const server = createServer((socket) => script(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port });
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  return {
    client,
    close: () => {
      client.destroy();
      server.close();
    },
  };
}

describe("SmtpReplies", () => {
  it("joins multi-line replies, also when split across packets", async () => {
    const { client, close } = await pair((server) => {
      server.write("220 mx ESMTP ready\r\n250-mx hello\r\n250-PIPE");
      setTimeout(() => server.write("LINING\r\n250 STARTTLS\r\n"), 20);
    });
    try {
      const replies = new SmtpReplies(client);
      expect(await replies.next()).toEqual({ code: 220, lines: ["mx ESMTP ready"] });
      expect(await replies.next()).toEqual({ code: 250, lines: ["mx hello", "PIPELINING", "STARTTLS"] });
    } finally {
      close();
    }
  });

  it("still returns a reply that arrived before the server hung up, then reports the close", async () => {
    const { client, close } = await pair((server) => server.end("554 go away\r\n"));
    try {
      const replies = new SmtpReplies(client);
      await new Promise((resolve) => client.once("close", resolve));
      expect(await replies.next()).toEqual({ code: 554, lines: ["go away"] });
      await expect(replies.next()).rejects.toThrow("connection closed by the server");
    } finally {
      close();
    }
  });

  it("refuses what is not SMTP", async () => {
    const { client, close } = await pair((server) => server.write("SSH-2.0-OpenSSH_9.2\r\n"));
    try {
      await expect(new SmtpReplies(client).next()).rejects.toThrow(
        'not an SMTP reply: "SSH-2.0-OpenSSH_9.2"',
      );
    } finally {
      close();
    }
  });
});
