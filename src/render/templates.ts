// Loads the Handlebars templates and partials from templates/ (next to src/ and
// dist/, so the same relative path works from both) into one isolated instance.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TemplateDelegate } from 'handlebars';
import { createHandlebars } from './helpers.js';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

let cache: Map<string, TemplateDelegate> | null = null;

/** A compiled template by file name, e.g. "report.md.hbs". */
export function loadTemplate(name: string): TemplateDelegate {
  if (!cache) {
    const hb = createHandlebars();
    const partials = join(TEMPLATE_DIR, 'partials');
    for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs')).sort()) {
      hb.registerPartial(file.replace(/\.(md|html)\.hbs$/, ''), readFileSync(join(partials, file), 'utf8'));
    }
    cache = new Map();
    for (const file of readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.hbs')).sort()) {
      cache.set(file, hb.compile(readFileSync(join(TEMPLATE_DIR, file), 'utf8'), { strict: false, preventIndent: true }));
    }
  }
  const t = cache.get(name);
  if (!t) throw new Error(`template ${name} not found in ${TEMPLATE_DIR}`);
  return t;
}
