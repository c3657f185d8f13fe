// Makes vega's SVG an accessible image that needs no script: the root becomes
// role="img" named by a <title> and described by a <desc>, and each mark vega
// labelled for screen readers (aria-label on points, rules, bands) also gets an
// SVG <title> child, which browsers show on hover (vega's own tooltips need its
// JavaScript handler, which a static page does not run). Lines keep no title: a
// line's aria-label is its first point's, wrong for the rest of the line. An empty mark
// container is hidden from screen readers.

import { escapeXml } from './escape.js';

/** Ids in the SVG start with this, so several charts inline in one page stay unique. */
export function chartIdPrefix(name: string): string {
  return `chart-${name}`;
}

export function accessibleSvg(svg: string, name: string, title: string, desc: string): string {
  const id = chartIdPrefix(name);
  const head = `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>`;
  return svg
    // a mark container with no marks (a layer whose data is empty): vega gives it role="graphics-symbol" with no name,
    // which screen readers announce as an unnamed image (axe: svg-img-alt); it shows nothing, so it is hidden from them
    .replace(/<g ([^>]*?)role="graphics-symbol"([^>]*?)\/>/g, '<g $1aria-hidden="true"$2/>')
    .replace(/^<svg ([^>]*)>/, (_, attrs: string) =>
      `<svg ${attrs} role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">${head}`)
    .replace(/<(path|line|rect|circle) ([^>]*?aria-label="([^"]*)"[^>]*?)\/>/g, (whole, tag: string, attrs: string, label: string) =>
      attrs.includes('aria-roledescription="line mark"') ? whole : `<${tag} ${attrs}><title>${label}</title></${tag}>`);
}
