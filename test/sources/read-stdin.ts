// Child process for file.test.ts: reads "-" (stdin) and prints the records as JSON lines.
import { readFileRecords } from '../../src/sources/file.js';

for await (const records of readFileRecords('-')) {
  for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
}
