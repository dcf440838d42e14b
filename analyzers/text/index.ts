/**
 * The `text` analyzer: line-oriented regular expressions over any text file a rule's `files` globs
 * name. For formats with no parser worth having (ops files, crontabs) and for users' quick custom
 * rules; structured formats have their own analyzers.
 *
 * match:
 *   analyzer: text
 *   files: ['**\/*.conf']          # required: text rules must say which files they read
 *   regex: 'ip_hash'               # JS regex, tested per line; named groups become captures
 *   flags: 'i'                     # optional
 *   exclude: '^\s*#'               # optional: a line matching this is never reported
 *   comments: ['#', '//']          # optional: lines starting with these prefixes are skipped
 */
import type { Analyzer, AnalyzerRule, FileAnalysis, Match, SourceFile } from '../../core/index.js';

interface TextMatch {
  regex: RegExp;
  exclude?: RegExp;
  comments: string[];
}

const compiled = new WeakMap<object, TextMatch>();

function compile(match: AnalyzerRule['match']): TextMatch {
  let c = compiled.get(match);
  if (!c) {
    const flags = String(match.flags ?? '').replace(/g/g, '');
    c = { regex: new RegExp(String(match.regex), flags), comments: (match.comments as string[] | undefined) ?? [] };
    if (typeof match.exclude === 'string') c.exclude = new RegExp(match.exclude, flags);
    compiled.set(match, c);
  }
  return c;
}

export const textAnalyzer: Analyzer = {
  id: 'text',
  description: 'line-oriented regular expressions over any text file named by the rule',
  handles: () => true,
  validate(match) {
    const problems: Array<[string, string]> = [];
    const allowed = new Set(['analyzer', 'tokens', 'files', 'scope', 'regex', 'flags', 'exclude', 'comments']);
    for (const k of Object.keys(match)) if (!allowed.has(k)) problems.push([`match.${k}`, 'unknown key for the text analyzer']);
    if (!match.files) problems.push(['match.files', 'is required for text rules']);
    for (const key of ['regex', 'exclude'] as const) {
      const v = match[key];
      if (key === 'regex' && typeof v !== 'string') problems.push(['match.regex', 'is required (a regular expression)']);
      if (typeof v === 'string') {
        try {
          new RegExp(v, String(match.flags ?? ''));
        } catch (e) {
          problems.push([`match.${key}`, (e as Error).message]);
        }
      }
    }
    if (match.comments !== undefined && (!Array.isArray(match.comments) || match.comments.some((c) => typeof c !== 'string'))) {
      problems.push(['match.comments', 'must be a list of strings']);
    }
    return problems;
  },
  analyze(file: SourceFile, rules: AnalyzerRule[]): FileAnalysis {
    const lines = file.text.split(/\r\n|\r|\n/);
    const matches: Match[] = [];
    for (const rule of rules) {
      const c = compile(rule.match);
      lines.forEach((line, i) => {
        const trimmed = line.trimStart();
        if (c.comments.some((p) => trimmed.startsWith(p))) return;
        if (c.exclude?.test(line)) return;
        const m = c.regex.exec(line);
        if (!m) return;
        const match: Match = { ruleId: rule.id, line: i + 1, column: m.index + 1 };
        if (m.groups) match.captures = Object.fromEntries(Object.entries(m.groups).filter(([, v]) => v !== undefined)) as Record<string, string>;
        matches.push(match);
      });
    }
    return { matches };
  },
};
