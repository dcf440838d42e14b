/**
 * The Java side of `generate` on a hand-made scan of a Tomcat app: the adapters compile with javac
 * alone, work against real S3 (signatures checked by the AWS SDK's signer) and a real Redis, the
 * overlays keep the file's syntax and never copy a secret, and the patches compile.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// javac, a JVM and real servers on a shared two-core machine.
vi.setConfig({ testTimeout: 300_000 });
import { generate, type GeneratedFile } from '../../adapters/index.js';
import { applyEdits } from '../../adapters/diff.js';
import { REPO_ROOT, writeTree } from '../helpers.js';
import { JAVA_SECRET, JAVA_SOURCES_TREE, generateJavaApp, javaFindings } from './apps.js';
import { scanResult, shimBundle, startRedis, startS3, type RunningServer } from './helpers.js';

const byPath = (files: GeneratedFile[]) => new Map(files.map((f) => [f.path, f.contents]));

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Asynchronous, so the in-process S3 proxy keeps serving while the JVM talks to it. */
function runAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

function compileAdapters(files: GeneratedFile[], extraSources: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-javac-'));
  const srcs: string[] = [];
  for (const f of files.filter((g) => g.path.endsWith('.java'))) {
    const p = path.join(dir, 'src', path.basename(f.path));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.contents);
    srcs.push(p);
  }
  for (const [name, text] of Object.entries(extraSources)) {
    const p = path.join(dir, 'extra', name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    srcs.push(p);
  }
  const r = run('/usr/bin/javac', ['-Xlint:all', '-Werror', '-d', path.join(dir, 'classes'), ...srcs]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return path.join(dir, 'classes');
}

describe('generate for a Java (Tomcat) app', () => {
  const files = generateJavaApp();
  const out = byPath(files);

  it('writes the adapters the findings call for, in plain JDK packages', () => {
    const java = files.filter((f) => f.path.endsWith('.java')).map((f) => path.basename(f.path)).sort();
    expect(java).toEqual(['BlobStore.java', 'BlobStores.java', 'DataSources.java', 'LocalDirectoryBlobStore.java', 'PlatformConfig.java', 'PlatformDataSource.java', 'PlatformWorker.java', 'S3BlobStore.java', 'TieredCache.java']);
    for (const f of files.filter((g) => g.path.endsWith('.java'))) {
      const imports = [...f.contents.matchAll(/^import\s+([\w.]+)/gm)].map((m) => m[1]!);
      expect(imports.filter((i) => !/^(java|javax\.(crypto|sql))\./.test(i))).toEqual([]);
    }
    // Tomcat with no logging library in sight: JUL (Tomcat's own) to the console
    expect(out.get('java/src/main/resources/logging.properties')).toContain('handlers=java.util.logging.ConsoleHandler');
    expect(out.has('java/src/main/resources/logback.xml')).toBe(false);
    expect(out.get('java/container/tomcat/context.xml')).toContain('RedissonSessionManager');
  });

  it('writes only what a smaller scan needs', () => {
    const only = generate(scanResult([javaFindings()[0]!]), { name: 'shop', unit: { cpu: '1', memory: '1Gi' }, units: 1, files: ['pom.xml', 'src/main/resources/application.properties'], shim: shimBundle() });
    expect(only.filter((f) => f.path.endsWith('.java')).map((f) => path.basename(f.path))).toEqual(['PlatformConfig.java']);
    expect(only.some((f) => f.path.includes('cronjob') || f.path.includes('session') || f.path.includes('patches/'))).toBe(false);
  });

  it('overlays the properties file in its own placeholder syntax, secret as a bare reference', () => {
    expect(out.get('overlays/src/main/resources/application.properties')).toBe(
      '# shop settings\ndb.url=${DB_URL:jdbc:mysql://db01.corp.local:3306/shop}\ndb.user=shop\ndb.password=${DB_PASSWORD}\nupload.dir=${UPLOAD_DIR:/var/shop/uploads}\nlog.file=/var/log/shop/app.log\n',
    );
    expect(out.get('overlays/src/main/webapp/WEB-INF/web.xml')).toContain('<web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="3.1">\n  <distributable/>\n  <display-name>');
  });

  it('never copies the secret into any generated file', () => {
    for (const f of files) expect(f.contents.includes(JAVA_SECRET), f.path).toBe(false);
    expect(out.get('.env.example')).toMatch(/^DB_PASSWORD=$/m);
    expect(out.get('k8s/secret.template.yaml')).toMatch(/DB_PASSWORD: REPLACE_ME/);
    expect(out.get('k8s/configmap.yaml')).not.toMatch(/DB_PASSWORD/);
    expect(out.get('k8s/configmap.yaml')).toContain('DB_URL: jdbc:mysql://db01.corp.local:3306/shop');
  });

  it('turns the EJB timer into a CronJob with the schedule it declared', () => {
    const cron = out.get('k8s/cronjob-nightlyreport.yaml')!;
    expect(cron).toContain('schedule: 30 2 * * *');
    expect(cron).toContain('- com.acme.shop.NightlyReport');
    expect(cron).toContain('- io.paasport.platform.PlatformWorker');
  });

  it('plans in order: mandatory before potential, cheaper first', () => {
    const plan = out.get('MIGRATION.md')!;
    const order = [...plan.matchAll(/^## \d+\. .*\(([a-z-]+)\)$/gm)].map((m) => m[1]);
    // file-logging costs 1 point; ties keep the concern catalog's order
    expect(order).toEqual(['file-logging', 'host-bound-config', 'local-credentials', 'long-running-task', 'session-state', 'local-storage', 'app-server-api', 'in-memory-cache']);
    expect(plan).toContain('`src/main/resources/application.properties:4` config/properties-credentials');
    expect(plan).toContain('→ `DB_PASSWORD`');
    expect(plan).toContain('DataSources.lookup("jdbc/OrdersDS")');
  });

  it('compiles with javac alone (-Xlint:all -Werror)', () => {
    compileAdapters(files);
  });

  it('rewires only the FileOutputStreams that are safe, and the result compiles', () => {
    const patch = out.get('patches/0002-rewire-call-sites.patch')!;
    expect(patch).toContain('+        try (OutputStream out = io.paasport.platform.BlobStores.outputStream("/var/shop/uploads/" + name)) {');
    expect(patch).toContain('+        try (java.io.OutputStream out = io.paasport.platform.BlobStores.outputStream("/var/shop/archive/" + name)) {');
    // append mode and getChannel() need a real FileOutputStream
    expect(patch).not.toContain('FileOutputStream(name, true)');
    expect(patch).toContain('+  <distributable/>');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-patch-'));
    writeTree(dir, JAVA_SOURCES_TREE);
    expect(run('git', ['init', '-q'], { cwd: dir }).code).toBe(0);
    for (const p of ['patches/0001-add-paasport-adapters.patch', 'patches/0002-rewire-call-sites.patch']) {
      writeFileSync(path.join(dir, path.basename(p)), out.get(p)!);
      const check = run('git', ['apply', '--check', path.basename(p)], { cwd: dir });
      expect(check.err).toBe('');
      expect(run('git', ['apply', path.basename(p)], { cwd: dir }).code).toBe(0);
    }
    const adapters = readdirSync(path.join(dir, 'src/main/java/io/paasport/platform'));
    expect(adapters).toContain('BlobStores.java');
    const r = run('/usr/bin/javac', ['-d', path.join(dir, 'classes'), path.join(dir, 'src/main/java/com/acme/shop/Uploads.java'), ...adapters.map((a) => path.join(dir, 'src/main/java/io/paasport/platform', a))]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('applyEdits and the diff agree', () => {
    const text = 'a\nb\nc';
    expect(applyEdits(text, [{ start: 1, remove: 1, insert: ['B', 'B2'] }])).toBe('a\nB\nB2\nc');
  });
});

describe('generated Java against real servers', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let redis: RunningServer;
  let classes: string;
  beforeAll(async () => {
    [s3, redis] = await Promise.all([startS3(), startRedis()]);
    const harness = path.join(REPO_ROOT, 'test/adapters/java-harness');
    const extra: Record<string, string> = {};
    for (const f of readdirSync(harness)) extra[f] = readFileSync(path.join(harness, f), 'utf8');
    classes = compileAdapters(generateJavaApp(), extra);
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), redis?.stop()]);
  });

  it('blob stores (local, S3 with checked SigV4), config, tiered cache, DataSource factory', async () => {
    const blobs = mkdtempSync(path.join(os.tmpdir(), 'paasport-blobs-'));
    const r = await runAsync('/usr/bin/java', ['-cp', classes, 'Harness', s3.url, redis.url, blobs]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toEqual([
      'resolve=jdbc:postgresql://db:5432/x|dflt|jdbc:postgresql://db:5432/x',
      'missing=environment variable NOPE is not set and has no default',
      'local=hello,true,true,true,true,[a/b c+d.txt]',
      's3=hello,true,true,true,true,[a/b c+d.txt]',
      'badsig=rejected',
      'cache=2,v0,v4',
      'converged=changed',
      'invalidated=null',
      'shrunk=0',
      'prefix=JDBC_ORDERS_DS',
      'ds=environment variable JDBC_ORDERS_DS_URL is not set',
      "driver=No suitable driver found for jdbc:nosuchdriver:x",
      'stream=[7, 8]',
      'key=var/shop/uploads/a.png',
    ]);
    expect(s3.checked()).toBeGreaterThan(10);
    expect(s3.rejected()).toBe(1);
  });

  it('PlatformWorker exits 0 on success, 1 on failure, 2 on usage', () => {
    const ok = run('/usr/bin/java', ['-cp', classes, 'io.paasport.platform.PlatformWorker', 'HarnessJob']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('job ran');
    expect(ok.out).toMatch(/"msg":"done"/);
    const failed = run('/usr/bin/java', ['-cp', classes, 'io.paasport.platform.PlatformWorker', 'HarnessJob'], { env: { HARNESS_FAIL: '1' } });
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('job failed on purpose');
    expect(run('/usr/bin/java', ['-cp', classes, 'io.paasport.platform.PlatformWorker']).code).toBe(2);
  });
});
