import { describe, expect, it } from 'vitest';
import { NumberScanner } from './parse-number.js';

function scan(text: string): NumberScanner {
  const scanner = new NumberScanner();
  const bytes = Buffer.from(text, 'latin1');
  scanner.scan(bytes, 0, bytes.length);
  return scanner;
}

describe('NumberScanner', () => {
  it('parses what Number() parses, to the same double', () => {
    const texts = [
      '0',
      '7',
      '-3',
      '+4',
      '0.5',
      '-1.25',
      '.5',
      '5.',
      '3e2',
      '1.5E-3',
      '-2e+4',
      '0.000123456',
      '123456789012345',
      '1234567890123456789',
      '0.1234567890123456789',
      '1e-30',
      '6.02214076e23',
      '00012.50',
    ];
    for (const text of texts) {
      const result = scan(text);
      expect(result.ok, text).toBe(true);
      expect(result.value, text).toBe(Number(text));
      expect(result.end, text).toBe(text.length);
    }
  });

  it('stops at the first byte that cannot continue a number', () => {
    const result = scan('12.5 rest');
    expect(result.value).toBe(12.5);
    expect(result.end).toBe(4);
  });

  it('rejects text without digits and non-finite results', () => {
    for (const text of ['', '-', '.', 'abc', 'nan', 'inf', '1e', '1e999'])
      expect(scan(text).ok, text).toBe(false);
  });

  it('matches Number() on many random decimals (fast path correctly rounded)', () => {
    let seed = 12345;
    const mismatches: string[] = [];
    for (let i = 0; i < 20000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const digits = 1 + (seed % 9);
      const text = `${(seed % 100000) - 50000}.${String(seed).slice(0, digits)}`;
      if (scan(text).value !== Number(text)) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});
