/**
 * Zombies when the shim is PID 1. Processes orphaned by the app are re-parented to PID 1, and only
 * their parent can reap them with waitpid(); Node (libuv) waits only for the pids it spawned itself
 * and offers no waitpid(-1) or PR_SET_CHILD_SUBREAPER without a native addon, which this shim does not
 * carry. So the shim does not pretend to reap: it counts unreaped orphans from /proc and says so,
 * and the docs recommend a real init (tini, `docker run --init`, a shared process namespace).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Zombie processes whose parent is this process (as PID 1: orphans of the app nobody will reap). */
export function countZombieChildren(parent = process.pid): number {
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the fields start after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' && Number(ppid) === parent) n += 1;
    } catch {
      /* exited meanwhile */
    }
  }
  return n;
}

/** Logs when the number of unreaped orphans reaches 1, 10, 100, …; returns a stop function. */
export function watchZombies(log: (message: string) => void, everyMs: number): () => void {
  let next = 1;
  const timer = setInterval(() => {
    const n = countZombieChildren();
    if (n < next) return;
    while (next <= n) next *= 10;
    log(`${n} orphaned zombie process${n === 1 ? '' : 'es'} under PID 1 that Node cannot reap; run the shim under an init (tini, docker run --init)`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
