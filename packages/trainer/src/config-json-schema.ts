import { z } from 'zod';
import { trainConfigSchema } from './config.js';

/**
 * The JSON Schema of a training config as a user writes it (defaults optional), for editor completion:
 * reference it from a YAML file with `# yaml-language-server: $schema=...` or from JSON with "$schema".
 */
export function trainConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(trainConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return { ...schema, $id: 'https://mtl2r.dev/schemas/train-config.json', title: 'mtl2r training config' };
}
