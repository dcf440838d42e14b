/**
 * Synthetic ScanResults for report tests: built through the real engine pieces (createFindings,
 * summarize, toRuleMeta) so ids, context and summary are what a scan would produce, without
 * depending on which analyzers and rules exist today.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createFindings, splitLines, summarize, toRuleMeta, type Concern, type Effort, type Finding, type Rule, type ScanResult, type Severity } from '../../core/index.js';
import { REPO_ROOT } from '../helpers.js';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'reports', 'fixtures');
export const FIXTURE_APP = path.join(FIXTURES, 'app');
export const FIXTURE_RULES = path.join(FIXTURES, 'rules');

export function rule(id: string, concern: Concern, severity: Severity, effort: Effort, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    concern,
    severity,
    effort,
    title: `Title of ${id}`,
    message: `Message of ${id}: {{value}}`,
    remediation: `Fix **${id}** with \`config\`.`,
    links: [{ title: `About ${id}`, url: `https://example.org/${id}` }],
    tags: ['synthetic'],
    match: { analyzer: 'text' },
    examples: { positive: [], negative: [] },
    source: `rules/${id}.yaml`,
    ...extra,
  };
}

export interface SyntheticHit {
  rule: Rule;
  file: string;
  line: number;
  value?: string;
}

/** A ScanResult whose findings come from `hits` over in-memory file texts. */
export function syntheticResult(files: Record<string, string>, hits: SyntheticHit[], options: { filesAnalyzed?: number; root?: string } = {}): ScanResult {
  const rules = [...new Map(hits.map((h) => [h.rule.id, h.rule])).values()];
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  const findings: Finding[] = [];
  for (const [file, text] of Object.entries(files)) {
    const matches = hits.filter((h) => h.file === file).map((h) => ({ ruleId: h.rule.id, line: h.line, column: 1, ...(h.value ? { captures: { value: h.value } } : {}) }));
    findings.push(...createFindings(file, splitLines(text), matches, rulesById));
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return {
    schemaVersion: 1,
    tool: { name: 'paasport', version: '0.0.0-test' },
    root: options.root ?? '/work/legacy app',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 1234,
    summary: summarize(findings, options.filesAnalyzed ?? Object.keys(files).length),
    rules: rules.map(toRuleMeta).sort((a, b) => (a.id < b.id ? -1 : 1)),
    findings,
    skipped: [{ file: 'big.bin', reason: 'binary file (contains NUL bytes)' }],
    errors: [{ file: 'src/Broken.java', line: 3, message: 'parse error <b>unclosed</b>' }],
    notices: [{ file: 'legacy.properties', message: 'not valid UTF-8; decoded as Windows-1252' }],
  };
}

export const INJECTION = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** A small but varied result: several concerns and severities, a suppressed finding, and a hostile snippet. */
export function variedResult(): ScanResult {
  const storage = rule('java/local-file-write', 'local-storage', 'mandatory', 5, { generates: 'a BlobStore adapter' });
  const jndi = rule('java/jndi-lookup', 'app-server-api', 'potential', 3);
  const host = rule('config/hard-coded-host', 'host-bound-config', 'optional', 1, { remediation: 'Use env vars. <script>alert(1)</script> [x](javascript:alert(1))' });
  const javaText = ['package a;', 'class A {', `  String s = "${INJECTION}";`, '  void f() { new java.io.FileOutputStream("/data/x"); }', '  Object o = ctx.lookup("jdbc/x");', '  Object p = ctx.lookup("jdbc/y");', '}'].join('\n');
  const props = ['db.host=db01', 'cache.host=cache01 # paasport-ignore config/hard-coded-host -- ok'].join('\n');
  const result = syntheticResult(
    { 'src/A.java': javaText, 'conf/app.properties': props },
    [
      { rule: storage, file: 'src/A.java', line: 3, value: INJECTION },
      { rule: storage, file: 'src/A.java', line: 4, value: '/data/x' },
      { rule: jndi, file: 'src/A.java', line: 5 },
      { rule: jndi, file: 'src/A.java', line: 6 },
      { rule: host, file: 'conf/app.properties', line: 1, value: 'db01' },
      { rule: host, file: 'conf/app.properties', line: 2, value: 'cache01' },
    ],
  );
  // Mark one suppressed as the engine would, then recount.
  result.findings = result.findings.map((f) => (f.file === 'conf/app.properties' && f.line === 2 ? { ...f, suppressed: { kind: 'inline' as const, reason: 'ok', target: f.ruleId, line: 2 } } : f));
  result.summary = summarize(result.findings, result.summary.files);
  return result;
}

/** The HTML templates as the CLI loads them. */
export function htmlTemplates(): Record<string, string> {
  const dir = path.join(REPO_ROOT, 'reports', 'html', 'templates');
  return Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.hbs')).map((n) => [n.slice(0, -4), readFileSync(path.join(dir, n), 'utf8')]));
}
