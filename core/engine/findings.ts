/**
 * The only place a Finding is built. Fingerprints hash the rule, the file and the normalized text of
 * the flagged line plus its occurrence number among identical lines — not the line number — so
 * adding code above a finding does not change its id (baselines depend on this).
 */
import { createHash } from 'node:crypto';
import type { Match } from '../analyzer.js';
import type { Finding, Rule } from '../model.js';

const CONTEXT_LINES = 3;
const MAX_SNIPPET_LINES = 5;

export function interpolate(template: string, captures: Record<string, string> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => captures?.[name] ?? whole);
}

export function normalizeLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

export function fingerprint(ruleId: string, file: string, lineText: string, occurrence: number): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${normalizeLine(lineText)}\0${occurrence}`).digest('hex').slice(0, 20);
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const PLACEHOLDER = /^\s*(\$\{[^}]*\}|%\([^)]*\)s|<[^>]*>|\*+|changeme|)\s*$/i;

/**
 * A credential finding's own line would otherwise carry the secret into every report (SARIF is
 * uploaded to code scanning, HTML is mailed around). Quoted literals, `key=value` / `key: value`
 * values and XML element text on the flagged lines are masked; the key name stays readable.
 */
export function redactSecrets(line: string, key?: string): string {
  const mask = (v: string) => (PLACEHOLDER.test(v) || v === key ? v : '****');
  let out = line.replace(/(["'`])((?:\\.|(?!\1).)*)\1/g, (_w, q: string, v: string) => `${q}${mask(v)}${q}`);
  // Only config-style lines (`key=value`, `key: value`); code lines such as `x = call(...)` are left as they are.
  if (!/[();{]/.test(out)) out = out.replace(/^(\s*[\w.\-\[\]]+\s*[=:]\s*)(?!["'`])(\S.*?)(\s*(?:#.*)?)$/, (_w, head: string, v: string, tail: string) => `${head}${mask(v)}${tail}`);
  out = out.replace(/>([^<>]+)</g, (w, v: string) => (/^\s*$/.test(v) ? w : `>${mask(v)}<`));
  return out;
}

function show(rule: Rule, line: string, captures: Record<string, string> | undefined): string {
  const trimmed = line.trimEnd();
  return rule.concern === 'local-credentials' ? redactSecrets(trimmed, captures?.key) : trimmed;
}

/** Builds the findings of one file from its matches, in line order, with stable ids. */
export function createFindings(file: string, lines: readonly string[], matches: Match[], rules: ReadonlyMap<string, Rule>): Finding[] {
  const sorted = [...matches].sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  const occurrences = new Map<string, number>();
  const out: Finding[] = [];
  for (const m of sorted) {
    const rule = rules.get(m.ruleId);
    if (!rule) continue;
    const line = Math.min(Math.max(1, m.line), Math.max(1, lines.length));
    const endLine = Math.max(line, Math.min(m.endLine ?? line, line + MAX_SNIPPET_LINES - 1, lines.length));
    const lineText = lines[line - 1] ?? '';
    const key = `${rule.id}\0${normalizeLine(lineText)}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    const from = Math.max(1, line - CONTEXT_LINES);
    const to = Math.min(lines.length, endLine + CONTEXT_LINES);
    const finding: Finding = {
      id: fingerprint(rule.id, file, lineText, occurrence),
      ruleId: rule.id,
      concern: rule.concern,
      severity: rule.severity,
      effort: rule.effort,
      file,
      line,
      column: Math.max(1, m.column),
      endLine,
      message: interpolate(rule.message, m.captures),
      snippet: lines.slice(line - 1, endLine).map((l) => show(rule, l, m.captures)).join('\n'),
      remediation: rule.remediation,
      context: { startLine: from, lines: lines.slice(from - 1, to).map((l, i) => (from + i >= line && from + i <= endLine ? show(rule, l, m.captures) : l.trimEnd())) },
    };
    if (m.captures && Object.keys(m.captures).length > 0) finding.captures = m.captures;
    out.push(finding);
  }
  return dedupeByConcernLine(out);
}

const SEVERITY_RANK = { mandatory: 0, potential: 1, optional: 2 } as const;

/** Two rules never report the same concern on the same line: the most severe, costliest one stays. */
export function dedupeByConcernLine(findings: Finding[]): Finding[] {
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.file}\0${f.line}\0${f.concern}`;
    const cur = best.get(key);
    if (
      !cur ||
      SEVERITY_RANK[f.severity] < SEVERITY_RANK[cur.severity] ||
      (f.severity === cur.severity && (f.effort > cur.effort || (f.effort === cur.effort && f.ruleId < cur.ruleId)))
    ) {
      best.set(key, f);
    }
  }
  const kept = new Set(best.values());
  return findings.filter((f) => kept.has(f));
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
