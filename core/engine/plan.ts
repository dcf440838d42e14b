/**
 * A scan plan: the rules grouped by analyzer, each with its file filter and prefilter tokens, and
 * one combined token regex per analyzer so a file's text is scanned once to decide which rules can
 * possibly match it. Parsing is the expensive step; the prefilter exists so that files which cannot
 * match are never parsed.
 */
import picomatch from 'picomatch';
import { isProjectRule, type Analyzer, type AnalyzerRule, type FileAnalysis, type SourceFile } from '../analyzer.js';
import type { Rule, RuleTokens } from '../model.js';

/**
 * A rule's token condition, compiled: it holds when some alternative holds, and an alternative holds
 * when each of its groups has a present token. Tokens are keys: the text itself when it matches
 * case-sensitively, `(?i)` + the lower-cased text when it does not.
 */
type TokenCondition = string[][][];

interface PlannedRule {
  rule: Rule;
  files?: (path: string) => boolean;
  /** undefined = always runs */
  tokens?: TokenCondition;
  project: boolean;
}

interface TokenKey {
  key: string;
  text: string;
  sensitive: boolean;
}

interface AnalyzerPlan {
  analyzer: Analyzer;
  rules: PlannedRule[];
  /** case-insensitive trie of every token's text: finds candidates, whose case is then checked */
  tokenRegex?: RegExp;
  /** per lower-cased token text, the token keys of every lower-cased text it contains (itself included) */
  within?: Map<string, TokenKey[]>;
  /** per matched text, the keys present in it (a few hundred distinct texts per corpus) */
  seen?: Map<string, string[]>;
  tokenCount: number;
  /** every token of the analyzer's rules; the matcher above is built from it on the first file */
  keys: Map<string, TokenKey>;
}

export interface FileRun {
  analyzer: string;
  analysis: FileAnalysis;
}

export interface PlanOptions {
  /** run every applicable rule regardless of tokens (for equivalence tests) */
  noPrefilter?: boolean;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * One regex for many literals, shaped as a trie (`file(?:writer|outputstream)` rather than
 * `filewriter|fileoutputstream`): V8 then rejects most positions on the first character instead of
 * trying every alternative there — about 3× faster on java.base (docs/performance.md).
 */
export function literalTrieRegex(tokens: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const t of tokens) {
    let n = root;
    for (const c of t) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { end: false, next: new Map() }));
      n = child;
    }
    n.end = true;
  }
  const build = (n: TrieNode): string => {
    if (n.next.size === 0) return '';
    const alts = [...n.next.keys()].sort().map((c) => escapeRegex(c) + build(n.next.get(c)!));
    const body = alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
    // Greedy optional tail: the longest token at a position wins, shorter ones come from `within`.
    return n.end ? `(?:${body})?` : body;
  };
  return build(root);
}

const IGNORE_CASE = '(?i)';

/**
 * Compiles a rule's `tokens` (see docs/rules-tokens.md): a list of alternatives, each a token or a
 * list of groups that must all be present, each group a token or a list of tokens one of which must be.
 * A token matches case-sensitively when the analyzer says its language is case-sensitive, unless it is
 * written `(?i)text`.
 */
export function compileTokens(tokens: RuleTokens, caseSensitive: boolean): { condition: TokenCondition; keys: TokenKey[] } {
  const keys = new Map<string, TokenKey>();
  const key = (raw: string): string => {
    const insensitive = !caseSensitive || raw.startsWith(IGNORE_CASE);
    const text = raw.startsWith(IGNORE_CASE) ? raw.slice(IGNORE_CASE.length) : raw;
    const k = insensitive ? IGNORE_CASE + text.toLowerCase() : text;
    if (!keys.has(k)) keys.set(k, { key: k, text: insensitive ? text.toLowerCase() : text, sensitive: !insensitive });
    return k;
  };
  const group = (g: string | string[]): string[] => (typeof g === 'string' ? [key(g)] : g.map(key));
  const condition = tokens.map((alt) => (typeof alt === 'string' ? [[key(alt)]] : alt.map(group)));
  return { condition, keys: [...keys.values()] };
}

/**
 * Builds an analyzer's token matcher on its first file rather than with the plan: a warm re-scan
 * analyzes nothing, and the trie and the containment table of a few hundred tokens are not free.
 */
function withMatcher(ap: AnalyzerPlan): AnalyzerPlan {
  if (ap.tokenRegex) return ap;
  const byLower = new Map<string, TokenKey[]>();
  for (const k of ap.keys.values()) {
    const lower = k.text.toLowerCase();
    byLower.set(lower, [...(byLower.get(lower) ?? []), k]);
  }
  const lowers = [...byLower.keys()];
  ap.tokenRegex = new RegExp(literalTrieRegex(lowers), 'gi');
  ap.within = new Map(lowers.map((t) => [t, lowers.filter((o) => t.includes(o)).flatMap((o) => byLower.get(o)!)]));
  ap.seen = new Map();
  return ap;
}

function holds(condition: TokenCondition, present: Set<string>): boolean {
  return condition.some((alt) => alt.every((g) => g.some((k) => present.has(k))));
}

export class ScanPlan {
  readonly byAnalyzer: AnalyzerPlan[];
  readonly rulesById: Map<string, Rule>;

  constructor(
    readonly rules: Rule[],
    readonly analyzers: Analyzer[],
    private readonly options: PlanOptions = {},
  ) {
    this.rulesById = new Map(rules.map((r) => [r.id, r]));
    this.byAnalyzer = analyzers.map((analyzer) => {
      const keys = new Map<string, TokenKey>();
      const planned: PlannedRule[] = rules
        .filter((r) => r.match.analyzer === analyzer.id)
        .map((rule) => {
          const p: PlannedRule = { rule, project: isProjectRule(rule.match) };
          if (rule.match.files) p.files = picomatch(rule.match.files, { dot: true, basename: false });
          // A project rule's tokens name what a file needs to change the rule's outcome through its summary.
          if (rule.match.tokens && rule.match.tokens.length > 0) {
            const c = compileTokens(rule.match.tokens, analyzer.caseSensitiveTokens === true);
            p.tokens = c.condition;
            for (const k of c.keys) keys.set(k.key, k);
          }
          return p;
        });
      return { analyzer, rules: planned, tokenCount: keys.size, keys };
    });
  }

  /** Whether any rule could look at this path; files nobody looks at are never read. */
  wants(path: string): boolean {
    return this.byAnalyzer.some((ap) => ap.analyzer.handles(path) && ap.rules.some((p) => !p.files || p.files(path)));
  }

  /**
   * Loads the parsers of the analyzers that could run on any of these paths (all, without paths),
   * so a scan of Java files never loads the TypeScript compiler and a warm re-scan loads nothing.
   */
  async load(paths?: Iterable<string>): Promise<void> {
    let needed = this.byAnalyzer.filter((ap) => ap.analyzer.load && ap.rules.length > 0);
    if (paths) {
      const list = [...paths];
      needed = needed.filter((ap) => list.some((p) => ap.analyzer.handles(p) && ap.rules.some((r) => !r.files || r.files(p))));
    }
    await Promise.all(needed.map((ap) => ap.analyzer.load!()));
  }

  /** Runs every applicable analyzer on one file. Analyzer crashes become errors, never exceptions. */
  analyzeFile(file: SourceFile): FileRun[] {
    const runs: FileRun[] = [];
    for (const ap of this.byAnalyzer) {
      if (!ap.analyzer.handles(file.path)) continue;
      const applicable = ap.rules.filter((p) => !p.files || p.files(file.path));
      if (applicable.length === 0) continue;
      let present: Set<string> | undefined;
      if (!this.options.noPrefilter && ap.tokenCount > 0) present = presentTokens(file.text, withMatcher(ap));
      const selected: AnalyzerRule[] = applicable
        .filter((p) => !present || !p.tokens || holds(p.tokens, present))
        .map((p) => ({ id: p.rule.id, match: p.rule.match }));
      if (selected.length === 0) continue;
      try {
        runs.push({ analyzer: ap.analyzer.id, analysis: ap.analyzer.analyze(file, selected) });
      } catch (err) {
        runs.push({ analyzer: ap.analyzer.id, analysis: { matches: [], errors: [{ message: `${ap.analyzer.id} analyzer failed: ${(err as Error).message}` }] } });
      }
    }
    return runs;
  }

  projectRules(analyzerId: string): AnalyzerRule[] {
    const ap = this.byAnalyzer.find((a) => a.analyzer.id === analyzerId);
    return ap ? ap.rules.filter((p) => p.project).map((p) => ({ id: p.rule.id, match: p.rule.match })) : [];
  }
}

/**
 * Every token that occurs in the text, in one left-to-right pass of a case-insensitive regex that
 * finds, at each position, the longest token text starting there. A token inside that match (a
 * shorter one at the same position, or one further in) is read from `within`; one overlapping its
 * end is found by resuming one character after the match start rather than after its end. A
 * case-sensitive token counts only if the matched text contains it exactly.
 */
function presentTokens(text: string, ap: AnalyzerPlan): Set<string> {
  const re = ap.tokenRegex!;
  const seen = ap.seen!;
  const present = new Set<string>();
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const s = m[0];
    let keys = seen.get(s);
    if (!keys) {
      keys = (ap.within!.get(s.toLowerCase()) ?? []).filter((k) => !k.sensitive || s.includes(k.text)).map((k) => k.key);
      // bounded: only case variants of the tokens can be distinct matched texts
      if (seen.size > 4096) seen.clear();
      seen.set(s, keys);
    }
    for (const k of keys) present.add(k);
    if (present.size === ap.tokenCount) break;
    re.lastIndex = m.index + 1;
  }
  return present;
}
