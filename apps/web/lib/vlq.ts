/*
 * Base64 VLQ — the digits of source maps: 5 value bits per character, the sixth says "more
 * follows". Unsigned here (source maps spend a bit on the sign); signed values go through zigzag
 * first. Every digit is a JSON-safe ASCII character, so a column of a thousand small numbers costs
 * about a thousand bytes and no separators. Arithmetic rather than bit operations: millisecond
 * offsets pass 2^31 after 25 days.
 */

export const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
export const DIGIT_PATTERN = /^[A-Za-z0-9+/]*$/;
const MORE = 32;
/** 2^53 needs 11 digits of 5 bits; anything longer is not a number this writer made. */
const MAX_DIGITS = 11;

const VALUE_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) VALUE_OF[DIGITS.charCodeAt(i)] = i;

/** A stream that does not decode: names where, so a format mismatch is a readable error. */
export class WireError extends Error {
  override name = "WireError";
}

export const zigzag = (n: number): number => (n >= 0 ? 2 * n : -2 * n - 1);
export const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

export class VlqWriter {
  #text = "";

  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`VLQ: ${n} is not a safe unsigned integer`);
    let rest = n;
    do {
      const low = rest % MORE;
      rest = Math.floor(rest / MORE);
      this.#text += DIGITS[rest > 0 ? low + MORE : low];
    } while (rest > 0);
    return this;
  }

  int(n: number): this {
    return this.uint(zigzag(n));
  }

  /** One raw digit (0..63), for fixed-width codes such as sparkline levels. */
  digit(d: number): this {
    const c = DIGITS[d];
    if (c === undefined || !Number.isInteger(d)) throw new RangeError(`VLQ: ${d} is not a digit`);
    this.#text += c;
    return this;
  }

  toString(): string {
    return this.#text;
  }
}

export class VlqReader {
  #at = 0;

  constructor(
    private readonly text: string,
    /** What the stream holds, for error messages ("services.since"). */
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.#at >= this.text.length;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (let n = 0; n < MAX_DIGITS; n++) {
      const d = this.digit();
      value += (d % MORE) * scale;
      if (d < MORE) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= MORE;
    }
    throw new WireError(`${this.what}: number too large at character ${this.#at}`);
  }

  int(): number {
    return unzigzag(this.uint());
  }

  digit(): number {
    if (this.#at >= this.text.length) throw new WireError(`${this.what}: ended early`);
    const code = this.text.charCodeAt(this.#at++);
    const d = code < 128 ? (VALUE_OF[code] ?? -1) : -1;
    if (d < 0) throw new WireError(`${this.what}: "${this.text[this.#at - 1]}" is not a digit`);
    return d;
  }

  /** Throws unless every digit was read: a longer column means another layout. */
  end(): void {
    if (!this.done) throw new WireError(`${this.what}: ${this.text.length - this.#at} digits left over`);
  }
}
