// Child process for file.test.ts: reads "-" (stdin) and prints the records as JSON lines.
import { readFileRecords } from '../../src/sources/file.js';

for await (const r of readFileRecords('-')) process.stdout.write(`${JSON.stringify(r)}\n`);
