/**
 * Service registration against a real etcd (Debian's etcd-server) on free loopback ports, checked
 * with the real etcdctl, not with the shim's own client.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { etcdctlGet, etcdctlLeaseTtl, freePort, killLeftoverShims, httpStatus, marks, SERVER_APP, sleep, startEtcd, startShim, waitFor, type Etcd, type ShimRun } from './shim-helpers.js';

const PREFIX = '/paasport/services/';

describe('paasport run: etcd registration', () => {
  let dir: string;
  let etcd: Etcd | undefined;
  const running: ShimRun[] = [];
  const extraEtcd: Etcd[] = [];

  beforeAll(async () => {
    dir = tempDir('paasport-shim-etcd-');
    writeFileSync(path.join(dir, 'server.mjs'), SERVER_APP);
    etcd = await startEtcd();
  });
  afterEach(() => {
    running.splice(0);
    killLeftoverShims();
  });
  afterAll(async () => {
    await etcd?.stop();
    for (const e of extraEtcd) await e.stop();
  });

  async function launch(endpoint: string, name: string, instance: string, extra: string[] = []) {
    const appPort = await freePort();
    const healthPort = await freePort();
    const mark = path.join(dir, `${instance}.jsonl`);
    const shim = startShim(
      ['--health-port', String(healthPort), '--app-port', String(appPort), '--etcd', endpoint, '--etcd-ttl', '3', '--name', name, '--instance', instance, '--advertise-host', '127.0.0.1', '--app-version', '1.4.2', ...extra, '--', 'node', 'server.mjs'],
      { cwd: dir, env: { PORT: String(appPort), MARK: mark } },
    );
    running.push(shim);
    return { shim, appPort, healthPort, mark };
  }

  it('registers host, port, startedAt and version under a lease kept alive past its TTL, and deregisters on SIGTERM before the app stops', async () => {
    const { endpoint } = etcd!;
    const { shim, appPort, mark } = await launch(endpoint, 'orders', 'orders-a', ['--drain-seconds', '5']);
    const key = `${PREFIX}orders/orders-a`;
    const kv = await waitFor('registration', () => etcdctlGet(endpoint, key).find((k) => k.key === key));
    const value = JSON.parse(kv.value) as { host: string; port: number; startedAt: string; version: string };
    expect(value).toMatchObject({ host: '127.0.0.1', port: appPort, version: '1.4.2' });
    expect(Math.abs(Date.parse(value.startedAt) - marks(mark)[0]!.t)).toBeLessThan(2000);
    expect(kv.lease).not.toBe('0');
    const ttl = etcdctlLeaseTtl(endpoint, kv.lease);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3);

    // Two full TTLs later the key is still there on the same lease: keepalive works.
    await sleep(6500);
    const later = etcdctlGet(endpoint, key);
    expect(later.map((k) => k.lease)).toEqual([kv.lease]);

    const sentAt = Date.now();
    shim.proc.kill('SIGTERM');
    await waitFor('deregistration', () => etcdctlGet(endpoint, key).length === 0, 5000, 25);
    const goneAfter = Date.now() - sentAt;
    // Gone while the shim is still draining, before the app is asked to stop.
    expect(marks(mark).some((m) => m.ev === 'SIGTERM')).toBe(false);
    expect(shim.proc.exitCode).toBeNull();
    const { code, at } = await shim.exited;
    expect(code).toBe(0);
    // The lease went with it.
    expect(etcdctlLeaseTtl(endpoint, kv.lease)).toBe(-1);
    console.log(`[figures] etcd: key removed ${goneAfter} ms after SIGTERM; shim exited ${at - sentAt} ms after SIGTERM (drain 5s)`);
  });

  it('starts the app while etcd is down and registers once etcd comes up', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const { shim, healthPort } = await launch(endpoint, 'billing', 'billing-1', ['--drain-seconds', '0']);
    await waitFor('app ready without etcd', async () => (await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)) === 200);
    await waitFor('a retry message', () => /etcd: ECONNREFUSED talking to etcd; retrying with backoff/.test(shim.stderr()));
    await sleep(1500);
    const upAt = Date.now();
    const late = await startEtcd(port);
    extraEtcd.push(late);
    const key = `${PREFIX}billing/billing-1`;
    await waitFor('registration after etcd came up', () => etcdctlGet(endpoint, key).length === 1, 20_000, 100);
    const registeredAfter = Date.now() - upAt;
    // One message per distinct problem, not one per retry.
    expect(shim.stderr().match(/ECONNREFUSED/g)).toHaveLength(1);
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(0);
    expect(etcdctlGet(endpoint, key)).toEqual([]);
    console.log(`[figures] etcd: registered ${registeredAfter} ms after etcd came up (backoff capped at 10s)`);
  });

  it('registers again under a new lease when its lease is revoked behind its back', async () => {
    const { endpoint } = etcd!;
    const { shim } = await launch(endpoint, 'orders', 'orders-c', ['--drain-seconds', '0']);
    const key = `${PREFIX}orders/orders-c`;
    const first = await waitFor('registration', () => etcdctlGet(endpoint, key)[0]);
    const revoke = spawnSync('etcdctl', ['--endpoints', endpoint, 'lease', 'revoke', BigInt(first.lease).toString(16)], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' });
    expect(revoke.status).toBe(0);
    // Noticed at the next keepalive (every TTL/3 = 1 s); the key that comes back is on a new lease.
    const second = await waitFor('re-registration', () => etcdctlGet(endpoint, key).find((k) => k.lease !== first.lease), 10_000, 100);
    expect(second.lease).not.toBe(first.lease);
    await waitFor('the shim saying why', () => /etcd: lease expired; registering again/.test(shim.stderr()), 5000);
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(0);
    expect(etcdctlGet(endpoint, key)).toEqual([]);
  });

  it('lets the key expire with its lease when the shim dies without deregistering', async () => {
    const { endpoint } = etcd!;
    const { shim, mark } = await launch(endpoint, 'orders', 'orders-b');
    const key = `${PREFIX}orders/orders-b`;
    await waitFor('registration', () => etcdctlGet(endpoint, key).length === 1);
    const appPid = marks(mark)[0]!.pid;
    shim.proc.kill('SIGKILL');
    await shim.exited;
    // The app is in its own process group, so it outlives a SIGKILLed shim; clean it up.
    try {
      process.kill(-appPid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitFor('lease expiry', () => etcdctlGet(endpoint, key).length === 0, 10_000, 200);
  });
});
