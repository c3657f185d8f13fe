// Builds the report bin: dist/cli/report.js (over tsc's output of that file) is a
// small loader that runs the whole CLI bundled by esbuild into one function,
// dist/cli/report.bundle.cjs, with a V8 code cache made here. Start-up then
// resolves and loads one file instead of ~1,000 modules, and V8 deserialises the
// compiled top level instead of parsing ~1 MB of JavaScript (~35 ms here). A cache
// from another node/V8 version (or other V8 flags) is rejected by V8, and the code
// is simply compiled. The Handlebars templates are bundled precompiled
// (src/render/templates-precompiled.ts → precompiledModule() of the tsc build),
// with handlebars' runtime only, so no template is compiled at run time.
//
// Kept out of the bundle: @resvg/resvg-js (a native addon), the AWS SDK (imported
// only for --log-group input, so a local file never pays for it) and TensorFlow.js
// (never used by the report; external so that an accidental import shows up as a
// load, not as megabytes of bundle).
//
//   node scripts/build-report.mjs      (run by `npm run build`, after tsc)

import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const { precompiledModule } = await import(new URL('../dist/render/templates.js', import.meta.url).href);
const BUNDLE = 'dist/cli/report.bundle.cjs';
const SDK = '@aws-sdk/client-cloudwatch-logs';

/** templates-precompiled.ts → the precompiled templates; handlebars → its runtime (no compiler). */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]render[\\/]templates-precompiled\.ts$/ }, () => ({
      contents: precompiledModule(),
      loader: 'js',
    }));
    b.onResolve({ filter: /^handlebars$/ }, () => ({ path: fileURLToPath(import.meta.resolve('handlebars/runtime.js')) }));
  },
};

/** Replaces `from` in the module at `filter` (the build fails if it is not there any more). */
const patch = (name, filter, from, to) => ({
  name,
  setup(b) {
    b.onLoad({ filter }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(from)) throw new Error(`${name}: "${from}" not found in ${args.path}`);
      return { contents: source.replace(from, to), loader: 'js' };
    });
  },
});

const plugins = [
  precompiledTemplates,
  // yargs finds its translations (locales/*.json) and the package.json it reads its
  // settings from relative to its own file; let it see the installed package's
  // location, so that it behaves as unbundled (e.g. LANG=de_DE gets German errors).
  patch('yargs-location', /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    'const __dirname = fileURLToPath(import.meta.url);',
    'const __dirname = (() => { try { return fileURLToPath(new URL(\'lib/platform-shims/esm.mjs\', ' +
      'import.meta.resolve(\'yargs\'))); } catch { return fileURLToPath(import.meta.url); } })();'),
  // vega-canvas looks for the optional `canvas` package with a top-level await,
  // which a function cannot hold; the same lookup, synchronously.
  patch('vega-canvas', /[\\/]vega-canvas[\\/]build[\\/]vega-canvas\.node\.js$/, "await import('canvas')", "require('canvas')"),
];

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/report.ts'],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@resvg/resvg-js', '@aws-sdk/*', '@tensorflow/*'],
  // the ESM sources' import.meta, from the loader's arguments
  define: { 'import.meta.url': '__importMetaUrl', 'import.meta.resolve': '__importMetaResolve' },
  // One function expression: the loader runs it with the arguments a CommonJS module gets.
  banner: {
    js: '(function (exports, require, module, __filename, __dirname, __import) {"use strict";\n' +
      'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;\n' +
      'const __importMetaResolve = (s) => require("node:url").pathToFileURL(require.resolve(s)).href;',
  },
  footer: { js: '})' },
  plugins,
  // smaller source is less for V8 to parse and cache
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// A script compiled by vm cannot import() without an experimental hook (and not at
// all from a code cache), so the one dynamic import, of the AWS SDK, goes through
// the loader's own import() (the `__import` argument): still an ES module import,
// made only when it is needed.
let bundle = await readFile(BUNDLE, 'utf8');
const dynamicSdk = `import("${SDK}")`;
if (bundle.split(dynamicSdk).length !== 2) throw new Error(`expected one ${dynamicSdk} in ${BUNDLE}`);
bundle = bundle.replace(dynamicSdk, `__import("${SDK}")`);
if (/[^\w$.]import\(/.test(bundle)) throw new Error(`${BUNDLE} still has a dynamic import(), which cannot run from the code cache`);
bundle = bundle.replace(/^#!.*\n/, '');
await writeFile(BUNDLE, bundle);
await writeFile(`${BUNDLE}.cache`, new Script(bundle, { filename: fileURLToPath(new URL(`../${BUNDLE}`, import.meta.url)) }).createCachedData());

await writeFile('dist/cli/report.js', `#!/usr/bin/env node
// mnist-report: runs the CLI bundled by scripts/build-report.mjs (report.bundle.cjs,
// one function) with the V8 code cache made at build time. Source: src/cli/report.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('report.bundle.cjs', import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(\`\${file}.cache\`);
} catch {
  // no cache: V8 compiles the bundle as usual
}
const module = { exports: {} };
const run = new Script(readFileSync(file, 'utf8'), { filename: file, cachedData }).runInThisContext();
run(module.exports, createRequire(file), module, file, dirname(file), (specifier) => import(specifier));
`, { mode: 0o755 });
