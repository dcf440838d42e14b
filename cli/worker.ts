/**
 * The per-file unit of a scan: read → hash → decode → analyze → cache. The same code runs in the
 * main thread (small scans, `--jobs 1`) and in pool workers (this module's default export is the
 * piscina task), so a report cannot depend on where its files were analyzed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeSource, ScanPlan, type Analyzer, type Rule } from '../core/index.js';
import { cacheSet, sha256, type CacheConfig, type CachedOutcome } from './cache.js';
import { analyzers } from './registry.js';
import { decode } from './workspace.js';

export interface WorkerSetup {
  rules: Rule[];
  noPrefilter: boolean;
  cache?: CacheConfig;
}

export interface WorkerTask {
  root: string;
  files: string[];
}

export interface FileOutcome {
  path: string;
  outcome: CachedOutcome;
  /** analyzer.analyze() calls made for this file: 0 means it was never parsed */
  analyzerRuns: number;
}

export class FileAnalyzer {
  private runs = 0;
  private readonly plan: ScanPlan;

  constructor(private readonly setup: WorkerSetup, registered: readonly Analyzer[] = analyzers) {
    // Counting wrappers make "a warm scan parses nothing" an observable fact rather than a claim.
    const counted = registered.map((a) =>
      Object.assign(Object.create(a) as Analyzer, {
        analyze: (file: Parameters<Analyzer['analyze']>[0], rules: Parameters<Analyzer['analyze']>[1]) => {
          this.runs += 1;
          return a.analyze(file, rules);
        },
      }),
    );
    this.plan = new ScanPlan(setup.rules, counted, { noPrefilter: setup.noPrefilter });
  }

  /** Loads the parsers these files need (once each); `run` requires it for every file it is given. */
  async load(paths: Iterable<string>): Promise<void> {
    await this.plan.load(paths);
  }

  /** Analyzes one file; `bytes`/`hash` may be passed when the caller already read them. */
  run(root: string, rel: string, bytes?: Uint8Array, hash?: string): FileOutcome {
    const before = this.runs;
    let data = bytes;
    if (!data) {
      try {
        data = readFileSync(path.join(root, rel));
      } catch (e) {
        // not cached: an unreadable file may be readable next time
        return { path: rel, outcome: { kind: 'skipped', reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }, analyzerRuns: 0 };
      }
    }
    const decoded = decode(rel, data);
    let outcome: CachedOutcome;
    if (decoded.kind === 'skipped') {
      outcome = { kind: 'skipped', reason: decoded.reason };
    } else {
      outcome = { kind: 'text', result: analyzeSource(this.plan, { path: rel, text: decoded.text }) };
      if (decoded.notice) outcome.notice = decoded.notice;
    }
    if (this.setup.cache) cacheSet(this.setup.cache, rel, hash ?? sha256(data), outcome);
    return { path: rel, outcome, analyzerRuns: this.runs - before };
  }
}

let inWorker: FileAnalyzer | undefined;

/** piscina entry point: one batch of files of one root. */
export default async function analyzeBatch(task: WorkerTask): Promise<FileOutcome[]> {
  // piscina's workerData (not worker_threads'): imported here, since this module also runs in the main thread.
  inWorker ??= new FileAnalyzer((await import('piscina')).workerData as WorkerSetup);
  await inWorker.load(task.files);
  return task.files.map((rel) => inWorker!.run(task.root, rel));
}
