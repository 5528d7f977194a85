import { describe, expect, it } from "vitest";
import { collectSecrets, Redactor } from "./redact.ts";
import { redactShapes, SECRET_NAME, shapeSecrets } from "./secret-shapes.ts";

/* Issue 19, finding 4: secrets recognised by name and by the shape of their value. */

describe("SECRET_NAME", () => {
  const secret = [
    "SMTP_PASS",
    "smtpPass",
    "MYSQL_PWD",
    "DB_PASSWORD",
    "PGPASSWORD",
    "SENTRY_DSN",
    "SLACK_WEBHOOK_URL",
    "GITHUB_TOKEN",
    "STRIPE_API_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "JWT_SECRET",
    "Authorization",
    "Proxy-Authorization",
    "X-Api-Key",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GPG_PASSPHRASE",
    "BASIC_AUTH",
    "DISCORD_WEBHOOK",
  ];
  const plain = [
    "PWD",
    "PORT",
    "HOME",
    "PATH",
    "NODE_ENV",
    "PASSTHROUGH_MODE",
    "LOG_LEVEL",
    "REGION",
    "AUTH_MODE",
    "AUTHOR",
    "WEBHOOK_ENABLED",
    "DSN_TIMEOUT_MS",
  ];
  it.each(secret)("%s is a secret name", (name) => expect(SECRET_NAME.test(name)).toBe(true));
  it.each(plain)("%s is not", (name) => expect(SECRET_NAME.test(name)).toBe(false));
});

const PEM_KEY = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
  "-----END PRIVATE KEY-----",
].join("\n");

describe("value shapes", () => {
  // [what, text, the secret part that must disappear, what must stay]
  const cases: [string, string, string, string][] = [
    [
      "Basic header value",
      "Authorization: Basic dXNlcjpodW50ZXIy",
      "dXNlcjpodW50ZXIy",
      "Authorization: Basic ***",
    ],
    [
      "Bearer header value",
      "sent Bearer abc.def-ghi_123 to upstream",
      "abc.def-ghi_123",
      "sent Bearer *** to upstream",
    ],
    [
      "PEM block",
      `key:\n${PEM_KEY}\nend`,
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
      "-----BEGIN PRIVATE KEY-----***",
    ],
    [
      "access_token in a query",
      "GET https://api.example/v1?access_token=tok-123456&x=1",
      "tok-123456",
      "access_token=***&x=1",
    ],
    ["api_key in a query", "https://h.example/p?page=2&api_key=K9k9k9k9", "K9k9k9k9", "page=2&api_key=***"],
    ["password in a query", "jdbc:x://h/db?user=app&password=hunter22", "hunter22", "user=app&password=***"],
    [
      "signature in a query",
      "https://b.s3.example/o?X-Amz-Signature=abcdef0123",
      "abcdef0123",
      "X-Amz-Signature=***",
    ],
    [
      "JWT anywhere",
      "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl done",
      "eyJhbGciOiJIUzI1NiJ9",
      "done",
    ],
    [
      "GitHub token",
      "push with ghp_0123456789abcdefghijABCDEFGHIJ",
      "ghp_0123456789abcdefghijABCDEFGHIJ",
      "push with ***",
    ],
    [
      "Slack webhook path",
      "POST https://hooks.slack.com/services/T000/B000/XXXXsecret",
      "T000/B000/XXXXsecret",
      "hooks.slack.com/services/***",
    ],
  ];
  it.each(cases)("%s is masked at run time", (_what, text, secret, kept) => {
    const out = redactShapes(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
  });
  it.each(cases)("%s is collected from config text", (_what, text, secret) => {
    expect(shapeSecrets(text).some((s) => s.includes(secret) || secret.includes(s))).toBe(true);
  });

  it("leaves ordinary text and harmless query parameters alone", () => {
    for (const text of [
      "GET /api/history?service=db&from=2026-01-01T00:00:00Z&resolution=raw",
      "connection refused at 127.0.0.1:5432",
      "https://example.com/search?q=password+reset&page=2",
    ])
      expect(redactShapes(text)).toBe(text);
  });
});

describe("collectSecrets with the wider rules", () => {
  it("finds values by name and by shape anywhere in a raw config", () => {
    const raw = {
      services: {
        mail: {
          env: {
            SMTP_PASS: "smtp-pw-1",
            MYSQL_PWD: "my-pw-2",
            SENTRY_DSN: "https://k3y@o1.ingest.example/4",
            SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T1/B2/zzz",
            PWD: "/srv/mail",
            PORT: "25",
          },
          checks: [
            {
              kind: "http",
              url: "https://status.example/h?token=q-tok-9",
              headers: { "X-Trace": "Basic YWxhZGRpbjpvcGVu" },
            },
            { kind: "http", url: "https://ghp_abcdefghijklmnop0123@git.example/repo" },
          ],
          command: ["sh", "-c", `echo '${PEM_KEY}' > key.pem`],
        },
      },
    };
    const found = new Set(collectSecrets(raw));
    for (const secret of [
      "smtp-pw-1",
      "my-pw-2",
      "https://k3y@o1.ingest.example/4",
      "https://hooks.slack.com/services/T1/B2/zzz",
      "q-tok-9",
      "YWxhZGRpbjpvcGVu",
      "ghp_abcdefghijklmnop0123",
    ])
      expect(found, secret).toContain(secret);
    expect(found).not.toContain("/srv/mail");
    expect(found).not.toContain("25");
    const redactor = new Redactor(found);
    const shown = redactor.redact(JSON.stringify(raw));
    for (const leak of [
      "smtp-pw-1",
      "my-pw-2",
      "k3y",
      "zzz",
      "q-tok-9",
      "YWxhZGRpbjpvcGVu",
      "ghp_abc",
      "MIIEvQ",
    ])
      expect(shown, leak).not.toContain(leak);
    expect(shown).toContain("/srv/mail");
  });
});
