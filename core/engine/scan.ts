/**
 * Per-file analysis and result assembly. `analyzeSource` is self-contained (plan + file in, plain
 * data out) so it can run in a worker thread or be served from a cache; `assembleResult` joins the
 * per-file results, runs project-level rules and computes the summary once for every report.
 */
import type { SourceFile } from '../analyzer.js';
import type { FileError, Finding, Notice, ScanResult, SkippedFile } from '../model.js';
import { CONCERNS, toRuleMeta } from '../model.js';
import type { ScoreOptions } from '../score.js';
import { summarize } from '../summary.js';
import { compareFindings, createFindings, dedupeByConcernLine, splitLines } from './findings.js';
import type { ScanPlan } from './plan.js';
import { applySuppressions } from './suppress.js';

const CONCERN_SET: ReadonlySet<string> = new Set(CONCERNS);
const suppressionTarget = (plan: ScanPlan) => (t: string) => plan.rulesById.has(t) || CONCERN_SET.has(t);

export interface FileResult {
  path: string;
  findings: Finding[];
  errors: FileError[];
  /** per analyzer id, the summary it produced for project-level rules */
  summaries: Record<string, unknown>;
}

export function analyzeSource(plan: ScanPlan, file: SourceFile): FileResult {
  const runs = plan.analyzeFile(file);
  const lines = splitLines(file.text);
  const errors: FileError[] = [];
  const summaries: Record<string, unknown> = {};
  const matches = runs.flatMap((r) => r.analysis.matches);
  for (const r of runs) {
    for (const e of r.analysis.errors ?? []) {
      const err: FileError = { file: file.path, message: e.message };
      if (e.line !== undefined) err.line = e.line;
      errors.push(err);
    }
    if (r.analysis.summary !== undefined) summaries[r.analyzer] = r.analysis.summary;
  }
  const suppressed = applySuppressions(file.path, lines, createFindings(file.path, lines, matches, plan.rulesById), suppressionTarget(plan));
  errors.push(...suppressed.errors);
  return { path: file.path, findings: suppressed.findings, errors, summaries };
}

export interface AssembleInput {
  root: string;
  version: string;
  fileResults: FileResult[];
  skipped: SkippedFile[];
  errors: FileError[];
  notices: Notice[];
  /** text of an analyzed file, for project-level findings' snippets */
  readText: (path: string) => string | undefined;
  startedAt?: string;
  durationMs?: number;
  /** score parameters (days per story point) */
  score?: ScoreOptions;
}

export function assembleResult(plan: ScanPlan, input: AssembleInput): ScanResult {
  const findings: Finding[] = input.fileResults.flatMap((r) => r.findings);
  const errors: FileError[] = [...input.errors, ...input.fileResults.flatMap((r) => r.errors)];

  for (const analyzer of plan.analyzers) {
    const projectRules = plan.projectRules(analyzer.id);
    if (!analyzer.finish || projectRules.length === 0) continue;
    const summaries = input.fileResults.filter((r) => analyzer.id in r.summaries).map((r) => ({ path: r.path, summary: r.summaries[analyzer.id] }));
    try {
      const byFile = new Map<string, typeof projectMatches>();
      const projectMatches = analyzer.finish(summaries, projectRules);
      for (const m of projectMatches) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);
      for (const [file, ms] of byFile) {
        const lines = splitLines(input.readText(file) ?? '');
        // Errors of the file's directives were already reported by analyzeSource.
        findings.push(...applySuppressions(file, lines, createFindings(file, lines, ms, plan.rulesById), suppressionTarget(plan)).findings);
      }
    } catch (err) {
      errors.push({ file: '(project)', message: `${analyzer.id} project rules failed: ${(err as Error).message}` });
    }
  }

  const sortedFindings = dedupeByConcernLine(findings.sort(compareFindings));
  const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  const result: ScanResult = {
    schemaVersion: 1,
    tool: { name: 'paasport', version: input.version },
    root: input.root,
    summary: summarize(sortedFindings, input.fileResults.length, input.score),
    rules: plan.rules.map(toRuleMeta).sort((a, b) => (a.id < b.id ? -1 : 1)),
    findings: sortedFindings,
    skipped: [...input.skipped].sort(byPath),
    errors: errors.sort(byPath),
    notices: [...input.notices].sort(byPath),
  };
  if (input.startedAt !== undefined) result.startedAt = input.startedAt;
  if (input.durationMs !== undefined) result.durationMs = input.durationMs;
  return result;
}
