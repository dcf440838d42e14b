/** Restarts with capped exponential backoff and crash-loop detection, through the real shim. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { freePort, httpStatus, killLeftoverShims, marks, SERVER_APP, startShim, waitFor } from './shim-helpers.js';

const CRASHER = `
import fs from 'node:fs';
fs.appendFileSync(process.env.MARK, JSON.stringify({ ev: 'start', t: Date.now(), pid: process.pid }) + '\\n');
// Crash after a moment, the way a misconfigured app dies during startup.
setTimeout(() => process.exit(Number(process.env.CODE ?? 3)), 50);
`;

describe('paasport run: restarts', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('paasport-shim-restarts-');
    writeFileSync(path.join(dir, 'crasher.mjs'), CRASHER);
    writeFileSync(path.join(dir, 'server.mjs'), SERVER_APP);
  });
  afterEach(killLeftoverShims);

  it('restarts with doubling, capped delays and gives up on a crash loop with one line and the exit code', async () => {
    const mark = path.join(dir, 'crash-loop.jsonl');
    const shim = startShim(
      ['--health-port', String(await freePort()), '--backoff-initial', '0.2', '--backoff-max', '0.8', '--max-restarts', '4', '--restart-window', '60', '--name', 'crasher', '--', 'node', 'crasher.mjs'],
      { cwd: dir, env: { MARK: mark } },
    );
    const { code } = await shim.exited;
    const starts = marks(mark);
    // 1 start + 4 restarts, then the 5th exit within the window is a crash loop.
    expect(starts).toHaveLength(5);
    expect(code).toBe(3);
    const loopLines = shim.stderr().split('\n').filter((l) => l.includes('crash loop'));
    expect(loopLines).toHaveLength(1);
    expect(loopLines[0]).toMatch(/^paasport run: crash loop: crasher exited with code 3, its 5th exit within 60s \(max-restarts 4\); giving up$/);
    expect(shim.stderr()).toMatch(/restart 1\/4 in 0\.20s[\s\S]*restart 2\/4 in 0\.40s[\s\S]*restart 3\/4 in 0\.80s[\s\S]*restart 4\/4 in 0\.80s/);
    // The gaps between starts include the app's own 50 ms run and node's startup on top of each delay.
    const gaps = starts.slice(1).map((s, i) => s.t - starts[i]!.t);
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(400);
    expect(gaps[2]).toBeGreaterThanOrEqual(800);
    expect(gaps[3]).toBeGreaterThanOrEqual(800);
    console.log(`[figures] restarts: ${starts.length - 1} restarts observed before the crash loop was declared; gaps between starts ${gaps.join(', ')} ms (delays 200/400/800/800 + app run + node startup)`);
  });

  it('restarts an app that crashed once and serves it ready again', async () => {
    const appPort = await freePort();
    const healthPort = await freePort();
    const mark = path.join(dir, 'once.jsonl');
    writeFileSync(
      path.join(dir, 'crash-once.mjs'),
      `import fs from 'node:fs';\nif (!fs.existsSync(process.env.MARK)) { fs.writeFileSync(process.env.MARK, ''); process.exit(1); }\nawait import('./server.mjs');\n`,
    );
    const shim = startShim(['--health-port', String(healthPort), '--app-port', String(appPort), '--backoff-initial', '0.1', '--name', 'crash-once', '--', 'node', 'crash-once.mjs'], {
      cwd: dir,
      env: { MARK: mark, PORT: String(appPort) },
    });
    await waitFor('ready after one restart', async () => (await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)) === 200);
    expect(shim.stderr()).toMatch(/crash-once exited with code 1; restart 1\/5 in 0\.10s/);
    expect(marks(mark).filter((m) => m.ev === 'start')).toHaveLength(1);
    shim.proc.kill('SIGTERM');
    const { code } = await shim.exited;
    expect(code).toBe(0);
    expect(shim.stderr()).toMatch(/exit 0 \(app started 2x/);
  });

  it('does not restart a clean exit under on-failure, and never restarts under never', async () => {
    const mark = path.join(dir, 'clean.jsonl');
    const clean = startShim(['--health-port', String(await freePort()), '--', 'node', 'crasher.mjs'], { cwd: dir, env: { MARK: mark, CODE: '0' } });
    expect((await clean.exited).code).toBe(0);
    expect(marks(mark)).toHaveLength(1);

    const mark2 = path.join(dir, 'never.jsonl');
    const never = startShim(['--health-port', String(await freePort()), '--restart', 'never', '--', 'node', 'crasher.mjs'], { cwd: dir, env: { MARK: mark2, CODE: '9' } });
    expect((await never.exited).code).toBe(9);
    expect(marks(mark2)).toHaveLength(1);
  });
});
