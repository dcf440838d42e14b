/**
 * The token prefilter must hand an analyzer exactly the rules whose tokens occur in a file — never
 * fewer (a missed finding), and no more than needed. Checked against a brute-force `includes` on
 * random texts built from overlapping tokens, the cases where a single left-to-right regex pass
 * goes wrong (a token inside another, a token overlapping another's end, case differences), for
 * case-insensitive and case-sensitive analyzers, `(?i)` tokens and all-of groups.
 */
import { describe, expect, it } from 'vitest';
import { literalTrieRegex, ScanPlan, type Analyzer, type AnalyzerRule, type Rule, type RuleTokens } from '../../core/index.js';

function rule(id: string, tokens?: RuleTokens, scope?: 'project'): Rule {
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
    match: { analyzer: 'probe', ...(tokens ? { tokens } : {}), ...(scope ? { scope } : {}) },
    examples: { positive: [], negative: [] },
    source: id,
  };
}

function probe(caseSensitiveTokens = false): { analyzer: Analyzer; seen: string[][] } {
  const seen: string[][] = [];
  const analyzer: Analyzer = {
    id: 'probe',
    caseSensitiveTokens,
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

/** The meaning of `tokens`, spelled out naively: what the one-pass prefilter must agree with. */
function bruteForce(tokens: RuleTokens, text: string, caseSensitive: boolean): boolean {
  const has = (t: string): boolean => {
    const insensitive = !caseSensitive || t.startsWith('(?i)');
    const body = t.startsWith('(?i)') ? t.slice(4) : t;
    return insensitive ? text.toLowerCase().includes(body.toLowerCase()) : text.includes(body);
  };
  return tokens.some((alt) => (typeof alt === 'string' ? has(alt) : alt.every((g) => (typeof g === 'string' ? has(g) : g.some(has)))));
}

/** Random text from token pieces, their upper-cased and capitalized forms, and fragments. */
function randomText(rnd: () => number, pieces: string[]): string {
  let text = '';
  const len = Math.floor(rnd() * 12);
  for (let i = 0; i < len; i++) text += pieces[Math.floor(rnd() * pieces.length)];
  return text;
}

const capitalized = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

describe('token prefilter', () => {
  it('selects exactly the rules whose tokens occur, for 2,000 random texts', () => {
    const rules = [...TOKENS.map((t, i) => rule(`r/${i}`, [t])), rule('r/pair', ['bcd', 'word']), rule('r/always')];
    const { analyzer, seen } = probe();
    const plan = new ScanPlan(rules, [analyzer]);
    const rnd = lcg(42);
    const pieces = [...TOKENS, ...TOKENS.map((t) => t.toUpperCase()), 'a', 'b', 'c', 'd', ' ', '.', 'ConcurrentHash', 'pass', 'wor'];
    for (let n = 0; n < 2000; n++) {
      const text = randomText(rnd, pieces);
      seen.length = 0;
      plan.analyzeFile({ path: 'f.txt', text });
      const expected = rules.filter((r) => !r.match.tokens || bruteForce(r.match.tokens, text, false)).map((r) => r.id).sort();
      expect(seen[0] ?? [], JSON.stringify(text)).toEqual(expected);
    }
  });

  it('in a case-sensitive analyzer, matches tokens as written, (?i) tokens in any case, and all-of groups, for 3,000 random texts', () => {
    const rules: Rule[] = [
      ...TOKENS.map((t, i) => rule(`r/${i}`, [t])),
      rule('r/ci', ['(?i)password', '(?i)map']),
      // the same text once case-sensitive and once not, so one matched text must yield both or one
      rule('r/both', ['Map', ['(?i)MAP', 'word']]),
      rule('r/group', [['HashMap', ['put', 'add'], '(?i)user']]),
      rule('r/alts', [['a.b', 'bcd'], ['abc', ['ÄÖ', '(?i)äö']], 'x(']),
      rule('r/always'),
    ];
    const { analyzer, seen } = probe(true);
    const plan = new ScanPlan(rules, [analyzer]);
    const rnd = lcg(7);
    const words = [...TOKENS, 'put', 'add', 'user', 'USER', 'Map', 'äö'];
    const pieces = [...words, ...words.map((t) => t.toUpperCase()), ...words.map(capitalized), 'a', 'b', ' ', '.', 'ConcurrentHash', 'pass', 'Us', 'er'];
    let selectedSome = 0;
    for (let n = 0; n < 3000; n++) {
      const text = randomText(rnd, pieces);
      seen.length = 0;
      plan.analyzeFile({ path: 'f.txt', text });
      const expected = rules.filter((r) => !r.match.tokens || bruteForce(r.match.tokens, text, true)).map((r) => r.id).sort();
      expect(seen[0] ?? [], JSON.stringify(text)).toEqual(expected);
      if (expected.includes('r/group')) selectedSome++;
    }
    // the generator must actually exercise the all-of group, or the comparison above proves little
    expect(selectedSome).toBeGreaterThan(20);
  });

  it('treats a token as case-sensitive only in an analyzer that declares it', () => {
    const text = 'this particular file';
    for (const caseSensitive of [false, true]) {
      const { analyzer, seen } = probe(caseSensitive);
      new ScanPlan([rule('r/part', ['Part'])], [analyzer]).analyzeFile({ path: 'f.txt', text });
      expect(seen.length, `caseSensitiveTokens: ${caseSensitive}`).toBe(caseSensitive ? 0 : 1);
    }
  });

  it('filters project rules by their tokens too (a file without them adds nothing to the summary)', () => {
    const { analyzer, seen } = probe(true);
    const plan = new ScanPlan([rule('r/project', ['listen'], 'project'), rule('r/untokened', undefined, 'project')], [analyzer]);
    plan.analyzeFile({ path: 'f.txt', text: 'app.listen(3000)' });
    plan.analyzeFile({ path: 'g.txt', text: 'module.exports = 1' });
    expect(seen).toEqual([['r/project', 'r/untokened'], ['r/untokened']]);
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
