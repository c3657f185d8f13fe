// The floor for bench:report: read a file line by line with readline and count.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let lines = 0;
for await (const _ of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) lines++;
process.stdout.write(`${lines}\n`);
