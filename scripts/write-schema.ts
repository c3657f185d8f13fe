// Writes schema/mnist-train-1.schema.json from the declaration in src/events-schema.ts
// (`npm run schema`). test/unit/schema-file.test.ts fails when the committed file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaFileText } from '../src/events.js';

const path = fileURLToPath(new URL('../schema/mnist-train-1.schema.json', import.meta.url));
writeFileSync(path, schemaFileText());
process.stderr.write(`wrote ${path}\n`);
