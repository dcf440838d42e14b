/**
 * The readiness score and effort estimate (docs/scoring.md is the contract; its worked example is
 * recomputed by test/reports/score.test.ts, so the two cannot drift apart).
 *
 * Design choices, each so a reader can redo the arithmetic by hand:
 * - the unit is the rule, not the finding: n hits of one rule weigh √n times one hit, because the
 *   second JNDI lookup is fixed the same way as the first (diminishing, never zero);
 * - a rule's penalty is severity weight × effort × √n, the app's penalty P is the sum over rules;
 * - score = 100 × K / (K + P) with K = 100: no penalty → 100, P = K → 50, never below 0 and never
 *   saturating, so two bad apps can still be told apart;
 * - the grade follows the score, but a mandatory finding caps it at C: the app cannot run on the
 *   platform until that is changed, whatever the score;
 * - nothing analyzed → no score at all ("insufficient data"), never a perfect 100.
 * Suppressed findings never count. Baselines do not change the score (they only scope the gate).
 */
import { CONCERNS, SEVERITIES, type Concern, type ConcernScore, type EffortEstimate, type Finding, type Grade, type Severity } from './model.js';

export const SEVERITY_WEIGHT: Record<Severity, number> = { mandatory: 1, potential: 0.4, optional: 0.1 };
/** the penalty that halves the score */
export const HALF_SCORE_PENALTY = 100;
export const DEFAULT_DAYS_PER_POINT = 0.5;
/** lowest score of each grade, best first; below the last one is F */
export const GRADE_FLOORS: ReadonlyArray<readonly [Grade, number]> = [
  ['A', 90],
  ['B', 75],
  ['C', 60],
  ['D', 45],
  ['E', 30],
];
/** the best grade an app with an active mandatory finding can get */
export const MANDATORY_GRADE_CAP: Grade = 'C';
export const INSUFFICIENT_DATA: Grade = 'N/A';

export interface ScoreOptions {
  daysPerPoint?: number;
}

export interface RuleScore {
  ruleId: string;
  concern: Concern;
  severity: Severity;
  effort: number;
  hits: number;
  /** SEVERITY_WEIGHT × effort × √hits */
  penalty: number;
  /** effort × √hits */
  points: number;
}

export interface Score {
  /** null = insufficient data */
  score: number | null;
  grade: Grade;
  gradeCap?: string;
  penalty: number;
  effort: EffortEstimate;
  concerns: ConcernScore[];
  rules: RuleScore[];
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function gradeFor(score: number): Grade {
  for (const [grade, floor] of GRADE_FLOORS) if (score >= floor) return grade;
  return 'F';
}

const GRADE_ORDER: readonly Grade[] = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Scores the active (not suppressed) findings of a scan that analyzed `files` files. */
export function computeScore(findings: readonly Finding[], files: number, options: ScoreOptions = {}): Score {
  const daysPerPoint = options.daysPerPoint ?? DEFAULT_DAYS_PER_POINT;
  if (!(daysPerPoint >= 0) || !Number.isFinite(daysPerPoint)) throw new RangeError(`daysPerPoint must be a non-negative number, got ${daysPerPoint}`);
  const byRule = new Map<string, { f: Finding; hits: number }>();
  for (const f of findings) {
    if (f.suppressed) continue;
    const cur = byRule.get(f.ruleId);
    // A rule's severity/effort are the same on all its findings; the first one speaks for it.
    if (cur) cur.hits += 1;
    else byRule.set(f.ruleId, { f, hits: 1 });
  }
  const rules: RuleScore[] = [...byRule.values()]
    .map(({ f, hits }) => ({
      ruleId: f.ruleId,
      concern: f.concern,
      severity: f.severity,
      effort: f.effort,
      hits,
      penalty: SEVERITY_WEIGHT[f.severity] * f.effort * Math.sqrt(hits),
      points: f.effort * Math.sqrt(hits),
    }))
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1));

  const concerns: ConcernScore[] = [];
  for (const concern of CONCERNS) {
    const mine = rules.filter((r) => r.concern === concern);
    if (mine.length === 0) continue;
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const r of mine) bySeverity[r.severity] += r.hits;
    const points = mine.reduce((s, r) => s + r.points, 0);
    concerns.push({
      concern,
      findings: mine.reduce((s, r) => s + r.hits, 0),
      bySeverity,
      rules: mine.length,
      penalty: round1(mine.reduce((s, r) => s + r.penalty, 0)),
      points: round1(points),
      days: round1(points * daysPerPoint),
    });
  }

  const penalty = rules.reduce((s, r) => s + r.penalty, 0);
  const points = rules.reduce((s, r) => s + r.points, 0);
  const effort: EffortEstimate = { points: round1(points), days: round1(points * daysPerPoint), daysPerPoint };
  if (files === 0) return { score: null, grade: INSUFFICIENT_DATA, penalty: round1(penalty), effort, concerns, rules };

  const score = Math.round((100 * HALF_SCORE_PENALTY) / (HALF_SCORE_PENALTY + penalty));
  let grade = gradeFor(score);
  const out: Score = { score, grade, penalty: round1(penalty), effort, concerns, rules };
  const mandatory = rules.filter((r) => r.severity === 'mandatory').reduce((s, r) => s + r.hits, 0);
  if (mandatory > 0 && GRADE_ORDER.indexOf(grade) < GRADE_ORDER.indexOf(MANDATORY_GRADE_CAP)) {
    grade = MANDATORY_GRADE_CAP;
    out.grade = grade;
    out.gradeCap = `capped at ${MANDATORY_GRADE_CAP}: ${mandatory} mandatory finding${mandatory === 1 ? '' : 's'} must be fixed before the app can run on the platform`;
  }
  return out;
}
