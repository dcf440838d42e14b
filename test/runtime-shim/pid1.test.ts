/**
 * The shim as PID 1, in a fresh PID namespace (util-linux `unshare`, needs root or user namespaces;
 * skipped with a reason where neither is allowed). PID 1 gets no default signal actions, so SIGTERM
 * works only because the shim handles it; orphans of the app become the shim's zombies, which Node
 * cannot reap — the shim must say so (docs/runtime-shim.md, "Zombies").
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers.js';
import { isZombie, waitFor } from './shim-helpers.js';

const UNSHARE = ['--pid', '--fork', '--mount-proc'];
const canUnshare = (() => {
  const r = spawnSync('unshare', [...UNSHARE, 'true'], { stdio: 'ignore' });
  return r.status === 0;
})();

const ORPHANS = `
import { spawn } from 'node:child_process';
// Each sh exits at once; its background sleep is re-parented to PID 1 and becomes a zombie when it ends.
for (let i = 0; i < 3; i++) spawn('sh', ['-c', 'sleep 0.2 &'], { stdio: 'ignore' });
setInterval(() => {}, 1000);
process.on('SIGTERM', () => process.exit(7));
`;

describe('paasport run as PID 1', () => {
  it.skipIf(!canUnshare)('handles SIGTERM as PID 1, exits with the app code, and reports the orphans it cannot reap', async () => {
    const dir = tempDir('paasport-shim-pid1-');
    writeFileSync(path.join(dir, 'orphans.mjs'), ORPHANS);
    const proc = spawn('unshare', [...UNSHARE, process.execPath, BIN, 'run', '--health-port', '0', '--drain-seconds', '0', '--', 'node', 'orphans.mjs'], {
      cwd: dir,
      env: { ...process.env, PAASPORT_SHIM_ZOMBIE_CHECK_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => proc.once('close', (code) => r(code)));
    await waitFor('zombie report', () => /\d+ orphaned zombie process(es)? under PID 1 that Node cannot reap/.test(stderr), 15_000);
    expect(stderr).toMatch(/running as PID 1: orphaned grandchildren will not be reaped/);

    // unshare's child is the shim (PID 1 inside the namespace): seen from here, its zombie children are real.
    const children = (pid: number): number[] =>
      readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const shimPid = children(proc.pid!)[0]!;
    expect(shimPid).toBeGreaterThan(0);
    const zombies = await waitFor('three zombie children of the shim', () => {
      const z = children(shimPid).filter((pid) => isZombie(pid));
      return z.length >= 3 && z;
    });
    expect(zombies).toHaveLength(3);
    process.kill(shimPid, 'SIGTERM');
    expect(await exited).toBe(7);
    expect(stderr).toMatch(/node exited with code 7/);
  });
});
