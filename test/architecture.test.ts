/**
 * Data flows one way (files → analyzers → findings → score/reports/adapters); this test fails on an
 * import that goes against the flow, so the layering survives without review.
 */
import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

const FOLDERS = ['core', 'analyzers', 'reports', 'adapters', 'runtime-shim', 'cli'] as const;

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

/** The repo folder (and for analyzers, the analyzer) an import lands in, or the package name. */
function target(fromFile: string, spec: string): { folder?: string; sub?: string; pkg?: string } {
  if (!spec.startsWith('.')) return { pkg: spec };
  const rel = path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(fromFile), spec)).split(path.sep);
  return { folder: rel[0], sub: rel[1] };
}

const sources = fg.sync(FOLDERS.map((f) => `${f}/**/*.ts`), { cwd: REPO_ROOT, ignore: ['**/templates/**', '**/*.d.ts'] });

describe('import directions', () => {
  it('finds the source files', () => {
    expect(sources.length).toBeGreaterThan(10);
  });
  for (const file of sources) {
    const [folder, sub] = file.split('/');
    it(file, () => {
      const violations: string[] = [];
      for (const spec of importsOf(file)) {
        const t = target(file, spec);
        const bad = (why: string) => violations.push(`${spec}: ${why}`);
        if (t.folder === 'test' || t.folder === 'fixtures') bad('source never imports tests or fixtures');
        if (t.folder === 'rules') bad('rules are data, loaded by the catalog, never imported');
        switch (folder) {
          case 'core':
            if (t.folder && t.folder !== 'core') bad('core is a leaf');
            if (t.pkg === 'node:fs' || t.pkg === 'fs' || t.pkg === 'node:fs/promises') bad('core does no file I/O');
            break;
          case 'analyzers':
            if (t.folder && t.folder !== 'core' && t.folder !== 'analyzers') bad('analyzers import only core');
            // analyzers/common holds parser-free matching helpers several analyzers share
            if (t.folder === 'analyzers' && t.sub !== sub && t.sub !== 'common') bad('analyzers never import each other');
            if (sub === 'common' && t.pkg && !t.pkg.startsWith('node:')) bad('analyzers/common imports no parser or package');
            break;
          case 'reports':
            if (t.folder && !['core', 'reports'].includes(t.folder)) bad('reports import only core');
            break;
          case 'adapters':
            if (t.folder && !['core', 'adapters'].includes(t.folder)) bad('adapters import only core');
            break;
          case 'runtime-shim':
            if (t.folder && t.folder !== 'runtime-shim') bad('the runtime shim is an island');
            if (t.pkg && !t.pkg.startsWith('node:')) bad('the runtime shim uses node: built-ins only');
            break;
          default:
            break;
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
