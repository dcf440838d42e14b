/**
 * The Node side of `generate`: the generated modules pass the tests they ship with against a real
 * S3-compatible server (s3rver) and a real Redis, and the patched app still runs, now storing its
 * uploads and sessions in the backing services.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// javac, a JVM and real servers on a shared two-core machine.
vi.setConfig({ testTimeout: 300_000 });
import type { GeneratedFile } from '../../adapters/index.js';
import { REPO_ROOT, writeTree } from '../helpers.js';
import { NODE_SECRET, NODE_TREE, generateNodeApp } from './apps.js';
import { startRedis, startS3, type RunningServer } from './helpers.js';

function runAsync(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

function writeOut(files: GeneratedFile[], prefix: string, dir: string): void {
  for (const f of files.filter((g) => g.path.startsWith(prefix))) {
    const p = path.join(dir, f.path.slice(prefix.length));
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.contents);
  }
}

describe('generate for a Node app', () => {
  const files = generateNodeApp();
  const out = new Map(files.map((f) => [f.path, f.contents]));
  let s3: RunningServer;
  let redis: RunningServer;
  beforeAll(async () => {
    [s3, redis] = await Promise.all([startS3(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([s3?.stop(), redis?.stop()]);
  });

  it('writes the modules the findings call for, with their tests', () => {
    expect(files.filter((f) => f.path.startsWith('node/')).map((f) => f.path)).toEqual([
      'node/paasport/blob-store.js',
      'node/paasport/config.js',
      'node/paasport/jobs.json',
      'node/paasport/logger.js',
      'node/paasport/multer-storage.js',
      'node/paasport/session.js',
      'node/paasport/test/blob-store.test.js',
      'node/paasport/test/config.test.js',
      'node/paasport/test/logger.test.js',
      'node/paasport/test/multer-storage.test.js',
      'node/paasport/test/session.test.js',
      'node/paasport/test/tiered-cache.test.js',
      'node/paasport/test/worker.test.js',
      'node/paasport/tiered-cache.js',
      'node/paasport/worker.js',
    ]);
    // named after the work the timer calls; 3600000 ms is hourly
    expect(JSON.parse(out.get('node/paasport/jobs.json')!)).toEqual({ 'purge-carts': { module: '../jobs/purge-carts.js', schedule: '0 * * * *', from: 'jobs.js:4' } });
    expect(out.get('k8s/cronjob-purge-carts.yaml')).toContain('schedule: 0 * * * *');
    expect(out.get('k8s/cronjob-purge-carts.yaml')).toMatch(/- node\n\s+- paasport\/worker\.js\n\s+- purge-carts\n/);
  });

  it('overlays the JS config with process.env and never copies the secret', () => {
    expect(out.get('overlays/config.js')).toBe("module.exports = {\n  dbHost: (process.env.DB_HOST ?? \"db.internal.corp\"),\n  password: process.env.PASSWORD,\n};\n");
    for (const f of files) expect(f.contents.includes(NODE_SECRET), f.path).toBe(false);
  });

  it('the generated modules pass their own tests against real S3 and Redis', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paasport-node-'));
    writeOut(files, 'node/', dir);
    const r = await runAsync(process.execPath, ['--test', '--test-reporter=tap', 'paasport/test/'], {
      cwd: dir,
      env: { NODE_PATH: path.join(REPO_ROOT, 'node_modules'), S3_TEST_ENDPOINT: s3.url, REDIS_URL: redis.url, S3_ACCESS_KEY_ID: 'S3RVER', S3_NODE_SECRET_ACCESS_KEY: 'S3RVER' },
    });
    const count = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(r.out)?.[1] ?? -1);
    expect(count('fail'), r.out + r.err).toBe(0);
    expect(count('skipped')).toBe(0);
    expect(count('pass')).toBeGreaterThanOrEqual(12);
  });

  it('patches apply, and the patched app stores uploads, files and sessions in the backing services', async () => {
    const app = mkdtempSync(path.join(os.tmpdir(), 'paasport-nodeapp-'));
    writeTree(app, NODE_TREE);
    expect(spawnSync('git', ['init', '-q'], { cwd: app }).status).toBe(0);
    const rewire = out.get('patches/0002-rewire-call-sites.patch')!;
    expect(rewire).toContain("+  store: require('./paasport/session').sessionStore(),");
    expect(rewire).toContain("+const upload = multer({ storage: require('./paasport/multer-storage').blobStorage() });");
    expect(rewire).toContain('+  blobFs.writeFile(');
    expect(rewire).toContain("+const { blobFs } = require('./paasport/blob-store');");
    for (const p of ['patches/0001-add-paasport-adapters.patch', 'patches/0002-rewire-call-sites.patch']) {
      writeFileSync(path.join(app, path.basename(p)), out.get(p)!);
      const check = spawnSync('git', ['apply', '--check', path.basename(p)], { cwd: app, encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(spawnSync('git', ['apply', path.basename(p)], { cwd: app }).status).toBe(0);
    }
    const blobs = path.join(app, 'blobs');
    const script = `
      const app = require('./app.js');
      const servers = [app.listen(0, '127.0.0.1'), app.listen(0, '127.0.0.1')];
      const url = (i, p) => 'http://127.0.0.1:' + servers[i].address().port + p;
      (async () => {
        await new Promise((r) => setTimeout(r, 100));
        const form = new FormData();
        form.append('file', new Blob(['pdf bytes']), 'doc.pdf');
        const up = await (await fetch(url(0, '/upload'), { method: 'POST', body: form })).json();
        const note = await (await fetch(url(1, '/notes/7'), { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } })).text();
        const login = await fetch(url(0, '/login'), { method: 'POST' });
        const cookie = login.headers.get('set-cookie').split(';')[0];
        const me = await (await fetch(url(1, '/me'), { headers: { cookie } })).text();
        console.log(JSON.stringify({ up, note, me }));
        for (const s of servers) s.close();
        await require('./paasport/session').closeSessionStore();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = await runAsync(process.execPath, ['-e', script], { cwd: app, env: { NODE_PATH: path.join(REPO_ROOT, 'node_modules'), REDIS_URL: redis.url, BLOB_STORE: 'local', BLOB_LOCAL_DIR: blobs } });
    expect(r.err).toBe('');
    const res = JSON.parse(r.out.trim()) as { up: { key: string }; note: string; me: string };
    expect(res.note).toBe('saved');
    expect(res.me).toBe('alice');
    expect(readFileSync(path.join(blobs, res.up.key), 'utf8')).toBe('pdf bytes');
    expect(readFileSync(path.join(blobs, 'data/notes/7.txt'), 'utf8')).toBe('hello');
    expect(existsSync(path.join(app, 'uploads'))).toBe(false);
    expect(existsSync(path.join(app, 'data'))).toBe(false);
    expect(readdirSync(path.join(app, 'paasport'))).toContain('session.js');
  });
});
