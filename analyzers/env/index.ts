/**
 * The `env` analyzer: dotenv files (`.env`, `.env.production`, `app.env`) read the way dotenv and
 * docker compose read them — `KEY=value`, optional `export`, single/double quotes (double-quoted
 * values may span lines), `#` comments and inline ` #` comments after unquoted values — with the
 * key's exact line.
 *
 * match: same shape as the properties analyzer: key, keyNot, value, valueNot, captureValue, line,
 * lineNot, flags (default 'i'). The finding is at the key's line.
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, RuleMatch, SourceFile } from '../../core/index.js';

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
  column: number;
  endLine: number;
}

export function parseEnv(text: string): { entries: EnvEntry[]; errors: { message: string; line: number }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const entries: EnvEntry[] = [];
  const errors: { message: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = /^(\s*)(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) {
      if (raw.trim() && !raw.trim().startsWith('#')) errors.push({ message: `line ${i + 1} is not KEY=value`, line: i + 1 });
      continue;
    }
    const start = i;
    let rest = m[3]!;
    let value: string;
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      let body = rest.slice(1);
      let close = body.indexOf(q);
      // Only double quotes (and backticks) may span lines, as in dotenv.
      while (close < 0 && q !== "'" && i + 1 < lines.length) {
        body += '\n' + lines[++i]!;
        close = body.indexOf(q);
      }
      if (close < 0) {
        errors.push({ message: `unterminated ${q} quote`, line: start + 1 });
        close = body.length;
      }
      value = body.slice(0, close);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      value = rest.trim();
    }
    entries.push({ key: m[2]!, value, line: start + 1, column: m[1]!.length + 1, endLine: i + 1 });
  }
  return { entries, errors };
}

const KNOWN = new Set(['analyzer', 'tokens', 'files', 'scope', 'key', 'keyNot', 'value', 'valueNot', 'captureValue', 'line', 'lineNot', 'flags']);
const REGEX_FIELDS = ['key', 'keyNot', 'value', 'valueNot', 'line', 'lineNot'] as const;
type Compiled = { re: Partial<Record<(typeof REGEX_FIELDS)[number], RegExp>>; captureValue: boolean };
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

export function isEnvFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

export const envAnalyzer: Analyzer = {
  id: 'env',
  description: 'dotenv files (.env, .env.*, *.env): KEY=value entries at their exact lines',
  exampleFile: '.env',
  handles: isEnvFile,
  validate(match) {
    const problems: Array<[string, string]> = [];
    for (const k of Object.keys(match)) if (!KNOWN.has(k)) problems.push([`match.${k}`, 'unknown key for the env analyzer']);
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
    if (match.line === undefined && match.key === undefined && match.value === undefined) problems.push(['match', 'needs key, value or line']);
    if (match.line !== undefined && (match.key !== undefined || match.value !== undefined)) problems.push(['match.line', 'a line rule cannot also match key or value']);
    if (match.captureValue !== undefined && typeof match.captureValue !== 'boolean') problems.push(['match.captureValue', 'must be true or false']);
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const { entries, errors } = parseEnv(file.text);
    const matches: Match[] = [];
    const rawLines = file.text.split(/\r\n|\r|\n/);
    for (const rule of rules) {
      const c = compile(rule.match);
      if (c.re.line) {
        rawLines.forEach((l, i) => {
          if (/^\s*#/.test(l) || c.re.lineNot?.test(l)) return;
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
        if (c.captureValue) Object.assign(captures, { value: e.value }, groups(vm));
        else Object.assign(captures, withoutValue(groups(vm)));
        const m: Match = { ruleId: rule.id, line: e.line, column: e.column, captures };
        if (e.endLine > e.line) m.endLine = e.endLine;
        matches.push(m);
      }
    }
    const out: FileAnalysis = { matches };
    if (errors.length) out.errors = errors.slice(0, 5);
    return out;
  },
};
