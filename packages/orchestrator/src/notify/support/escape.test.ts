import { describe, expect, it } from "vitest";
import { escapeAdaptiveCard, escapeHtml, escapeMarkdown, escapeSlack } from "./escape.ts";

describe("escaping untrusted text", () => {
  it("html", () => {
    expect(escapeHtml(`<b>&"'`)).toBe("&lt;b&gt;&amp;&quot;&#39;");
  });
  it("slack mrkdwn escapes exactly & < > so <!channel> is text", () => {
    expect(escapeSlack("<!channel> & <@U123> *b*")).toBe("&lt;!channel&gt; &amp; &lt;@U123&gt; *b*");
  });
  it("markdown escapes formatting and breaks mentions", () => {
    const out = escapeMarkdown("*_~| @everyone `x` [a](b) # h");
    expect(out).toBe("\\*\\_\\~\\| @\u200beveryone \\`x\\` \\[a\\]\\(b\\) \\# h");
    expect(out).not.toContain("@everyone");
  });
  it("adaptive card text escapes its markdown subset only", () => {
    expect(escapeAdaptiveCard("**x** <at>y</at> [l](u) a-b")).toBe("\\*\\*x\\*\\* <at>y</at> \\[l\\](u) a-b");
    expect(escapeAdaptiveCard("- item\n1. first")).toBe("\\- item\n1\\. first");
  });
});
