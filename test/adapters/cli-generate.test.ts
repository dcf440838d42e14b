/**
 * `paasport generate` end to end through the built CLI, with the real analyzers: the sample apps,
 * determinism, patches that apply and remove what they target, and the write-safety rules.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Every case spawns the built CLI (a full scan each time) on a shared two-core machine.
vi.setConfig({ testTimeout: 300_000 });
import { MANIFEST, writeGenerated } from '../../cli/commands/generate.js';
import type { ScanResult } from '../../core/index.js';
import { REPO_ROOT, runCli, tempDir, writeTree } from '../helpers.js';
import { NODE_SECRET, NODE_TREE } from './apps.js';

function snapshot(dir: string, ignore: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fg.sync('**/*', { cwd: dir, dot: true, ignore: ['.git/**', '**/.paasport-cache/**', ...ignore] }).sort()) {
    out[f] = createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex');
  }
  return out;
}

function scanJson(dir: string): ScanResult {
  const report = path.join(tempDir(), 'r.json');
  const r = runCli(['scan', dir, '--format', 'json', '--output', report, '--no-cache', '-q']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(report, 'utf8')) as ScanResult;
}

function applyPatches(app: string, out: string): string {
  const copy = path.join(tempDir(), 'app');
  cpSync(app, copy, { recursive: true, filter: (src) => !src.includes('.paasport-cache') });
  expect(spawnSync('git', ['init', '-q'], { cwd: copy }).status).toBe(0);
  for (const p of ['0001-add-paasport-adapters.patch', '0002-rewire-call-sites.patch']) {
    const file = path.join(out, 'patches', p);
    const check = spawnSync('git', ['apply', '--check', file], { cwd: copy, encoding: 'utf8' });
    expect(check.stderr, p).toBe('');
    expect(check.status).toBe(0);
    expect(spawnSync('git', ['apply', file], { cwd: copy }).status).toBe(0);
  }
  return copy;
}

const key = (f: { file: string; ruleId: string }) => `${f.file} ${f.ruleId}`;

const SAMPLES = [
  {
    app: 'sample-legacy-javaee',
    gone: ['src/main/java/com/acmeshop/orders/web/AvatarServlet.java java/upload-to-local-disk', 'src/main/webapp/WEB-INF/web.xml config/web-xml-not-distributable'],
    adapters: 'src/main/java/io/paasport/platform/',
  },
  {
    app: 'sample-legacy-node',
    gone: ['app.js node/session-memory-store', 'routes/products.js node/multer-disk-storage'],
    adapters: 'paasport/',
  },
];

for (const s of SAMPLES) {
  const root = path.join(REPO_ROOT, 'fixtures', s.app);
  describe.runIf(existsSync(root))(`generate ${s.app}`, () => {
    const out = path.join(tempDir(), 'out');
    let before: Record<string, string> = {};
    let first = { code: -1, stdout: '', stderr: '' };
    beforeAll(() => {
      before = snapshot(root);
      first = runCli(['generate', root, '--out', out, '--patch', '--unit', '250m,256Mi', '--units', '3']);
    });

    it('writes the plan, overlay, adapters, manifests and patches without touching the app', () => {
      expect(first.stderr.split('\n').filter((l) => l && !l.includes('rule file problem'))).toEqual([]);
      expect(first.code).toBe(0);
      for (const f of ['MIGRATION.md', '.env.example', 'Dockerfile', 'paasport-shim.yaml', 'k8s/deployment.yaml', 'k8s/kustomization.yaml', 'patches/0002-rewire-call-sites.patch', MANIFEST]) expect(existsSync(path.join(out, f)), f).toBe(true);
      expect(snapshot(root)).toEqual(before);
      const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8')) as { files: Record<string, string> };
      expect(Object.keys(manifest.files).sort()).toEqual(Object.keys(snapshot(out)).filter((f) => f !== MANIFEST));
    });

    it('a second run on the same input is byte-identical', () => {
      // Same input = the same report: other work in this checkout may change rules between two scans.
      const report = path.join(tempDir(), 'report.json');
      expect(runCli(['scan', root, '--format', 'json', '--output', report, '--no-cache', '-q']).code).toBe(0);
      const det = path.join(tempDir(), 'det');
      const args = ['generate', '--from', report, root, '--out', det, '--patch', '--unit', '250m,256Mi', '--units', '3'];
      expect(runCli(args).code).toBe(0);
      const snap = snapshot(det);
      const again = runCli(args);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/\(0 written, \d+ unchanged\)/);
      expect(snapshot(det)).toEqual(snap);
    });

    it('patches apply to a copy; a re-scan shows the targeted findings gone and none in the adapters', () => {
      const original = scanJson(root).findings.filter((f) => !f.suppressed).map(key);
      for (const g of s.gone) expect(original).toContain(g);
      const copy = applyPatches(root, out);
      const rescan = scanJson(copy).findings.filter((f) => !f.suppressed);
      for (const g of s.gone) expect(rescan.map(key)).not.toContain(g);
      expect(rescan.filter((f) => f.file.startsWith(s.adapters)).map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    });
  });
}

describe('generate on a small Node app: --from, secrets, safety', () => {
  it('--from report.json gives the same files as scanning', () => {
    const app = tempDir();
    writeTree(app, NODE_TREE);
    const report = path.join(tempDir(), 'report.json');
    expect(runCli(['scan', app, '--format', 'json', '--output', report, '--no-cache', '-q']).code).toBe(0);
    const a = path.join(tempDir(), 'a');
    const b = path.join(tempDir(), 'b');
    expect(runCli(['generate', app, '--out', a, '--name', 'shop']).code).toBe(0);
    const r = runCli(['generate', '--from', report, app, '--out', b, '--name', 'shop']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    for (const f of Object.keys(snapshot(a))) expect(readFileSync(path.join(a, f), 'utf8').includes(NODE_SECRET), f).toBe(false);
  });

  it('an output folder inside the app is not scanned on the next run', () => {
    const app = tempDir();
    writeTree(app, NODE_TREE);
    const out = path.join(app, 'paasport-out');
    expect(runCli(['generate', app, '--out', out]).code).toBe(0);
    const snap = snapshot(out);
    expect(runCli(['generate', app, '--out', out]).code).toBe(0);
    expect(snapshot(out)).toEqual(snap);
    expect(readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('COPY paasport-out/paasport-shim.yaml');
  });

  it('refuses to overwrite a file it did not write, or one edited since, unless --force', () => {
    const app = tempDir();
    writeTree(app, NODE_TREE);
    const out = path.join(tempDir(), 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'Dockerfile'), 'FROM mine\n');
    const r = runCli(['generate', app, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^paasport: would overwrite 1 file\(s\) .*Dockerfile \(not written by paasport\); use --force to overwrite\n$/);
    expect(readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toBe('FROM mine\n');
    expect(existsSync(path.join(out, 'MIGRATION.md'))).toBe(false);
    expect(runCli(['generate', app, '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('paasport');
    writeFileSync(path.join(out, 'MIGRATION.md'), 'my notes\n');
    const edited = runCli(['generate', app, '--out', out]);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain('MIGRATION.md (edited since paasport wrote it)');
    expect(readFileSync(path.join(out, 'MIGRATION.md'), 'utf8')).toBe('my notes\n');
  });

  it('never follows a symlink out of --out', () => {
    const app = tempDir();
    writeTree(app, NODE_TREE);
    const out = path.join(tempDir(), 'out');
    const elsewhere = tempDir();
    mkdirSync(out, { recursive: true });
    symlinkSync(elsewhere, path.join(out, 'k8s'));
    const r = runCli(['generate', app, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write k8s\/.*: k8s is a symbolic link/);
    expect(snapshot(elsewhere)).toEqual({});
  });

  it('rejects unsafe paths before writing anything', () => {
    for (const bad of ['../escape.txt', '/etc/passwd', 'a/../../b', 'C:/x', 'a//b', 'a\\b', './a', MANIFEST]) {
      const out = path.join(tempDir(), 'out');
      expect(() => writeGenerated(out, [{ path: 'ok.txt', contents: 'ok' }, { path: bad, contents: 'x' }], true), bad).toThrow(/unsafe output path/);
      expect(existsSync(path.join(out, 'ok.txt'))).toBe(false);
    }
  });

  it('removes files of an earlier run that are no longer generated, unless edited', () => {
    const out = path.join(tempDir(), 'out');
    writeGenerated(out, [{ path: 'a.txt', contents: 'a' }, { path: 'b/c.txt', contents: 'c' }, { path: 'd.txt', contents: 'd' }], false);
    writeFileSync(path.join(out, 'd.txt'), 'edited');
    const r = writeGenerated(out, [{ path: 'a.txt', contents: 'a' }], false);
    expect(r).toEqual({ written: 0, unchanged: 1, removed: 1 });
    expect(existsSync(path.join(out, 'b'))).toBe(false);
    expect(readFileSync(path.join(out, 'd.txt'), 'utf8')).toBe('edited');
    rmSync(out, { recursive: true });
  });

  it('usage errors exit 2 with one line', () => {
    for (const args of [['generate'], ['generate', '.', '--unit', 'lots'], ['generate', '--from', '/nonexistent/report.json'], ['generate', '/nonexistent/app']]) {
      const r = runCli(args, { cwd: tempDir() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^paasport: /);
    }
  });
});
