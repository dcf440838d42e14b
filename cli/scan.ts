/**
 * Drives one scan: discover → (cache lookup) → analyze the remaining files in the main thread or a
 * worker pool → assemble. All file I/O of a scan happens in cli/; core sees only text. Whatever the
 * route a file takes (cache, main thread, worker), it yields the same plain FileResult, and results
 * are ordered by path before assembly, so the report does not depend on the route.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { assembleResult, formatRuleLoadError, isProjectRule, ScanPlan, toRuleMeta, type FileError, type FileResult, type Notice, type Rule, type RuleLoadError, type ScanResult, type SkippedFile } from '../core/index.js';
import { cacheBase, cacheGet, defaultCacheDir, openCache, sha256, StatIndex, type CacheConfig, type FileStamp, type IndexEntry } from './cache.js';
import { VERSION } from './paths.js';
import { defaultJobs, executeInPool, threadsFor, type PendingFile } from './pool.js';
import type { Progress } from './progress.js';
import { analyzers } from './registry.js';
import { inShard, type Shard } from './shard.js';
import { FileAnalyzer, type FileOutcome, type WorkerSetup } from './worker.js';
import { discover, readSource } from './workspace.js';

export class UsageError extends Error {}

export interface ScanOptions {
  rules: Rule[];
  ruleProblems?: RuleLoadError[];
  excludes?: string[];
  includeTests?: boolean;
  maxFileSize?: number;
  /** run every applicable rule on every file, ignoring tokens (equivalence tests, debugging) */
  noPrefilter?: boolean;
  /** worker threads (1 = main thread only); default: the machine's cores (capped) */
  jobs?: number;
  /** use the incremental cache (the CLI's default; off by default for programmatic callers) */
  cache?: boolean;
  /** default: <root>/.paasport-cache */
  cacheDir?: string;
  /** scan only this share of the files (see cli/shard.ts) */
  shard?: Shard;
  progress?: Progress;
  /** 'always': workers only, even for a small scan; 'mixed': workers plus the main thread while they start, whatever the size (tests proving each route) */
  pool?: 'auto' | 'always' | 'mixed';
}

export interface ScanStats {
  /** files read for analysis (cache hits included) */
  files: number;
  cacheHits: number;
  /** cache hits served by the stat index, without reading the file */
  statHits: number;
  /** files analyzed afresh */
  analyzed: number;
  /** analyzer.analyze() calls: 0 on a warm re-scan of an unchanged tree */
  analyzerRuns: number;
  /** worker threads started besides the main thread (0 = main thread only) */
  threads: number;
  /** files analyzed in worker threads (the rest: main thread or cache) */
  inWorkers: number;
  /** whether a cache was in use (false when disabled or its folder is not writable) */
  cache: boolean;
}

/** State that a shard's result carries so `paasport merge` can run project-level rules over all shards. */
export interface ShardState {
  index: number;
  count: number;
  projectRules: Array<{ id: string; match: Rule['match'] }>;
  summaries: Array<{ analyzer: string; path: string; summary: unknown }>;
}

export type ShardedScanResult = ScanResult & { shard?: ShardState };

/** The scan command's options that decide how (not what) it scans. */
export interface ScaleOptions {
  cache?: boolean;
  cacheDir?: string;
  jobs?: number;
  shard?: Shard;
  portfolio: boolean;
  quiet: boolean;
  prefilter: boolean;
  stats?: boolean;
}

export function scaleScanOptions(opts: ScaleOptions): Pick<ScanOptions, 'cache' | 'cacheDir' | 'jobs' | 'shard' | 'noPrefilter'> {
  // Opt-in: a scan writes nothing but the reports the user names, unless a cache is asked for.
  const cache = opts.cache === true || (opts.cache !== false && opts.cacheDir !== undefined);
  const out: Pick<ScanOptions, 'cache' | 'cacheDir' | 'jobs' | 'shard' | 'noPrefilter'> = { cache, noPrefilter: !opts.prefilter };
  if (opts.cacheDir !== undefined) out.cacheDir = opts.cacheDir;
  if (opts.jobs !== undefined) out.jobs = opts.jobs;
  if (opts.shard !== undefined) out.shard = opts.shard;
  return out;
}

interface Prepared {
  root: string;
  started: number;
  plan: ScanPlan;
  setup: WorkerSetup;
  outcomes: FileOutcome[];
  pending: PendingFile[];
  /** bytes and hash of pending files already read for the cache lookup */
  read: Map<string, { bytes: Buffer; hash: string }>;
  skipped: SkippedFile[];
  errors: FileError[];
  cacheHits: number;
  statHits: number;
  /** with a cache: each file's stat and content hash, for the next scan's stat index */
  stamps: Map<string, { stamp: FileStamp; hash: string }>;
  cache?: CacheConfig;
  indexVariant: string;
  /** the stat index already says all there is: every file a stat hit, no file gone */
  indexCurrent: boolean;
}

function prepare(root: string, options: ScanOptions): Prepared {
  if (!existsSync(root)) throw new UsageError(`path not found: ${root}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a directory: ${root}`);
  const started = Date.now();
  const noPrefilter = options.noPrefilter ?? false;
  const plan = new ScanPlan(options.rules, analyzers, { noPrefilter });
  const found = discover(root, {
    excludes: options.excludes ?? [],
    includeTests: options.includeTests ?? false,
    maxFileSize: options.maxFileSize,
    wants: (p) => plan.wants(p),
  });
  const files = found.files.filter((f) => inShard(f, options.shard));
  const skipped: SkippedFile[] = found.skipped.filter((s) => inShard(s.file, options.shard));
  const errors: FileError[] = (options.ruleProblems ?? []).map((p) => ({ file: p.file, message: `rule not loaded: ${formatRuleLoadError(p)}` }));

  let cache: CacheConfig | undefined;
  if (options.cache) {
    cache = openCache(options.cacheDir ?? defaultCacheDir(root), cacheBase(options.rules, analyzers.map((a) => a.id), { noPrefilter }));
  }
  const setup: WorkerSetup = { rules: options.rules, noPrefilter };
  if (cache) setup.cache = cache;

  const outcomes: FileOutcome[] = [];
  const pending: PendingFile[] = [];
  const read = new Map<string, { bytes: Buffer; hash: string }>();
  const stamps = new Map<string, { stamp: FileStamp; hash: string }>();
  const indexVariant = JSON.stringify(options.shard ?? null);
  const index = cache ? StatIndex.read(cache, root, indexVariant) : undefined;
  let cacheHits = 0;
  let statHits = 0;
  for (const rel of files) {
    // Discovery lstat'ed every file it returns.
    const stamp: FileStamp | undefined = found.stats.get(rel);
    if (cache && index) {
      const hit = stamp && index.lookup(rel, stamp);
      if (stamp && hit) {
        cacheHits += 1;
        statHits += 1;
        stamps.set(rel, { stamp, hash: hit.hash });
        outcomes.push({ path: rel, outcome: hit.outcome, analyzerRuns: 0 });
        continue;
      }
      if (stamp) stamps.set(rel, { stamp, hash: '' });
    }
    if (!cache) {
      pending.push({ path: rel, size: stamp?.size ?? 0 });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(root, rel));
    } catch {
      pending.push({ path: rel, size: 0 });
      continue;
    }
    const hash = sha256(bytes);
    const st = stamps.get(rel);
    if (st) st.hash = hash;
    const hit = cacheGet(cache, rel, hash);
    if (hit) {
      cacheHits += 1;
      outcomes.push({ path: rel, outcome: hit, analyzerRuns: 0 });
    } else {
      pending.push({ path: rel, size: bytes.length });
      read.set(rel, { bytes, hash });
    }
  }
  const indexCurrent = index !== undefined && statHits === files.length && index.size === files.length;
  const prepared: Prepared = { root, started, plan, setup, outcomes, pending, read, skipped, errors, cacheHits, statHits, stamps, indexVariant, indexCurrent };
  if (cache) prepared.cache = cache;
  return prepared;
}

function finish(p: Prepared, fresh: FileOutcome[], threads: number, inWorkers: number, options: ScanOptions): { result: ShardedScanResult; stats: ScanStats } {
  const all = [...p.outcomes, ...fresh].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (p.cache && !p.indexCurrent) {
    const entries = new Map<string, IndexEntry>();
    for (const o of all) {
      const s = p.stamps.get(o.path);
      // An unreadable file is retried next time rather than remembered.
      if (s && s.hash && !(o.outcome.kind === 'skipped' && o.outcome.reason.startsWith('unreadable'))) entries.set(o.path, { ...s.stamp, hash: s.hash, outcome: o.outcome });
    }
    StatIndex.write(p.cache, p.root, p.indexVariant, entries, p.started);
  }
  const fileResults: FileResult[] = [];
  const notices: Notice[] = [];
  const skipped = [...p.skipped];
  for (const o of all) {
    if (o.outcome.kind === 'skipped') {
      skipped.push({ file: o.path, reason: o.outcome.reason });
      continue;
    }
    if (o.outcome.notice) notices.push(o.outcome.notice);
    fileResults.push(o.outcome.result);
  }
  // Project-level rules need every file's summary; a shard defers them to `paasport merge`.
  const assemblyPlan = options.shard ? new ScanPlan(options.rules.filter((r) => !isProjectRule(r.match)), analyzers) : p.plan;
  const readText = (rel: string): string | undefined => {
    const r = readSource(p.root, rel);
    return r.kind === 'text' ? r.text : undefined;
  };
  const result: ShardedScanResult = assembleResult(assemblyPlan, {
    root: path.resolve(p.root).split(path.sep).join('/'),
    version: VERSION,
    fileResults,
    skipped,
    errors: p.errors,
    notices,
    readText,
    startedAt: new Date(p.started).toISOString(),
    durationMs: Date.now() - p.started,
  });
  if (options.shard) {
    result.rules = p.plan.rules.map(toRuleMeta).sort((a, b) => (a.id < b.id ? -1 : 1));
    const projectRules = options.rules.filter((r) => isProjectRule(r.match));
    const projectAnalyzers = new Set(projectRules.map((r) => r.match.analyzer));
    result.shard = {
      index: options.shard.index,
      count: options.shard.count,
      projectRules: projectRules.map((r) => ({ id: r.id, match: r.match })),
      summaries: fileResults.flatMap((r) => Object.entries(r.summaries).filter(([a]) => projectAnalyzers.has(a)).map(([analyzer, summary]) => ({ analyzer, path: r.path, summary }))),
    };
  }
  const stats: ScanStats = {
    files: all.length,
    cacheHits: p.cacheHits,
    statHits: p.statHits,
    analyzed: fresh.length,
    analyzerRuns: fresh.reduce((n, o) => n + o.analyzerRuns, 0),
    threads,
    inWorkers,
    cache: p.setup.cache !== undefined,
  };
  return { result, stats };
}

async function runInProcess(p: Prepared, progress?: Progress): Promise<FileOutcome[]> {
  const unit = new FileAnalyzer(p.setup);
  await unit.load(p.pending.map((f) => f.path));
  return p.pending.map((f) => {
    const r = p.read.get(f.path);
    const out = unit.run(p.root, f.path, r?.bytes, r?.hash);
    progress?.tick(1);
    return out;
  });
}

/** A scan in the main thread only (no workers), for library callers and tests. */
export async function runScan(root: string, options: ScanOptions): Promise<ShardedScanResult> {
  const p = prepare(root, options);
  return finish(p, await runInProcess(p), 0, 0, options).result;
}

/** The CLI's scan: worker pool when the work is large enough, plus statistics for `--stats`. */
export async function runScanDetailed(root: string, options: ScanOptions): Promise<{ result: ShardedScanResult; stats: ScanStats }> {
  const p = prepare(root, options);
  const progress = options.progress;
  progress?.start(p.outcomes.length + p.pending.length);
  progress?.tick(p.outcomes.length);
  try {
    const jobs = options.jobs ?? defaultJobs();
    // PAASPORT_POOL=always|mixed: an undocumented switch for tests that must prove a worker route.
    const env = process.env.PAASPORT_POOL;
    const route = options.pool ?? (env === 'always' || env === 'mixed' ? env : 'auto');
    const always = route === 'always';
    const threads = route !== 'auto' && jobs > 1 && p.pending.length > 0 ? jobs : threadsFor(p.pending, jobs);
    if (threads === 0) return finish(p, await runInProcess(p, progress), 0, 0, options);
    const { outcomes, inWorkers } = await executeInPool(p.pending, { root: p.root, setup: p.setup, threads, workersOnly: always, onProgress: (n) => progress?.tick(n) });
    return finish(p, outcomes, threads, inWorkers, options);
  } finally {
    progress?.stop();
  }
}

export async function runScanAsync(root: string, options: ScanOptions): Promise<ShardedScanResult> {
  return (await runScanDetailed(root, options)).result;
}
