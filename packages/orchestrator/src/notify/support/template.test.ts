import { describe, expect, it } from "vitest";
import { HOSTILE, sampleNotification } from "../../testing/notification.ts";
import { renderTemplate, templatePaths } from "./template.ts";

describe("body template", () => {
  it("substitutes strings JSON-escaped and other values as JSON, so hostile text stays valid JSON", () => {
    const n = sampleNotification({ reason: `"quoted"\n${HOSTILE}` });
    const out = renderTemplate(
      '{"text": "{{ title }}", "why": "{{reason}}", "svc": "{{rootCause.service}}", "list": {{affected}}, "by": "{{acknowledgedBy}}"}',
      n,
    );
    expect(JSON.parse(out)).toEqual({
      text: n.title,
      why: n.reason,
      svc: "redis",
      list: ["api", "worker"],
      by: "",
    });
  });
  it("does not walk the prototype or run code", () => {
    const out = renderTemplate('"{{constructor}}{{title.length}}{{__proto__}}"', sampleNotification());
    expect(out).toBe('""');
    expect(templatePaths("{{ a.b }} {{c}} {{ 1+1 }}")).toEqual(["a.b", "c"]);
  });
});
