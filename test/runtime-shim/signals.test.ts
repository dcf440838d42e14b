/**
 * Health endpoints, signal forwarding and the shutdown sequence, through the real shim around a real
 * HTTP app that records what happens to it.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { freePort, httpStatus, isZombie, killLeftoverShims, marks, pidAlive, SERVER_APP, sleep, startShim, waitFor, type ShimRun } from './shim-helpers.js';

describe('paasport run: health and shutdown', () => {
  let dir: string;
  const running: ShimRun[] = [];
  beforeAll(() => {
    dir = tempDir('paasport-shim-signals-');
    writeFileSync(path.join(dir, 'server.mjs'), SERVER_APP);
  });
  afterEach(() => {
    running.splice(0);
    killLeftoverShims();
  });

  async function launch(extraArgs: string[], env: Record<string, string>) {
    const appPort = await freePort();
    const healthPort = await freePort();
    const mark = path.join(dir, `mark-${appPort}.jsonl`);
    const shim = startShim(['--health-port', String(healthPort), '--health-host', '127.0.0.1', '--app-port', String(appPort), ...extraArgs, '--', 'node', 'server.mjs', '--port', 'ignored-by-the-shim', '--help'], {
      cwd: dir,
      env: { PORT: String(appPort), MARK: mark, ...env },
    });
    running.push(shim);
    const base = `http://127.0.0.1:${healthPort}`;
    return { shim, mark, base, appPort };
  }

  it('is live but not ready while the app starts, ready once its port accepts, and drains before stopping it', async () => {
    const { shim, mark, base, appPort } = await launch(['--drain-seconds', '3', '--grace-seconds', '5'], { START_DELAY_MS: '2500', TERM_EXIT: '3' });
    await waitFor('health server', async () => (await httpStatus(`${base}/healthz`)) === 200);
    // The app is running but not listening yet.
    expect(await httpStatus(`${base}/readyz`)).toBe(503);
    await waitFor(() => `readiness; shim stderr: ${shim.stderr()}`, async () => (await httpStatus(`${base}/readyz`)) === 200);
    expect(marks(mark).map((m) => m.ev)).toEqual(['start', 'listening']);
    // The app's own flags after `--` reached it untouched.
    expect(marks(mark)[0]!.argv).toEqual(['--port', 'ignored-by-the-shim', '--help']);
    expect(await (await fetch(`http://127.0.0.1:${appPort}/`)).text()).toMatch(/^hello from \d+$/);

    const sentAt = Date.now();
    shim.proc.kill('SIGTERM');
    await waitFor('not ready after SIGTERM', async () => (await httpStatus(`${base}/readyz`)) === 503, 3000, 20);
    const notReadyAfter = Date.now() - sentAt;
    // Draining: still alive, not ready, and the app has not been told to stop yet.
    expect(await httpStatus(`${base}/healthz`)).toBe(200);
    expect(marks(mark).some((m) => m.ev === 'SIGTERM')).toBe(false);
    const { code, at } = await shim.exited;
    const term = marks(mark).find((m) => m.ev === 'SIGTERM')!;
    expect(term).toBeDefined();
    expect(term.t - sentAt).toBeGreaterThanOrEqual(3000);
    expect(code).toBe(3);
    expect(shim.stderr()).toMatch(/received SIGTERM: not ready; draining 3s/);
    console.log(`[figures] drain: not-ready ${notReadyAfter} ms after SIGTERM; app got SIGTERM after ${term.t - sentAt} ms (drain 3s); shim exited ${at - sentAt} ms after SIGTERM with the app's code ${code}`);
  });

  it('uses --health-url for readiness when given: 503 until the app answers 2xx there', async () => {
    const appPort = await freePort();
    const healthPort = await freePort();
    writeFileSync(
      path.join(dir, 'health-url.mjs'),
      "import http from 'node:http';\nimport fs from 'node:fs';\nhttp.createServer((req, res) => { res.statusCode = req.url === '/health' && fs.existsSync('healthy.flag') ? 200 : 503; res.end(); }).listen(Number(process.env.PORT), '127.0.0.1');\nprocess.on('SIGTERM', () => process.exit(0));\n",
    );
    const shim = startShim(['--health-port', String(healthPort), '--health-url', `http://127.0.0.1:${appPort}/health`, '--drain-seconds', '0', '--', 'node', 'health-url.mjs'], { cwd: dir, env: { PORT: String(appPort) } });
    running.push(shim);
    const base = `http://127.0.0.1:${healthPort}`;
    // The port accepts connections early, but the health URL says 503: not ready.
    await waitFor('app listening', async () => (await httpStatus(`http://127.0.0.1:${appPort}/health`)) === 503);
    expect(await httpStatus(`${base}/readyz`)).toBe(503);
    writeFileSync(path.join(dir, 'healthy.flag'), '');
    await waitFor('ready via the health URL', async () => (await httpStatus(`${base}/readyz`)) === 200);
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(0);
  });

  it('ends the drain at once on a second SIGTERM', async () => {
    const { shim, mark, base } = await launch(['--drain-seconds', '60', '--grace-seconds', '5'], {});
    await waitFor(() => `readiness; shim stderr: ${shim.stderr()}`, async () => (await httpStatus(`${base}/readyz`)) === 200);
    shim.proc.kill('SIGTERM');
    await waitFor('draining', async () => (await httpStatus(`${base}/readyz`)) === 503);
    const secondAt = Date.now();
    shim.proc.kill('SIGTERM');
    const { code, at } = await shim.exited;
    expect(code).toBe(0);
    expect(marks(mark).some((m) => m.ev === 'SIGTERM')).toBe(true);
    // Far below the 60 s drain.
    expect(at - secondAt).toBeLessThan(30_000);
    expect(shim.stderr()).toMatch(/received SIGTERM again: stopping now/);
  });

  it('SIGKILLs an app that ignores SIGTERM after the grace period and exits 128+9', async () => {
    const { shim, mark, base } = await launch(['--drain-seconds', '0', '--grace-seconds', '1'], { IGNORE_TERM: '1' });
    await waitFor(() => `readiness; shim stderr: ${shim.stderr()}`, async () => (await httpStatus(`${base}/readyz`)) === 200);
    const sentAt = Date.now();
    shim.proc.kill('SIGTERM');
    const { code, at } = await shim.exited;
    expect(marks(mark).some((m) => m.ev === 'SIGTERM')).toBe(true);
    expect(code).toBe(128 + os.constants.signals.SIGKILL);
    expect(at - sentAt).toBeGreaterThanOrEqual(1000);
    expect(shim.stderr()).toMatch(/still running 1s after SIGTERM: SIGKILL/);
    console.log(`[figures] grace: SIGTERM → SIGKILL → shim exit in ${at - sentAt} ms (grace 1s), exit ${code}`);
  });

  it("forwards SIGHUP to the app's whole process group and leaves no process of the group behind at exit", async () => {
    const { shim, mark, base } = await launch(['--drain-seconds', '0', '--grace-seconds', '2'], { GRANDCHILD: '1' });
    await waitFor(() => `readiness; shim stderr: ${shim.stderr()}`, async () => (await httpStatus(`${base}/readyz`)) === 200);
    await waitFor('grandchild', () => marks(mark).some((m) => m.ev === 'grandchild-start'));
    const grandchild = marks(mark).find((m) => m.ev === 'grandchild-start')!.pid;
    shim.proc.kill('SIGHUP');
    await waitFor('SIGHUP at app and grandchild', () => {
      const evs = marks(mark).map((m) => m.ev);
      return evs.includes('SIGHUP') && evs.includes('grandchild-SIGHUP');
    });
    // SIGHUP is a reload, not a stop.
    await sleep(300);
    expect(await httpStatus(`${base}/readyz`)).toBe(200);
    expect(shim.proc.exitCode).toBeNull();

    shim.proc.kill('SIGINT');
    const { code } = await shim.exited;
    expect(code).toBe(0);
    expect(marks(mark).map((m) => m.ev)).toContain('SIGINT');
    expect(pidAlive(grandchild)).toBe(false);
  });

  it('exits with 128+signal when the app is killed, and with 127 when the command does not exist', async () => {
    const healthPort = await freePort();
    writeFileSync(path.join(dir, 'die.mjs'), "process.kill(process.pid, 'SIGSEGV');\n");
    const shim = startShim(['--health-port', String(healthPort), '--restart', 'never', '--', 'node', 'die.mjs'], { cwd: dir });
    running.push(shim);
    expect((await shim.exited).code).toBe(128 + os.constants.signals.SIGSEGV);
    expect(shim.stderr()).toMatch(/was killed by SIGSEGV/);

    const missing = startShim(['--health-port', String(await freePort()), '--', 'no-such-command-paasport-test'], { cwd: dir });
    expect((await missing.exited).code).toBe(127);
    expect(missing.stderr()).toMatch(/cannot start no-such-command-paasport-test: ENOENT/);
  });

  it('reports app-down on /healthz while the app is between restarts', async () => {
    const healthPort = await freePort();
    const mark = path.join(dir, 'mark-crash.jsonl');
    writeFileSync(path.join(dir, 'crash.mjs'), "import fs from 'node:fs';\nfs.appendFileSync(process.env.MARK, JSON.stringify({ ev: 'start', t: Date.now(), pid: process.pid }) + '\\n');\nsetTimeout(() => process.exit(4), 300);\n");
    const shim = startShim(['--health-port', String(healthPort), '--backoff-initial', '3', '--max-restarts', '3', '--', 'node', 'crash.mjs'], { cwd: dir, env: { MARK: mark } });
    running.push(shim);
    await waitFor('first exit', () => /restart 1\/3/.test(shim.stderr()));
    const first = marks(mark)[0]!.pid;
    expect(await httpStatus(`http://127.0.0.1:${healthPort}/healthz`)).toBe(503);
    expect(await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)).toBe(503);
    // The exited app was reaped by the shim (no zombie left while it waits to restart).
    expect(isZombie(first)).toBe(false);
    expect(pidAlive(first)).toBe(false);
    shim.proc.kill('SIGTERM');
    expect((await shim.exited).code).toBe(4);
  });
});
