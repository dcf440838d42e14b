/**
 * `paasport merge`: one report from several JSON reports — the n shards of one scan (`--shard i/n`)
 * or scans of different apps. Everything derived is recomputed (summary, score, ordering,
 * same-line dedupe), and for shards the project-level rules (e.g. "no health check anywhere") run
 * here over every shard's file summaries, because no single shard could decide them. Merged shards
 * therefore equal a single scan of the whole tree.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assembleResult,
  compareFindings,
  dedupeByConcernLine,
  REPORT_FORMATS,
  ScanPlan,
  summarize,
  type ReportFormat,
  type FileError,
  type FileResult,
  type Finding,
  type Notice,
  type Rule,
  type RuleMeta,
  type ScanResult,
  type SkippedFile,
} from '../../core/index.js';
import { renderReport } from '../../reports/index.js';
import { loadHtmlTemplates } from '../report-templates.js';
import { analyzersById } from '../registry.js';
import { UsageError, type ShardedScanResult } from '../scan.js';
import { readSource } from '../workspace.js';

const byFile = <T extends { file: string }>(a: T, b: T): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

export function readReport(file: string): ShardedScanResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON (merge takes reports written with --format json)`);
  }
  const r = data as Partial<ShardedScanResult>;
  if (!r || r.schemaVersion !== 1 || r.tool?.name !== 'paasport' || !Array.isArray(r.findings) || !r.summary || typeof r.root !== 'string') {
    throw new UsageError(`${file} is not a paasport JSON report (schemaVersion 1)`);
  }
  return r as ShardedScanResult;
}

function unionRules(results: readonly ScanResult[]): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const r of results) for (const m of r.rules ?? []) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Entries of all shards, where one that every shard reports (e.g. a rule file that failed to load)
 * counts once: each distinct entry appears as often as in the shard that has it most often. A
 * file's own entries come from its one shard, so their multiplicity is kept.
 */
function unionOfShards<T>(lists: readonly T[][]): T[] {
  const most = new Map<string, { item: T; count: number }>();
  for (const list of lists) {
    const counts = new Map<string, number>();
    for (const item of list) {
      const k = JSON.stringify(item);
      const c = (counts.get(k) ?? 0) + 1;
      counts.set(k, c);
      const cur = most.get(k);
      if (!cur || cur.count < c) most.set(k, { item, count: c });
    }
  }
  return [...most.values()].flatMap(({ item, count }) => Array.from({ length: count }, () => item));
}

function timing(results: readonly ScanResult[], out: ScanResult): void {
  const starts = results.map((r) => r.startedAt).filter((s): s is string => typeof s === 'string').sort();
  if (starts[0] !== undefined) out.startedAt = starts[0];
  const durations = results.map((r) => r.durationMs).filter((d): d is number => typeof d === 'number');
  // Shards and apps usually run side by side: the slowest one is the wall time.
  if (durations.length > 0) out.durationMs = Math.max(...durations);
}

function scoreOptions(results: readonly ScanResult[]): { daysPerPoint?: number } {
  const effort = results[0]?.summary.effort as { daysPerPoint?: number } | undefined;
  return effort?.daysPerPoint !== undefined ? { daysPerPoint: effort.daysPerPoint } : {};
}

/**
 * Runs the shards' deferred project-level rules over all their file summaries, through the same
 * assembly a single scan uses (so suppressions and snippets are handled identically).
 */
function projectFindings(results: readonly ShardedScanResult[], rules: readonly RuleMeta[], errors: FileError[]): Finding[] {
  const first = results[0]!;
  const projectRules = first.shard!.projectRules;
  if (projectRules.length === 0) return [];
  const metaById = new Map(rules.map((m) => [m.id, m]));
  const pseudo: Rule[] = projectRules.flatMap((r) => {
    const meta = metaById.get(r.id);
    return meta ? [{ ...meta, match: r.match, examples: { positive: [], negative: [] }, source: '' }] : [];
  });
  for (const id of new Set(projectRules.map((r) => r.match.analyzer))) {
    if (!analyzersById.get(id)?.finish) errors.push({ file: '(project)', message: `${id} project rules not evaluated: this paasport has no ${id} analyzer` });
  }
  const byPath = new Map<string, FileResult>();
  for (const s of results.flatMap((r) => r.shard!.summaries)) {
    const fr = byPath.get(s.path) ?? { path: s.path, findings: [], errors: [], summaries: {} };
    fr.summaries[s.analyzer] = s.summary;
    byPath.set(s.path, fr);
  }
  const fileResults = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const assembled = assembleResult(new ScanPlan(pseudo, [...analyzersById.values()]), {
    root: first.root,
    version: first.tool.version,
    fileResults,
    skipped: [],
    errors: [],
    notices: [],
    // Snippets and fingerprints need the file's text: merge runs where the scanned tree is checked out.
    readText: (file) => {
      const read = readSource(first.root, file);
      if (read.kind === 'text') return read.text;
      errors.push({ file, message: `project finding without snippet: cannot read ${file} under ${first.root}` });
      return undefined;
    },
  });
  errors.push(...assembled.errors);
  return assembled.findings;
}

/** Merges the n shards of one scan; project-level rules are evaluated over all of them. */
export function mergeShards(results: readonly ShardedScanResult[]): ScanResult {
  const first = results[0]!;
  const count = first.shard!.count;
  const seen = new Set<number>();
  for (const r of results) {
    if (!r.shard) throw new UsageError('cannot merge shard reports with unsharded ones');
    if (r.shard.count !== count) throw new UsageError(`shard counts differ (${r.shard.index}/${r.shard.count} vs ${first.shard!.index}/${count})`);
    if (r.root !== first.root) throw new UsageError(`shards of different roots (${r.root} vs ${first.root})`);
    if (seen.has(r.shard.index)) throw new UsageError(`shard ${r.shard.index}/${count} given twice`);
    seen.add(r.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`);

  const rules = unionRules(results);
  const findings: Finding[] = results.flatMap((r) => r.findings);
  const errors: FileError[] = unionOfShards(results.map((r) => r.errors));
  findings.push(...projectFindings(results, rules, errors));
  const sorted = dedupeByConcernLine(findings.sort(compareFindings));
  const files = results.reduce((n, r) => n + r.summary.files, 0);
  const out: ScanResult = {
    schemaVersion: 1,
    tool: { name: 'paasport', version: first.tool.version },
    root: first.root,
    summary: summarize(sorted, files, scoreOptions(results)),
    rules,
    findings: sorted,
    skipped: results.flatMap((r) => r.skipped).sort(byFile),
    errors: errors.sort(byFile),
    notices: unionOfShards(results.map((r) => r.notices ?? [])).sort(byFile),
  };
  timing(results, out);
  return out;
}

function commonRoot(roots: readonly string[]): string {
  const parts = roots.map((r) => r.split('/'));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length - 1 && p[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  return common.join('/') || '/';
}

/** Merges reports of different apps: every path is prefixed with its app's folder name. */
export function mergeApps(results: readonly ScanResult[]): ScanResult {
  const labels = new Map<ScanResult, string>();
  const used = new Set<string>();
  for (const r of results) {
    const base = path.posix.basename(r.root) || 'app';
    let label = base;
    for (let n = 2; used.has(label); n++) label = `${base}-${n}`;
    used.add(label);
    labels.set(r, label);
  }
  const prefix = <T extends { file: string }>(r: ScanResult, items: readonly T[]): T[] => items.map((i) => ({ ...i, file: `${labels.get(r)}/${i.file}` }));
  const findings = dedupeByConcernLine(results.flatMap((r) => prefix(r, r.findings)).sort(compareFindings));
  const out: ScanResult = {
    schemaVersion: 1,
    tool: { name: 'paasport', version: results[0]!.tool.version },
    root: commonRoot(results.map((r) => r.root)),
    summary: summarize(findings, results.reduce((n, r) => n + r.summary.files, 0), scoreOptions(results)),
    rules: unionRules(results),
    findings,
    skipped: results.flatMap((r) => prefix(r, r.skipped)).sort(byFile),
    errors: results.flatMap((r) => prefix(r, r.errors)).sort(byFile),
    notices: results.flatMap((r) => prefix(r, r.notices ?? [])).sort(byFile),
  };
  timing(results, out);
  return out;
}

export function mergeResults(results: readonly ShardedScanResult[]): ScanResult {
  if (results.length === 0) throw new UsageError('nothing to merge');
  if (results.some((r) => r.shard)) return mergeShards(results);
  return results.length === 1 ? results[0]! : mergeApps(results);
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine JSON reports: the shards of one scan (--shard i/n) or scans of several apps')
    .argument('<reports...>', 'JSON reports written by `paasport scan --format json`')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('json'))
    .option('-o, --output <file>', 'write the merged report to a file instead of stdout')
    .addHelpText(
      'after',
      `
Shards are recognized by the shard field --shard writes; all n must be given. Project-level rules
read the scanned tree, so run merge where it is checked out. Reports of different apps get their
paths prefixed with each app's folder name.

Examples:
  $ paasport merge shard-1.json shard-2.json shard-3.json --output report.json
  $ paasport merge billing.json orders.json --format text`,
    )
    .action((files: string[], opts: { format: ReportFormat; output?: string }) => {
      const merged = mergeResults(files.map(readReport));
      const text = renderReport(opts.format, merged, {
        color: !opts.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        ...(opts.format === 'html' ? { templates: loadHtmlTemplates() } : {}),
      });
      if (!opts.output) {
        process.stdout.write(text);
        return;
      }
      mkdirSync(path.dirname(path.resolve(opts.output)), { recursive: true });
      writeFileSync(opts.output, text);
    });
}
