/** Loads the HTML report's handlebars templates from the package folder (reports stay free of I/O). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

export const HTML_TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'reports', 'html', 'templates');

export function loadHtmlTemplates(dir = HTML_TEMPLATES_DIR): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.hbs')) out[name.slice(0, -'.hbs'.length)] = readFileSync(path.join(dir, name), 'utf8');
  }
  return out;
}
