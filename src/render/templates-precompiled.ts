// Placeholder for the precompiled report templates. From source (tsx, tests) this
// is null and templates.ts compiles templates/ at run time; scripts/build-report.mjs
// replaces this module in the bundle with the output of precompiledModule().

import type Handlebars from 'handlebars';

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

export interface PrecompiledTemplates {
  /** By template file name, e.g. "report.md.hbs". */
  templates: Record<string, TemplateSpecification>;
  /** By partial name, e.g. "checks". */
  partials: Record<string, TemplateSpecification>;
}

export const PRECOMPILED: PrecompiledTemplates | null = null;
