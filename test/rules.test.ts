/**
 * Every rule's inline examples, run through the real analyzer: a positive example must yield exactly
 * one finding of its rule (Missing otherwise), a negative none (Noisy otherwise).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../cli/catalog.js';
import { analyzers } from '../cli/registry.js';
import { runRuleExamples } from '../core/index.js';

const { rules, problems } = loadCatalog();

describe('rule catalog examples', () => {
  it('loads without problems', () => {
    expect(problems).toEqual([]);
  });
  for (const rule of rules) {
    it(`${rule.id}`, async () => {
      const failures = (await runRuleExamples(rule, analyzers)).filter((o) => o.status !== 'ok');
      expect(failures.map((f) => `${f.status}: ${f.detail}`)).toEqual([]);
    });
  }
});
