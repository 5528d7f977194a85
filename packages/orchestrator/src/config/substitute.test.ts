// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv.ts";
import { ConfigError, parseConfigText } from "./index.ts";
import { urlPasswords } from "./redact.ts";
import { substitute } from "./substitute.ts";

describe("substitute", () => {
  const environ = { HOST: "db", EMPTY: "", NESTED: "${HOST}", API_TOKEN: "t0k" };

  it("expands the three forms", () => {
    expect(substitute("${HOST}:5432", environ).value).toBe("db:5432");
    expect(substitute("${MISSING:-fallback}", environ).value).toBe("fallback");
    expect(substitute("${EMPTY:-fallback}", environ).value).toBe("fallback");
    expect(substitute("${HOST:?needed}", environ).value).toBe("db");
  });

  it("turns $$ into a literal $ and leaves other dollars alone", () => {
    expect(substitute("cost $$5 and $${HOST}", environ).value).toBe("cost $5 and ${HOST}");
    expect(substitute("price $5", environ).value).toBe("price $5");
  });

  it("does not substitute the result again", () => {
    expect(substitute("${NESTED}", environ).value).toBe("${HOST}");
  });

  it("records values of secret-named variables", () => {
    expect(substitute("Bearer ${API_TOKEN} on ${HOST}", environ).secrets).toEqual(["t0k"]);
  });

  it("fails on unset, required and malformed references", () => {
    expect(() => substitute("${NOPE}", environ)).toThrow(
      "variable NOPE is not set (use ${NOPE:-default} to make it optional)",
    );
    expect(() => substitute("${EMPTY:?give it a value}", environ)).toThrow(
      "variable EMPTY is required: give it a value",
    );
    expect(() => substitute("${HOST", environ)).toThrow('unterminated "${"');
    expect(() => substitute("${1BAD}", environ)).toThrow('invalid variable reference "${1BAD}"');
  });
});

describe("substitution inside YAML", () => {
  const yaml = (body: string) => `services:\n  api:\n    kind: process\n    command: node api.mjs\n${body}`;

  it("keeps YAML special characters of substituted values intact", () => {
    const { config } = parseConfigText(yaml("    env:\n      DB_PASSWORD: ${PW}\n"), "vigil.yaml", {
      PW: "a: b # c ] d > e, {f}",
    });
    const api = config.services.api;
    expect(api?.kind === "process" && api.env.DB_PASSWORD).toBe("a: b # c ] d > e, {f}");
  });

  it("keeps $$ escapes literal and never substitutes a substituted value again", () => {
    const text = yaml('    description: "costs $$5, see $${HOME} and ${NOTE}"\n');
    const { config } = parseConfigText(text, "vigil.yaml", { NOTE: "${HOME}", HOME: "/root" });
    expect(config.services.api?.description).toBe("costs $5, see ${HOME} and ${HOME}");
  });

  it("retypes unquoted numbers but keeps quoted ones as strings", () => {
    const text = yaml(
      '    checks:\n      - kind: tcp\n        port: ${PORT:-17100}\n    description: "${PORT:-17100}"\n',
    );
    const { config } = parseConfigText(text, "vigil.yaml", {});
    const check = config.services.api?.checks[0];
    expect(check?.kind === "tcp" && check.port).toBe(17100);
    expect(config.services.api?.description).toBe("17100");
  });

  it("reports every substitution error with its position", () => {
    const text = yaml("    env:\n      A: ${ONE}\n      B: ok-${TWO:?two is needed}\n");
    try {
      parseConfigText(text, "vigil.yaml", {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        [
          "Config error at vigil.yaml:6:10: services.api.env.A: variable ONE is not set (use ${ONE:-default} to make it optional)",
          "Config error at vigil.yaml:7:10: services.api.env.B: variable TWO is required: two is needed",
        ].join("\n"),
      );
    }
  });
});

describe("dotenv", () => {
  it("parses quotes, exports and comments", () => {
    const text = "# c\nexport A=1\nB='lit $X #x'\nC=\"line\\nnext\"\nD=pa#ss # trailing\n\nnot a line\n";
    expect(parseDotenv(text)).toEqual({ A: "1", B: "lit $X #x", C: "line\nnext", D: "pa#ss" });
  });
});

describe("urlPasswords", () => {
  it("finds encoded and unencoded passwords", () => {
    expect(urlPasswords("postgres://u:p%40ss@h:5432/db")).toEqual(["p%40ss", "p@ss"]);
    expect(urlPasswords("redis://:pw@127.0.0.1:6379")).toEqual(["pw", "pw"]);
    expect(urlPasswords("x postgres://app:p@ss:w#rd]>x@127.0.0.1:5432/app y")).toContain("p@ss:w#rd]>x");
    expect(urlPasswords("http://user@host/ and nats://127.0.0.1:4222")).toEqual([]);
  });
});
