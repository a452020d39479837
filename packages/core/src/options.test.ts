import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { formatPath, validateWithSchema } from './options.js';

describe('validateWithSchema', () => {
  const schema = z.object({
    preference: z.array(z.number()).optional(),
    temperature: z.number().positive().default(1),
  });

  it('returns the parsed value with defaults', () => {
    expect(validateWithSchema(schema, {}, 'options')).toEqual({ temperature: 1 });
  });

  it('names the exact path and the expected value of every issue', () => {
    let error: unknown;
    try {
      validateWithSchema(
        schema,
        { preference: [0.5, 'x'], temperature: -2 },
        "invalid options for strategy 'ls'",
        'strategy.options',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.issues.map((i) => i.path)).toEqual([
      'strategy.options.preference[1]',
      'strategy.options.temperature',
    ]);
    expect(config.message).toContain("invalid options for strategy 'ls':");
    expect(config.message).toMatch(/strategy\.options\.preference\[1\]: .*expected number/);
    expect(config.message).toMatch(/strategy\.options\.temperature: .*>0/);
    expect(config.exitCode).toBe(2);
  });

  it('works with any Standard Schema implementation, not only zod', () => {
    const evenNumber: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) =>
          typeof value === 'number' && value % 2 === 0
            ? { value }
            : { issues: [{ message: 'expected an even number', path: [] }] },
      },
    };
    expect(validateWithSchema(evenNumber, 4, 'x')).toBe(4);
    expect(() => validateWithSchema(evenNumber, 3, 'count', 'epochs')).toThrow(
      'epochs: expected an even number',
    );
  });

  it('refuses asynchronous schemas with an internal error', () => {
    const asyncSchema: StandardSchemaV1<unknown, number> = {
      '~standard': { version: 1, vendor: 'x', validate: async () => ({ value: 1 }) },
    };
    expect(() => validateWithSchema(asyncSchema, 1, 'x')).toThrow('validates asynchronously');
  });
});

describe('formatPath', () => {
  it('joins keys, indexes and odd keys', () => {
    expect(formatPath('', ['tasks', 2, 'loss'])).toBe('tasks[2].loss');
    expect(formatPath('a', [{ key: 'b' }, 0])).toBe('a.b[0]');
    expect(formatPath('', ['weird key'])).toBe('["weird key"]');
  });
});
