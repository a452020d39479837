// Regenerates config.schema.json from the zod config schema: pnpm --filter @mtl2r/trainer schema
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainConfigJsonSchema } from '../src/config-json-schema.js';

const target = fileURLToPath(new URL('../config.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(trainConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
