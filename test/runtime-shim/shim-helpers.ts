/**
 * Helpers for the runtime-shim tests: run the BUILT shim (`node bin/paasport.js run …`) as a child
 * process, around small real apps written to a temp folder, and a real etcd on free loopback ports.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { BIN, tempDir } from '../helpers.js';

export const ETCD_BIN = ['/usr/bin/etcd', '/usr/local/bin/etcd'].find((p) => existsSync(p)) ?? 'etcd';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `what` may be a function, so the message can show state at the time of the timeout (e.g. the shim's stderr). */
export async function waitFor<T>(what: string | (() => string), check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(everyMs);
  }
}

export interface ShimRun {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const live = new Set<ChildProcess>();

/**
 * Cleanup after a failed test: SIGKILLing a shim alone would orphan its app (the app has its own
 * process group, by design), so the app's group goes first.
 */
export function killLeftoverShims(): void {
  for (const proc of live) {
    try {
      const children = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      for (const child of children) process.kill(-Number(child), 'SIGKILL');
    } catch {
      /* already gone */
    }
    proc.kill('SIGKILL');
  }
  live.clear();
}

/** Starts `paasport run <args>` in cwd; stdout/stderr are collected. */
export function startShim(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ShimRun {
  const proc = spawn(process.execPath, [BIN, 'run', ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  proc.once('close', () => live.delete(proc));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout!.on('data', (c: Buffer) => out.push(c));
  proc.stderr!.on('data', (c: Buffer) => err.push(c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    proc.once('close', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  return {
    proc,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    exited,
  };
}

/** Status of a GET on a fresh connection (0 if none): no keep-alive reuse racing a server's idle close. */
export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

/** Events an app appended to its mark file: one JSON object per line. */
export function marks(file: string): Array<{ ev: string; t: number; pid: number; [k: string]: unknown }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ev: string; t: number; pid: number });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes only once reaped, so look at its state.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

export function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The app used by most tests: a tiny HTTP server whose behaviour is set by env vars, recording what
 * happens to it (start, listening, signals) in $MARK.
 */
export const SERVER_APP = `
import http from 'node:http';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
const mark = (ev, extra = {}) => fs.appendFileSync(process.env.MARK, JSON.stringify({ ev, t: Date.now(), pid: process.pid, ...extra }) + '\\n');
mark('start', { argv: process.argv.slice(2) });
const server = http.createServer((req, res) => res.end('hello from ' + process.pid));
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => mark('listening')), Number(process.env.START_DELAY_MS ?? 0));
process.on('SIGHUP', () => mark('SIGHUP'));
process.on('SIGINT', () => { mark('SIGINT'); process.exit(Number(process.env.TERM_EXIT ?? 0)); });
process.on('SIGTERM', () => {
  mark('SIGTERM');
  if (process.env.IGNORE_TERM) return;
  server.close();
  setTimeout(() => process.exit(Number(process.env.TERM_EXIT ?? 0)), Number(process.env.STOP_MS ?? 0));
});
if (process.env.GRANDCHILD) {
  const g = spawn(process.execPath, ['-e', \`
    const fs = require('node:fs');
    const mark = (ev) => fs.appendFileSync(process.env.MARK, JSON.stringify({ ev, t: Date.now(), pid: process.pid }) + '\\\\n');
    process.on('SIGHUP', () => mark('grandchild-SIGHUP'));
    process.on('SIGTERM', () => { mark('grandchild-SIGTERM'); process.exit(0); });
    mark('grandchild-start');
    setInterval(() => {}, 1000);
  \`], { stdio: 'ignore' });
}
`;

export interface Etcd {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/** A real single-member etcd on loopback with a throwaway data dir. */
export async function startEtcd(clientPort?: number): Promise<Etcd> {
  const port = clientPort ?? (await freePort());
  const peerPort = await freePort();
  const dataDir = tempDir('paasport-etcd-');
  const endpoint = `http://127.0.0.1:${port}`;
  const proc = spawn(
    ETCD_BIN,
    [
      '--name', 'shim-test',
      '--data-dir', path.join(dataDir, 'data'),
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `shim-test=http://127.0.0.1:${peerPort}`,
      '--log-level', 'error',
      '--logger', 'zap',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await waitFor(`etcd on ${endpoint} (${err.slice(-300)})`, async () => {
    if (proc.exitCode !== null) throw new Error(`etcd exited: ${err.slice(-500)}`);
    try {
      const r = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      return r.ok && ((await r.json()) as { health: string }).health === 'true';
    } catch {
      return false;
    }
  }, 20_000, 100);
  return {
    endpoint,
    port,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export interface EtcdKv {
  key: string;
  value: string;
  lease: string;
}

/** What etcdctl (the real client, not our code) sees under a prefix. */
export function etcdctlGet(endpoint: string, prefix: string): EtcdKv[] {
  const r = spawnSync('etcdctl', ['--endpoints', endpoint, 'get', '--prefix', prefix, '-w', 'json'], {
    env: { ...process.env, ETCDCTL_API: '3' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`etcdctl get failed: ${r.stderr}`);
  // Lease IDs are int64: keep them exact, JSON.parse would round them.
  const json = JSON.parse(r.stdout.replace(/"lease":(\d+)/g, '"lease":"$1"')) as { kvs?: Array<{ key: string; value: string; lease?: string }> };
  return (json.kvs ?? []).map((kv) => ({
    key: Buffer.from(kv.key, 'base64').toString('utf8'),
    value: Buffer.from(kv.value, 'base64').toString('utf8'),
    lease: kv.lease ?? '0',
  }));
}

/** Remaining TTL of a lease, via etcdctl (which wants the ID in hex). */
export function etcdctlLeaseTtl(endpoint: string, lease: string): number {
  const r = spawnSync('etcdctl', ['--endpoints', endpoint, 'lease', 'timetolive', BigInt(lease).toString(16), '-w', 'json'], {
    env: { ...process.env, ETCDCTL_API: '3' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`etcdctl lease timetolive failed: ${r.stderr}`);
  return (JSON.parse(r.stdout.replace(/"id":(\d+)/g, '"id":"$1"')) as { ttl: number }).ttl;
}
