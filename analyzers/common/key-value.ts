/**
 * The flat key=value match language the properties and env analyzers share — key, keyNot, value,
 * valueNot, captureValue, line, lineNot, flags — run over entries their parsers read. The two files
 * are written alike and rule authors are told the languages are the same, so they are, by sharing
 * one implementation.
 */
import type { AnalyzerRule, Match, RuleMatch } from '../../core/index.js';
import { addLineRuleMatches, checkRegexFields, compileFields, compiledPerMatch, groups, physicalLines, withoutValue } from './match.js';

export interface KeyValueEntry {
  key: string;
  value: string;
  /** 1-based line and column of the key */
  line: number;
  column: number;
  /** last physical line of the entry */
  endLine: number;
}

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'key', 'keyNot', 'value', 'valueNot', 'captureValue', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['key', 'keyNot', 'value', 'valueNot', 'line', 'lineNot'] as const;

const compile = compiledPerMatch((match, flags) => ({ re: compileFields(match, REGEX_FIELDS, flags), captureValue: match.captureValue !== false }));

export function validateKeyValue(match: RuleMatch, analyzerId: string): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, `unknown key for the ${analyzerId} analyzer`]);
  checkRegexFields(problems, match, REGEX_FIELDS);
  if (match.line === undefined && match.key === undefined && match.value === undefined) problems.push(['match', 'needs key, value or line']);
  if (match.line !== undefined && (match.key !== undefined || match.value !== undefined)) problems.push(['match.line', 'a line rule cannot also match key or value']);
  if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
  return problems;
}

export interface KeyValueFormat<E extends KeyValueEntry> {
  /** raw-line rules skip lines that are comments in this format */
  commentLine: RegExp;
  /** the value a finding captures (properties trims what a continuation left around it) */
  capturedValue: (e: E) => string;
}

/** Every rule's matches over `entries`, rule by rule, each rule's in file order. */
export function keyValueMatches<E extends KeyValueEntry>(text: string, entries: readonly E[], rules: AnalyzerRule[], format: KeyValueFormat<E>): Match[] {
  const matches: Match[] = [];
  let rawLines: string[] | undefined;
  for (const rule of rules) {
    const c = compile(rule.match);
    if (c.re.line) {
      rawLines ??= physicalLines(text);
      addLineRuleMatches(matches, rawLines, rule.id, format.commentLine, c.re.line, c.re.lineNot);
      continue;
    }
    for (const e of entries) {
      let km: RegExpExecArray | null = null;
      let vm: RegExpExecArray | null = null;
      if (c.re.key && !(km = c.re.key.exec(e.key))) continue;
      if (c.re.keyNot?.test(e.key)) continue;
      if (c.re.value && !(vm = c.re.value.exec(e.value))) continue;
      if (c.re.valueNot?.test(e.value)) continue;
      const captures: Record<string, string> = { key: e.key, ...groups(km) };
      if (c.captureValue) Object.assign(captures, { value: format.capturedValue(e) }, groups(vm));
      else Object.assign(captures, withoutValue(groups(vm)));
      const m: Match = { ruleId: rule.id, line: e.line, column: e.column, captures };
      if (e.endLine > e.line) m.endLine = e.endLine;
      matches.push(m);
    }
  }
  return matches;
}
