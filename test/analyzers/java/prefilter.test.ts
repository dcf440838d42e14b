/**
 * The token prefilter must never change what the Java rules find: scanning the Java EE sample with
 * and without it yields the same Java findings, and the prefilter really does skip work (some rule
 * is not run on some file).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../cli/catalog.js';
import { analyzers } from '../../../cli/registry.js';
import { runScan } from '../../../cli/scan.js';
import { ScanPlan } from '../../../core/index.js';
import { REPO_ROOT } from '../../helpers.js';

const root = path.join(REPO_ROOT, 'fixtures', 'sample-legacy-javaee');
const javaRules = loadCatalog().rules.filter((r) => r.match.analyzer === 'java');

describe('java rules and the token prefilter', () => {
  it('find exactly the same on the sample with and without the prefilter', async () => {
    const list = async (noPrefilter: boolean) =>
      (await runScan(root, { rules: javaRules, noPrefilter }))
        .findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    const filtered = await list(false);
    expect(filtered.length).toBeGreaterThan(50);
    expect(filtered).toEqual(await list(true));
  });

  it('every java rule declares tokens, and a file with none of them is not handed to the rule', () => {
    for (const r of javaRules) expect(r.match.tokens?.length, r.id).toBeGreaterThan(0);
    const plan = new ScanPlan(javaRules, analyzers);
    const runs = plan.analyzeFile({ path: 'src/Plain.java', text: 'package a; public class Plain { int twice(int x) { return 2 * x; } }' });
    expect(runs).toEqual([]);
  });
});
