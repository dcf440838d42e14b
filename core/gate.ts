/**
 * The CI gate and baselines (docs/ci.md). Pure: the CLI reads and writes the baseline file and sets
 * the exit code; everything decided here is testable without a process.
 *
 * A baseline is the set of finding ids (fingerprints) accepted at some point. Ids hash the rule, the
 * file and the flagged line's text — not its number — so moving code does not make a known finding
 * new. With a baseline, every finding is marked `isNew`, and only new ones count for `--fail-on`.
 * `--min-score` always judges the whole app (the score is a property of the app, not of a change).
 */
import { SEVERITIES, type Finding, type ScanResult, type Severity } from './model.js';
import { summarize } from './summary.js';

export const BASELINE_FORMAT = 'paasport-baseline';

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: 1;
  /** one entry per accepted finding; ruleId/file are for humans reading diffs */
  findings: Array<{ id: string; ruleId: string; file: string }>;
}

export function createBaseline(result: ScanResult): Baseline {
  return {
    format: BASELINE_FORMAT,
    version: 1,
    // Suppressed findings are recorded too: the baseline accepts the state as it is, so lifting a
    // suppression later does not turn an accepted finding into a new one.
    findings: result.findings.map((f) => ({ id: f.id, ruleId: f.ruleId, file: f.file })),
  };
}

/** Validates a parsed baseline file; throws an Error whose message is one line. */
export function parseBaseline(data: unknown): Set<string> {
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== 'object' || b.format !== BASELINE_FORMAT || !Array.isArray(b.findings)) {
    throw new Error(`not a paasport baseline (expected {"format": "${BASELINE_FORMAT}", "findings": [...]}, as written by --write-baseline)`);
  }
  const ids = new Set<string>();
  b.findings.forEach((f, i) => {
    if (!f || typeof f.id !== 'string') throw new Error(`baseline findings[${i}] has no string "id"`);
    ids.add(f.id);
  });
  return ids;
}

/** Marks every finding new or known and recomputes the summary (which then counts new findings). */
export function applyBaseline(result: ScanResult, known: ReadonlySet<string>): ScanResult {
  const findings: Finding[] = result.findings.map((f) => ({ ...f, isNew: !known.has(f.id) }));
  const summary = summarize(findings, result.summary.files, result.summary.effort ? { daysPerPoint: result.summary.effort.daysPerPoint } : {});
  return { ...result, findings, summary: { ...result.summary, ...summary } };
}

export interface GateOptions {
  /** fail when a counted finding is at least this severe */
  failOn?: Severity;
  /** fail when the score is below this (or unavailable) */
  minScore?: number;
}

export interface GateOutcome {
  failed: boolean;
  /** one line, empty when the gate passed */
  reason: string;
}

/** Findings the gate looks at: not suppressed, and new when a baseline marked them. */
export function gateFindings(result: ScanResult): Finding[] {
  return result.findings.filter((f) => !f.suppressed && f.isNew !== false);
}

export function evaluateGate(result: ScanResult, options: GateOptions): GateOutcome {
  const reasons: string[] = [];
  if (options.failOn) {
    const limit = SEVERITIES.indexOf(options.failOn);
    const counted = gateFindings(result).filter((f) => SEVERITIES.indexOf(f.severity) <= limit);
    if (counted.length > 0) {
      const baseline = result.findings.some((f) => f.isNew !== undefined) ? 'new ' : '';
      const sevs = SEVERITIES.slice(0, limit + 1).join('/');
      const first = counted[0]!;
      reasons.push(`${counted.length} ${baseline}${sevs} finding${counted.length === 1 ? '' : 's'} (--fail-on ${options.failOn}), first: ${first.file}:${first.line} ${first.ruleId}`);
    }
  }
  if (options.minScore !== undefined) {
    const score = result.summary.score;
    if (score === null || score === undefined) reasons.push(`no score (insufficient data: no supported source file was analyzed) but --min-score ${options.minScore} is required`);
    else if (score < options.minScore) reasons.push(`score ${score} is below --min-score ${options.minScore}`);
  }
  return { failed: reasons.length > 0, reason: reasons.join('; ') };
}
