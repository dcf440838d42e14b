/**
 * Drives one scan: discover → read/decode → analyze each file → assemble. All file I/O of a scan
 * happens here; core sees only text.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeSource, assembleResult, formatRuleLoadError, ScanPlan, type FileError, type FileResult, type Notice, type Rule, type RuleLoadError, type ScanResult, type SkippedFile } from '../core/index.js';
import { VERSION } from './paths.js';
import { analyzers } from './registry.js';
import { discover, readSource } from './workspace.js';

export class UsageError extends Error {}

export interface ScanOptions {
  rules: Rule[];
  ruleProblems?: RuleLoadError[];
  excludes?: string[];
  includeTests?: boolean;
  maxFileSize?: number;
  noPrefilter?: boolean;
}

export function runScan(root: string, options: ScanOptions): ScanResult {
  if (!existsSync(root)) throw new UsageError(`path not found: ${root}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a directory: ${root}`);
  const started = Date.now();
  const plan = new ScanPlan(options.rules, analyzers, { noPrefilter: options.noPrefilter ?? false });
  const found = discover(root, {
    excludes: options.excludes ?? [],
    includeTests: options.includeTests ?? false,
    maxFileSize: options.maxFileSize,
    wants: (p) => plan.wants(p),
  });
  const skipped: SkippedFile[] = [...found.skipped];
  const notices: Notice[] = [];
  const errors: FileError[] = (options.ruleProblems ?? []).map((p) => ({ file: p.file, message: `rule not loaded: ${formatRuleLoadError(p)}` }));
  const fileResults: FileResult[] = [];
  const texts = new Map<string, string>();
  for (const rel of found.files) {
    const read = readSource(root, rel);
    if (read.kind === 'skipped') {
      skipped.push({ file: rel, reason: read.reason });
      continue;
    }
    if (read.notice) notices.push(read.notice);
    const result = analyzeSource(plan, { path: rel, text: read.text });
    if (Object.keys(result.summaries).length > 0) texts.set(rel, read.text);
    fileResults.push(result);
  }
  return assembleResult(plan, {
    root: path.resolve(root).split(path.sep).join('/'),
    version: VERSION,
    fileResults,
    skipped,
    errors,
    notices,
    readText: (p) => texts.get(p),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  });
}
