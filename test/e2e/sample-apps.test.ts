/**
 * The bundled sample apps' complete findings, reviewed by hand and asserted exactly. Each expected
 * file lists `path:line ruleId`, one finding per line, sorted; `#` lines are comments. The Java EE
 * sample's list is split by who owns it: `.java` files in one list, everything else in another.
 * To see the current output in that format: `UPDATE_EXPECTED=print npx vitest run test/e2e/sample-apps.test.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../cli/catalog.js';
import { runScan } from '../../cli/scan.js';
import { REPO_ROOT } from '../helpers.js';

function expected(name: string): string[] {
  const file = path.join(REPO_ROOT, 'test', 'e2e', 'expected', name);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const { rules } = loadCatalog();

const apps: Array<{ app: string; parts: Array<{ list: string; owns: (file: string) => boolean }> }> = [
  {
    app: 'sample-legacy-javaee',
    parts: [
      { list: 'sample-legacy-javaee.java.txt', owns: (f) => f.endsWith('.java') },
      { list: 'sample-legacy-javaee.config.txt', owns: (f) => !f.endsWith('.java') },
    ],
  },
  { app: 'sample-legacy-node', parts: [{ list: 'sample-legacy-node.txt', owns: () => true }] },
];

for (const { app, parts } of apps) {
  const root = path.join(REPO_ROOT, 'fixtures', app);
  describe.runIf(existsSync(root))(`${app}: complete expected findings`, () => {
    let result: Awaited<ReturnType<typeof runScan>>;
    let actual: string[];
    beforeAll(async () => {
      result = await runScan(root, { rules });
      actual = result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    });
    for (const part of parts) {
      it(`${part.list}`, () => {
        const mine = actual.filter((l) => part.owns(l.slice(0, l.lastIndexOf(':'))));
        if (process.env.UPDATE_EXPECTED === 'print') console.log(`--- ${part.list}\n${mine.join('\n')}`);
        expect(mine).toEqual(expected(part.list));
      });
    }
    it('reports no unexpected errors', () => {
      expect(result.errors.filter((e) => !e.file.includes('broken'))).toEqual([]);
    });
  });
}
