/**
 * The `json` analyzer: JSON and JSONC (comments, trailing commas) config files, parsed with
 * `jsonc-parser`, which recovers from errors and gives each node's offset; offsets become lines.
 * `package.json` and lockfiles are not read here: the Node analyzer owns them.
 *
 * match: the same shape as the yaml analyzer — path (dotted glob or segment list; array items are
 * segments named by index), key, keyNot, value, valueNot, document ({dotted path: regex}),
 * captureValue, line, lineNot, flags (default 'i'). The finding is at the property's key.
 */
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, RuleMatch, SourceFile } from '../../core/index.js';

export interface TreeEntry {
  path: string[];
  value?: string;
  line: number;
  column: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function parseJson(text: string): { entries: TreeEntry[]; errors: { message: string; line?: number }[] } {
  const src = text.replace(/^\uFEFF/, ' ');
  const parseErrors: ParseError[] = [];
  const root = parseTree(src, parseErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const starts = lineStarts(src);
  const entries: TreeEntry[] = [];
  const scalar = (n: JsonNode | undefined): string | undefined =>
    n && (n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null') ? String(n.value) : undefined;
  const walk = (node: JsonNode | undefined, path: string[], depth: number) => {
    if (!node || depth > 200) return;
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || typeof k.value !== 'string') continue;
        const entry: TreeEntry = { path: [...path, k.value], ...position(starts, k.offset) };
        const s = scalar(v);
        if (s !== undefined) entry.value = s;
        entries.push(entry);
        walk(v, entry.path, depth + 1);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, i) => {
        const entry: TreeEntry = { path: [...path, String(i)], ...position(starts, item.offset) };
        const s = scalar(item);
        if (s !== undefined) entry.value = s;
        entries.push(entry);
        walk(item, entry.path, depth + 1);
      });
    }
  };
  walk(root, [], 0);
  const errors = parseErrors.map((e) => ({ message: `JSON: ${printParseErrorCode(e.error)}`, line: position(starts, e.offset).line }));
  return { entries, errors };
}

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'path', 'keyPath', 'key', 'keyNot', 'value', 'valueNot', 'document', 'captureValue', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['keyPath', 'key', 'keyNot', 'value', 'valueNot', 'line', 'lineNot'] as const;

interface Compiled {
  re: Partial<Record<(typeof REGEX_FIELDS)[number], RegExp>>;
  path?: string[];
  document: Array<[string, RegExp]>;
  captureValue: boolean;
}
const cache = new WeakMap<object, Compiled>();

function compile(match: RuleMatch): Compiled {
  let c = cache.get(match);
  if (!c) {
    const flags = String(match.flags ?? 'i').replace(/g/g, '');
    c = { re: {}, document: [], captureValue: match.captureValue !== false };
    for (const f of REGEX_FIELDS) if (typeof match[f] === 'string') c.re[f] = new RegExp(match[f] as string, flags);
    if (typeof match.path === 'string') c.path = match.path.split('.');
    else if (Array.isArray(match.path)) c.path = match.path.map(String);
    if (match.document && typeof match.document === 'object') {
      c.document = Object.entries(match.document as Record<string, string>).map(([k, v]) => [k, new RegExp(v, flags)]);
    }
    cache.set(match, c);
  }
  return c;
}

function pathMatches(pattern: readonly string[], path: readonly string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return si === path.length;
  const seg = pattern[pi]!;
  if (seg === '**') {
    for (let k = si; k <= path.length; k++) if (pathMatches(pattern, path, pi + 1, k)) return true;
    return false;
  }
  if (si >= path.length) return false;
  return (seg === '*' || seg === path[si] || (seg.includes('|') && seg.split('|').includes(path[si]!))) && pathMatches(pattern, path, pi + 1, si + 1);
}

/** With captureValue: false, a rule may still name parts of the value (e.g. the variable name), never `value` itself. */
function withoutValue(g: Record<string, string>): Record<string, string> {
  const { value: _drop, ...rest } = g;
  return rest;
}

function groups(m: RegExpExecArray | null): Record<string, string> {
  return m?.groups ? (Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>) : {};
}

const NOT_OURS = /(^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json)$/i;

export const jsonAnalyzer: Analyzer = {
  id: 'json',
  description: 'JSON and JSONC config files (not package.json): key paths and scalar values at their exact lines',
  exampleFile: 'config.json',
  handles: (path) => /\.(json|jsonc)$/i.test(path) && !NOT_OURS.test(path),
  validate(match) {
    const problems: Array<[string, string]> = [];
    for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the json analyzer']);
    const flags = String(match.flags ?? 'i');
    const checkRe = (field: string, v: unknown) => {
      if (typeof v !== 'string') return problems.push([field, 'must be a regular expression string']);
      try {
        new RegExp(v, flags);
      } catch (e) {
        problems.push([field, (e as Error).message]);
      }
    };
    for (const f of REGEX_FIELDS) if (match[f] !== undefined) checkRe(`match.${f}`, match[f]);
    if (match.path !== undefined && typeof match.path !== 'string' && !(Array.isArray(match.path) && match.path.every((s) => typeof s === 'string'))) {
      problems.push(['match.path', 'must be a dotted path string or a list of segments']);
    }
    if (match.document !== undefined) {
      if (typeof match.document !== 'object' || match.document === null || Array.isArray(match.document)) problems.push(['match.document', 'must map dotted paths to regexes']);
      else for (const [k, v] of Object.entries(match.document)) checkRe(`match.document.${k}`, v);
    }
    if (match.line === undefined && match.path === undefined && match.keyPath === undefined && match.key === undefined && match.value === undefined) problems.push(['match', 'needs path, keyPath, key, value or line']);
    if (match.line !== undefined && (match.path !== undefined || match.key !== undefined || match.value !== undefined)) problems.push(['match.line', 'a line rule cannot also match path, key or value']);
    if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const matches: Match[] = [];
    const needsTree = rules.some((r) => r.match.line === undefined);
    const { entries, errors } = needsTree ? parseJson(file.text) : { entries: [], errors: [] };
    let rawLines: string[] | undefined;
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.re.line) {
        rawLines ??= file.text.split(/\r\n|\r|\n/);
        rawLines.forEach((l, i) => {
          if (/^\s*(\/\/|\/\*|\*)/.test(l) || c.re.lineNot?.test(l)) return;
          const m = c.re.line!.exec(l);
          if (m) matches.push({ ruleId: rule.id, line: i + 1, column: m.index + 1, captures: groups(m) });
        });
        continue;
      }
      const docOk = c.document.every(([p, re]) => entries.some((e) => e.value !== undefined && e.path.join('.') === p && re.test(e.value)));
      if (!docOk) continue;
      for (const e of entries) {
        if (c.path && !pathMatches(c.path, e.path)) continue;
        if (c.re.keyPath && !c.re.keyPath.test(e.path.join('.'))) continue;
        const key = e.path[e.path.length - 1]!;
        let km: RegExpExecArray | null = null;
        let vm: RegExpExecArray | null = null;
        if (c.re.key && !(km = c.re.key.exec(key))) continue;
        if (c.re.keyNot?.test(key)) continue;
        if (c.re.value && (e.value === undefined || !(vm = c.re.value.exec(e.value)))) continue;
        if (c.re.valueNot && e.value !== undefined && c.re.valueNot.test(e.value)) continue;
        const captures: Record<string, string> = { key: e.path.join('.'), ...groups(km) };
        if (c.captureValue && e.value !== undefined) Object.assign(captures, { value: e.value }, groups(vm));
        else Object.assign(captures, withoutValue(groups(vm)));
        matches.push({ ruleId: rule.id, line: e.line, column: e.column, captures });
      }
    }
    const out: FileAnalysis = { matches };
    if (errors.length) out.errors = errors.slice(0, 5);
    return out;
  },
};
