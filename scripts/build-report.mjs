// Bundles the report CLI into dist/cli/report.js (over tsc's output of the same
// file) with esbuild, so that starting `mnist-report` resolves and loads one file
// instead of ~1,000 modules, and swaps in the Handlebars templates precompiled
// (src/render/templates-precompiled.ts → precompiledModule() of the tsc build),
// so that no template is compiled at run time.
//
// Kept out of the bundle: @resvg/resvg-js (a native addon), the AWS SDK (loaded
// with a dynamic import only for --log-group input, so a local file never pays for
// it) and TensorFlow.js (never used by the report; external so that an accidental
// import shows up as a load, not as megabytes of bundle).
//
//   node scripts/build-report.mjs      (run by `npm run build`, after tsc)

import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { precompiledModule } = await import(new URL('../dist/render/templates.js', import.meta.url).href);

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

/**
 * yargs finds its translations (locales/*.json) and the package.json it reads its
 * settings from relative to its own file, which inside the bundle would be
 * dist/cli/report.js; let it see the installed package's location instead, so that
 * it behaves as unbundled (e.g. LANG=de_DE still gets German usage errors).
 */
const yargsLocation = {
  name: 'yargs-location',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const from = 'const __dirname = fileURLToPath(import.meta.url);';
      if (!source.includes(from)) throw new Error(`yargs changed: "${from}" not found in ${args.path}`);
      const to = 'const __dirname = (() => { try { return fileURLToPath(new URL(\'lib/platform-shims/esm.mjs\', ' +
        'import.meta.resolve(\'yargs\'))); } catch { return fileURLToPath(import.meta.url); } })();';
      return { contents: source.replace(from, to), loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/report.ts'],
  outfile: 'dist/cli/report.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@resvg/resvg-js', '@aws-sdk/*', '@tensorflow/*'],
  // CommonJS packages inside an ESM bundle call require() for node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  plugins: [precompiledTemplates, yargsLocation],
  // smaller source is less for V8 to parse at start-up (~10-20 ms and ~4 MB here)
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
