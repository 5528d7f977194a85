import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/*
 * Password hashing with scrypt from node:crypto (no native add-on). N = 2^15, r = 8, p = 1 costs
 * ~32 MiB and ~50-100 ms per hash here: slow enough to make offline guessing expensive, fast enough
 * for a sign-in. The parameters are stored with each hash so they can be raised later.
 */

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const SALT_BYTES = 16;
// scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is exactly at the edge.
const MAXMEM = 128 * N * R * 2;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url), a fresh random salt per call. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Constant-time comparison; a malformed stored hash simply does not match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((v) => Number.isInteger(v) && v > 0) || 128 * n * r * 2 > MAXMEM * 4) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (expected.length !== KEYLEN) return false;
  const key = await derive(password, salt, n, r, p);
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, computed once: verifying an unknown user's attempt against it costs
 * the same time as a real verification, so response timing does not reveal which users exist.
 */
export function dummyHash(): Promise<string> {
  return hashPassword(randomBytes(24).toString("base64url"));
}
