/**
 * A scan plan: the rules grouped by analyzer, each with its file filter and prefilter tokens, and
 * one combined token regex per analyzer so a file's text is scanned once to decide which rules can
 * possibly match it. Parsing is the expensive step; the prefilter exists so that files which cannot
 * match are never parsed.
 */
import picomatch from 'picomatch';
import { isProjectRule, type Analyzer, type AnalyzerRule, type FileAnalysis, type SourceFile } from '../analyzer.js';
import type { Rule } from '../model.js';

interface PlannedRule {
  rule: Rule;
  files?: (path: string) => boolean;
  /** lower-cased tokens; undefined = always runs */
  tokens?: string[];
  project: boolean;
}

interface AnalyzerPlan {
  analyzer: Analyzer;
  rules: PlannedRule[];
  tokenRegex?: RegExp;
  /** per token, the other tokens it contains (found with it, since a match hides them) */
  within?: Map<string, string[]>;
  tokenCount: number;
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
      const planned: PlannedRule[] = rules
        .filter((r) => r.match.analyzer === analyzer.id)
        .map((rule) => {
          const p: PlannedRule = { rule, project: isProjectRule(rule.match) };
          if (rule.match.files) p.files = picomatch(rule.match.files, { dot: true, basename: false });
          if (rule.match.tokens && rule.match.tokens.length > 0 && !p.project) p.tokens = rule.match.tokens.map((t) => t.toLowerCase());
          return p;
        });
      const allTokens = [...new Set(planned.flatMap((p) => p.tokens ?? []))].sort((a, b) => b.length - a.length);
      const ap: AnalyzerPlan = { analyzer, rules: planned, tokenCount: allTokens.length };
      if (allTokens.length > 0) {
        ap.tokenRegex = new RegExp(literalTrieRegex(allTokens), 'gi');
        ap.within = new Map(allTokens.map((t) => [t, allTokens.filter((o) => o !== t && t.includes(o))]));
      }
      return ap;
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
      if (!this.options.noPrefilter && ap.tokenRegex) present = presentTokens(file.text, ap);
      const selected: AnalyzerRule[] = applicable
        .filter((p) => !present || !p.tokens || p.tokens.some((t) => present!.has(t)))
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
 * Every token that occurs in the text, in one left-to-right pass. A match hides tokens inside it
 * and tokens overlapping its end; the first come from `within`, the second from resuming one
 * character after the match start rather than after its end.
 */
function presentTokens(text: string, ap: AnalyzerPlan): Set<string> {
  const re = ap.tokenRegex!;
  const present = new Set<string>();
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[0].toLowerCase();
    if (!present.has(token)) {
      present.add(token);
      for (const inner of ap.within!.get(token) ?? []) present.add(inner);
      if (present.size === ap.tokenCount) break;
    }
    re.lastIndex = m.index + 1;
  }
  return present;
}
