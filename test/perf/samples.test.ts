/**
 * The sample apps through every scan route, with the built-in catalog and every registered
 * analyzer: prefilter on/off, main thread vs worker pool, cold vs warm cache, one scan vs merged
 * shards. Each pair must give the same report (timings aside).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../cli/catalog.js';
import { mergeResults } from '../../cli/commands/merge.js';
import { runScan, runScanDetailed } from '../../cli/scan.js';
import { REPO_ROOT, tempDir } from '../helpers.js';
import { comparable } from './corpus.js';

const { rules } = loadCatalog();
const APPS = ['sample-legacy-javaee', 'sample-legacy-node'];

for (const app of APPS) {
  const root = path.join(REPO_ROOT, 'fixtures', app);
  describe.runIf(existsSync(root))(`${app}: same report by every route`, { timeout: 600_000 }, () => {
    let reference: Awaited<ReturnType<typeof runScan>>;
    let ref: Record<string, unknown>;
    beforeAll(async () => {
      reference = await runScan(root, { rules });
      ref = comparable(reference as unknown as Record<string, unknown>);
    });

    it('has findings to compare', () => {
      expect(reference.findings.length).toBeGreaterThan(0);
    });

    it('without the token prefilter', async () => {
      const off = await runScan(root, { rules, noPrefilter: true });
      expect(comparable(off as unknown as Record<string, unknown>)).toEqual(ref);
    });

    it('in 2 worker threads', async () => {
      const { result, stats } = await runScanDetailed(root, { rules, jobs: 2, pool: 'always' });
      // Every file was handed to a worker (a minified bundle among them, which the worker skips).
      expect(stats).toMatchObject({ threads: 2, inWorkers: stats.analyzed });
      expect(stats.analyzed).toBeGreaterThanOrEqual(reference.summary.files);
      expect(comparable(result as unknown as Record<string, unknown>)).toEqual(ref);
    });

    it('from a warm cache, without parsing anything', async () => {
      const cacheDir = tempDir('paasport-samples-cache-');
      const cold = await runScanDetailed(root, { rules, cache: true, cacheDir, jobs: 1 });
      expect(cold.stats.analyzerRuns).toBeGreaterThan(0);
      const warm = await runScanDetailed(root, { rules, cache: true, cacheDir, jobs: 1 });
      expect(warm.stats).toMatchObject({ analyzerRuns: 0, analyzed: 0, cacheHits: cold.stats.files });
      expect(comparable(warm.result as unknown as Record<string, unknown>)).toEqual(ref);
    });

    it('as 3 shards merged', async () => {
      const shards = await Promise.all([1, 2, 3].map((index) => runScan(root, { rules, shard: { index, count: 3 } })));
      expect(shards.every((s) => s.findings.length < reference.findings.length || reference.findings.length === 0)).toBe(true);
      expect(comparable(mergeResults(shards) as unknown as Record<string, unknown>)).toEqual(ref);
    });
  });
}
