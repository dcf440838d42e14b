/**
 * What happens to a scan result on its way out: the project config file, the score parameters, the
 * baseline, the report files, and the CI gate with its exit code. Every option is resolved and
 * validated before the scan starts, so a typo fails in milliseconds, not after a long scan; the
 * reports are always written before the gate decides the exit code (CI keeps its artifacts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  applyBaseline,
  applyRuleOverrides,
  CONFIG_FILE_NAMES,
  createBaseline,
  DEFAULT_DAYS_PER_POINT,
  evaluateGate,
  lazyRequire,
  parseBaseline,
  ProjectConfigError,
  REPORT_FORMATS,
  SEVERITIES,
  summarize,
  validateProjectConfig,
  type ProjectConfig,
  type ReportFormat,
  type Rule,
  type ScanResult,
  type Severity,
} from '../core/index.js';
import { OUT_DIR_FILE_NAMES, renderReport } from '../reports/index.js';
import { loadHtmlTemplates } from './report-templates.js';
import { UsageError } from './scan.js';

export interface ReportCliOptions {
  format: string[];
  output?: string;
  outDir?: string;
  failOn?: string;
  minScore?: string;
  baseline?: string;
  writeBaseline?: string;
  daysPerPoint?: string;
  /** false with --no-config */
  config?: boolean;
}

export interface LoadedProjectConfig {
  file: string;
  config: ProjectConfig;
}

/** Reads `paasport.config.json` / `.paasportrc.yml` at the scanned root, if there is one. */
export function loadProjectConfig(root: string): LoadedProjectConfig | undefined {
  const present = CONFIG_FILE_NAMES.filter((n) => existsSync(path.join(root, n)));
  if (present.length === 0) return undefined;
  if (present.length > 1) throw new UsageError(`${present.join(' and ')} both exist in ${root}; keep one project config file`);
  const name = present[0]!;
  const file = path.join(root, name);
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    // yaml is loaded only when there is a YAML config to read
    data = name.endsWith('.json') ? JSON.parse(text) : lazyRequire<typeof import('yaml')>('yaml')().parse(text);
  } catch (e) {
    throw new UsageError(`${name}: cannot parse: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return { file: name, config: validateProjectConfig(data ?? {}, name) };
  } catch (e) {
    if (e instanceof ProjectConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** The catalog after the config file's rule overrides. */
export function configuredRules(rules: Rule[], project: LoadedProjectConfig | undefined): Rule[] {
  if (!project) return rules;
  try {
    return applyRuleOverrides(rules, project.config.rules, project.file);
  } catch (e) {
    if (e instanceof ProjectConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export interface ReportPlan {
  outputs: Array<{ format: ReportFormat; file?: string }>;
  failOn?: Severity;
  minScore?: number;
  daysPerPoint: number;
  baseline?: Set<string>;
  writeBaseline?: string;
}

function parseNumber(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag}: expected a number from ${min} to ${max === Infinity ? '∞' : max}, got "${value}"`);
  return n;
}

/** Validates the output and gate options (flags over config file) before any scanning. */
export function planReports(opts: ReportCliOptions, root: string, project: LoadedProjectConfig | undefined): ReportPlan {
  const cfg = project?.config ?? {};
  const requested = opts.format.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  const formats = [...new Set(requested.length > 0 ? requested : (cfg.formats ?? ['text']))];
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: unknown format "${f}" (choose from ${REPORT_FORMATS.join(', ')})`);
  }
  if (opts.output && opts.outDir) throw new UsageError('give either --output <file> (one format) or --out-dir <dir> (any number of formats), not both');
  const outDir = opts.outDir ?? (opts.output ? undefined : cfg.outDir);
  if (formats.length > 1 && opts.output) throw new UsageError(`--output names one file but ${formats.length} formats were asked for; use --out-dir <dir>`);
  if (formats.length > 1 && !outDir) throw new UsageError(`${formats.length} formats need --out-dir <dir> (files: ${formats.map((f) => OUT_DIR_FILE_NAMES[f as ReportFormat]).join(', ')})`);
  const outputs = (formats as ReportFormat[]).map((format) => {
    if (opts.output) return { format, file: opts.output };
    if (outDir) return { format, file: path.join(outDir, OUT_DIR_FILE_NAMES[format]) };
    return { format };
  });

  const plan: ReportPlan = { outputs, daysPerPoint: DEFAULT_DAYS_PER_POINT };
  const failOn = opts.failOn ?? cfg.thresholds?.failOn;
  if (failOn !== undefined) {
    if (!(SEVERITIES as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on: expected one of ${SEVERITIES.join(', ')}, got "${failOn}"`);
    plan.failOn = failOn as Severity;
  }
  if (opts.minScore !== undefined) plan.minScore = parseNumber('--min-score', opts.minScore, 0, 100);
  else if (cfg.thresholds?.minScore !== undefined) plan.minScore = cfg.thresholds.minScore;
  if (opts.daysPerPoint !== undefined) plan.daysPerPoint = parseNumber('--days-per-point', opts.daysPerPoint, 0, Infinity);
  else if (cfg.daysPerPoint !== undefined) plan.daysPerPoint = cfg.daysPerPoint;

  const baselineFile = opts.baseline ?? (cfg.baseline ? path.join(root, cfg.baseline) : undefined);
  if (baselineFile) {
    if (!existsSync(baselineFile)) throw new UsageError(`baseline not found: ${baselineFile} (create it with --write-baseline)`);
    try {
      plan.baseline = parseBaseline(JSON.parse(readFileSync(baselineFile, 'utf8')));
    } catch (e) {
      throw new UsageError(`${baselineFile}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (opts.writeBaseline) plan.writeBaseline = opts.writeBaseline;
  return plan;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

/** Rescore, mark baseline state, write every report and the baseline, then apply the gate. */
export function finishScan(scanned: ScanResult, plan: ReportPlan): ScanResult {
  let result: ScanResult = scanned;
  if (plan.daysPerPoint !== result.summary.effort?.daysPerPoint) {
    result = { ...result, summary: { ...result.summary, ...summarize(result.findings, result.summary.files, { daysPerPoint: plan.daysPerPoint }) } };
  }
  if (plan.baseline) result = applyBaseline(result, plan.baseline);

  const needsTemplates = plan.outputs.some((o) => o.format === 'html');
  const ctx = {
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    ...(needsTemplates ? { templates: loadHtmlTemplates() } : {}),
  };
  for (const out of plan.outputs) {
    const text = renderReport(out.format, result, { ...ctx, color: out.file ? false : ctx.color });
    if (out.file) write(out.file, text);
    else process.stdout.write(text);
  }
  if (plan.writeBaseline) write(plan.writeBaseline, `${JSON.stringify(createBaseline(result), null, 2)}\n`);

  const gate = evaluateGate(result, { ...(plan.failOn ? { failOn: plan.failOn } : {}), ...(plan.minScore !== undefined ? { minScore: plan.minScore } : {}) });
  if (gate.failed) {
    process.stderr.write(`paasport: gate failed: ${gate.reason}\n`);
    if (!process.exitCode) process.exitCode = 1;
  }
  return result;
}
