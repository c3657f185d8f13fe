// Builds the report bin: dist/cli/report.cjs is a small CommonJS loader that runs
// the whole CLI bundled by esbuild into one function, dist/cli/report.bundle.cjs,
// with a V8 code cache made here. Start-up then resolves and loads one file instead
// of ~1,000 modules, and V8 deserialises compiled code instead of parsing ~1 MB of
// JavaScript. The cache is written at the end of a real report of the bundled
// fixture, so it holds every function a report runs (compiled lazily, on first
// call), not only the top level: ~45 ms less per report than a cache of the top
// level alone. A cache from another node/V8 version (or other V8 flags) is rejected
// by V8, and the code is simply compiled. The Handlebars templates are bundled
// precompiled (src/render/templates-precompiled.ts → precompiledModule() of the tsc
// build), with handlebars' runtime only, so no template is compiled at run time.
//
// Kept out of the bundle: @resvg/resvg-js (a native addon), the AWS SDK (imported
// only for --log-group input, so a local file never pays for it) and TensorFlow.js
// (never used by the report; external so that an accidental import shows up as a
// load, not as megabytes of bundle).
//
//   node scripts/build-report.mjs      (run by `npm run build`, after tsc)

import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const { precompiledModule } = await import(new URL('../dist/render/templates.js', import.meta.url).href);
const { pngWorkerFile, resvgBinding, PNG_WORKER_FILE, PRESTARTED_KEY, WORKER_LIMITS } = await import(new URL('../dist/render/png-worker.js', import.meta.url).href);
const BUNDLE = 'dist/cli/report.bundle.cjs';
const LOADER = 'dist/cli/report.cjs';
const PNG_WORKER = `dist/cli/${PNG_WORKER_FILE}`;
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

/** Replaces each `from` with its `to` in the module at `filter` (the build fails if one is not there any more). */
const patch = (name, filter, ...replacements) => ({
  name,
  setup(b) {
    b.onLoad({ filter }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of replacements) {
        if (!source.includes(from)) throw new Error(`${name}: "${from}" not found in ${args.path}`);
        source = source.replace(from, to);
      }
      return { contents: source, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
});

/**
 * The strict check of mnist-train/1 (src/events.ts's `Compile(TrainEventSchema)`, the reader's
 * fast check of every line), generated here by TypeBox's own Build instead of at every start:
 * TypeBox walked the schema and compiled its code with `Function` before the first line was read
 * (~4-6 ms), and a function made by `Function` is not in the code cache. The bundle gets TypeBox's
 * code as it is, with its externals (regular expressions, format checks such as IsDateTime)
 * written in; before it is used, the build checks that it answers as Compile's does for every
 * event of the fixtures and for broken copies of each (each field gone in turn, one field more,
 * a number for its time, an empty run id), and fails if any answer differs. The schema comes from
 * tsc's output (dist/), which `npm run build` has just written; the build fails if src/ is newer.
 */
async function precompiledEventCheck() {
  const { Build, CheckContext } = await import('typebox/schema');
  const Format = await import('typebox/format');
  const { Compile } = await import('typebox/compile');
  const { Guard } = await import('typebox/guard');
  const { Hashing } = await import('typebox/system');
  const compiled = new URL('../dist/events-schema.js', import.meta.url);
  if (statSync(join(root, 'src/events-schema.ts')).mtimeMs > statSync(compiled).mtimeMs) {
    throw new Error('event check: src/events-schema.ts is newer than dist/events-schema.js: run `npm run build` (tsc first)');
  }
  const { TrainEventSchema } = await import(compiled.href);
  const built = Build(TrainEventSchema);
  const external = built.External();
  /** The externals as source, each format check read from `format` (the name typebox/format is imported under). */
  const externals = (format) => `[${external.variables.map((v, i) => {
    if (v instanceof RegExp) return v.toString();
    const name = typeof v === 'function' && Object.keys(Format).find((k) => /^Is[A-Z]/.test(k) && Format[k] === v);
    if (!name) throw new Error(`event check: TypeBox's external ${i} (${typeof v}) is neither a regular expression nor a check of typebox/format`);
    return `${format}.${name}`;
  }).join(', ')}]`;
  const factory = `(CheckContext, Guard, Hashing, ${external.identifier}) => { ${built.Evaluate().Code()} }`;
  const check = new Function('CheckContext', 'Guard', 'Hashing', 'Format', `return (${factory})(CheckContext, Guard, Hashing, ${externals('Format')});`)(CheckContext, Guard, Hashing, Format);
  const reference = Compile(TrainEventSchema);
  let compared = 0;
  for (const file of ['mnist-train-5epochs.jsonl', 'mnist-train-1epoch-evaluation.jsonl']) {
    for (const line of (await readFile(join(root, 'fixtures', file), 'utf8')).split('\n').filter(Boolean)) {
      const event = JSON.parse(line);
      const broken = [event, { ...event, extra: 1 }, { ...event, time: 5 }, { ...event, run_id: '' },
        ...Object.keys(event).map((gone) => Object.fromEntries(Object.entries(event).filter(([k]) => k !== gone)))];
      for (const value of broken) {
        compared++;
        if (check(value) !== reference.Check(value)) throw new Error(`event check: the generated check and TypeBox's Compile disagree on ${JSON.stringify(value).slice(0, 200)}`);
      }
    }
  }
  if (!compared) throw new Error('event check: no fixture events to check the generated check with');
  const to = "import { CheckContext as TypeBoxCheckContext } from 'typebox/schema';\nimport { Guard as TypeBoxGuard } from 'typebox/guard';\nimport { Hashing as TypeBoxHashing } from 'typebox/system';\nimport * as TypeBoxFormat from 'typebox/format';\n"
    + `const strict = { Check: ((${factory})(TypeBoxCheckContext, TypeBoxGuard, TypeBoxHashing, ${externals('TypeBoxFormat')})) };`;
  return patch('precompiled-event-check', /[\\/]src[\\/]events\.ts$/, ['const strict = Compile(TrainEventSchema);', to]);
}

/**
 * yargs needs cliui and string-width only to lay out --help, but their module bodies run
 * at start-up: Intl.Segmenter and emoji regular expressions in three copies of
 * string-width (yargs', cliui's, wrap-ansi's), ~15-25 ms of every run. Through this module
 * yargs gets them on first use: esbuild runs a module that is require()d when it is first required.
 */
const lazyHelpLayout = {
  name: 'lazy-help-layout',
  setup(b) {
    b.onResolve({ filter: /^mnist-report:lazy-help-layout$/ }, (args) => ({ path: args.resolveDir, namespace: 'lazy-help-layout' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-help-layout' }, (args) => ({
      // resolved from yargs' own folder, as its imports were
      resolveDir: args.path,
      loader: 'js',
      contents: "export const cliui = (options) => require('cliui').default(options);\n" +
        "export const stringWidth = (text, options) => require('string-width').default(text, options);\n",
    }));
  },
};

const plugins = [
  precompiledTemplates,
  // yargs finds its translations (locales/*.json) and the package.json it reads its
  // settings from relative to its own file; let it see the installed package's
  // location, so that it behaves as unbundled (e.g. LANG=de_DE gets German errors):
  // the first node_modules/yargs up from the bin, as require would find it (resolving
  // yargs' conditional exports with import.meta.resolve took ~2 ms of every start; it
  // stays the fallback). And it gets cliui and string-width through lazyHelpLayout.
  patch('yargs-shim', /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    ['const __dirname = fileURLToPath(import.meta.url);',
      'const __dirname = (() => { try { ' +
        'const dir = __packageDir(\'yargs\'); ' +
        'return dir ? join(dir, \'lib/platform-shims/esm.mjs\') : fileURLToPath(new URL(\'lib/platform-shims/esm.mjs\', ' +
        'import.meta.resolve(\'yargs\'))); } catch { return fileURLToPath(import.meta.url); } })();'],
    ["import cliui from 'cliui'", "import { cliui, stringWidth } from 'mnist-report:lazy-help-layout'"],
    ["import stringWidth from 'string-width';", '']),
  lazyHelpLayout,
  // d3-timer (vega's animation timers, which a headless SVG never starts) takes its clock at load
  // with `typeof performance`, and Node loads perf_hooks at the first touch of that global (~2 ms
  // of every start, in the middle of vega's load); the same clock, looked up when first read.
  patch('d3-timer', /[\\/]d3-timer[\\/]dist[\\/]d3-timer\.mjs$/,
    ['clock = typeof performance === "object" && performance.now ? performance : Date,',
      'clock = { now: () => (typeof performance === "object" && performance.now ? performance : Date).now() },']),
  // vega-scale makes an interpolator for each of its ~40 continuous colour schemes at load (~2 ms of
  // every start that draws a chart); the same interpolator, made when a chart first asks for its scheme.
  patch('vega-scale', /[\\/]vega-scale[\\/]build[\\/]vega-scale\.js$/,
    ['apply(continuous, _ => interpolateColors(colors(_)));',
      'for (const k in continuous) { const key = k.toLowerCase(); let made; ' +
        'Object.defineProperty(schemes, key, { configurable: true, enumerable: true, ' +
        'get: () => (made ??= interpolateColors(colors(continuous[k]))), ' +
        'set: (v) => { Object.defineProperty(schemes, key, { value: v, writable: true, configurable: true, enumerable: true }); } }); }']),
  // vega-canvas looks for the optional `canvas` package with a top-level await,
  // which a function cannot hold; the same lookup, synchronously.
  patch('vega-canvas', /[\\/]vega-canvas[\\/]build[\\/]vega-canvas\.node\.js$/, ["await import('canvas')", "require('canvas')"]),
  // vega compiles each expression of a chart's dataflow, and its field getters and comparators, with
  // `Function` at every View; through chartExpressions those it compiled for the captures' charts
  // at build time are functions of the bundle, which the code cache holds compiled.
  patch('vega-runtime', /[\\/]vega-runtime[\\/]build[\\/]vega-runtime\.js$/,
    ["function expression(ctx, args, code) {", "import { vegaFunction } from 'mnist-report:chart-expressions';\nfunction expression(ctx, args, code) {"],
    ['const fn = Function(...args.concat(code));', 'const fn = vegaFunction(...args.concat(code));'],
    ['const get = Function(\'_\', `return _${ref};`);', 'const get = vegaFunction(\'_\', `return _${ref};`);'],
    ["const fn = Function('a', 'b', 'var u, v; return ' + fields.map(map).join('') + '0;');", "const fn = vegaFunction('a', 'b', 'var u, v; return ' + fields.map(map).join('') + '0;');"]),
];

/**
 * The module vega-runtime's patch imports: vegaFunction(...parameters, body) is the function
 * `Function(...parameters, body)` would make, taken from `known` (recorded at build time; each a
 * function expression of the bundle with the same parameters and body) when it is there. With
 * MNIST_REPORT_EXPRESSIONS_OUT set (the build's reports of the captures), each one not known is
 * written to a file of that folder at exit, a JSON array of its parts per line.
 */
function chartExpressions(known) {
  const entries = known.map((parts) => `[${JSON.stringify(parts.join('\u0000'))}, function anonymous(${parts.slice(0, -1).join(',')}\n) {\n${parts.at(-1)}\n}]`);
  const contents = `const record = process.env.MNIST_REPORT_EXPRESSIONS_OUT;
const unknown = record ? new Map() : null;
let table = null;
export function vegaFunction(...parts) {
  const key = parts.join('\\u0000');
  const known = (table ??= new Map([\n${entries.join(',\n')}\n])).get(key);
  if (known) return known;
  if (unknown) unknown.set(key, parts);
  return Function(...parts);
}
if (unknown) process.on('exit', () => {
  if (unknown.size) require('node:fs').writeFileSync(require('node:path').join(record, process.pid + '.jsonl'), [...unknown.values()].map((p) => JSON.stringify(p) + '\\n').join(''));
});
`;
  return {
    name: 'chart-expressions',
    setup(b) {
      b.onResolve({ filter: /^mnist-report:chart-expressions$/ }, () => ({ path: 'chart-expressions', namespace: 'chart-expressions' }));
      b.onLoad({ filter: /.*/, namespace: 'chart-expressions' }, () => ({ contents, loader: 'js' }));
    },
  };
}

/**
 * resvg's native binding for this machine, relative to dist/cli/ (the bundle's and the worker file's folder):
 * both threads require it directly (png-worker.ts, resvgFrom), without resvg-js' loader. Undefined if not found.
 */
const resvgBindingFound = resvgBinding();
const resvgBindingFromCli = resvgBindingFound ? relative(join(root, 'dist/cli'), resvgBindingFound) : undefined;

/** esbuild's bundle of the CLI, with the chart expressions `known`, post-processed (below) and written to BUNDLE. */
async function bundleCli(known) {
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
    define: { 'import.meta.url': '__importMetaUrl', 'import.meta.resolve': '__importMetaResolve', __RESVG_BINDING__: JSON.stringify(resvgBindingFromCli) ?? 'undefined' },
    // One function expression: the loader runs it with the arguments a CommonJS module gets.
    banner: {
      js: '(function (exports, require, module, __filename, __dirname, __import) {"use strict";\n' +
        'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;\n' +
        'const __importMetaResolve = (s) => require("node:url").pathToFileURL(require.resolve(s)).href;\n' +
        // the folder of an installed package: the first node_modules/NAME up from the bin, as require finds it
        'const __packageDir = (s) => require.resolve.paths(s)?.map((d) => require("node:path").join(d, s)).find((d) => require("node:fs").existsSync(require("node:path").join(d, "package.json")));',
    },
    footer: { js: '})' },
    plugins: [...plugins, eventCheck, chartExpressions(known)],
    // smaller source is less for V8 to parse and cache
    minify: process.env.MNIST_REPORT_MINIFY !== "0",
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
  return bundle;
}
/** The event check (built and checked once, for both passes of the bundle). */
const eventCheck = await precompiledEventCheck();
/** A character the loader's latin1 reading would get wrong. */
const NON_ASCII = /[^\x00-\x7f]/;
let bundle = await bundleCli([]);
// how the loader reads the bundle: as latin1 when every character is ASCII (then the same text, read and
// decoded ~1 ms sooner than as UTF-8), else as UTF-8 (the second pass below adds only the chart expressions, in ASCII)
const bundleEncoding = NON_ASCII.test(bundle) ? 'utf8' : 'latin1';

await writeFile(PNG_WORKER, pngWorkerFile(resvgBindingFromCli));

await writeFile(LOADER, `#!/usr/bin/env sh
":" //; case " $* " in *" --log-group"*|*" --logGroup"*) ;; *) unset NODE_EXTRA_CA_CERTS ;; esac; exec node "$0" "$@"
// mnist-report: runs the CLI bundled by scripts/build-report.mjs (report.bundle.cjs,
// one function) with the V8 code cache made at build time. Source: src/cli/report.ts.
//
// Run as a command (the bin, npx), this file is first a shell script: the line above is
// sh's, and a comment after a string to JavaScript. It starts node on this same file, without
// NODE_EXTRA_CA_CERTS unless the arguments name a log group: Node reads the certificates that
// variable names, and builds its whole root store, at every start, before any script runs
// (~50 ms of a 0.3 s report where it names the system bundle), and only CloudWatch's TLS needs
// them. \`node report.cjs\` runs the JavaScript alone, with the environment as it is.
'use strict';

// libuv's thread pool (file reads, gunzip, DNS, resvg's PNG rasterising) starts at
// its first use with UV_THREADPOOL_SIZE threads, 4 by default. One is enough here: it
// reads one file, and rasterises one chart while this thread builds the next; and
// each extra thread's malloc arena kept resvg's freed memory, 12-15 MB of peak RSS.
// It has to be set before the pool starts, which is why this entry is CommonJS: an
// ES module entry is itself read through the pool.
process.env.UV_THREADPOOL_SIZE ??= '1';

const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// The PNG worker (src/render/png-worker.ts) starts here, before the bundle is compiled, when
// the arguments name an input file and no flag that rules out its charts: Node's start of a
// worker (~80 ms, on the other core) then overlaps this thread's own start, and the worker is
// ready for the first chart rather than after it. The CLI adopts it, or ends it once it knows
// it draws no chart soon (a large file, a listing: dropPrestartedPngWorker). Not for stdin (-i -),
// whose worker starts at its first report.
const NO_PNG_WORKER = new Set(['-h', '--help', '--version', '--list', '--follow', '-f', '--format', '--log-group']);
const args = process.argv.slice(2);
const inputs = args.flatMap((a, i) => (a === '-i' || a === '--input' ? [args[i + 1]] : a.startsWith('--input=') ? [a.slice(8)] : []));
if (inputs.length && !inputs.includes('-') && !args.some((a) => NO_PNG_WORKER.has(a.split('=')[0]))) {
  try {
    const { Worker } = require('node:worker_threads');
    // until the CLI adopts it (and takes these listeners off): a worker that fails is not adopted,
    // and its error is not thrown here
    const entry = { worker: new Worker(join(__dirname, ${JSON.stringify(PNG_WORKER_FILE)}), { resourceLimits: ${JSON.stringify(WORKER_LIMITS)} }), failed: false };
    entry.onEnd = () => { entry.failed = true; };
    entry.worker.on('error', entry.onEnd).on('exit', entry.onEnd);
    entry.worker.unref();
    globalThis[Symbol.for(${JSON.stringify(PRESTARTED_KEY)})] = entry;
  } catch {
    // no worker now: the CLI starts its own, or draws the charts on this thread
  }
}

const file = join(__dirname, 'report.bundle.cjs');
let cachedData;
try {
  cachedData = readFileSync(\`\${file}.cache\`);
} catch {
  // no cache: V8 compiles the bundle as usual
}
// ${bundleEncoding}: ${bundleEncoding === 'latin1' ? 'the bundle is ASCII only (esbuild escapes the rest when it minifies), so its latin1 reading is its text, read and decoded ~1 ms sooner than as UTF-8 (2.5 against 3.75 ms in fresh processes)' : 'the bundle holds characters outside ASCII (an unminified build keeps its comments)'}
const script = new Script(readFileSync(file, '${bundleEncoding}'), { filename: file, cachedData });
const cacheOut = process.env.MNIST_REPORT_CODE_CACHE_OUT;
if (cacheOut) {
  // build time (scripts/build-report.mjs): after a whole report, the cache holds every
  // function that ran, not only the top level. V8 rejects a cache made under other
  // flags, so first undo the ones the CLI changes (src/cli/heap.ts; 2 is V8's default).
  process.on('exit', () => {
    require('node:v8').setFlagsFromString('--semi-space-growth-factor=2');
    require('node:v8').setFlagsFromString('--no-expose-gc');
    require('node:v8').setFlagsFromString('--interrupt-budget=67584');
    require('node:v8').setFlagsFromString('--parallel-scavenge');
    writeFileSync(cacheOut, script.createCachedData());
  });
}
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(file), module_, file, dirname(file), (specifier) => import(specifier));
`);
// Both bins run as commands (npm links them; npm run bench runs them so): writeFile's mode applies
// only to a new file, and tsc writes train.js as 0644.
await chmod(LOADER, 0o755);
await chmod('dist/cli/train.js', 0o755);
// tsc's unbundled build of the same CLI: not the bin, and not to be run by mistake
await rm('dist/cli/report.js', { force: true });

// The code cache: the bin reports the bundled fixture once and writes the cache as it
// exits; a fresh process then checks that V8 accepts it (the build fails if not). A
// build without fixtures/ (the container's) caches the top level alone.
const cache = `${BUNDLE}.cache`;
const WARM_INPUT = 'fixtures/cloudwatch-filter-log-events.json';
// The charts' compiled shapes (src/render/chart-compile.ts): first a report of every run of each
// real capture in fixtures/ (our trainer's, Keras, PyTorch, Lightning, Hugging Face, ...: 17 files,
// each on its own as a user would report it, two at a time, ~5 s), which writes each chart's shape
// here, so that a user's run of any of those kinds draws its charts without vega-lite; the code
// cache's report then reads them, as a user's report does, so the cache holds the functions of
// that path. (fixtures/bad/ holds hand-made bad inputs: not read.)
const SHAPES = 'dist/chart-shapes';
const CAPTURES = ['fixtures', 'fixtures/formats'].flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)) : [])
  .filter((f) => /\.(json|jsonl|log|csv)$/.test(f)).map((f) => `${dir}/${f}`)).sort();
await rm(cache, { force: true });
await rm(join(root, SHAPES), { recursive: true, force: true });

/** Reports each capture (every run, md only) with MNIST_REPORT_CHART_SHAPES_OUT set, two at a time. */
async function makeShapes(scratch, expressions) {
  const env = { ...process.env, MNIST_REPORT_CHART_SHAPES_OUT: join(root, SHAPES), MNIST_REPORT_EXPRESSIONS_OUT: expressions };
  // the parent of the reports' folders exists first: a report removes the folders it made to probe
  // --out, so two of them making the same parent at once each may see it vanish (a clean-clone CI run
  // failed so, before src/render/write.ts made such a folder again); made here, no report removes it
  await mkdir(scratch, { recursive: true });
  const queue = CAPTURES.map((f, i) => [f, join(scratch, String(i))]);
  const one = ([f, out]) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOADER, '--input', f, '--run', 'all', '--format', 'md', '--out', out, '--generated-at', '2026-11-24T00:00:00Z'],
      { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    // exit 2: a capture that holds no epoch (the scikit-learn ones), which is said, its report written; 3: a run whose
    // verdict is failed (the default gate: a capture whose own accuracy is at chance); 4: no epoch results yet
    child.on('close', (code) => ([0, 2, 3, 4].includes(code) && /wrote/.test(stderr) ? resolve() : reject(new Error(`making the charts' shapes from ${f}: the bin exited ${code}: ${stderr}`))));
  });
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await one(job);
  };
  await Promise.all([lane(), lane()]);
}
if (existsSync(join(root, WARM_INPUT))) {
  const scratch = await mkdtemp(join(tmpdir(), 'mnist-report-cache-'));
  try {
    const recorded = join(scratch, 'expressions');
    await mkdir(recorded);
    await makeShapes(join(scratch, 'shapes'), recorded);
    // the expressions vega compiled for those charts, now functions of the bundle (chartExpressions)
    const lines = new Set();
    for (const f of await readdir(recorded)) {
      for (const line of (await readFile(join(recorded, f), 'utf8')).split('\n').filter(Boolean)) lines.add(line);
    }
    bundle = await bundleCli([...lines].sort().map((line) => JSON.parse(line)));
    if (bundleEncoding === 'latin1' && NON_ASCII.test(bundle)) throw new Error(`${BUNDLE}: the chart expressions brought a character outside ASCII, and the loader reads the bundle as latin1`);
    const warm = spawnSync(process.execPath, [LOADER, '--input', WARM_INPUT, '--out', scratch, '--generated-at', '2026-11-24T00:00:00Z'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, MNIST_REPORT_CODE_CACHE_OUT: cache } });
    if (warm.status !== 0) throw new Error(`making the code cache: the bin exited ${warm.status}: ${warm.stderr}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
} else {
  process.stderr.write(`build-report: no ${WARM_INPUT}, so the code cache holds the top level only\n`);
  await writeFile(cache, new Script(bundle, { filename: join(root, BUNDLE) }).createCachedData());
}
const check = spawnSync(process.execPath, ['-e', `const fs = require('node:fs'); const { Script } = require('node:vm');
process.stdout.write(String(new Script(fs.readFileSync(process.argv[1], 'utf8'), { filename: process.argv[1], cachedData: fs.readFileSync(process.argv[1] + '.cache') }).cachedDataRejected));`,
  join(root, BUNDLE)], { encoding: 'utf8' });
if (check.stdout !== 'false') throw new Error(`V8 rejects the code cache made for ${BUNDLE} (${check.stdout} ${check.stderr})`);
