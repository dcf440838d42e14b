/**
 * The token prefilter must hand an analyzer exactly the rules whose tokens occur in a file — never
 * fewer (a missed finding), and no more than needed. Checked against a brute-force `includes` on
 * random texts built from overlapping tokens, the cases where a single left-to-right regex pass
 * goes wrong (a token inside another, a token overlapping another's end, case differences).
 */
import { describe, expect, it } from 'vitest';
import { literalTrieRegex, ScanPlan, type Analyzer, type AnalyzerRule, type Rule } from '../../core/index.js';

function rule(id: string, tokens?: string[]): Rule {
  return {
    id,
    concern: 'local-storage',
    severity: 'potential',
    effort: 1,
    title: id,
    message: id,
    remediation: 'x',
    links: [],
    tags: [],
    match: { analyzer: 'probe', ...(tokens ? { tokens } : {}) },
    examples: { positive: [], negative: [] },
    source: id,
  };
}

function probe(): { analyzer: Analyzer; seen: string[][] } {
  const seen: string[][] = [];
  const analyzer: Analyzer = {
    id: 'probe',
    description: 'records which rules it is handed',
    handles: () => true,
    validate: () => [],
    analyze(_file, rules: AnalyzerRule[]) {
      seen.push(rules.map((r) => r.id).sort());
      return { matches: [] };
    },
  };
  return { analyzer, seen };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const TOKENS = ['abc', 'bcd', 'ab', 'HashMap', 'ConcurrentHashMap', 'map', 'a.b', 'password', 'db.password', 'word', '://', 'x(', 'ÄÖ'];

describe('token prefilter', () => {
  it('selects exactly the rules whose tokens occur, for 2,000 random texts', () => {
    const rules = [...TOKENS.map((t, i) => rule(`r/${i}`, [t])), rule('r/pair', ['bcd', 'word']), rule('r/always')];
    const { analyzer, seen } = probe();
    const plan = new ScanPlan(rules, [analyzer]);
    const rnd = lcg(42);
    const pieces = [...TOKENS, ...TOKENS.map((t) => t.toUpperCase()), 'a', 'b', 'c', 'd', ' ', '.', 'ConcurrentHash', 'pass', 'wor'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const len = Math.floor(rnd() * 12);
      for (let i = 0; i < len; i++) text += pieces[Math.floor(rnd() * pieces.length)];
      seen.length = 0;
      plan.analyzeFile({ path: 'f.txt', text });
      const lower = text.toLowerCase();
      const expected = rules.filter((r) => !r.match.tokens || r.match.tokens.some((t) => lower.includes(t.toLowerCase()))).map((r) => r.id).sort();
      expect(seen[0] ?? [], JSON.stringify(text)).toEqual(expected);
    }
  });

  it('hands every rule over with noPrefilter', () => {
    const rules = TOKENS.map((t, i) => rule(`r/${i}`, [t]));
    const { analyzer, seen } = probe();
    new ScanPlan(rules, [analyzer], { noPrefilter: true }).analyzeFile({ path: 'f.txt', text: 'nothing' });
    expect(seen[0]).toHaveLength(TOKENS.length);
  });

  it('skips the analyzer when no token occurs and every rule has tokens', () => {
    const { analyzer, seen } = probe();
    new ScanPlan([rule('r/a', ['needle'])], [analyzer]).analyzeFile({ path: 'f.txt', text: 'haystack' });
    expect(seen).toEqual([]);
  });

  it('builds a trie-shaped regex that matches each token and nothing shorter', () => {
    const re = new RegExp(`^(?:${literalTrieRegex(['file', 'filewriter', 'fileoutputstream', 'a.b'])})$`, 'i');
    for (const t of ['file', 'FileWriter', 'fileOutputStream', 'A.B']) expect(re.test(t), t).toBe(true);
    for (const t of ['fil', 'filew', 'axb', 'fileoutput']) expect(re.test(t), t).toBe(false);
  });
});
