import { describe, expect, it } from "vitest";
import { collectSecrets, Redactor } from "./redact.ts";

describe("Redactor", () => {
  it("replaces every occurrence in one pass, longest secret first", () => {
    const redactor = new Redactor(["abc", "abcdef", "*"]);
    expect(redactor.redact("abcdef abc x*y")).toBe("*** *** x***y");
  });

  it("matches JSON-escaped and URL-encoded spellings", () => {
    const redactor = new Redactor(['p"w/1 2']);
    expect(redactor.redact(JSON.stringify({ pw: 'p"w/1 2' }))).toBe('{"pw":"***"}');
    expect(redactor.redact("https://u:p%22w%2F1%202@h/")).toBe("https://u:***@h/");
  });

  it("works unbound, as callbacks are passed around", () => {
    const { redact, redactValue } = new Redactor(["s3cret"]);
    expect(redact("token=s3cret")).toBe("token=***");
    expect(redactValue({ list: ["s3cret", 1, true] })).toEqual({ list: ["***", 1, true] });
  });

  it("is a no-op without secrets", () => {
    const redactor = new Redactor(["", ""]);
    expect(redactor.empty).toBe(true);
    expect(redactor.redact("nothing to hide")).toBe("nothing to hide");
  });
});

describe("collectSecrets", () => {
  it("reads env keys, headers, listed fields and URL passwords of raw config", () => {
    const raw = {
      services: {
        api: {
          secrets: ["LICENSE", "url"],
          url: "https://licensed.example",
          env: { DB_PASSWORD: "pw1", LICENSE: "lic-9", API_KEY_ENABLED: true, PORT: 80 },
          checks: [
            {
              kind: "staged",
              stages: [{ check: { kind: "http", headers: { Authorization: "Bearer t" }, url: "http://x" } }],
            },
          ],
        },
        cache: { kind: "external", url: "redis://:cache-pw@127.0.0.1:6379" },
      },
    };
    expect(new Set(collectSecrets(raw))).toEqual(
      new Set(["https://licensed.example", "pw1", "lic-9", "Bearer t", "cache-pw"]),
    );
  });

  it("reads the password field of a check (mqtt)", () => {
    const raw = {
      services: {
        broker: { kind: "external", checks: [{ kind: "mqtt", username: "u", password: "mq-pw-7" }] },
      },
    };
    expect(collectSecrets(raw)).toEqual(["mq-pw-7"]);
  });
});
