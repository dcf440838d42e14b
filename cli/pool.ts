/**
 * Runs the per-file unit (cli/worker.ts) over many files: in the main thread when the work is too
 * small to pay for starting workers (each worker loads every analyzer and its parser), otherwise
 * in a piscina pool of worker threads. Workers always load the compiled dist/cli/worker.js, so the
 * pool works the same from the installed CLI and from tests running the TypeScript sources; without
 * a build, scans fall back to the main thread.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';
import { FileAnalyzer, type FileOutcome, type WorkerSetup, type WorkerTask } from './worker.js';

/** More threads than this stop paying off: the main thread's discovery and cache reads serialize. */
export const MAX_DEFAULT_JOBS = 8;

/**
 * Below this much pending source the main thread wins: a worker must import the CLI's modules and
 * load its parsers (the TypeScript compiler alone takes most of a second) before it helps, and on a
 * 2-vCPU machine two busy threads get far less than twice one's throughput. Measured
 * (docs/performance.md): typeorm's 5.8 MB of JavaScript took 2.9 s in the main thread and 4.6 s
 * with two workers; java.base's 49 MB of Java 6.9 s against 6.3 s.
 */
export const POOL_MIN_BYTES = 8_000_000;
export const POOL_MIN_FILES = 24;

/** old-generation cap per worker, MB (see executeInPool) */
export const WORKER_HEAP_MB = 256;

const BATCH_MAX_FILES = 16;
const BATCH_MAX_BYTES = 192 * 1024;

export const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'cli', 'worker.js');

export function defaultJobs(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cpus, MAX_DEFAULT_JOBS));
}

/** `--jobs` value: a positive whole number. */
export function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < 1) throw new Error(`--jobs: expected a whole number of at least 1, got "${value}"`);
  return n;
}

export interface PendingFile {
  path: string;
  size: number;
}

export interface RunPlan {
  jobs: number;
  threads: number;
}

/**
 * How many worker threads to start for this much work (0 = main thread only). `jobs` counts
 * workers; the main thread only helps while they load.
 */
export function threadsFor(pending: readonly PendingFile[], jobs: number): number {
  if (jobs <= 1 || pending.length < POOL_MIN_FILES || !existsSync(WORKER_FILE)) return 0;
  const bytes = pending.reduce((n, f) => n + f.size, 0);
  if (bytes < POOL_MIN_BYTES) return 0;
  // No more workers than there is work for: about POOL_MIN_BYTES each.
  return Math.max(1, Math.min(jobs, Math.floor(bytes / POOL_MIN_BYTES)));
}

function batches(pending: readonly PendingFile[]): PendingFile[][] {
  // Largest files first so the long tail is short; results are sorted afterwards anyway.
  const sorted = [...pending].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  const out: PendingFile[][] = [];
  let cur: PendingFile[] = [];
  let bytes = 0;
  for (const f of sorted) {
    if (cur.length > 0 && (cur.length >= BATCH_MAX_FILES || bytes + f.size > BATCH_MAX_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(f);
    bytes += f.size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export interface ExecuteOptions {
  root: string;
  setup: WorkerSetup;
  threads: number;
  /** leave all analysis to the workers (tests proving the worker route) */
  workersOnly?: boolean;
  onProgress?: (done: number) => void;
}

export async function executeInProcess(files: readonly PendingFile[], options: Omit<ExecuteOptions, 'threads'>): Promise<FileOutcome[]> {
  const unit = new FileAnalyzer(options.setup);
  await unit.load(files.map((f) => f.path));
  const out: FileOutcome[] = [];
  for (const f of files) {
    out.push(unit.run(options.root, f.path));
    options.onProgress?.(1);
  }
  return out;
}

/**
 * Analyzes files in `threads` workers pulling batches from one queue. Until the first worker has
 * loaded its analyzers (a no-op warm-up task), the main thread — whose analyzers are loaded
 * already — works through the queue itself, so worker start-up never idles the scan and a scan
 * that turns out small is simply finished by the main thread. Once workers run, the main thread
 * stops analyzing: its heap cannot be capped, the workers' can (WORKER_HEAP_MB).
 */
export async function executeInPool(files: readonly PendingFile[], options: ExecuteOptions): Promise<{ outcomes: FileOutcome[]; inWorkers: number }> {
  if (options.threads <= 0) return { outcomes: await executeInProcess(files, options), inWorkers: 0 };
  const queue = batches(files);
  const done: FileOutcome[][] = [];
  // Imported only when workers are started: a warm or small scan never needs the pool library.
  const { Piscina } = await import('piscina');
  const pool = new Piscina<WorkerTask, FileOutcome[]>({
    filename: WORKER_FILE,
    workerData: options.setup,
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: 1000,
    // Parsers allocate fast and V8 grows a heap lazily; a cap makes it collect instead (same
    // results, a few % slower), keeping peak RSS near live memory.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const unit = new FileAnalyzer(options.setup);
  let failure: unknown;
  let inWorkers = 0;
  let ready = 0;
  const mainLane = async (untilWorkersReady: boolean): Promise<void> => {
    for (let batch = queue.shift(); batch; batch = untilWorkersReady && ready > 0 ? undefined : queue.shift()) {
      // Only the parsers this batch needs: the main thread may hand everything else to the workers.
      await unit.load(batch.map((f) => f.path));
      done.push(batch.map((f) => unit.run(options.root, f.path)));
      options.onProgress?.(batch.length);
      // Let piscina deliver results and hand out work between two batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const failedOnce = new Set<PendingFile[]>();
  const leftForMain: PendingFile[][] = [];
  const workerLane = async (): Promise<void> => {
    await pool.run({ root: options.root, files: [] });
    ready += 1;
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      const taken = batch;
      try {
        done.push(await pool.run({ root: options.root, files: taken.map((f) => f.path) }));
        inWorkers += taken.length;
        options.onProgress?.(taken.length);
      } catch (err) {
        // A worker that dies (out of its heap cap, say) loses no file: piscina starts a fresh one
        // and the batch is retried once; a batch that kills two workers goes to the main thread.
        failure = err;
        if (failedOnce.has(taken)) leftForMain.push(taken);
        else {
          failedOnce.add(taken);
          queue.push(taken);
        }
      }
    }
  };
  try {
    await Promise.all([options.workersOnly ? Promise.resolve() : mainLane(true), ...Array.from({ length: options.threads }, () => workerLane().catch((err: unknown) => void (failure = err)))]);
    // Batches that failed in workers, or left when every worker failed.
    queue.push(...leftForMain);
    if (queue.length > 0) await mainLane(false);
    if (failure && process.env.PAASPORT_DEBUG) process.stderr.write(`paasport: a worker failed and was replaced (its batch retried): ${String(failure)}\n`);
    return { outcomes: done.flat(), inWorkers };
  } finally {
    await pool.destroy();
  }
}
