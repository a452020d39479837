/**
 * Decimal number parsing straight from bytes, so the reader never builds a string per value.
 * The fast path accumulates up to 15 significant digits in a double (exact) and scales by an exact power
 * of ten, which is correctly rounded (Clinger's fast path); anything longer or with a large exponent falls
 * back to Number() on the token text.
 */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const latin1 = new TextDecoder('latin1');

/** Result of the last parse: `end` is the byte after the token; `ok` false means the token was not a number. */
export class NumberScanner {
  value = 0;
  end = 0;
  ok = false;

  /**
   * Parses the token starting at `start` and ending at the first byte that is not part of a number.
   * Sets `ok` only when at least one digit was read and the value is finite.
   */
  scan(bytes: Uint8Array, start: number, limit: number): void {
    let p = start;
    let negative = false;
    const c = bytes[p];
    if (c === 45 /* - */ || c === 43 /* + */) {
      negative = c === 45;
      p++;
    }
    // Up to 15 digits fit a double exactly; longer tokens (rare) take the slow path below.
    let mantissa = 0;
    let digits = 0;
    while (p < limit) {
      const d = (bytes[p] as number) - 48;
      if (d >>> 0 > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      p++;
    }
    let fractionDigits = 0;
    if (p < limit && bytes[p] === 46 /* . */) {
      p++;
      const fractionStart = p;
      while (p < limit) {
        const d = (bytes[p] as number) - 48;
        if (d >>> 0 > 9) break;
        mantissa = mantissa * 10 + d;
        p++;
      }
      fractionDigits = p - fractionStart;
      digits += fractionDigits;
    }
    if (digits === 0) {
      this.ok = false;
      this.end = p;
      return;
    }
    let exponent = 0;
    if (p < limit && (bytes[p] === 101 || bytes[p] === 69) /* e E */) {
      let q = p + 1;
      let expNegative = false;
      if (bytes[q] === 45 || bytes[q] === 43) {
        expNegative = bytes[q] === 45;
        q++;
      }
      const expStart = q;
      while (q < limit && (bytes[q] as number) >= 48 && (bytes[q] as number) <= 57 && q - expStart < 6) {
        exponent = exponent * 10 + ((bytes[q] as number) - 48);
        q++;
      }
      if (q === expStart) {
        this.ok = false;
        this.end = q;
        return;
      }
      if (expNegative) exponent = -exponent;
      p = q;
    }
    this.end = p;
    const scale = exponent - fractionDigits;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      const power = EXACT_POWERS_OF_TEN[scale < 0 ? -scale : scale] as number;
      const magnitude = scale < 0 ? mantissa / power : mantissa * power;
      this.value = negative ? -magnitude : magnitude;
      this.ok = Number.isFinite(magnitude);
      return;
    }
    const text = latin1.decode(bytes.subarray(start, p));
    const value = NUMBER_TEXT.test(text) ? Number(text) : Number.NaN;
    this.value = value;
    this.ok = Number.isFinite(value);
  }
}
