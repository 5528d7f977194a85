import { z } from "zod";

/** An http(s) URL; every channel's endpoint is one, so self-hosted providers and tests can point it anywhere. */
export const httpUrl = z
  .string()
  .refine(
    (value) => /^https?:$/.test(URL.parse(value)?.protocol ?? ""),
    "must be an http:// or https:// URL",
  );

const withoutTrailingSlash = (value: string): string => value.replace(/\/+$/, "");

/** A server's base URL (self-hosted providers: no default), without a trailing slash. */
export const serverUrl = httpUrl.transform(withoutTrailingSlash);

/** A provider's base URL with its public default, configurable for self-hosting and tests. */
export const baseUrl = (fallback: string) => httpUrl.default(fallback).transform(withoutTrailingSlash);

/** HTTP header names as RFC 9110 tokens; values without line breaks. */
export const headerRecord = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "invalid header name"),
  z.string().regex(/^[^\r\n]*$/, "header values cannot contain line breaks"),
);
