/**
 * The key-tree matcher shared by the structured-config analyzers (yaml, json): a parser turns a file
 * into key-path entries with exact lines, and one match language — path, keyPath, key/keyNot,
 * value/valueNot, document, captureValue, line/lineNot, flags — runs over them. Each analyzer keeps
 * its own parser and comment syntax; the matching lives here once so the two cannot drift apart.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';
import { addLineRuleMatches, checkRegex, checkRegexFields, compileFields, compiledPerMatch, groups, physicalLines, withoutValue } from './match.js';

export interface TreeEntry {
  path: string[];
  /** scalar value as text; undefined for maps and sequences */
  value?: string;
  line: number;
  column: number;
  /** document index in a multi-document stream (YAML); `document` conditions hold per document */
  doc?: number;
}

export interface ParsedTree {
  entries: TreeEntry[];
  errors: { message: string; line?: number }[];
}

export interface KeyTreeSpec {
  id: string;
  description: string;
  exampleFile: string;
  handles: (path: string) => boolean;
  parse: (text: string) => ParsedTree;
  /** raw-line rules skip lines that are comments in this format */
  commentLine: RegExp;
}

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'path', 'keyPath', 'key', 'keyNot', 'value', 'valueNot', 'document', 'captureValue', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['keyPath', 'key', 'keyNot', 'value', 'valueNot', 'line', 'lineNot'] as const;

interface Compiled {
  re: Partial<Record<(typeof REGEX_FIELDS)[number], RegExp>>;
  path?: string[];
  document: Array<[string, RegExp]>;
  captureValue: boolean;
}
const compile = compiledPerMatch((match, flags): Compiled => {
  const c: Compiled = { re: compileFields(match, REGEX_FIELDS, flags), document: [], captureValue: match.captureValue !== false };
  if (typeof match.path === 'string') c.path = match.path.split('.');
  else if (Array.isArray(match.path)) c.path = match.path.map(String);
  if (match.document && typeof match.document === 'object') {
    c.document = Object.entries(match.document as Record<string, string>).map(([k, v]) => [k, new RegExp(v, flags)]);
  }
  return c;
});

/** Glob over key-path segments: `*` is one segment, `**` any number (including none). */
export function pathMatches(pattern: readonly string[], path: readonly string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return si === path.length;
  const seg = pattern[pi]!;
  if (seg === '**') {
    for (let k = si; k <= path.length; k++) if (pathMatches(pattern, path, pi + 1, k)) return true;
    return false;
  }
  if (si >= path.length) return false;
  return (seg === '*' || seg === path[si] || (seg.includes('|') && seg.split('|').includes(path[si]!))) && pathMatches(pattern, path, pi + 1, si + 1);
}

export function createKeyTreeAnalyzer(spec: KeyTreeSpec): Analyzer {
  return {
    id: spec.id,
    description: spec.description,
    exampleFile: spec.exampleFile,
    handles: spec.handles,
    validate(match) {
      const problems: Array<[string, string]> = [];
      for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, `unknown key for the ${spec.id} analyzer`]);
      checkRegexFields(problems, match, REGEX_FIELDS);
      if (match.path !== undefined && typeof match.path !== 'string' && !(Array.isArray(match.path) && match.path.every((s) => typeof s === 'string'))) {
        problems.push(['match.path', 'must be a dotted path string or a list of segments']);
      }
      if (match.document !== undefined) {
        if (typeof match.document !== 'object' || match.document === null || Array.isArray(match.document)) problems.push(['match.document', 'must map dotted paths to regexes']);
        else for (const [k, v] of Object.entries(match.document)) checkRegex(problems, `match.document.${k}`, v, match);
      }
      if (match.line === undefined && match.path === undefined && match.keyPath === undefined && match.key === undefined && match.value === undefined) problems.push(['match', 'needs path, keyPath, key, value or line']);
      if (match.line !== undefined && (match.path !== undefined || match.key !== undefined || match.value !== undefined)) problems.push(['match.line', 'a line rule cannot also match path, key or value']);
      if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
      return problems;
    },
    analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
      const matches: Match[] = [];
      const needsTree = rules.some((r) => r.match.line === undefined);
      const { entries, errors } = needsTree ? spec.parse(file.text) : { entries: [], errors: [] };
      let rawLines: string[] | undefined;
      for (const rule of rules) {
        const c = compile(rule.match);
        if (c.re.line) {
          rawLines ??= physicalLines(file.text);
          addLineRuleMatches(matches, rawLines, rule.id, spec.commentLine, c.re.line, c.re.lineNot);
          continue;
        }
        const docOk = new Map<number | undefined, boolean>();
        const documentMatches = (doc: number | undefined) => {
          let ok = docOk.get(doc);
          if (ok === undefined) {
            ok = c.document.every(([p, re]) => entries.some((e) => e.doc === doc && e.value !== undefined && e.path.join('.') === p && re.test(e.value)));
            docOk.set(doc, ok);
          }
          return ok;
        };
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
          if (c.document.length && !documentMatches(e.doc)) continue;
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
}
