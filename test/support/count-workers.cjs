// Preloaded into a bin under test (node --require this file …): counts the worker threads the
// process makes, and says on stderr at exit which files they ran and which the process ended
// (terminate()): `workers: [{"file":"png-worker.cjs","ended":false}, …]`. A test's witness of
// the PNG worker's start (src/render/png-worker.ts and the loader scripts/build-report.mjs writes).
'use strict';
const threads = require('node:worker_threads');
const { basename } = require('node:path');

function count() {
  const Original = threads.Worker;
  const made = [];
  threads.Worker = class CountedWorker extends Original {
    constructor(file, options) {
      super(file, options);
      this.entry = { file: options && options.eval ? '(eval)' : basename(String(file)), ended: false };
      made.push(this.entry);
    }

    terminate() {
      this.entry.ended = true;
      return super.terminate();
    }
  };
  process.on('exit', () => process.stderr.write(`workers: ${JSON.stringify(made)}\n`));
}

// (a worker inherits the --require: only the main thread counts)
if (threads.isMainThread) count();
