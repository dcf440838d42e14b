/**
 * Building blocks of the regex match languages the config analyzers (env, properties, ops, build and
 * the key-tree ones) share: how a rule's regexes compile, how named groups become captures, how
 * validate() reports a bad regex and how a raw-line rule runs. Each analyzer had its own copy, and a
 * fix to one (say, dropping the `g` flag) could silently miss the others.
 */
import type { Match, RuleMatch } from '../../core/index.js';

/**
 * The flags a rule's regexes compile with: case-insensitive unless the rule says otherwise, and never
 * `g`, whose lastIndex would make one compiled regex answer differently from one entry to the next.
 */
export function matchFlags(match: RuleMatch): string {
  return String(match.flags ?? 'i').replace(/g/g, '');
}

/**
 * Wraps an analyzer's compiler so each rule's match block compiles once per process: the catalog keeps
 * one match object per rule for the whole scan, and a WeakMap lets reloaded catalogs go.
 */
export function compiledPerMatch<T>(build: (match: RuleMatch, flags: string) => T): (match: RuleMatch) => T {
  const cache = new WeakMap<object, T>();
  return (match) => {
    let c = cache.get(match);
    if (c === undefined) {
      c = build(match, matchFlags(match));
      cache.set(match, c);
    }
    return c;
  };
}

/** The string-valued fields of `match` among `fields`, compiled; `wrap` rewrites a field's source first (anchoring). */
export function compileFields<F extends string>(match: Readonly<Record<string, unknown>>, fields: readonly F[], flags: string, wrap?: (field: F, source: string) => string): Partial<Record<F, RegExp>> {
  const re: Partial<Record<F, RegExp>> = {};
  for (const f of fields) {
    const v = match[f];
    if (typeof v === 'string') re[f] = new RegExp(wrap ? wrap(f, v) : v, flags);
  }
  return re;
}

/** A match's named groups as captures; groups that took no part in the match are left out, not set to undefined. */
export function groups(m: RegExpExecArray | null): Record<string, string> {
  return m?.groups ? (Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>) : {};
}

/** With captureValue: false, a rule may still name parts of the value (e.g. the variable name), never `value` itself. */
export function withoutValue(g: Record<string, string>): Record<string, string> {
  const { value: _drop, ...rest } = g;
  return rest;
}

/**
 * validate()'s check of one regex field: adds a problem unless `v` is a string that compiles with the
 * rule's flags as written (a bad flag is the rule author's mistake too, so `g` is not dropped here).
 */
export function checkRegex(problems: Array<[string, string]>, field: string, v: unknown, match: RuleMatch): void {
  if (typeof v !== 'string') {
    problems.push([field, 'must be a regular expression string']);
    return;
  }
  try {
    new RegExp(v, String(match.flags ?? 'i'));
  } catch (e) {
    problems.push([field, (e as Error).message]);
  }
}

/** checkRegex for each of `fields` the rule sets, reported as `match.<field>`. */
export function checkRegexFields(problems: Array<[string, string]>, match: RuleMatch, fields: readonly string[]): void {
  for (const f of fields) if (match[f] !== undefined) checkRegex(problems, `match.${f}`, match[f], match);
}

/**
 * A raw-line rule (`line` / `lineNot`) over a file's physical lines, skipping the format's comment
 * lines: the escape hatch for what the parsed model does not show. `extra` captures come first, so a
 * named group of the rule may override them. Appends to `out` (a spread of a large file's hits could
 * overflow the call stack).
 */
export function addLineRuleMatches(out: Match[], lines: readonly string[], ruleId: string, commentLine: RegExp, line: RegExp, lineNot: RegExp | undefined, extra?: Record<string, string>): void {
  lines.forEach((l, i) => {
    if (commentLine.test(l) || lineNot?.test(l)) return;
    const m = line.exec(l);
    if (m) out.push({ ruleId, line: i + 1, column: m.index + 1, captures: extra ? { ...extra, ...groups(m) } : groups(m) });
  });
}

/** A file's physical lines, split the way every line number in a finding counts them. */
export function physicalLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
