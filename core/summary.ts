/**
 * Counts computed once, so every report (JSON, text, HTML, SARIF, Markdown) shows the same numbers.
 */
import { SEVERITIES, type Concern, type Finding, type ScanSummary, type Severity } from './model.js';
import { computeScore, type ScoreOptions } from './score.js';

export function summarize(findings: readonly Finding[], files: number, options: ScoreOptions = {}): ScanSummary {
  const byConcern: Partial<Record<Concern, number>> = {};
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    if (f.suppressed) continue;
    byConcern[f.concern] = (byConcern[f.concern] ?? 0) + 1;
    bySeverity[f.severity] += 1;
  }
  const sortedByConcern = Object.fromEntries(Object.entries(byConcern).sort(([a], [b]) => (a < b ? -1 : 1))) as Partial<Record<Concern, number>>;
  const score = computeScore(findings, files, options);
  const summary: ScanSummary = {
    files,
    findings: findings.filter((f) => !f.suppressed).length,
    byConcern: sortedByConcern,
    bySeverity,
    score: score.score,
    grade: score.grade,
    effort: score.effort,
    concerns: score.concerns,
    suppressed: findings.filter((f) => f.suppressed).length,
  };
  if (score.gradeCap !== undefined) summary.gradeCap = score.gradeCap;
  // Only meaningful once a baseline has marked the findings.
  if (findings.some((f) => f.isNew !== undefined)) summary.newFindings = findings.filter((f) => !f.suppressed && f.isNew === true).length;
  return summary;
}
