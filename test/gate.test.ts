/**
 * The CI contract end to end through the built CLI: formats and output files, the gate (exit 1 with
 * one line, reports still written), baselines that survive moved code, inline suppressions, the
 * project config file, and usage errors (exit 2, one line).
 */
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '../core/index.js';
import { runCli, tempDir, writeTree } from './helpers.js';
import { FIXTURE_APP, FIXTURE_RULES } from './reports/synthetic.js';

// Several CLI runs per test, each a process start: on a shared, loaded CI machine that can pass a
// minute. A generous limit keeps the tests about behaviour; speed is `npm run bench`'s business.
vi.setConfig({ testTimeout: 240_000 });

const RULES = ['--no-builtin-rules', '--rules', FIXTURE_RULES];
const JAVA = 'src/main/java/com/acme/ReportService.java';

function app(): string {
  const dir = path.join(tempDir('paasport-gate-'), 'app');
  cpSync(FIXTURE_APP, dir, { recursive: true, filter: (src) => !src.includes('.paasport-cache') });
  return dir;
}

function scanJson(dir: string, extra: string[] = []): { code: number; stderr: string; result: ScanResult } {
  const out = path.join(tempDir(), 'r.json');
  const r = runCli(['scan', dir, ...RULES, '--format', 'json', '--output', out, ...extra]);
  return { code: r.code, stderr: r.stderr, result: existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as ScanResult) : (undefined as unknown as ScanResult) };
}

const gateLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('paasport: gate failed'));
const oneUsageLine = (r: { code: number; stderr: string }) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

describe('formats and outputs', () => {
  it('--out-dir writes every requested format under its fixed name', () => {
    const dir = app();
    const out = path.join(tempDir(), 'reports');
    const r = runCli(['scan', dir, ...RULES, '--format', 'html,sarif', '--format', 'markdown', '-f', 'gitlab,json,text', '--out-dir', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['gl-code-quality.json', 'paasport-report.html', 'paasport-report.json', 'paasport-report.md', 'paasport-report.sarif', 'paasport-report.txt']);
    const json = JSON.parse(readFileSync(path.join(out, 'paasport-report.json'), 'utf8')) as ScanResult;
    expect(json.summary.score).toEqual(expect.any(Number));
    expect(json.summary.grade).toMatch(/^[A-F]$/);
    expect(json.summary.effort).toMatchObject({ daysPerPoint: 0.5 });
    expect(readFileSync(path.join(out, 'paasport-report.md'), 'utf8')).toContain(`${json.summary.score}/100`);
    expect(JSON.parse(readFileSync(path.join(out, 'paasport-report.sarif'), 'utf8')).runs[0].results).toHaveLength(json.findings.length);
  });

  const usage: Array<[string, string[]]> = [
    ['several formats without --out-dir', ['--format', 'html,sarif']],
    ['several formats with --output', ['--format', 'html,sarif', '--output', 'x.html']],
    ['unknown format', ['--format', 'pdf']],
    ['bad --fail-on', ['--fail-on', 'blocker']],
    ['bad --min-score', ['--min-score', 'high']],
    ['bad --days-per-point', ['--days-per-point', '-1']],
  ];
  for (const [name, args] of usage) {
    it(`usage error: ${name} → exit 2, one line`, () => {
      oneUsageLine(runCli(['scan', FIXTURE_APP, ...RULES, ...args]));
    });
  }

  it('--days-per-point changes the estimate, not the points', () => {
    const dir = app();
    const a = scanJson(dir).result.summary.effort!;
    const b = scanJson(dir, ['--days-per-point', '2']).result.summary.effort!;
    expect(b.points).toBe(a.points);
    expect(Math.abs(b.days - a.points * 2)).toBeLessThanOrEqual(0.11);
    expect(b.daysPerPoint).toBe(2);
  });

  it('a folder with nothing to analyze has no score (insufficient data), and --min-score fails on it', () => {
    const dir = tempDir();
    writeTree(dir, { 'README.md': '# docs only\n' });
    const r = scanJson(dir, ['--min-score', '1']);
    expect(r.result.summary.score).toBeNull();
    expect(r.result.summary.grade).toBe('N/A');
    expect(r.code).toBe(1);
    expect(gateLines(r.stderr)[0]).toMatch(/insufficient data/);
  });
});

describe('gate', () => {
  it('--fail-on exits 1 with a one-line reason and still writes the report', () => {
    const r = scanJson(app(), ['--fail-on', 'mandatory']);
    expect(r.code).toBe(1);
    expect(gateLines(r.stderr)).toHaveLength(1);
    expect(gateLines(r.stderr)[0]).toMatch(/\d+ mandatory findings? \(--fail-on mandatory\), first: src\/main\/java\/com\/acme\/ReportService\.java:\d+ demo\/local-file-write/);
    expect(r.result.findings.length).toBeGreaterThan(0);
  });

  it('--fail-on counts only severities at least as severe', () => {
    const dir = app();
    writeTree(dir, { [JAVA]: 'class Clean {}\n' });
    const optionalOnly = scanJson(dir, ['--fail-on', 'potential']);
    expect(optionalOnly.result.summary.bySeverity).toMatchObject({ mandatory: 0, potential: 0 });
    expect(optionalOnly.result.summary.bySeverity.optional).toBeGreaterThan(0);
    expect(optionalOnly.code).toBe(0);
    expect(scanJson(dir, ['--fail-on', 'optional']).code).toBe(1);
  });

  it('--min-score compares with the score', () => {
    const dir = app();
    const score = scanJson(dir).result.summary.score as number;
    expect(scanJson(dir, ['--min-score', String(score)]).code).toBe(0);
    const r = scanJson(dir, ['--min-score', String(score + 1)]);
    expect(r.code).toBe(1);
    expect(gateLines(r.stderr)[0]).toContain(`score ${score} is below --min-score ${score + 1}`);
  });

  it('suppressed findings are listed but do not fail the gate', () => {
    const dir = app();
    const r = scanJson(dir).result;
    const sup = r.findings.filter((f) => f.suppressed);
    expect(sup.map((f) => `${f.file}:${f.line}`).sort()).toEqual([`${JAVA}:12`, 'src/main/resources/app.properties:4', 'src/main/webapp/WEB-INF/web.xml:3']);
    expect(sup.every((f) => f.suppressed!.reason.length > 0)).toBe(true);
    expect(r.summary.suppressed).toBe(3);
    expect(r.summary.findings).toBe(r.findings.length - 3);
    // the reasonless directive is reported and suppressed nothing
    expect(r.errors).toContainEqual({ file: JAVA, line: 13, message: expect.stringMatching(/has no reason/) });
    expect(r.findings.find((f) => f.file === JAVA && f.line === 14)?.suppressed).toBeUndefined();
    // the gate ignores suppressed findings: only the optional host in web.xml:4 and app.properties:2 remain after removing the Java file
    writeTree(dir, { [JAVA]: 'class A { void f() { new FileOutputStream("/x"); // paasport-ignore local-storage -- scratch file, recreated on start\n } }\n' });
    const after = scanJson(dir, ['--fail-on', 'mandatory']);
    expect(after.code, after.stderr).toBe(0);
  });
});

describe('baseline', () => {
  it('moving code does not make known findings new; a new finding is new in every format', () => {
    const dir = app();
    const baseline = path.join(tempDir(), 'baseline.json');
    const first = runCli(['scan', dir, ...RULES, '--write-baseline', baseline, '--format', 'json', '--output', path.join(tempDir(), 'x.json')]);
    expect(first.code).toBe(0);
    const written = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(written.format).toBe('paasport-baseline');
    expect(written.findings.length).toBeGreaterThan(0);

    // Insert lines above every finding and reorder methods: ids are line-independent.
    const java = readFileSync(path.join(dir, JAVA), 'utf8');
    const moved = java.replace('public class ReportService {', 'public class ReportService {\n    // a\n    // b\n    private int counter;\n\n    public Object later() { return null; }\n');
    writeFileSync(path.join(dir, JAVA), moved);
    writeFileSync(path.join(dir, 'src/main/resources/app.properties'), `# header\n# more\n${readFileSync(path.join(dir, 'src/main/resources/app.properties'), 'utf8')}`);
    const same = scanJson(dir, ['--baseline', baseline, '--fail-on', 'mandatory']);
    expect(same.code).toBe(0);
    const active = same.result.findings.filter((f) => !f.suppressed);
    expect(same.result.findings.length).toBe(written.findings.length);
    expect(same.result.findings.every((f) => f.isNew === false)).toBe(true);
    expect(same.result.summary.newFindings).toBe(0);
    expect(active.find((f) => f.ruleId === 'demo/local-file-write')!.line).toBeGreaterThan(9);

    // A new blocker.
    writeFileSync(path.join(dir, JAVA), moved.replace('    public Object dataSource()', '    void added() throws Exception { new FileOutputStream("/var/acme/new.txt"); }\n\n    public Object dataSource()'));
    const out = path.join(tempDir(), 'out');
    const r = runCli(['scan', dir, ...RULES, '--baseline', baseline, '--fail-on', 'mandatory', '--format', 'json,sarif,markdown,gitlab,html,text', '--out-dir', out]);
    expect(r.code).toBe(1);
    expect(gateLines(r.stderr)[0]).toMatch(/^paasport: gate failed: 1 new mandatory finding \(--fail-on mandatory\)/);
    const json = JSON.parse(readFileSync(path.join(out, 'paasport-report.json'), 'utf8')) as ScanResult;
    const fresh = json.findings.filter((f) => f.isNew);
    expect(fresh.map((f) => f.message)).toEqual(['File written to a local path: /var/acme/new.txt']);
    expect(json.summary.newFindings).toBe(1);
    const sarif = JSON.parse(readFileSync(path.join(out, 'paasport-report.sarif'), 'utf8'));
    expect(sarif.runs[0].results.filter((x: { baselineState?: string }) => x.baselineState === 'new')).toHaveLength(1);
    const gl = JSON.parse(readFileSync(path.join(out, 'gl-code-quality.json'), 'utf8'));
    expect(gl.filter((x: { description: string }) => x.description.startsWith('[new]'))).toHaveLength(1);
    expect(readFileSync(path.join(out, 'paasport-report.md'), 'utf8').match(/\*\*new\*\*/g)).toHaveLength(1);
    expect(readFileSync(path.join(out, 'paasport-report.html'), 'utf8').match(/class="tag new"/g)).toHaveLength(1);
    expect(readFileSync(path.join(out, 'paasport-report.txt'), 'utf8').match(/\[new\]/g)).toHaveLength(1);
  });

  it('a file that is not a baseline is a usage error', () => {
    const bad = path.join(tempDir(), 'b.json');
    writeFileSync(bad, '{"findings": 3}');
    const r = runCli(['scan', app(), ...RULES, '--baseline', bad]);
    oneUsageLine(r);
    expect(r.stderr).toContain('not a paasport baseline');
  });
});

describe('project config file', () => {
  it('paasport.config.json: rule overrides, excludes, thresholds and default formats', () => {
    const dir = app();
    const out = path.join(tempDir(), 'cfg-out');
    writeTree(dir, {
      'paasport.config.json': JSON.stringify({
        exclude: ['src/main/webapp/**'],
        rules: { 'demo/jndi-lookup': 'off', 'demo/local-file-write': { severity: 'optional' } },
        thresholds: { failOn: 'potential' },
        formats: ['json', 'markdown'],
        outDir: out,
      }),
    });
    const r = runCli(['scan', dir, ...RULES]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(path.join(out, 'paasport-report.json'), 'utf8')) as ScanResult;
    expect(json.findings.some((f) => f.ruleId === 'demo/jndi-lookup')).toBe(false);
    expect(json.findings.some((f) => f.file.startsWith('src/main/webapp/'))).toBe(false);
    expect(json.findings.filter((f) => f.ruleId === 'demo/local-file-write').every((f) => f.severity === 'optional')).toBe(true);
    expect(existsSync(path.join(out, 'paasport-report.md'))).toBe(true);
    // flags override the file
    expect(runCli(['scan', dir, ...RULES, '--fail-on', 'optional', '--format', 'text']).code).toBe(1);
    // --no-config ignores it
    const ignored = runCli(['scan', dir, ...RULES, '--no-config', '--format', 'json']);
    expect((JSON.parse(ignored.stdout) as ScanResult).findings.some((f) => f.ruleId === 'demo/jndi-lookup')).toBe(true);
  });

  it('.paasportrc.yml works the same', () => {
    const dir = app();
    writeTree(dir, { '.paasportrc.yml': 'thresholds:\n  minScore: 100\n' });
    const r = runCli(['scan', dir, ...RULES, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^paasport: gate failed: score \d+ is below --min-score 100$/m);
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['unknown key', { 'paasport.config.json': '{"failOn": "mandatory"}' }, /paasport\.config\.json: \(top level\): unknown key "failOn"/],
    ['bad severity', { 'paasport.config.json': '{"thresholds": {"failOn": "blocker"}}' }, /\/thresholds\/failOn: must be one of/],
    ['bad override', { 'paasport.config.json': '{"rules": {"demo/host-url": "disable"}}' }, /\/rules\/demo~1host-url: must be "off", a severity/],
    ['unknown rule', { 'paasport.config.json': '{"rules": {"demo/nope": "off"}}' }, /\/rules\/demo\/nope: no such rule/],
    ['bad JSON', { 'paasport.config.json': '{"rules": ' }, /paasport\.config\.json: cannot parse/],
    ['bad YAML', { '.paasportrc.yml': 'formats: [html\n' }, /\.paasportrc\.yml: cannot parse/],
    ['bad score', { '.paasportrc.yml': 'thresholds: {minScore: 120}' }, /\/thresholds\/minScore: must be <= 100/],
    ['two files', { '.paasportrc.yml': 'formats: [json]', 'paasport.config.json': '{}' }, /both exist/],
  ];
  for (const [name, files, message] of invalid) {
    it(`invalid config (${name}) exits 2 with one line`, () => {
      const dir = app();
      writeTree(dir, files);
      const r = runCli(['scan', dir, ...RULES]);
      oneUsageLine(r);
      expect(r.stderr).toMatch(message);
    });
  }
});
