// Preloaded into a bin under test (node --require this file …): counts the functions the process
// compiles from text with `Function` (as vega does for a chart's expressions), and says at exit
// on stderr: "Function: N".
'use strict';
const Original = globalThis.Function;
let made = 0;
globalThis.Function = new Proxy(Original, {
  apply(target, self, args) { made++; return Reflect.apply(target, self, args); },
  construct(target, args) { made++; return Reflect.construct(target, args); },
});
process.on('exit', () => process.stderr.write(`Function: ${made}\n`));
