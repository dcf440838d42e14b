/**
 * The `properties` analyzer: Java `.properties` files (application/config/logging/quartz/mod_jk
 * workers…) parsed into key/value entries with exact lines, so a rule says "a key like X whose
 * value looks like Y" instead of grepping lines that may be comments or continuations.
 *
 * match:
 *   analyzer: properties
 *   key: 'password$'           # regex on the unescaped key (case-insensitive unless `flags` says otherwise)
 *   keyNot: '^log4j\.'         # optional: keys never reported
 *   value: '^jdbc:h2:file:'    # regex on the unescaped value; named groups become captures
 *   valueNot: '\$\{'           # optional: values never reported (placeholders, …)
 *   captureValue: false        # optional: keep the value out of captures (secrets)
 *   line: 'regex'              # alternative: a raw line rule (comment lines skipped)
 *   lineNot: 'regex'
 *   flags: 'i'                 # regex flags for all of the above, default 'i'
 * The finding is at the key's line.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, RuleMatch, SourceFile } from '../../core/index.js';
import { parseProperties } from './parse.js';

export { parseProperties, type PropertyEntry } from './parse.js';

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'key', 'keyNot', 'value', 'valueNot', 'captureValue', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['key', 'keyNot', 'value', 'valueNot', 'line', 'lineNot'] as const;

interface Compiled {
  re: Partial<Record<(typeof REGEX_FIELDS)[number], RegExp>>;
  captureValue: boolean;
}

const cache = new WeakMap<object, Compiled>();

function compile(match: RuleMatch): Compiled {
  let c = cache.get(match);
  if (!c) {
    const flags = String(match.flags ?? 'i').replace(/g/g, '');
    c = { re: {}, captureValue: match.captureValue !== false };
    for (const f of REGEX_FIELDS) if (typeof match[f] === 'string') c.re[f] = new RegExp(match[f] as string, flags);
    cache.set(match, c);
  }
  return c;
}

/** With captureValue: false, a rule may still name parts of the value (e.g. the variable name), never `value` itself. */
function withoutValue(g: Record<string, string>): Record<string, string> {
  const { value: _drop, ...rest } = g;
  return rest;
}

function groups(m: RegExpExecArray | null): Record<string, string> {
  return m?.groups ? (Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>) : {};
}

export const propertiesAnalyzer: Analyzer = {
  id: 'properties',
  description: 'Java .properties files: keys and values (continuations and escapes resolved) at their exact lines',
  exampleFile: 'application.properties',
  handles: (path) => path.toLowerCase().endsWith('.properties'),
  validate(match) {
    const problems: Array<[string, string]> = [];
    for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the properties analyzer']);
    for (const f of REGEX_FIELDS) {
      const v = match[f];
      if (v === undefined) continue;
      if (typeof v !== 'string') problems.push([`match.${f}`, 'must be a regular expression string']);
      else {
        try {
          new RegExp(v, String(match.flags ?? 'i'));
        } catch (e) {
          problems.push([`match.${f}`, (e as Error).message]);
        }
      }
    }
    const lineMode = match.line !== undefined;
    if (!lineMode && match.key === undefined && match.value === undefined) problems.push(['match', 'needs key, value or line']);
    if (lineMode && (match.key !== undefined || match.value !== undefined)) problems.push(['match.line', 'a line rule cannot also match key or value']);
    if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const entries = parseProperties(file.text);
    const matches: Match[] = [];
    let rawLines: string[] | undefined;
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.re.line) {
        rawLines ??= file.text.split(/\r\n|\r|\n/);
        rawLines.forEach((l, i) => {
          if (/^\s*[#!]/.test(l) || c.re.lineNot?.test(l)) return;
          const m = c.re.line!.exec(l);
          if (m) matches.push({ ruleId: rule.id, line: i + 1, column: m.index + 1, captures: groups(m) });
        });
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
        if (c.captureValue) Object.assign(captures, { value: e.value.trim() }, groups(vm));
        else Object.assign(captures, withoutValue(groups(vm)));
        const m: Match = { ruleId: rule.id, line: e.line, column: e.column, captures };
        if (e.endLine > e.line) m.endLine = e.endLine;
        matches.push(m);
      }
    }
    return { matches };
  },
};
