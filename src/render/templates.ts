// Loads the Handlebars templates and partials into one isolated instance. The
// esbuild bundle (dist/cli/report.cjs, scripts/build-report.mjs) carries them
// precompiled, so a report compiles no template at run time; from source (tsx,
// tests) they are compiled here from templates/ (next to src/ and dist/, so the
// same relative path works from both).

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TemplateDelegate } from 'handlebars';
import { createHandlebars } from './helpers.js';
import { PRECOMPILED } from './templates-precompiled.js';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The options every template and partial is compiled with, at run time and at build time alike. */
const COMPILE_OPTIONS = { strict: false, preventIndent: true } as const;

let cache: Map<string, TemplateDelegate> | null = null;

/** A compiled template by file name, e.g. "report.md.hbs". */
export function loadTemplate(name: string): TemplateDelegate {
  cache ??= PRECOMPILED ? fromPrecompiled(PRECOMPILED) : compileSources();
  const t = cache.get(name);
  if (!t) throw new Error(`template ${name} not found in ${TEMPLATE_DIR}`);
  return t;
}

/**
 * The JavaScript of a module whose `PRECOMPILED` holds every template and partial
 * precompiled (Handlebars.precompile, same options as at run time); the bundle
 * build puts it in place of templates-precompiled.ts.
 */
export function precompiledModule(): string {
  const hb = createHandlebars();
  const entries = (files: TemplateFile[]): string =>
    files.map((f) => `${JSON.stringify(f.name)}: ${String(hb.precompile(f.source, COMPILE_OPTIONS))}`).join(',\n');
  const { templates, partials } = templateFiles();
  return `export const PRECOMPILED = {\ntemplates: {\n${entries(templates)}\n},\npartials: {\n${entries(partials)}\n}\n};\n`;
}

interface TemplateFile {
  /** Template file name, or the partial's name ("checks" for partials/checks.md.hbs). */
  name: string;
  source: string;
}

function templateFiles(): { templates: TemplateFile[]; partials: TemplateFile[] } {
  const read = (dir: string, name: (file: string) => string): TemplateFile[] =>
    readdirSync(dir).filter((f) => f.endsWith('.hbs')).sort()
      .map((file) => ({ name: name(file), source: readFileSync(join(dir, file), 'utf8') }));
  return {
    templates: read(TEMPLATE_DIR, (f) => f),
    partials: read(join(TEMPLATE_DIR, 'partials'), (f) => f.replace(/\.(md|html)\.hbs$/, '')),
  };
}

function compileSources(): Map<string, TemplateDelegate> {
  const hb = createHandlebars();
  const { templates, partials } = templateFiles();
  for (const p of partials) hb.registerPartial(p.name, p.source);
  return new Map(templates.map((t) => [t.name, hb.compile(t.source, COMPILE_OPTIONS)]));
}

function fromPrecompiled(pre: NonNullable<typeof PRECOMPILED>): Map<string, TemplateDelegate> {
  const hb = createHandlebars();
  for (const [name, spec] of Object.entries(pre.partials)) hb.registerPartial(name, hb.template(spec));
  return new Map(Object.entries(pre.templates).map(([name, spec]) => [name, hb.template(spec)]));
}
