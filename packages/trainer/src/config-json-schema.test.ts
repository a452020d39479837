import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainConfigJsonSchema } from './config-json-schema.js';

describe('config.schema.json', () => {
  it('is up to date with the zod schema (regenerate: pnpm --filter @mtl2r/trainer schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../config.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(trainConfigJsonSchema());
  });

  it('describes the sections, required keys and enums an editor completes', () => {
    const schema = trainConfigJsonSchema() as {
      required: string[];
      properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
    };
    expect(schema.required.sort()).toEqual(['data', 'losses', 'strategy']);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'seed',
        'data',
        'model',
        'losses',
        'strategy',
        'optimizer',
        'training',
        'evaluation',
        'earlyStopping',
      ]),
    );
    expect(schema.properties.optimizer?.properties?.name?.enum).toEqual(['adam', 'adamw', 'sgd']);
  });
});
