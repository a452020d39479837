import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, runId } from './run-id.js';

describe('run identity', () => {
  it('is the SHA-256 of the key-sorted JSON, so key order does not matter and any value does', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    const expected = createHash('sha256').update('{"a":1,"b":[1,2]}').digest('hex').slice(0, 16);
    expect(runId({ b: [1, 2], a: 1 })).toBe(expected);
    expect(runId({ a: 1, b: [1, 2] })).toBe(expected);
    expect(runId({ a: 1, b: [2, 1] })).not.toBe(expected);
  });
});
